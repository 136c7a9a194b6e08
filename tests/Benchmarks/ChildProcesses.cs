using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using TestSupport;

namespace Benchmarks;

/// <summary>Every process a benchmark starts, so that each is killed (by its own handle) however the run ends.</summary>
internal static class ChildProcesses
{
    private static readonly object Gate = new();
    private static readonly List<Process> Running = [];

    /// <summary>This executable again with other arguments (the apphost, or <c>dotnet Benchmarks.dll</c>).</summary>
    public static ProcessStartInfo ForSelf(params string[] arguments)
    {
        string host = Environment.ProcessPath ?? throw new InvalidOperationException("The path of this process is unknown.");
        var info = new ProcessStartInfo(host) { UseShellExecute = false };
        if (string.Equals(Path.GetFileNameWithoutExtension(host), "dotnet", StringComparison.OrdinalIgnoreCase))
        {
            info.ArgumentList.Add(typeof(ChildProcesses).Assembly.Location);
        }

        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }

    /// <summary>
    /// The agent as shipped: <see cref="PublishedAgent"/>'s executable, so that the benchmarks see the agent as a
    /// release publishes it (self-contained, compiled ahead of time: ClientBridge.csproj) rather than the build output.
    /// </summary>
    public static ProcessStartInfo ForAgent(params string[] arguments)
    {
        var info = new ProcessStartInfo(PublishedAgent.Value) { UseShellExecute = false };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }

    /// <summary>
    /// The agent published once per run for this machine's runtime with the project's own publish settings (compiled
    /// ahead of time, as a build on Windows publishes it for win-x64), into <c>.artifacts/agent-RID</c>; an unchanged
    /// agent republishes in seconds.
    /// </summary>
    private static readonly Lazy<string> PublishedAgent = new(PublishAgent, LazyThreadSafetyMode.ExecutionAndPublication);

    private static string PublishAgent()
    {
        Console.Error.WriteLine($"benchmarks: publishing the agent as shipped for {AgentPublisher.HostRuntime}…");
        TestSupport.PublishedAgent agent = AgentPublisher.PublishForThisMachineAsync(TimeSpan.FromMinutes(10)).GetAwaiter().GetResult();
        Console.Error.WriteLine($"benchmarks: agent published to {agent.Executable} in {agent.Elapsed.TotalSeconds:0.0} s.");
        return agent.Executable;
    }

    public static Process Start(ProcessStartInfo info)
    {
        lock (Gate)
        {
            Process process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {info.FileName}.");
            Running.Add(process);
            return process;
        }
    }

    /// <summary>Kills the process (and anything it started) unless it has already exited, and forgets it; a second call does nothing.</summary>
    public static void Stop(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        lock (Gate)
        {
            if (!Running.Remove(process))
            {
                return; // Already stopped.
            }
        }

        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // Already gone.
        }
        finally
        {
            process.Dispose();
        }
    }

    public static void KillAll()
    {
        Process[] all;
        lock (Gate)
        {
            all = [.. Running];
        }

        foreach (Process process in all)
        {
            Stop(process);
        }
    }
}
