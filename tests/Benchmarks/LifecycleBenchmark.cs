using System;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using LifecycleSoak;

namespace Benchmarks;

/// <summary>The lifecycle soak's options: <c>--histories N --seed S --fault-rate F</c>.</summary>
internal sealed class LifecycleOptions
{
    public int Histories { get; private set; } = 10_000;

    /// <summary>A fresh random seed unless one is given, printed so that the run can be repeated.</summary>
    public int Seed { get; private set; } = RandomNumberGenerator.GetInt32(1, int.MaxValue / 2);

    public double FaultRate { get; private set; } = 0.05;

    /// <summary>A history to replay alone, as a failing one was printed (<c>seed=S: Kind(t,a) …</c>); null for a soak.</summary>
    public string? Replay { get; private set; }

    public static bool TryRead(string[] args, [NotNullWhen(true)] out LifecycleOptions? options)
    {
        var read = new LifecycleOptions();
        options = null;
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            string value = args[i + 1];
            bool ok = args[i] switch
            {
                "--histories" => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int histories) && histories > 0 && Set(() => read.Histories = histories),
                "--seed" => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int seed) && Set(() => read.Seed = seed),
                "--replay" => Set(() => read.Replay = value),
                "--fault-rate" => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double rate) && rate is >= 0 and <= 1 && Set(() => read.FaultRate = rate),
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        if (args.Length % 2 != 0)
        {
            return false;
        }

        options = read;
        return true;

        static bool Set(Action set)
        {
            set();
            return true;
        }
    }
}

/// <summary>
/// <c>lifecycle</c>: randomized histories of what a user does to appointments with video meetings (add, retime, change
/// the recurrence, attendees, occurrences, delete, Shift+Del, restore, empty Deleted Items, move to another calendar or
/// a PST, copy, restart Outlook or the agent, lose the network), with transient COM faults on the add-in's calls, run
/// against the fake Outlook, the add-in's real code, the real agent (in this process) and the Zoom emulator. After each
/// history an oracle counts what went wrong for the user (<see cref="Oracle"/>). Prints a table, then one
/// <c>lifecycle: …</c> line; a failing history's seed and operations go to stderr as they happen.
/// </summary>
internal static class LifecycleBenchmark
{
    public static async Task<int> RunAsync(LifecycleOptions options, CancellationToken cancellationToken)
    {
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"lifecycle: {options.Histories} histories from seed {options.Seed}, fault rate {options.FaultRate}"));
        SoakResult result = options.Replay is { } replay
            ? await SoakRunner.ReplayAsync([History.Parse(replay)], options.FaultRate, Console.Error)
            : await SoakRunner.RunAsync(options.Histories, options.Seed, options.FaultRate, Console.Error, cancellationToken);

        var table = new Table("figure", "value");
        table.Add("histories", N(result.Histories));
        table.Add("operations carried out", N(result.Operations));
        table.Add("operations skipped (nothing to act on)", N(result.Skipped));
        table.Add("COM faults injected into the add-in", N(result.FaultsInjected));
        table.Add("steps the add-in was still busy 3 s later (its time)", N(result.Unsettled));
        table.Add("references still held after a normal close of Outlook", N(result.LeakedReferences));
        table.Add("histories that could not be judged", N(result.Errors));
        table.Add("histories with a finding", N(result.Failed.Count));
        table.Add("ms per history", (result.Elapsed.TotalMilliseconds / Math.Max(1, result.Histories)).ToString("F1", CultureInfo.InvariantCulture));
        table.AddRule();
        foreach ((string kind, int count) in result.ByKind)
        {
            table.Add("planned " + kind, N(count));
        }

        table.Write(Console.Out);
        if (result.Failed.Count > 0)
        {
            Console.Out.WriteLine();
            Console.Out.WriteLine("Failing seeds: " + string.Join(" ", result.Failed.Take(50).Select(f => f.History.Seed.ToString(CultureInfo.InvariantCulture))));
        }

        Console.Out.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"lifecycle: histories={result.Histories} operations={result.Operations} fault_rate={options.FaultRate} wrong_cancels={result.WrongCancels} missed_cancels={result.MissedCancels} stale_links={result.StaleLinks} duplicates={result.Duplicates} orphans={result.Orphans} leaked_references={result.LeakedReferences} seed={options.Seed} elapsed_s={result.Elapsed.TotalSeconds:F0}"));
        return 0;
    }

    private static string N(int value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
