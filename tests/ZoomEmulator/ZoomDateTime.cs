using System;
using System.Globalization;

namespace ZoomEmulator;

/// <summary>Zoom's start_time forms: yyyy-MM-ddTHH:mm:ssZ (GMT) or yyyy-MM-ddTHH:mm:ss (local to the meeting's timezone).</summary>
internal static class ZoomDateTime
{
    public static bool TryParse(string text, out DateTime wallClock, out bool isUtc)
    {
        isUtc = text.EndsWith('Z');
        var core = isUtc ? text[..^1] : text;
        return DateTime.TryParseExact(core, "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out wallClock);
    }

    public static string Format(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Zoom's list has one ID that is no IANA zone: SST, which Zoom labels Solomon Islands.</summary>
    public static TimeZoneInfo FindZone(string id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id == "SST" ? "Pacific/Guadalcanal" : id);
        }
        catch (TimeZoneNotFoundException)
        {
            return TimeZoneInfo.Utc;
        }
        catch (InvalidTimeZoneException)
        {
            return TimeZoneInfo.Utc;
        }
    }

    /// <summary>The instant of a local wall clock; a time in a DST gap moves forward by the gap.</summary>
    public static DateTimeOffset ToInstant(DateTime wallClock, TimeZoneInfo zone)
    {
        var local = DateTime.SpecifyKind(wallClock, DateTimeKind.Unspecified);
        for (var i = 0; i < 4 && zone.IsInvalidTime(local); i++)
        {
            local = local.AddMinutes(30);
        }

        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, zone), TimeSpan.Zero);
    }
}
