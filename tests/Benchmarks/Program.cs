using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using ClientBridge.Protocol;

namespace Benchmarks;

/// <summary>
/// <c>Benchmarks NAME</c> runs one benchmark and ends with one line <c>NAME: key=value …</c>. The other verbs are the
/// helper processes a benchmark starts from this same executable.
/// </summary>
public static class Program
{
    private static readonly Dictionary<string, (string Description, Func<CancellationToken, Task<int>> Run)> Benchmarks =
        new(StringComparer.Ordinal)
        {
            ["bridge"] = ("Agent round trips (latency, pipelined throughput, first reply, memory) against a bare pipe echo.", BridgeBenchmark.RunAsync),
            ["calendar"] = ("One calendar snapshot (5,000 appointments, fake Outlook → real agent): table read vs item by item.", CalendarBenchmark.RunAsync),
            ["upcoming"] = ("The agent holding 2,000 upcoming events (resident memory beside an idle agent) and the menu rebuilt after a delta.", UpcomingBenchmark.RunAsync),
            ["links"] = ("Join-link detection on a 1 MB HTML invitation against one Regex.IsMatch pass over the same text.", LinksBenchmark.RunAsync),
            ["startup"] = ("The add-in's OnConnection + OnStartupComplete against the fake Outlook, and the deferred first snapshot.", StartupBenchmark.RunAsync),
            ["lifecycle"] = ("Randomized histories of user actions (fake Outlook, add-in, agent, Zoom emulator) judged by an oracle; --histories N --seed S --fault-rate F.", ct => LifecycleBenchmark.RunAsync(new LifecycleOptions(), ct)),
        };

    public static async Task<int> Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);

        // Helper processes started by a benchmark.
        if (args.Length == 2 && args[0] == "echo-server")
        {
            return await EchoServer.RunAsync(args[1]);
        }

        // Only the lifecycle soak takes options; every other benchmark is its name alone.
        LifecycleOptions? lifecycle = null;
        bool optionsAllowed = args.Length > 1 && args[0] == "lifecycle" && LifecycleOptions.TryRead(args[1..], out lifecycle);
        if ((args.Length != 1 && !optionsAllowed) || !Benchmarks.TryGetValue(args[0], out var benchmark))
        {
            Console.Error.WriteLine(args.Length == 0 ? "Name a benchmark to run." : $"Unknown benchmark '{string.Join(' ', args)}'.");
            Console.Error.WriteLine("Usage: Benchmarks NAME   (lifecycle also takes --histories N --seed S --fault-rate F)");
            Console.Error.WriteLine("Benchmarks:");
            foreach (var (name, (description, _)) in Benchmarks)
            {
                Console.Error.WriteLine($"  {name,-10} {description}");
            }

            return 2;
        }

        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            // Let the benchmark unwind through its finally blocks, which stop the child processes.
            e.Cancel = true;
            Console.Error.WriteLine("Cancelling…");
            cancel.Cancel();
        };
        EventHandler onExit = (_, _) => ChildProcesses.KillAll();
        Console.CancelKeyPress += onCancel;
        AppDomain.CurrentDomain.ProcessExit += onExit;

        // A polite kill (SIGTERM, a closed terminal) unwinds like Ctrl+C, so the work folder goes too.
        using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var onHangUp = PosixSignalRegistration.Create(PosixSignal.SIGHUP, Stop);
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            cancel.Cancel();
        }
        try
        {
            return lifecycle is not null ? await LifecycleBenchmark.RunAsync(lifecycle, cancel.Token) : await benchmark.Run(cancel.Token);
        }
        catch (Exception) when (cancel.IsCancellationRequested)
        {
            // Cancelling tears the connections down, so the wait that ends may report a closed pipe instead.
            Console.Error.WriteLine("Cancelled.");
            return 130;
        }
        catch (Exception ex) when (ex is InvalidOperationException or InvalidDataException or IOException or BridgeException or TimeoutException)
        {
            Console.Error.WriteLine($"{args[0]}: failed: {ex}");
            return 1;
        }
        finally
        {
            ChildProcesses.KillAll();
            Console.CancelKeyPress -= onCancel;
            AppDomain.CurrentDomain.ProcessExit -= onExit;
        }
    }
}
