using System;
using System.Collections.Generic;
using System.Linq;
using ClientBridge.Protocol;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using OutlookPlugin.Core.Rules;

namespace OutlookPlugin.Tests.Rules;

[TestClass]
public sealed class SyncRulesTests
{
    private static readonly DateTime Start = new(2025, 3, 10, 9, 0, 0, DateTimeKind.Utc);

    private static AppointmentData Weekly() => new()
    {
        Subject = "Standup",
        StartUtc = Start,
        EndUtc = Start.AddMinutes(30),
        TimeZoneId = "W. Europe Standard Time",
        RecurrenceState = 1,
        Recurrence = new RecurrenceData
        {
            RecurrenceType = 1,
            Interval = 1,
            DayOfWeekMask = 2 | 8, // Monday, Wednesday
            DayOfMonth = 17, // stale: not used by a weekly pattern
            PatternStartDate = new DateTime(2025, 3, 10),
            PatternEndDate = new DateTime(2025, 6, 30),
        },
    };

    [TestMethod]
    public void Nothing_changed_means_nothing_to_send()
    {
        AppointmentData a = Weekly();
        SyncPlan plan = SyncRules.Compare(SyncRules.Capture(a), Weekly());
        Assert.IsTrue(plan.IsEmpty);
        Assert.IsEmpty(SyncRules.Updates(plan, "m", "zoom"));
        Assert.IsEmpty(SyncRules.Cancels(plan, "m", "zoom"));
    }

    [TestMethod]
    public void A_meeting_of_unknown_state_is_sent_the_appointment_whole()
    {
        // A series: its pattern, its times and its zone.
        SyncPlan plan = SyncRules.Compare(SyncRules.Unknown(), Weekly());
        Assert.IsNotNull(plan.Series);
        Assert.AreEqual("Standup", plan.Series.Topic);
        Assert.AreEqual(new DateTimeOffset(Start), plan.Series.Start);
        Assert.AreEqual(30, plan.Series.DurationMinutes);
        Assert.AreEqual("W. Europe Standard Time", plan.Series.TimeZoneId);
        Assert.IsNotNull(plan.Series.Recurrence);

        // A single: the meeting may have been made as a series, so it is made single (a no-op for a single one).
        AppointmentData single = Weekly();
        single.Recurrence = null;
        single.RecurrenceState = 0;
        plan = SyncRules.Compare(SyncRules.Unknown(), single);
        Assert.IsTrue(plan.Series!.RecurrenceRemoved);
        Assert.AreEqual(new DateTimeOffset(Start), plan.Series.Start);
        Assert.AreEqual(30, plan.Series.DurationMinutes);
    }

    [TestMethod]
    public void Only_the_changed_series_fields_are_set()
    {
        SyncedFields last = SyncRules.Capture(Weekly());
        AppointmentData now = Weekly();
        now.StartUtc = Start.AddHours(1);
        now.EndUtc = Start.AddHours(1).AddMinutes(30);
        SyncPlan plan = SyncRules.Compare(last, now);
        Assert.IsNotNull(plan.Series);
        Assert.AreEqual(new DateTimeOffset(Start.AddHours(1)), plan.Series.Start);
        Assert.IsNull(plan.Series.DurationMinutes);
        Assert.IsNull(plan.Series.Topic);
        Assert.IsNull(plan.Series.TimeZoneId);
        Assert.IsNull(plan.Series.Recurrence);

        now.Subject = "Daily sync";
        now.EndUtc = now.StartUtc.AddMinutes(45);
        now.TimeZoneId = "GMT Standard Time";
        plan = SyncRules.Compare(last, now);
        Assert.AreEqual("Daily sync", plan.Series!.Topic);
        Assert.AreEqual(45, plan.Series.DurationMinutes);
        Assert.AreEqual("GMT Standard Time", plan.Series.TimeZoneId);

        UpdateMeetingRequest request = SyncRules.Updates(plan, "m-1", "zoom").Single();
        Assert.AreEqual("m-1", request.MeetingId);
        Assert.AreEqual("zoom", request.Provider);
        Assert.IsNull(request.OccurrenceStart);
        Assert.IsFalse(string.IsNullOrEmpty(request.RequestId));
    }

    [TestMethod]
    public void New_exceptions_become_occurrence_actions_once()
    {
        AppointmentData a = Weekly();
        SyncedFields last = SyncRules.Capture(a);
        DateTime moved = Start.AddDays(2);
        DateTime deleted = Start.AddDays(7);
        a.Recurrence!.Exceptions.Add(new ExceptionData { OriginalStartUtc = deleted, Deleted = true });
        a.Recurrence.Exceptions.Add(new ExceptionData { OriginalStartUtc = moved, StartUtc = moved.AddHours(3), EndUtc = moved.AddHours(4) });

        SyncPlan plan = SyncRules.Compare(last, a);
        Assert.IsNull(plan.Series);
        Assert.HasCount(2, plan.Occurrences);
        Assert.AreEqual(new DateTimeOffset(moved), plan.Occurrences[0].OccurrenceStart);
        Assert.IsFalse(plan.Occurrences[0].Cancel);
        Assert.AreEqual(new DateTimeOffset(moved.AddHours(3)), plan.Occurrences[0].Start);
        Assert.AreEqual(60, plan.Occurrences[0].DurationMinutes);
        Assert.IsTrue(plan.Occurrences[1].Cancel);

        UpdateMeetingRequest update = SyncRules.Updates(plan, "m", "zoom").Single();
        Assert.AreEqual(new DateTimeOffset(moved), update.OccurrenceStart);
        CancelMeetingRequest cancel = SyncRules.Cancels(plan, "m", "zoom").Single();
        Assert.AreEqual(new DateTimeOffset(deleted), cancel.OccurrenceStart);

        // After a successful send the captured state holds them; the next save sends nothing.
        SyncedFields after = SyncRules.Capture(a);
        Assert.IsTrue(SyncRules.Compare(after, a).IsEmpty);

        // Moving the moved occurrence again is sent again; deleting it is a cancel.
        a.Recurrence.Exceptions[1].StartUtc = moved.AddHours(5);
        a.Recurrence.Exceptions[1].EndUtc = moved.AddHours(6);
        Assert.AreEqual(new DateTimeOffset(moved.AddHours(5)), SyncRules.Compare(after, a).Occurrences.Single().Start);
        a.Recurrence.Exceptions[1].Deleted = true;
        Assert.IsTrue(SyncRules.Compare(after, a).Occurrences.Single().Cancel);
    }

    [TestMethod]
    public void A_changed_pattern_is_one_series_update_that_cancels_again_the_occurrences_Outlook_keeps_deleted()
    {
        // The provider makes the occurrences anew; Outlook keeps its deleted ones by date (MS-OXOCAL 2.2.1.44.1).
        SyncedFields last = SyncRules.Capture(Weekly());
        AppointmentData now = Weekly();
        now.Recurrence!.DayOfWeekMask = 2 | 8 | 32; // and Friday
        now.Recurrence.Exceptions.Add(new ExceptionData { OriginalStartUtc = Start.AddDays(7), Deleted = true });
        SyncPlan plan = SyncRules.Compare(last, now);
        Assert.IsNotNull(plan.Series?.Recurrence);
        CollectionAssert.AreEqual(new[] { DayOfWeek.Monday, DayOfWeek.Wednesday, DayOfWeek.Friday }, plan.Series.Recurrence.DaysOfWeek);
        Assert.HasCount(1, plan.Occurrences);
        Assert.IsTrue(plan.Occurrences[0].Cancel);
        Assert.AreEqual(new DateTimeOffset(Start.AddDays(7), TimeSpan.Zero), plan.Occurrences[0].OccurrenceStart);
        Assert.IsNull(plan.Series.Start);
    }

    [TestMethod]
    public void A_new_end_is_a_pattern_change()
    {
        SyncedFields last = SyncRules.Capture(Weekly());
        AppointmentData now = Weekly();
        now.Recurrence!.PatternEndDate = new DateTime(2025, 7, 31);
        Assert.AreEqual(new DateTime(2025, 7, 31), SyncRules.Compare(last, now).Series?.Recurrence?.EndDate);
    }

    [TestMethod]
    public void Stale_fields_of_other_pattern_types_do_not_count_as_changes()
    {
        SyncedFields last = SyncRules.Capture(Weekly());
        AppointmentData now = Weekly();
        now.Recurrence!.DayOfMonth = 3;
        now.Recurrence.MonthOfYear = 11;
        now.Recurrence.Instance = 2;
        Assert.IsTrue(SyncRules.Compare(last, now).IsEmpty);
    }

    [TestMethod]
    public void Series_that_stops_repeating_is_flagged()
    {
        SyncedFields last = SyncRules.Capture(Weekly());
        AppointmentData now = Weekly();
        now.Recurrence = null;
        now.RecurrenceState = 0;
        SyncPlan plan = SyncRules.Compare(last, now);
        Assert.IsTrue(plan.Series!.RecurrenceRemoved);
        Assert.IsNull(plan.Series.Recurrence);

        UpdateMeetingRequest update = SyncRules.Updates(plan, "m1", "zoom").Single();
        Assert.IsTrue(update.RecurrenceRemoved);
        Assert.AreEqual(new DateTimeOffset(DateTime.SpecifyKind(now.StartUtc, DateTimeKind.Utc)), update.Start, "the single meeting keeps the series' time");
        Assert.IsNotNull(update.DurationMinutes);
    }

    [TestMethod]
    public void Single_appointment_that_starts_repeating_sends_the_pattern()
    {
        AppointmentData single = Weekly();
        single.Recurrence = null;
        SyncedFields last = SyncRules.Capture(single);
        Assert.AreEqual(string.Empty, last.RecurrenceKey);
        SyncPlan plan = SyncRules.Compare(last, Weekly());
        Assert.AreEqual("weekly", plan.Series?.Recurrence?.Pattern);
    }

    [TestMethod]
    public void Capture_copies_the_exceptions()
    {
        AppointmentData a = Weekly();
        a.Recurrence!.Exceptions.Add(new ExceptionData { OriginalStartUtc = Start, Deleted = true });
        SyncedFields captured = SyncRules.Capture(a);
        a.Recurrence.Exceptions[0].Deleted = false;
        Assert.IsTrue(captured.Exceptions[0].Deleted);
    }

    public static IEnumerable<object?[]> Patterns()
    {
        // type, mask, day, instance, month → pattern, days, day, instance, month
        yield return new object?[] { 0, 0, 0, 0, 0, "daily", "", null, null, null };
        yield return new object?[] { 0, 62, 0, 0, 0, "weekly", "Monday,Tuesday,Wednesday,Thursday,Friday", null, null, null };
        yield return new object?[] { 1, 1 | 64, 0, 0, 0, "weekly", "Sunday,Saturday", null, null, null };
        yield return new object?[] { 1, 0, 0, 0, 0, "weekly", "Monday", null, null, null };
        yield return new object?[] { 2, 0, 15, 0, 0, "monthly", "", 15, null, null };
        yield return new object?[] { 2, 0, 0, 0, 0, "monthly", "", 10, null, null };
        yield return new object?[] { 3, 16, 0, 5, 0, "monthly_nth", "Thursday", null, 5, null };
        yield return new object?[] { 3, 62, 0, 1, 0, "monthly_nth", "Monday,Tuesday,Wednesday,Thursday,Friday", null, 1, null };
        yield return new object?[] { 5, 0, 29, 0, 2, "yearly", "", 29, null, 2 };
        yield return new object?[] { 6, 2, 0, 4, 11, "yearly_nth", "Monday", null, 4, 11 };
    }

    [TestMethod]
    [DynamicData(nameof(Patterns))]
    public void Patterns_map_to_the_protocol(int type, int mask, int day, int instance, int month, string pattern, string days, int? dayOfMonth, int? inst, int? monthOfYear)
    {
        var data = new RecurrenceData
        {
            RecurrenceType = type,
            Interval = 2,
            DayOfWeekMask = mask,
            DayOfMonth = day,
            Instance = instance,
            MonthOfYear = month,
            PatternStartDate = new DateTime(2025, 3, 10),
            NoEndDate = true,
        };
        Recurrence r = SyncRules.ToProtocol(data)!;
        Assert.AreEqual(pattern, r.Pattern);
        Assert.AreEqual(2, r.Interval);
        Assert.AreEqual(days, string.Join(",", r.DaysOfWeek));
        Assert.AreEqual(dayOfMonth, r.DayOfMonth);
        Assert.AreEqual(inst, r.Instance);
        Assert.AreEqual(monthOfYear, r.MonthOfYear);
        Assert.IsNull(r.EndDate);
        Assert.IsNull(r.Occurrences);
    }

    [TestMethod]
    public void Ends_map_to_a_count_or_a_date()
    {
        var data = new RecurrenceData { RecurrenceType = 0, PatternStartDate = new DateTime(2025, 3, 10), PatternEndDate = new DateTime(2025, 3, 19), Occurrences = 10 };
        Recurrence r = SyncRules.ToProtocol(data)!;
        Assert.AreEqual(10, r.Occurrences);
        Assert.IsNull(r.EndDate);

        data.Occurrences = 0;
        r = SyncRules.ToProtocol(data)!;
        Assert.AreEqual(new DateTime(2025, 3, 19), r.EndDate);
        Assert.IsNull(r.Occurrences);

        data.PatternEndDate = new DateTime(4501, 8, 31);
        Assert.IsNull(SyncRules.ToProtocol(data)!.EndDate);
    }

    [TestMethod]
    public void Unknown_pattern_type_is_no_recurrence()
    {
        Assert.IsNull(SyncRules.ToProtocol(new RecurrenceData { RecurrenceType = 4 }));
        Assert.IsNull(SyncRules.ToProtocol(null));
        Assert.AreEqual(string.Empty, SyncRules.RecurrenceKey(null));
    }
}
