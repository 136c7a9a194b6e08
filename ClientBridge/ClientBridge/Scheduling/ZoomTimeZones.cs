using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security;
using TimeZoneConverter;

namespace ClientBridge.Scheduling;

/// <summary>How the zone sent to Zoom relates to the appointment's own zone; for logs and tests.</summary>
public enum ZoomZoneMatch
{
    /// <summary>Zoom accepts the appointment's zone itself, or an IANA alias (link) of it.</summary>
    SameZone,

    /// <summary>A different accepted zone whose UTC offsets equal the appointment zone's over the whole series (or the coming year).</summary>
    SameOffsets,

    /// <summary>Single meeting only: no accepted zone agrees over the year, but one has the same offset at the start.</summary>
    SameOffsetAtStart,

    /// <summary>No accepted zone agrees (or the zone is unknown): the start is sent in GMT and the zone as UTC.</summary>
    Utc,
}

/// <summary>
/// What to put in a Zoom meeting's <c>start_time</c> and <c>timezone</c> fields.
/// </summary>
/// <param name="StartTime">
/// Exactly the <c>start_time</c> string: <c>yyyy-MM-ddTHH:mm:ss</c> (wall clock in <paramref name="TimeZone"/>),
/// or <c>yyyy-MM-ddTHH:mm:ssZ</c> (GMT) when <paramref name="SentAsUtc"/>.
/// </param>
/// <param name="TimeZone">The <c>timezone</c> field: always an id from Zoom's accepted list.</param>
/// <param name="SourceZone">The IANA id the appointment's zone resolved to; null when the id was missing or unknown.</param>
/// <param name="SentAsUtc">
/// True when <paramref name="StartTime"/> ends in Z: no accepted zone fits, the zone was unknown, or the wall clock is
/// ambiguous (the repeated hour when clocks go back), where only GMT says which of the two hours is meant.
/// </param>
/// <param name="Match">How <paramref name="TimeZone"/> was chosen.</param>
public sealed record ZoomTime(string StartTime, string TimeZone, string? SourceZone, bool SentAsUtc, ZoomZoneMatch Match);

/// <summary>
/// Maps an appointment's start and zone (a Windows id from Outlook, or an IANA id) to Zoom's fields, without ICU:
/// the agent runs with invariant globalization (and under Wine), so every lookup goes through TimeZoneConverter's own
/// data rather than the platform's id conversion.
/// </summary>
/// <remarks>
/// Zoom reads <c>start_time</c> either as GMT (with Z) or as a wall clock in <c>timezone</c>. Sending a UTC wall clock
/// with a zone shifts the meeting by the zone's offset, so the wall clock is always computed in the zone actually sent.
/// Zoom accepts only a fixed list of zones; one that is not on it is sent as a listed zone whose offsets agree over the
/// series, so that recurrences and later updates land on the same instants, or failing that in GMT.
/// </remarks>
public static class ZoomTimeZones
{
    private const string ResourceName = "ClientBridge.Scheduling.zoom-timezones.tsv";
    private const string StartTimeFormat = "yyyy'-'MM'-'dd'T'HH':'mm':'ss";

    // Longer series gain nothing from checking further, and this bounds the work for absurd end dates.
    private const int MaxWindowYears = 10;

    private static readonly Lazy<ZoneList> s_zones = new(LoadZones);

    /// <summary>Every id in Zoom's accepted list, in the list's order (including ids this machine cannot resolve).</summary>
    internal static IReadOnlyList<string> AcceptedIds => s_zones.Value.AllIds;

    /// <summary>The accepted id used when sending GMT: "UTC" when listed, else a listed zone fixed at UTC+0.</summary>
    internal static string UtcZoneId => s_zones.Value.UtcId;

    /// <summary>
    /// Converts a meeting start to Zoom's <c>start_time</c> and <c>timezone</c>. Never throws for a bad or unknown
    /// zone id: that start is sent in GMT and <see cref="ZoomTime.SourceZone"/> is null so the caller can log it.
    /// </summary>
    /// <param name="start">The instant the meeting starts; Zoom keeps whole seconds, so any fraction is dropped.</param>
    /// <param name="timeZoneId">The appointment's Windows zone id (as Outlook names it) or an IANA id.</param>
    /// <param name="seriesEnd">
    /// For a recurring meeting, the start of its last occurrence (or a date a year or more ahead for an endless one);
    /// null for a single meeting, which is checked over the coming year so that a later move keeps the same zone.
    /// </param>
    public static ZoomTime ToZoom(DateTimeOffset start, string? timeZoneId, DateTimeOffset? seriesEnd = null)
    {
        var from = new DateTimeOffset(start.UtcTicks - (start.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        ZoneList zones = s_zones.Value;

        Source? source = ResolveSource(timeZoneId);
        if (source is null)
        {
            return Utc(from, zones.UtcId, null);
        }

        // Far outside any calendar, offsets could push local times past DateTime's range; GMT is always exact.
        if (from.Year <= 1 || from.Year >= 9990)
        {
            return Utc(from, zones.UtcId, source.Iana);
        }

        DateTimeOffset to = WindowEnd(from, seriesEnd);
        var sourcePoints = new List<DateTimeOffset> { from };
        sourcePoints.AddRange(Transitions(source.Zone, from, to));

        AcceptedZone[] ranked = Rank(zones.Resolvable, source);
        foreach (AcceptedZone candidate in ranked)
        {
            if (AgreesOver(source.Zone, sourcePoints, candidate.Zone, from, to))
            {
                bool same = string.Equals(candidate.Canonical, source.Canonical, StringComparison.Ordinal);
                return InZone(from, candidate, source.Iana, same ? ZoomZoneMatch.SameZone : ZoomZoneMatch.SameOffsets);
            }
        }

        if (seriesEnd is null)
        {
            // A single meeting is right in any zone with the same offset at that instant; a later update maps again.
            TimeSpan offset = source.Zone.GetUtcOffset(from);
            AcceptedZone? atStart = ranked.FirstOrDefault(z => z.Zone.GetUtcOffset(from) == offset);
            if (atStart is not null)
            {
                return InZone(from, atStart, source.Iana, ZoomZoneMatch.SameOffsetAtStart);
            }
        }

        return Utc(from, zones.UtcId, source.Iana);
    }

    private static ZoomTime InZone(DateTimeOffset from, AcceptedZone zone, string sourceIana, ZoomZoneMatch match)
    {
        DateTime wall = TimeZoneInfo.ConvertTime(from, zone.Zone).DateTime;

        // In the hour that repeats when clocks go back, the wall clock names two instants and Zoom would pick one;
        // GMT names exactly one. The zone still goes along so Zoom shows and repeats the meeting in local time.
        // The round trip guards against any other way the zone could read the wall clock differently.
        if (zone.Zone.IsAmbiguousTime(wall) || TimeZoneInfo.ConvertTimeToUtc(wall, zone.Zone) != from.UtcDateTime)
        {
            return new ZoomTime(FormatUtc(from), zone.Id, sourceIana, true, match);
        }

        return new ZoomTime(wall.ToString(StartTimeFormat, CultureInfo.InvariantCulture), zone.Id, sourceIana, false, match);
    }

    private static ZoomTime Utc(DateTimeOffset from, string utcId, string? sourceIana) =>
        new(FormatUtc(from), utcId, sourceIana, true, ZoomZoneMatch.Utc);

    private static string FormatUtc(DateTimeOffset from) =>
        from.UtcDateTime.ToString(StartTimeFormat, CultureInfo.InvariantCulture) + "Z";

    private static DateTimeOffset WindowEnd(DateTimeOffset from, DateTimeOffset? seriesEnd)
    {
        DateTimeOffset limit = from.Year < 9990 - MaxWindowYears ? from.AddYears(MaxWindowYears) : from;
        DateTimeOffset end = seriesEnd ?? (from.Year < 9989 ? from.AddYears(1) : from);
        if (end < from)
        {
            return from;
        }

        return end > limit ? limit : end;
    }

    /// <summary>
    /// Same-zone candidates first (the given id, then its IANA name, canonical name, plain UTC), then zones Windows
    /// groups with it, then the rest; current names before legacy links, then list order.
    /// </summary>
    private static AcceptedZone[] Rank(IReadOnlyList<AcceptedZone> zones, Source source) =>
        zones
            .Select((zone, index) => (zone, index))
            .OrderBy(x => Rank(x.zone, source))
            .ThenBy(x => x.index)
            .Select(x => x.zone)
            .ToArray();

    private static int Rank(AcceptedZone zone, Source source)
    {
        if (string.Equals(zone.Canonical, source.Canonical, StringComparison.Ordinal))
        {
            if (string.Equals(zone.Id, source.GivenId, StringComparison.OrdinalIgnoreCase))
            {
                return 0;
            }

            if (string.Equals(zone.Id, source.Iana, StringComparison.Ordinal))
            {
                return 1;
            }

            if (string.Equals(zone.Id, source.Canonical, StringComparison.Ordinal))
            {
                return 2;
            }

            return string.Equals(zone.Id, "UTC", StringComparison.Ordinal) ? 3 : 4;
        }

        // Between equally good zones, a current name (Asia/Dhaka) reads better in Zoom than a legacy link (Asia/Dacca).
        int legacy = string.Equals(zone.Id, zone.Canonical, StringComparison.Ordinal) ? 0 : 1;
        bool sameWindowsZone = zone.WindowsId is not null && string.Equals(zone.WindowsId, source.WindowsId, StringComparison.Ordinal);
        return (sameWindowsZone ? 5 : 7) + legacy;
    }

    /// <summary>
    /// Offsets are constant between transitions, so two zones agree over the window exactly when they agree at its
    /// start and at every transition of either zone within it.
    /// </summary>
    private static bool AgreesOver(TimeZoneInfo source, List<DateTimeOffset> sourcePoints, TimeZoneInfo candidate, DateTimeOffset from, DateTimeOffset to)
    {
        foreach (DateTimeOffset point in sourcePoints)
        {
            if (source.GetUtcOffset(point) != candidate.GetUtcOffset(point))
            {
                return false;
            }
        }

        foreach (DateTimeOffset point in Transitions(candidate, from, to))
        {
            if (source.GetUtcOffset(point) != candidate.GetUtcOffset(point))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The instants (to the second) at which the zone's offset changes within the window. Found by sampling daily and
    /// bisecting, rather than reading adjustment rules, so it sees the same data GetUtcOffset uses on every platform.
    /// </summary>
    internal static List<DateTimeOffset> Transitions(TimeZoneInfo zone, DateTimeOffset from, DateTimeOffset to)
    {
        var found = new List<DateTimeOffset>();
        DateTimeOffset previous = from;
        TimeSpan previousOffset = zone.GetUtcOffset(from);
        while (previous < to)
        {
            DateTimeOffset next = to - previous > TimeSpan.FromDays(1) ? previous.AddDays(1) : to;
            TimeSpan offset = zone.GetUtcOffset(next);
            if (offset != previousOffset)
            {
                found.Add(FirstChange(zone, previous, next, previousOffset));
            }

            previous = next;
            previousOffset = offset;
        }

        return found;
    }

    private static DateTimeOffset FirstChange(TimeZoneInfo zone, DateTimeOffset before, DateTimeOffset after, TimeSpan offsetBefore)
    {
        while (after - before > TimeSpan.FromSeconds(1))
        {
            long halfSeconds = (long)(after - before).TotalSeconds / 2;
            DateTimeOffset middle = before.AddSeconds(halfSeconds);
            if (zone.GetUtcOffset(middle) == offsetBefore)
            {
                before = middle;
            }
            else
            {
                after = middle;
            }
        }

        return after;
    }

    private static Source? ResolveSource(string? timeZoneId)
    {
        if (string.IsNullOrWhiteSpace(timeZoneId))
        {
            return null;
        }

        string id = timeZoneId.Trim();
        TimeZoneInfo? zone = TryGetZone(id);
        if (zone is null)
        {
            return null;
        }

        string iana;
        string? windows;
        if (TZConvert.TryWindowsToIana(id, out string? fromWindows) && !string.IsNullOrEmpty(fromWindows))
        {
            iana = fromWindows;
            windows = id;
        }
        else
        {
            iana = id;
            windows = TZConvert.TryIanaToWindows(id, out string? w) ? w : null;
        }

        return new Source(id, iana, Canonical(iana), windows, zone);
    }

    private static TimeZoneInfo? TryGetZone(string id)
    {
        try
        {
            return TZConvert.TryGetTimeZoneInfo(id, out TimeZoneInfo? zone) ? zone : null;
        }
        catch (Exception e) when (e is ArgumentException or InvalidTimeZoneException or TimeZoneNotFoundException or IOException or SecurityException or UnauthorizedAccessException)
        {
            // The id comes from outside (Outlook or the command line); a malformed one is just an unknown zone.
            return null;
        }
    }

    private static string Canonical(string iana) =>
        TZConvert.TryGetIanaCanonicalName(iana, out string? canonical) && !string.IsNullOrEmpty(canonical) ? canonical : iana;

    private static ZoneList LoadZones()
    {
        using Stream stream = typeof(ZoomTimeZones).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing from the build.");
        using var reader = new StreamReader(stream);

        var all = new List<string>();
        var resolvable = new List<AcceptedZone>();
        bool headerSeen = false;
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            string id = line.Split('\t')[0].Trim();
            if (!headerSeen)
            {
                headerSeen = true;
                continue;
            }

            if (id.Length == 0)
            {
                continue;
            }

            all.Add(id);

            // A listed id this machine has no rules for (Zoom's "SST") cannot be checked, so it is never chosen.
            TimeZoneInfo? zone = TryGetZone(id);
            if (zone is not null)
            {
                string? windows = TZConvert.TryIanaToWindows(id, out string? w) ? w : null;
                resolvable.Add(new AcceptedZone(id, Canonical(id), windows, zone));
            }
        }

        string utcId = all.Contains("UTC", StringComparer.Ordinal)
            ? "UTC"
            : resolvable.FirstOrDefault(z => z.Zone.BaseUtcOffset == TimeSpan.Zero && !z.Zone.SupportsDaylightSavingTime)?.Id ?? "UTC";

        return new ZoneList(all, resolvable, utcId);
    }

    private sealed record Source(string GivenId, string Iana, string Canonical, string? WindowsId, TimeZoneInfo Zone);

    private sealed record AcceptedZone(string Id, string Canonical, string? WindowsId, TimeZoneInfo Zone);

    private sealed record ZoneList(IReadOnlyList<string> AllIds, IReadOnlyList<AcceptedZone> Resolvable, string UtcId);
}
