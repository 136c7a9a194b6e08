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
    /// <param name="protectedMembers">
    /// False where Outlook does not trust the add-in: the Object Model Guard's members (Organizer, the attendees, Body,
    /// PropertyAccessor, FACTS §7.3) are left unread, as each read would prompt the user or fail.
    /// </param>
    public static AppointmentData Read(OmObject item, bool withBody, bool withPattern, bool withZone = true, bool protectedMembers = true)
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
            MeetingStatus = item.Get<int>("MeetingStatus"),
            ResponseStatus = item.Get<int>("ResponseStatus"),
        };
        data.TimeZoneId = withZone ? ReadZoneId(item) : null;
        if (!protectedMembers)
        {
            return data;
        }

        data.Organizer = item.Get("Organizer") as string;
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
        using var seriesTime = new SeriesTime(master);
        int count = exceptions?.Get<int>("Count") ?? 0;
        for (int i = 1; i <= count; i++)
        {
            using OmObject? exception = exceptions!.CallObject("Item", i);
            if (exception is null)
            {
                continue;
            }

            DateTime original = exception.Get<DateTime>("OriginalDate");
            bool deleted = exception.Get<bool>("Deleted");

            // A deleted occurrence keeps only its date, the day in the series' zone (FACTS §2.5, MS-OXCICAL EXDATE);
            // its time is the pattern's start time, in that zone too. A changed one keeps its local start.
            DateTime originalLocal = deleted ? seriesTime.ToLocal(original.Date + startTime.TimeOfDay) : original;
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

    /// <summary>
    /// Turns a wall time in a series' own zone into the machine's local time with Outlook's own conversion
    /// (TimeZones.ConvertTime, FACTS §2.6), reading the zones only when first asked and only when they differ.
    /// </summary>
    private sealed class SeriesTime : IDisposable
    {
        private readonly OmObject _master;
        private OmObject? _zones;
        private OmObject? _series;
        private OmObject? _local;
        private bool _read;

        public SeriesTime(OmObject master) => _master = master;

        public DateTime ToLocal(DateTime seriesWall)
        {
            if (!_read)
            {
                _read = true;
                Read();
            }

            return _series is null || _local is null ? seriesWall : _zones!.Call<DateTime>("ConvertTime", seriesWall, _series.Target, _local.Target);
        }

        public void Dispose()
        {
            _local?.Dispose();
            _series?.Dispose();
            _zones?.Dispose();
        }

        private void Read()
        {
            _series = _master.GetObject("StartTimeZone");
            using OmObject? application = _master.GetObject("Application");
            _zones = application?.GetObject("TimeZones");
            _local = _zones?.GetObject("CurrentTimeZone");
            if (_series is not null && _local is not null && Equals(_series.Get("ID"), _local.Get("ID")))
            {
                // The series is in the machine's zone: its wall times are already local.
                _series.Dispose();
                _series = null;
            }
        }
    }
}
