using System;
using System.Collections.Generic;
using MessagePack;

namespace ClientBridge.Protocol;

/// <summary>
/// Marks every type that travels on the pipe. The agent's log redaction renders such values by type name
/// only, so a message logged by mistake shows no subject, body, address or token.
/// </summary>
public interface IBridgeMessage
{
}

/// <summary>The error half of a response: a stable code and a sentence for people.</summary>
[MessagePackObject]
public sealed class BridgeError : IBridgeMessage
{
    [Key(0)]
    public string Code { get; set; } = ErrorCodes.Internal;

    [Key(1)]
    public string Message { get; set; } = string.Empty;
}

/// <summary>A request or reply with nothing to say beyond its kind.</summary>
[MessagePackObject]
public sealed class Empty : IBridgeMessage
{
    public static readonly Empty Instance = new();
}

/// <summary>The first request on every connection. Keys 0 and 1 never move: every version reads them to agree on a protocol.</summary>
[MessagePackObject]
public sealed class Hello : IBridgeMessage
{
    [Key(0)]
    public int ProtocolVersion { get; set; } = BridgeProtocol.Version;

    [Key(1)]
    public int MinProtocolVersion { get; set; } = BridgeProtocol.MinSupportedVersion;

    /// <summary>What is connecting: <c>OutlookPlugin</c>, <c>ClientBridge-cli</c>, a test.</summary>
    [Key(2)]
    public string ClientName { get; set; } = string.Empty;

    [Key(3)]
    public string ClientVersion { get; set; } = string.Empty;

    /// <summary>Optional features the client understands, so that the agent can adapt to older add-ins.</summary>
    [Key(4)]
    public List<string> Capabilities { get; set; } = new();
}

/// <summary>The agent's answer to <see cref="Hello"/>.</summary>
[MessagePackObject]
public sealed class Welcome : IBridgeMessage
{
    /// <summary>The version both sides will speak: the highest both support.</summary>
    [Key(0)]
    public int ProtocolVersion { get; set; }

    [Key(1)]
    public string AgentVersion { get; set; } = string.Empty;

    /// <summary>Message kinds this agent can handle, and optional features.</summary>
    [Key(2)]
    public List<string> Capabilities { get; set; } = new();

    /// <summary>Unique per connection while the agent runs; lets the client tell a restarted agent apart.</summary>
    [Key(3)]
    public long SessionId { get; set; }

    [Key(4)]
    public int AgentProcessId { get; set; }

    /// <summary>
    /// How many days ahead the add-in reads the calendar for this agent (its settings, or a policy that locks them);
    /// 0 from an agent that does not say, and the add-in then uses its own default.
    /// </summary>
    [Key(5)]
    public int CalendarDaysAhead { get; set; }
}

[MessagePackObject]
public sealed class Ping : IBridgeMessage
{
    [Key(0)]
    public string? Data { get; set; }
}

[MessagePackObject]
public sealed class StatusReply : IBridgeMessage
{
    [Key(0)]
    public string AgentVersion { get; set; } = string.Empty;

    [Key(1)]
    public int ProtocolVersion { get; set; }

    [Key(2)]
    public int ProcessId { get; set; }

    [Key(3)]
    public DateTimeOffset StartedAt { get; set; }

    [Key(4)]
    public double UptimeSeconds { get; set; }

    /// <summary>The pipe name (Windows) or socket path (elsewhere) the agent serves.</summary>
    [Key(5)]
    public string Endpoint { get; set; } = string.Empty;

    /// <summary>How the endpoint is protected: the pipe's security descriptor (SDDL) on Windows, the socket folder's mode elsewhere.</summary>
    [Key(6)]
    public string EndpointProtection { get; set; } = string.Empty;

    [Key(7)]
    public int ConnectedClients { get; set; }

    /// <summary>Names of the connected clients (the add-in, the command line), not their users' data.</summary>
    [Key(8)]
    public List<string> ClientNames { get; set; } = new();

    /// <summary>Items held from the last calendar snapshot and deltas.</summary>
    [Key(9)]
    public int CalendarItems { get; set; }

    [Key(10)]
    public DateTimeOffset? CalendarUpdatedAt { get; set; }

    [Key(11)]
    public List<ProviderState> Providers { get; set; } = new();

    /// <summary>Sentences about something a connected client cannot do, for an administrator (no user data).</summary>
    [Key(12)]
    public List<string> Warnings { get; set; } = new();
}

[MessagePackObject]
public sealed class SubscribeRequest : IBridgeMessage
{
    /// <summary>Event kinds to receive (for example <c>calendar.changed</c>); replaces any earlier subscription.</summary>
    [Key(0)]
    public List<string> Kinds { get; set; } = new();
}

[MessagePackObject]
public sealed class SubscribeReply : IBridgeMessage
{
    /// <summary>The kinds now subscribed: those asked for that this agent publishes.</summary>
    [Key(0)]
    public List<string> Kinds { get; set; } = new();
}

/// <summary>An appointment as the add-in reads it from the user's calendar. Held in the agent's memory only.</summary>
[MessagePackObject]
public sealed class CalendarItem : IBridgeMessage
{
    /// <summary>The appointment's stable identity (GlobalAppointmentID for meetings, else EntryID), plus the occurrence start for recurrences.</summary>
    [Key(0)]
    public string Id { get; set; } = string.Empty;

    [Key(1)]
    public string Subject { get; set; } = string.Empty;

    /// <summary>Start and end as instants; never a bare wall clock, so that no zone shifts them twice.</summary>
    [Key(2)]
    public DateTimeOffset Start { get; set; }

    [Key(3)]
    public DateTimeOffset End { get; set; }

    /// <summary>The appointment's Windows time zone id (for example <c>W. Europe Standard Time</c>), as Outlook names it.</summary>
    [Key(4)]
    public string? TimeZoneId { get; set; }

    [Key(5)]
    public bool IsAllDay { get; set; }

    [Key(6)]
    public bool IsRecurring { get; set; }

    [Key(7)]
    public bool IsCancelled { get; set; }

    [Key(8)]
    public string? Location { get; set; }

    /// <summary>The organizer's display name (never an address).</summary>
    [Key(9)]
    public string? Organizer { get; set; }

    /// <summary>How many people were invited, the organizer and rooms not counted.</summary>
    [Key(10)]
    public int AttendeeCount { get; set; }

    /// <summary>Display names of the invited people (never addresses), at most <see cref="MaxAttendeeNames"/>.</summary>
    [Key(11)]
    public List<string> Attendees { get; set; } = new();

    /// <summary>Display names of the rooms and other resources booked.</summary>
    [Key(12)]
    public List<string> Rooms { get; set; } = new();

    /// <summary>The user's own answer to the invitation; <see cref="ResponseStatus.Declined"/> meetings stay quiet.</summary>
    [Key(13)]
    public ResponseStatus Response { get; set; }

    /// <summary>The join link: the meeting this product made, else one found in the location or body. The body itself never crosses.</summary>
    [Key(14)]
    public string? JoinUrl { get; set; }

    /// <summary>The provider's meeting id when this item carries a meeting this product scheduled.</summary>
    [Key(15)]
    public string? MeetingId { get; set; }

    [Key(16)]
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
[MessagePackObject]
public sealed class MeetingOptions : IBridgeMessage
{
    [Key(0)]
    public bool? WaitingRoom { get; set; }

    [Key(1)]
    public bool? RequirePasscode { get; set; }

    /// <summary>
    /// E-mail addresses of alternative hosts (Zoom). Null leaves the hosts as they are (on a new meeting: the user's
    /// default hosts); an empty list asks for none, so an update with one removes every alternative host. Never logged.
    /// </summary>
    [Key(2)]
    public List<string>? AlternativeHosts { get; set; }
}

/// <summary>The whole calendar window; replaces what the agent held.</summary>
[MessagePackObject]
public sealed class CalendarSnapshot : IBridgeMessage
{
    [Key(0)]
    public DateTimeOffset WindowStart { get; set; }

    [Key(1)]
    public DateTimeOffset WindowEnd { get; set; }

    [Key(2)]
    public List<CalendarItem> Items { get; set; } = new();
}

/// <summary>Changes since the last snapshot or delta.</summary>
[MessagePackObject]
public sealed class CalendarDelta : IBridgeMessage
{
    [Key(0)]
    public List<CalendarItem> Upserted { get; set; } = new();

    [Key(1)]
    public List<string> RemovedIds { get; set; } = new();
}

[MessagePackObject]
public sealed class CalendarAck : IBridgeMessage
{
    /// <summary>Items held after the snapshot or delta was applied.</summary>
    [Key(0)]
    public int ItemCount { get; set; }

    /// <summary>Increases with every change, so a client can tell whether it missed one.</summary>
    [Key(1)]
    public long Revision { get; set; }
}

/// <summary>Sent to subscribers of <c>calendar.changed</c>; the items themselves stay in the agent.</summary>
[MessagePackObject]
public sealed class CalendarChanged : IBridgeMessage
{
    [Key(0)]
    public int ItemCount { get; set; }

    [Key(1)]
    public long Revision { get; set; }
}

/// <summary>How a recurring appointment repeats, as the add-in reads it from Outlook's RecurrencePattern.</summary>
[MessagePackObject]
public sealed class Recurrence : IBridgeMessage
{
    /// <summary><c>daily</c>, <c>weekly</c>, <c>monthly</c>, <c>monthly_nth</c>, <c>yearly</c>, <c>yearly_nth</c>.</summary>
    [Key(0)]
    public string Pattern { get; set; } = "weekly";

    [Key(1)]
    public int Interval { get; set; } = 1;

    /// <summary>Days of the week for weekly and nth patterns, as .NET's <see cref="DayOfWeek"/> names.</summary>
    [Key(2)]
    public List<DayOfWeek> DaysOfWeek { get; set; } = new();

    [Key(3)]
    public int? DayOfMonth { get; set; }

    /// <summary>1–4 for first–fourth, 5 for last.</summary>
    [Key(4)]
    public int? Instance { get; set; }

    [Key(5)]
    public int? MonthOfYear { get; set; }

    /// <summary>The last day of the series in the appointment's zone, or null with <see cref="Occurrences"/> or for no end.</summary>
    [Key(6)]
    public DateTime? EndDate { get; set; }

    [Key(7)]
    public int? Occurrences { get; set; }
}

/// <summary>Asks the agent to create a meeting for an appointment.</summary>
[MessagePackObject]
public sealed class ScheduleMeetingRequest : IBridgeMessage
{
    /// <summary>Chosen by the add-in once per user action and reused on every retry; the agent creates at most one meeting per id.</summary>
    [Key(0)]
    public string RequestId { get; set; } = string.Empty;

    [Key(1)]
    public string AppointmentId { get; set; } = string.Empty;

    /// <summary><c>jitsi</c> (the default, no account) or <c>zoom</c>; empty for the user's default.</summary>
    [Key(2)]
    public string? Provider { get; set; }

    [Key(3)]
    public string Topic { get; set; } = string.Empty;

    [Key(4)]
    public DateTimeOffset Start { get; set; }

    [Key(5)]
    public int DurationMinutes { get; set; }

    /// <summary>The appointment's Windows time zone id (an IANA id from the command line); the agent maps it to one the provider accepts.</summary>
    [Key(6)]
    public string? TimeZoneId { get; set; }

    [Key(7)]
    public Recurrence? Recurrence { get; set; }

    /// <summary>The calendar owner a delegate schedules for (an e-mail address); empty for the user's own meetings. Never logged.</summary>
    [Key(8)]
    public string? ScheduleFor { get; set; }

    [Key(9)]
    public MeetingOptions? Options { get; set; }
}

/// <summary>Asks the agent to move, retime or re-recur a meeting it created.</summary>
[MessagePackObject]
public sealed class UpdateMeetingRequest : IBridgeMessage
{
    [Key(0)]
    public string RequestId { get; set; } = string.Empty;

    [Key(1)]
    public string MeetingId { get; set; } = string.Empty;

    [Key(2)]
    public string Provider { get; set; } = string.Empty;

    [Key(3)]
    public string? Topic { get; set; }

    [Key(4)]
    public DateTimeOffset? Start { get; set; }

    [Key(5)]
    public int? DurationMinutes { get; set; }

    [Key(6)]
    public string? TimeZoneId { get; set; }

    [Key(7)]
    public Recurrence? Recurrence { get; set; }

    /// <summary>
    /// The series became a single meeting at <see cref="Start"/> (the user turned the Outlook series back into one
    /// appointment). <see cref="Recurrence"/> must then be null: a request with both is refused as a bad request.
    /// </summary>
    [Key(8)]
    public bool RecurrenceRemoved { get; set; }

    /// <summary>The original start of the one occurrence of a series to change (as Outlook knows it); null for the whole series.</summary>
    [Key(9)]
    public DateTimeOffset? OccurrenceStart { get; set; }

    [Key(10)]
    public MeetingOptions? Options { get; set; }
}

[MessagePackObject]
public sealed class CancelMeetingRequest : IBridgeMessage
{
    [Key(0)]
    public string RequestId { get; set; } = string.Empty;

    [Key(1)]
    public string MeetingId { get; set; } = string.Empty;

    [Key(2)]
    public string Provider { get; set; } = string.Empty;

    /// <summary>The original start of the one occurrence of a series to delete; null for the whole meeting.</summary>
    [Key(3)]
    public DateTimeOffset? OccurrenceStart { get; set; }
}

/// <summary>A meeting as the provider made it; the add-in writes it into the appointment.</summary>
[MessagePackObject]
public sealed class MeetingReply : IBridgeMessage
{
    [Key(0)]
    public string MeetingId { get; set; } = string.Empty;

    [Key(1)]
    public string Provider { get; set; } = string.Empty;

    [Key(2)]
    public string JoinUrl { get; set; } = string.Empty;

    /// <summary>Meeting passcode where the provider has one. Never logged.</summary>
    [Key(3)]
    public string? Passcode { get; set; }

    /// <summary>Provider time zone the meeting was created in (for example <c>Europe/Berlin</c>).</summary>
    [Key(4)]
    public string? TimeZone { get; set; }

    [Key(5)]
    public bool Cancelled { get; set; }

    /// <summary>The text to put in the appointment's body: how to join, in the provider's words.</summary>
    [Key(6)]
    public string? InvitationText { get; set; }

    /// <summary>Phone numbers for joining by phone, where the provider has them.</summary>
    [Key(7)]
    public List<string> DialIn { get; set; } = new();

    /// <summary>
    /// Something the user should know about how the meeting was made, for example that a yearly series was
    /// scheduled as one link without fixed times because the provider has no yearly recurrence.
    /// </summary>
    [Key(8)]
    public string? Note { get; set; }

    /// <summary>
    /// A cancellation the provider could not take now (unreachable, failing, the user signed out): the agent has it in
    /// its journal and makes it as soon as the provider answers, whether Outlook is open or not. The caller may forget it.
    /// </summary>
    [Key(9)]
    public bool Queued { get; set; }
}

/// <summary>Sent to subscribers of <c>meeting.changed</c> when a meeting is created, moved or cancelled.</summary>
[MessagePackObject]
public sealed class MeetingChanged : IBridgeMessage
{
    [Key(0)]
    public string MeetingId { get; set; } = string.Empty;

    [Key(1)]
    public string Provider { get; set; } = string.Empty;

    /// <summary><c>created</c>, <c>updated</c> or <c>cancelled</c>.</summary>
    [Key(2)]
    public string Change { get; set; } = string.Empty;
}

[MessagePackObject]
public sealed class ProviderState : IBridgeMessage
{
    [Key(0)]
    public string Provider { get; set; } = string.Empty;

    /// <summary><c>not_required</c> (Jitsi), <c>signed_out</c>, <c>signed_in</c>, <c>expired</c>, <c>disabled_by_policy</c>.</summary>
    [Key(1)]
    public string State { get; set; } = string.Empty;

    /// <summary>A display name for the signed-in account; never a token.</summary>
    [Key(2)]
    public string? Account { get; set; }

    [Key(3)]
    public bool IsDefault { get; set; }
}

/// <summary>Reply to <c>signin.state</c> and body of <c>signin.changed</c>.</summary>
[MessagePackObject]
public sealed class SignInState : IBridgeMessage
{
    [Key(0)]
    public List<ProviderState> Providers { get; set; } = new();
}

/// <summary>Asks the agent to sign in to, or out of, a provider.</summary>
[MessagePackObject]
public sealed class SignInRequest : IBridgeMessage
{
    [Key(0)]
    public string Provider { get; set; } = string.Empty;
}

[MessagePackObject]
public sealed class OpenSettingsRequest : IBridgeMessage
{
    /// <summary>The page to open, for example <c>accounts</c>; empty for the first page.</summary>
    [Key(0)]
    public string? Page { get; set; }
}

/// <summary>The answer to <c>agent.stop</c>, sent before the agent stops.</summary>
[MessagePackObject]
public sealed class StopReply : IBridgeMessage
{
    /// <summary>The agent's process, so that the caller can wait until it has gone (and its files are free), not only its pipe.</summary>
    [Key(0)]
    public int ProcessId { get; set; }
}

/// <summary>Asks for the upcoming meetings and the tray menu built from them (<c>upcoming.get</c>).</summary>
[MessagePackObject]
public sealed class UpcomingRequest : IBridgeMessage
{
    /// <summary>Leave the menu out and send the meetings only.</summary>
    [Key(0)]
    public bool MeetingsOnly { get; set; }
}

/// <summary>
/// What the tray shows, as data: the meetings by section and the menu tree built from them. The Windows tray only
/// draws <see cref="Menu"/>; the command line prints it. Labels are in the agent's local time zone.
/// </summary>
[MessagePackObject]
public sealed class UpcomingReply : IBridgeMessage
{
    /// <summary>The instant the model was built for.</summary>
    [Key(0)]
    public DateTimeOffset Now { get; set; }

    /// <summary>The time zone the labels are in (the agent's local zone).</summary>
    [Key(1)]
    public string TimeZone { get; set; } = string.Empty;

    /// <summary>The calendar revision the model was built from (0: nothing received from Outlook yet).</summary>
    [Key(2)]
    public long CalendarRevision { get; set; }

    /// <summary>The default provider and who is signed in to it, as the menu's first line shows it.</summary>
    [Key(3)]
    public string StatusLine { get; set; } = string.Empty;

    /// <summary>The notification icon's tooltip: at most 127 characters, the shell's limit.</summary>
    [Key(4)]
    public string Tooltip { get; set; } = string.Empty;

    /// <summary>Declined meetings left out of every section.</summary>
    [Key(5)]
    public int DeclinedHidden { get; set; }

    /// <summary>Every meeting shown, sorted by section, then start, then subject.</summary>
    [Key(6)]
    public List<UpcomingMeeting> Meetings { get; set; } = new();

    /// <summary>The menu, top to bottom; empty when <see cref="UpcomingRequest.MeetingsOnly"/> was asked.</summary>
    [Key(7)]
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
[MessagePackObject]
public sealed class UpcomingMeeting : IBridgeMessage
{
    [Key(0)]
    public string Id { get; set; } = string.Empty;

    [Key(1)]
    public UpcomingSection Section { get; set; }

    [Key(2)]
    public string Subject { get; set; } = string.Empty;

    [Key(3)]
    public DateTimeOffset Start { get; set; }

    [Key(4)]
    public DateTimeOffset End { get; set; }

    [Key(5)]
    public bool IsAllDay { get; set; }

    /// <summary>Shown, marked as cancelled, never offered to join and never "next".</summary>
    [Key(6)]
    public bool IsCancelled { get; set; }

    [Key(7)]
    public ResponseStatus Response { get; set; }

    [Key(8)]
    public string? JoinUrl { get; set; }

    [Key(9)]
    public string? Provider { get; set; }

    /// <summary>The menu label, for example <c>09:00–09:30  Design review</c>.</summary>
    [Key(10)]
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
[MessagePackObject]
public sealed class MenuEntry : IBridgeMessage
{
    [Key(0)]
    public MenuEntryKind Kind { get; set; }

    /// <summary>Plain text: a Win32 drawer doubles any <c>&amp;</c> so that it is not taken for a mnemonic.</summary>
    [Key(1)]
    public string Label { get; set; } = string.Empty;

    [Key(2)]
    public bool Enabled { get; set; }

    /// <summary>The command id the tray performs when the entry is chosen; null for information.</summary>
    [Key(3)]
    public string? Command { get; set; }

    /// <summary>The command's argument: the join link for <c>meeting.join</c>, the provider for sign-in and sign-out.</summary>
    [Key(4)]
    public string? Argument { get; set; }

    [Key(5)]
    public List<MenuEntry>? Children { get; set; }
}
