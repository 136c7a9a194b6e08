using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
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
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan MenuTimeout = TimeSpan.FromSeconds(60);

    private string _work = null!;

    public TestContext TestContext { get; set; } = null!;

    [TestInitialize]
    public void CreateWorkFolder() => _work = WineEnvironment.NewTempDirectory("tray");

    [TestCleanup]
    public void DeleteWorkFolder() => WineEnvironment.DeleteTempDirectory(_work);

    [TestMethod]
    [HasVirtualScreen]
    public async Task The_tray_menu_opens_with_the_pushed_calendar_and_is_captured_as_a_png()
    {
        WineEnvironment wine = WineEnvironment.Current;
        string logs = Path.Combine(_work, "logs");
        Directory.CreateDirectory(logs);
        using Process xvfb = StartXvfb(out string display);
        try
        {
            var clock = Stopwatch.StartNew();

            // `explorer /desktop=…` gives the agent a Wine desktop with a taskbar and a notification area.
            ProcessStartInfo start = wine.WindowsProcess(
                "explorer", "/desktop=ClientBridgeTray,1024x768", wine.ToWindowsPath(wine.AgentExecutable), "run", "--log-dir", wine.ToWindowsPath(logs));
            start.Environment["DISPLAY"] = display;
            start.Environment["ClientBridge__Tray__OpenMenuAfter"] = "00:00:01";
            start.UseShellExecute = false;
            start.RedirectStandardInput = true;
            start.RedirectStandardOutput = true;
            start.RedirectStandardError = true;
            using var agent = new Process { StartInfo = start };
            Assert.IsTrue(agent.Start(), "The agent did not start under Wine's explorer.");
            agent.StandardInput.Close();
            agent.BeginOutputReadLine();
            agent.BeginErrorReadLine();
            try
            {
                await WaitForStatusAsync(wine, agent, logs);
                Report($"agent answering `status` after {clock.Elapsed.TotalMilliseconds:0} ms");

                // A client pushes a calendar, as the add-in would: on now with a Zoom link, next with Teams, and tomorrow.
                string snapshot = Path.Combine(_work, "snapshot.json");
                await File.WriteAllTextAsync(snapshot, Snapshot(DateTimeOffset.UtcNow));
                ProcessResult pushed = await wine.RunWindowsAsync(wine.AgentExecutable, "calendar-push", wine.ToWindowsPath(snapshot));
                Assert.AreEqual(0, pushed.ExitCode, pushed.Describe());
                Report($"calendar-push: {pushed.StandardOutput.Trim()}");

                string log = await WaitForLogAsync(logs, "Tray menu opened", agent);
                Match opened = Regex.Match(log, @"Tray menu opened \(calendar revision (\d+)\)", RegexOptions.CultureInvariant);
                Assert.IsTrue(opened.Success, log);
                Assert.AreNotEqual("0", opened.Groups[1].Value, $"The menu opened before the calendar arrived.\n{log}");
                Assert.Contains("Tray icon added to the notification area.", log, log);
                Report($"menu opened after {clock.Elapsed.TotalMilliseconds:0} ms (calendar revision {opened.Groups[1].Value})");

                // Let the menu finish drawing, then capture the whole virtual screen.
                await Task.Delay(TimeSpan.FromSeconds(1));
                string folder = Path.Combine(wine.RepositoryRoot, ".artifacts", "screenshots");
                Directory.CreateDirectory(folder);
                string png = Path.Combine(folder, "tray-menu.png");
                File.Delete(png);
                ProcessResult captured = await RunToolAsync("import", "-display", display, "-window", "root", png);
                Assert.AreEqual(0, captured.ExitCode, captured.Describe());
                Assert.IsTrue(File.Exists(png), captured.Describe());

                ProcessResult colours = await RunToolAsync("identify", "-format", "%k", png);
                Assert.AreEqual(0, colours.ExitCode, colours.Describe());
                int count = int.Parse(colours.StandardOutput.Trim(), CultureInfo.InvariantCulture);
                Report($"screenshot: {png} ({count} distinct colours)");
                TestContext.AddResultFile(png);

                // A blank screen is one colour; Wine's desktop and taskbar alone are a handful; menu text adds anti-aliased shades.
                Assert.IsGreaterThan(50, count, $"The screenshot {png} looks empty ({count} colours).");
            }
            finally
            {
                ProcessRunner.Kill(agent);
                await agent.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(15)).Token).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
        finally
        {
            ProcessRunner.Kill(xvfb);
        }
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

    private static Process StartXvfb(out string display)
    {
        string xvfb = HasVirtualScreenAttribute.Find("Xvfb")!;
        for (int number = 90 + Random.Shared.Next(50); ; number++)
        {
            if (File.Exists($"/tmp/.X11-unix/X{number}") || File.Exists($"/tmp/.X{number}-lock"))
            {
                continue;
            }

            var process = Process.Start(new ProcessStartInfo(xvfb)
            {
                ArgumentList = { $":{number}", "-screen", "0", "1024x768x24", "-nolisten", "tcp" },
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromSeconds(10) && !process.HasExited)
            {
                if (File.Exists($"/tmp/.X11-unix/X{number}"))
                {
                    display = $":{number}";
                    return process;
                }

                Thread.Sleep(100);
            }

            ProcessRunner.Kill(process);
            process.Dispose();
            Assert.IsLessThan(200, number, "Xvfb did not start on any display.");
        }
    }

    private static async Task WaitForStatusAsync(WineEnvironment wine, Process agent, string logs)
    {
        var clock = Stopwatch.StartNew();
        ProcessResult? last = null;
        while (clock.Elapsed < ReadyTimeout)
        {
            Assert.IsFalse(agent.HasExited, $"The agent exited before answering.\n{ReadLog(logs)}");
            last = await wine.StatusAsync("--timeout", "2");
            if (last.ExitCode == 0)
            {
                return;
            }
        }

        Assert.Fail($"The agent did not answer `status` within {ReadyTimeout.TotalSeconds:0} s.\n{last?.Describe()}\n{ReadLog(logs)}");
    }

    private static async Task<string> WaitForLogAsync(string logs, string text, Process agent)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < MenuTimeout)
        {
            string log = ReadLog(logs);
            if (log.Contains(text, StringComparison.Ordinal))
            {
                return log;
            }

            Assert.IsFalse(agent.HasExited, $"The agent exited.\n{log}");
            await Task.Delay(250);
        }

        Assert.Fail($"The agent never logged \"{text}\" within {MenuTimeout.TotalSeconds:0} s.\n{ReadLog(logs)}");
        return string.Empty;
    }

    private static string ReadLog(string logs)
    {
        string? file = Directory.Exists(logs) ? Directory.GetFiles(logs, "agent-*.log").FirstOrDefault() : null;
        if (file is null)
        {
            return "(no log yet)";
        }

        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return ProcessRunner.Normalize(reader.ReadToEnd());
    }

    private static Task<ProcessResult> RunToolAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return ProcessRunner.RunAsync(start, TimeSpan.FromSeconds(30));
    }

    private void Report(FormattableString line)
    {
        string text = $"{TestContext.TestName}: {line.ToString(CultureInfo.InvariantCulture)}";
        TestContext.WriteLine(text);
        WineEnvironment.Current.Record(text);
    }
}
