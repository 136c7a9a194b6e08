using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace LifecycleSoak;

/// <summary>A failing history: its text (which <see cref="History.Parse"/> reads back) and what was found.</summary>
public sealed record FailedHistory(History History, IReadOnlyList<string> Findings);

/// <summary>The totals of a soak.</summary>
public sealed class SoakResult
{
    public int Histories { get; set; }

    public int Operations { get; set; }

    public int Skipped { get; set; }

    public int FaultsInjected { get; set; }

    /// <summary>Steps after which the add-in was still busy when the user went on (retries backing off under faults).</summary>
    public int Unsettled { get; set; }

    /// <summary>References the add-in still held after a normal close of Outlook (<see cref="HistoryRun.LeakedReferences"/>).</summary>
    public int LeakedReferences { get; set; }

    public int WrongCancels { get; set; }

    public int MissedCancels { get; set; }

    public int StaleLinks { get; set; }

    public int Duplicates { get; set; }

    public int Orphans { get; set; }

    /// <summary>Histories that could not be judged (the add-in never settled, a step threw): each is listed in <see cref="Failed"/>.</summary>
    public int Errors { get; set; }

    public TimeSpan Elapsed { get; set; }

    public List<FailedHistory> Failed { get; } = new();

    /// <summary>Counts of operations carried out, by kind.</summary>
    public SortedDictionary<string, int> ByKind { get; } = new(StringComparer.Ordinal);

    public bool IsClean => WrongCancels + MissedCancels + StaleLinks + Duplicates + Orphans + Errors == 0;
}

/// <summary>
/// Runs histories one after another against one <see cref="SoakServices"/>: history <c>i</c> has the seed
/// <c>seed + i</c>, so any history of a soak can be run on its own with its seed. Progress goes to
/// <paramref name="progress"/> (the benchmark's stderr), one line per failing history with its operations.
/// </summary>
public static class SoakRunner
{
    public static async Task<SoakResult> RunAsync(int histories, int seed, double faultRate, TextWriter? progress, CancellationToken cancellationToken = default)
    {
        var result = new SoakResult();
        var clock = Stopwatch.StartNew();
        await using SoakServices services = await SoakServices.StartAsync();
        for (int i = 0; i < histories; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            History history = History.Generate(unchecked(seed + i));
            await RunOneAsync(services, history, faultRate, result, progress);
            if (progress is not null && (i + 1) % 100 == 0)
            {
                progress.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"lifecycle: {i + 1}/{histories} histories, {result.Failed.Count} failing, {clock.Elapsed.TotalSeconds:F0} s"));
            }
        }

        result.Elapsed = clock.Elapsed;
        return result;
    }

    /// <summary>Runs the given histories (a replay of failing seeds) and nothing else.</summary>
    public static async Task<SoakResult> ReplayAsync(IEnumerable<History> histories, double faultRate, TextWriter? progress)
    {
        ArgumentNullException.ThrowIfNull(histories);
        var result = new SoakResult();
        var clock = Stopwatch.StartNew();
        await using SoakServices services = await SoakServices.StartAsync();
        foreach (History history in histories)
        {
            await RunOneAsync(services, history, faultRate, result, progress);
        }

        result.Elapsed = clock.Elapsed;
        return result;
    }

    private static async Task RunOneAsync(SoakServices services, History history, double faultRate, SoakResult result, TextWriter? progress)
    {
        var run = new HistoryRun(services, history, faultRate);
        result.Histories++;
        try
        {
            OracleVerdict verdict = await run.RunAsync();
            result.WrongCancels += verdict.WrongCancels;
            result.MissedCancels += verdict.MissedCancels;
            result.StaleLinks += verdict.StaleLinks;
            result.Duplicates += verdict.Duplicates;
            result.Orphans += verdict.Orphans;
            if (!verdict.IsClean)
            {
                Report(new FailedHistory(history, verdict.Findings));
            }
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or IOException or ClientBridge.Protocol.BridgeException)
        {
            result.Errors++;
            Report(new FailedHistory(history, new[] { "error: " + e.GetType().Name + ": " + e.Message }));
        }
        finally
        {
            result.Operations += run.Performed;
            result.Skipped += run.Skipped.Count;
            result.FaultsInjected += run.FaultsInjected;
            result.Unsettled += run.Unsettled;
            result.LeakedReferences += run.LeakedReferences;
            if (run.LeakedReferences > 0 && progress is not null)
            {
                progress.WriteLine("lifecycle: LEAKED " + run.LeakedReferences + " reference(s) in " + history);
                foreach (string leak in run.Leaks)
                {
                    progress.WriteLine("    " + leak.Replace(Environment.NewLine, Environment.NewLine + "    ", StringComparison.Ordinal));
                }
            }
            foreach (Operation operation in history.Operations)
            {
                string kind = operation.Kind.ToString();
                result.ByKind[kind] = result.ByKind.GetValueOrDefault(kind) + 1;
            }
        }

        void Report(FailedHistory failed)
        {
            result.Failed.Add(failed);
            if (progress is not null)
            {
                progress.WriteLine("lifecycle: FAILED " + failed.History);
                foreach (string finding in failed.Findings)
                {
                    progress.WriteLine("    " + finding);
                }

                foreach (string skipped in run.Skipped)
                {
                    progress.WriteLine("    (skipped " + skipped + ")");
                }

                if (Environment.GetEnvironmentVariable("LIFECYCLE_ADDIN_LOG") == "1")
                {
                    foreach (string entry in run.AddinLog)
                    {
                        progress.WriteLine("    | " + entry);
                    }

                    progress.WriteLine("    faults: " + string.Join(", ", run.InjectedCalls));
                }
            }
        }
    }
}
