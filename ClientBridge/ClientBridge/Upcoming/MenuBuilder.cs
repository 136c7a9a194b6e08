using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using ClientBridge.Protocol;

namespace ClientBridge.Upcoming;

/// <summary>Command ids of the tray menu: what the Windows tray performs when an entry is chosen.</summary>
public static class MenuCommands
{
    /// <summary>Opens <see cref="MenuEntry.Argument"/>, the meeting's join link.</summary>
    public const string Join = "meeting.join";

    public const string ScheduleNow = "meeting.schedule-now";

    /// <summary>Signs in to the provider named by the argument.</summary>
    public const string SignIn = "signin.start";

    /// <summary>Signs out of the provider named by the argument.</summary>
    public const string SignOut = "signin.signout";

    public const string OpenLogFolder = "logs.open";

    public const string About = "about";

    public const string Quit = "quit";
}

/// <summary>
/// Builds the tray menu, its tooltip and its status line from an <see cref="UpcomingView"/> and the providers'
/// sign-in state. Platform-neutral: the Windows tray draws the entries it returns and performs their commands.
/// Times are shown in the view's zone, 24-hour (the agent runs with the invariant culture).
/// </summary>
public static class MenuBuilder
{
    /// <summary>NOTIFYICONDATA's szTip holds 128 UTF-16 units, the terminating zero included.</summary>
    public const int TooltipLimit = 127;

    /// <summary>Subjects longer than this are cut in menu labels (a menu as wide as the screen helps nobody).</summary>
    public const int MaxSubjectLength = 80;

    private const string Ellipsis = "…";

    public static UpcomingReply Build(UpcomingView view, IReadOnlyList<ProviderState> providers, bool meetingsOnly = false, Settings.EffectiveSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(providers);
        var reply = new UpcomingReply
        {
            Now = view.Now,
            TimeZone = view.Zone.Id,
            CalendarRevision = view.Revision,
            StatusLine = StatusLine(providers),
            Tooltip = Tooltip(view),
            DeclinedHidden = view.DeclinedHidden,
        };

        AddMeetings(reply.Meetings, view, UpcomingSection.Now, view.OnNow);
        AddMeetings(reply.Meetings, view, UpcomingSection.Next, view.Next);
        AddMeetings(reply.Meetings, view, UpcomingSection.LaterToday, view.LaterToday);
        AddMeetings(reply.Meetings, view, UpcomingSection.Tomorrow, view.Tomorrow);
        AddMeetings(reply.Meetings, view, UpcomingSection.AllDayToday, view.AllDayToday);
        AddMeetings(reply.Meetings, view, UpcomingSection.AllDayTomorrow, view.AllDayTomorrow);
        if (!meetingsOnly)
        {
            reply.Menu = Menu(view, providers, reply.StatusLine, settings);
        }

        return reply;
    }

    public static List<MenuEntry> Menu(UpcomingView view, IReadOnlyList<ProviderState> providers, string statusLine, Settings.EffectiveSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(providers);
        var menu = new List<MenuEntry> { Info(statusLine), Separator() };

        Section(menu, "Now", view, view.OnNow, isNext: false, withJoin: true);
        Section(menu, "Next", view, view.Next, isNext: true, withJoin: true);
        Section(menu, "Later today", view, view.LaterToday, isNext: false, withJoin: false);
        Section(menu, "All day", view, view.AllDayToday, isNext: false, withJoin: false);
        if (view.OnNow.Count + view.Next.Count + view.LaterToday.Count + view.AllDayToday.Count == 0)
        {
            menu.Add(Info("No upcoming meetings"));
        }

        if (view.Tomorrow.Count + view.AllDayTomorrow.Count > 0)
        {
            var children = new List<MenuEntry>();
            foreach (CalendarItem item in view.AllDayTomorrow)
            {
                children.Add(Meeting(view, item));
            }

            foreach (CalendarItem item in view.Tomorrow)
            {
                children.Add(Meeting(view, item));
            }

            menu.Add(new MenuEntry { Label = "Tomorrow", Enabled = true, Children = children });
        }

        menu.Add(Separator());
        ProviderState? preferred = Default(providers);
        bool canSchedule = preferred is { State: "signed_in" or "not_required" };
        menu.Add(new MenuEntry { Label = "Schedule a meeting now", Enabled = canSchedule, Command = MenuCommands.ScheduleNow, Argument = preferred?.Provider });
        foreach (ProviderState provider in providers)
        {
            switch (provider.State)
            {
                case "signed_in":
                    menu.Add(new MenuEntry { Label = $"Sign out of {Display(provider.Provider)}", Enabled = true, Command = MenuCommands.SignOut, Argument = provider.Provider });
                    break;
                case "signed_out" or "expired":
                    menu.Add(new MenuEntry { Label = $"Sign in to {Display(provider.Provider)}…", Enabled = true, Command = MenuCommands.SignIn, Argument = provider.Provider });
                    break;
                case "disabled_by_policy":
                    menu.Add(new MenuEntry { Label = $"Sign in to {Display(provider.Provider)} (turned off by policy)", Enabled = false, Command = MenuCommands.SignIn, Argument = provider.Provider });
                    break;
                default:
                    break; // Needs no sign-in.
            }
        }

        if (settings is not null)
        {
            menu.Add(new MenuEntry { Label = "Settings", Enabled = true, Children = SettingsEntries(settings) });
        }

        menu.Add(Separator());
        menu.Add(new MenuEntry { Label = "Open the log folder", Enabled = true, Command = MenuCommands.OpenLogFolder });
        menu.Add(new MenuEntry { Label = "About ClientBridge", Enabled = true, Command = MenuCommands.About });
        menu.Add(new MenuEntry { Label = "Quit", Enabled = true, Command = MenuCommands.Quit });
        return menu;
    }

    /// <summary>Said after a value a policy set: the user sees why it cannot be changed.</summary>
    public const string LockedMark = " (set by your organisation)";

    /// <summary>The settings in force, one line each, those a policy locked marked as such (information only).</summary>
    public static List<MenuEntry> SettingsEntries(Settings.EffectiveSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        static string Mark(bool locked) => locked ? LockedMark : string.Empty;
        static string OnOff(bool on) => on ? "on" : "off";
        string reminders = settings.Reminders.Value
            ? string.Create(CultureInfo.InvariantCulture, $"Reminders: {settings.ReminderMinutes.Value} minutes before") + Mark(settings.Reminders.Locked || settings.ReminderMinutes.Locked)
            : "Reminders: off" + Mark(settings.Reminders.Locked);
        bool zoomLocked = settings.WaitingRoom.Locked || settings.RequirePasscode.Locked || settings.JoinBeforeHost.Locked || settings.MuteUponEntry.Locked;
        return
        [
            Info("Default provider: " + Display(settings.DefaultProvider.Value) + Mark(settings.DefaultProvider.Locked)),
            Info(reminders),
            Info(string.Create(CultureInfo.InvariantCulture, $"Calendar: {settings.DaysAhead.Value} days ahead") + Mark(settings.DaysAhead.Locked)),
            Info($"New Zoom meetings: waiting room {OnOff(settings.WaitingRoom.Value)}, passcode {OnOff(settings.RequirePasscode.Value)}" + Mark(zoomLocked)),
        ];
    }

    /// <summary>The default provider and its state: <c>Zoom: signed in as Ann Lee</c>, <c>Jitsi: ready (no sign-in needed)</c>.</summary>
    public static string StatusLine(IReadOnlyList<ProviderState> providers)
    {
        ArgumentNullException.ThrowIfNull(providers);
        if (Default(providers) is not { } provider)
        {
            return "No meeting service";
        }

        string name = Display(provider.Provider);
        return provider.State switch
        {
            "signed_in" => string.IsNullOrWhiteSpace(provider.Account) ? $"{name}: signed in" : $"{name}: signed in as {Clean(provider.Account, MaxSubjectLength)}",
            "signed_out" => $"{name}: not signed in",
            "expired" => $"{name}: sign-in expired",
            "not_required" => $"{name}: ready (no sign-in needed)",
            "disabled_by_policy" => $"{name}: turned off by policy",
            _ => $"{name}: {provider.State.Replace('_', ' ')}",
        };
    }

    /// <summary>
    /// The icon's tooltip: what is on now and what is next, within <see cref="TooltipLimit"/> characters, never
    /// cutting a surrogate pair. Cancelled meetings are left out.
    /// </summary>
    public static string Tooltip(UpcomingView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var text = new StringBuilder("ClientBridge");
        CalendarItem? current = view.OnNow.FirstOrDefault(i => !i.IsCancelled);
        if (current is not null)
        {
            text.Append('\n').Append("Now: ").Append(Clean(current.Subject, MaxSubjectLength)).Append(" until ").Append(Time(current.End, view.Zone));
            int more = view.OnNow.Count(i => !i.IsCancelled) - 1;
            if (more > 0)
            {
                text.Append(CultureInfo.InvariantCulture, $" (+{more})");
            }
        }

        if (view.Next.Count > 0)
        {
            CalendarItem next = view.Next[0];
            text.Append('\n').Append("Next: ").Append(Day(next.Start, view)).Append(Time(next.Start, view.Zone)).Append(' ').Append(Clean(next.Subject, MaxSubjectLength));
        }
        else if (current is null)
        {
            text.Append('\n').Append("No upcoming meetings");
        }

        return Fit(text.ToString(), TooltipLimit);
    }

    /// <summary>A meeting's label: <c>09:00–09:30  Design review</c>; <c>All day  Offsite</c>; <c>+1</c> when it ends on a later date.</summary>
    /// <remarks>Only the next meeting names its day (<c>Tomorrow 09:00–09:30</c>, <c>Wed 25 Mar 09:00–09:30</c>): every other section says it.</remarks>
    public static string Label(UpcomingView view, CalendarItem item, bool withDay = false)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(item);
        string subject = Clean(item.Subject, MaxSubjectLength);
        if (item.IsCancelled && !subject.StartsWith("Canceled:", StringComparison.OrdinalIgnoreCase) && !subject.StartsWith("Cancelled:", StringComparison.OrdinalIgnoreCase))
        {
            subject = "Cancelled: " + subject;
        }

        if (item.IsAllDay)
        {
            (DateOnly first, DateOnly end) = UpcomingBuilder.AllDayDates(item, view.Zone);
            string days = end.DayNumber - first.DayNumber > 1
                ? string.Create(CultureInfo.InvariantCulture, $"All day (until {end.AddDays(-1):ddd d MMM})")
                : "All day";
            return $"{days}  {subject}";
        }

        DateOnly startDate = UpcomingBuilder.LocalDate(item.Start, view.Zone);
        int laterDays = UpcomingBuilder.LocalDate(item.End, view.Zone).DayNumber - startDate.DayNumber;
        string span = $"{Time(item.Start, view.Zone)}–{Time(item.End, view.Zone)}";
        if (laterDays > 0)
        {
            span += string.Create(CultureInfo.InvariantCulture, $" +{laterDays}");
        }

        return $"{(withDay ? Day(item.Start, view) : string.Empty)}{span}  {subject}";
    }

    /// <summary>Cuts text to <paramref name="limit"/> UTF-16 units with an ellipsis, never between the halves of a surrogate pair.</summary>
    public static string Fit(string text, int limit)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length <= limit)
        {
            return text;
        }

        int keep = limit - Ellipsis.Length;
        if (keep > 0 && char.IsHighSurrogate(text[keep - 1]))
        {
            keep--;
        }

        return string.Concat(text.AsSpan(0, keep), Ellipsis);
    }

    private static void AddMeetings(List<UpcomingMeeting> into, UpcomingView view, UpcomingSection section, IReadOnlyList<CalendarItem> items)
    {
        foreach (CalendarItem item in items)
        {
            into.Add(new UpcomingMeeting
            {
                Id = item.Id,
                Section = section,
                Subject = item.Subject,
                Start = item.Start,
                End = item.End,
                IsAllDay = item.IsAllDay,
                IsCancelled = item.IsCancelled,
                Response = item.Response,
                JoinUrl = item.IsCancelled ? null : item.JoinUrl,
                Provider = item.Provider,
                Label = Label(view, item, withDay: section == UpcomingSection.Next),
            });
        }
    }

    private static void Section(List<MenuEntry> menu, string title, UpcomingView view, IReadOnlyList<CalendarItem> items, bool isNext, bool withJoin)
    {
        if (items.Count == 0)
        {
            return;
        }

        menu.Add(new MenuEntry { Kind = MenuEntryKind.Header, Label = title });
        foreach (CalendarItem item in items)
        {
            menu.Add(Meeting(view, item, isNext));
            if (withJoin && CanJoin(item))
            {
                menu.Add(new MenuEntry { Label = "    Join", Enabled = true, Command = MenuCommands.Join, Argument = item.JoinUrl });
            }
        }
    }

    /// <summary>A meeting: chosen, it joins when it has a link; without one it is information only.</summary>
    private static MenuEntry Meeting(UpcomingView view, CalendarItem item, bool withDay = false) => CanJoin(item)
        ? new MenuEntry { Label = Label(view, item, withDay), Enabled = true, Command = MenuCommands.Join, Argument = item.JoinUrl }
        : new MenuEntry { Label = Label(view, item, withDay), Enabled = !item.IsCancelled };

    private static bool CanJoin(CalendarItem item) => !item.IsCancelled && !string.IsNullOrWhiteSpace(item.JoinUrl);

    private static MenuEntry Info(string label) => new() { Label = label, Enabled = false };

    private static MenuEntry Separator() => new() { Kind = MenuEntryKind.Separator };

    private static ProviderState? Default(IReadOnlyList<ProviderState> providers) =>
        providers.FirstOrDefault(p => p.IsDefault) ?? (providers.Count > 0 ? providers[0] : null);

    private static string Display(string provider) => provider.ToLowerInvariant() switch
    {
        "zoom" => "Zoom",
        "jitsi" => "Jitsi",
        _ => provider,
    };

    private static string Time(DateTimeOffset instant, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(instant, zone).ToString("HH:mm", CultureInfo.InvariantCulture);

    /// <summary>Nothing for today; <c>Tomorrow </c>, or the weekday and date, before a time on another day.</summary>
    private static string Day(DateTimeOffset instant, UpcomingView view)
    {
        DateOnly date = UpcomingBuilder.LocalDate(instant, view.Zone);
        if (date == view.Today)
        {
            return string.Empty;
        }

        return date == view.Today.AddDays(1) ? "Tomorrow " : date.ToString("ddd d MMM ", CultureInfo.InvariantCulture);
    }

    /// <summary>One line of text: control characters (a subject pasted with a line break) become spaces, and it is cut to length.</summary>
    private static string Clean(string? text, int limit)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "(no subject)";
        }

        string line = text;
        if (line.AsSpan().IndexOfAnyInRange('\0', '\u001f') >= 0 || line.Contains('\u007f', StringComparison.Ordinal))
        {
            var clean = new StringBuilder(line.Length);
            foreach (char c in line)
            {
                clean.Append(char.IsControl(c) ? ' ' : c);
            }

            line = clean.ToString();
        }

        return Fit(line.Trim(), limit);
    }
}
