using System;
using System.Diagnostics;
using System.Globalization;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace ClientBridge.Wine.Tests;

/// <summary>
/// The reminder as a person sees it: the Windows build of the agent under Wine on a virtual screen (Xvfb), in a Wine
/// desktop with a taskbar, given a calendar whose meeting with a join link starts in two minutes, inside the default
/// five-minute lead, so the reminder is due as the calendar arrives; the notification the tray shows for it is
/// captured to a PNG that is kept for a person to look at.
/// </summary>
[TestClass]
public sealed class TrayReminderTests
{
    private static readonly TimeSpan BalloonTimeout = TimeSpan.FromSeconds(8);

    private string _work = null!;

    public TestContext TestContext { get; set; } = null!;

    /// <summary>The desktop's files (the agent's log, the pushed calendar), kept with the run's results (WineEnvironment.LogsDirectory).</summary>
    [TestInitialize]
    public void CreateWorkFolder() => _work = WineEnvironment.Current.TestLogFolder(TestContext, "desktop");

    [TestMethod]
    [HasVirtualScreen]
    public async Task A_meeting_about_to_start_shows_a_reminder_notification_that_is_captured_as_a_png()
    {
        var clock = Stopwatch.StartNew();
        await using TrayDesktop desktop = TrayDesktop.Start(_work);
        await desktop.WaitForStatusAsync();
        await desktop.WaitForLogAsync("Tray icon added to the notification area.");
        Report($"agent answering `status`, tray icon added, after {clock.Elapsed.TotalMilliseconds:0} ms");

        // The screen before any reminder: the desktop, the taskbar and the agent's icon.
        Screenshot before = await desktop.CaptureAsync(path: System.IO.Path.Combine(_work, "before.png"));
        Report($"before the reminder: {before.Colours} distinct colours");

        // A client pushes a calendar, as the add-in would: a meeting with a Teams link in two minutes.
        ProcessResult pushed = await TrayDesktop.PushCalendarAsync(_work, Snapshot(DateTimeOffset.UtcNow));
        TimeSpan pushedAt = clock.Elapsed;
        Report($"calendar-push: {pushed.StandardOutput.Trim()}");

        string log = await desktop.WaitForLogAsync("Reminder notification shown:");
        Assert.IsTrue(log.Contains("Reminder notification shown: true.", StringComparison.OrdinalIgnoreCase), $"The shell refused the reminder notification.\n{log}");
        Assert.DoesNotContain("Quarterly planning", log, $"The log names the meeting.\n{log}");
        Assert.DoesNotContain("teams.microsoft.com", log, $"The log holds the join link.\n{log}");
        Report($"reminder shown {(clock.Elapsed - pushedAt).TotalMilliseconds:0} ms after the push ({clock.Elapsed.TotalMilliseconds:0} ms in all)");

        // Wine's explorer draws the balloon two seconds after it is asked to (BALLOON_CREATE_TIMEOUT in its systray.c)
        // and keeps it ten seconds at least, and never tells the owner (no NIN_BALLOONSHOW): poll the screen until it
        // changes, then let the balloon finish drawing and capture the whole virtual screen.
        TimeSpan shownAt = clock.Elapsed;
        var waiting = Stopwatch.StartNew();
        Screenshot screen = await desktop.CaptureAsync("tray-reminder.png");
        while (screen.Signature == before.Signature && waiting.Elapsed < BalloonTimeout)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            screen = await desktop.CaptureAsync("tray-reminder.png");
        }

        if (screen.Signature != before.Signature)
        {
            Report($"screen changed {(clock.Elapsed - shownAt).TotalMilliseconds:0} ms after the reminder was logged");
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            screen = await desktop.CaptureAsync("tray-reminder.png");
        }

        Report($"screenshot: {screen.Path} ({screen.Colours} distinct colours)");
        TestContext.AddResultFile(screen.Path);

        // A blank screen is one colour; Wine's desktop and taskbar alone are a handful; the notification's text adds anti-aliased shades.
        Assert.IsGreaterThan(50, screen.Colours, $"The screenshot {screen.Path} looks empty ({screen.Colours} colours). {desktop.Liveness}");
        Assert.AreNotEqual(before.Signature, screen.Signature, $"The screen did not change when the reminder was shown: {screen.Path}");
    }

    private static string Snapshot(DateTimeOffset now)
    {
        DateTimeOffset start = now.AddMinutes(2);
        string item = $$"""{"id":"r","subject":"Quarterly planning","start":"{{start:O}}","end":"{{start.AddMinutes(30):O}}","response":"accepted","joinUrl":"https://teams.microsoft.com/l/meetup-join/19%3ameeting_r%40thread.v2/0"}""";
        return $$"""{"windowStart":"{{now.AddDays(-1):O}}","windowEnd":"{{now.AddDays(7):O}}","items":[{{item}}]}""";
    }

    private void Report(FormattableString line) => WineEnvironment.Current.Report(TestContext, line);
}
