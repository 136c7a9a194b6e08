using System;

namespace ClientBridge.Tests.Upcoming;

/// <summary>Zones by IANA id here and by Windows id on Windows, where the invariant globalization has no ICU to map them.</summary>
internal static class Zones
{
    public static TimeZoneInfo Berlin { get; } = Find("Europe/Berlin", "W. Europe Standard Time");

    public static TimeZoneInfo NewYork { get; } = Find("America/New_York", "Eastern Standard Time");

    private static TimeZoneInfo Find(string iana, string windows) =>
        TimeZoneInfo.FindSystemTimeZoneById(OperatingSystem.IsWindows() ? windows : iana);
}
