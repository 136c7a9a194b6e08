using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using ClientBridge.Protocol;
using TestSupport;

namespace ClientBridge.Tests.Support;

/// <summary>The real <c>ClientBridge</c> executable, published as it ships, run as a child process.</summary>
internal sealed class AgentProcess : IDisposable
{
    private readonly Process _process;

    private AgentProcess(Process process) => _process = process;

    private static string? s_executablePath;

    /// <summary>
    /// The agent as it ships for this machine (<see cref="AgentPublisher"/>: self-contained, compiled ahead of time),
    /// published once per run by <see cref="PublishAsync"/> before any test, so that every command-line, process and
    /// hostile-input test here runs the executable a user runs, not the build output.
    /// </summary>
    public static string ExecutablePath => s_executablePath ?? throw new InvalidOperationException("The agent is published in AssemblyInitialize, which has not run.");

    /// <summary>Publishes the agent into <c>.artifacts/agent-RID</c> (shared with the benchmarks); called once, before the tests.</summary>
    public static async Task<PublishedAgent> PublishAsync()
    {
        PublishedAgent agent = await AgentPublisher.PublishForThisMachineAsync(TimeSpan.FromMinutes(10)).ConfigureAwait(false);
        s_executablePath = agent.Executable;
        return agent;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>
    /// The environment of an agent whose state is in <paramref name="stateDirectory"/> and whose default provider is Zoom's
    /// emulator, signed in with its server-to-server app, retrying quickly: as .NET configuration reads it.
    /// </summary>
    public static Dictionary<string, string> ZoomEnvironment(ZoomEmulator.ZoomEmulatorServer zoom, string stateDirectory) => new()
    {
        ["ClientBridge__StateDirectory"] = stateDirectory,
        ["ClientBridge__DefaultProvider"] = "zoom",
        ["ClientBridge__Zoom__ApiBaseUrl"] = zoom.ApiBaseUrl.AbsoluteUri,
        ["ClientBridge__Zoom__OAuthBaseUrl"] = zoom.OAuthBaseUrl.AbsoluteUri,
        ["ClientBridge__Zoom__ClientId"] = zoom.Options.ClientId,
        ["ClientBridge__Zoom__ClientSecret"] = zoom.Options.ClientSecret,
        ["ClientBridge__Zoom__AccountId"] = zoom.Options.AccountId,
        ["ClientBridge__ZoomRetry__BaseDelay"] = "00:00:00.010",
    };

    /// <summary>Starts <c>ClientBridge run</c> (or, with <paramref name="command"/> null, <c>ClientBridge</c> alone) and returns once it answers <c>status</c>.</summary>
    public static async Task<AgentProcess> StartAsync(BridgeEndpoint endpoint, string logDirectory, string? command = "run", IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(ExecutablePath)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (KeyValuePair<string, string> variable in environment ?? new Dictionary<string, string>())
        {
            start.Environment[variable.Key] = variable.Value;
        }

        if (command is not null)
        {
            start.ArgumentList.Add(command);
        }

        foreach (string arg in new[] { "--background", "--pipe", endpoint.PipeName, "--log-dir", logDirectory })
        {
            start.ArgumentList.Add(arg);
        }

        Process process = Process.Start(start) ?? throw new InvalidOperationException("The agent did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var agent = new AgentProcess(process);
        await agent.WaitUntilServingAsync(endpoint, TimeSpan.FromSeconds(20)).ConfigureAwait(false);
        return agent;
    }

    /// <summary>Runs the executable with <paramref name="args"/> to completion.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(TimeSpan timeout, params string[] args)
    {
        return await RunAsAsync(null, timeout, args).ConfigureAwait(false);
    }

    /// <summary>As <see cref="RunAsync"/>, optionally through a wrapper command such as <c>setpriv</c>.</summary>
    public static Task<(int ExitCode, string Output, string Error)> RunAsAsync(string[]? wrapper, TimeSpan timeout, params string[] args) =>
        RunAsAsync(wrapper, null, timeout, args);

    /// <summary>As <see cref="RunAsync"/>, with extra environment variables (inherited by an agent the command starts).</summary>
    public static Task<(int ExitCode, string Output, string Error)> RunWithAsync(IReadOnlyDictionary<string, string> environment, TimeSpan timeout, params string[] args) =>
        RunAsAsync(null, environment, timeout, args);

    private static async Task<(int ExitCode, string Output, string Error)> RunAsAsync(string[]? wrapper, IReadOnlyDictionary<string, string>? environment, TimeSpan timeout, params string[] args)
    {
        string file = wrapper is { Length: > 0 } ? wrapper[0] : ExecutablePath;
        var start = new ProcessStartInfo(file)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (KeyValuePair<string, string> variable in environment ?? new Dictionary<string, string>())
        {
            start.Environment[variable.Key] = variable.Value;
        }

        if (wrapper is { Length: > 0 })
        {
            for (int i = 1; i < wrapper.Length; i++)
            {
                start.ArgumentList.Add(wrapper[i]);
            }

            start.ArgumentList.Add(ExecutablePath);
        }

        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start.");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{string.Join(' ', args)}' did not finish within {timeout.TotalSeconds} s.");
        }

        return (process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
    }

    public async Task WaitUntilServingAsync(BridgeEndpoint endpoint, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The agent exited with code {_process.ExitCode} before serving.");
            }

            (int code, _, _) = await RunAsync(TimeSpan.FromSeconds(10), "status", "--pipe", endpoint.PipeName, "--timeout", "0.5").ConfigureAwait(false);
            if (code == 0)
            {
                return;
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"The agent did not serve {endpoint} within {timeout.TotalSeconds} s.");
            }
        }
    }

    /// <summary>Ends the agent the hard way, as a crash would: no shutdown code runs.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    /// <summary>Resident memory of the agent, from the kernel's own count.</summary>
    public long ResidentBytes()
    {
        _process.Refresh();
        return _process.WorkingSet64;
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    public static string Describe(string output, string error)
    {
        var text = new StringBuilder();
        text.Append("stdout: ").AppendLine(output).Append("stderr: ").AppendLine(error);
        return text.ToString();
    }
}
