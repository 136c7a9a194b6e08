using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using ClientBridge.Protocol;

namespace OutlookPlugin.Core.Rules;

/// <summary>The series-wide changes to send; every field null except those that changed.</summary>
public sealed class SeriesUpdate
{
    public string? Topic { get; set; }

    public DateTimeOffset? Start { get; set; }

    public int? DurationMinutes { get; set; }

    public string? TimeZoneId { get; set; }

    /// <summary>The new pattern, when it changed (null when the appointment stopped repeating: see <see cref="RecurrenceRemoved"/>).</summary>
    public Recurrence? Recurrence { get; set; }

    /// <summary>The series became a single appointment; the protocol has no field for that, so the caller decides.</summary>
    public bool RecurrenceRemoved { get; set; }
}

/// <summary>One occurrence of a series to move or cancel.</summary>
public sealed class OccurrenceAction
{
    /// <summary>The occurrence's original start, as the provider knows it.</summary>
    public DateTimeOffset OccurrenceStart { get; set; }

    public bool Cancel { get; set; }

    /// <summary>The new start (null when cancelled).</summary>
    public DateTimeOffset? Start { get; set; }

    public int? DurationMinutes { get; set; }
}

/// <summary>What to send to keep a meeting in step with its appointment.</summary>
public sealed class SyncPlan
{
    public SeriesUpdate? Series { get; set; }

    public List<OccurrenceAction> Occurrences { get; } = new();

    public bool IsEmpty => Series is null && Occurrences.Count == 0;
}

/// <summary>
/// Decides what keeping a tagged appointment in step with its meeting means, without Outlook and without the agent:
/// the add-in remembers what it last sent (<see cref="SyncedFields"/>), and only what differs from that is sent again,
/// so a save that changed nothing relevant sends nothing and an exception is passed on once.
/// </summary>
public static class SyncRules
{
    /// <summary>What the appointment is now, to be stored as the last synced state after a successful reply.</summary>
    public static SyncedFields Capture(AppointmentData appointment)
    {
        if (appointment is null)
        {
            throw new ArgumentNullException(nameof(appointment));
        }

        var fields = new SyncedFields
        {
            StartUtc = appointment.StartUtc,
            EndUtc = appointment.EndUtc,
            TimeZoneId = appointment.TimeZoneId,
            Subject = appointment.Subject ?? string.Empty,
            RecurrenceKey = RecurrenceKey(appointment.Recurrence),
        };
        foreach (ExceptionData e in appointment.Recurrence?.Exceptions ?? new List<ExceptionData>())
        {
            fields.Exceptions.Add(Copy(e));
        }

        return fields;
    }

    /// <summary>
    /// What a create sends: the series' pattern without its exceptions (a new meeting knows nothing of occurrences
    /// deleted or moved in Outlook before it was made), so that the next comparison sends those exceptions.
    /// </summary>
    public static SyncedFields CaptureCreated(AppointmentData appointment)
    {
        SyncedFields fields = Capture(appointment);
        fields.Exceptions.Clear();
        fields.Version = SyncedFields.MadeVersion;
        return fields;
    }

    /// <summary>
    /// What a meeting is known to be when its request's answer came only later (the add resumed after Outlook
    /// restarted, the appointment perhaps changed since): nothing. Every field differs from any appointment's, the
    /// pattern included, so the next comparison sends the appointment whole (a single as a series made single).
    /// </summary>
    public static SyncedFields Unknown() => new() { StartUtc = DateTime.MinValue, EndUtc = DateTime.MinValue, RecurrenceKey = "unknown", Version = SyncedFields.MadeVersion };

    /// <summary>
    /// What to send, given what was last sent. A changed pattern is one series update carrying the new recurrence and
    /// no occurrence actions (Outlook drops a series' exceptions when its pattern changes). Otherwise the series fields
    /// that changed, plus one action per exception that is new or different since last time, in order of original start.
    /// </summary>
    public static SyncPlan Compare(SyncedFields last, AppointmentData now)
    {
        if (last is null)
        {
            throw new ArgumentNullException(nameof(last));
        }

        if (now is null)
        {
            throw new ArgumentNullException(nameof(now));
        }

        var plan = new SyncPlan();
        var series = new SeriesUpdate();
        bool changed = false;

        if (!string.Equals(last.Subject ?? string.Empty, now.Subject ?? string.Empty, StringComparison.Ordinal))
        {
            series.Topic = now.Subject ?? string.Empty;
            changed = true;
        }

        if (now.StartUtc != last.StartUtc)
        {
            series.Start = Instant(now.StartUtc);
            changed = true;
        }

        int duration = Minutes(now.EndUtc - now.StartUtc);
        if (duration != Minutes(last.EndUtc - last.StartUtc))
        {
            series.DurationMinutes = duration;
            changed = true;
        }

        if (!string.Equals(Nonempty(last.TimeZoneId), Nonempty(now.TimeZoneId), StringComparison.Ordinal) && Nonempty(now.TimeZoneId) is { } zone)
        {
            series.TimeZoneId = zone;
            changed = true;
        }

        string key = RecurrenceKey(now.Recurrence);
        bool patternChanged = !string.Equals(key, last.RecurrenceKey ?? string.Empty, StringComparison.Ordinal);
        if (patternChanged)
        {
            series.Recurrence = ToProtocol(now.Recurrence);
            series.RecurrenceRemoved = series.Recurrence is null;
            if (series.RecurrenceRemoved)
            {
                // The single meeting the series becomes needs its time: a series without fixed times has none.
                series.Start ??= Instant(now.StartUtc);
                series.DurationMinutes ??= duration;
            }

            changed = true;
        }

        if (changed)
        {
            plan.Series = series;
        }

        if (now.Recurrence is null)
        {
            return plan;
        }

        if (patternChanged)
        {
            // The provider makes the series' occurrences anew from the new pattern, while Outlook keeps its deleted
            // occurrences by their dates (MS-OXOCAL 2.2.1.44.1, DeletedInstanceDates; FACTS §2.5): each is cancelled
            // again. Cancelling one the provider no longer has is a no-op there.
            foreach (ExceptionData e in now.Recurrence.Exceptions.Where(x => x is { Deleted: true }).OrderBy(x => x.OriginalStartUtc))
            {
                plan.Occurrences.Add(new OccurrenceAction { OccurrenceStart = Instant(e.OriginalStartUtc), Cancel = true });
            }

            return plan;
        }

        var previous = new Dictionary<DateTime, ExceptionData>();
        foreach (ExceptionData e in last.Exceptions ?? new List<ExceptionData>())
        {
            if (e is not null)
            {
                previous[e.OriginalStartUtc] = e;
            }
        }

        foreach (ExceptionData e in now.Recurrence.Exceptions.Where(x => x is not null).OrderBy(x => x.OriginalStartUtc))
        {
            if (previous.TryGetValue(e.OriginalStartUtc, out ExceptionData? before) && Same(before, e))
            {
                continue;
            }

            plan.Occurrences.Add(e.Deleted
                ? new OccurrenceAction { OccurrenceStart = Instant(e.OriginalStartUtc), Cancel = true }
                : new OccurrenceAction
                {
                    OccurrenceStart = Instant(e.OriginalStartUtc),
                    Start = Instant(e.StartUtc),
                    DurationMinutes = Minutes(e.EndUtc - e.StartUtc),
                });
        }

        return plan;
    }

    /// <summary>
    /// The update requests for <paramref name="plan"/>: the series update first, then the moved occurrences. Each
    /// request gets a fresh id: a failed send is retried by the next save with a new plan, never replayed.
    /// </summary>
    public static IEnumerable<UpdateMeetingRequest> Updates(SyncPlan plan, string meetingId, string provider)
    {
        if (plan is null)
        {
            throw new ArgumentNullException(nameof(plan));
        }

        var requests = new List<UpdateMeetingRequest>();
        if (plan.Series is { } series && (series.Topic is not null || series.Start is not null || series.DurationMinutes is not null
            || series.TimeZoneId is not null || series.Recurrence is not null || series.RecurrenceRemoved))
        {
            requests.Add(new UpdateMeetingRequest
            {
                RequestId = NewRequestId(),
                MeetingId = meetingId ?? string.Empty,
                Provider = provider ?? string.Empty,
                Topic = series.Topic,
                Start = series.Start,
                DurationMinutes = series.DurationMinutes,
                TimeZoneId = series.TimeZoneId,
                Recurrence = series.Recurrence,
                RecurrenceRemoved = series.RecurrenceRemoved,
            });
        }

        foreach (OccurrenceAction action in plan.Occurrences)
        {
            if (!action.Cancel)
            {
                requests.Add(new UpdateMeetingRequest
                {
                    RequestId = NewRequestId(),
                    MeetingId = meetingId ?? string.Empty,
                    Provider = provider ?? string.Empty,
                    OccurrenceStart = action.OccurrenceStart,
                    Start = action.Start,
                    DurationMinutes = action.DurationMinutes,
                });
            }
        }

        return requests;
    }

    /// <summary>The cancel requests for the deleted occurrences in <paramref name="plan"/>.</summary>
    public static IEnumerable<CancelMeetingRequest> Cancels(SyncPlan plan, string meetingId, string provider)
    {
        if (plan is null)
        {
            throw new ArgumentNullException(nameof(plan));
        }

        var requests = new List<CancelMeetingRequest>();
        foreach (OccurrenceAction action in plan.Occurrences)
        {
            if (action.Cancel)
            {
                requests.Add(new CancelMeetingRequest
                {
                    RequestId = NewRequestId(),
                    MeetingId = meetingId ?? string.Empty,
                    Provider = provider ?? string.Empty,
                    OccurrenceStart = action.OccurrenceStart,
                });
            }
        }

        return requests;
    }

    private static string NewRequestId() => Guid.NewGuid().ToString("N");

    /// <summary>
    /// The pattern in the protocol's terms (the agent's <c>RRule.Validate</c> rules): Outlook's daily pattern with
    /// weekdays set ("every weekday") becomes weekly on those days; a weekly pattern with no days repeats on the start's
    /// day; a missing day of month or month is taken from the pattern's start date. <see cref="Recurrence.Instance"/>
    /// keeps Outlook's meaning (1–4, 5 = last), which is the protocol's. A count of occurrences wins over an end date
    /// (Outlook fills both); no end is null/null. Null for no pattern or a pattern type Outlook does not have.
    /// </summary>
    public static Recurrence? ToProtocol(RecurrenceData? pattern)
    {
        if (pattern is null)
        {
            return null;
        }

        List<DayOfWeek> days = Days(pattern.DayOfWeekMask);
        DateTime startDate = pattern.PatternStartDate.Date;
        var recurrence = new Recurrence { Interval = Math.Max(1, pattern.Interval) };
        switch (pattern.RecurrenceType)
        {
            case 0 when days.Count > 0:
                recurrence.Pattern = "weekly";
                recurrence.DaysOfWeek = days;
                break;
            case 0:
                recurrence.Pattern = "daily";
                break;
            case 1:
                recurrence.Pattern = "weekly";
                recurrence.DaysOfWeek = days.Count > 0 ? days : new List<DayOfWeek> { startDate.DayOfWeek };
                break;
            case 2:
                recurrence.Pattern = "monthly";
                recurrence.DayOfMonth = DayOfMonth(pattern.DayOfMonth, startDate);
                break;
            case 3:
                recurrence.Pattern = "monthly_nth";
                recurrence.DaysOfWeek = days.Count > 0 ? days : new List<DayOfWeek> { startDate.DayOfWeek };
                recurrence.Instance = Instance(pattern.Instance);
                break;
            case 5:
                recurrence.Pattern = "yearly";
                recurrence.DayOfMonth = DayOfMonth(pattern.DayOfMonth, startDate);
                recurrence.MonthOfYear = Month(pattern.MonthOfYear, startDate);
                break;
            case 6:
                recurrence.Pattern = "yearly_nth";
                recurrence.DaysOfWeek = days.Count > 0 ? days : new List<DayOfWeek> { startDate.DayOfWeek };
                recurrence.Instance = Instance(pattern.Instance);
                recurrence.MonthOfYear = Month(pattern.MonthOfYear, startDate);
                break;
            default:
                return null;
        }

        if (!NoEnd(pattern))
        {
            if (pattern.Occurrences > 0)
            {
                recurrence.Occurrences = pattern.Occurrences;
            }
            else
            {
                recurrence.EndDate = DateTime.SpecifyKind(pattern.PatternEndDate.Date, DateTimeKind.Unspecified);
            }
        }

        return recurrence;
    }

    /// <summary>
    /// A canonical text of the pattern, with only the fields its type uses (Outlook leaves stale values in the
    /// others) and its end, so that two reads of the same pattern always compare equal. Empty for no pattern.
    /// </summary>
    public static string RecurrenceKey(RecurrenceData? pattern)
    {
        Recurrence? r = ToProtocol(pattern);
        if (r is null || pattern is null)
        {
            return string.Empty;
        }

        var sb = new StringBuilder();
        sb.Append(r.Pattern).Append(";interval=").Append(r.Interval.ToString(CultureInfo.InvariantCulture));
        if (r.DaysOfWeek.Count > 0)
        {
            sb.Append(";days=").Append(string.Join(",", r.DaysOfWeek.Select(d => ((int)d).ToString(CultureInfo.InvariantCulture))));
        }

        Append(sb, "day", r.DayOfMonth);
        Append(sb, "instance", r.Instance);
        Append(sb, "month", r.MonthOfYear);
        sb.Append(";from=").Append(pattern.PatternStartDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        if (r.Occurrences is { } count)
        {
            sb.Append(";count=").Append(count.ToString(CultureInfo.InvariantCulture));
        }
        else if (r.EndDate is { } end)
        {
            sb.Append(";until=").Append(end.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }
        else
        {
            sb.Append(";noend");
        }

        return sb.ToString();
    }

    private static void Append(StringBuilder sb, string name, int? value)
    {
        if (value is { } v)
        {
            sb.Append(';').Append(name).Append('=').Append(v.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Outlook marks "no end" with NoEndDate, and in some stores with an end date in year 4500.</summary>
    private static bool NoEnd(RecurrenceData pattern) =>
        pattern.NoEndDate || (pattern.Occurrences <= 0 && (pattern.PatternEndDate == default || pattern.PatternEndDate.Year >= 4500));

    /// <summary>OlDaysOfWeek: Sunday 1, Monday 2, … Saturday 64, which is 1 shifted by .NET's DayOfWeek.</summary>
    private static List<DayOfWeek> Days(int mask)
    {
        var days = new List<DayOfWeek>();
        for (int d = 0; d < 7; d++)
        {
            if ((mask & (1 << d)) != 0)
            {
                days.Add((DayOfWeek)d);
            }
        }

        return days;
    }

    private static int DayOfMonth(int day, DateTime startDate) => day is >= 1 and <= 31 ? day : Math.Max(1, startDate.Day);

    private static int Month(int month, DateTime startDate) => month is >= 1 and <= 12 ? month : Math.Max(1, startDate.Month);

    private static int Instance(int instance) => instance is >= 1 and <= 5 ? instance : 1;

    private static bool Same(ExceptionData a, ExceptionData b) =>
        a.Deleted == b.Deleted && (a.Deleted || (a.StartUtc == b.StartUtc && a.EndUtc == b.EndUtc));

    private static ExceptionData Copy(ExceptionData e) => new()
    {
        OriginalStartUtc = e.OriginalStartUtc,
        Deleted = e.Deleted,
        StartUtc = e.StartUtc,
        EndUtc = e.EndUtc,
    };

    private static int Minutes(TimeSpan span) => (int)Math.Round(span.TotalMinutes, MidpointRounding.AwayFromZero);

    private static string? Nonempty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static DateTimeOffset Instant(DateTime utc) =>
        new(utc.Kind == DateTimeKind.Local ? utc.ToUniversalTime() : DateTime.SpecifyKind(utc, DateTimeKind.Utc), TimeSpan.Zero);
}
