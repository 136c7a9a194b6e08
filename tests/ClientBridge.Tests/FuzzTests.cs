using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.IO.Pipes;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using ClientBridge.Protocol;
using ClientBridge.Protocol.Client;
using ClientBridge.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace ClientBridge.Tests;

/// <summary>
/// Throws generated frames, valid and broken in every way the hostile-input tests name and more, at the real agent
/// process over several connections at once, while a well-behaved client keeps checking that the agent answers.
/// </summary>
[TestClass]
public sealed class FuzzTests
{
    private const int TotalFrames = 100_000;
    private const int Connections = 4;

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [Timeout(180_000, CooperativeCancellation = true)]
    public async Task A_hundred_thousand_generated_frames_neither_crash_nor_hang_the_agent_nor_grow_its_memory()
    {
        BridgeEndpoint endpoint = TestAgent.NewEndpoint();
        string logs = Path.Combine(Path.GetTempPath(), "cbt-fuzz-" + Guid.NewGuid().ToString("N")[..8]);
        using AgentProcess agent = await AgentProcess.StartAsync(endpoint, logs);
        using BridgeClient control = new(new BridgeClientOptions { Endpoint = endpoint, ClientName = "control", RequestTimeout = TimeSpan.FromSeconds(2) });
        await control.PingAsync();

        int sent = 0;
        int answered = 0;
        long warmRss = 0;
        var slowestControl = TimeSpan.Zero;
        int controlPings = 0;
        var clock = Stopwatch.StartNew();
        using var done = new CancellationTokenSource();

        Task controlLoop = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                var one = Stopwatch.StartNew();
                Ping reply = await control.PingAsync($"control {controlPings}");
                Assert.AreEqual($"control {controlPings}", reply.Data);
                slowestControl = one.Elapsed > slowestControl ? one.Elapsed : slowestControl;
                controlPings++;
                if (warmRss == 0 && Volatile.Read(ref sent) >= TotalFrames / 10)
                {
                    warmRss = agent.ResidentBytes();
                }

                await Task.Delay(20);
            }
        });

        await Task.WhenAll(Enumerable.Range(0, Connections).Select(c => Task.Run(() => FuzzConnectionAsync(endpoint, seed: c, () => Interlocked.Increment(ref sent) <= TotalFrames, () => Interlocked.Increment(ref answered)))));
        await done.CancelAsync();
        await controlLoop;

        // Let the agent drop whatever half-frames the fuzzers left, then measure it at rest: once its idle trim has run
        // (a second after the last request), what it still holds is what it kept. Under load the heap runs tens of MB
        // above that (the native agent: about 106 MB at the end of the load, 27 MB at rest), so a figure read before the
        // trim measures the collector's pace, not a leak; a leak never comes back under the bound.
        StatusReply status = await control.GetStatusAsync();
        long bound = warmRss + (32L * 1024 * 1024);
        long endRss = agent.ResidentBytes();
        var rest = Stopwatch.StartNew();
        while (endRss >= bound && rest.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(100);
            endRss = agent.ResidentBytes();
        }
        TestContext.WriteLine(
            $"{TotalFrames} frames in {clock.Elapsed.TotalSeconds:0.0} s, {answered} answered; control pings {controlPings}, slowest {slowestControl.TotalMilliseconds:0} ms; "
            + $"RSS after {TotalFrames / 10} frames {warmRss / 1048576.0:0.0} MB, at rest {endRss / 1048576.0:0.0} MB ({rest.Elapsed.TotalSeconds:0.0} s after the load).");

        Assert.IsFalse(agent.HasExited, "The agent crashed.");
        Assert.IsGreaterThan(TotalFrames / 2, answered, "Most frames must have been read and answered, not lost with a dropped connection.");
        Assert.IsGreaterThan(3, controlPings, "The control client must have been answered all along.");
        Assert.IsLessThan(TimeSpan.FromSeconds(2), slowestControl, "The agent stalled.");
        Assert.AreEqual(agent.Id, status.ProcessId);
        Assert.IsGreaterThan(0L, warmRss);
        Assert.IsLessThan(bound, endRss, "Resident memory grew by more than 32 MB over 90,000 frames and stayed there.");
        TestAgent.Clean(endpoint);
    }

    private static async Task FuzzConnectionAsync(BridgeEndpoint endpoint, int seed, Func<bool> takeFrame, Action countReply)
    {
        var random = new Random(seed);
        var generator = new FrameGenerator(random);
        bool more = true;
        while (more)
        {
            using var pipe = new NamedPipeClientStream(".", endpoint.PipeName, PipeDirection.InOut, PipeOptions.Asynchronous | PipeOptions.CurrentUserOnly);
            await pipe.ConnectAsync(5000);
            int replies = 0;
            int expected = 0;

            // Drain replies so that the agent never blocks writing to us while we write to it.
            Task drain = DrainAsync(pipe, () =>
            {
                Interlocked.Increment(ref replies);
                countReply();
            });
            try
            {
                var batch = new MemoryStream();
                if (random.Next(4) != 0)
                {
                    batch.Write(RawConnection.Frame(Pack.Hello()));
                    expected++;
                }

                var frame = new MemoryStream();
                while (!drain.IsCompleted && (more = takeFrame()))
                {
                    frame.SetLength(0);
                    if (generator.Write(frame))
                    {
                        // Nothing after a frame that breaks the framing would be read: collect the answers to
                        // everything before it, send it last, and move on to a new connection.
                        await pipe.WriteAsync(batch.GetBuffer().AsMemory(0, (int)batch.Length));
                        batch.SetLength(0);
                        await WaitForRepliesAsync(() => Volatile.Read(ref replies) >= expected, drain);
                        await pipe.WriteAsync(frame.GetBuffer().AsMemory(0, (int)frame.Length));
                        break;
                    }

                    // Every readable frame gets exactly one answer: a reply or an error.
                    frame.WriteTo(batch);
                    expected++;
                    if (batch.Length > 4 * 1024)
                    {
                        await pipe.WriteAsync(batch.GetBuffer().AsMemory(0, (int)batch.Length));
                        batch.SetLength(0);
                    }
                }

                await pipe.WriteAsync(batch.GetBuffer().AsMemory(0, (int)batch.Length));
                await WaitForRepliesAsync(() => Volatile.Read(ref replies) >= expected, drain);
            }
            catch (IOException)
            {
                // The agent hung up on this connection, as it does after too many bad frames in a row; open another.
            }
        }
    }

    private static async Task WaitForRepliesAsync(Func<bool> allArrived, Task drain)
    {
        var clock = Stopwatch.StartNew();
        while (!allArrived() && !drain.IsCompleted)
        {
            Assert.IsLessThan(TimeSpan.FromSeconds(5), clock.Elapsed, "The agent stopped answering a connection.");
            await Task.Delay(1);
        }
    }

    private static async Task DrainAsync(Stream pipe, Action countReply)
    {
        var reader = new ClientBridge.Protocol.Framing.FrameReader(pipe);
        try
        {
            while (await reader.ReadFrameAsync() is not null)
            {
                countReply();
            }
        }
        catch (IOException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>
    /// Frames of many shapes: valid requests, mutated MessagePack, random bytes, lying length prefixes, lengths inside
    /// the payload that promise more than it holds, deep nesting, wrong types, and JSON from a protocol-1 client.
    /// </summary>
    private sealed class FrameGenerator(Random random)
    {
        private static readonly string[] Kinds = ["ping", "status", "events.subscribe", "calendar.snapshot", "calendar.delta", "meeting.schedule", "hello", "no.such", "", "x"];

        /// <summary>Bodies as JSON text for readability, sent as their MessagePack twins (<see cref="Pack.FromJson"/>).</summary>
        private static readonly byte[][] Bodies =
        [
            Pack.Body(new Ping { Data = "hello" }, BridgeWire.Default.Ping),
            Pack.Body(new SubscribeRequest { Kinds = ["calendar.changed", "nope"] }, BridgeWire.Default.SubscribeRequest),
            Pack.Body(
                new CalendarSnapshot { Items = [new CalendarItem { Id = "a", Subject = "s", Start = new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.FromHours(1)), End = new DateTimeOffset(2026, 11, 23, 9, 30, 0, TimeSpan.FromHours(1)) }] },
                BridgeWire.Default.CalendarSnapshot),
            Pack.Body(new CalendarDelta { Upserted = [new CalendarItem { Id = "b", Start = DateTimeOffset.UnixEpoch, End = DateTimeOffset.UnixEpoch.AddHours(-1) }], RemovedIds = ["a"] }, BridgeWire.Default.CalendarDelta),
            Pack.FromJson("""[[0,0],[0,0],"not a list"]"""),
            Pack.FromJson("""["r",null,null,"t","not a date"]"""),
            Pack.FromJson("""{"data":"a map where an array goes"}"""),
            Pack.FromJson("null"),
            Pack.FromJson("[]"),
            Pack.FromJson("\"text\""),
            [.. Enumerable.Repeat((byte)0x91, BridgeProtocol.MaxNestingDepth + 8), 0x01], // Nested past the limit.
            Convert.FromHexString("dd7fffffff00"),
            Convert.FromHexString("dbffffffff61"),
        ];

        private long _id;

        /// <summary>Appends one frame; true when it breaks the framing, so that nothing after it on this connection would be read.</summary>
        public bool Write(MemoryStream output)
        {
            byte[] payload = Valid();
            // Frames that end a connection (a bad length) are rare, so that most frames are read and answered.
            int roll = random.Next(200);
            switch (roll)
            {
                case 0:
                    WriteHeader(output, random.Next(3) switch { 0 => 0u, 1 => (uint)BridgeProtocol.MaxFrameBytes + 1, _ => uint.MaxValue });
                    return true;
                case 1:
                    // A length prefix that lies a little: the frames after it are misaligned until the agent gives up.
                    WriteHeader(output, (uint)Math.Max(1, payload.Length + random.Next(-8, 9)));
                    output.Write(payload);
                    return true;
                case < 40:
                    Mutate(payload);
                    break;
                case < 60:
                    payload = Truncate(payload);
                    break;
                case < 80:
                    random.NextBytes(payload);
                    break;
                case < 90:
                    payload = Lie(payload);
                    break;
                case < 95:
                    // A protocol-1 client: answered in JSON, then hung up on, so nothing after it is read.
                    WriteHeader(output, (uint)Legacy.Length);
                    output.Write(Legacy);
                    return true;
                case < 120:
                    payload = Pack.FromJson(RandomJson(0));
                    break;
                default:
                    break; // A well-formed envelope.
            }

            WriteHeader(output, (uint)payload.Length);
            output.Write(payload);
            return false;
        }

        private static void WriteHeader(MemoryStream output, uint length)
        {
            Span<byte> header = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(header, length);
            output.Write(header);
        }

        private static readonly byte[] Legacy = Encoding.UTF8.GetBytes("""{"type":"request","id":1,"kind":"hello","body":{"protocolVersion":1}}""");

        private byte[] Valid()
        {
            string kind = Kinds[random.Next(Kinds.Length)];
            byte[] body = Bodies[random.Next(Bodies.Length)];
            var type = random.Next(8) == 0 ? ClientBridge.Protocol.Framing.MessageType.Event : ClientBridge.Protocol.Framing.MessageType.Request;
            return Pack.Envelope(type, ++_id, kind.Length == 0 ? null : kind, body);
        }

        /// <summary>Makes one array, map, string or binary header promise up to 2^32 elements or bytes the frame does not hold.</summary>
        private byte[] Lie(byte[] payload)
        {
            int at = random.Next(payload.Length);
            byte[] lie = random.Next(4) switch
            {
                0 => [0xDD, 0x7F, 0xFF, 0xFF, 0xFF],
                1 => [0xDF, 0xFF, 0xFF, 0xFF, 0xFF],
                2 => [0xDB, 0x80, 0x00, 0x00, 0x00],
                _ => [0xC6, 0x7F, 0xFF, 0xFF, 0xFF],
            };
            return [.. payload.AsSpan(0, at), .. lie, .. payload.AsSpan(at)];
        }

        private void Mutate(byte[] payload)
        {
            int flips = 1 + random.Next(4);
            for (int i = 0; i < flips; i++)
            {
                payload[random.Next(payload.Length)] = (byte)random.Next(256);
            }
        }

        private byte[] Truncate(byte[] payload) => payload[..Math.Max(1, random.Next(payload.Length))];

        private string RandomJson(int depth)
        {
            return (depth > 4 ? random.Next(4) : random.Next(7)) switch
            {
                0 => random.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
                1 => "\"" + new string((char)random.Next(32, 0x2FFF), random.Next(20)).Replace("\"", "'", StringComparison.Ordinal).Replace("\\", "/", StringComparison.Ordinal) + "\"",
                2 => random.Next(2) == 0 ? "true" : "null",
                3 => "-1e300",
                4 => "[" + string.Join(",", Enumerable.Range(0, random.Next(5)).Select(_ => RandomJson(depth + 1))) + "]",
                _ => "{" + string.Join(",", Enumerable.Range(0, random.Next(5)).Select(i => $"\"{Pick(["type", "id", "kind", "body", "error", "k" + i])}\":{RandomJson(depth + 1)}")) + "}",
            };
        }

        private string Pick(IReadOnlyList<string> options) => options[random.Next(options.Count)];
    }
}
