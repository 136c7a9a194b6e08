using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace ClientBridge.Wine.Tests;

/// <summary>
/// <c>ClientBridge run</c> of a Windows build (the published one, or the one an MSI installed) on the default
/// endpoint, started and waited for the way a user would: until <c>ClientBridge status</c> of the same build, from
/// another process, answers. Disposing kills it if it is still running.
/// </summary>
internal sealed class AgentProcess : IAsyncDisposable
{
    /// <summary>A cold Wine start plus the runtime's; the agent itself is ready in well under a second.</summary>
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(45);

    /// <summary>Whatever happens to the test, no agent outlives this.</summary>
    private static readonly TimeSpan LifetimeLimit = TimeSpan.FromMinutes(3);

    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(15);

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly CancellationTokenSource _lifetime = new(LifetimeLimit);
    private readonly string _executable;
    private readonly string _commandLine;

    private AgentProcess(Process process, string executable, string commandLine)
    {
        _process = process;
        _executable = executable;
        _commandLine = commandLine;
        _lifetime.Token.Register(() => ProcessRunner.Kill(_process));
    }

    /// <summary>From <c>run</c> being started to the first <c>status</c> that exited 0.</summary>
    public TimeSpan TimeToReady { get; private set; }

    public bool HasExited => _process.HasExited;

    /// <summary>What the agent wrote to its console so far (its log lines, errors), with LF line ends.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return ProcessRunner.Normalize(_output.ToString());
            }
        }
    }

    /// <summary>The published agent, logging to <paramref name="logDirectory"/>.</summary>
    public static Task<AgentProcess> StartAsync(WineEnvironment wine, string logDirectory)
    {
        ArgumentNullException.ThrowIfNull(wine);
        return StartAsync(wine, wine.AgentExecutable, inheritConfiguration: true, "run", "--log-dir", wine.ToWindowsPath(logDirectory));
    }

    /// <summary>
    /// <paramref name="executable"/> with <paramref name="arguments"/>. Without <paramref name="inheritConfiguration"/>
    /// no ClientBridge__* variable of this process reaches it, so an installed agent is configured by what the MSI
    /// wrote alone; the published agent's tests set such variables on purpose.
    /// </summary>
    public static async Task<AgentProcess> StartAsync(WineEnvironment wine, string executable, bool inheritConfiguration, params string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(wine);
        ProcessStartInfo start = wine.WindowsProcess(executable, arguments);
        if (!inheritConfiguration)
        {
            foreach (string name in start.Environment.Keys.Where(n => n.StartsWith("ClientBridge__", StringComparison.OrdinalIgnoreCase)).ToList())
            {
                start.Environment.Remove(name);
            }
        }

        start.UseShellExecute = false;
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;

        // A start that Wine refused before the agent ran is tried again (WineLaunch): nothing of it ran.
        for (int attempt = 1; ; attempt++)
        {
            var process = new Process { StartInfo = start };
            var agent = new AgentProcess(process, executable, ProcessRunner.Describe(start));
            process.OutputDataReceived += (_, e) => agent.Append(e.Data);
            process.ErrorDataReceived += (_, e) => agent.Append(e.Data);
            var clock = Stopwatch.StartNew();
            if (!process.Start())
            {
                Assert.Fail($"`{agent._commandLine}` did not start.");
            }

            process.StandardInput.Close();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            bool answered;
            try
            {
                answered = await agent.WaitUntilAnsweringAsync(wine, clock, mayRetry: attempt < WineLaunch.Attempts);
            }
            catch
            {
                await agent.DisposeAsync();
                throw;
            }

            if (answered)
            {
                return agent;
            }

            wine.LogCall(new ProcessResult(agent._commandLine, process.ExitCode, agent.Output, string.Empty, clock.Elapsed), $"Wine did not start it (attempt {attempt} of {WineLaunch.Attempts})");
            wine.Record($"Wine launch retried: {agent._commandLine} (attempt {attempt}: {WineLaunch.Signature(agent.Output, agent.RunTime)})");
            await agent.DisposeAsync();
            await Task.Delay(WineLaunch.RetryPause);
        }
    }

    /// <summary>Waits for the process to end on its own (after <c>stop</c>); false when it has not within <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        ProcessRunner.Kill(_process);

        // wineserver -k at the end of the run takes whatever is left.
        await WaitForExitAsync(ExitTimeout);

        await _lifetime.CancelAsync();
        _lifetime.Dispose();
        _process.Dispose();
    }

    /// <summary>How long the agent's process ran, once it has ended.</summary>
    private TimeSpan RunTime => _process.HasExited ? _process.ExitTime - _process.StartTime : TimeSpan.MaxValue;

    /// <summary>
    /// Polls with <c>status</c> (which itself waits up to 2 s for the pipe) until it answers (true), the agent dies,
    /// refuses, or time is up. False, when <paramref name="mayRetry"/>, for an agent that Wine never started.
    /// </summary>
    private async Task<bool> WaitUntilAnsweringAsync(WineEnvironment wine, Stopwatch clock, bool mayRetry)
    {
        ProcessResult? last = null;
        while (clock.Elapsed < ReadyTimeout)
        {
            if (_process.HasExited)
            {
                // Let the last lines arrive before quoting them.
                using (var drained = new CancellationTokenSource(ExitTimeout))
                {
                    await _process.WaitForExitAsync(drained.Token);
                }

                if (mayRetry && WineLaunch.NeverStarted(_process.ExitCode, Output, RunTime))
                {
                    return false;
                }

                Assert.Fail(string.Create(CultureInfo.InvariantCulture, $"The agent (`{_commandLine}`) exited with {_process.ExitCode} before `status` could reach it.\n--- agent output ---\n{Output}\n--- last status ---\n{last?.Describe()}"));
            }

            last = await wine.RunWindowsAsync(_executable, "status", "--timeout", "2");
            if (last.ExitCode == 0)
            {
                TimeToReady = clock.Elapsed;
                return true;
            }

            // Only "not running yet" (3) and "no answer yet" (6) can change by waiting; a refusal will not.
            if (last.ExitCode is not (3 or 6))
            {
                Assert.Fail($"The agent (`{_commandLine}`) is up but `status` from its own folder failed.\n{last.Describe()}\n--- agent output ---\n{Output}");
            }
        }

        Assert.Fail(string.Create(CultureInfo.InvariantCulture, $"The agent (`{_commandLine}`) did not answer `status` within {ReadyTimeout.TotalSeconds:0} s.\n--- last status ---\n{last?.Describe()}\n--- agent output ---\n{Output}"));
        return false;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
