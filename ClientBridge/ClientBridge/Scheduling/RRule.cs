using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ClientBridge.Protocol;

namespace ClientBridge.Scheduling;

/// <summary>
/// Reads the part of RFC 5545's RRULE that Outlook writes and that people type, into the protocol's
/// <see cref="Recurrence"/>, and checks a <see cref="Recurrence"/> however it arrived. Every problem is a
/// <see cref="BridgeException"/> with <see cref="ErrorCodes.BadRequest"/> whose message names the part that is
/// wrong, because the text comes from a user or a calendar file and the answer goes back to the user.
/// </summary>
public static class RRule
{
    /// <summary>The largest interval and number of occurrences accepted. A bound set by this agent, far beyond
    /// what a calendar offers, so that date arithmetic on a series never leaves <see cref="DateTime"/>'s range.</summary>
    public const int MaxInterval = 999;

    /// <inheritdoc cref="MaxInterval"/>
    public const int MaxOccurrences = 999;

    // A rule longer than this is not something Outlook or a person writes; refusing it early keeps messages short.
    private const int MaxRuleLength = 500;

    private static readonly string[] DayCodes = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"]; // index = (int)DayOfWeek

    private static readonly HashSet<string> Patterns = new(StringComparer.Ordinal)
    {
        "daily", "weekly", "monthly", "monthly_nth", "yearly", "yearly_nth",
    };

    /// <summary>
    /// Parses <paramref name="rule"/> (with or without a leading <c>RRULE:</c>) for a series whose first meeting
    /// starts at <paramref name="firstStart"/> in <paramref name="zone"/>. The start supplies what RFC 5545 takes
    /// from DTSTART when a part is left out (the weekday for WEEKLY, the day for MONTHLY, the month for YEARLY);
    /// the zone turns a UTC UNTIL into the appointment's local end date.
    /// </summary>
    /// <exception cref="BridgeException">With <see cref="ErrorCodes.BadRequest"/> for a malformed or unsupported rule.</exception>
    public static Recurrence Parse(string? rule, DateTimeOffset firstStart, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var parts = Split(rule);
        DateTime localStart = TimeZoneInfo.ConvertTime(firstStart, zone).DateTime;

        if (!parts.TryGetValue("FREQ", out string? freq))
        {
            throw Bad("The recurrence rule has no FREQ part; it needs one of FREQ=DAILY, WEEKLY, MONTHLY or YEARLY.");
        }

        switch (freq)
        {
            case "DAILY" or "WEEKLY" or "MONTHLY" or "YEARLY":
                break;
            case "SECONDLY" or "MINUTELY" or "HOURLY":
                throw Bad($"FREQ={freq} is not supported: a meeting series repeats daily, weekly, monthly or yearly.");
            default:
                throw Bad($"FREQ={Shorten(freq)} is not a frequency; use DAILY, WEEKLY, MONTHLY or YEARLY.");
        }

        var recurrence = new Recurrence { Interval = ReadNumber(parts, "INTERVAL", 1, MaxInterval) ?? 1 };
        ReadEnd(parts, zone, recurrence);
        if (parts.TryGetValue("WKST", out string? weekStart))
        {
            // Accepted and ignored: neither Outlook's pattern nor Zoom's recurrence carries a week start.
            _ = ReadDay(weekStart, "WKST");
        }

        var days = parts.TryGetValue("BYDAY", out string? byDay) ? ReadDays(byDay) : null;
        int? monthDay = ReadNumber(parts, "BYMONTHDAY", 1, 31, "a single day of the month from 1 to 31");
        int? month = ReadNumber(parts, "BYMONTH", 1, 12, "a single month from 1 to 12");
        int? setPosition = ReadSetPosition(parts);

        switch (freq)
        {
            case "DAILY":
                RejectFor("DAILY", ("BYMONTHDAY", monthDay), ("BYMONTH", month), ("BYSETPOS", setPosition));
                if (days is null)
                {
                    recurrence.Pattern = "daily";
                }
                else if (recurrence.Interval == 1 && days.All(d => d.Ordinal is null))
                {
                    // "Every weekday" typed as a daily rule means the same as Outlook's weekly rule with those days.
                    recurrence.Pattern = "weekly";
                    recurrence.DaysOfWeek = Distinct(days);
                }
                else
                {
                    throw Bad("FREQ=DAILY with BYDAY is supported only as every listed day (INTERVAL=1, no ordinals like 2TU); use FREQ=WEEKLY for other intervals.");
                }

                break;

            case "WEEKLY":
                RejectFor("WEEKLY", ("BYMONTHDAY", monthDay), ("BYMONTH", month), ("BYSETPOS", setPosition));
                if (days is not null && days.Any(d => d.Ordinal is not null))
                {
                    throw Bad("BYDAY in a FREQ=WEEKLY rule cannot have ordinals like 2TU; list plain days such as BYDAY=MO,TH.");
                }

                recurrence.Pattern = "weekly";
                recurrence.DaysOfWeek = days is null ? [localStart.DayOfWeek] : Distinct(days);
                break;

            case "MONTHLY":
                RejectFor("MONTHLY", ("BYMONTH", month));
                ReadDayOfMonthPart(recurrence, days, monthDay, setPosition, localStart, "monthly");
                break;

            default: // YEARLY
                recurrence.MonthOfYear = month ?? localStart.Month;
                ReadDayOfMonthPart(recurrence, days, monthDay, setPosition, localStart, "yearly");
                break;
        }

        Validate(recurrence);
        return recurrence;
    }

    /// <summary>
    /// Checks that <paramref name="recurrence"/> describes a series Outlook could hold: a known pattern, an
    /// interval of at least 1, and the fields its pattern needs (days for weekly and nth patterns, a day of the
    /// month for monthly and yearly, a month for yearly), with at most one of end date and occurrences.
    /// </summary>
    /// <exception cref="BridgeException">With <see cref="ErrorCodes.BadRequest"/> naming the first field that is wrong.</exception>
    public static void Validate(Recurrence? recurrence)
    {
        if (recurrence is null)
        {
            throw Bad("The recurrence is missing.");
        }

        string pattern = recurrence.Pattern ?? string.Empty;
        if (!Patterns.Contains(pattern))
        {
            throw Bad($"The recurrence pattern '{Shorten(pattern)}' is not one of daily, weekly, monthly, monthly_nth, yearly or yearly_nth.");
        }

        if (recurrence.Interval < 1 || recurrence.Interval > MaxInterval)
        {
            throw Bad($"The recurrence interval {recurrence.Interval} is not valid; it must be a whole number from 1 to {MaxInterval}.");
        }

        var days = recurrence.DaysOfWeek ?? [];
        if (days.Any(d => !Enum.IsDefined(d)))
        {
            throw Bad("The recurrence names a day of the week that does not exist.");
        }

        bool needsDays = pattern is "weekly" or "monthly_nth" or "yearly_nth";
        if (needsDays && days.Count == 0)
        {
            throw Bad($"A {pattern} recurrence needs at least one day of the week.");
        }

        if (pattern == "daily" && days.Count > 0)
        {
            throw Bad("A daily recurrence cannot name days of the week; send a weekly recurrence with those days instead.");
        }

        if (pattern is "monthly" or "yearly" && recurrence.DayOfMonth is not (>= 1 and <= 31))
        {
            throw Bad($"A {pattern} recurrence needs a day of the month from 1 to 31.");
        }

        if (pattern is "monthly_nth" or "yearly_nth" && recurrence.Instance is not (>= 1 and <= 5))
        {
            throw Bad($"A {pattern} recurrence needs an instance from 1 to 4, or 5 for the last.");
        }

        if (pattern is "yearly" or "yearly_nth")
        {
            if (recurrence.MonthOfYear is not (>= 1 and <= 12))
            {
                throw Bad($"A {pattern} recurrence needs a month from 1 to 12.");
            }

            // A leap year's month lengths, so that February 29 stays possible.
            if (pattern == "yearly" && recurrence.DayOfMonth > DateTime.DaysInMonth(2024, recurrence.MonthOfYear.Value))
            {
                throw Bad($"Day {recurrence.DayOfMonth} does not exist in month {recurrence.MonthOfYear}.");
            }
        }

        if (recurrence.EndDate is not null && recurrence.Occurrences is not null)
        {
            throw Bad("A recurrence can end on a date or after a number of occurrences, not both.");
        }

        if (recurrence.Occurrences is < 1 or > MaxOccurrences)
        {
            throw Bad($"The number of occurrences {recurrence.Occurrences} is not valid; it must be from 1 to {MaxOccurrences}.");
        }
    }

    private static Dictionary<string, string> Split(string? rule)
    {
        string text = (rule ?? string.Empty).Trim();
        if (text.StartsWith("RRULE:", StringComparison.OrdinalIgnoreCase))
        {
            text = text["RRULE:".Length..].Trim();
        }

        if (text.Length == 0)
        {
            throw Bad("The recurrence rule is empty; it needs at least FREQ, for example FREQ=WEEKLY;BYDAY=MO.");
        }

        if (text.Length > MaxRuleLength)
        {
            throw Bad($"The recurrence rule is longer than {MaxRuleLength} characters.");
        }

        var parts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string raw in text.Split(';'))
        {
            string part = raw.Trim();
            if (part.Length == 0)
            {
                continue; // A stray ';' (often trailing) carries no meaning.
            }

            int equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || equals == part.Length - 1)
            {
                throw Bad($"The part '{Shorten(part)}' of the recurrence rule is not NAME=VALUE.");
            }

            // RFC 5545 names and values are case-insensitive; upper case lets the rest compare ordinally.
            string name = part[..equals].Trim().ToUpperInvariant();
            string value = part[(equals + 1)..].Trim().ToUpperInvariant();
            switch (name)
            {
                case "FREQ" or "INTERVAL" or "COUNT" or "UNTIL" or "BYDAY" or "BYMONTHDAY" or "BYMONTH" or "BYSETPOS" or "WKST":
                    break;
                case "BYSECOND" or "BYMINUTE" or "BYHOUR":
                    throw Bad($"{name} is not supported: every meeting of a series starts at the appointment's time.");
                case "BYYEARDAY" or "BYWEEKNO":
                    throw Bad($"{name} is not supported: neither Outlook nor Zoom can repeat by day of the year or week number.");
                default:
                    throw Bad($"'{Shorten(name)}' is not a recurrence rule part this agent understands.");
            }

            if (!parts.TryAdd(name, value))
            {
                throw Bad($"The recurrence rule has {name} more than once.");
            }
        }

        return parts;
    }

    private static int? ReadNumber(Dictionary<string, string> parts, string name, int min, int max, string? what = null)
    {
        if (!parts.TryGetValue(name, out string? value))
        {
            return null;
        }

        what ??= $"a whole number from {min} to {max}";
        if (value.Contains(',', StringComparison.Ordinal))
        {
            throw Bad($"{name}={Shorten(value)} is not supported: it must be {what}.");
        }

        if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int number) || number < min || number > max)
        {
            throw Bad($"{name}={Shorten(value)} is not valid: it must be {what}.");
        }

        return number;
    }

    private static int? ReadSetPosition(Dictionary<string, string> parts)
    {
        int? position = ReadNumber(parts, "BYSETPOS", -1, 4, "a single position from 1 to 4, or -1 for the last");
        return position == 0 ? throw Bad("BYSETPOS=0 is not valid: it must be a single position from 1 to 4, or -1 for the last.") : position;
    }

    private static void ReadEnd(Dictionary<string, string> parts, TimeZoneInfo zone, Recurrence recurrence)
    {
        recurrence.Occurrences = ReadNumber(parts, "COUNT", 1, MaxOccurrences);
        if (!parts.TryGetValue("UNTIL", out string? until))
        {
            return;
        }

        if (recurrence.Occurrences is not null)
        {
            throw Bad("The recurrence rule has both COUNT and UNTIL; it may end one way only.");
        }

        var invariant = CultureInfo.InvariantCulture;
        if (DateTime.TryParseExact(until, "yyyyMMdd", invariant, DateTimeStyles.None, out DateTime date))
        {
            recurrence.EndDate = date;
        }
        else if (until.EndsWith('Z')
            && DateTime.TryParseExact(until, "yyyyMMdd'T'HHmmss'Z'", invariant, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTime utc))
        {
            // Outlook writes the start of the last meeting in UTC; its date in the appointment's zone is the end date.
            recurrence.EndDate = TimeZoneInfo.ConvertTimeFromUtc(utc, zone).Date;
        }
        else if (DateTime.TryParseExact(until, "yyyyMMdd'T'HHmmss", invariant, DateTimeStyles.None, out DateTime local))
        {
            // A floating time is already in the appointment's zone (RFC 5545 pairs it with a local DTSTART).
            recurrence.EndDate = local.Date;
        }
        else
        {
            throw Bad($"UNTIL={Shorten(until)} is not valid: it must be a date like 20271231 or a UTC time like 20271231T235959Z.");
        }
    }

    private static void ReadDayOfMonthPart(Recurrence recurrence, List<ByDay>? days, int? monthDay, int? setPosition, DateTime localStart, string by)
    {
        if (monthDay is not null)
        {
            if (days is not null || setPosition is not null)
            {
                throw Bad("BYMONTHDAY cannot be combined with BYDAY or BYSETPOS: a series repeats on a day of the month or on a weekday, not both.");
            }

            recurrence.Pattern = by;
            recurrence.DayOfMonth = monthDay;
            return;
        }

        if (days is null)
        {
            if (setPosition is not null)
            {
                throw Bad("BYSETPOS needs BYDAY, for example BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1 for the last weekday.");
            }

            // RFC 5545: without BYDAY or BYMONTHDAY the series repeats on DTSTART's day of the month.
            recurrence.Pattern = by;
            recurrence.DayOfMonth = localStart.Day;
            return;
        }

        var withOrdinal = days.Where(d => d.Ordinal is not null).ToList();
        if (withOrdinal.Count > 0)
        {
            if (days.Count > 1 || setPosition is not null)
            {
                throw Bad("BYDAY with an ordinal (like 2TU or -1FR) is supported for a single day only, without BYSETPOS.");
            }

            recurrence.Instance = withOrdinal[0].Ordinal;
        }
        else if (setPosition is not null)
        {
            recurrence.Instance = setPosition;
        }
        else
        {
            throw Bad($"BYDAY without an ordinal in a FREQ={by.ToUpperInvariant()} rule would mean every such day of the month, which is not supported; use an ordinal like 2TU or BYSETPOS.");
        }

        recurrence.Instance = recurrence.Instance == -1 ? 5 : recurrence.Instance;
        recurrence.Pattern = by + "_nth";
        recurrence.DaysOfWeek = Distinct(days);
    }

    private static List<ByDay> ReadDays(string value)
    {
        var days = new List<ByDay>();
        foreach (string item in value.Split(','))
        {
            string text = item.Trim();
            if (text.Length < 2)
            {
                throw Bad($"BYDAY={Shorten(value)} is not valid: '{Shorten(text)}' is not a weekday (SU, MO, TU, WE, TH, FR, SA).");
            }

            DayOfWeek day = ReadDay(text[^2..], "BYDAY");
            string ordinalText = text[..^2];
            int? ordinal = null;
            if (ordinalText.Length > 0)
            {
                if (!int.TryParse(ordinalText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int n) || n == 0 || n < -53 || n > 53)
                {
                    throw Bad($"BYDAY={Shorten(value)} is not valid: '{Shorten(text)}' has an ordinal that is not a number from 1 to 53 or -1 to -53.");
                }

                if (n is not (>= 1 and <= 4) and not -1)
                {
                    throw Bad($"BYDAY={Shorten(value)} is not supported: an ordinal must be 1 to 4, or -1 for the last, as in 2TU or -1FR.");
                }

                ordinal = n;
            }

            days.Add(new ByDay(day, ordinal));
        }

        return days;
    }

    private static DayOfWeek ReadDay(string code, string part)
    {
        int index = Array.IndexOf(DayCodes, code);
        return index >= 0
            ? (DayOfWeek)index
            : throw Bad($"{part} has '{Shorten(code)}', which is not a weekday; use SU, MO, TU, WE, TH, FR or SA.");
    }

    private static void RejectFor(string freq, params (string Name, int? Value)[] parts)
    {
        foreach (var (name, value) in parts)
        {
            if (value is not null)
            {
                throw Bad($"{name} is not supported with FREQ={freq}.");
            }
        }
    }

    private static List<DayOfWeek> Distinct(List<ByDay> days) => days.Select(d => d.Day).Distinct().Order().ToList();

    // User text goes back into messages; a bound keeps a pasted novel out of them.
    private static string Shorten(string text) => text.Length <= 30 ? text : string.Concat(text.AsSpan(0, 30), "…");

    private static BridgeException Bad(string message) => new(ErrorCodes.BadRequest, message);

    private readonly record struct ByDay(DayOfWeek Day, int? Ordinal);
}
