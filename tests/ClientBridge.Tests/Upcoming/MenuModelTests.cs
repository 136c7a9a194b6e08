using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ClientBridge.Calendar;
using ClientBridge.Protocol;
using ClientBridge.Tests.Support;
using ClientBridge.Upcoming;
using Microsoft.Extensions.Logging;
using ClientBridge.Policies;
using ClientBridge.Scheduling;
using ClientBridge.Settings;
using Microsoft.Extensions.Time.Testing;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static ClientBridge.Tests.Upcoming.UpcomingModelTests;

namespace ClientBridge.Tests.Upcoming;

/// <summary>The menu the tray draws, its tooltip, and the service that keeps them current after calendar changes.</summary>
[TestClass]
public sealed class MenuModelTests
{
    [TestMethod]
    public void The_menu_has_status_now_and_next_with_join_later_tomorrow_and_the_fixed_entries()
    {
        CalendarItem now = Timed("n", "Design review", "2026-03-23 09:00", "2026-03-23 09:30", joinUrl: "https://zoom.us/j/111");
        CalendarItem noLink = Timed("x", "Walk", "2026-03-23 09:15", "2026-03-23 09:45");
        CalendarItem next = Timed("t", "1:1", "2026-03-23 10:00", "2026-03-23 10:30", joinUrl: "https://teams.microsoft.com/l/meetup-join/abc");
        CalendarItem later = Timed("l", "Retro", "2026-03-23 15:00", "2026-03-23 16:00", joinUrl: "https://meet.google.com/abc-defg-hij");
        CalendarItem tomorrow = Timed("m", "Planning", "2026-03-24 09:00", "2026-03-24 10:00");
        CalendarItem allDay = AllDay("a", "Holiday in Berlin", "2026-03-23", "2026-03-24");
        List<ProviderState> providers =
        [
            new ProviderState { Provider = "zoom", State = "signed_in", Account = "Ann Lee", IsDefault = true },
            new ProviderState { Provider = "jitsi", State = "not_required" },
        ];

        UpcomingView view = UpcomingBuilder.Build([tomorrow, later, next, noLink, now, allDay], Local("2026-03-23 09:20"), Zones.Berlin);
        List<MenuEntry> menu = MenuBuilder.Build(view, providers).Menu;
        string[] labels = [.. menu.Select(e => e.Kind == MenuEntryKind.Separator ? "---" : e.Label)];

        CollectionAssert.AreEqual(
            new[]
            {
                "Zoom: signed in as Ann Lee", "---",
                "Now", "09:00–09:30  Design review", "    Join", "09:15–09:45  Walk",
                "Next", "10:00–10:30  1:1", "    Join",
                "Later today", "15:00–16:00  Retro",
                "All day", "All day  Holiday in Berlin",
                "Tomorrow", "---",
                "Schedule a meeting now", "Sign out of Zoom", "---",
                "Open the log folder", "About ClientBridge", "Quit",
            },
            labels,
            string.Join(" | ", labels));
        Assert.IsFalse(menu[0].Enabled, "the status line is information");
        Assert.AreEqual(MenuEntryKind.Header, menu[2].Kind);
        MenuEntry join = menu[4];
        Assert.AreEqual((MenuCommands.Join, "https://zoom.us/j/111", true), (join.Command, join.Argument, join.Enabled));
        Assert.IsNull(menu[5].Command, "no link, no Join");
        Assert.AreEqual(2, menu.Count(e => e.Command == MenuCommands.Join && e.Label.Trim() == "Join"), "Join entries for now and next only; a later meeting joins from its own entry");
        Assert.AreEqual(("https://meet.google.com/abc-defg-hij", MenuCommands.Join), (menu[10].Argument, menu[10].Command));
        MenuEntry tomorrowMenu = menu.Single(e => e.Label == "Tomorrow");
        Assert.AreEqual("09:00–10:00  Planning", tomorrowMenu.Children!.Single().Label);
        Assert.AreEqual((MenuCommands.ScheduleNow, true), (menu[15].Command, menu[15].Enabled));
        Assert.AreEqual((MenuCommands.SignOut, "zoom"), (menu[16].Command, menu[16].Argument));
        CollectionAssert.AreEqual(new[] { MenuCommands.OpenLogFolder, MenuCommands.About, MenuCommands.Quit }, menu.TakeLast(3).Select(e => e.Command).ToArray());
    }

    [TestMethod]
    public void The_command_prints_the_menu_one_entry_a_line_with_sections_indented()
    {
        CalendarItem now = Timed("n", "Design review", "2026-03-23 09:00", "2026-03-23 09:30", joinUrl: "https://meet.jit.si/ClientBridge-abc");
        CalendarItem next = Timed("t", "Budget", "2026-03-23 10:00", "2026-03-23 10:30");
        CalendarItem later = Timed("l", "Retro", "2026-03-23 15:00", "2026-03-23 16:00", joinUrl: "https://zoom.us/j/1");
        CalendarItem tomorrow = Timed("m", "Planning", "2026-03-24 09:00", "2026-03-24 10:00");
        CalendarItem allDay = AllDay("a", "Offsite", "2026-03-24", "2026-03-25");
        UpcomingView view = UpcomingBuilder.Build([tomorrow, later, next, now, allDay], Local("2026-03-23 09:10"), Zones.Berlin);

        string text = ClientBridge.Cli.UpcomingCommand.Describe(MenuBuilder.Build(view, Jitsi()));

        Assert.AreEqual(
            """
            Jitsi: ready (no sign-in needed)
            ----
            Now:
              09:00–09:30  Design review
                  Join  -> https://meet.jit.si/ClientBridge-abc
            Next:
              10:00–10:30  Budget
            Later today:
              15:00–16:00  Retro
            Tomorrow >
                All day  Offsite
                09:00–10:00  Planning
            ----
            Schedule a meeting now
            ----
            Open the log folder
            About ClientBridge
            Quit
            Tooltip: ClientBridge | Now: Design review until 09:30 | Next: 10:00 Budget
            """.ReplaceLineEndings("\n"),
            text.ReplaceLineEndings("\n"),
            text);
    }

    [TestMethod]
    public void Signed_out_of_the_default_provider_offers_sign_in_and_cannot_schedule()
    {
        List<ProviderState> providers =
        [
            new ProviderState { Provider = "zoom", State = "signed_out", IsDefault = true },
            new ProviderState { Provider = "jitsi", State = "not_required" },
        ];

        List<MenuEntry> menu = MenuBuilder.Build(UpcomingBuilder.Build([], Local("2026-03-23 09:00"), Zones.Berlin), providers).Menu;

        Assert.AreEqual("Zoom: not signed in", menu[0].Label);
        Assert.AreEqual("No upcoming meetings", menu[2].Label);
        Assert.IsFalse(menu.Single(e => e.Command == MenuCommands.ScheduleNow).Enabled);
        MenuEntry signIn = menu.Single(e => e.Command == MenuCommands.SignIn);
        Assert.AreEqual(("Sign in to Zoom…", "zoom", true), (signIn.Label, signIn.Argument, signIn.Enabled));
        Assert.AreEqual("Jitsi: ready (no sign-in needed)", MenuBuilder.StatusLine([new ProviderState { Provider = "jitsi", State = "not_required", IsDefault = true }]));
    }

    [TestMethod]
    public void The_tooltip_names_now_and_next_within_127_characters()
    {
        CalendarItem now = Timed("n", "Stand-up", "2026-03-23 09:00", "2026-03-23 09:15");
        CalendarItem next = Timed("t", new string('x', 300), "2026-03-23 10:00", "2026-03-23 10:30");

        string tip = MenuBuilder.Tooltip(UpcomingBuilder.Build([now, next], Local("2026-03-23 09:05"), Zones.Berlin));

        Assert.IsTrue(tip.Length <= MenuBuilder.TooltipLimit, $"{tip.Length} characters");
        Assert.AreEqual(MenuBuilder.TooltipLimit, tip.Length);
        StringAssert.StartsWith(tip, "ClientBridge\nNow: Stand-up until 09:15\nNext: 10:00 xxx");
        StringAssert.EndsWith(tip, "…");
        Assert.AreEqual("ClientBridge\nNo upcoming meetings", MenuBuilder.Tooltip(UpcomingBuilder.Build([], Local("2026-03-23 09:05"), Zones.Berlin)));
    }

    [TestMethod]
    public void Cutting_to_length_never_splits_a_surrogate_pair_and_subjects_stay_on_one_line()
    {
        string emoji = string.Concat(Enumerable.Repeat("😀", 100)); // 200 UTF-16 units
        string cut = MenuBuilder.Fit("a" + emoji, MenuBuilder.TooltipLimit);

        Assert.IsTrue(cut.Length <= MenuBuilder.TooltipLimit);
        Assert.IsFalse(char.IsHighSurrogate(cut[^2]), "a lone high surrogate before the ellipsis");
        CalendarItem multiline = Timed("m", "Line one\r\nLine\ttwo", "2026-03-23 10:00", "2026-03-23 10:30");
        UpcomingView view = UpcomingBuilder.Build([multiline], Local("2026-03-23 09:00"), Zones.Berlin);
        Assert.AreEqual("10:00–10:30  Line one  Line two", MenuBuilder.Label(view, multiline));
        Assert.IsFalse(MenuBuilder.Tooltip(view).Contains('\r', StringComparison.Ordinal));
    }

    [TestMethod]
    public void The_service_rebuilds_after_each_calendar_change_and_when_the_clock_passes_a_boundary()
    {
        FakeTimeProvider clock = TestClock.At(Local("2026-03-23 08:00"), Zones.Berlin);
        var store = new CalendarStore();
        using var service = new UpcomingService(store, Jitsi, clock, logChanges: false);
        int rebuilds = 0;
        service.Rebuilt += (_, _) => rebuilds++;

        store.Replace(new CalendarSnapshot { Items = [Timed("a", "First", "2026-03-23 09:00", "2026-03-23 09:30")] });
        Assert.AreEqual(1, rebuilds);
        Assert.AreEqual("a", service.Current.Next.Single().Id);
        Assert.AreEqual(store.Revision, service.Current.Revision);

        store.Apply(new CalendarDelta { Upserted = [Timed("b", "Earlier", "2026-03-23 08:30", "2026-03-23 08:45")] });
        Assert.AreEqual(2, rebuilds);
        Assert.AreEqual("b", service.Current.Next.Single().Id);

        clock.SetUtcNow(Local("2026-03-23 08:40"));
        Assert.AreEqual("b", service.Current.OnNow.Single().Id, "stale at 08:30: rebuilt when asked");
        Assert.AreEqual("a", service.Menu().Meetings.Single(m => m.Section == UpcomingSection.Next).Id);

        store.Apply(new CalendarDelta { RemovedIds = ["a", "b"] });
        Assert.AreEqual(0, service.Current.ShownCount);
    }

    [TestMethod]
    public async Task Once_started_the_service_rebuilds_by_its_own_timer_when_a_meeting_starts()
    {
        FakeTimeProvider clock = TestClock.At(Local("2026-03-23 08:00"), Zones.Berlin);
        var store = new CalendarStore();
        using var service = new UpcomingService(store, Jitsi, clock, logChanges: false);
        var views = new List<UpcomingView>();
        service.Rebuilt += (_, view) => views.Add(view);
        await service.StartAsync(CancellationToken.None);
        store.Replace(new CalendarSnapshot { Items = [Timed("a", "First", "2026-03-23 09:00", "2026-03-23 09:30")] });
        int before = views.Count;

        clock.Advance(TimeSpan.FromMinutes(59));
        Assert.AreEqual(before, views.Count, "Nothing changes before nine: no rebuild.");
        clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));

        Assert.AreEqual(before + 1, views.Count, "At nine the service's own timer rebuilt the view; nobody asked for it.");
        Assert.AreEqual("a", views[^1].OnNow.Single().Id, "The tray's tooltip now says the meeting is on.");
        await service.StopAsync(CancellationToken.None);
    }

    [TestMethod]
    public void The_headless_log_has_counts_and_times_but_no_subject_name_or_link()
    {
        FakeTimeProvider clock = TestClock.At(Local("2026-03-23 08:00"), Zones.Berlin);
        var store = new CalendarStore();
        using var logs = new ListLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        List<ProviderState> Providers() => [new ProviderState { Provider = "zoom", State = "signed_in", Account = "Ann Lee", IsDefault = true }];
        using var service = new UpcomingService(store, Providers, clock, logger: factory.CreateLogger<UpcomingService>(), logChanges: true);
        var secret = new CalendarItem
        {
            Id = "s",
            Subject = "Layoffs discussion",
            Start = Local("2026-03-23 09:00"),
            End = Local("2026-03-23 09:30"),
            Location = "Room Secret",
            Organizer = "Bob Boss",
            JoinUrl = "https://zoom.us/j/999?pwd=abc",
            Response = ResponseStatus.Accepted,
        };

        store.Replace(new CalendarSnapshot { Items = [secret] });
        store.Apply(new CalendarDelta { Upserted = [Timed("o", "Other", "2026-03-23 15:00", "2026-03-23 15:30")] }); // next unchanged: not logged again

        string[] lines = logs.Lines;
        Assert.AreEqual(1, lines.Length, string.Join("\n", lines));
        StringAssert.Contains(lines[0], "next at 2026-03-23 09:00 (1)");
        StringAssert.Contains(lines[0], "provider zoom signed_in");
        foreach (string forbidden in new[] { "Layoffs", "Secret", "Bob", "Ann", "zoom.us", "Other" })
        {
            Assert.IsFalse(lines[0].Contains(forbidden, StringComparison.Ordinal), $"'{forbidden}' reached the log: {lines[0]}");
        }

        clock.SetUtcNow(Local("2026-03-23 09:10"));
        _ = service.Current;
        Assert.AreEqual(2, logs.Lines.Length, "the next meeting changed");
        StringAssert.Contains(logs.Lines[1], "1 on now; next at 2026-03-23 15:00");
    }

    [TestMethod]
    public void The_settings_submenu_marks_what_a_policy_locked_and_only_that()
    {
        UpcomingView view = UpcomingBuilder.Build([], Local("2026-03-23 09:20"), Zones.Berlin);
        EffectiveSettings managed = EffectiveSettings.Resolve(
            new AgentSettings(),
            new UserSettings { DaysAhead = 14 },
            new PolicyTests.Policies((PolicyValues.ReminderMinutes, 15)));

        MenuEntry settings = MenuBuilder.Build(view, [], settings: managed).Menu.Single(e => e.Label == "Settings");
        string[] lines = [.. settings.Children!.Select(e => e.Label)];

        CollectionAssert.Contains(lines, "Reminders: 15 minutes before" + MenuBuilder.LockedMark);
        CollectionAssert.Contains(lines, "Calendar: 14 days ahead", "the user's own choice is not locked");
        Assert.IsTrue(settings.Children!.All(e => !e.Enabled || e.Command is null), "information only");
        Assert.IsFalse(MenuBuilder.Build(view, []).Menu.Any(e => e.Label == "Settings"), "left out when the settings are not known");
    }
}
