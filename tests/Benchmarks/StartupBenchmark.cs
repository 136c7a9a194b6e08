using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using ClientBridge.Protocol;
using ClientBridge.Protocol.Client;
using FakeOutlook;
using OutlookPlugin.Core.Addin;

namespace Benchmarks;

/// <summary>
/// <c>startup</c>: what the add-in costs Outlook's start. On the fake's Outlook thread, a fresh <see cref="AddinHost"/>
/// is made and given OnConnection (ext_cm_Startup) and OnStartupComplete, timed until OnStartupComplete returns: the
/// span Outlook measures against its add-in load budget. Then, separately, the deferred work: from that return until
/// the agent (a child process, already running) has applied the add-in's first calendar snapshot, as seen by a second
/// client subscribed to <c>calendar.changed</c>; the calendar is <see cref="CalendarFixture"/>'s 5,000 appointments.
/// Every host is shut down (OnShutdown) before the next; the fake must report no outstanding references at the end.
/// </summary>
internal static class StartupBenchmark
{
    private const int WarmupHosts = 5;
    private const int Hosts = 50;
    private const double GoalMs = 50;
    private static readonly TimeSpan SnapshotLimit = TimeSpan.FromSeconds(60);

    public static async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        using var outlook = new FakeOutlookHost(new FakeOutlookOptions { RegionalSettings = FakeOutlookOptions.EnglishUnitedStates });
        outlook.AddAppointments(CalendarFixture.Build(CalendarFixture.NowLocal(outlook)));
        CultureInfo regional = outlook.Options.RegionalSettings!;

        using AgentChild agent = AgentChild.Start("cbs");
        var changes = Channel.CreateUnbounded<(long Revision, int Items, long At)>();
        using BridgeClient watcher = await agent.ConnectAsync("bench-watch", o => o.EventKinds.Add(MessageKinds.CalendarChangedEvent), cancellationToken);
        watcher.EventReceived += (_, e) =>
        {
            if (e.Kind == MessageKinds.CalendarChangedEvent)
            {
                long at = Stopwatch.GetTimestamp();
                CalendarChanged changed = e.Read(BridgeWire.Default.CalendarChanged);
                changes.Writer.TryWrite((changed.Revision, changed.ItemCount, at));
            }
        };

        var log = new CollectingLog();
        var user = new SilentUser();
        var settings = new AddinSettings();
        BridgeClient NewClient() => new(new BridgeClientOptions
        {
            Endpoint = BridgeEndpoint.Parse(agent.PipeName),
            ClientName = "OutlookPlugin",
            KeepConnected = true,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            RequestTimeout = TimeSpan.FromSeconds(60),
        });

        var shutdowns = new List<double>();

        async Task<Sample> OneHost()
        {
            cancellationToken.ThrowIfCancellationRequested();
            await outlook.Thread.InvokeAsync(() => { });
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            (AddinHost host, double startupMs, long returned) = await outlook.Thread.InvokeAsync(() =>
            {
                long started = Stopwatch.GetTimestamp();
                var host = new AddinHost(NewClient, user, log, settings, regional);
                host.OnConnection(outlook.HandOut(outlook.Application, "OnConnection"), 1 /* ext_cm_Startup */, SynchronizationContext.Current!);
                host.OnStartupComplete();
                long returned = Stopwatch.GetTimestamp();
                return (host, Stopwatch.GetElapsedTime(started, returned).TotalMilliseconds, returned);
            });
            try
            {
                // Queued behind the Start that OnStartupComplete posted: when this runs, the deferred start has run.
                long started = await outlook.Thread.InvokeAsync(Stopwatch.GetTimestamp);
                using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                limit.CancelAfter(SnapshotLimit);

                // Meanwhile a heartbeat on the Outlook thread: its slowest beat is the longest the message loop
                // (Outlook's UI) was held by the deferred work, the snapshot read above all.
                using var stopBeating = new CancellationTokenSource();
                Task<double> heartbeat = Task.Run(async () =>
                {
                    double longest = 0;
                    while (!stopBeating.IsCancellationRequested)
                    {
                        long sent = Stopwatch.GetTimestamp();
                        await outlook.Thread.InvokeAsync(() => { });
                        longest = Math.Max(longest, Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                        await Task.Delay(2, CancellationToken.None);
                    }

                    return longest;
                });
                // A large calendar arrives as a snapshot and then deltas: the sample ends at the last of them,
                // once no change has come for half a second.
                (long revision, int items, long at) = await changes.Reader.ReadAsync(limit.Token);
                while (true)
                {
                    using var quiet = CancellationTokenSource.CreateLinkedTokenSource(limit.Token);
                    quiet.CancelAfter(TimeSpan.FromMilliseconds(500));
                    try
                    {
                        (revision, items, at) = await changes.Reader.ReadAsync(quiet.Token);
                    }
                    catch (OperationCanceledException) when (!limit.IsCancellationRequested)
                    {
                        break;
                    }
                }

                await stopBeating.CancelAsync();
                double stall = await heartbeat;
                if (!host.Started)
                {
                    throw new InvalidOperationException("The add-in's deferred start did not run.");
                }

                return new Sample(startupMs, Stopwatch.GetElapsedTime(returned, started).TotalMilliseconds, Stopwatch.GetElapsedTime(returned, at).TotalMilliseconds, stall, items, revision);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"No calendar snapshot reached the agent within {SnapshotLimit.TotalSeconds:0} s of OnStartupComplete. Log: {string.Join(" | ", log.Entries)}");
            }
            finally
            {
                // Outlook also disables add-ins that slow its shutdown (FACTS §7.1: 500 ms in Microsoft's example).
                double shutdownMs = await outlook.Thread.InvokeAsync(() =>
                {
                    long begun = Stopwatch.GetTimestamp();
                    host.OnShutdown();
                    return Stopwatch.GetElapsedTime(begun).TotalMilliseconds;
                });
                shutdowns.Add(shutdownMs);
            }
        }

        Console.Error.WriteLine("startup: the cold host (first in this process)…");
        Sample cold = await OneHost();
        Console.Error.WriteLine($"startup: {WarmupHosts} warm-up hosts…");
        for (int i = 0; i < WarmupHosts; i++)
        {
            await OneHost();
        }

        Console.Error.WriteLine($"startup: {Hosts} fresh hosts…");
        var samples = new List<Sample>(Hosts);
        for (int i = 0; i < Hosts; i++)
        {
            samples.Add(await OneHost());
        }

        // Anything still in flight from the last host (its ack, its provider query) ends with its client.
        await Task.Delay(200, cancellationToken);
        await outlook.Thread.InvokeAsync(() => { });
        var problems = new List<string>();
        int leaks = outlook.OutstandingReferences;
        if (leaks > 0)
        {
            problems.Add("leaked references: " + outlook.LeakReport());
        }

        if (outlook.OverReleases.Count > 0)
        {
            problems.Add("over-released: " + string.Join("; ", outlook.OverReleases));
        }

        if (outlook.WrongThreadCalls > 0)
        {
            problems.Add($"{outlook.WrongThreadCalls} object-model calls off the Outlook thread");
        }

        foreach (Exception e in outlook.SinkExceptions.Concat(outlook.ThreadExceptions))
        {
            problems.Add("exception on the Outlook thread: " + e.GetType().Name + ": " + e.Message);
        }

        foreach (string entry in log.Entries.Where(e => e.StartsWith("error", StringComparison.Ordinal)).Distinct())
        {
            problems.Add("add-in logged: " + entry);
        }

        if (samples.Select(s => s.Items).Append(cold.Items).Distinct().Count() != 1)
        {
            problems.Add("the snapshots held different item counts: " + string.Join(", ", samples.Select(s => s.Items).Distinct()));
        }

        Report(cold, samples, shutdowns, leaks, problems, total.Elapsed);
        return problems.Count == 0 ? 0 : 1;
    }

    private static void Report(Sample cold, List<Sample> samples, List<double> shutdowns, int leaks, List<string> problems, TimeSpan elapsed)
    {
        double p50 = Median(samples, s => s.StartupMs);
        double max = samples.Max(s => s.StartupMs);
        double firstSnapshot = Median(samples, s => s.FirstSnapshotMs);
        var table = new Table("Figure", $"Cold (1st host)", $"p50 of {Hosts}", $"max of {Hosts}", "Goal");
        table.Add("new AddinHost + OnConnection + OnStartupComplete (ms)", F(cold.StartupMs, 3), F(p50, 3), F(max, 3), $"< {GoalMs:0} ms" + (Math.Max(max, cold.StartupMs) < GoalMs ? "  met" : "  MISSED"));
        table.Add("  deferred start done, after OnStartupComplete (ms)", F(cold.DeferredStartMs, 1), F(Median(samples, s => s.DeferredStartMs), 1), F(samples.Max(s => s.DeferredStartMs), 1), "not in Outlook's start");
        table.Add("  first snapshot at the agent, after OnStartupComplete (ms)", F(cold.FirstSnapshotMs, 0), F(firstSnapshot, 0), F(samples.Max(s => s.FirstSnapshotMs), 0), "not in Outlook's start");
        table.Add("  longest the Outlook thread was held meanwhile (ms)", F(cold.LongestStallMs, 0), F(Median(samples, s => s.LongestStallMs), 0), F(samples.Max(s => s.LongestStallMs), 0), "UI stall after start");
        table.Add("OnBeginShutdown / OnDisconnection (ms)", F(shutdowns[0], 2), F(BridgeBenchmark.Median([.. shutdowns]), 2), F(shutdowns.Max(), 2), "< 500 ms (Outlook's shutdown example)");
        table.Add("Items in that snapshot", cold.Items.ToString("N0", CultureInfo.InvariantCulture), string.Empty, string.Empty, string.Empty);

        Console.WriteLine();
        Console.WriteLine($"startup benchmark: fresh add-in hosts against the fake Outlook ({CalendarFixture.Singles + CalendarFixture.WeeklySeries + CalendarFixture.DailySeries:N0} appointments), agent already running");
        Console.WriteLine($"(child process); one cold host, {WarmupHosts} warm-up hosts, {Hosts} measured, each shut down before the next;");
        Console.WriteLine($"{Environment.ProcessorCount} CPUs; {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}; finished in {elapsed.TotalSeconds:0.0} s.");
        Console.WriteLine();
        table.Write(Console.Out);
        Console.WriteLine();
        Console.WriteLine(leaks == 0 ? "No outstanding references after every host was shut down." : $"LEAKED {leaks} references.");
        foreach (string problem in problems)
        {
            Console.WriteLine("PROBLEM: " + problem);
        }

        Console.WriteLine();
        var final = new StringBuilder("startup:");
        final.Append(" p50_ms=").Append(F(p50, 3));
        final.Append(" max_ms=").Append(F(max, 3));
        final.Append(" cold_ms=").Append(F(cold.StartupMs, 3));
        final.Append(" first_snapshot_ms=").Append(F(firstSnapshot, 0));
        final.Append(" cold_first_snapshot_ms=").Append(F(cold.FirstSnapshotMs, 0));
        final.Append(" ui_stall_ms=").Append(F(Median(samples, s => s.LongestStallMs), 0));
        final.Append(" deferred_start_ms=").Append(F(Median(samples, s => s.DeferredStartMs), 1));
        final.Append(" shutdown_max_ms=").Append(F(shutdowns.Max(), 2));
        final.Append(" items=").Append(cold.Items.ToString(CultureInfo.InvariantCulture));
        final.Append(" hosts=").Append(Hosts.ToString(CultureInfo.InvariantCulture));
        final.Append(" leaks=").Append(leaks.ToString(CultureInfo.InvariantCulture));
        final.Append(" goal_met=").Append(Math.Max(max, cold.StartupMs) < GoalMs ? "yes" : "no");
        Console.WriteLine(final.ToString());
    }

    private static double Median(List<Sample> samples, Func<Sample, double> value) => BridgeBenchmark.Median([.. samples.Select(value)]);

    private static string F(double value, int decimals) => BridgeBenchmark.F(value, decimals);

    private sealed record Sample(double StartupMs, double DeferredStartMs, double FirstSnapshotMs, double LongestStallMs, int Items, long Revision);

    private sealed class CollectingLog : IAddinLog
    {
        private readonly ConcurrentQueue<string> _entries = new();

        public IReadOnlyList<string> Entries => [.. _entries];

        public void Write(string level, string message) => _entries.Enqueue(level + " " + message);
    }

    private sealed class SilentUser : IUserInterface
    {
        public void ShowError(string sentence)
        {
        }

        public MeetingOptions? AskMeetingOptions(MeetingOptionsPrompt prompt) => null;
    }
}
