using System;
using System.Diagnostics;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using ClientBridge.Protocol;
using ClientBridge.Protocol.Client;

namespace Benchmarks;

/// <summary>Time from a client's start to its first answered ping, in this process and in a fresh one.</summary>
internal static class FirstReply
{
    private const string Marker = "first_reply";

    public static BridgeClientOptions ClientOptions(string pipeName, string clientName) => new()
    {
        Endpoint = BridgeEndpoint.Parse(pipeName),
        ClientName = clientName,
        ConnectTimeout = TimeSpan.FromSeconds(5),
        RequestTimeout = TimeSpan.FromSeconds(10),
    };

    /// <summary>A fresh client in this process: created, connected with its handshake, first ping answered.</summary>
    public static async Task<double> MeasureInProcessAsync(string pipeName, string payload)
    {
        long started = Stopwatch.GetTimestamp();
        using var client = new BridgeClient(ClientOptions(pipeName, "bench-fresh"));
        Ping reply = await client.PingAsync(payload);
        double elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        return reply.Data == payload ? elapsed : throw new InvalidOperationException("The first reply did not echo the ping.");
    }

    /// <summary>
    /// Starts <c>Benchmarks first-reply SOCKET</c> and returns what it reports (from its own process start, as the
    /// operating system recorded it) and what this process observed (from asking for the process to the line arriving).
    /// </summary>
    public static async Task<(double ChildMs, double InMainMs, double ObservedMs)> MeasureChildAsync(string pipeName, CancellationToken cancellationToken)
    {
        ProcessStartInfo info = ChildProcesses.ForSelf("first-reply", pipeName);
        info.RedirectStandardOutput = true;
        long started = Stopwatch.GetTimestamp();
        Process child = ChildProcesses.Start(info);
        try
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(TimeSpan.FromSeconds(20));
            while (true)
            {
                string? line = await child.StandardOutput.ReadLineAsync(limit.Token)
                    ?? throw new InvalidOperationException($"The first-reply process ended without a result (exit code {(child.WaitForExit(1000) ? child.ExitCode : -1)}).");
                double observed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (!line.StartsWith(Marker + ":", StringComparison.Ordinal))
                {
                    continue;
                }

                double childMs = double.NaN;
                double inMainMs = double.NaN;
                foreach (string pair in line[(Marker.Length + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    string[] parts = pair.Split('=');
                    if (parts.Length == 2 && parts[0] == "process_ms")
                    {
                        childMs = double.Parse(parts[1], CultureInfo.InvariantCulture);
                    }
                    else if (parts.Length == 2 && parts[0] == "in_main_ms")
                    {
                        inMainMs = double.Parse(parts[1], CultureInfo.InvariantCulture);
                    }
                }

                await child.WaitForExitAsync(limit.Token);
                return (childMs, inMainMs, observed);
            }
        }
        finally
        {
            ChildProcesses.Stop(child);
        }
    }

    /// <summary>The child's side: one client, one ping, then the elapsed times on one line.</summary>
    public static async Task<int> RunChildAsync(string pipeName, long mainStarted)
    {
        using var client = new BridgeClient(ClientOptions(pipeName, "bench-process"));
        string payload = BridgeBenchmark.MakePayload();
        Ping reply = await client.PingAsync(payload);
        DateTime now = DateTime.Now;
        double inMain = Stopwatch.GetElapsedTime(mainStarted).TotalMilliseconds;
        DateTime processStarted;
        using (Process self = Process.GetCurrentProcess())
        {
            processStarted = self.StartTime;
        }

        if (reply.Data != payload)
        {
            await Console.Error.WriteLineAsync("The first reply did not echo the ping.");
            return 1;
        }

        Console.Out.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{Marker}: process_ms={(now - processStarted).TotalMilliseconds:F1} in_main_ms={inMain:F1}"));
        return 0;
    }
}
