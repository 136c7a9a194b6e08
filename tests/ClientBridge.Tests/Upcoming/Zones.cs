using System;

namespace ClientBridge.Tests.Upcoming;

/// <summary>
/// A clock the test sets, with a local time zone of its choosing. Timers it hands out are the system's (real time):
/// the code under test must be right without them, because it rebuilds whenever asked after its view went stale.
/// </summary>
internal sealed class FakeClock(DateTimeOffset now, TimeZoneInfo zone) : TimeProvider
{
    private DateTimeOffset _now = now;

    public override TimeZoneInfo LocalTimeZone => zone;

    public override DateTimeOffset GetUtcNow() => _now.ToUniversalTime();

    public void Set(DateTimeOffset now) => _now = now;

    public void Advance(TimeSpan by) => _now += by;
}

/// <summary>Zones by IANA id here and by Windows id on Windows, where the invariant globalization has no ICU to map them.</summary>
internal static class Zones
{
    public static TimeZoneInfo Berlin { get; } = Find("Europe/Berlin", "W. Europe Standard Time");

    public static TimeZoneInfo NewYork { get; } = Find("America/New_York", "Eastern Standard Time");

    private static TimeZoneInfo Find(string iana, string windows) =>
        TimeZoneInfo.FindSystemTimeZoneById(OperatingSystem.IsWindows() ? windows : iana);
}
