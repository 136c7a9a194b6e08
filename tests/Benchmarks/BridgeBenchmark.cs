using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using ClientBridge.Protocol;
using ClientBridge.Protocol.Client;
using ClientBridge.Protocol.Framing;

namespace Benchmarks;

/// <summary>
/// <c>bridge</c>: the agent's round trips against a bare length-prefixed echo on the same pipe API, with the same
/// bytes on the wire. Both sides get the same client process, the same warmup and the same counts; only the
/// server differs (the real agent, or <see cref="EchoServer"/>).
/// </summary>
internal static class BridgeBenchmark
{
    private const int PayloadChars = 64;
    private const int LatencyRoundTrips = 20_000;
    private const int LatencyWarmupRoundTrips = 5_000;
    private const int ThroughputMessages = 200_000;
    private const int ThroughputWarmupMessages = 50_000;
    private const int ThroughputRounds = 8;
    private const int LatencyBlock = 250;
    private const int Window = 128;
    private const int FreshClients = 20;
    private const int FreshProcesses = 10;
    private const double P50Goal = 1.3;
    private const double P99Goal = 2.0;
    private const double ThroughputGoal = 0.7;
    private const double P50GoalNearLimit = 1.1;
    private const double P99GoalNearLimit = 1.3;
    private const double BatchedThroughputGoal = 0.5;

    /// <summary>Warm up for at least this long as well as the counts above, so that tiered compilation has settled.</summary>
    private static readonly TimeSpan WarmupTime = TimeSpan.FromSeconds(1);

    /// <summary>A measuring loop stops early (and says so) after this long.</summary>
    private static readonly TimeSpan SoftLimit = TimeSpan.FromSeconds(20);

    /// <summary>After this long the measuring connections are torn down, so that nothing can hang.</summary>
    private static readonly TimeSpan HardLimit = TimeSpan.FromSeconds(90);

    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(3);

    /// <summary>64 printable ASCII characters: one UTF-8 byte each.</summary>
    public static string MakePayload()
    {
        const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_";
        var builder = new StringBuilder(PayloadChars);
        for (int i = 0; i < PayloadChars; i++)
        {
            builder.Append(Alphabet[(i * 7) % Alphabet.Length]);
        }

        return builder.ToString();
    }

    public static async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        string payload = MakePayload();

        // The agent's own encoding of a ping request with a six-digit id (as most ids in the run have): the bare
        // echo sends exactly these bytes, so both transports carry frames of the same size.
        byte[] frame = FrameOutbox.Encode(MessageType.Request, 123_456, MessageKinds.Ping, new Ping { Data = payload }, BridgeWire.Default.Ping);

        string id = Guid.NewGuid().ToString("N")[..8];
        string? directory = OperatingSystem.IsWindows() ? null : $"/tmp/cbb-{id}";
        string workDirectory = directory ?? Path.Combine(Path.GetTempPath(), $"cbb-{id}");
        string echoPipe = directory is null ? $"cbb-{id}-echo" : $"{directory}/echo.sock";
        string agentPipe = directory is null ? $"cbb-{id}-agent" : $"{directory}/agent.sock";
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(workDirectory);
        }
        else
        {
            Directory.CreateDirectory(workDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        try
        {
            Console.Error.WriteLine($"bridge: payload {payload.Length} chars, frame {frame.Length} bytes, window {Window}, work folder {workDirectory}");
            Figures figures = await MeasureAsync(echoPipe, agentPipe, Path.Combine(workDirectory, "logs"), payload, frame, cancellationToken);
            Report(payload, frame, figures, total.Elapsed);
            return 0;
        }
        finally
        {
            ChildProcesses.KillAll();
            TryDelete(workDirectory);
        }
    }

    private static async Task<Figures> MeasureAsync(string echoPipe, string agentPipe, string logDirectory, string payload, byte[] frame, CancellationToken cancellationToken)
    {
        Process echo = await StartEchoServerAsync(echoPipe, cancellationToken);
        (Process agent, StringBuilder agentErrors) = StartAgent(agentPipe, logDirectory);
        long agentStarted = Stopwatch.GetTimestamp();
        try
        {
            using BareConnection bareConnection = await BareConnection.ConnectAsync(echoPipe, StartLimit, cancellationToken);
            using var client = new BridgeClient(FirstReply.ClientOptions(agentPipe, "bench"));
            await ConnectWhenReadyAsync(client, agent, agentErrors, cancellationToken);
            double agentReadyMs = Stopwatch.GetElapsedTime(agentStarted).TotalMilliseconds;
            (double startupRss, _) = ProcessStats.Memory(agent);

            var bare = new Side(
                "bare echo",
                echo,
                async () =>
                {
                    await bareConnection.Pipe.WriteAsync(frame, CancellationToken.None);
                    FrameBlock block = await bareConnection.Scanner.ReadAsync(CancellationToken.None);
                    if (block.Count != 1 || !block.Bytes.Span.SequenceEqual(frame))
                    {
                        throw new InvalidDataException("The echo did not return the frame it was sent.");
                    }
                },
                (count, progress, token) => BarePipelineAsync(bareConnection, frame, batched: false, count, progress, token));
            var bridge = new Side(
                "agent",
                agent,
                async () =>
                {
                    // No token: a cancellable call takes a slower path in the client than the add-in's calls do;
                    // the phase guard disconnects the client instead if anything hangs.
                    Ping reply = await client.PingAsync(payload, CancellationToken.None);
                    if (reply.Data != payload)
                    {
                        throw new InvalidDataException("The agent did not echo the ping.");
                    }
                },
                (count, progress, token) => BridgePipelineAsync(client, payload, count, progress, token));

            LatencyResult bareLatency, bridgeLatency;
            ThroughputResult bareThroughput, bridgeThroughput, bareBatched;
            double echoRss;
            using (var guard = new PhaseGuard(
                () =>
                {
                    bareConnection.Dispose();
                    client.Dispose();
                },
                cancellationToken))
            {
                (bareLatency, bridgeLatency) = await MeasureLatencyAsync(bare, bridge, guard.Token);
                (bareThroughput, bridgeThroughput) = await MeasureThroughputAsync(bare, bridge, guard.Token);

                Console.Error.WriteLine("bridge: bare echo, pipelined with the window batched into writes…");
                var ceiling = new Side("bare echo, batched", echo, bare.RoundTrip, (count, progress, token) => BarePipelineAsync(bareConnection, frame, batched: true, count, progress, token));
                bareBatched = await MeasureThroughputAsync(ceiling, guard.Token);
                (echoRss, _) = ProcessStats.Memory(echo);
            }

            ChildProcesses.Stop(echo);

            Console.Error.WriteLine($"bridge: agent, first reply of {FreshClients} fresh clients and {FreshProcesses} fresh processes…");
            var inProcess = new List<double>();
            for (int i = 0; i < FreshClients; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                inProcess.Add(await FirstReply.MeasureInProcessAsync(agentPipe, payload));
            }

            var processReported = new List<double>();
            var processInMain = new List<double>();
            var processObserved = new List<double>();
            for (int i = 0; i < FreshProcesses; i++)
            {
                (double childMs, double inMainMs, double observedMs) = await FirstReply.MeasureChildAsync(agentPipe, cancellationToken);
                processReported.Add(childMs);
                processInMain.Add(inMainMs);
                processObserved.Add(observedMs);
            }

            Console.Error.WriteLine($"bridge: agent, idle for {SettleTime.TotalSeconds:0} s with one client connected…");
            await Task.Delay(SettleTime, cancellationToken);
            (double idleRss, double peakRss) = ProcessStats.Memory(agent);
            Ping last = await client.PingAsync(payload, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
            if (last.Data != payload)
            {
                throw new InvalidDataException("The agent did not echo the last ping.");
            }

            return new Figures(
                bareLatency,
                bridgeLatency,
                bareThroughput,
                bridgeThroughput,
                bareBatched,
                echoRss,
                agentReadyMs,
                Median(inProcess),
                Median(processReported),
                Median(processInMain),
                Median(processObserved),
                startupRss,
                idleRss,
                peakRss);
        }
        finally
        {
            ChildProcesses.Stop(echo);
            ChildProcesses.Stop(agent);
        }
    }

    private static async Task<Process> StartEchoServerAsync(string pipeName, CancellationToken cancellationToken)
    {
        ProcessStartInfo info = ChildProcesses.ForSelf("echo-server", pipeName);
        info.RedirectStandardInput = true; // Closing it (or our death) tells the echo server to exit.
        info.RedirectStandardOutput = true;
        Process server = ChildProcesses.Start(info);
        try
        {
            using var ready = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            ready.CancelAfter(StartLimit);
            string? line = await server.StandardOutput.ReadLineAsync(ready.Token);
            return line == "ready" ? server : throw new InvalidOperationException($"The echo server did not start (it said '{line}').");
        }
        catch
        {
            ChildProcesses.Stop(server);
            throw;
        }
    }

    internal static (Process Agent, StringBuilder Errors) StartAgent(string pipeName, string logDirectory)
    {
        ProcessStartInfo info = ChildProcesses.ForAgent("run", "--background", "--pipe", pipeName, "--log-dir", logDirectory);
        info.RedirectStandardError = true;
        var errors = new StringBuilder();
        Process agent = ChildProcesses.Start(info);
        agent.ErrorDataReceived += (_, e) =>
        {
            lock (errors)
            {
                errors.AppendLine(e.Data);
            }
        };
        agent.BeginErrorReadLine();
        return (agent, errors);
    }

    internal static async Task ConnectWhenReadyAsync(BridgeClient client, Process agent, StringBuilder agentErrors, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await client.ConnectAsync(cancellationToken);
                return;
            }
            catch (BridgeException ex) when (waited.Elapsed < StartLimit)
            {
                if (agent.HasExited)
                {
                    string errors;
                    lock (agentErrors)
                    {
                        errors = agentErrors.ToString().Trim();
                    }

                    throw new InvalidOperationException($"The agent exited with code {agent.ExitCode} before answering: {errors}", ex);
                }

                await Task.Delay(20, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Sequential round trips on both sides: each warmed up, then timed in alternating blocks (bare, bridge, bridge,
    /// bare, …) so that drift in the machine's speed during the run falls on both alike.
    /// </summary>
    private static async Task<(LatencyResult Bare, LatencyResult Bridge)> MeasureLatencyAsync(Side bare, Side bridge, CancellationToken cancellationToken)
    {
        Side[] sides = [bare, bridge];
        foreach (Side side in sides)
        {
            Console.Error.WriteLine($"bridge: {side.Name}, warming up sequential round trips…");
            var warmup = Stopwatch.StartNew();
            for (int i = 0; (i < LatencyWarmupRoundTrips || warmup.Elapsed < WarmupTime) && warmup.Elapsed < SoftLimit; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await side.RoundTrip();
            }
        }

        Console.Error.WriteLine($"bridge: timing {LatencyRoundTrips:N0} sequential round trips on each, in blocks of {LatencyBlock:N0}…");
        long[][] samples = [new long[LatencyRoundTrips], new long[LatencyRoundTrips]];
        int[] counts = new int[2];
        var usage = new Usage[2];
        var clock = Stopwatch.StartNew();
        for (int block = 0; block < LatencyRoundTrips / LatencyBlock && clock.Elapsed < SoftLimit; block++)
        {
            foreach (int s in block % 2 == 0 ? [0, 1] : (int[])[1, 0])
            {
                Func<ValueTask> roundTrip = sides[s].RoundTrip;
                long[] timings = samples[s];
                Usage before = ProcessStats.Usage(sides[s].Server);
                for (int i = 0; i < LatencyBlock; i++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    long started = Stopwatch.GetTimestamp();
                    await roundTrip();
                    timings[counts[s]++] = Stopwatch.GetTimestamp() - started;
                }

                usage[s] += ProcessStats.Usage(sides[s].Server) - before;
            }
        }

        return (Summarize(samples[0], counts[0], usage[0]), Summarize(samples[1], counts[1], usage[1]));
    }

    private static LatencyResult Summarize(long[] samples, int count, Usage usage)
    {
        Array.Sort(samples, 0, count);
        double toMicroseconds = 1_000_000.0 / Stopwatch.Frequency;
        double sum = 0;
        for (int i = 0; i < count; i++)
        {
            sum += samples[i];
        }

        return new LatencyResult(
            count,
            Percentile(samples, count, 0.50) * toMicroseconds,
            Percentile(samples, count, 0.99) * toMicroseconds,
            sum / count * toMicroseconds,
            samples[count - 1] * toMicroseconds,
            count < samples.Length,
            usage);
    }

    /// <summary>Pipelined runs on both sides: each warmed up, then timed in alternating rounds as latency is.</summary>
    private static async Task<(ThroughputResult Bare, ThroughputResult Bridge)> MeasureThroughputAsync(Side bare, Side bridge, CancellationToken cancellationToken)
    {
        Side[] sides = [bare, bridge];
        foreach (Side side in sides)
        {
            Console.Error.WriteLine($"bridge: {side.Name}, warming up pipelined…");
            await WarmUpPipelineAsync(side, cancellationToken);
        }

        Console.Error.WriteLine($"bridge: timing {ThroughputMessages:N0} pipelined messages on each, in {ThroughputRounds} rounds…");
        Progress[] progress = [new(), new()];
        var elapsed = new TimeSpan[2];
        var usage = new Usage[2];
        var clock = Stopwatch.StartNew();
        for (int round = 0; round < ThroughputRounds && clock.Elapsed < SoftLimit; round++)
        {
            foreach (int s in round % 2 == 0 ? [0, 1] : (int[])[1, 0])
            {
                Usage before = ProcessStats.Usage(sides[s].Server);
                long started = Stopwatch.GetTimestamp();
                await sides[s].Pipeline(ThroughputMessages / ThroughputRounds, progress[s], cancellationToken);
                elapsed[s] += Stopwatch.GetElapsedTime(started);
                usage[s] += ProcessStats.Usage(sides[s].Server) - before;
            }
        }

        return (Result(progress[0], elapsed[0], usage[0]), Result(progress[1], elapsed[1], usage[1]));

        static ThroughputResult Result(Progress progress, TimeSpan elapsed, Usage usage) =>
            new(progress.Completed, elapsed, progress.Truncated || progress.Completed < ThroughputMessages, progress.Writes, progress.Reads, usage);
    }

    /// <summary>One side's pipelined throughput on its own: a warmup, then one timed run of <see cref="ThroughputMessages"/>.</summary>
    private static async Task<ThroughputResult> MeasureThroughputAsync(Side side, CancellationToken cancellationToken)
    {
        await WarmUpPipelineAsync(side, cancellationToken);
        var progress = new Progress();
        Usage before = ProcessStats.Usage(side.Server);
        var clock = Stopwatch.StartNew();
        await side.Pipeline(ThroughputMessages, progress, cancellationToken);
        clock.Stop();
        Usage usage = ProcessStats.Usage(side.Server) - before;
        return new ThroughputResult(progress.Completed, clock.Elapsed, progress.Truncated, progress.Writes, progress.Reads, usage);
    }

    private static async Task WarmUpPipelineAsync(Side side, CancellationToken cancellationToken)
    {
        var warmup = Stopwatch.StartNew();
        while (warmup.Elapsed < WarmupTime)
        {
            await side.Pipeline(ThroughputWarmupMessages, new Progress(), cancellationToken);
        }
    }

    /// <summary>
    /// One writer task and one reader task on the bare pipe, at most <see cref="Window"/> frames in flight. The writer
    /// sends each frame with its own write, as a caller that sends one request at a time would (the baseline); or,
    /// <paramref name="batched"/>, every frame the window allows in one write (the transport's ceiling).
    /// </summary>
    private static async Task BarePipelineAsync(BareConnection connection, byte[] frame, bool batched, int count, Progress progress, CancellationToken cancellationToken)
    {
        byte[] batch = new byte[frame.Length * Window];
        for (int i = 0; i < Window; i++)
        {
            frame.CopyTo(batch, i * frame.Length);
        }

        using var slots = new SemaphoreSlim(Window, Window);
        using var stopReader = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var clock = Stopwatch.StartNew();

        Task writer = Task.Run(
            async () =>
            {
                try
                {
                    int sent = 0;
                    while (sent < count && clock.Elapsed < SoftLimit)
                    {
                        await slots.WaitAsync(cancellationToken);
                        int frames = 1;
                        while (batched && frames < Window && sent + frames < count && slots.Wait(0))
                        {
                            frames++;
                        }

                        await connection.Pipe.WriteAsync(batch.AsMemory(0, frames * frame.Length), cancellationToken);
                        sent += frames;
                        progress.Writes++;
                    }

                    progress.Truncated = sent < count;

                    // Every slot back means every frame sent has been answered.
                    for (int i = 0; i < Window; i++)
                    {
                        await slots.WaitAsync(cancellationToken);
                    }
                }
                finally
                {
                    // Stops a reader still waiting when the writer stopped early (or failed).
                    await stopReader.CancelAsync();
                }
            },
            cancellationToken);

        Task reader = Task.Run(
            async () =>
            {
                try
                {
                    int received = 0;
                    while (received < count)
                    {
                        FrameBlock block = await connection.Scanner.ReadAsync(stopReader.Token);
                        if (block.Count == 0 || block.Bytes.Length != block.Count * frame.Length)
                        {
                            throw new InvalidDataException("The echo closed the pipe or returned frames of another size.");
                        }

                        received += block.Count;
                        progress.Reads++;
                        Interlocked.Add(ref progress.Completed, block.Count);
                        slots.Release(block.Count);
                    }
                }
                catch (OperationCanceledException) when (stopReader.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                }
            },
            cancellationToken);

        await Task.WhenAll(writer, reader);
    }

    /// <summary>PingAsync calls with at most <see cref="Window"/> outstanding, issued from one loop as slots free up.</summary>
    private static async Task BridgePipelineAsync(BridgeClient client, string payload, int count, Progress progress, CancellationToken cancellationToken)
    {
        using var slots = new SemaphoreSlim(Window, Window);
        Exception? failure = null;
        var clock = Stopwatch.StartNew();
        int issued = 0;
        try
        {
            while (issued < count && clock.Elapsed < SoftLimit)
            {
                await slots.WaitAsync(cancellationToken);
                issued++;
                _ = PingOneAsync();
            }
        }
        finally
        {
            // Wait for every outstanding ping; the phase guard disconnects the client (failing them) if they hang.
            for (int i = 0; i < Window; i++)
            {
                await slots.WaitAsync(CancellationToken.None);
            }
        }

        progress.Truncated = issued < count;
        if (failure is not null)
        {
            throw new InvalidOperationException("A pipelined ping failed.", failure);
        }

        async Task PingOneAsync()
        {
            try
            {
                // No token: a cancellable call takes a slower path in the client than the add-in's calls do;
                // the phase guard disconnects the client instead if anything hangs.
                Ping reply = await client.PingAsync(payload, CancellationToken.None);
                if (reply.Data == payload)
                {
                    Interlocked.Increment(ref progress.Completed);
                }
                else
                {
                    Interlocked.CompareExchange(ref failure, new InvalidDataException("The agent did not echo a ping."), null);
                }
            }
            catch (BridgeException ex)
            {
                Interlocked.CompareExchange(ref failure, ex, null);
            }
            finally
            {
                slots.Release();
            }
        }
    }

    private static void Report(string payload, byte[] frame, Figures f, TimeSpan elapsed)
    {
        double p50Ratio = f.BridgeLatency.P50Us / f.BareLatency.P50Us;
        double p99Ratio = f.BridgeLatency.P99Us / f.BareLatency.P99Us;
        double throughputRatio = f.BridgeThroughput.PerSecond / f.BareThroughput.PerSecond;
        double batchedRatio = f.BridgeThroughput.PerSecond / f.BareBatched.PerSecond;
        int goalsMet = (p50Ratio <= P50Goal ? 1 : 0) + (p99Ratio <= P99Goal ? 1 : 0) + (throughputRatio >= ThroughputGoal ? 1 : 0);
        int nearLimitMet = (p50Ratio <= P50GoalNearLimit ? 1 : 0) + (p99Ratio <= P99GoalNearLimit ? 1 : 0) + (batchedRatio >= BatchedThroughputGoal ? 1 : 0);

        var table = new Table("Figure", "Bare echo", "Bridge", "Bridge/bare", "Goal");
        table.Add("Round-trip latency p50 (µs)", F(f.BareLatency.P50Us, 1), F(f.BridgeLatency.P50Us, 1), F(p50Ratio, 2), Goal(p50Ratio <= P50Goal, $"≤ {P50Goal:0.0#}×"));
        table.Add("Round-trip latency p99 (µs)", F(f.BareLatency.P99Us, 1), F(f.BridgeLatency.P99Us, 1), F(p99Ratio, 2), Goal(p99Ratio <= P99Goal, $"≤ {P99Goal:0.0#}×"));
        table.Add("Round-trip latency mean (µs)", F(f.BareLatency.MeanUs, 1), F(f.BridgeLatency.MeanUs, 1), F(f.BridgeLatency.MeanUs / f.BareLatency.MeanUs, 2), string.Empty);
        table.Add("Round-trip latency max (µs)", F(f.BareLatency.MaxUs, 0), F(f.BridgeLatency.MaxUs, 0), string.Empty, string.Empty);
        table.Add("Round trips timed", Count(f.BareLatency.Count, f.BareLatency.Truncated), Count(f.BridgeLatency.Count, f.BridgeLatency.Truncated), string.Empty, string.Empty);
        table.Add("  CPU per round trip, client / server (µs)", CpuPer(f.BareLatency.Usage, f.BareLatency.Count), CpuPer(f.BridgeLatency.Usage, f.BridgeLatency.Count), string.Empty, "incl. thread-pool spinning");
        table.Add("  context switches per round trip, client / server", SwitchesPer(f.BareLatency.Usage, f.BareLatency.Count), SwitchesPer(f.BridgeLatency.Usage, f.BridgeLatency.Count), string.Empty, string.Empty);
        table.Add($"Pipelined throughput (msgs/s, {Window} in flight, 1 frame/write)", F(f.BareThroughput.PerSecond, 0), F(f.BridgeThroughput.PerSecond, 0), F(throughputRatio, 2), Goal(throughputRatio >= ThroughputGoal, $"≥ {ThroughputGoal:0.0#}×"));
        table.Add("Pipelined messages timed", Count(f.BareThroughput.Messages, f.BareThroughput.Truncated), Count(f.BridgeThroughput.Messages, f.BridgeThroughput.Truncated), string.Empty, string.Empty);
        table.Add("  CPU per message, client / server (µs)", CpuPer(f.BareThroughput.Usage, f.BareThroughput.Messages), CpuPer(f.BridgeThroughput.Usage, f.BridgeThroughput.Messages), string.Empty, string.Empty);
        table.Add("  context switches per message, client / server", SwitchesPer(f.BareThroughput.Usage, f.BareThroughput.Messages), SwitchesPer(f.BridgeThroughput.Usage, f.BridgeThroughput.Messages), string.Empty, string.Empty);
        table.Add("  client frames per read (bare reader)", F(f.BareThroughput.FramesPerRead, 1), string.Empty, string.Empty, string.Empty);
        table.Add("Pipelined, bare writer batching the window (msgs/s)", F(f.BareBatched.PerSecond, 0), string.Empty, F(batchedRatio, 2), Goal(batchedRatio >= BatchedThroughputGoal, $"≥ {BatchedThroughputGoal:0.0#}× (transport ceiling)"));
        table.Add("  client frames per write / per read", $"{F(f.BareBatched.FramesPerWrite, 1)} / {F(f.BareBatched.FramesPerRead, 1)}", string.Empty, string.Empty, string.Empty);
        table.Add("  CPU per message, client / server (µs)", CpuPer(f.BareBatched.Usage, f.BareBatched.Messages), string.Empty, string.Empty, string.Empty);
        table.AddRule();
        table.Add($"First reply, fresh client in process (ms, median of {FreshClients})", string.Empty, F(f.FirstReplyMs, 2), string.Empty, string.Empty);
        table.Add($"First reply, fresh process from its start (ms, median of {FreshProcesses})", string.Empty, F(f.FirstReplyProcessMs, 1), string.Empty, "OS start time: 10 ms steps");
        table.Add("  as seen by the parent, spawn to reply line (ms)", string.Empty, F(f.FirstReplyObservedMs, 1), string.Empty, string.Empty);
        table.Add("Agent start to first handshake (ms)", string.Empty, F(f.AgentReadyMs, 0), string.Empty, string.Empty);
        table.AddRule();
        table.Add("Server RSS right after startup, 1 client (MB)", string.Empty, F(f.StartupRssMb, 1), string.Empty, string.Empty);
        table.Add($"Server RSS idle after load + {SettleTime.TotalSeconds:0} s, 1 client (MB)", string.Empty, F(f.IdleRssMb, 1), string.Empty, string.Empty);
        table.Add("Server peak RSS (MB)", string.Empty, F(f.PeakRssMb, 1), string.Empty, string.Empty);
        table.Add("Server RSS right after load (MB)", F(f.EchoRssMb, 1), string.Empty, string.Empty, "reference only");

        Console.WriteLine();
        Console.WriteLine($"bridge benchmark: ping data {payload.Length} ASCII chars, {frame.Length}-byte frames (4-byte header + {frame.Length - 4}-byte MessagePack request) both ways,");
        Console.WriteLine($"same bytes for the bare echo; {Environment.ProcessorCount} CPUs; {RuntimeDescription()}; finished in {elapsed.TotalSeconds:0.0} s.");
        Console.WriteLine();
        table.Write(Console.Out);
        Console.WriteLine();
        Console.WriteLine($"Goals met: {goalsMet} of 3 (bridge p50 ≤ {P50Goal}× bare, p99 ≤ {P99Goal}× bare, throughput ≥ {ThroughputGoal}× bare). Goals are reported, never enforced.");
        Console.WriteLine($"Near the physical limit: {nearLimitMet} of 3 (p50 ≤ {P50GoalNearLimit}× bare, p99 ≤ {P99GoalNearLimit}× bare, pipelined ≥ {BatchedThroughputGoal}× the batched bare pipe).");
        Console.WriteLine();

        var final = new StringBuilder("bridge:");
        void Pair(string key, double value, int decimals) => final.Append(' ').Append(key).Append('=').Append(F(value, decimals));
        Pair("p50_us", f.BridgeLatency.P50Us, 1);
        Pair("p99_us", f.BridgeLatency.P99Us, 1);
        Pair("msgs_per_s", f.BridgeThroughput.PerSecond, 0);
        Pair("bare_p50_us", f.BareLatency.P50Us, 1);
        Pair("bare_p99_us", f.BareLatency.P99Us, 1);
        Pair("bare_msgs_per_s", f.BareThroughput.PerSecond, 0);
        Pair("bare_batched_msgs_per_s", f.BareBatched.PerSecond, 0);
        Pair("p50_ratio", p50Ratio, 2);
        Pair("p99_ratio", p99Ratio, 2);
        Pair("throughput_ratio", throughputRatio, 2);
        Pair("batched_throughput_ratio", batchedRatio, 2);
        Pair("first_reply_ms", f.FirstReplyMs, 2);
        Pair("first_reply_process_ms", f.FirstReplyProcessMs, 1);
        Pair("idle_rss_mb", f.IdleRssMb, 1);
        Pair("startup_rss_mb", f.StartupRssMb, 1);
        Pair("peak_rss_mb", f.PeakRssMb, 1);
        Pair("agent_ready_ms", f.AgentReadyMs, 0);
        Pair("window", Window, 0);
        Pair("frame_bytes", frame.Length, 0);
        final.Append(" goals_met=").Append(goalsMet.ToString(CultureInfo.InvariantCulture)).Append("/3");
        final.Append(" near_limit_goals_met=").Append(nearLimitMet.ToString(CultureInfo.InvariantCulture)).Append("/3");
        Console.WriteLine(final.ToString());
    }

    private static string RuntimeDescription() => System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription;

    private static string CpuPer(Usage usage, long messages) =>
        $"{F(usage.ClientCpu.TotalMicroseconds / messages, 1)} / {F(usage.ServerCpu.TotalMicroseconds / messages, 1)}";

    private static string SwitchesPer(Usage usage, long messages) =>
        // No switch at all over thousands of round trips means this kernel does not count them (some sandboxes).
        usage.ClientSwitches <= 0 || usage.ServerSwitches <= 0
            ? "n/a"
            : $"{F((double)usage.ClientSwitches / messages, 2)} / {F((double)usage.ServerSwitches / messages, 2)}";

    private static string Goal(bool met, string goal) => goal + (met ? "  met" : "  MISSED");

    private static string Count(long count, bool truncated) => count.ToString("N0", CultureInfo.InvariantCulture) + (truncated ? " (time limit)" : string.Empty);

    internal static string F(double value, int decimals) =>
        double.IsFinite(value) ? value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : "nan";

    private static double Percentile(long[] sorted, int count, double quantile) =>
        sorted[Math.Clamp((int)Math.Ceiling(quantile * count) - 1, 0, count - 1)];

    internal static double Median(List<double> values)
    {
        double[] sorted = [.. values.Where(double.IsFinite).Order()];
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"bridge: could not remove {directory}: {ex.Message}");
        }
    }

    /// <summary>Counters a pipeline fills in as it goes, so that a run cut short still reports what it did.</summary>
    private sealed class Progress
    {
        public long Completed;
        public long Writes;
        public long Reads;
        public bool Truncated;
    }

    /// <summary>Bounds a phase: after <see cref="HardLimit"/>, or on Ctrl+C, its connection is torn down so that every wait ends.</summary>
    private sealed class PhaseGuard : IDisposable
    {
        private readonly CancellationTokenSource _limit;
        private readonly CancellationTokenRegistration _teardown;

        public PhaseGuard(Action teardown, CancellationToken cancellationToken)
        {
            _limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            _limit.CancelAfter(HardLimit);
            _teardown = _limit.Token.Register(teardown);
        }

        public CancellationToken Token => _limit.Token;

        public void Dispose()
        {
            _teardown.Dispose();
            _limit.Dispose();
        }
    }

    private sealed record LatencyResult(int Count, double P50Us, double P99Us, double MeanUs, double MaxUs, bool Truncated, Usage Usage);

    private sealed record ThroughputResult(long Messages, TimeSpan Elapsed, bool Truncated, long Writes, long Reads, Usage Usage)
    {
        public double PerSecond => Messages / Elapsed.TotalSeconds;

        public double FramesPerWrite => Writes == 0 ? double.NaN : (double)Messages / Writes;

        public double FramesPerRead => Reads == 0 ? double.NaN : (double)Messages / Reads;
    }

    /// <summary>One way of making round trips: sequential, and pipelined into a <see cref="Progress"/>.</summary>
    private sealed record Side(string Name, Process Server, Func<ValueTask> RoundTrip, Func<int, Progress, CancellationToken, Task> Pipeline);

    private sealed record Figures(
        LatencyResult BareLatency,
        LatencyResult BridgeLatency,
        ThroughputResult BareThroughput,
        ThroughputResult BridgeThroughput,
        ThroughputResult BareBatched,
        double EchoRssMb,
        double AgentReadyMs,
        double FirstReplyMs,
        double FirstReplyProcessMs,
        double FirstReplyInMainMs,
        double FirstReplyObservedMs,
        double StartupRssMb,
        double IdleRssMb,
        double PeakRssMb);
}
