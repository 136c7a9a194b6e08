using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using ClientBridge.Protocol;
using ClientBridge.Protocol.Client;

namespace Benchmarks;

/// <summary>Time from a client's start to its first reply: a fresh client in this process, and a fresh <c>ClientBridge status</c> process.</summary>
internal static class FirstReply
{
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
    /// Starts the published agent's <c>ClientBridge status --json</c>, the fresh client process a user or a script
    /// starts, and returns the time from its process start (as the operating system recorded it) to its answer line,
    /// which it prints as soon as the agent's reply has arrived, and what this process observed (from asking for the
    /// process to the line arriving). The time inside Main is not known from outside: NaN.
    /// </summary>
    public static async Task<(double ChildMs, double InMainMs, double ObservedMs)> MeasureChildAsync(string pipeName, CancellationToken cancellationToken)
    {
        ProcessStartInfo info = ChildProcesses.ForAgent("status", "--json", "--pipe", pipeName);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        long started = Stopwatch.GetTimestamp();
        Process child = ChildProcesses.Start(info);
        try
        {
            // Read while it runs: once it has exited the start time may be gone. A status takes tens of milliseconds.
            DateTime? processStarted = null;
            try
            {
                processStarted = child.StartTime;
            }
            catch (InvalidOperationException)
            {
                // Already exited: only the observed time is known.
            }

            Task<string> errors = child.StandardError.ReadToEndAsync(cancellationToken);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(TimeSpan.FromSeconds(20));
            string? line = await child.StandardOutput.ReadLineAsync(limit.Token);
            DateTime now = DateTime.Now;
            double observed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            await child.WaitForExitAsync(limit.Token);
            if (child.ExitCode != 0 || line is null || !line.Contains("\"agentVersion\"", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"ClientBridge status did not answer (exit code {child.ExitCode}): {line} {await errors}");
            }

            return (processStarted is { } at ? (now - at).TotalMilliseconds : double.NaN, double.NaN, observed);
        }
        finally
        {
            ChildProcesses.Stop(child);
        }
    }
}
