using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ClientBridge.Calendar;
using ClientBridge.Policies;
using ClientBridge.Protocol;
using ClientBridge.Reminders;
using ClientBridge.Scheduling;
using ClientBridge.Settings;
using ClientBridge.Tests.Support;
using ClientBridge.Tests.Upcoming;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TestPolicies = ClientBridge.Tests.PolicyTests.Policies;

namespace ClientBridge.Tests.Reminders;

/// <summary>Reminders N minutes before meetings with a link, on a fake clock: once per occurrence, quiet where they should be.</summary>
[TestClass]
public sealed class ReminderSchedulerTests
{
    private static readonly DateTimeOffset Nine = new(2026, 3, 10, 9, 0, 0, TimeSpan.FromHours(1));

    private readonly CalendarStore _calendar = new();
    private readonly FakeTimeProvider _clock = TestClock.At(Nine, Zones.Berlin);

    [TestMethod]
    public void A_meeting_with_a_link_reminds_once_n_minutes_before()
    {
        using ReminderScheduler reminders = Scheduler(minutes: 5);
        var raised = new List<MeetingReminder>();
        reminders.Due += (_, r) => raised.Add(r);
        Push(Meeting("a", Nine.AddMinutes(30)));

        _clock.SetUtcNow(Nine.AddMinutes(24));
        Assert.AreEqual(0, reminders.Check().Count, "Six minutes before: not yet.");
        _clock.SetUtcNow(Nine.AddMinutes(25));
        IReadOnlyList<MeetingReminder> due = reminders.Check();
        _clock.SetUtcNow(Nine.AddMinutes(27));
        reminders.Check();

        Assert.AreEqual(1, due.Count);
        Assert.AreEqual(1, raised.Count, "Once, however often the clock is looked at.");
        Assert.AreEqual(new MeetingReminder("a", "Planning", Nine.AddMinutes(30), "https://zoom.us/j/123", 5), raised[0]);
    }

    [TestMethod]
    public async Task Once_started_the_reminder_comes_by_its_own_timer_when_the_moment_arrives()
    {
        using ReminderScheduler reminders = Scheduler(minutes: 5);
        var raised = new List<MeetingReminder>();
        reminders.Due += (_, r) => raised.Add(r);
        await reminders.StartAsync(CancellationToken.None);
        Push(Meeting("a", Nine.AddMinutes(30)));

        _clock.Advance(TimeSpan.FromMinutes(24));
        Assert.AreEqual(0, raised.Count, "Six minutes before: not yet, although the safety-net timer woke it on the way.");
        _clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        Assert.AreEqual(1, raised.Count, "Five minutes before, the scheduler's own timer raised it; the test never called Check.");
        _clock.Advance(TimeSpan.FromMinutes(30));
        Assert.AreEqual(1, raised.Count, "And never again, however often the timer wakes.");

        await reminders.StopAsync(CancellationToken.None);
        Push(Meeting("b", Nine.AddMinutes(70)));
        _clock.Advance(TimeSpan.FromMinutes(20));
        Assert.AreEqual(1, raised.Count, "Stopped: no timer, no reminder.");
    }

    [TestMethod]
    public void A_calendar_refresh_does_not_repeat_a_reminder_but_a_moved_meeting_reminds_at_its_new_time()
    {
        using ReminderScheduler reminders = Scheduler(minutes: 5);
        var raised = new List<MeetingReminder>();
        reminders.Due += (_, r) => raised.Add(r);
        Push(Meeting("a", Nine.AddMinutes(30)));
        _clock.SetUtcNow(Nine.AddMinutes(26));
        reminders.Check();

        Push(Meeting("a", Nine.AddMinutes(30))); // The add-in's next snapshot: the same occurrence, a fresh object.
        Assert.AreEqual(1, raised.Count, "A refresh checks again (the store's change) but says nothing new.");

        Push(Meeting("a", Nine.AddMinutes(60)));
        Assert.AreEqual(1, raised.Count, "Moved to 10:00: not due yet.");
        _clock.SetUtcNow(Nine.AddMinutes(55));
        reminders.Check();

        Assert.AreEqual(2, raised.Count);
        Assert.AreEqual(Nine.AddMinutes(60), raised[1].Start);
    }

    [TestMethod]
    public void The_next_occurrence_of_a_series_reminds_again()
    {
        using ReminderScheduler reminders = Scheduler(minutes: 5);
        Push(Meeting("s", Nine.AddMinutes(30)));
        _clock.SetUtcNow(Nine.AddMinutes(26));
        Assert.AreEqual(1, reminders.Check().Count);

        Push(Meeting("s", Nine.AddDays(1).AddMinutes(30))); // Tomorrow's occurrence, under the same id.
        _clock.SetUtcNow(Nine.AddDays(1).AddMinutes(26));

        Assert.AreEqual(1, reminders.Check().Count);
    }

    [TestMethod]
    public void Declined_cancelled_all_day_and_link_less_meetings_stay_quiet()
    {
        using ReminderScheduler reminders = Scheduler(minutes: 5);
        CalendarItem declined = Meeting("d", Nine.AddMinutes(30));
        declined.Response = ResponseStatus.Declined;
        CalendarItem cancelled = Meeting("c", Nine.AddMinutes(30));
        cancelled.IsCancelled = true;
        CalendarItem noLink = Meeting("n", Nine.AddMinutes(30));
        noLink.JoinUrl = null;
        CalendarItem allDay = Meeting("all", new DateTimeOffset(2026, 3, 11, 0, 0, 0, TimeSpan.FromHours(1)));
        allDay.IsAllDay = true;
        allDay.End = allDay.Start.AddDays(1);
        Push(declined, cancelled, noLink, allDay);

        _clock.SetUtcNow(Nine.AddMinutes(27));
        Assert.AreEqual(0, reminders.Check().Count);
        _clock.SetUtcNow(new DateTimeOffset(2026, 3, 10, 23, 57, 0, TimeSpan.FromHours(1)));
        Assert.AreEqual(0, reminders.Check().Count);
    }

    [TestMethod]
    public void Meetings_already_started_when_the_agent_starts_get_none_and_one_about_to_start_gets_its_reminder_late()
    {
        Push(Meeting("started", Nine.AddMinutes(-10)), Meeting("soon", Nine.AddMinutes(2)), Meeting("now", Nine));
        using ReminderScheduler reminders = Scheduler(minutes: 5);

        IReadOnlyList<MeetingReminder> due = reminders.Check();

        CollectionAssert.AreEqual(new[] { "soon" }, due.Select(r => r.ItemId).ToArray());
    }

    [TestMethod]
    public void N_comes_from_the_settings_and_a_policy_wins()
    {
        Push(Meeting("a", Nine.AddMinutes(30)));
        using ReminderScheduler mine = Scheduler(minutes: 20);
        _clock.SetUtcNow(Nine.AddMinutes(12));
        Assert.AreEqual(1, mine.Check().Count, "Twenty minutes before, as the user chose.");

        var managed = new FixedSettings(EffectiveSettings.Resolve(new AgentSettings(), new UserSettings { ReminderMinutes = 20 }, new TestPolicies((PolicyValues.ReminderMinutes, 3))));
        using var byPolicy = new ReminderScheduler(_calendar, managed, _clock, logReminders: false);
        Assert.AreEqual(0, byPolicy.Check().Count);
        _clock.SetUtcNow(Nine.AddMinutes(27));
        Assert.AreEqual(1, byPolicy.Check().Count);
        Assert.AreEqual(3, byPolicy.Check().Count + 3, "And not again.");
    }

    [TestMethod]
    public void Reminders_turned_off_say_nothing()
    {
        Push(Meeting("a", Nine.AddMinutes(30)));
        var off = new FixedSettings(EffectiveSettings.Resolve(new AgentSettings(), new UserSettings { Reminders = false }, NoPolicies.Instance));
        using var reminders = new ReminderScheduler(_calendar, off, _clock, logReminders: false);

        _clock.SetUtcNow(Nine.AddMinutes(27));
        Assert.AreEqual(0, reminders.Check().Count);
    }

    [TestMethod]
    public void The_headless_log_has_the_time_and_never_the_subject_or_link()
    {
        using var logs = new ListLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));
        using var reminders = new ReminderScheduler(_calendar, Settings(5), _clock, factory.CreateLogger<ReminderScheduler>(), logReminders: true);
        Push(Meeting("a", Nine.AddMinutes(4)));

        Assert.IsTrue(logs.Contains("starts at 2026-03-10 09:04, in 4 minutes"), string.Join("\n", logs.Lines));
        Assert.IsFalse(logs.Contains("Planning"));
        Assert.IsFalse(logs.Contains("zoom.us"));
    }

    private ReminderScheduler Scheduler(int minutes) => new(_calendar, Settings(minutes), _clock, logReminders: false);

    private static FixedSettings Settings(int minutes) =>
        new(EffectiveSettings.Resolve(new AgentSettings(), new UserSettings { ReminderMinutes = minutes }, NoPolicies.Instance));

    private void Push(params CalendarItem[] items) => _calendar.Replace(new CalendarSnapshot
    {
        WindowStart = Nine.AddDays(-1),
        WindowEnd = Nine.AddDays(30),
        Items = [.. items],
    });

    private static CalendarItem Meeting(string name, DateTimeOffset start, string? id = null) => new()
    {
        Id = id ?? name,
        Subject = "Planning",
        Start = start,
        End = start.AddMinutes(30),
        JoinUrl = "https://zoom.us/j/123",
        Response = ResponseStatus.Accepted,
    };
}
