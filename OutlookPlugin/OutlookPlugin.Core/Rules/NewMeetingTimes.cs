using System;

namespace OutlookPlugin.Core.Rules;

/// <summary>
/// When "New video meeting" puts the new appointment, from what the calendar view has selected (FACTS §2.1:
/// CalendarView.SelectedStartTime and SelectedEndTime), in the wall-clock time of Outlook's zone.
/// </summary>
public static class NewMeetingTimes
{
    /// <summary>The year Outlook's calendar view answers for "nothing selected": 1 January 4501 (FACTS §10).</summary>
    public const int NoSelectionYear = 4501;

    /// <summary>How long a new meeting is when the selection does not say: Outlook's own default.</summary>
    public static readonly TimeSpan DefaultLength = TimeSpan.FromMinutes(30);

    /// <summary>Where a meeting on a whole day the user picked starts, when that day is not today.</summary>
    public static readonly TimeSpan WholeDayStart = TimeSpan.FromHours(9);

    /// <summary>
    /// The new meeting's start and end. No view, or nothing selected (the 4501 date): the next half hour from
    /// <paramref name="now"/>. A selection of whole days (the month view, the all-day band): half an hour on its first
    /// day, at the next half hour if that day is today, else at 9:00, because a video meeting needs a time to be joined,
    /// and an all-day or 24-hour meeting is never what a click on a day means. Any other selection is kept as it is,
    /// with the default length if it has none.
    /// </summary>
    public static (DateTime Start, DateTime End) For(DateTime? selectedStart, DateTime? selectedEnd, DateTime now)
    {
        if (selectedStart is not { } start || start.Year >= NoSelectionYear || start == default)
        {
            DateTime next = NextHalfHour(now);
            return (next, next + DefaultLength);
        }

        DateTime end = selectedEnd is { } e && e.Year < NoSelectionYear && e > start ? e : start + DefaultLength;
        if (start.TimeOfDay == TimeSpan.Zero && end.TimeOfDay == TimeSpan.Zero && end - start >= TimeSpan.FromDays(1))
        {
            DateTime at = start.Date == now.Date ? NextHalfHour(now) : start.Date + WholeDayStart;
            return (at, at + DefaultLength);
        }

        return (start, end);
    }

    /// <summary>The first :00 or :30 after <paramref name="now"/> (the seconds dropped, so 10:00:20 gives 10:30).</summary>
    public static DateTime NextHalfHour(DateTime now)
    {
        DateTime minute = new DateTime(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, now.Kind);
        int past = minute.Minute % 30;
        return minute.AddMinutes(30 - past);
    }
}
