using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace ClientBridge.Wine.Tests;

/// <summary>
/// The tray as a person sees it: the Windows build of the agent under Wine on a virtual screen (Xvfb), in a Wine
/// desktop with a taskbar, given a calendar by a client; its popup menu opened through the test hook
/// (<c>ClientBridge__Tray__OpenMenuAfter</c>) and the screen captured to a PNG that is kept for a person to look at.
/// </summary>
[TestClass]
public sealed class TrayMenuTests
{
    private string _work = null!;

    public TestContext TestContext { get; set; } = null!;

    /// <summary>The desktop's files (the agent's log, the pushed calendar), kept with the run's results (WineEnvironment.LogsDirectory).</summary>
    [TestInitialize]
    public void CreateWorkFolder() => _work = WineEnvironment.Current.TestLogFolder(TestContext, "desktop");

    [TestMethod]
    [HasVirtualScreen]
    public async Task The_tray_menu_opens_with_the_pushed_calendar_and_is_captured_as_a_png()
    {
        var clock = Stopwatch.StartNew();
        await using TrayDesktop desktop = TrayDesktop.Start(_work, new Dictionary<string, string> { ["ClientBridge__Tray__OpenMenuAfter"] = "00:00:01" });
        await desktop.WaitForStatusAsync();
        Report($"agent answering `status` after {clock.Elapsed.TotalMilliseconds:0} ms");

        // A client pushes a calendar, as the add-in would: on now with a Zoom link, next with Teams, and tomorrow.
        ProcessResult pushed = await TrayDesktop.PushCalendarAsync(_work, Snapshot(DateTimeOffset.UtcNow));
        Report($"calendar-push: {pushed.StandardOutput.Trim()}");

        string log = await desktop.WaitForLogAsync("Tray menu opened");
        Match opened = Regex.Match(log, @"Tray menu opened \(calendar revision (\d+)\)", RegexOptions.CultureInvariant);
        Assert.IsTrue(opened.Success, log);
        Assert.AreNotEqual("0", opened.Groups[1].Value, $"The menu opened before the calendar arrived.\n{log}");
        Assert.Contains("Tray icon added to the notification area.", log, log);
        Report($"menu opened after {clock.Elapsed.TotalMilliseconds:0} ms (calendar revision {opened.Groups[1].Value})");

        // Let the menu finish drawing, then capture the whole virtual screen.
        await Task.Delay(TimeSpan.FromSeconds(1));
        Screenshot screen = await desktop.CaptureAsync("tray-menu.png");
        Report($"screenshot: {screen.Path} ({screen.Colours} distinct colours)");
        TestContext.AddResultFile(screen.Path);

        // A blank screen is one colour; Wine's desktop and taskbar alone are a handful; menu text adds anti-aliased shades.
        Assert.IsGreaterThan(50, screen.Colours, $"The screenshot {screen.Path} looks empty ({screen.Colours} colours). {desktop.Liveness}");
    }

    private static string Snapshot(DateTimeOffset now)
    {
        DateTimeOffset hour = new(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
        DateTimeOffset tomorrow = new(now.UtcDateTime.Date.AddDays(1), TimeSpan.Zero);
        string Item(string id, string subject, DateTimeOffset start, DateTimeOffset end, string? url) =>
            $$"""{"id":"{{id}}","subject":"{{subject}}","start":"{{start:O}}","end":"{{end:O}}","response":"accepted","joinUrl":{{(url is null ? "null" : $"\"{url}\"")}}}""";
        string[] items =
        [
            Item("a", "Design review & demo", hour, hour.AddHours(2), "https://zoom.us/j/1234567890?pwd=abc"),
            Item("b", "Weekly sync with the Outlook team", now.AddMinutes(30), now.AddMinutes(60), "https://teams.microsoft.com/l/meetup-join/19%3ameeting_x%40thread.v2/0"),
            Item("c", "Lunch with Ann", tomorrow.AddHours(12), tomorrow.AddHours(13), null),
        ];
        return $$"""{"windowStart":"{{now.AddDays(-1):O}}","windowEnd":"{{now.AddDays(7):O}}","items":[{{string.Join(',', items)}}]}""";
    }

    private void Report(FormattableString line) => WineEnvironment.Current.Report(TestContext, line);
}
