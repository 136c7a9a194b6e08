using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace ClientBridge.Wine.Tests;

/// <summary>
/// The Windows build of the agent running under Wine in a Wine desktop with a taskbar (<c>explorer /desktop=…</c>)
/// on a virtual screen (Xvfb), logging to a folder; with what the tray tests need to wait for it and to capture the
/// screen as a PNG (ImageMagick) kept under <c>.artifacts/screenshots</c> for a person to look at.
/// </summary>
internal sealed class TrayDesktop : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan LogTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _xvfb;
    private readonly Process _agent;

    private TrayDesktop(Process xvfb, string display, Process agent, string logs)
    {
        _xvfb = xvfb;
        Display = display;
        _agent = agent;
        Logs = logs;
    }

    /// <summary>The X display Xvfb serves, e.g. <c>:97</c>.</summary>
    public string Display { get; }

    /// <summary>The agent's log folder (host path).</summary>
    public string Logs { get; }

    /// <summary>Whether Wine's desktop (with the agent in it) and the X server are still running, for a failure's message.</summary>
    public string Liveness =>
        $"Wine's desktop process {(_agent.HasExited ? $"exited with {_agent.ExitCode}" : "is running")}; Xvfb {(_xvfb.HasExited ? $"exited with {_xvfb.ExitCode}" : "is running")}.";

    /// <summary>Starts Xvfb, then the agent (<c>run --log-dir</c>) in a Wine desktop on it, with extra environment variables.</summary>
    public static TrayDesktop Start(string work, IReadOnlyDictionary<string, string>? environment = null)
    {
        WineEnvironment wine = WineEnvironment.Current;
        string logs = Path.Combine(work, "logs");
        Directory.CreateDirectory(logs);
        Process xvfb = StartXvfb(out string display);
        try
        {
            // `explorer /desktop=…` gives the agent a Wine desktop with a taskbar and a notification area.
            ProcessStartInfo start = wine.WindowsProcess(
                "explorer", "/desktop=ClientBridgeTray,1024x768", wine.ToWindowsPath(wine.AgentExecutable), "run", "--log-dir", wine.ToWindowsPath(logs));
            start.Environment["DISPLAY"] = display;
            foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
            {
                start.Environment[name] = value;
            }

            // Wine's errors from the desktop (explorer draws the taskbar, the icon and the balloons) are kept beside
            // the agent's log: a desktop that vanished mid-test is explained there, if anywhere.
            start.Environment["WINEDEBUG"] = "err+all";
            start.UseShellExecute = false;
            start.RedirectStandardInput = true;
            start.RedirectStandardOutput = true;
            start.RedirectStandardError = true;
            var agent = new Process { StartInfo = start };
            string desktopLog = Path.Combine(work, "explorer.log");
            DataReceivedEventHandler keep = (_, e) =>
            {
                if (e.Data is not null)
                {
                    lock (desktopLog)
                    {
                        File.AppendAllText(desktopLog, e.Data + "\n");
                    }
                }
            };
            agent.OutputDataReceived += keep;
            agent.ErrorDataReceived += keep;
            Assert.IsTrue(agent.Start(), "The agent did not start under Wine's explorer.");
            agent.StandardInput.Close();
            agent.BeginOutputReadLine();
            agent.BeginErrorReadLine();
            return new TrayDesktop(xvfb, display, agent, logs);
        }
        catch
        {
            ProcessRunner.Kill(xvfb);
            xvfb.Dispose();
            throw;
        }
    }

    /// <summary>Waits until the agent answers <c>status</c>.</summary>
    public async Task WaitForStatusAsync()
    {
        var clock = Stopwatch.StartNew();
        ProcessResult? last = null;
        while (clock.Elapsed < ReadyTimeout)
        {
            Assert.IsFalse(_agent.HasExited, $"The agent exited before answering.\n{ReadLog()}");
            last = await WineEnvironment.Current.StatusAsync("--timeout", "2");
            if (last.ExitCode == 0)
            {
                return;
            }
        }

        Assert.Fail($"The agent did not answer `status` within {ReadyTimeout.TotalSeconds:0} s.\n{last?.Describe()}\n{ReadLog()}");
    }

    /// <summary>Waits until the agent's log holds <paramref name="text"/>; returns the whole log.</summary>
    public async Task<string> WaitForLogAsync(string text)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < LogTimeout)
        {
            string log = ReadLog();
            if (log.Contains(text, StringComparison.Ordinal))
            {
                return log;
            }

            Assert.IsFalse(_agent.HasExited, $"The agent exited.\n{log}");
            await Task.Delay(250);
        }

        Assert.Fail($"The agent never logged \"{text}\" within {LogTimeout.TotalSeconds:0} s.\n{ReadLog()}");
        return string.Empty;
    }

    /// <summary>Pushes a calendar snapshot (JSON) with the hidden <c>calendar-push</c> command, as the add-in would.</summary>
    public static async Task<ProcessResult> PushCalendarAsync(string work, string snapshotJson)
    {
        WineEnvironment wine = WineEnvironment.Current;
        string snapshot = Path.Combine(work, "snapshot.json");
        await File.WriteAllTextAsync(snapshot, snapshotJson);
        ProcessResult pushed = await wine.RunWindowsAsync(wine.AgentExecutable, "calendar-push", wine.ToWindowsPath(snapshot));
        Assert.AreEqual(0, pushed.ExitCode, pushed.Describe());
        return pushed;
    }

    /// <summary>Captures the whole virtual screen to <c>.artifacts/screenshots/<paramref name="name"/></c>, or to <paramref name="path"/>.</summary>
    public async Task<Screenshot> CaptureAsync(string? name = null, string? path = null)
    {
        string png = path ?? ScreenshotPath(name ?? throw new ArgumentNullException(nameof(name)));
        Directory.CreateDirectory(Path.GetDirectoryName(png)!);
        File.Delete(png);
        ProcessResult captured = await RunToolAsync("import", "-display", Display, "-window", "root", png);
        Assert.AreEqual(0, captured.ExitCode, captured.Describe());
        Assert.IsTrue(File.Exists(png), captured.Describe());

        // %k: distinct colours; %#: a hash of the pixels, equal for two captures of the same screen.
        ProcessResult read = await RunToolAsync("identify", "-format", "%k %#", png);
        Assert.AreEqual(0, read.ExitCode, read.Describe());
        string[] parts = read.StandardOutput.Trim().Split(' ');
        return new Screenshot(png, int.Parse(parts[0], CultureInfo.InvariantCulture), parts[1]);
    }

    public static string ScreenshotPath(string name) => Path.Combine(WineEnvironment.Current.RepositoryRoot, ".artifacts", "screenshots", name);

    public string ReadLog()
    {
        string? file = Directory.Exists(Logs) ? Directory.GetFiles(Logs, "agent-*.log").FirstOrDefault() : null;
        if (file is null)
        {
            return "(no log yet)";
        }

        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return ProcessRunner.Normalize(reader.ReadToEnd());
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            ProcessRunner.Kill(_agent);
            await _agent.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(15)).Token).ContinueWith(_ => { }, TaskScheduler.Default);
            _agent.Dispose();
        }
        finally
        {
            ProcessRunner.Kill(_xvfb);
            _xvfb.Dispose();
        }
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
            // Xvfb is ready once its socket exists; it says so by no other means a child process can wait on here.
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

    private static Task<ProcessResult> RunToolAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return ProcessRunner.RunAsync(start, TimeSpan.FromSeconds(30));
    }
}

/// <summary>A captured screen: the PNG kept, its distinct colours and a hash of its pixels.</summary>
internal sealed record Screenshot(string Path, int Colours, string Signature);
