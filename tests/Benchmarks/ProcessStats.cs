using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;

namespace Benchmarks;

/// <summary>CPU time and context switches of the benchmark (the client) and of one server process, at one moment.</summary>
internal readonly record struct Usage(TimeSpan ClientCpu, TimeSpan ServerCpu, long ClientSwitches, long ServerSwitches)
{
    public static Usage operator -(Usage later, Usage earlier) => new(
        later.ClientCpu - earlier.ClientCpu,
        later.ServerCpu - earlier.ServerCpu,
        later.ClientSwitches - earlier.ClientSwitches,
        later.ServerSwitches - earlier.ServerSwitches);

    public static Usage operator +(Usage a, Usage b) => new(
        a.ClientCpu + b.ClientCpu,
        a.ServerCpu + b.ServerCpu,
        a.ClientSwitches + b.ClientSwitches,
        a.ServerSwitches + b.ServerSwitches);

    public static Usage Subtract(Usage later, Usage earlier) => later - earlier;

    public static Usage Add(Usage a, Usage b) => a + b;
}

/// <summary>Resident memory, CPU time and context switches of processes: /proc on Linux, the Process API elsewhere.</summary>
internal static class ProcessStats
{
    private const double BytesPerMb = 1024 * 1024;

    public static (double RssMb, double PeakRssMb) Memory(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        if (OperatingSystem.IsLinux())
        {
            double rss = double.NaN;
            double peak = double.NaN;
            foreach (string line in File.ReadLines($"/proc/{process.Id}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    rss = Number(line) * 1024 / BytesPerMb;
                }
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    peak = Number(line) * 1024 / BytesPerMb;
                }
            }

            return (rss, peak);
        }

        process.Refresh();
        return (process.WorkingSet64 / BytesPerMb, process.PeakWorkingSet64 / BytesPerMb);
    }

    public static Usage Usage(Process server)
    {
        ArgumentNullException.ThrowIfNull(server);
        TimeSpan clientCpu;
        using (Process self = Process.GetCurrentProcess())
        {
            clientCpu = self.TotalProcessorTime;
        }

        server.Refresh();
        return new Usage(clientCpu, server.TotalProcessorTime, ContextSwitches(Environment.ProcessId), ContextSwitches(server.Id));
    }

    /// <summary>Voluntary and involuntary switches summed over the process's live threads; -1 where they are not counted.</summary>
    private static long ContextSwitches(int processId)
    {
        if (!OperatingSystem.IsLinux())
        {
            return -1;
        }

        long total = 0;
        try
        {
            foreach (string task in Directory.EnumerateDirectories($"/proc/{processId}/task"))
            {
                try
                {
                    foreach (string line in File.ReadLines(Path.Combine(task, "status")))
                    {
                        if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal)
                            || line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
                        {
                            total += Number(line);
                        }
                    }
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // The thread ended while being read.
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return -1;
        }

        // A kernel that does not count switches (some sandboxes) reports zeros; a live process has always switched.
        return total > 0 ? total : -1;
    }

    /// <summary>Parses the number in a line such as <c>VmRSS:    51234 kB</c>.</summary>
    private static long Number(string line)
    {
        string[] parts = line.Split(' ', '\t', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 2 ? long.Parse(parts[1], CultureInfo.InvariantCulture) : 0;
    }
}
