using System;
using Microsoft.Extensions.Time.Testing;

namespace ClientBridge.Tests.Upcoming;

/// <summary>A <see cref="FakeTimeProvider"/> at a moment, with a local time zone of the test's choosing; its timers fire only when the test moves it.</summary>
internal static class TestClock
{
    public static FakeTimeProvider At(DateTimeOffset now, TimeZoneInfo zone)
    {
        var clock = new FakeTimeProvider(now);
        clock.SetLocalTimeZone(zone);
        return clock;
    }
}
