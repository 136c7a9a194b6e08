using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

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
    /// The agent as shipped: <see cref="PublishedAgent"/>'s apphost, so that the benchmarks see what the installer
    /// publishes (self-contained, trimmed, ReadyToRun) rather than the build output beside this executable.
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
    /// The agent published once per run for this machine's runtime with the project's own publish settings (the
    /// installer's, for win-x64), into <c>.artifacts/benchmarks/agent-RID</c>; an unchanged agent republishes in seconds.
    /// </summary>
    private static readonly Lazy<string> PublishedAgent = new(PublishAgent, LazyThreadSafetyMode.ExecutionAndPublication);

    private static string PublishAgent()
    {
        string root = RepositoryRoot();
        string runtime = (OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux") + "-"
            + RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant();
        string folder = Path.Combine(root, ".artifacts", "benchmarks", "agent-" + runtime);
        string project = Path.Combine(root, "ClientBridge", "ClientBridge", "ClientBridge.csproj");
        string? hostPath = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        var info = new ProcessStartInfo(!string.IsNullOrEmpty(hostPath) && File.Exists(hostPath) ? hostPath : "dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = root,
            ArgumentList = { "publish", project, "-c", "Release", "-r", runtime, "--self-contained", "true", "-o", folder, "--nologo" },
        };

        // The parent's runtime settings (a dotnet run, a test host) are no business of the build.
        foreach (string name in info.Environment.Keys.Where(n => n.StartsWith("DOTNET_", StringComparison.OrdinalIgnoreCase) && n != "DOTNET_HOST_PATH").ToList())
        {
            info.Environment.Remove(name);
        }

        Console.Error.WriteLine($"benchmarks: publishing the agent as shipped for {runtime} into {folder}…");
        var clock = Stopwatch.StartNew();
        using Process publish = Process.Start(info) ?? throw new InvalidOperationException("Could not start dotnet publish.");
        Task<string> output = publish.StandardOutput.ReadToEndAsync();
        Task<string> errors = publish.StandardError.ReadToEndAsync();
        if (!publish.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            publish.Kill(entireProcessTree: true);
            throw new TimeoutException("Publishing the agent took more than 10 minutes.");
        }

        string apphost = Path.Combine(folder, OperatingSystem.IsWindows() ? "ClientBridge.exe" : "ClientBridge");
        if (publish.ExitCode != 0 || !File.Exists(apphost))
        {
            throw new InvalidOperationException($"Publishing the agent failed (exit code {publish.ExitCode}):\n{output.Result}\n{errors.Result}");
        }

        Console.Error.WriteLine($"benchmarks: agent published in {clock.Elapsed.TotalSeconds:0.0} s.");
        return apphost;
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? folder = new(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Plugin.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No Plugin.sln above {AppContext.BaseDirectory}: the benchmarks run from the repository's build output.");
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
