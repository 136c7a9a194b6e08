using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using TestSupport;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace ClientBridge.Wine.Tests;

/// <summary>
/// The Windows build of the agent and a way to run it: on Linux a Wine prefix of this repository's own
/// (<c>.artifacts/wine-prefix</c>, made once and reused), on Windows nothing but the published .exe itself.
/// Made once per test run by <see cref="WineRun"/>.
/// </summary>
internal sealed class WineEnvironment
{
    /// <summary>What to install on Debian/Ubuntu when Wine is missing.</summary>
    public const string AptInstall = "apt-get install -y wine64 wine";

    public const string PolicyKey = @"HKCU\Software\Policies\ClientBridge";

    /// <summary>Long enough for a cold Wine process plus the agent's own 5 s default timeout.</summary>
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan PrefixStepTimeout = TimeSpan.FromMinutes(3);
    // A publish may first wait for another test project's publish of the agent (AgentPublisher's lock).
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan WineServerTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Only for <c>wineboot -i</c>: no wine-mono or wine-gecko exists here, so Wine must not look for them.</summary>
    private const string InitDllOverrides = "mscoree,mshtml=;winemenubuilder.exe=d";

    /// <summary>Everything after the prefix exists: <c>mscoree</c> must stay enabled or .NET cannot load System.Runtime.dll.</summary>
    private const string RunDllOverrides = "winemenubuilder.exe=d";

    private const string PrefixReadyMarker = ".clientbridge-prefix-ready";

    private static WineEnvironment? s_current;

    private readonly string? _wine;
    private readonly string? _wineServer;
    private readonly string? _prefix;
    private readonly List<string> _timings = [];
    private readonly string _callsLog;
    private int _toolRuns;

    private WineEnvironment(string repositoryRoot, string? wine, string? wineServer, string? prefix, string logsDirectory)
    {
        RepositoryRoot = repositoryRoot;
        LogsDirectory = logsDirectory;
        Directory.CreateDirectory(logsDirectory);
        _callsLog = Path.Combine(logsDirectory, "wine-calls.log");
        PublishDirectory = Path.Combine(repositoryRoot, ".artifacts", "win-x64", "ClientBridge");
        _wine = wine;
        _wineServer = wineServer;
        _prefix = prefix;
    }

    public static WineEnvironment Current => s_current ?? throw new InvalidOperationException("The Wine environment is made in AssemblyInitialize, which has not run.");

    public string RepositoryRoot { get; }

    /// <summary>
    /// Where this run keeps what Wine and the agent wrote (<c>TestResults/wine-logs</c> at the repository's root):
    /// <c>wine-calls.log</c> with every Windows program run, <c>wine-tools/</c> with each Wine tool's output,
    /// <c>timings.txt</c>, and a folder per test (<c>Class/Test/…</c>) with the agent's and msiexec's logs.
    /// </summary>
    public string LogsDirectory { get; }

    public string PublishDirectory { get; }

    public string AgentExecutable => Path.Combine(PublishDirectory, "ClientBridge.exe");

    public bool UsesWine => _wine is not null;

    public IReadOnlyList<string> Timings
    {
        get
        {
            lock (_timings)
            {
                return [.. _timings];
            }
        }
    }

    /// <summary>Finds Wine, makes or reuses the prefix, and publishes the agent for win-x64.</summary>
    public static async Task<WineEnvironment> CreateAsync()
    {
        string root = AgentPublisher.FindRepositoryRoot();

        // Beside the TRX files that .ci/run reads (TestResults/ at the root), so that a failure in CI can be read
        // afterwards; MSTest gives no results folder to a run without deployment (every TestContext folder is the
        // build output). Only the last run's logs are kept.
        string logsDirectory = Path.Combine(root, "TestResults", "wine-logs");
        if (Directory.Exists(logsDirectory))
        {
            Directory.Delete(logsDirectory, recursive: true);
        }

        WineEnvironment environment;
        if (OperatingSystem.IsWindows())
        {
            environment = new WineEnvironment(root, null, null, null, logsDirectory);
        }
        else
        {
            string wine = FindOnPath("wine") ?? throw MissingWine("wine");
            string wineServer = FindOnPath("wineserver") ?? throw MissingWine("wineserver");
            environment = new WineEnvironment(root, wine, wineServer, Path.Combine(root, ".artifacts", "wine-prefix"), logsDirectory);

            // Known from here on, so that the run's cleanup stops Wine even when a step below fails.
            s_current = environment;

            // An agent left by an aborted run would hold the endpoint; the prefix is this repository's own.
            await environment.StopWineAsync();
            await environment.PreparePrefixAsync();
            await environment.StartSessionAsync();
        }

        // The session does not end while the (trimmed, precompiled, minutes-long) publish leaves Wine idle.
        await environment.PublishAsync();
        s_current = environment;
        return environment;
    }

    public void Record(string line)
    {
        lock (_timings)
        {
            _timings.Add(line);
        }
    }

    /// <summary>A test's own line: in its output, and in the run's summary.</summary>
    public void Report(TestContext context, FormattableString line)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(line);
        string text = $"{context.TestName}: {line.ToString(CultureInfo.InvariantCulture)}";
        context.WriteLine(text);
        Record(text);
    }

    /// <summary>
    /// A folder of the test's own under <see cref="LogsDirectory"/> (<c>Class/Test/purpose</c>), kept after the run:
    /// the agent's log and msiexec's log are what explain a failure afterwards.
    /// </summary>
    public string TestLogFolder(TestContext context, string purpose)
    {
        ArgumentNullException.ThrowIfNull(context);
        string test = context.TestName ?? "class";
        string className = (context.FullyQualifiedTestClassName ?? "tests").Split('.')[^1];
        string path = Path.Combine(LogsDirectory, className, test, purpose);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>A process of the Windows build: the .exe itself on Windows, <c>wine program.exe</c> elsewhere.</summary>
    public ProcessStartInfo WindowsProcess(string executable, params string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(executable);
        ArgumentNullException.ThrowIfNull(arguments);
        var start = new ProcessStartInfo(_wine ?? executable);
        string? folder = Path.GetDirectoryName(executable);
        if (!string.IsNullOrEmpty(folder))
        {
            start.WorkingDirectory = folder;
        }

        if (_wine is not null)
        {
            start.ArgumentList.Add(executable);
        }

        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        PrepareEnvironment(start, RunDllOverrides);
        return start;
    }

    public Task<ProcessResult> RunWindowsAsync(string executable, params string[] arguments) =>
        RunWindowsAsync(WindowsProcess(executable, arguments), CommandTimeout);

    /// <summary>
    /// Runs a Windows program to its end, logged in <c>wine-calls.log</c>. A start that Wine's loader refused before
    /// the program ran (<see cref="WineLaunch.NeverStarted"/>) is run again, at most <see cref="WineLaunch.Attempts"/>
    /// times in all, each retry logged: the program never ran, so running it again cannot do anything twice.
    /// </summary>
    public async Task<ProcessResult> RunWindowsAsync(ProcessStartInfo start, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(start);
        for (int attempt = 1; ; attempt++)
        {
            ProcessResult result = await ProcessRunner.RunAsync(start, timeout);
            bool neverStarted = WineLaunch.NeverStarted(result.ExitCode, result.StandardOutput + result.StandardError, result.Elapsed);
            LogCall(result, neverStarted ? $"Wine did not start it (attempt {attempt} of {WineLaunch.Attempts})" : null);
            if (!neverStarted || attempt == WineLaunch.Attempts)
            {
                return result;
            }

            Record($"Wine launch retried: {result.CommandLine} (attempt {attempt}: {WineLaunch.Signature(result.StandardOutput + result.StandardError, result.Elapsed)})");
            await Task.Delay(WineLaunch.RetryPause);
        }
    }

    /// <summary>Notes a process that the caller ran itself (the agent, Wine's desktop) in <c>wine-calls.log</c>.</summary>
    public void LogCall(ProcessResult result, string? note = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        string line = string.Create(
            CultureInfo.InvariantCulture,
            $"{DateTimeOffset.UtcNow:HH:mm:ss.fff} exit {result.ExitCode} after {result.Elapsed.TotalMilliseconds:0} ms: {result.CommandLine}{(note is null ? string.Empty : "  [" + note + "]")}");
        if (result.ExitCode != 0)
        {
            line += "\n    " + (result.StandardError + "\n" + result.StandardOutput).Trim().Replace("\n", "\n    ", StringComparison.Ordinal);
        }

        lock (_callsLog)
        {
            File.AppendAllText(_callsLog, line + "\n");
        }
    }

    /// <summary><c>ClientBridge status</c> from the published folder (a program the caller policy allows).</summary>
    public Task<ProcessResult> StatusAsync(params string[] arguments) =>
        RunWindowsAsync(AgentExecutable, ["status", .. arguments]);

    /// <summary>The path a Windows program sees for a file of this machine (Wine maps drive Z: to /).</summary>
    public string ToWindowsPath(string hostPath)
    {
        string full = Path.GetFullPath(hostPath);
        return UsesWine ? "Z:" + full.Replace('/', '\\') : full;
    }

    /// <summary>Sets one value under <see cref="PolicyKey"/> with <c>reg add</c>, as an administrator's script would.</summary>
    public async Task SetUserPolicyAsync(string valueName, string type, string data)
    {
        ProcessResult result = await RunWindowsAsync("reg", "add", PolicyKey, "/v", valueName, "/t", type, "/d", data, "/f");
        Assert.AreEqual(0, result.ExitCode, $"Setting the policy {valueName} failed.\n{result.Describe()}");
    }

    /// <summary>Removes every user policy of the agent; nothing to remove is fine.</summary>
    public async Task ClearUserPoliciesAsync()
    {
        ProcessResult deleted = await RunWindowsAsync("reg", "delete", PolicyKey, "/f");
        ProcessResult query = await RunWindowsAsync("reg", "query", PolicyKey);
        Assert.AreNotEqual(0, query.ExitCode, $"The policy key is still there after deleting it.\n{deleted.Describe()}\n{query.Describe()}");
    }

    /// <summary>
    /// Ends every Wine process of this prefix (agents the tests started and Wine's own services) and waits until
    /// the server itself has exited: <c>wineserver -k</c> only asks, and a server still shutting down refuses a new
    /// session's <c>wineserver -p</c> and then takes the session's first programs down with it.
    /// </summary>
    public async Task StopWineAsync()
    {
        if (_wineServer is null)
        {
            return;
        }

        // Exit 1 only says that no server was running.
        await RunWineToolAsync(RunDllOverrides, WineServerTimeout, _wineServer, "-k");
        ToolResult gone = await RunWineToolAsync(RunDllOverrides, WineServerTimeout, _wineServer, "-w");
        Assert.AreEqual(0, gone.ExitCode, $"Waiting for the Wine server of {_prefix} to exit failed.\n{gone.Describe()}");
    }

    public static string NewTempDirectory(string purpose)
    {
        string path = Path.Combine(Path.GetTempPath(), "ClientBridge.Wine.Tests", $"{purpose}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    public static void DeleteTempDirectory(string? path)
    {
        if (path is not null && Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
    }

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, program))
            .FirstOrDefault(File.Exists);

    private static AssertFailedException MissingWine(string program) => new(
        $"`{program}` is not on PATH. These tests run the Windows build of the agent under Wine; install it with `{AptInstall}` " +
        "(Debian 12: the packages wine64 and wine; no 32-bit Wine is needed)");

    private async Task PreparePrefixAsync()
    {
        string prefix = _prefix!;
        string marker = Path.Combine(prefix, PrefixReadyMarker);
        if (File.Exists(marker))
        {
            Record($"Wine prefix: reused {prefix}");
            return;
        }

        // A missing marker means a new prefix or one whose set-up was cut short; wineboot -i completes either.
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(Path.GetDirectoryName(prefix)!);
        await RunPrefixStepAsync(InitDllOverrides, _wine!, "wineboot", "-i");
        await RunPrefixStepAsync(RunDllOverrides, _wine!, "winecfg", "-v", "win10");
        await RunPrefixStepAsync(RunDllOverrides, _wineServer!, "-w");
        await File.WriteAllTextAsync(marker, $"Made for the ClientBridge Wine tests on {DateTimeOffset.UtcNow:O}.\n");
        Record(string.Create(CultureInfo.InvariantCulture, $"Wine prefix: created {prefix} in {clock.Elapsed.TotalSeconds:0.0} s"));
    }

    private async Task RunPrefixStepAsync(string dllOverrides, string program, params string[] arguments)
    {
        ToolResult result = await RunWineToolAsync(dllOverrides, PrefixStepTimeout, program, arguments);
        Assert.AreEqual(0, result.ExitCode, $"Preparing the Wine prefix {_prefix} failed.\n{result.Describe()}");
    }

    /// <summary>
    /// One Wine session for the whole run: a server that stays up until the run's end stops it (<c>wineserver -p</c>
    /// with no delay), then <c>wineboot</c>, which returns once Wine's services are up.
    /// Why not a server that ends itself when idle (<c>-p60</c>, as before): a program started while that server
    /// is timing out fails at once, before it runs (Wine's loader hands it to <c>start.exe</c>, which says
    /// "ShellExecuteEx failed"), or starts a new session whose services inherit that program's output. The installer
    /// tests leave Wine idle for minutes while they build the MSIs, so that moment came now and then.
    /// Wine's services are started here, with their output in a file: started by a test's <c>status</c>, they would
    /// hold its pipe open long after it exited.
    /// </summary>
    private async Task StartSessionAsync()
    {
        var clock = Stopwatch.StartNew();
        ToolResult server = await RunWineToolAsync(RunDllOverrides, WineServerTimeout, _wineServer!, "-p");
        Assert.AreEqual(0, server.ExitCode, $"Starting a Wine server for {_prefix} failed (is another one still running?).\n{server.Describe()}");
        ToolResult boot = await RunWineToolAsync(RunDllOverrides, PrefixStepTimeout, _wine!, "wineboot");
        Assert.AreEqual(0, boot.ExitCode, $"Starting Wine's services failed.\n{boot.Describe()}");
        Record(string.Create(CultureInfo.InvariantCulture, $"Wine session (wineserver -p, wineboot): {clock.Elapsed.TotalSeconds:0.0} s"));
    }

    /// <summary>
    /// Runs a Wine tool (wineboot, winecfg, wineserver) with its output in a file rather than a pipe of ours,
    /// because what it leaves running keeps its output open.
    /// </summary>
    private async Task<ToolResult> RunWineToolAsync(string dllOverrides, TimeSpan timeout, string program, params string[] arguments)
    {
        string tools = Path.Combine(LogsDirectory, "wine-tools");
        Directory.CreateDirectory(tools);
        string log = Path.Combine(tools, string.Create(CultureInfo.InvariantCulture, $"{Interlocked.Increment(ref _toolRuns):000}-{Path.GetFileName(program)}-{string.Join('-', arguments).TrimStart('-')}.log"));
        var start = new ProcessStartInfo("/bin/sh")
        {
            ArgumentList = { "-c", "exec \"$0\" \"$@\" </dev/null >\"$CLIENTBRIDGE_TOOL_LOG\" 2>&1", program },
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        PrepareEnvironment(start, dllOverrides);
        start.Environment["CLIENTBRIDGE_TOOL_LOG"] = log;
        ProcessResult result = await ProcessRunner.RunAsync(start, timeout);
        string output = File.Exists(log) ? ProcessRunner.Normalize(await File.ReadAllTextAsync(log)) : string.Empty;
        var tool = new ToolResult(string.Join(' ', new[] { program }.Concat(arguments)), result.ExitCode, output, result.Elapsed);
        LogCall(new ProcessResult(tool.CommandLine, tool.ExitCode, string.Empty, output, tool.Elapsed), $"output in {Path.GetFileName(log)}");
        return tool;
    }

    private async Task PublishAsync()
    {
        // win-x64 on Linux cannot be compiled ahead of time: this is the trimmed, ReadyToRun agent the MSIs built here carry.
        PublishedAgent agent = await AgentPublisher.PublishAsync("win-x64", PublishDirectory, PublishTimeout);
        Record(string.Create(CultureInfo.InvariantCulture, $"dotnet publish win-x64 self-contained: {agent.Elapsed.TotalSeconds:0.0} s ({agent.Waited.TotalSeconds:0.0} s waiting for another publish)"));
    }

    /// <summary>
    /// The test host's runtime settings (DOTNET_*, COREHOST_*) stay out of the Windows runtime; Wine gets this
    /// prefix, 64 bits, no debug chatter.
    /// </summary>
    private void PrepareEnvironment(ProcessStartInfo start, string dllOverrides)
    {
        foreach (string name in start.Environment.Keys.Where(IsHostRuntimeSetting).ToList())
        {
            start.Environment.Remove(name);
        }

        if (_prefix is not null)
        {
            start.Environment["WINEPREFIX"] = _prefix;
            start.Environment["WINEARCH"] = "win64";
            start.Environment["WINEDEBUG"] = "-all";
            start.Environment["WINEDLLOVERRIDES"] = dllOverrides;
        }
    }

    private static bool IsHostRuntimeSetting(string name) =>
        name.StartsWith("DOTNET_", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("COREHOST_", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("CORECLR_", StringComparison.OrdinalIgnoreCase);
}

/// <summary>A Wine tool's exit code and its output, stdout and stderr together.</summary>
internal sealed record ToolResult(string CommandLine, int ExitCode, string Output, TimeSpan Elapsed)
{
    public string Describe() => string.Create(CultureInfo.InvariantCulture, $"`{CommandLine}` exited {ExitCode} after {Elapsed.TotalSeconds:0.0} s.\n--- output ---\n{Output}");
}
