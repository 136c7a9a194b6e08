using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using OutlookPlugin.Core.Rules;

namespace OutlookPlugin.Core.ObjectModel;

/// <summary>Reads one appointment item into <see cref="AppointmentData"/>, member by member.</summary>
public static class AppointmentReader
{
    /// <summary>
    /// Reads what the rules need. <paramref name="withPattern"/> also reads a master's recurrence pattern and its
    /// exceptions (releasing each, FACTS §2.4: a held master returns stale copies).
    /// </summary>
    /// <param name="withZone">Reads the start zone (two more calls); the calendar feed leaves it out because a Table cannot give it.</param>
    public static AppointmentData Read(OmObject item, bool withBody, bool withPattern, bool withZone = true)
    {
        var data = new AppointmentData
        {
            EntryId = item.GetString("EntryID"),
            // Empty is no id (an item never saved may have none yet, FACTS §10): two such are not one appointment.
            GlobalId = MeetingTags.Text(item.Get("GlobalAppointmentID")),
            Subject = item.GetString("Subject"),
            StartUtc = item.Get<DateTime>("StartUTC"),
            EndUtc = item.Get<DateTime>("EndUTC"),
            IsAllDay = item.Get<bool>("AllDayEvent"),
            RecurrenceState = item.Get<int>("RecurrenceState"),
            Location = item.Get("Location") as string,
            Organizer = item.Get("Organizer") as string,
            MeetingStatus = item.Get<int>("MeetingStatus"),
            ResponseStatus = item.Get<int>("ResponseStatus"),
        };
        data.TimeZoneId = withZone ? ReadZoneId(item) : null;
        AddAttendees(data.Attendees, item.Get("RequiredAttendees") as string, 1);
        AddAttendees(data.Attendees, item.Get("OptionalAttendees") as string, 2);
        AddAttendees(data.Attendees, item.Get("Resources") as string, OutlookIds.RecipientResource);
        if (withBody)
        {
            data.Body = item.Get("Body") as string;
        }

        data.Tag = MeetingTags.Read(item);
        if (withPattern && data.RecurrenceState == OutlookIds.RecurrenceMaster)
        {
            data.Recurrence = ReadPattern(item);
        }

        return data;
    }

    /// <summary>Splits Outlook's semicolon-joined display names (RequiredAttendees and the like) into attendees.</summary>
    public static void AddAttendees(List<AttendeeData> into, string? names, int type)
    {
        if (string.IsNullOrEmpty(names))
        {
            return;
        }

        foreach (string part in names!.Split(';'))
        {
            string name = part.Trim();
            if (name.Length > 0)
            {
                into.Add(new AttendeeData { Name = name, Type = type, IsRoom = type == OutlookIds.RecipientResource });
            }
        }
    }

    public static string? ReadZoneId(OmObject item)
    {
        try
        {
            using OmObject? zone = item.GetObject("StartTimeZone");
            return zone?.Get("ID") as string;
        }
        catch (COMException)
        {
            return null;
        }
    }

    public static RecurrenceData ReadPattern(OmObject master)
    {
        using OmObject pattern = master.CallObject("GetRecurrencePattern") ?? throw new OutlookDataException("A series without a pattern.");
        var data = new RecurrenceData
        {
            RecurrenceType = pattern.Get<int>("RecurrenceType"),
            Interval = pattern.Get<int>("Interval"),
            DayOfWeekMask = pattern.Get<int>("DayOfWeekMask"),
            DayOfMonth = pattern.Get<int>("DayOfMonth"),
            Instance = pattern.Get<int>("Instance"),
            MonthOfYear = pattern.Get<int>("MonthOfYear"),
            PatternStartDate = pattern.Get<DateTime>("PatternStartDate"),
            PatternEndDate = pattern.Get<DateTime>("PatternEndDate"),
            NoEndDate = pattern.Get<bool>("NoEndDate"),
            Occurrences = pattern.Get<int>("Occurrences"),
        };
        if (data.NoEndDate)
        {
            data.Occurrences = 0;
        }

        DateTime startTime = pattern.Get<DateTime>("StartTime");
        using OmObject? exceptions = pattern.GetObject("Exceptions");
        using OmObject? accessor = master.GetObject("PropertyAccessor");
        int count = exceptions?.Get<int>("Count") ?? 0;
        for (int i = 1; i <= count; i++)
        {
            using OmObject? exception = exceptions!.CallObject("Item", i);
            if (exception is null)
            {
                continue;
            }

            // A deleted occurrence keeps only its date (FACTS §2.5); its time is the pattern's start time.
            DateTime original = exception.Get<DateTime>("OriginalDate");
            bool deleted = exception.Get<bool>("Deleted");
            DateTime originalLocal = original.Date + startTime.TimeOfDay;
            var entry = new ExceptionData
            {
                Deleted = deleted,
                OriginalStartUtc = accessor is null ? originalLocal : accessor.Call<DateTime>("LocalTimeToUTC", originalLocal),
            };
            if (!deleted)
            {
                using OmObject? occurrence = exception.GetObject("AppointmentItem");
                if (occurrence is not null)
                {
                    entry.StartUtc = occurrence.Get<DateTime>("StartUTC");
                    entry.EndUtc = occurrence.Get<DateTime>("EndUTC");
                }
            }

            data.Exceptions.Add(entry);
        }

        return data;
    }
}
