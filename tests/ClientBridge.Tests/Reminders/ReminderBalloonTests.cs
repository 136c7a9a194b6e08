using System;
using ClientBridge.Reminders;
using ClientBridge.Tests.Upcoming;
using Microsoft.Extensions.Time.Testing;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace ClientBridge.Tests.Reminders;

/// <summary>Which reminder the notification shows, and what it says.</summary>
[TestClass]
public sealed class ReminderBalloonTests
{
    private static readonly DateTimeOffset Nine = new(2026, 3, 10, 9, 0, 0, TimeSpan.FromHours(1));

    private readonly FakeTimeProvider _clock = TestClock.At(Nine, Zones.Berlin);

    [TestMethod]
    public void A_click_joins_the_reminder_showing()
    {
        var balloon = new ReminderBalloon(_clock);
        balloon.Show(Reminder("a", "https://a.example/1"));
        balloon.Displayed();

        Assert.AreEqual("https://a.example/1", balloon.Clicked());
        Assert.IsNull(balloon.Clicked(), "One click, one join.");
    }

    [TestMethod]
    public void The_latest_reminder_wins()
    {
        var balloon = new ReminderBalloon(_clock);
        balloon.Show(Reminder("a", "https://a.example/1"));
        balloon.Displayed();
        balloon.Show(Reminder("b", "https://b.example/2"));
        balloon.Closed(); // The shell closing the replaced notification, before it shows the new one.
        balloon.Displayed();

        Assert.AreEqual("https://b.example/2", balloon.Clicked());
    }

    [TestMethod]
    public void A_click_after_the_notification_timed_out_does_nothing()
    {
        var balloon = new ReminderBalloon(_clock);
        balloon.Show(Reminder("a", "https://a.example/1"));
        balloon.Displayed();
        balloon.Closed();

        Assert.IsNull(balloon.Clicked());
        Assert.IsNull(balloon.Showing);
    }

    [TestMethod]
    public void The_notice_says_when_and_what_within_the_shell_limits()
    {
        var balloon = new ReminderBalloon(_clock);
        ReminderNotice notice = balloon.Show(Reminder("a", "https://a.example/1", "Design review", Nine.AddMinutes(5)));

        Assert.AreEqual("In 5 minutes: Design review", notice.Title);
        Assert.AreEqual("Starts at 09:05. Click to join.", notice.Text);

        ReminderNotice longOne = ReminderBalloon.Notice(Reminder("b", "https://b.example", new string('x', 300) + "\r\nsecond line", Nine.AddSeconds(30)), Nine, Zones.Berlin);
        Assert.IsLessThanOrEqualTo(ReminderBalloon.TitleLimit, longOne.Title.Length);
        StringAssert.StartsWith(longOne.Title, "In 1 minute: xxx");
        Assert.DoesNotContain("\n", longOne.Title);

        ReminderNotice now = ReminderBalloon.Notice(Reminder("c", "https://c.example", "  ", Nine), Nine, Zones.Berlin);
        Assert.AreEqual("Starting now", now.Title);
    }

    private static MeetingReminder Reminder(string id, string url, string subject = "Standup", DateTimeOffset? start = null) =>
        new(id, subject, start ?? Nine.AddMinutes(5), url, 5);
}
