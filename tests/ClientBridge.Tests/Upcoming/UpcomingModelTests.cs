using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ClientBridge.Protocol;
using ClientBridge.Upcoming;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace ClientBridge.Tests.Upcoming;

/// <summary>What the tray shows when: now, next, later today, tomorrow, all day; at midnight and across DST (Berlin).</summary>
[TestClass]
public sealed class UpcomingModelTests
{
    private static readonly TimeZoneInfo Berlin = Zones.Berlin;

    [TestMethod]
    public void A_meeting_is_on_now_from_its_start_up_to_its_end_and_then_gone()
    {
        CalendarItem review = Timed("r", "Design review", "2026-03-23 09:00", "2026-03-23 09:30");

        Assert.AreSame(review, Build("2026-03-23 08:59", review).Next.Single());
        Assert.AreSame(review, Build("2026-03-23 09:00", review).OnNow.Single());
        Assert.AreSame(review, Build("2026-03-23 09:29:59", review).OnNow.Single());
        UpcomingView after = Build("2026-03-23 09:30", review);
        Assert.AreEqual(0, after.ShownCount, "a meeting that ended is gone");
    }

    [TestMethod]
    public void Overlapping_meetings_are_all_on_now_sorted_by_start_then_subject()
    {
        CalendarItem a = Timed("a", "Zebra sync", "2026-03-23 09:00", "2026-03-23 10:00");
        CalendarItem b = Timed("b", "alpha standup", "2026-03-23 09:00", "2026-03-23 09:15");
        CalendarItem c = Timed("c", "Early bird", "2026-03-23 08:30", "2026-03-23 09:45");

        UpcomingView view = Build("2026-03-23 09:05", a, b, c);

        CollectionAssert.AreEqual(new[] { "c", "b", "a" }, view.OnNow.Select(i => i.Id).ToArray());
        Assert.AreEqual(Local("2026-03-23 09:15"), view.ValidUntil, "the first end is when the view goes stale");
    }

    [TestMethod]
    public void Next_is_the_soonest_start_and_a_tie_makes_both_next()
    {
        CalendarItem one = Timed("1", "Budget", "2026-03-23 11:00", "2026-03-23 11:30");
        CalendarItem two = Timed("2", "Architecture", "2026-03-23 11:00", "2026-03-23 12:00");
        CalendarItem later = Timed("3", "Retro", "2026-03-23 15:00", "2026-03-23 16:00");
        CalendarItem tomorrow = Timed("4", "Planning", "2026-03-24 09:00", "2026-03-24 10:00");

        UpcomingView view = Build("2026-03-23 10:00", later, tomorrow, one, two);

        CollectionAssert.AreEqual(new[] { "2", "1" }, view.Next.Select(i => i.Id).ToArray(), "same start: by subject");
        CollectionAssert.AreEqual(new[] { "3" }, view.LaterToday.Select(i => i.Id).ToArray(), "the next ones are not repeated");
        CollectionAssert.AreEqual(new[] { "4" }, view.Tomorrow.Select(i => i.Id).ToArray());
        Assert.AreEqual(Local("2026-03-23 11:00"), view.ValidUntil);
    }

    [TestMethod]
    public void Next_may_be_days_away_and_its_label_then_names_the_day()
    {
        CalendarItem friday = Timed("f", "Board", "2026-03-27 14:00", "2026-03-27 15:00");

        UpcomingView view = Build("2026-03-23 18:00", friday);
        UpcomingReply reply = MenuBuilder.Build(view, Jitsi());

        Assert.AreSame(friday, view.Next.Single());
        Assert.AreEqual(0, view.LaterToday.Count + view.Tomorrow.Count);
        Assert.AreEqual("Fri 27 Mar 14:00–15:00  Board", reply.Meetings.Single().Label);
    }

    [TestMethod]
    public void Declined_meetings_are_hidden_and_only_counted()
    {
        CalendarItem declinedNow = Timed("d1", "Declined now", "2026-03-23 09:00", "2026-03-23 10:00", ResponseStatus.Declined);
        CalendarItem declinedNext = Timed("d2", "Declined next", "2026-03-23 10:30", "2026-03-23 11:00", ResponseStatus.Declined);
        CalendarItem declinedAllDay = AllDay("d3", "Declined offsite", "2026-03-23", "2026-03-24", ResponseStatus.Declined);
        CalendarItem accepted = Timed("ok", "Accepted", "2026-03-23 11:00", "2026-03-23 11:30", ResponseStatus.Accepted);

        UpcomingView view = Build("2026-03-23 09:10", declinedNow, declinedNext, declinedAllDay, accepted);

        Assert.AreEqual(0, view.OnNow.Count);
        Assert.AreSame(accepted, view.Next.Single(), "a declined meeting is never next");
        Assert.AreEqual(0, view.AllDayToday.Count);
        Assert.AreEqual(3, view.DeclinedHidden);
    }

    [TestMethod]
    public void Cancelled_meetings_are_marked_never_next_and_never_joinable()
    {
        CalendarItem cancelled = Timed("c", "Sync", "2026-03-23 10:00", "2026-03-23 10:30", cancelled: true, joinUrl: "https://zoom.us/j/1");
        CalendarItem outlookPrefixed = Timed("o", "Canceled: Old meeting", "2026-03-23 12:00", "2026-03-23 12:30", cancelled: true);
        CalendarItem real = Timed("r", "Real", "2026-03-23 11:00", "2026-03-23 11:30", joinUrl: "https://zoom.us/j/2");

        UpcomingView view = Build("2026-03-23 09:00", cancelled, outlookPrefixed, real);
        UpcomingReply reply = MenuBuilder.Build(view, Jitsi());

        Assert.AreSame(real, view.Next.Single());
        CollectionAssert.AreEqual(new[] { "c", "o" }, view.LaterToday.Select(i => i.Id).ToArray());
        UpcomingMeeting shown = reply.Meetings.Single(m => m.Id == "c");
        Assert.IsTrue(shown.IsCancelled);
        Assert.AreEqual("10:00–10:30  Cancelled: Sync", shown.Label);
        Assert.IsNull(shown.JoinUrl);
        Assert.AreEqual("12:00–12:30  Canceled: Old meeting", reply.Meetings.Single(m => m.Id == "o").Label, "Outlook's own prefix is not doubled");
        Assert.IsFalse(reply.Menu.Any(e => e.Argument == "https://zoom.us/j/1"), "no Join for a cancelled meeting");
        StringAssert.Contains(reply.Tooltip, "Next: 11:00 Real");
    }

    [TestMethod]
    public void All_day_events_have_their_own_sections_and_are_never_now_or_next()
    {
        CalendarItem today = AllDay("t", "Company holiday", "2026-03-23", "2026-03-24");
        CalendarItem multi = AllDay("m", "Offsite", "2026-03-22", "2026-03-26");
        CalendarItem tomorrow = AllDay("n", "Conference", "2026-03-24", "2026-03-25");
        CalendarItem past = AllDay("p", "Yesterday", "2026-03-22", "2026-03-23");

        UpcomingView view = Build("2026-03-23 12:00", today, multi, tomorrow, past);
        UpcomingReply reply = MenuBuilder.Build(view, Jitsi());

        Assert.AreEqual(0, view.OnNow.Count + view.Next.Count + view.LaterToday.Count + view.Tomorrow.Count);
        CollectionAssert.AreEqual(new[] { "m", "t" }, view.AllDayToday.Select(i => i.Id).ToArray(), "by start, then subject");
        CollectionAssert.AreEqual(new[] { "m", "n" }, view.AllDayTomorrow.Select(i => i.Id).ToArray());
        Assert.AreEqual("All day  Company holiday", reply.Meetings.First(m => m.Id == "t").Label);
        Assert.AreEqual("All day (until Wed 25 Mar)  Offsite", reply.Meetings.First(m => m.Id == "m").Label);
        Assert.AreEqual(Local("2026-03-24 00:00"), view.ValidUntil, "rebuilt at local midnight");
    }

    [TestMethod]
    public void An_all_day_event_sent_as_UTC_midnights_still_covers_its_one_date()
    {
        // A calendar kept in UTC: 00:00Z..00:00Z is 01:00..01:00 in Berlin in winter.
        var item = new CalendarItem
        {
            Id = "u",
            Subject = "UTC holiday",
            IsAllDay = true,
            Start = new DateTimeOffset(2026, 3, 24, 0, 0, 0, TimeSpan.Zero),
            End = new DateTimeOffset(2026, 3, 25, 0, 0, 0, TimeSpan.Zero),
        };

        Assert.AreEqual((new DateOnly(2026, 3, 24), new DateOnly(2026, 3, 25)), UpcomingBuilder.AllDayDates(item, Berlin));
        Assert.AreSame(item, Build("2026-03-23 23:59", item).AllDayTomorrow.Single());
        Assert.AreEqual(0, Build("2026-03-25 00:30", item).ShownCount);
    }

    [TestMethod]
    public void A_meeting_spanning_midnight_is_todays_and_on_now_until_it_ends()
    {
        CalendarItem late = Timed("l", "Late release", "2026-03-23 23:30", "2026-03-24 00:30", joinUrl: "https://meet.jit.si/x");

        Assert.AreSame(late, Build("2026-03-23 23:00", late).Next.Single());
        UpcomingView during = Build("2026-03-23 23:45", late);
        Assert.AreSame(late, during.OnNow.Single());
        Assert.AreEqual("23:30–00:30 +1  Late release", MenuBuilder.Build(during, Jitsi()).Meetings.Single().Label);
        Assert.AreSame(late, Build("2026-03-24 00:15", late).OnNow.Single(), "still on after midnight");
        Assert.AreEqual(0, Build("2026-03-24 00:30", late).ShownCount);
    }

    [TestMethod]
    public void Tomorrow_moves_to_today_at_midnight()
    {
        CalendarItem tue9 = Timed("t9", "Tuesday nine", "2026-03-24 09:00", "2026-03-24 09:30");
        CalendarItem tue10 = Timed("t10", "Tuesday ten", "2026-03-24 10:00", "2026-03-24 10:30");
        CalendarItem wed9 = Timed("w9", "Wednesday nine", "2026-03-25 09:00", "2026-03-25 09:30");
        CalendarItem tueAllDay = AllDay("ta", "Tuesday all day", "2026-03-24", "2026-03-25");

        UpcomingView before = Build("2026-03-23 23:59", tue9, tue10, wed9, tueAllDay);
        UpcomingView after = Build("2026-03-24 00:01", tue9, tue10, wed9, tueAllDay);

        Assert.AreSame(tue9, before.Next.Single());
        CollectionAssert.AreEqual(new[] { "t10" }, before.Tomorrow.Select(i => i.Id).ToArray());
        Assert.AreSame(tueAllDay, before.AllDayTomorrow.Single());
        Assert.AreEqual(0, before.AllDayToday.Count + before.LaterToday.Count);
        Assert.AreEqual(Local("2026-03-24 00:00"), before.ValidUntil, "the view at 23:59 goes stale at midnight");
        Assert.AreEqual("Tomorrow 09:00–09:30  Tuesday nine", MenuBuilder.Build(before, Jitsi()).Meetings.First().Label);

        Assert.AreSame(tue9, after.Next.Single());
        CollectionAssert.AreEqual(new[] { "t10" }, after.LaterToday.Select(i => i.Id).ToArray());
        CollectionAssert.AreEqual(new[] { "w9" }, after.Tomorrow.Select(i => i.Id).ToArray());
        Assert.AreSame(tueAllDay, after.AllDayToday.Single());
        Assert.AreEqual(0, after.AllDayTomorrow.Count);
        Assert.AreEqual("09:00–09:30  Tuesday nine", MenuBuilder.Build(after, Jitsi()).Meetings.First().Label);
    }

    [TestMethod]
    public void Spring_forward_in_Berlin_a_23_hour_day_keeps_its_dates_and_times()
    {
        // Sunday 29 March 2026: 02:00 CET becomes 03:00 CEST.
        CalendarItem allDay = AllDay("a", "Sunday", "2026-03-29", "2026-03-30");
        CalendarItem early = Timed("e", "Across the gap", "2026-03-29 01:30", "2026-03-29 03:30");
        CalendarItem late = Timed("l", "Late Sunday", "2026-03-29 23:30", "2026-03-30 00:15");
        CalendarItem monday = Timed("m", "Monday early", "2026-03-30 00:30", "2026-03-30 01:00");

        Assert.AreEqual(TimeSpan.FromHours(23), allDay.End - allDay.Start, "the day itself is 23 hours long");
        Assert.AreEqual(TimeSpan.FromHours(1), early.End - early.Start);

        UpcomingView night = Build("2026-03-29 01:45", allDay, early, late, monday);
        Assert.AreSame(early, night.OnNow.Single());
        Assert.AreSame(allDay, night.AllDayToday.Single());
        Assert.AreEqual(0, night.AllDayTomorrow.Count);
        Assert.AreEqual("01:30–03:30  Across the gap", MenuBuilder.Build(night, Jitsi()).Meetings.First(m => m.Id == "e").Label);

        UpcomingView evening = Build("2026-03-29 22:00", allDay, early, late, monday);
        Assert.AreSame(late, evening.Next.Single());
        CollectionAssert.AreEqual(new[] { "m" }, evening.Tomorrow.Select(i => i.Id).ToArray());
        Assert.AreSame(allDay, evening.AllDayToday.Single());
        Assert.AreEqual(Local("2026-03-29 23:30"), evening.ValidUntil);
        Assert.AreEqual(new DateTimeOffset(2026, 3, 29, 22, 0, 0, TimeSpan.Zero), UpcomingBuilder.LocalMidnight(new DateOnly(2026, 3, 30), Berlin).ToUniversalTime(), "Monday begins 23 hours after Sunday did");

        UpcomingView monday0010 = Build("2026-03-30 00:10", allDay, early, late, monday);
        Assert.AreEqual(0, monday0010.AllDayToday.Count, "the 23-hour all-day event ended at local midnight");
        Assert.AreSame(late, monday0010.OnNow.Single());
    }

    [TestMethod]
    public void Fall_back_in_Berlin_the_repeated_hour_keeps_the_order_of_instants()
    {
        // Sunday 25 October 2026: 03:00 CEST becomes 02:00 CET, so 02:15 to 02:45 happens twice.
        var zone = Berlin;
        CalendarItem first = Instant("1", "First quarter past two", new DateTimeOffset(2026, 10, 25, 0, 15, 0, TimeSpan.Zero), TimeSpan.FromMinutes(30));
        CalendarItem second = Instant("2", "Second quarter past two", new DateTimeOffset(2026, 10, 25, 1, 15, 0, TimeSpan.Zero), TimeSpan.FromMinutes(30));
        CalendarItem allDay = AllDay("a", "Long Sunday", "2026-10-25", "2026-10-26");
        Assert.AreEqual(TimeSpan.FromHours(25), allDay.End - allDay.Start, "the day itself is 25 hours long");

        UpcomingView before = UpcomingBuilder.Build([second, first, allDay], new DateTimeOffset(2026, 10, 25, 0, 0, 0, TimeSpan.Zero), zone);
        Assert.AreSame(first, before.Next.Single());
        Assert.AreSame(second, before.LaterToday.Single());
        UpcomingReply reply = MenuBuilder.Build(before, Jitsi());
        Assert.AreEqual("02:15–02:45  First quarter past two", reply.Meetings.Single(m => m.Id == "1").Label);
        Assert.AreEqual("02:15–02:45  Second quarter past two", reply.Meetings.Single(m => m.Id == "2").Label);

        // 02:30 the second time round (CET): the first ended an hour ago, the second is on.
        UpcomingView during = UpcomingBuilder.Build([second, first, allDay], new DateTimeOffset(2026, 10, 25, 1, 30, 0, TimeSpan.Zero), zone);
        Assert.AreSame(second, during.OnNow.Single());
        Assert.AreEqual(0, during.Next.Count + during.LaterToday.Count);
        Assert.AreSame(allDay, during.AllDayToday.Single());
        Assert.AreEqual(new DateTimeOffset(2026, 10, 25, 23, 0, 0, TimeSpan.Zero), UpcomingBuilder.LocalMidnight(new DateOnly(2026, 10, 26), zone).ToUniversalTime(), "Monday begins 25 hours after Sunday did");
        Assert.AreEqual(0, UpcomingBuilder.Build([allDay], new DateTimeOffset(2026, 10, 25, 23, 0, 0, TimeSpan.Zero), zone).ShownCount);
    }

    [TestMethod]
    public void The_zone_decides_the_dates_not_the_machine()
    {
        // 23:30 in New York on Monday is 05:30 on Tuesday in Berlin.
        CalendarItem item = Instant("x", "Transatlantic", new DateTimeOffset(2026, 3, 24, 3, 30, 0, TimeSpan.Zero), TimeSpan.FromMinutes(30));
        DateTimeOffset now = new(2026, 3, 23, 20, 0, 0, TimeSpan.Zero);
        CalendarItem other = Instant("y", "Earlier", new DateTimeOffset(2026, 3, 23, 21, 0, 0, TimeSpan.Zero), TimeSpan.FromMinutes(30));

        Assert.AreSame(item, UpcomingBuilder.Build([item, other], now, Zones.NewYork).LaterToday.Single());
        Assert.AreSame(item, UpcomingBuilder.Build([item, other], now, Berlin).Tomorrow.Single());
    }

    private static UpcomingView Build(string localNow, params CalendarItem[] items) => UpcomingBuilder.Build(items, Local(localNow), Berlin);

    internal static List<ProviderState> Jitsi() => [new ProviderState { Provider = "jitsi", State = "not_required", IsDefault = true }];

    internal static DateTimeOffset Local(string local)
    {
        DateTime wall = DateTime.ParseExact(local, local.Length > 16 ? "yyyy-MM-dd HH:mm:ss" : local.Length > 10 ? "yyyy-MM-dd HH:mm" : "yyyy-MM-dd", CultureInfo.InvariantCulture);
        return new DateTimeOffset(wall, Berlin.GetUtcOffset(wall));
    }

    internal static CalendarItem Timed(string id, string subject, string start, string end, ResponseStatus response = ResponseStatus.Accepted, bool cancelled = false, string? joinUrl = null) => new()
    {
        Id = id,
        Subject = subject,
        Start = Local(start),
        End = Local(end),
        Response = response,
        IsCancelled = cancelled,
        JoinUrl = joinUrl,
    };

    internal static CalendarItem AllDay(string id, string subject, string firstDate, string endDate, ResponseStatus response = ResponseStatus.Accepted) => new()
    {
        Id = id,
        Subject = subject,
        Start = Local(firstDate),
        End = Local(endDate),
        IsAllDay = true,
        Response = response,
    };

    private static CalendarItem Instant(string id, string subject, DateTimeOffset start, TimeSpan length) => new()
    {
        Id = id,
        Subject = subject,
        Start = start,
        End = start + length,
        Response = ResponseStatus.Accepted,
    };
}
