using System;
using System.Collections.Generic;

namespace OutlookPlugin.Core.Rules;

/// <summary>
/// One appointment (or one occurrence of a series) as the object-model layer read it, in plain data, so that every
/// rule about it can be decided and tested without Outlook. Times are UTC instants; Outlook's local wall clocks
/// never leave the object-model layer.
/// </summary>
public sealed class AppointmentData
{
    /// <summary>Empty until Outlook first saves the item.</summary>
    public string EntryId { get; set; } = string.Empty;

    /// <summary>GlobalAppointmentID: the same for a series and its occurrences, and for every attendee's copy.</summary>
    public string? GlobalId { get; set; }

    public string Subject { get; set; } = string.Empty;

    public DateTime StartUtc { get; set; }

    public DateTime EndUtc { get; set; }

    /// <summary>The start time zone's Windows id (TimeZone.ID), for example <c>W. Europe Standard Time</c>.</summary>
    public string? TimeZoneId { get; set; }

    public bool IsAllDay { get; set; }

    /// <summary>OlRecurrenceState: 0 single, 1 master, 2 occurrence, 3 exception.</summary>
    public int RecurrenceState { get; set; }

    /// <summary>The series pattern, for a master (or read through an occurrence's parent).</summary>
    public RecurrenceData? Recurrence { get; set; }

    public string? Location { get; set; }

    /// <summary>The plain-text body. Read only to find a join link and our own block; never sent anywhere.</summary>
    public string? Body { get; set; }

    /// <summary>The organizer's display name.</summary>
    public string? Organizer { get; set; }

    public List<AttendeeData> Attendees { get; set; } = new();

    /// <summary>OlMeetingStatus: 0 not a meeting, 1 organised here, 3 received, 5 cancelled, 7 received and cancelled.</summary>
    public int MeetingStatus { get; set; }

    /// <summary>OlResponseStatus.</summary>
    public int ResponseStatus { get; set; }

    /// <summary>What this product wrote on the item, if anything.</summary>
    public MeetingTag? Tag { get; set; }
}

/// <summary>One recipient of an appointment, as Outlook's Recipient reports it.</summary>
public sealed class AttendeeData
{
    public string Name { get; set; } = string.Empty;

    /// <summary>The address; never leaves the add-in.</summary>
    public string? Address { get; set; }

    /// <summary>OlMeetingRecipientType: 0 organizer, 1 required, 2 optional, 3 resource.</summary>
    public int Type { get; set; }

    /// <summary>A room or equipment mailbox (PidTagDisplayTypeEx), which Outlook may list as a required attendee.</summary>
    public bool IsRoom { get; set; }
}

/// <summary>A series pattern in Outlook's own terms (RecurrencePattern), with its exceptions.</summary>
public sealed class RecurrenceData
{
    /// <summary>OlRecurrenceType: 0 daily, 1 weekly, 2 monthly, 3 month-nth, 5 yearly, 6 year-nth.</summary>
    public int RecurrenceType { get; set; }

    public int Interval { get; set; } = 1;

    /// <summary>OlDaysOfWeek bit flags: Sunday 1 … Saturday 64.</summary>
    public int DayOfWeekMask { get; set; }

    public int DayOfMonth { get; set; }

    /// <summary>1–5 (5 = last) for month-nth and year-nth.</summary>
    public int Instance { get; set; }

    public int MonthOfYear { get; set; }

    /// <summary>The local date the pattern starts on.</summary>
    public DateTime PatternStartDate { get; set; }

    /// <summary>The local date of the last occurrence; ignored when <see cref="NoEndDate"/>.</summary>
    public DateTime PatternEndDate { get; set; }

    public bool NoEndDate { get; set; }

    /// <summary>The occurrence count when the series ends after a number of occurrences; 0 otherwise.</summary>
    public int Occurrences { get; set; }

    /// <summary>Moved and deleted occurrences.</summary>
    public List<ExceptionData> Exceptions { get; set; } = new();
}

/// <summary>One changed occurrence of a series.</summary>
public sealed class ExceptionData
{
    /// <summary>Where the occurrence was before it changed (UTC).</summary>
    public DateTime OriginalStartUtc { get; set; }

    public bool Deleted { get; set; }

    /// <summary>Where it is now (UTC); unset when deleted.</summary>
    public DateTime StartUtc { get; set; }

    public DateTime EndUtc { get; set; }
}

/// <summary>
/// What the add-in stores on an item it gave a meeting (named MAPI properties in the add-in's own namespace):
/// enough to retry safely, to know what the meeting was last synced to, and to tell the item from its copies.
/// </summary>
public sealed class MeetingTag
{
    /// <summary>Chosen once when the user adds the meeting; every retry reuses it, so the agent makes at most one meeting.</summary>
    public string RequestId { get; set; } = string.Empty;

    public string Provider { get; set; } = string.Empty;

    /// <summary>Empty while the agent has not answered yet (the request may still be in flight or lost).</summary>
    public string MeetingId { get; set; } = string.Empty;

    public string? JoinUrl { get; set; }

    /// <summary>The EntryID of the item the meeting was made for; a copy has another EntryID and so never owns the meeting.</summary>
    public string OwnerEntryId { get; set; } = string.Empty;

    /// <summary>The StoreID of that item's store, which opening it by EntryID needs (FACTS §2.1); empty on tags written before it was kept.</summary>
    public string OwnerStoreId { get; set; } = string.Empty;

    /// <summary>
    /// Set to <see cref="MeetingId"/> when this add-in cancelled the meeting because the item was deleted: restored to a
    /// calendar, the item then gets a new meeting instead of keeping a link to a cancelled one.
    /// </summary>
    public string CancelledMeetingId { get; set; } = string.Empty;

    /// <summary>
    /// The Outlook (<see cref="Addin.AddinSettings.MachineId"/>) that sends this meeting's updates. Another Outlook on the same
    /// mailbox sees every save by sync: it leaves them to the home, unless the home has not sent one for a while, and
    /// then it takes over. One update per change, and one Outlook saving the tag, so no conflicting saves. Empty on
    /// tags written before it was kept: any Outlook sends.
    /// </summary>
    public string Home { get; set; } = string.Empty;

    /// <summary>The calendar owner's address when scheduled by a delegate. Never logged.</summary>
    public string? ScheduleFor { get; set; }

    /// <summary>What the meeting was last synced to; null until the first successful reply.</summary>
    public SyncedFields? Synced { get; set; }
}

/// <summary>The meeting-relevant fields as last sent to the provider.</summary>
public sealed class SyncedFields
{
    public DateTime StartUtc { get; set; }

    public DateTime EndUtc { get; set; }

    public string? TimeZoneId { get; set; }

    public string Subject { get; set; } = string.Empty;

    /// <summary>A canonical text form of the pattern (empty for a single appointment), compared as a whole.</summary>
    public string RecurrenceKey { get; set; } = string.Empty;

    /// <summary>The exceptions already passed on, so that only new ones are sent.</summary>
    public List<ExceptionData> Exceptions { get; set; } = new();

    /// <summary>
    /// Which sync of the meeting this is: 1 when it was made, one more at each update the tag records (0 in tags written
    /// before versions). A copy keeps the version its original had when it was copied, so one that is older than the
    /// meeting's last recorded sync was copied before it, whatever its EntryID says.
    /// </summary>
    public int Version { get; set; }

    /// <summary>The <see cref="Version"/> of what a meeting was made with, the first record its tag gets.</summary>
    public const int MadeVersion = 1;
}
