using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using ClientBridge.Scheduling;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TimeZoneConverter;

namespace ClientBridge.Tests;

/// <summary>
/// The start time and zone sent to Zoom: whatever zone Outlook or the user names, Zoom must read back the same instant.
/// Everything runs without ICU, as the agent does.
/// </summary>
[TestClass]
public sealed partial class ZoomTimeZonesTests
{
    private static readonly string[] IanaIds =
    [
        "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Asia/Calcutta", "Australia/Lord_Howe", "Pacific/Chatham",
        "America/St_Johns", "Asia/Kathmandu", "UTC", "Etc/UTC", "Europe/London", "Europe/Dublin", "Africa/Casablanca",
        "America/Havana", "America/Santiago", "Pacific/Auckland", "Australia/Eucla", "Pacific/Kiritimati",
        "America/Asuncion", "Asia/Tehran", "Europe/Chisinau", "Pacific/Tongatapu", "Europe/Amsterdam", "Europe/Kyiv",
    ];

    public TestContext TestContext { get; set; } = null!;

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z?$", RegexOptions.CultureInvariant)]
    private static partial Regex StartTimeShape();

    [TestMethod]
    public void The_tests_and_the_agent_run_without_icu()
    {
        Assert.IsTrue(
            AppContext.TryGetSwitch("System.Globalization.Invariant", out bool invariant) && invariant,
            "The test host must run in globalization-invariant mode like the agent, so these results hold where ICU is absent (Windows without ICU, Wine).");
        Assert.AreEqual(string.Empty, CultureInfo.CurrentCulture.Name, "Without ICU every culture is the invariant one.");
    }

    [TestMethod]
    public void Every_windows_zone_reaches_zoom_at_the_same_instant_for_three_years_and_around_each_clock_change()
    {
        DateTimeOffset anchor = Today();
        var counts = new Dictionary<ZoomZoneMatch, int>();
        var calls = new Dictionary<ZoomZoneMatch, int>();
        var notSameZone = new List<string>();
        int checkedInstants = 0;
        int sentInGmt = 0;
        int sentInGmtBecauseRepeated = 0;

        foreach (string windowsId in TZConvert.KnownWindowsTimeZoneIds.OrderBy(id => id, StringComparer.Ordinal))
        {
            TimeZoneInfo zone = TZConvert.GetTimeZoneInfo(windowsId);

            ZoomTime now = ZoomTimeZones.ToZoom(anchor, windowsId);
            counts[now.Match] = counts.GetValueOrDefault(now.Match) + 1;
            if (now.Match != ZoomZoneMatch.SameZone)
            {
                notSameZone.Add($"{windowsId} -> {now.TimeZone} ({now.Match})");
            }

            foreach (DateTimeOffset instant in InstantsToCheck(zone, anchor))
            {
                ZoomTime zoom = ZoomTimeZones.ToZoom(instant, windowsId);
                AssertSameInstant(instant, zoom, windowsId);
                calls[zoom.Match] = calls.GetValueOrDefault(zoom.Match) + 1;
                checkedInstants++;
                if (zoom.SentAsUtc)
                {
                    sentInGmt++;
                    sentInGmtBecauseRepeated += zoom.Match == ZoomZoneMatch.Utc ? 0 : 1;
                }
            }
        }

        TestContext.WriteLine($"From {anchor:yyyy-MM-dd}, {TZConvert.KnownWindowsTimeZoneIds.Count} Windows zones, {checkedInstants} instants checked.");
        TestContext.WriteLine(
            $"Zones (single meeting today): same zone {counts.GetValueOrDefault(ZoomZoneMatch.SameZone)}, same offsets {counts.GetValueOrDefault(ZoomZoneMatch.SameOffsets)}, " +
            $"same offset at start only {counts.GetValueOrDefault(ZoomZoneMatch.SameOffsetAtStart)}, UTC fallback {counts.GetValueOrDefault(ZoomZoneMatch.Utc)}.");
        TestContext.WriteLine(
            $"Instants: same zone {calls.GetValueOrDefault(ZoomZoneMatch.SameZone)}, same offsets {calls.GetValueOrDefault(ZoomZoneMatch.SameOffsets)}, " +
            $"same offset at start only {calls.GetValueOrDefault(ZoomZoneMatch.SameOffsetAtStart)}, UTC fallback {calls.GetValueOrDefault(ZoomZoneMatch.Utc)}.");
        TestContext.WriteLine($"Sent in GMT with Z: {sentInGmt} instants, {sentInGmtBecauseRepeated} of them because the wall clock repeats when clocks go back.");
        foreach (string line in notSameZone)
        {
            TestContext.WriteLine(line);
        }

        Assert.IsGreaterThan(100, counts.GetValueOrDefault(ZoomZoneMatch.SameZone) + counts.GetValueOrDefault(ZoomZoneMatch.SameOffsets), "Most Windows zones have a Zoom zone with the same offsets.");
    }

    [TestMethod]
    public void Iana_zones_from_the_command_line_reach_zoom_at_the_same_instant()
    {
        DateTimeOffset anchor = Today();
        foreach (string ianaId in IanaIds)
        {
            Assert.IsTrue(TZConvert.TryGetTimeZoneInfo(ianaId, out TimeZoneInfo? zone), $"{ianaId} must be known to this machine for the test to mean anything.");
            ZoomTime now = ZoomTimeZones.ToZoom(anchor, ianaId);
            Assert.AreEqual(Canonical(ianaId), now.SourceZone is null ? null : Canonical(now.SourceZone), $"{ianaId} resolves to itself.");
            TestContext.WriteLine($"{ianaId} -> {now.TimeZone} ({now.Match})");

            foreach (DateTimeOffset instant in InstantsToCheck(zone, anchor))
            {
                AssertSameInstant(instant, ZoomTimeZones.ToZoom(instant, ianaId), ianaId);
            }
        }
    }

    [TestMethod]
    public void A_series_is_only_sent_in_a_zone_whose_offsets_agree_at_every_occurrence()
    {
        DateTimeOffset anchor = Today();
        DateTimeOffset end = anchor.AddYears(3);
        foreach (string id in TZConvert.KnownWindowsTimeZoneIds.Concat(IanaIds))
        {
            TimeZoneInfo source = TZConvert.GetTimeZoneInfo(id);
            ZoomTime zoom = ZoomTimeZones.ToZoom(anchor, id, end);
            AssertSameInstant(anchor, zoom, id);
            Assert.AreNotEqual(ZoomZoneMatch.SameOffsetAtStart, zoom.Match, $"{id}: a series needs agreement over all of it, not just at the start.");
            if (zoom.Match == ZoomZoneMatch.Utc)
            {
                continue;
            }

            TimeZoneInfo target = TZConvert.GetTimeZoneInfo(zoom.TimeZone);
            for (DateTimeOffset t = anchor; t <= end; t = t.AddMinutes(30))
            {
                if (source.GetUtcOffset(t) != target.GetUtcOffset(t))
                {
                    Assert.Fail($"{id} was sent as {zoom.TimeZone} ({zoom.Match}), but at {t:u} their offsets differ ({source.GetUtcOffset(t)} vs {target.GetUtcOffset(t)}), so that occurrence would move.");
                }
            }
        }
    }

    [TestMethod]
    public void A_berlin_meeting_hours_before_the_spring_change_is_sent_as_berlin_wall_clock()
    {
        var start = new DateTimeOffset(2026, 3, 29, 1, 30, 0, TimeSpan.FromHours(1));

        ZoomTime zoom = ZoomTimeZones.ToZoom(start, "W. Europe Standard Time");

        Assert.AreEqual("Europe/Berlin", zoom.TimeZone, "Zoom accepts Berlin itself, the zone Windows' W. Europe maps to.");
        Assert.AreEqual("2026-03-29T01:30:00", zoom.StartTime, "The wall clock in Berlin, without Z.");
        Assert.IsFalse(zoom.SentAsUtc);
        Assert.AreEqual(ZoomZoneMatch.SameZone, zoom.Match);
        Assert.AreEqual("Europe/Berlin", zoom.SourceZone);

        ZoomTime afterChange = ZoomTimeZones.ToZoom(start.AddHours(1), "W. Europe Standard Time");
        Assert.AreEqual("2026-03-29T03:30:00", afterChange.StartTime, "An hour later the clocks have gone forward: 02:30 does not exist in Berlin.");
    }

    [TestMethod]
    [DataRow("W. Europe Standard Time", "Europe/Berlin", "2026-07-01T14:00:00")]
    [DataRow("Eastern Standard Time", "America/New_York", "2026-07-01T08:00:00")]
    [DataRow("India Standard Time", "Asia/Kolkata", "2026-07-01T17:30:00")]
    [DataRow("Asia/Calcutta", "Asia/Calcutta", "2026-07-01T17:30:00")]
    [DataRow("America/St_Johns", "America/St_Johns", "2026-07-01T09:30:00")]
    public void A_start_given_in_utc_is_sent_as_the_wall_clock_of_the_zone_that_goes_with_it(string zoneId, string expectedZone, string expectedStart)
    {
        var start = new DateTimeOffset(2026, 7, 1, 12, 0, 0, TimeSpan.Zero);

        ZoomTime zoom = ZoomTimeZones.ToZoom(start, zoneId);

        Assert.AreEqual(expectedZone, zoom.TimeZone);
        Assert.AreEqual(expectedStart, zoom.StartTime, "Sending the UTC wall clock 12:00 with this zone would move the meeting by the zone's offset.");
        Assert.AreNotEqual("2026-07-01T12:00:00", zoom.StartTime);
    }

    [TestMethod]
    public void A_start_given_in_utc_without_a_zone_is_sent_in_gmt()
    {
        ZoomTime zoom = ZoomTimeZones.ToZoom(new DateTimeOffset(2026, 7, 1, 12, 0, 0, TimeSpan.Zero), null);

        Assert.AreEqual("2026-07-01T12:00:00Z", zoom.StartTime);
        Assert.AreEqual("UTC", zoom.TimeZone);
        Assert.IsTrue(zoom.SentAsUtc);
    }

    [TestMethod]
    [DataRow("Mars Standard Time")]
    [DataRow(null)]
    [DataRow("")]
    [DataRow("   ")]
    [DataRow("../../../etc/passwd")]
    [DataRow("Europe/Nowhere")]
    [DataRow("SST")]
    [DataRow("\0")]
    public void An_unknown_zone_is_sent_as_utc_and_reported_as_unknown(string? zoneId)
    {
        var start = new DateTimeOffset(2026, 3, 29, 1, 30, 0, TimeSpan.FromHours(1));

        ZoomTime zoom = ZoomTimeZones.ToZoom(start, zoneId);

        Assert.AreEqual("2026-03-29T00:30:00Z", zoom.StartTime, "The instant in GMT, marked with Z.");
        Assert.AreEqual("UTC", zoom.TimeZone);
        Assert.IsTrue(zoom.SentAsUtc);
        Assert.AreEqual(ZoomZoneMatch.Utc, zoom.Match);
        Assert.IsNull(zoom.SourceZone, "A null source zone tells the caller the zone was not recognised, so it can log that.");
    }

    [TestMethod]
    public void A_time_in_the_hour_that_repeats_in_autumn_is_sent_in_gmt_so_zoom_cannot_pick_the_wrong_one()
    {
        var first = new DateTimeOffset(2026, 10, 25, 0, 30, 0, TimeSpan.Zero);  // 02:30 summer time in Berlin
        var second = first.AddHours(1);                                           // 02:30 winter time in Berlin

        ZoomTime a = ZoomTimeZones.ToZoom(first, "W. Europe Standard Time");
        ZoomTime b = ZoomTimeZones.ToZoom(second, "W. Europe Standard Time");

        Assert.AreEqual("2026-10-25T00:30:00Z", a.StartTime);
        Assert.AreEqual("2026-10-25T01:30:00Z", b.StartTime);
        Assert.IsTrue(a.SentAsUtc && b.SentAsUtc);
        Assert.AreEqual("Europe/Berlin", a.TimeZone, "The zone still goes along, so Zoom shows the meeting in Berlin time.");
    }

    [TestMethod]
    public void A_zone_zoom_does_not_list_is_sent_as_a_listed_zone_with_the_same_offsets()
    {
        var start = new DateTimeOffset(2026, 7, 1, 12, 0, 0, TimeSpan.Zero);

        ZoomTime zoom = ZoomTimeZones.ToZoom(start, "Europe/Vaduz");

        Assert.AreEqual(ZoomZoneMatch.SameZone, zoom.Match, "Vaduz is an alias of Zurich, which Zoom lists.");
        Assert.AreEqual("Europe/Zurich", zoom.TimeZone);
        Assert.AreEqual("2026-07-01T14:00:00", zoom.StartTime);

        ZoomTime tonga = ZoomTimeZones.ToZoom(start, "Tonga Standard Time");
        Assert.AreEqual(ZoomZoneMatch.SameOffsets, tonga.Match, "Tonga is UTC+13 all year, like Samoa.");
        Assert.AreEqual("Pacific/Apia", tonga.TimeZone);
        Assert.AreEqual("2026-07-02T01:00:00", tonga.StartTime);
    }

    [TestMethod]
    [DataRow("Chatham Islands Standard Time")]
    [DataRow("Lord Howe Standard Time")]
    [DataRow("Aus Central W. Standard Time")]
    public void A_zone_no_listed_zone_matches_is_sent_in_gmt(string zoneId)
    {
        var start = new DateTimeOffset(2026, 7, 1, 12, 0, 0, TimeSpan.Zero);

        ZoomTime zoom = ZoomTimeZones.ToZoom(start, zoneId);

        Assert.AreEqual(ZoomZoneMatch.Utc, zoom.Match, $"No zone Zoom lists has {zoneId}'s offsets.");
        Assert.AreEqual("2026-07-01T12:00:00Z", zoom.StartTime);
        Assert.AreEqual("UTC", zoom.TimeZone);
        Assert.IsNotNull(zoom.SourceZone, "The zone was known, just not to Zoom.");
    }

    [TestMethod]
    public void Fractions_of_a_second_are_dropped_because_zoom_keeps_whole_seconds()
    {
        var start = new DateTimeOffset(2026, 7, 1, 12, 0, 5, 999, TimeSpan.Zero);

        Assert.AreEqual("2026-07-01T14:00:05", ZoomTimeZones.ToZoom(start, "Europe/Berlin").StartTime);
        Assert.AreEqual("2026-07-01T12:00:05Z", ZoomTimeZones.ToZoom(start, null).StartTime);
    }

    [TestMethod]
    public void Instants_at_the_edges_of_the_calendar_do_not_throw()
    {
        foreach (DateTimeOffset start in new[] { DateTimeOffset.MinValue, DateTimeOffset.MaxValue, new DateTimeOffset(1900, 1, 1, 0, 0, 0, TimeSpan.Zero) })
        {
            ZoomTime zoom = ZoomTimeZones.ToZoom(start, "Pacific/Kiritimati", DateTimeOffset.MaxValue);
            Assert.IsTrue(StartTimeShape().IsMatch(zoom.StartTime), zoom.StartTime);
            ZoomTime single = ZoomTimeZones.ToZoom(start, "Hawaiian Standard Time");
            Assert.IsTrue(StartTimeShape().IsMatch(single.StartTime), single.StartTime);
        }
    }

    [TestMethod]
    public void The_embedded_list_is_zooms_list_without_comments_or_header()
    {
        IReadOnlyList<string> ids = ZoomTimeZones.AcceptedIds;

        Assert.IsGreaterThan(100, ids.Count);
        CollectionAssert.Contains(ids.ToList(), "UTC");
        CollectionAssert.Contains(ids.ToList(), "Europe/Berlin");
        Assert.IsFalse(ids.Any(id => id.StartsWith('#') || id == "id" || id.Contains('\t', StringComparison.Ordinal)), "Comments and the header are not ids.");
        Assert.AreEqual(ids.Count, ids.Distinct(StringComparer.Ordinal).Count(), "Each id once.");
        Assert.AreEqual("UTC", ZoomTimeZones.UtcZoneId);
    }

    private static void AssertSameInstant(DateTimeOffset instant, ZoomTime zoom, string zoneId)
    {
        string what = $"{zoneId} at {instant:yyyy-MM-ddTHH:mm:sszzz} -> {zoom.StartTime} {zoom.TimeZone} ({zoom.Match})";
        Assert.IsTrue(StartTimeShape().IsMatch(zoom.StartTime), $"{what}: start_time must be yyyy-MM-ddTHH:mm:ss with an optional Z.");
        Assert.AreEqual(zoom.SentAsUtc, zoom.StartTime.EndsWith('Z'), $"{what}: Z exactly when sent as UTC.");
        CollectionAssert.Contains(ZoomTimeZones.AcceptedIds.ToList(), zoom.TimeZone, $"{what}: Zoom only accepts listed zones.");
        Assert.IsNotNull(zoom.SourceZone, $"{what}: a known zone must be reported.");

        DateTime wall = DateTime.ParseExact(zoom.StartTime.TrimEnd('Z'), "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None);
        DateTime utc;
        if (zoom.SentAsUtc)
        {
            utc = DateTime.SpecifyKind(wall, DateTimeKind.Utc);
        }
        else
        {
            TimeZoneInfo target = TZConvert.GetTimeZoneInfo(zoom.TimeZone);
            Assert.IsFalse(target.IsAmbiguousTime(wall), $"{what}: a wall clock that happens twice leaves Zoom to guess.");
            Assert.IsFalse(target.IsInvalidTime(wall), $"{what}: a wall clock skipped by the clock change does not exist.");
            utc = TimeZoneInfo.ConvertTimeToUtc(wall, target);
        }

        Assert.AreEqual(instant.UtcDateTime, utc, $"{what}: Zoom would start the meeting at a different instant.");
    }

    /// <summary>Every 11 days at a varying hour over three years, plus every quarter hour from 3 hours before to 2 hours after each offset change.</summary>
    private static IEnumerable<DateTimeOffset> InstantsToCheck(TimeZoneInfo zone, DateTimeOffset anchor)
    {
        DateTimeOffset end = anchor.AddYears(3);
        for (DateTimeOffset t = anchor; t < end; t = t.AddDays(11).AddHours(5))
        {
            yield return t;
        }

        TimeSpan previous = zone.GetUtcOffset(anchor);
        for (DateTimeOffset hour = anchor.AddHours(1); hour < end; hour = hour.AddHours(1))
        {
            TimeSpan offset = zone.GetUtcOffset(hour);
            if (offset == previous)
            {
                continue;
            }

            previous = offset;
            for (DateTimeOffset t = hour.AddHours(-3); t <= hour.AddHours(2); t = t.AddMinutes(15))
            {
                yield return t;
            }
        }
    }

    private static DateTimeOffset Today()
    {
        DateTime today = DateTime.UtcNow.Date;
        return new DateTimeOffset(today, TimeSpan.Zero);
    }

    private static string Canonical(string iana) =>
        TZConvert.TryGetIanaCanonicalName(iana, out string? canonical) ? canonical : iana;
}
