using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;

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

    /// <summary>The agent copied next to this executable by the project reference: its apphost, or its dll through <c>dotnet</c>.</summary>
    public static ProcessStartInfo ForAgent(params string[] arguments)
    {
        string apphost = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "ClientBridge.exe" : "ClientBridge");
        ProcessStartInfo info;
        if (File.Exists(apphost))
        {
            info = new ProcessStartInfo(apphost);
        }
        else
        {
            string dll = Path.Combine(AppContext.BaseDirectory, "ClientBridge.dll");
            if (!File.Exists(dll))
            {
                throw new FileNotFoundException("The agent was not built next to the benchmarks.", dll);
            }

            info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet");
            info.ArgumentList.Add(dll);
        }

        info.UseShellExecute = false;
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return info;
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
