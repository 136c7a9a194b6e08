using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json.Serialization;
using ClientBridge.Protocol;

namespace ClientBridge.Scheduling;

/// <summary>
/// The <c>recurrence</c> object of Zoom's create and update meeting requests, with the spec's field names. Only
/// sent with meeting type 8; fields that do not apply are null and left out of the JSON.
/// </summary>
public sealed class ZoomRecurrence
{
    public const int Daily = 1;
    public const int Weekly = 2;
    public const int Monthly = 3;

    /// <summary><see cref="Daily"/>, <see cref="Weekly"/> or <see cref="Monthly"/>.</summary>
    [JsonPropertyName("type")]
    public int Type { get; set; }

    /// <summary>Days, weeks or months between meetings; Zoom allows at most 90, 12 and 3.</summary>
    [JsonPropertyName("repeat_interval")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? RepeatInterval { get; set; }

    /// <summary>Weekly only: comma-separated days, 1 = Sunday to 7 = Saturday, for example <c>"2,5"</c>.</summary>
    [JsonPropertyName("weekly_days")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? WeeklyDays { get; set; }

    /// <summary>Monthly by date: the day of the month, 1 to 31.</summary>
    [JsonPropertyName("monthly_day")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? MonthlyDay { get; set; }

    /// <summary>Monthly by weekday: 1 to 4 for the first to fourth week, -1 for the last.</summary>
    [JsonPropertyName("monthly_week")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? MonthlyWeek { get; set; }

    /// <summary>Monthly by weekday: the day, 1 = Sunday to 7 = Saturday.</summary>
    [JsonPropertyName("monthly_week_day")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? MonthlyWeekDay { get; set; }

    /// <summary>How many meetings, 1 to 50 (Zoom's documented limit); never together with <see cref="EndDateTime"/>.</summary>
    [JsonPropertyName("end_times")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? EndTimes { get; set; }

    /// <summary>The series' end as UTC text <c>yyyy-MM-ddTHH:mm:ssZ</c>; a string so the exact format is under our control.</summary>
    [JsonPropertyName("end_date_time")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? EndDateTime { get; set; }
}

/// <summary>How a series goes to Zoom: a meeting type, and the recurrence for type 8 or a note for the user for type 3.</summary>
public sealed class ZoomRecurrencePlan
{
    /// <summary>Zoom's meeting type for a recurring meeting with fixed times.</summary>
    public const int RecurringFixedTime = 8;

    /// <summary>Zoom's meeting type for a recurring meeting with no fixed time: one join link for the whole series.</summary>
    public const int RecurringNoFixedTime = 3;

    public int MeetingType { get; init; }

    /// <summary>Set for <see cref="RecurringFixedTime"/>, null for <see cref="RecurringNoFixedTime"/>.</summary>
    public ZoomRecurrence? Recurrence { get; init; }

    /// <summary>For <see cref="RecurringNoFixedTime"/>: a sentence telling the user why the series has one link without fixed times.</summary>
    public string? Note { get; init; }
}

/// <summary>Turns the protocol's <see cref="Recurrence"/> (Outlook's pattern) into what Zoom can hold.</summary>
public static class ZoomRecurrenceMapper
{
    /// <summary>Zoom's documented limit on <c>end_times</c> (its schema says 365, its documentation 50).</summary>
    public const int MaxEndTimes = 50;

    private const int MaxDailyInterval = 90;
    private const int MaxWeeklyInterval = 12;
    private const int MaxMonthlyInterval = 3;

    private const string LinkWithoutTimes = "so the series got one Zoom link that works for every meeting, without fixed meeting times in Zoom.";

    /// <summary>
    /// Maps <paramref name="recurrence"/> for a series whose first meeting starts at <paramref name="firstStart"/> in
    /// <paramref name="zone"/>. Zoom keeps fixed times (type 8) only for daily, weekly and monthly series within its
    /// interval limits that end; everything else becomes type 3 with a <see cref="ZoomRecurrencePlan.Note"/>.
    /// </summary>
    /// <exception cref="BridgeException">With <see cref="ErrorCodes.BadRequest"/> for a recurrence that is not valid.</exception>
    public static ZoomRecurrencePlan Map(Recurrence recurrence, DateTimeOffset firstStart, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        RRule.Validate(recurrence);
        DateTime startDate = TimeZoneInfo.ConvertTime(firstStart, zone).Date;
        if (recurrence.EndDate is { } end && end.Date < startDate)
        {
            throw new BridgeException(
                ErrorCodes.BadRequest,
                $"The series ends on {end:yyyy-MM-dd}, before its first meeting on {startDate:yyyy-MM-dd}.");
        }

        var days = (recurrence.DaysOfWeek ?? []).Distinct().Order().ToList(); // null when a body says so
        switch (recurrence.Pattern)
        {
            case "yearly" or "yearly_nth":
                return NoFixedTime("Zoom has no yearly recurrence, " + LinkWithoutTimes);
            case "monthly_nth" when days.Count > 1:
                return NoFixedTime("Zoom repeats a monthly meeting on one weekday only, not on a choice of days such as the last weekday of the month, " + LinkWithoutTimes);
            case "daily" when recurrence.Interval > MaxDailyInterval:
                return NoFixedTime($"Zoom repeats a daily meeting at most every {MaxDailyInterval} days, not every {recurrence.Interval}, " + LinkWithoutTimes);
            case "weekly" when recurrence.Interval > MaxWeeklyInterval:
                return NoFixedTime($"Zoom repeats a weekly meeting at most every {MaxWeeklyInterval} weeks, not every {recurrence.Interval}, " + LinkWithoutTimes);
            case "monthly" or "monthly_nth" when recurrence.Interval > MaxMonthlyInterval:
                return NoFixedTime($"Zoom repeats a monthly meeting at most every {MaxMonthlyInterval} months, not every {recurrence.Interval}, " + LinkWithoutTimes);
        }

        if (recurrence.EndDate is null && recurrence.Occurrences is null)
        {
            return NoFixedTime("Zoom needs an end date or a number of meetings for a series with fixed times and this series has no end, " + LinkWithoutTimes);
        }

        var zoom = new ZoomRecurrence { RepeatInterval = recurrence.Interval };
        switch (recurrence.Pattern)
        {
            case "daily":
                zoom.Type = ZoomRecurrence.Daily;
                break;
            case "weekly":
                zoom.Type = ZoomRecurrence.Weekly;
                zoom.WeeklyDays = string.Join(',', days.Select(ZoomDay));
                break;
            case "monthly":
                zoom.Type = ZoomRecurrence.Monthly;
                zoom.MonthlyDay = recurrence.DayOfMonth;
                break;
            default: // monthly_nth with one day
                zoom.Type = ZoomRecurrence.Monthly;
                zoom.MonthlyWeek = recurrence.Instance == 5 ? -1 : recurrence.Instance;
                zoom.MonthlyWeekDay = ZoomDay(days[0]);
                break;
        }

        DateTime? lastDate = recurrence.EndDate?.Date;
        if (recurrence.Occurrences is { } count)
        {
            if (count <= MaxEndTimes)
            {
                zoom.EndTimes = count;
                return new ZoomRecurrencePlan { MeetingType = ZoomRecurrencePlan.RecurringFixedTime, Recurrence = zoom };
            }

            lastDate = LastOccurrenceDate(recurrence, days, startDate, count);
            if (lastDate is null)
            {
                return NoFixedTime($"Zoom counts at most {MaxEndTimes} meetings in a series and the date of this series' last meeting could not be worked out exactly, " + LinkWithoutTimes);
            }
        }

        DateTime endUtc;
        try
        {
            endUtc = EndOfDayUtc(lastDate!.Value, zone);
        }
        catch (ArgumentOutOfRangeException ex)
        {
            // Only the calendar's last day gets here: its end in UTC does not exist as a DateTime.
            throw new BridgeException(ErrorCodes.BadRequest, $"The series end date {lastDate:yyyy-MM-dd} is too far in the future to schedule.", ex);
        }

        zoom.EndDateTime = endUtc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return new ZoomRecurrencePlan { MeetingType = ZoomRecurrencePlan.RecurringFixedTime, Recurrence = zoom };
    }

    /// <summary>
    /// The convention for <c>end_date_time</c>: the last second (23:59:59) of the series' last day in the
    /// appointment's zone, converted to UTC. Every meeting on that day starts before it, so it is kept, and nothing
    /// on the next day is; a meeting's time of day never matters. Where 23:59:59 falls in a daylight saving gap the
    /// last second before the gap is used; where it occurs twice, the later one.
    /// </summary>
    internal static DateTime EndOfDayUtc(DateTime date, TimeZoneInfo zone)
    {
        DateTime local = DateTime.SpecifyKind(date.Date.AddDays(1).AddSeconds(-1), DateTimeKind.Unspecified);
        for (int i = 0; i < 24 * 60 && zone.IsInvalidTime(local); i++)
        {
            local = local.AddMinutes(-1);
        }

        TimeSpan offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Min() : zone.GetUtcOffset(local);
        return DateTime.SpecifyKind(local - offset, DateTimeKind.Utc);
    }

    /// <summary>
    /// The local date of the last of <paramref name="count"/> meetings, counted as Outlook does from the first date on
    /// or after <paramref name="startDate"/> that fits the pattern; null where the answer depends on something the
    /// protocol does not carry (the week's first day for several days every few weeks) or where Outlook and
    /// RFC 5545 disagree (days 29 to 31, which Outlook moves to a short month's last day and RFC 5545 skips).
    /// </summary>
    private static DateTime? LastOccurrenceDate(Recurrence recurrence, List<DayOfWeek> days, DateTime startDate, int count)
    {
        int interval = recurrence.Interval;
        try
        {
            switch (recurrence.Pattern)
            {
                case "daily":
                    return startDate.AddDays((double)interval * (count - 1));

                case "weekly" when interval == 1:
                    DateTime day = startDate;
                    for (int seen = days.Contains(day.DayOfWeek) ? 1 : 0; seen < count;)
                    {
                        day = day.AddDays(1);
                        seen += days.Contains(day.DayOfWeek) ? 1 : 0;
                    }

                    return day;

                case "weekly" when days.Count == 1:
                    DateTime first = startDate.AddDays(((int)days[0] - (int)startDate.DayOfWeek + 7) % 7);
                    return first.AddDays(7.0 * interval * (count - 1));

                case "monthly" when recurrence.DayOfMonth <= 28:
                    int dayOfMonth = recurrence.DayOfMonth.Value;
                    DateTime month = new(startDate.Year, startDate.Month, 1);
                    month = startDate.Day > dayOfMonth ? month.AddMonths(1) : month;
                    return month.AddMonths(interval * (count - 1)).AddDays(dayOfMonth - 1);

                case "monthly_nth":
                    DateTime firstMonth = new(startDate.Year, startDate.Month, 1);
                    if (NthWeekday(firstMonth, recurrence.Instance!.Value, days[0]) < startDate)
                    {
                        firstMonth = firstMonth.AddMonths(1);
                    }

                    return NthWeekday(firstMonth.AddMonths(interval * (count - 1)), recurrence.Instance.Value, days[0]);

                default:
                    return null;
            }
        }
        catch (ArgumentOutOfRangeException)
        {
            return null; // Past year 9999: no exact date to give Zoom.
        }
    }

    /// <summary>The <paramref name="instance"/>th (1–4, 5 = last) <paramref name="day"/> of the month that starts at <paramref name="month"/>.</summary>
    private static DateTime NthWeekday(DateTime month, int instance, DayOfWeek day)
    {
        if (instance == 5)
        {
            DateTime last = month.AddMonths(1).AddDays(-1);
            return last.AddDays(-(((int)last.DayOfWeek - (int)day + 7) % 7));
        }

        DateTime first = month.AddDays(((int)day - (int)month.DayOfWeek + 7) % 7);
        return first.AddDays(7 * (instance - 1));
    }

    private static int ZoomDay(DayOfWeek day) => (int)day + 1; // Zoom counts 1 = Sunday; .NET 0 = Sunday.

    private static ZoomRecurrencePlan NoFixedTime(string note) =>
        new() { MeetingType = ZoomRecurrencePlan.RecurringNoFixedTime, Note = note };
}
