using System;
using System.Collections.Generic;
using System.Text.Json;
using ClientBridge.Protocol;
using ClientBridge.Scheduling;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TimeZoneConverter;

namespace ClientBridge.Tests;

/// <summary>
/// Outlook's recurrence patterns, and the RRULEs Outlook writes for them, turned into Zoom's recurrence: the same
/// series must reach Zoom the same way whichever form it arrived in.
/// </summary>
[TestClass]
public sealed class RecurrenceTests
{
    // Through TimeZoneConverter so the zone is the same on Windows and Linux. 2027: summer time from March 14 to November 7.
    private static readonly TimeZoneInfo NewYork = TZConvert.GetTimeZoneInfo("America/New_York");

    private const string NoFixedTime = "type 3: ";

    [TestMethod]
    [DataRow("daily every 2 days, 10 times", "RRULE:FREQ=DAILY;COUNT=10;INTERVAL=2", """{"type":1,"repeat_interval":2,"end_times":10}""")]
    [DataRow("every weekday, 20 times", "RRULE:FREQ=WEEKLY;COUNT=20;BYDAY=MO,TU,WE,TH,FR;WKST=SU", """{"type":2,"repeat_interval":1,"weekly_days":"2,3,4,5,6","end_times":20}""")]
    [DataRow("every weekday, 20 times", "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;COUNT=20", """{"type":2,"repeat_interval":1,"weekly_days":"2,3,4,5,6","end_times":20}""")]
    [DataRow("weekly Mon and Thu every 2 weeks until March 18", "RRULE:FREQ=WEEKLY;UNTIL=20270318T140000Z;INTERVAL=2;BYDAY=MO,TH;WKST=SU", """{"type":2,"repeat_interval":2,"weekly_days":"2,5","end_date_time":"2027-03-19T03:59:59Z"}""")]
    [DataRow("weekly Mon and Thu every 2 weeks until March 18", "freq=weekly;until=20270318;interval=2;byday=th,mo", """{"type":2,"repeat_interval":2,"weekly_days":"2,5","end_date_time":"2027-03-19T03:59:59Z"}""")]
    [DataRow("monthly on day 15 every 3 months, 8 times", "RRULE:FREQ=MONTHLY;COUNT=8;INTERVAL=3;BYMONTHDAY=15", """{"type":3,"repeat_interval":3,"monthly_day":15,"end_times":8}""")]
    [DataRow("monthly on the second Tuesday, 12 times", "RRULE:FREQ=MONTHLY;COUNT=12;BYDAY=2TU", """{"type":3,"repeat_interval":1,"monthly_week":2,"monthly_week_day":3,"end_times":12}""")]
    [DataRow("monthly on the second Tuesday, 12 times", "FREQ=MONTHLY;COUNT=12;BYDAY=TU;BYSETPOS=2", """{"type":3,"repeat_interval":1,"monthly_week":2,"monthly_week_day":3,"end_times":12}""")]
    [DataRow("monthly on the last Friday until June 25", "RRULE:FREQ=MONTHLY;UNTIL=20270625T140000Z;BYDAY=-1FR", """{"type":3,"repeat_interval":1,"monthly_week":-1,"monthly_week_day":6,"end_date_time":"2027-06-26T03:59:59Z"}""")]
    [DataRow("monthly on the last Friday until June 25", "FREQ=MONTHLY;UNTIL=20270625;BYDAY=FR;BYSETPOS=-1", """{"type":3,"repeat_interval":1,"monthly_week":-1,"monthly_week_day":6,"end_date_time":"2027-06-26T03:59:59Z"}""")]
    [DataRow("the last weekday of the month, 6 times", "RRULE:FREQ=MONTHLY;COUNT=6;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", NoFixedTime + "one weekday only")]
    [DataRow("yearly on March 5, 5 times", "RRULE:FREQ=YEARLY;COUNT=5;BYMONTHDAY=5;BYMONTH=3", NoFixedTime + "no yearly recurrence")]
    [DataRow("yearly on the first Monday of September, 5 times", "RRULE:FREQ=YEARLY;COUNT=5;BYDAY=1MO;BYMONTH=9", NoFixedTime + "no yearly recurrence")]
    [DataRow("weekly on Monday every 13 weeks, 4 times", "RRULE:FREQ=WEEKLY;COUNT=4;INTERVAL=13;BYDAY=MO", NoFixedTime + "at most every 12 weeks, not every 13")]
    [DataRow("daily, 100 times", "RRULE:FREQ=DAILY;COUNT=100", """{"type":1,"repeat_interval":1,"end_date_time":"2027-04-14T03:59:59Z"}""")]
    [DataRow("weekly on Tuesday with no end", "RRULE:FREQ=WEEKLY;BYDAY=TU;WKST=SU", NoFixedTime + "has no end")]
    [DataRow("weekly on Tuesday with no end", "FREQ=WEEKLY", NoFixedTime + "has no end")]
    [DataRow("every weekday, 100 times", "FREQ=WEEKLY;COUNT=100;BYDAY=MO,TU,WE,TH,FR", """{"type":2,"repeat_interval":1,"weekly_days":"2,3,4,5,6","end_date_time":"2027-05-22T03:59:59Z"}""")]
    [DataRow("weekly on Monday every 2 weeks, 60 times", "FREQ=WEEKLY;COUNT=60;INTERVAL=2;BYDAY=MO", """{"type":2,"repeat_interval":2,"weekly_days":"2","end_date_time":"2029-04-10T03:59:59Z"}""")]
    [DataRow("monthly on the second Tuesday, 60 times", "FREQ=MONTHLY;COUNT=60;BYDAY=2TU", """{"type":3,"repeat_interval":1,"monthly_week":2,"monthly_week_day":3,"end_date_time":"2031-12-10T04:59:59Z"}""")]
    [DataRow("weekly Mon and Thu every 2 weeks, 60 times", "FREQ=WEEKLY;COUNT=60;INTERVAL=2;BYDAY=MO,TH", NoFixedTime + "could not be worked out exactly")]
    [DataRow("monthly on day 31, 60 times", "FREQ=MONTHLY;COUNT=60;BYMONTHDAY=31", NoFixedTime + "could not be worked out exactly")]
    [DataRow("daily every 91 days, 3 times", "FREQ=DAILY;COUNT=3;INTERVAL=91", NoFixedTime + "at most every 90 days, not every 91")]
    [DataRow("monthly on day 15 every 4 months, 3 times", "FREQ=MONTHLY;COUNT=3;INTERVAL=4;BYMONTHDAY=15", NoFixedTime + "at most every 3 months, not every 4")]
    public void An_outlook_pattern_and_the_rrule_outlook_writes_for_it_reach_zoom_the_same_way(string name, string rrule, string expected)
    {
        var (pattern, localStart) = Outlook(name);
        DateTimeOffset start = new(localStart, NewYork.GetUtcOffset(localStart));

        Recurrence parsed = RRule.Parse(rrule, start, NewYork);

        Assert.AreEqual(JsonSerializer.Serialize(pattern), JsonSerializer.Serialize(parsed), "The RRULE reads as Outlook's pattern.");
        AssertZoom(expected, ZoomRecurrenceMapper.Map(pattern, start, NewYork), "from Outlook's pattern");
        AssertZoom(expected, ZoomRecurrenceMapper.Map(parsed, start, NewYork), "from the RRULE");
    }

    [TestMethod]
    [DataRow(null, "empty")]
    [DataRow("", "empty")]
    [DataRow("   ", "empty")]
    [DataRow("RRULE:", "empty")]
    [DataRow("garbage", "'garbage' of the recurrence rule is not NAME=VALUE")]
    [DataRow("FREQ=HOURLY", "FREQ=HOURLY is not supported")]
    [DataRow("FREQ=FORTNIGHTLY", "FREQ=FORTNIGHTLY is not a frequency")]
    [DataRow("INTERVAL=2;BYDAY=MO", "no FREQ part")]
    [DataRow("FREQ=WEEKLY;INTERVAL=0", "INTERVAL=0 is not valid")]
    [DataRow("FREQ=WEEKLY;INTERVAL=abc", "INTERVAL=ABC is not valid")]
    [DataRow("FREQ=WEEKLY;INTERVAL=1000", "INTERVAL=1000 is not valid")]
    [DataRow("FREQ=WEEKLY;BYDAY=XX", "'XX', which is not a weekday")]
    [DataRow("FREQ=WEEKLY;BYDAY=MO,", "is not a weekday")]
    [DataRow("FREQ=WEEKLY;BYDAY=2MO", "cannot have ordinals")]
    [DataRow("FREQ=MONTHLY;BYDAY=5TU", "BYDAY=5TU is not supported")]
    [DataRow("FREQ=MONTHLY;BYDAY=-2FR", "BYDAY=-2FR is not supported")]
    [DataRow("FREQ=MONTHLY;BYDAY=1MO,3MO", "single day only")]
    [DataRow("FREQ=MONTHLY;BYDAY=TU", "every such day of the month")]
    [DataRow("FREQ=MONTHLY;BYSETPOS=2", "BYSETPOS needs BYDAY")]
    [DataRow("FREQ=MONTHLY;BYDAY=TU;BYSETPOS=3,4", "BYSETPOS=3,4 is not supported")]
    [DataRow("FREQ=MONTHLY;BYMONTHDAY=32", "BYMONTHDAY=32 is not valid")]
    [DataRow("FREQ=MONTHLY;BYMONTHDAY=1,15", "BYMONTHDAY=1,15 is not supported")]
    [DataRow("FREQ=MONTHLY;BYMONTHDAY=-1", "BYMONTHDAY=-1 is not valid")]
    [DataRow("FREQ=MONTHLY;BYMONTHDAY=15;BYDAY=MO", "cannot be combined")]
    [DataRow("FREQ=MONTHLY;BYMONTH=3", "BYMONTH is not supported with FREQ=MONTHLY")]
    [DataRow("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "Day 30 does not exist in month 2")]
    [DataRow("FREQ=DAILY;INTERVAL=2;BYDAY=MO,TU", "FREQ=DAILY with BYDAY")]
    [DataRow("FREQ=DAILY;COUNT=3;UNTIL=20270101", "both COUNT and UNTIL")]
    [DataRow("FREQ=DAILY;COUNT=0", "COUNT=0 is not valid")]
    [DataRow("FREQ=DAILY;UNTIL=2027-03-18", "UNTIL=2027-03-18 is not valid")]
    [DataRow("FREQ=DAILY;BYHOUR=9", "BYHOUR is not supported")]
    [DataRow("FREQ=YEARLY;BYWEEKNO=20", "BYWEEKNO is not supported")]
    [DataRow("FREQ=WEEKLY;X-NAME=1", "'X-NAME' is not a recurrence rule part")]
    [DataRow("FREQ=WEEKLY;FREQ=DAILY", "FREQ more than once")]
    [DataRow("FREQ=WEEKLY;WKST=XY", "WKST has 'XY'")]
    [DataRow("FREQ=WEEKLY;COUNT=", "is not NAME=VALUE")]
    public void A_malformed_or_unsupported_rrule_is_a_bad_request_that_names_the_wrong_part(string? rrule, string message)
    {
        DateTimeOffset start = new(2027, 1, 4, 9, 0, 0, TimeSpan.FromHours(-5));

        var error = Assert.ThrowsExactly<BridgeException>(() => RRule.Parse(rrule, start, NewYork));

        Assert.AreEqual(ErrorCodes.BadRequest, error.Code);
        Assert.Contains(message, error.Message);
    }

    [TestMethod]
    [DataRow("20270319T020000Z", "2027-03-18")] // 22:00 on the 18th in New York
    [DataRow("20270319T040000Z", "2027-03-19")]
    [DataRow("20270318T235959", "2027-03-18")] // floating: already local
    [DataRow("20270318", "2027-03-18")]
    public void Until_becomes_the_last_date_in_the_appointments_zone(string until, string endDate)
    {
        var recurrence = RRule.Parse("FREQ=DAILY;UNTIL=" + until, new DateTimeOffset(2027, 3, 1, 9, 0, 0, TimeSpan.FromHours(-5)), NewYork);

        Assert.AreEqual(endDate, recurrence.EndDate?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
    }

    [TestMethod]
    public void Parts_left_out_of_the_rrule_come_from_the_first_meeting_as_rfc_5545_says()
    {
        DateTimeOffset start = new(2027, 3, 17, 9, 0, 0, TimeSpan.FromHours(-4)); // a Wednesday

        CollectionAssert.AreEqual(new[] { DayOfWeek.Wednesday }, RRule.Parse("FREQ=WEEKLY", start, NewYork).DaysOfWeek);
        Assert.AreEqual(17, RRule.Parse("FREQ=MONTHLY", start, NewYork).DayOfMonth);
        var yearly = RRule.Parse("FREQ=YEARLY", start, NewYork);
        Assert.AreEqual((3, 17), (yearly.MonthOfYear, yearly.DayOfMonth));
    }

    [TestMethod]
    [DataRow("2027-03-14", "2027-03-15T03:59:59Z")] // the day summer time starts
    [DataRow("2027-11-07", "2027-11-08T04:59:59Z")] // the day it ends
    [DataRow("2027-01-10", "2027-01-11T04:59:59Z")]
    public void A_series_end_date_reaches_zoom_as_the_last_second_of_that_day_in_the_appointments_zone(string endDate, string endDateTime)
    {
        var recurrence = new Recurrence { Pattern = "daily", EndDate = DateTime.Parse(endDate, System.Globalization.CultureInfo.InvariantCulture) };

        var plan = ZoomRecurrenceMapper.Map(recurrence, new DateTimeOffset(2027, 1, 4, 9, 0, 0, TimeSpan.FromHours(-5)), NewYork);

        Assert.AreEqual(endDateTime, plan.Recurrence?.EndDateTime);
    }

    [TestMethod]
    public void A_series_that_ends_before_it_starts_is_a_bad_request()
    {
        var recurrence = new Recurrence { Pattern = "daily", EndDate = new DateTime(2027, 1, 3) };

        var error = Assert.ThrowsExactly<BridgeException>(() => ZoomRecurrenceMapper.Map(recurrence, new DateTimeOffset(2027, 1, 4, 9, 0, 0, TimeSpan.FromHours(-5)), NewYork));

        Assert.AreEqual(ErrorCodes.BadRequest, error.Code);
        Assert.Contains("before its first meeting", error.Message);
    }

    [TestMethod]
    [DataRow("unknown pattern", "'fortnightly' is not one of")]
    [DataRow("interval 0", "interval 0 is not valid")]
    [DataRow("weekly without days", "weekly recurrence needs at least one day")]
    [DataRow("daily with days", "daily recurrence cannot name days")]
    [DataRow("monthly without a day", "needs a day of the month")]
    [DataRow("monthly_nth without an instance", "needs an instance from 1 to 4")]
    [DataRow("monthly_nth with instance 6", "needs an instance from 1 to 4")]
    [DataRow("yearly without a month", "needs a month from 1 to 12")]
    [DataRow("yearly on February 30", "Day 30 does not exist in month 2")]
    [DataRow("end date and occurrences", "not both")]
    [DataRow("zero occurrences", "occurrences 0 is not valid")]
    [DataRow("an undefined day", "does not exist")]
    public void A_protocol_recurrence_that_outlook_could_not_hold_is_a_bad_request(string name, string message)
    {
        Recurrence recurrence = name switch
        {
            "unknown pattern" => new() { Pattern = "fortnightly" },
            "interval 0" => new() { Pattern = "daily", Interval = 0 },
            "weekly without days" => new() { Pattern = "weekly" },
            "daily with days" => new() { Pattern = "daily", DaysOfWeek = [DayOfWeek.Monday] },
            "monthly without a day" => new() { Pattern = "monthly" },
            "monthly_nth without an instance" => new() { Pattern = "monthly_nth", DaysOfWeek = [DayOfWeek.Monday] },
            "monthly_nth with instance 6" => new() { Pattern = "monthly_nth", Instance = 6, DaysOfWeek = [DayOfWeek.Monday] },
            "yearly without a month" => new() { Pattern = "yearly", DayOfMonth = 5 },
            "yearly on February 30" => new() { Pattern = "yearly", MonthOfYear = 2, DayOfMonth = 30 },
            "end date and occurrences" => new() { Pattern = "daily", EndDate = new DateTime(2027, 5, 1), Occurrences = 3 },
            "zero occurrences" => new() { Pattern = "daily", Occurrences = 0 },
            _ => new() { Pattern = "weekly", DaysOfWeek = [(DayOfWeek)9] },
        };

        var error = Assert.ThrowsExactly<BridgeException>(() => RRule.Validate(recurrence));

        Assert.AreEqual(ErrorCodes.BadRequest, error.Code);
        Assert.Contains(message, error.Message);
    }

    [TestMethod]
    [DataRow("FREQ=DAILY;UNTIL=99991231T235959Z", "Pacific/Kiritimati")]
    [DataRow("FREQ=DAILY;UNTIL=99991231", "America/New_York")]
    [DataRow("FREQ=DAILY;UNTIL=00010101T000000Z", "Pacific/Pago_Pago")]
    [DataRow("FREQ=DAILY;COUNT=999;INTERVAL=90", "America/New_York")]
    [DataRow("FREQ=WEEKLY;COUNT=999;INTERVAL=12;BYDAY=MO", "America/New_York")]
    [DataRow("FREQ=MONTHLY;COUNT=999;INTERVAL=3;BYDAY=-1SU", "Pacific/Kiritimati")]
    public void Dates_at_the_ends_of_the_calendar_give_an_answer_or_a_bad_request_never_a_crash(string rrule, string zoneId)
    {
        var zone = TZConvert.GetTimeZoneInfo(zoneId);
        foreach (DateTimeOffset start in new[] { DateTimeOffset.MinValue, DateTimeOffset.MaxValue, new DateTimeOffset(9999, 12, 30, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2027, 1, 4, 9, 0, 0, TimeSpan.Zero) })
        {
            try
            {
                var plan = ZoomRecurrenceMapper.Map(RRule.Parse(rrule, start, zone), start, zone);
                Assert.IsTrue(plan.MeetingType is ZoomRecurrencePlan.RecurringFixedTime or ZoomRecurrencePlan.RecurringNoFixedTime, $"{rrule} from {start:O}");
            }
            catch (BridgeException error)
            {
                Assert.AreEqual(ErrorCodes.BadRequest, error.Code, $"{rrule} from {start:O}: {error.Message}");
            }
        }
    }

    [TestMethod]
    public void A_body_that_sends_null_days_for_a_daily_series_still_maps()
    {
        var recurrence = new Recurrence { Pattern = "daily", DaysOfWeek = null!, Occurrences = 3 };

        var plan = ZoomRecurrenceMapper.Map(recurrence, new DateTimeOffset(2027, 1, 4, 9, 0, 0, TimeSpan.FromHours(-5)), NewYork);

        Assert.AreEqual("""{"type":1,"repeat_interval":1,"end_times":3}""", JsonSerializer.Serialize(plan.Recurrence));
    }

    [TestMethod]
    public void The_zoom_recurrence_leaves_out_fields_that_do_not_apply()
    {
        string json = JsonSerializer.Serialize(new ZoomRecurrence { Type = ZoomRecurrence.Daily });

        Assert.AreEqual("""{"type":1}""", json);
    }

    private static void AssertZoom(string expected, ZoomRecurrencePlan plan, string from)
    {
        if (expected.StartsWith(NoFixedTime, StringComparison.Ordinal))
        {
            Assert.AreEqual(ZoomRecurrencePlan.RecurringNoFixedTime, plan.MeetingType, from);
            Assert.IsNull(plan.Recurrence, from);
            Assert.Contains(expected[NoFixedTime.Length..], plan.Note ?? string.Empty, from);
            Assert.Contains("one Zoom link", plan.Note ?? string.Empty, from);
            return;
        }

        Assert.AreEqual(ZoomRecurrencePlan.RecurringFixedTime, plan.MeetingType, from);
        Assert.IsNull(plan.Note, from);
        Assert.AreEqual(expected, JsonSerializer.Serialize(plan.Recurrence), from);
    }

    /// <summary>Each series as Outlook's RecurrencePattern holds it (Instance 5 = last), with its first meeting's local start.</summary>
    private static (Recurrence Pattern, DateTime LocalStart) Outlook(string name) => name switch
    {
        "daily every 2 days, 10 times" => (new() { Pattern = "daily", Interval = 2, Occurrences = 10 }, new(2027, 1, 4, 9, 0, 0)),
        "every weekday, 20 times" => (new() { Pattern = "weekly", DaysOfWeek = Weekdays(), Occurrences = 20 }, new(2027, 1, 4, 9, 0, 0)),
        "weekly Mon and Thu every 2 weeks until March 18" =>
            (new() { Pattern = "weekly", Interval = 2, DaysOfWeek = [DayOfWeek.Monday, DayOfWeek.Thursday], EndDate = new DateTime(2027, 3, 18) }, new(2027, 1, 4, 10, 0, 0)),
        "monthly on day 15 every 3 months, 8 times" => (new() { Pattern = "monthly", Interval = 3, DayOfMonth = 15, Occurrences = 8 }, new(2027, 1, 15, 9, 0, 0)),
        "monthly on the second Tuesday, 12 times" =>
            (new() { Pattern = "monthly_nth", Instance = 2, DaysOfWeek = [DayOfWeek.Tuesday], Occurrences = 12 }, new(2027, 1, 12, 9, 0, 0)),
        "monthly on the last Friday until June 25" =>
            (new() { Pattern = "monthly_nth", Instance = 5, DaysOfWeek = [DayOfWeek.Friday], EndDate = new DateTime(2027, 6, 25) }, new(2027, 1, 29, 10, 0, 0)),
        "the last weekday of the month, 6 times" => (new() { Pattern = "monthly_nth", Instance = 5, DaysOfWeek = Weekdays(), Occurrences = 6 }, new(2027, 1, 29, 9, 0, 0)),
        "yearly on March 5, 5 times" => (new() { Pattern = "yearly", MonthOfYear = 3, DayOfMonth = 5, Occurrences = 5 }, new(2027, 3, 5, 9, 0, 0)),
        "yearly on the first Monday of September, 5 times" =>
            (new() { Pattern = "yearly_nth", MonthOfYear = 9, Instance = 1, DaysOfWeek = [DayOfWeek.Monday], Occurrences = 5 }, new(2027, 9, 6, 9, 0, 0)),
        "weekly on Monday every 13 weeks, 4 times" => (new() { Pattern = "weekly", Interval = 13, DaysOfWeek = [DayOfWeek.Monday], Occurrences = 4 }, new(2027, 1, 4, 9, 0, 0)),
        "daily, 100 times" => (new() { Pattern = "daily", Occurrences = 100 }, new(2027, 1, 4, 9, 0, 0)),
        "weekly on Tuesday with no end" => (new() { Pattern = "weekly", DaysOfWeek = [DayOfWeek.Tuesday] }, new(2027, 1, 5, 9, 0, 0)),
        "every weekday, 100 times" => (new() { Pattern = "weekly", DaysOfWeek = Weekdays(), Occurrences = 100 }, new(2027, 1, 4, 9, 0, 0)),
        "weekly on Monday every 2 weeks, 60 times" => (new() { Pattern = "weekly", Interval = 2, DaysOfWeek = [DayOfWeek.Monday], Occurrences = 60 }, new(2027, 1, 4, 9, 0, 0)),
        "monthly on the second Tuesday, 60 times" =>
            (new() { Pattern = "monthly_nth", Instance = 2, DaysOfWeek = [DayOfWeek.Tuesday], Occurrences = 60 }, new(2027, 1, 12, 9, 0, 0)),
        "weekly Mon and Thu every 2 weeks, 60 times" =>
            (new() { Pattern = "weekly", Interval = 2, DaysOfWeek = [DayOfWeek.Monday, DayOfWeek.Thursday], Occurrences = 60 }, new(2027, 1, 4, 9, 0, 0)),
        "monthly on day 31, 60 times" => (new() { Pattern = "monthly", DayOfMonth = 31, Occurrences = 60 }, new(2027, 1, 31, 9, 0, 0)),
        "daily every 91 days, 3 times" => (new() { Pattern = "daily", Interval = 91, Occurrences = 3 }, new(2027, 1, 4, 9, 0, 0)),
        "monthly on day 15 every 4 months, 3 times" => (new() { Pattern = "monthly", Interval = 4, DayOfMonth = 15, Occurrences = 3 }, new(2027, 1, 15, 9, 0, 0)),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "No Outlook pattern by that name."),
    };

    private static List<DayOfWeek> Weekdays() => [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];
}
