using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace ClientBridge.Wine.Tests;

/// <summary>
/// Which executable hosts the agent (and so owns the tray icon) when a client has to start it: the command line's
/// <c>schedule</c> with no agent running starts <c>ClientBridgeW.exe</c> from its folder, as the add-in and the Run key
/// do, and <c>ClientBridge.exe</c> only where no W exists. Seen from the outside: the command line of the Wine process
/// that serves the pipe afterwards. The add-in (net472) cannot run under Wine; it calls the same
/// <c>ProcessAgentLauncher.Locate</c>.
/// </summary>
[TestClass]
public sealed class AgentLaunchTests
{
    private readonly EnvironmentOverrides _environment = new();
    private string _work = null!;

    public TestContext TestContext { get; set; } = null!;

    [TestInitialize]
    public void Prepare()
    {
        if (!WineEnvironment.Current.UsesWine)
        {
            Assert.Inconclusive("The agent's process is found by its command line in /proc, which only Wine's processes on Linux have.");
        }

        _work = WineEnvironment.NewTempDirectory("launch");
        WineEnvironment wine = WineEnvironment.Current;
        _environment.Set("ClientBridge__StateDirectory", wine.ToWindowsPath(Directory.CreateDirectory(Path.Combine(_work, "state")).FullName));
        _environment.Set("ClientBridge__SettingsDirectory", wine.ToWindowsPath(Directory.CreateDirectory(Path.Combine(_work, "settings")).FullName));
        _environment.Set("ClientBridge__Tray__Enabled", "false");
    }

    [TestCleanup]
    public void Restore()
    {
        _environment.Restore();

        WineEnvironment.DeleteTempDirectory(_work);
    }

    [TestMethod]
    public async Task A_command_that_finds_no_agent_starts_ClientBridgeW_exe_where_there_is_one()
    {
        // The installer's ClientBridgeW.exe differs from ClientBridge.exe only in the PE subsystem field
        // (MsiTableTests checks that); a plain copy stands in for it here, which is all the choice of file depends on.
        string console = PublishedAgentCopy.Make(Path.Combine(_work, "installed"));
        File.Copy(console, Path.Combine(Path.GetDirectoryName(console)!, "ClientBridgeW.exe"));

        string started = await StartThroughScheduleAsync(console);

        Assert.EndsWith(@"\ClientBridgeW.exe", started, started);
    }

    [TestMethod]
    public async Task Without_a_W_executable_a_development_build_starts_ClientBridge_exe()
    {
        string console = PublishedAgentCopy.Make(Path.Combine(_work, "dev"));

        string started = await StartThroughScheduleAsync(console);

        Assert.EndsWith(@"\ClientBridge.exe", started, started);
    }

    /// <summary>Runs <c>schedule</c> from <paramref name="console"/> with no agent running; returns the started agent's executable, as Wine names it.</summary>
    private async Task<string> StartThroughScheduleAsync(string console)
    {
        WineEnvironment wine = WineEnvironment.Current;
        ProcessResult before = await wine.RunWindowsAsync(console, "status", "--timeout", "2");
        Assert.AreEqual(3, before.ExitCode, $"An agent is already running, so none would be started.\n{before.Describe()}");

        string folder = wine.ToWindowsPath(Path.GetDirectoryName(console)!);
        try
        {
            ProcessResult scheduled = await RunDetachingAsync(
                wine,
                console,
                "schedule",
                "--subject",
                "Launch check",
                "--start",
                DateTimeOffset.UtcNow.AddDays(1).ToString("yyyy-MM-dd'T'HH:00:00'Z'", CultureInfo.InvariantCulture),
                "--duration",
                "30",
                "--provider",
                "jitsi");
            Assert.AreEqual(0, scheduled.ExitCode, scheduled.Describe());

            string[] agents = [.. AgentCommandLines().Where(c => c.StartsWith(folder + "\\", StringComparison.OrdinalIgnoreCase))];
            Report($"agents running from {folder}: {string.Join(" | ", agents)}");
            Assert.HasCount(1, agents, $"Expected one agent serving from {folder}; Wine processes: {string.Join(" | ", AgentCommandLines())}");
            string executable = agents[0].Split(' ')[0];
            Assert.Contains(" run --background", agents[0], agents[0]);
            return executable;
        }
        finally
        {
            ProcessResult stop = await wine.RunWindowsAsync(console, "stop");
            Report($"stop: exit {stop.ExitCode}");
        }
    }

    /// <summary>
    /// Runs a command that leaves an agent running, with its output in a file rather than a pipe of the test's: under
    /// Wine the detached agent keeps the command's standard output open (on Windows the launcher's closed pipes
    /// suffice), so reading it to its end would wait for the agent.
    /// </summary>
    private async Task<ProcessResult> RunDetachingAsync(WineEnvironment wine, string executable, params string[] arguments)
    {
        string output = Path.Combine(_work, $"output-{Guid.NewGuid():N}.txt");
        ProcessStartInfo wineStart = wine.WindowsProcess(executable, arguments);
        var start = new ProcessStartInfo("/bin/sh") { WorkingDirectory = wineStart.WorkingDirectory };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec \"$0\" \"$@\" </dev/null >\"$CLIENTBRIDGE_COMMAND_OUTPUT\" 2>&1");
        start.ArgumentList.Add(wineStart.FileName);
        foreach (string argument in wineStart.ArgumentList)
        {
            start.ArgumentList.Add(argument);
        }

        foreach ((string name, string? value) in wineStart.Environment)
        {
            start.Environment[name] = value;
        }

        start.Environment["CLIENTBRIDGE_COMMAND_OUTPUT"] = output;
        ProcessResult result = await ProcessRunner.RunAsync(start, WineEnvironment.CommandTimeout);
        string text = File.Exists(output) ? ProcessRunner.Normalize(await File.ReadAllTextAsync(output)) : string.Empty;
        result = result with { StandardOutput = text };
        wine.LogCall(result);
        return result;
    }

    /// <summary>
    /// The command lines of this machine's processes that run an agent under Wine: Wine gives each Windows process the
    /// Windows command line as its own (<c>Z:\…\ClientBridgeW.exe run --background --pipe …</c>).
    /// </summary>
    private static IEnumerable<string> AgentCommandLines()
    {
        foreach (string process in Directory.EnumerateDirectories("/proc"))
        {
            string commandLine;
            try
            {
                commandLine = File.ReadAllText(Path.Combine(process, "cmdline")).Replace('\0', ' ').Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue; // Gone meanwhile, or not ours to read.
            }

            if (commandLine.Contains("ClientBridge", StringComparison.Ordinal) && commandLine.Contains(".exe run", StringComparison.OrdinalIgnoreCase))
            {
                yield return commandLine;
            }
        }
    }

    private void Report(FormattableString line) => WineEnvironment.Current.Report(TestContext, line);
}
