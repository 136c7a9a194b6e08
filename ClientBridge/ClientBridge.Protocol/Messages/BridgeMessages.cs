using System;
using System.Collections.Generic;

namespace ClientBridge.Protocol;

/// <summary>
/// Marks every type that travels on the pipe. The agent's log redaction renders such values by type name
/// only, so a message logged by mistake shows no subject, body, address or token.
/// </summary>
public interface IBridgeMessage
{
}

/// <summary>The error half of a response: a stable code and a sentence for people.</summary>
public sealed class BridgeError : IBridgeMessage
{
    public string Code { get; set; } = ErrorCodes.Internal;

    public string Message { get; set; } = string.Empty;
}

/// <summary>A request or reply with nothing to say beyond its kind.</summary>
public sealed class Empty : IBridgeMessage
{
    public static readonly Empty Instance = new();
}

/// <summary>The first request on every connection.</summary>
public sealed class Hello : IBridgeMessage
{
    public int ProtocolVersion { get; set; } = BridgeProtocol.Version;

    public int MinProtocolVersion { get; set; } = BridgeProtocol.MinSupportedVersion;

    /// <summary>What is connecting: <c>OutlookPlugin</c>, <c>ClientBridge-cli</c>, a test.</summary>
    public string ClientName { get; set; } = string.Empty;

    public string ClientVersion { get; set; } = string.Empty;

    /// <summary>Optional features the client understands, so that the agent can adapt to older add-ins.</summary>
    public List<string> Capabilities { get; set; } = new();
}

/// <summary>The agent's answer to <see cref="Hello"/>.</summary>
public sealed class Welcome : IBridgeMessage
{
    /// <summary>The version both sides will speak: the highest both support.</summary>
    public int ProtocolVersion { get; set; }

    public string AgentVersion { get; set; } = string.Empty;

    /// <summary>Message kinds this agent can handle, and optional features.</summary>
    public List<string> Capabilities { get; set; } = new();

    /// <summary>Unique per connection while the agent runs; lets the client tell a restarted agent apart.</summary>
    public long SessionId { get; set; }

    public int AgentProcessId { get; set; }

    /// <summary>
    /// How many days ahead the add-in reads the calendar for this agent (its settings, or a policy that locks them);
    /// 0 from an agent that does not say, and the add-in then uses its own default.
    /// </summary>
    public int CalendarDaysAhead { get; set; }
}

public sealed class Ping : IBridgeMessage
{
    public string? Data { get; set; }
}

public sealed class StatusReply : IBridgeMessage
{
    public string AgentVersion { get; set; } = string.Empty;

    public int ProtocolVersion { get; set; }

    public int ProcessId { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public double UptimeSeconds { get; set; }

    /// <summary>The pipe name (Windows) or socket path (elsewhere) the agent serves.</summary>
    public string Endpoint { get; set; } = string.Empty;

    /// <summary>How the endpoint is protected: the pipe's security descriptor (SDDL) on Windows, the socket folder's mode elsewhere.</summary>
    public string EndpointProtection { get; set; } = string.Empty;

    public int ConnectedClients { get; set; }

    /// <summary>Names of the connected clients (the add-in, the command line), not their users' data.</summary>
    public List<string> ClientNames { get; set; } = new();

    /// <summary>Items held from the last calendar snapshot and deltas.</summary>
    public int CalendarItems { get; set; }

    public DateTimeOffset? CalendarUpdatedAt { get; set; }

    public List<ProviderState> Providers { get; set; } = new();
}

public sealed class SubscribeRequest : IBridgeMessage
{
    /// <summary>Event kinds to receive (for example <c>calendar.changed</c>); replaces any earlier subscription.</summary>
    public List<string> Kinds { get; set; } = new();
}

public sealed class SubscribeReply : IBridgeMessage
{
    /// <summary>The kinds now subscribed: those asked for that this agent publishes.</summary>
    public List<string> Kinds { get; set; } = new();
}

/// <summary>An appointment as the add-in reads it from the user's calendar. Held in the agent's memory only.</summary>
public sealed class CalendarItem : IBridgeMessage
{
    /// <summary>The appointment's stable identity (GlobalAppointmentID for meetings, else EntryID), plus the occurrence start for recurrences.</summary>
    public string Id { get; set; } = string.Empty;

    public string Subject { get; set; } = string.Empty;

    /// <summary>Start and end as instants; never a bare wall clock, so that no zone shifts them twice.</summary>
    public DateTimeOffset Start { get; set; }

    public DateTimeOffset End { get; set; }

    /// <summary>The appointment's Windows time zone id (for example <c>W. Europe Standard Time</c>), as Outlook names it.</summary>
    public string? TimeZoneId { get; set; }

    public bool IsAllDay { get; set; }

    public bool IsRecurring { get; set; }

    public bool IsCancelled { get; set; }

    public string? Location { get; set; }

    /// <summary>The organizer's display name (never an address).</summary>
    public string? Organizer { get; set; }

    /// <summary>How many people were invited, the organizer and rooms not counted.</summary>
    public int AttendeeCount { get; set; }

    /// <summary>Display names of the invited people (never addresses), at most <see cref="MaxAttendeeNames"/>.</summary>
    public List<string> Attendees { get; set; } = new();

    /// <summary>Display names of the rooms and other resources booked.</summary>
    public List<string> Rooms { get; set; } = new();

    /// <summary>The user's own answer to the invitation; <see cref="ResponseStatus.Declined"/> meetings stay quiet.</summary>
    public ResponseStatus Response { get; set; }

    /// <summary>The join link: the meeting this product made, else one found in the location or body. The body itself never crosses.</summary>
    public string? JoinUrl { get; set; }

    /// <summary>The provider's meeting id when this item carries a meeting this product scheduled.</summary>
    public string? MeetingId { get; set; }

    public string? Provider { get; set; }

    /// <summary>The cap on <see cref="Attendees"/>: a tray needs a few names, not a 2,000-person town hall.</summary>
    public const int MaxAttendeeNames = 50;
}

/// <summary>The user's answer to an invitation, as Outlook's OlResponseStatus has it.</summary>
public enum ResponseStatus
{
    None = 0,
    Organized = 1,
    Tentative = 2,
    Accepted = 3,
    Declined = 4,
    NotResponded = 5,
}

/// <summary>
/// Per-meeting options the user picks in Outlook. Null leaves the account's or the policy's default; a policy
/// always wins over what is asked here.
/// </summary>
public sealed class MeetingOptions : IBridgeMessage
{
    public bool? WaitingRoom { get; set; }

    public bool? RequirePasscode { get; set; }

    /// <summary>
    /// E-mail addresses of alternative hosts (Zoom). Null leaves the hosts as they are (on a new meeting: the user's
    /// default hosts); an empty list asks for none, so an update with one removes every alternative host. Never logged.
    /// </summary>
    public List<string>? AlternativeHosts { get; set; }
}

/// <summary>The whole calendar window; replaces what the agent held.</summary>
public sealed class CalendarSnapshot : IBridgeMessage
{
    public DateTimeOffset WindowStart { get; set; }

    public DateTimeOffset WindowEnd { get; set; }

    public List<CalendarItem> Items { get; set; } = new();
}

/// <summary>Changes since the last snapshot or delta.</summary>
public sealed class CalendarDelta : IBridgeMessage
{
    public List<CalendarItem> Upserted { get; set; } = new();

    public List<string> RemovedIds { get; set; } = new();
}

public sealed class CalendarAck : IBridgeMessage
{
    /// <summary>Items held after the snapshot or delta was applied.</summary>
    public int ItemCount { get; set; }

    /// <summary>Increases with every change, so a client can tell whether it missed one.</summary>
    public long Revision { get; set; }
}

/// <summary>Sent to subscribers of <c>calendar.changed</c>; the items themselves stay in the agent.</summary>
public sealed class CalendarChanged : IBridgeMessage
{
    public int ItemCount { get; set; }

    public long Revision { get; set; }
}

/// <summary>How a recurring appointment repeats, as the add-in reads it from Outlook's RecurrencePattern.</summary>
public sealed class Recurrence : IBridgeMessage
{
    /// <summary><c>daily</c>, <c>weekly</c>, <c>monthly</c>, <c>monthly_nth</c>, <c>yearly</c>, <c>yearly_nth</c>.</summary>
    public string Pattern { get; set; } = "weekly";

    public int Interval { get; set; } = 1;

    /// <summary>Days of the week for weekly and nth patterns, as .NET's <see cref="DayOfWeek"/> names.</summary>
    public List<DayOfWeek> DaysOfWeek { get; set; } = new();

    public int? DayOfMonth { get; set; }

    /// <summary>1–4 for first–fourth, 5 for last.</summary>
    public int? Instance { get; set; }

    public int? MonthOfYear { get; set; }

    /// <summary>The last day of the series in the appointment's zone, or null with <see cref="Occurrences"/> or for no end.</summary>
    public DateTime? EndDate { get; set; }

    public int? Occurrences { get; set; }
}

/// <summary>Asks the agent to create a meeting for an appointment.</summary>
public sealed class ScheduleMeetingRequest : IBridgeMessage
{
    /// <summary>Chosen by the add-in once per user action and reused on every retry; the agent creates at most one meeting per id.</summary>
    public string RequestId { get; set; } = string.Empty;

    public string AppointmentId { get; set; } = string.Empty;

    /// <summary><c>jitsi</c> (the default, no account) or <c>zoom</c>; empty for the user's default.</summary>
    public string? Provider { get; set; }

    public string Topic { get; set; } = string.Empty;

    public DateTimeOffset Start { get; set; }

    public int DurationMinutes { get; set; }

    /// <summary>The appointment's Windows time zone id (an IANA id from the command line); the agent maps it to one the provider accepts.</summary>
    public string? TimeZoneId { get; set; }

    public Recurrence? Recurrence { get; set; }

    /// <summary>The calendar owner a delegate schedules for (an e-mail address); empty for the user's own meetings. Never logged.</summary>
    public string? ScheduleFor { get; set; }

    public MeetingOptions? Options { get; set; }
}

/// <summary>Asks the agent to move, retime or re-recur a meeting it created.</summary>
public sealed class UpdateMeetingRequest : IBridgeMessage
{
    public string RequestId { get; set; } = string.Empty;

    public string MeetingId { get; set; } = string.Empty;

    public string Provider { get; set; } = string.Empty;

    public string? Topic { get; set; }

    public DateTimeOffset? Start { get; set; }

    public int? DurationMinutes { get; set; }

    public string? TimeZoneId { get; set; }

    public Recurrence? Recurrence { get; set; }

    /// <summary>
    /// The series became a single meeting at <see cref="Start"/> (the user turned the Outlook series back into one
    /// appointment). <see cref="Recurrence"/> must then be null: a request with both is refused as a bad request.
    /// </summary>
    public bool RecurrenceRemoved { get; set; }

    /// <summary>The original start of the one occurrence of a series to change (as Outlook knows it); null for the whole series.</summary>
    public DateTimeOffset? OccurrenceStart { get; set; }

    public MeetingOptions? Options { get; set; }
}

public sealed class CancelMeetingRequest : IBridgeMessage
{
    public string RequestId { get; set; } = string.Empty;

    public string MeetingId { get; set; } = string.Empty;

    public string Provider { get; set; } = string.Empty;

    /// <summary>The original start of the one occurrence of a series to delete; null for the whole meeting.</summary>
    public DateTimeOffset? OccurrenceStart { get; set; }
}

/// <summary>A meeting as the provider made it; the add-in writes it into the appointment.</summary>
public sealed class MeetingReply : IBridgeMessage
{
    public string MeetingId { get; set; } = string.Empty;

    public string Provider { get; set; } = string.Empty;

    public string JoinUrl { get; set; } = string.Empty;

    /// <summary>Meeting passcode where the provider has one. Never logged.</summary>
    public string? Passcode { get; set; }

    /// <summary>Provider time zone the meeting was created in (for example <c>Europe/Berlin</c>).</summary>
    public string? TimeZone { get; set; }

    public bool Cancelled { get; set; }

    /// <summary>The text to put in the appointment's body: how to join, in the provider's words.</summary>
    public string? InvitationText { get; set; }

    /// <summary>Phone numbers for joining by phone, where the provider has them.</summary>
    public List<string> DialIn { get; set; } = new();

    /// <summary>
    /// Something the user should know about how the meeting was made, for example that a yearly series was
    /// scheduled as one link without fixed times because the provider has no yearly recurrence.
    /// </summary>
    public string? Note { get; set; }
}

/// <summary>Sent to subscribers of <c>meeting.changed</c> when a meeting is created, moved or cancelled.</summary>
public sealed class MeetingChanged : IBridgeMessage
{
    public string MeetingId { get; set; } = string.Empty;

    public string Provider { get; set; } = string.Empty;

    /// <summary><c>created</c>, <c>updated</c> or <c>cancelled</c>.</summary>
    public string Change { get; set; } = string.Empty;
}

public sealed class ProviderState : IBridgeMessage
{
    public string Provider { get; set; } = string.Empty;

    /// <summary><c>not_required</c> (Jitsi), <c>signed_out</c>, <c>signed_in</c>, <c>expired</c>, <c>disabled_by_policy</c>.</summary>
    public string State { get; set; } = string.Empty;

    /// <summary>A display name for the signed-in account; never a token.</summary>
    public string? Account { get; set; }

    public bool IsDefault { get; set; }
}

/// <summary>Reply to <c>signin.state</c> and body of <c>signin.changed</c>.</summary>
public sealed class SignInState : IBridgeMessage
{
    public List<ProviderState> Providers { get; set; } = new();
}

/// <summary>Asks the agent to sign in to, or out of, a provider.</summary>
public sealed class SignInRequest : IBridgeMessage
{
    public string Provider { get; set; } = string.Empty;
}

public sealed class OpenSettingsRequest : IBridgeMessage
{
    /// <summary>The page to open, for example <c>accounts</c>; empty for the first page.</summary>
    public string? Page { get; set; }
}

/// <summary>The answer to <c>agent.stop</c>, sent before the agent stops.</summary>
public sealed class StopReply : IBridgeMessage
{
    /// <summary>The agent's process, so that the caller can wait until it has gone (and its files are free), not only its pipe.</summary>
    public int ProcessId { get; set; }
}

/// <summary>Asks for the upcoming meetings and the tray menu built from them (<c>upcoming.get</c>).</summary>
public sealed class UpcomingRequest : IBridgeMessage
{
    /// <summary>Leave the menu out and send the meetings only.</summary>
    public bool MeetingsOnly { get; set; }
}

/// <summary>
/// What the tray shows, as data: the meetings by section and the menu tree built from them. The Windows tray only
/// draws <see cref="Menu"/>; the command line prints it. Labels are in the agent's local time zone.
/// </summary>
public sealed class UpcomingReply : IBridgeMessage
{
    /// <summary>The instant the model was built for.</summary>
    public DateTimeOffset Now { get; set; }

    /// <summary>The time zone the labels are in (the agent's local zone).</summary>
    public string TimeZone { get; set; } = string.Empty;

    /// <summary>The calendar revision the model was built from (0: nothing received from Outlook yet).</summary>
    public long CalendarRevision { get; set; }

    /// <summary>The default provider and who is signed in to it, as the menu's first line shows it.</summary>
    public string StatusLine { get; set; } = string.Empty;

    /// <summary>The notification icon's tooltip: at most 127 characters, the shell's limit.</summary>
    public string Tooltip { get; set; } = string.Empty;

    /// <summary>Declined meetings left out of every section.</summary>
    public int DeclinedHidden { get; set; }

    /// <summary>Every meeting shown, sorted by section, then start, then subject.</summary>
    public List<UpcomingMeeting> Meetings { get; set; } = new();

    /// <summary>The menu, top to bottom; empty when <see cref="UpcomingRequest.MeetingsOnly"/> was asked.</summary>
    public List<MenuEntry> Menu { get; set; } = new();
}

/// <summary>Where a meeting shows in the tray.</summary>
public enum UpcomingSection
{
    /// <summary>Started and not yet ended (overlapping meetings are all here).</summary>
    Now = 0,

    /// <summary>The soonest start after now, on any day (meetings starting at that same instant are all here).</summary>
    Next = 1,

    /// <summary>Starts later today (local date), after the next one.</summary>
    LaterToday = 2,

    /// <summary>Starts tomorrow (local date), unless it is the next one.</summary>
    Tomorrow = 3,

    /// <summary>An all-day event covering today's local date.</summary>
    AllDayToday = 4,

    /// <summary>An all-day event covering tomorrow's local date.</summary>
    AllDayTomorrow = 5,
}

/// <summary>One meeting as the tray shows it.</summary>
public sealed class UpcomingMeeting : IBridgeMessage
{
    public string Id { get; set; } = string.Empty;

    public UpcomingSection Section { get; set; }

    public string Subject { get; set; } = string.Empty;

    public DateTimeOffset Start { get; set; }

    public DateTimeOffset End { get; set; }

    public bool IsAllDay { get; set; }

    /// <summary>Shown, marked as cancelled, never offered to join and never "next".</summary>
    public bool IsCancelled { get; set; }

    public ResponseStatus Response { get; set; }

    public string? JoinUrl { get; set; }

    public string? Provider { get; set; }

    /// <summary>The menu label, for example <c>09:00–09:30  Design review</c>.</summary>
    public string Label { get; set; } = string.Empty;
}

/// <summary>What a menu entry is drawn as.</summary>
public enum MenuEntryKind
{
    /// <summary>A clickable entry (when enabled and with a command) or plain information.</summary>
    Item = 0,

    /// <summary>A section title, drawn disabled.</summary>
    Header = 1,

    Separator = 2,
}

/// <summary>One entry of the tray menu; a tree through <see cref="Children"/> (a submenu).</summary>
public sealed class MenuEntry : IBridgeMessage
{
    public MenuEntryKind Kind { get; set; }

    /// <summary>Plain text: a Win32 drawer doubles any <c>&amp;</c> so that it is not taken for a mnemonic.</summary>
    public string Label { get; set; } = string.Empty;

    public bool Enabled { get; set; }

    /// <summary>The command id the tray performs when the entry is chosen; null for information.</summary>
    public string? Command { get; set; }

    /// <summary>The command's argument: the join link for <c>meeting.join</c>, the provider for sign-in and sign-out.</summary>
    public string? Argument { get; set; }

    public List<MenuEntry>? Children { get; set; }
}
