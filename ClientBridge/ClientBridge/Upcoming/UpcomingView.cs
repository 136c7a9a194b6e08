using System;
using System.Collections.Generic;
using ClientBridge.Protocol;

namespace ClientBridge.Upcoming;

/// <summary>
/// The calendar sorted into what the tray shows, for one instant: built by <see cref="UpcomingBuilder"/>, never
/// changed afterwards (a new one replaces it). Holds references to the store's items, not copies.
/// </summary>
public sealed class UpcomingView
{
    public static readonly UpcomingView Empty = new()
    {
        Now = DateTimeOffset.MinValue,
        ValidUntil = DateTimeOffset.MinValue,
        Zone = TimeZoneInfo.Utc,
    };

    /// <summary>The instant the view was built for.</summary>
    public required DateTimeOffset Now { get; init; }

    /// <summary>
    /// The first instant at which some meeting changes section (a start, an end, the next local midnight): the view
    /// is right until then and is rebuilt at that moment.
    /// </summary>
    public required DateTimeOffset ValidUntil { get; init; }

    public required TimeZoneInfo Zone { get; init; }

    /// <summary>Today's date in <see cref="Zone"/> at <see cref="Now"/>.</summary>
    public DateOnly Today { get; init; }

    public long Revision { get; init; }

    /// <summary>On now, overlapping ones included; sorted by start, then subject.</summary>
    public IReadOnlyList<CalendarItem> OnNow { get; init; } = [];

    /// <summary>The soonest start after now, on any day; several when they start at the same instant.</summary>
    public IReadOnlyList<CalendarItem> Next { get; init; } = [];

    public IReadOnlyList<CalendarItem> LaterToday { get; init; } = [];

    public IReadOnlyList<CalendarItem> Tomorrow { get; init; } = [];

    public IReadOnlyList<CalendarItem> AllDayToday { get; init; } = [];

    public IReadOnlyList<CalendarItem> AllDayTomorrow { get; init; } = [];

    /// <summary>Declined meetings that would have been shown: hidden, only counted.</summary>
    public int DeclinedHidden { get; init; }

    /// <summary>How many entries the sections hold (a multi-day all-day event counts in both of its days).</summary>
    public int ShownCount => OnNow.Count + Next.Count + LaterToday.Count + Tomorrow.Count + AllDayToday.Count + AllDayTomorrow.Count;
}
