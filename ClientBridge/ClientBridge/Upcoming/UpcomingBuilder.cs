using System;
using System.Collections.Generic;
using ClientBridge.Protocol;

namespace ClientBridge.Upcoming;

/// <summary>
/// Sorts calendar items into now, next, later today, tomorrow and all day, for one instant and one time zone.
/// One pass over the items and a sort of the few that are shown: cheap enough to run after every calendar change.
/// </summary>
/// <remarks>
/// The rules:
/// <list type="bullet">
/// <item>A timed meeting is on <em>now</em> from its start up to (not including) its end; at its end it is gone.</item>
/// <item><em>Next</em> is the soonest start after now on any day; meetings starting at that same instant are all next.
/// A meeting shows in one section only, so the next ones are not repeated under later today or tomorrow.</item>
/// <item><em>Later today</em> and <em>tomorrow</em> go by the local date of the start, so a meeting spanning midnight is
/// today's (and on now until it ends after midnight).</item>
/// <item>An all-day event covers local dates, not instants: its first date is the local date of its start and its
/// last the day before the local date of its end, each rounded to the nearest midnight (an all-day event made
/// in a zone a few hours away, or whose day is 23 or 25 hours long at a DST change, still covers whole dates).
/// It is never now or next; it shows under all day today and all day tomorrow while it covers those dates.</item>
/// <item>Declined meetings are hidden (counted only): the user said no, and the tray should be quiet about them.</item>
/// <item>Cancelled meetings are shown and marked, never offered to join and never next.</item>
/// <item>Sorted by start, then subject (ignoring case), then id, so that equal meetings keep one order.</item>
/// </list>
/// </remarks>
public static class UpcomingBuilder
{
    private static readonly Comparison<CalendarItem> ByStartThenSubject = (a, b) =>
    {
        int order = a.Start.CompareTo(b.Start);
        if (order == 0)
        {
            order = StringComparer.OrdinalIgnoreCase.Compare(a.Subject, b.Subject);
        }

        return order != 0 ? order : string.CompareOrdinal(a.Id, b.Id);
    };

    public static UpcomingView Build(IReadOnlyList<CalendarItem> items, DateTimeOffset now, TimeZoneInfo zone, long revision = 0)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(zone);
        DateOnly today = LocalDate(now, zone);
        DateOnly tomorrow = today.AddDays(1);
        DateTimeOffset validUntil = LocalMidnight(tomorrow, zone);

        var onNow = new List<CalendarItem>();
        var next = new List<CalendarItem>();
        var laterToday = new List<CalendarItem>();
        var tomorrowList = new List<CalendarItem>();
        var allDayToday = new List<CalendarItem>();
        var allDayTomorrow = new List<CalendarItem>();
        int declined = 0;
        DateTimeOffset nextStart = DateTimeOffset.MaxValue;

        foreach (CalendarItem item in items)
        {
            if (item.IsAllDay)
            {
                (DateOnly first, DateOnly endExclusive) = AllDayDates(item, zone);
                if (endExclusive <= today || first > tomorrow)
                {
                    continue;
                }

                if (item.Response == ResponseStatus.Declined)
                {
                    declined++;
                    continue;
                }

                if (first <= today)
                {
                    allDayToday.Add(item);
                }

                if (endExclusive > tomorrow)
                {
                    allDayTomorrow.Add(item);
                }

                continue;
            }

            if (item.End <= now)
            {
                continue; // Ended (or a zero-length item whose moment has passed): gone.
            }

            if (item.Response == ResponseStatus.Declined)
            {
                declined++;
                continue;
            }

            if (item.Start <= now)
            {
                onNow.Add(item);
                if (item.End < validUntil)
                {
                    validUntil = item.End;
                }

                continue;
            }

            if (item.Start < validUntil)
            {
                validUntil = item.Start;
            }

            if (!item.IsCancelled && item.Start <= nextStart)
            {
                if (item.Start < nextStart)
                {
                    // The earlier next ones go back to their day's section.
                    foreach (CalendarItem earlier in next)
                    {
                        AddByDate(earlier);
                    }

                    next.Clear();
                    nextStart = item.Start;
                }

                next.Add(item);
                continue;
            }

            AddByDate(item);
        }

        onNow.Sort(ByStartThenSubject);
        next.Sort(ByStartThenSubject);
        laterToday.Sort(ByStartThenSubject);
        tomorrowList.Sort(ByStartThenSubject);
        allDayToday.Sort(ByStartThenSubject);
        allDayTomorrow.Sort(ByStartThenSubject);
        return new UpcomingView
        {
            Now = now,
            ValidUntil = validUntil,
            Zone = zone,
            Today = today,
            Revision = revision,
            OnNow = onNow,
            Next = next,
            LaterToday = laterToday,
            Tomorrow = tomorrowList,
            AllDayToday = allDayToday,
            AllDayTomorrow = allDayTomorrow,
            DeclinedHidden = declined,
        };

        void AddByDate(CalendarItem item)
        {
            DateOnly date = LocalDate(item.Start, zone);
            if (date == today)
            {
                laterToday.Add(item);
            }
            else if (date == tomorrow)
            {
                tomorrowList.Add(item);
            }
        }
    }

    /// <summary>The local dates an all-day event covers: first, and the day after the last.</summary>
    public static (DateOnly First, DateOnly EndExclusive) AllDayDates(CalendarItem item, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(zone);
        DateOnly first = NearestMidnight(item.Start, zone);
        DateOnly end = NearestMidnight(item.End, zone);
        return (first, end > first ? end : first.AddDays(1));
    }

    public static DateOnly LocalDate(DateTimeOffset instant, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);

    /// <summary>The instant a local date begins: its midnight, or the first valid moment after it where DST skips midnight.</summary>
    public static DateTimeOffset LocalMidnight(DateOnly date, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        DateTime local = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(15);
        }

        // An ambiguous midnight (a zone falling back at 00:00) begins the day at its first occurrence.
        TimeSpan offset = zone.IsAmbiguousTime(local) ? Max(zone.GetAmbiguousTimeOffsets(local)) : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset);
    }

    private static DateOnly NearestMidnight(DateTimeOffset instant, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime.AddHours(12));

    private static TimeSpan Max(TimeSpan[] offsets)
    {
        TimeSpan max = offsets[0];
        foreach (TimeSpan offset in offsets)
        {
            if (offset > max)
            {
                max = offset;
            }
        }

        return max;
    }
}
