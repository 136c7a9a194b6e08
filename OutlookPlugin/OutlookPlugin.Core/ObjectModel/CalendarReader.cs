using System;
using System.Collections.Generic;
using System.Globalization;
using System.Runtime.InteropServices;
using ClientBridge.Protocol.Links;
using OutlookPlugin.Core.Rules;

namespace OutlookPlugin.Core.ObjectModel;

/// <summary>One appointment or occurrence read from a calendar, with the id it travels under.</summary>
public sealed class CalendarEntry
{
    public CalendarEntry(string id, AppointmentData data)
    {
        Id = id;
        Data = data;
    }

    public string Id { get; }

    public AppointmentData Data { get; }
}

/// <summary>
/// Reads the appointments of a calendar folder that overlap a window. Single appointments come from one
/// <c>Folder.GetTable</c> with explicit columns (many times faster than walking Items, as CalDav Synchronizer found);
/// series come from Items sorted by Start with IncludeRecurrences, in the documented order (FACTS §2.2, §4.2),
/// because a Table holds only the master row of a series (FACTS §2.3). Each series' shared fields are read once.
/// </summary>
public sealed class CalendarReader
{
    private readonly CultureInfo _regional;
    private readonly bool _protectedReads;

    /// <param name="regional">Windows' regional settings, which Outlook parses filter dates with (FACTS §4.2).</param>
    /// <param name="protectedReads">
    /// False where Outlook does not trust the add-in (Application.IsTrusted, FACTS §7.3): no item is opened for its
    /// body, and a series' items are read without the Object Model Guard's members (organiser, attendees, body, named
    /// properties). The Table's columns, which the guard does not list, are still read.
    /// </param>
    public CalendarReader(CultureInfo regional, bool protectedReads = true)
    {
        _regional = regional;
        _protectedReads = protectedReads;
    }

    /// <summary>False where Outlook does not trust the add-in: no read of a protected member (FACTS §7.3).</summary>
    public bool ProtectedReads => _protectedReads;

    /// <summary>The id of a single appointment, or of one occurrence of a series (the series' EntryID plus its start).</summary>
    public static string IdOf(string entryId, int recurrenceState, DateTime startUtc) =>
        CalendarSanitizer.ItemId(entryId, recurrenceState is OutlookIds.RecurrenceOccurrence or OutlookIds.RecurrenceException ? startUtc : null);

    /// <param name="bodiesBeforeUtc">
    /// Bodies are read only for items starting before this (null: all): an item is opened for its body only when its
    /// join link is about to matter, not thousands of them on every refresh (issue 13, point 2).
    /// </param>
    public List<CalendarEntry> Read(OmObject folder, DateTime windowStartLocal, DateTime windowEndLocal, DateTime? bodiesBeforeUtc = null)
    {
        var entries = new List<CalendarEntry>();
        Drain(ReadInSteps(folder, windowStartLocal, windowEndLocal, bodiesBeforeUtc, entries));
        return entries;
    }

    /// <summary>
    /// The same read, one row or one item per step, into <paramref name="into"/>: the caller may stop between steps and
    /// give Outlook's thread back (issue 13, point 2: no single hold of it longer than 50 ms). The Table, the Items
    /// collection and the item being read stay held between steps, and are released when the steps end or are disposed.
    /// </summary>
    public IEnumerable<bool> ReadInSteps(OmObject folder, DateTime windowStartLocal, DateTime windowEndLocal, DateTime? bodiesBeforeUtc, List<CalendarEntry> into)
    {
        string window = JetFilter.Window(windowStartLocal, windowEndLocal, _regional);
        var bodies = new BodyPolicy(_protectedReads, bodiesBeforeUtc);
        foreach (bool step in ReadSingles(folder, window + " AND [IsRecurring] = False", into, bodies))
        {
            yield return step;
        }

        foreach (bool step in ReadOccurrences(folder, window + " AND [IsRecurring] = True", into, itemwise: false, bodies))
        {
            yield return step;
        }
    }

    /// <summary>
    /// One series' occurrences in the window: Items with IncludeRecurrences restricted to the window and the series'
    /// subject (Subject is no protected member; EntryID cannot be filtered on), then only those of its EntryID. An
    /// exception given another subject is not found here.
    /// </summary>
    public List<CalendarEntry> ReadSeries(OmObject folder, DateTime windowStartLocal, DateTime windowEndLocal, string subject, string entryId, DateTime? bodiesBeforeUtc)
    {
        string filter = JetFilter.Window(windowStartLocal, windowEndLocal, _regional) + " AND [IsRecurring] = True AND [Subject] = '" + subject.Replace("'", "''") + "'";
        var entries = new List<CalendarEntry>();
        Drain(ReadOccurrences(folder, filter, entries, itemwise: false, new BodyPolicy(_protectedReads, bodiesBeforeUtc)));
        return entries.FindAll(e => e.Data.EntryId == entryId);
    }

    /// <summary>The same read done the naive way, item by item through Items; kept as the benchmark's baseline.</summary>
    public List<CalendarEntry> ReadItemwise(OmObject folder, DateTime windowStartLocal, DateTime windowEndLocal, DateTime? bodiesBeforeUtc = null)
    {
        var entries = new List<CalendarEntry>();
        Drain(ReadOccurrences(folder, JetFilter.Window(windowStartLocal, windowEndLocal, _regional), entries, itemwise: true, new BodyPolicy(_protectedReads, bodiesBeforeUtc)));
        return entries;
    }

    /// <summary>A read done in one go: every step taken (and what it held released) before the caller goes on.</summary>
    private static void Drain(IEnumerable<bool> steps)
    {
        foreach (bool _ in steps)
        {
        }
    }

    /// <summary>Which bodies a read may open: none where Outlook does not trust the add-in, else those of items starting soon.</summary>
    private readonly struct BodyPolicy
    {
        public BodyPolicy(bool protectedReads, DateTime? beforeUtc)
        {
            ProtectedReads = protectedReads;
            BeforeUtc = beforeUtc;
        }

        public bool ProtectedReads { get; }

        public DateTime? BeforeUtc { get; }

        /// <summary>An item's body is known only when it starts before the horizon, however it could be had.</summary>
        public bool InTime(DateTime startUtc) => BeforeUtc is not { } before || startUtc < before;

        /// <summary>Whether to open the item (a protected read) for its body.</summary>
        public bool Wants(AppointmentData data) => ProtectedReads && InTime(data.StartUtc) && NeedsBody(data);
    }

    private static readonly string[] SingleColumns =
    {
        OutlookIds.Schema.LongTermEntryIdFromTable,
        "EntryID",
        "Subject",
        OutlookIds.Schema.StartUtc,
        OutlookIds.Schema.EndUtc,
        OutlookIds.Schema.AllDay,
        OutlookIds.Schema.Location,
        "Organizer",
        "RequiredAttendees",
        "OptionalAttendees",
        "Resources",
        "MeetingStatus",
        "ResponseStatus",
        BodyStart,
    };

    /// <summary>PidTagBody as a column: only its start (FACTS §2.3), but a short body comes whole, so the item need not be opened.</summary>
    private const string BodyStart = "http://schemas.microsoft.com/mapi/proptag/0x1000001F";

    /// <summary>Table strings are cut at 255 bytes (FACTS §2.3); a string shorter than that in UTF-16 was not cut.</summary>
    private const int CertainlyWholeChars = 126;

    /// <summary>A Table string of this length or more may have been cut (FACTS §2.3).</summary>
    public static bool MaybeCut(string? value) => value is not null && value.Length > CertainlyWholeChars;

    private static IEnumerable<bool> ReadSingles(OmObject folder, string filter, List<CalendarEntry> into, BodyPolicy bodies)
    {
        using OmObject? session = folder.GetObject("Session");

        // GetItemFromID wants the store for ids that come from MAPI (FACTS §2.1), as a Table's do.
        string? storeId = folder.Get("StoreID") as string;
        using OmObject table = folder.CallObject("GetTable", filter, Type.Missing) ?? throw new OutlookDataException("The calendar gave no table.");
        using (OmObject columns = table.GetObject("Columns") ?? throw new OutlookDataException("The table has no columns."))
        {
            columns.Call("RemoveAll");
            foreach (string column in SingleColumns)
            {
                using OmObject? added = columns.CallObject("Add", column);
            }

            foreach (string column in MeetingTags.TableColumns)
            {
                using OmObject? added = columns.CallObject("Add", column);
            }
        }

        // Filtering the folder is Outlook's work and can be long: the rows come in the next step.
        yield return true;
        foreach (object?[] v in TableRows.Read(table, SingleColumns.Length + MeetingTags.TableColumns.Count))
        {
            var data = new AppointmentData
            {
                EntryId = ItemAddress.EntryIdFromRow(v[0], v[1]),
                Subject = v[2] as string ?? string.Empty,
                StartUtc = v[3] is DateTime start ? start : default,
                EndUtc = v[4] is DateTime end ? end : default,
                IsAllDay = v[5] is bool allDay && allDay,
                Location = v[6] as string,
                Organizer = v[7] as string,
                MeetingStatus = v[11] is int status ? status : 0,
                ResponseStatus = v[12] is int response ? response : 0,
            };
            AppointmentReader.AddAttendees(data.Attendees, v[8] as string, 1);
            AppointmentReader.AddAttendees(data.Attendees, v[9] as string, 2);
            AppointmentReader.AddAttendees(data.Attendees, v[10] as string, OutlookIds.RecipientResource);
            int t = SingleColumns.Length;
            if (MeetingTags.Text(v[t]) is { } requestId)
            {
                data.Tag = new MeetingTag { RequestId = requestId, Provider = MeetingTags.Text(v[t + 1]) ?? string.Empty, MeetingId = MeetingTags.Text(v[t + 2]) ?? string.Empty, JoinUrl = MeetingTags.Text(v[t + 3]) };
            }

            if (data.EntryId.Length == 0)
            {
                continue;
            }

            CompleteFromItem(session, storeId, data, v[13] as string, bodies);
            into.Add(new CalendarEntry(data.EntryId, data));
            yield return true;
        }
    }

    private static IEnumerable<bool> ReadOccurrences(OmObject folder, string filter, List<CalendarEntry> into, bool itemwise, BodyPolicy bodies)
    {
        using OmObject items = folder.GetObject("Items") ?? throw new OutlookDataException("The calendar has no items.");
        items.Call("Sort", "[Start]", Type.Missing);
        items.Set("IncludeRecurrences", true);
        using OmObject restricted = items.CallObject("Restrict", filter) ?? throw new OutlookDataException("The calendar could not be filtered.");

        // Expanding the series into occurrences is Outlook's work and can be long: the walk starts in the next step.
        yield return true;

        // Count is undefined with IncludeRecurrences (FACTS §2.2): walk with GetFirst/GetNext on this one collection.
        var series = new Dictionary<string, AppointmentData>(StringComparer.Ordinal);
        OmObject? item = restricted.CallObject("GetFirst");
        while (item is not null)
        {
            using (item)
            {
                if (itemwise)
                {
                    AppointmentData data = AppointmentReader.Read(item, withBody: false, withPattern: false, withZone: false, bodies.ProtectedReads);
                    if (bodies.Wants(data))
                    {
                        data.Body = item.Get("Body") as string;
                    }

                    into.Add(new CalendarEntry(IdOf(data.EntryId, data.RecurrenceState, data.StartUtc), data));
                }
                else
                {
                    ReadOccurrence(item, series, into, bodies);
                }
            }

            yield return true;
            item = restricted.CallObject("GetNext");
        }
    }

    private static void ReadOccurrence(OmObject item, Dictionary<string, AppointmentData> series, List<CalendarEntry> into, BodyPolicy bodies)
    {
        int state = item.Get<int>("RecurrenceState");
        string entryId = item.GetString("EntryID");
        DateTime start = item.Get<DateTime>("StartUTC");
        DateTime end = item.Get<DateTime>("EndUTC");
        AppointmentData data;
        if (state == OutlookIds.RecurrenceException || !series.TryGetValue(entryId, out AppointmentData? shared))
        {
            // An exception may differ in anything; a plain occurrence shares all but its times with the series.
            data = AppointmentReader.Read(item, withBody: false, withPattern: false, withZone: false, bodies.ProtectedReads);
            if (bodies.Wants(data))
            {
                data.Body = item.Get("Body") as string;
            }

            if (state != OutlookIds.RecurrenceException)
            {
                series[entryId] = data;
            }
        }
        else
        {
            data = shared;
        }

        AppointmentData occurrence = data.StartUtc == start && data.EndUtc == end ? data : WithTimes(data, start, end);
        if (occurrence.Body is not null && !bodies.InTime(start))
        {
            // Beyond the horizon no item's body is known, whether or not its series' was read for an earlier occurrence.
            if (ReferenceEquals(occurrence, data))
            {
                occurrence = WithTimes(data, start, end);
                occurrence.RecurrenceState = data.RecurrenceState;
            }

            occurrence.Body = null;
        }
        into.Add(new CalendarEntry(IdOf(entryId, state, start), occurrence));
    }

    private static AppointmentData WithTimes(AppointmentData shared, DateTime start, DateTime end) => new()
    {
        EntryId = shared.EntryId,
        GlobalId = shared.GlobalId,
        Subject = shared.Subject,
        StartUtc = start,
        EndUtc = end,
        TimeZoneId = shared.TimeZoneId,
        IsAllDay = shared.IsAllDay,
        RecurrenceState = OutlookIds.RecurrenceOccurrence,
        Location = shared.Location,
        Body = shared.Body,
        Organizer = shared.Organizer,
        Attendees = shared.Attendees,
        MeetingStatus = shared.MeetingStatus,
        ResponseStatus = shared.ResponseStatus,
        Tag = shared.Tag,
    };

    /// <summary>The body is opened only when neither our tag nor the location already gives the join link.</summary>
    public static bool NeedsBody(AppointmentData data) =>
        string.IsNullOrEmpty(data.Tag?.JoinUrl) && MeetingLinks.FindBest(data.Location, null) is null;

    /// <summary>
    /// What a row cannot give, from the item itself, which is opened once at most. A Location or join link the Table may
    /// have cut would reach the tray as a link that leads nowhere, so they are read whole; where Outlook does not trust the
    /// add-in the tag (a protected read) is not read, and a join link that may be cut is dropped rather than sent. The body:
    /// the row's start when it is whole (a value that is no string, an error in the column, says nothing about the body),
    /// else the item's, when the policy wants it.
    /// </summary>
    private static void CompleteFromItem(OmObject? session, string? storeId, AppointmentData data, string? bodyStart, BodyPolicy bodies)
    {
        OmObject? item = null;
        bool readWhole = false;
        try
        {
            if (MaybeCut(data.Location) || MaybeCut(data.Tag?.JoinUrl))
            {
                item = Open(session, storeId, data.EntryId);
                if (item is not null)
                {
                    data.Location = item.Get("Location") as string;
                    if (data.Tag is not null && MaybeCut(data.Tag.JoinUrl))
                    {
                        data.Tag.JoinUrl = bodies.ProtectedReads ? MeetingTags.Read(item)?.JoinUrl : null;
                    }

                    readWhole = true;
                }
            }

            if (bodyStart is not null && NeedsBody(data) && bodies.InTime(data.StartUtc) && !MaybeCut(bodyStart))
            {
                data.Body = bodyStart;
            }
            else if (bodies.Wants(data))
            {
                item ??= Open(session, storeId, data.EntryId);
                data.Body = item?.Get("Body") as string;
            }
        }
        catch (COMException)
        {
            // Deleted between the table read and now: nothing that may be cut is sent, and it has no body to search.
            if (!readWhole && data.Tag is not null && MaybeCut(data.Tag.JoinUrl))
            {
                data.Tag.JoinUrl = null;
            }

            if (!readWhole && MaybeCut(data.Location))
            {
                data.Location = null;
            }
        }
        finally
        {
            item?.Dispose();
        }
    }

    private static OmObject? Open(OmObject? session, string? storeId, string entryId) =>
        session?.CallObject("GetItemFromID", entryId, string.IsNullOrEmpty(storeId) ? Type.Missing : storeId);
}
