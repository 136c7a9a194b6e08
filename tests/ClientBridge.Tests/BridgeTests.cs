using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ClientBridge.Protocol;
using ClientBridge.Protocol.Client;
using ClientBridge.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace ClientBridge.Tests;

[TestClass]
public sealed class BridgeTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task A_request_gets_its_reply_and_the_agent_knows_the_client()
    {
        await using TestAgent agent = await TestAgent.StartAsync();
        using BridgeClient client = agent.CreateClient("OutlookPlugin");

        Ping reply = await client.PingAsync("round trip ✓");
        StatusReply status = await client.GetStatusAsync();

        Assert.AreEqual("round trip ✓", reply.Data);
        Assert.AreEqual(BridgeConnectionState.Connected, client.State);
        Assert.AreEqual(BridgeProtocol.Version, client.Agent!.ProtocolVersion);
        CollectionAssert.Contains(client.Agent.Capabilities, MessageKinds.CalendarSnapshot);
        Assert.AreEqual(Environment.ProcessId, status.ProcessId);
        CollectionAssert.AreEqual(new[] { "OutlookPlugin" }, status.ClientNames);
        Assert.AreEqual(agent.Endpoint.PipeName, status.Endpoint);
    }

    [TestMethod]
    public async Task Eight_clients_sending_ten_thousand_requests_at_once_each_get_their_own_replies()
    {
        const int Clients = 8;
        const int RequestsPerClient = 10_000;
        await using TestAgent agent = await TestAgent.StartAsync();
        // Matching is the point here, not connect speed: a loaded machine may take a while to finish eight handshakes.
        var clients = Enumerable.Range(0, Clients).Select(i => agent.CreateClient($"client{i}", o => o.ConnectTimeout = TimeSpan.FromSeconds(20))).ToArray();
        var clock = Stopwatch.StartNew();

        int[] mismatches = await Task.WhenAll(clients.Select((client, c) => Task.Run(async () =>
        {
            var requests = new Task<Ping>[RequestsPerClient];
            for (int n = 0; n < RequestsPerClient; n++)
            {
                requests[n] = client.PingAsync($"{c}:{n}");
            }

            Ping[] replies = await Task.WhenAll(requests);
            return replies.Where((reply, n) => reply.Data != $"{c}:{n}").Count();
        })));

        TestContext.WriteLine($"{Clients * RequestsPerClient} requests answered in {clock.ElapsedMilliseconds} ms.");
        CollectionAssert.AreEqual(new int[Clients], mismatches, "Every reply must carry its own request's data.");
        StatusReply status = await clients[0].GetStatusAsync();
        Assert.AreEqual(Clients, status.ConnectedClients);
        foreach (BridgeClient client in clients)
        {
            client.Dispose();
        }
    }

    [TestMethod]
    public async Task A_calendar_change_reaches_every_subscribed_client_and_no_other()
    {
        await using TestAgent agent = await TestAgent.StartAsync();
        var received = new ConcurrentDictionary<int, List<CalendarChanged>>();
        var subscribers = Enumerable.Range(0, 3).Select(i =>
        {
            BridgeClient client = agent.CreateClient($"tray{i}", o => o.EventKinds.Add(MessageKinds.CalendarChangedEvent));
            received[i] = [];
            client.EventReceived += (_, e) =>
            {
                lock (received[i])
                {
                    received[i].Add(e.Read(BridgeWire.Default.CalendarChanged));
                }
            };
            return client;
        }).ToArray();
        using BridgeClient bystander = agent.CreateClient("bystander");
        int bystanderEvents = 0;
        bystander.EventReceived += (_, _) => Interlocked.Increment(ref bystanderEvents);
        using BridgeClient plugin = agent.CreateClient("OutlookPlugin");
        await Task.WhenAll(subscribers.Select(s => s.ConnectAsync()).Append(bystander.ConnectAsync()));

        CalendarAck ack = await plugin.RequestAsync(
            MessageKinds.CalendarSnapshot,
            new CalendarSnapshot { Items = [Item("a"), Item("b")] },
            BridgeWire.Default.CalendarSnapshot,
            BridgeWire.Default.CalendarAck);

        await WaitUntilAsync(() => received.Values.All(list => { lock (list) { return list.Count == 1; } }), TimeSpan.FromSeconds(5));
        foreach (List<CalendarChanged> list in received.Values)
        {
            Assert.AreEqual(2, list[0].ItemCount);
            Assert.AreEqual(ack.Revision, list[0].Revision);
        }

        // The event was queued for the bystander before this reply if it had been queued at all.
        await bystander.PingAsync();
        Assert.AreEqual(0, bystanderEvents);
        foreach (BridgeClient s in subscribers)
        {
            s.Dispose();
        }
    }

    [TestMethod]
    public async Task A_client_reconnects_within_a_second_after_the_agent_crashes_and_restarts()
    {
        BridgeEndpoint endpoint = TestAgent.NewEndpoint();
        string logs = Path.Combine(Path.GetTempPath(), "cbt-logs-" + Guid.NewGuid().ToString("N")[..8]);
        var states = new BlockingCollection<BridgeConnectionState>();
        using BridgeClient client = new(new BridgeClientOptions { Endpoint = endpoint, ClientName = "OutlookPlugin", KeepConnected = true });
        client.StateChanged += (_, e) => states.Add(e.State);

        int firstPid;
        using (AgentProcess first = await AgentProcess.StartAsync(endpoint, logs))
        {
            firstPid = first.Id;
            await client.PingAsync();
            first.Kill();
            await WaitUntilAsync(() => client.State != BridgeConnectionState.Connected, TimeSpan.FromSeconds(5));
        }

        BridgeException whileDown = await Assert.ThrowsExactlyAsync<BridgeException>(() => client.PingAsync());
        Assert.AreEqual(ErrorCodes.AgentNotRunning, whileDown.Code, whileDown.Message);

        using AgentProcess second = await AgentProcess.StartAsync(endpoint, logs);
        var sinceServing = Stopwatch.StartNew();
        await WaitUntilAsync(() => client.State == BridgeConnectionState.Connected, TimeSpan.FromSeconds(5));
        TimeSpan reconnect = sinceServing.Elapsed;

        TestContext.WriteLine($"Reconnected {reconnect.TotalMilliseconds:0} ms after the new agent answered.");
        Assert.IsLessThan(TimeSpan.FromSeconds(1), reconnect);
        Assert.AreEqual(second.Id, client.Agent!.AgentProcessId);
        Assert.AreNotEqual(firstPid, client.Agent.AgentProcessId);
        Assert.AreEqual("after restart", (await client.PingAsync("after restart")).Data);
        TestAgent.Clean(endpoint);
    }

    [TestMethod]
    public async Task The_client_starts_the_agent_when_none_is_running()
    {
        BridgeEndpoint endpoint = TestAgent.NewEndpoint();
        string logs = Path.Combine(Path.GetTempPath(), "cbt-logs-" + Guid.NewGuid().ToString("N")[..8]);
        var launcher = new ProcessAgentLauncher(AgentProcess.ExecutablePath, $"--log-dir \"{logs}\"");
        using BridgeClient client = new(new BridgeClientOptions { Endpoint = endpoint, ClientName = "OutlookPlugin", AgentLauncher = launcher, ConnectTimeout = TimeSpan.FromMilliseconds(300) });
        var clock = Stopwatch.StartNew();

        Ping reply = await client.PingAsync("started for me");

        TestContext.WriteLine($"Agent started and answered in {clock.ElapsedMilliseconds} ms.");
        int agentPid = client.Agent!.AgentProcessId;
        try
        {
            Assert.AreEqual("started for me", reply.Data);
            Assert.AreNotEqual(Environment.ProcessId, agentPid);
            using Process agent = Process.GetProcessById(agentPid);
            Assert.AreEqual("ClientBridge", agent.ProcessName);
        }
        finally
        {
            using Process agent = Process.GetProcessById(agentPid);
            agent.Kill();
            await agent.WaitForExitAsync();
            TestAgent.Clean(endpoint);
        }
    }

    [TestMethod]
    public async Task A_client_of_another_protocol_version_is_told_so_plainly_and_does_not_retry()
    {
        await using TestAgent agent = await TestAgent.StartAsync();
        int transitions = 0;
        using BridgeClient future = agent.CreateClient("OutlookPlugin", o =>
        {
            o.ProtocolVersion = BridgeProtocol.Version + 1;
            o.MinProtocolVersion = BridgeProtocol.Version + 1;
            o.KeepConnected = true;
        });
        future.StateChanged += (_, _) => Interlocked.Increment(ref transitions);

        BridgeException error = await Assert.ThrowsExactlyAsync<BridgeException>(() => future.PingAsync());

        Assert.AreEqual(ErrorCodes.VersionMismatch, error.Code);
        StringAssert.Contains(error.Message, $"speaks bridge protocol {BridgeProtocol.Version + 1}");
        StringAssert.Contains(error.Message, "Install matching versions");
        int settled = transitions;
        await Task.Delay(600); // Longer than the reconnect backoff: a retry would show as new transitions.
        Assert.AreEqual(settled, transitions, "A version mismatch must not be retried in a loop.");
        Assert.AreEqual(BridgeConnectionState.Disconnected, future.State);

        using BridgeClient current = agent.CreateClient();
        Assert.AreEqual("still serving", (await current.PingAsync("still serving")).Data);
    }

    [TestMethod]
    public async Task A_request_times_out_with_a_clear_error_when_the_agent_never_answers()
    {
        BridgeEndpoint endpoint = TestAgent.NewEndpoint();
        if (endpoint.SocketDirectory is { } folder)
        {
            Directory.CreateDirectory(folder);
        }

        using var silent = new System.IO.Pipes.NamedPipeServerStream(endpoint.PipeName, System.IO.Pipes.PipeDirection.InOut, 1, System.IO.Pipes.PipeTransmissionMode.Byte, System.IO.Pipes.PipeOptions.Asynchronous);
        Task accepted = silent.WaitForConnectionAsync();
        using BridgeClient client = new(new BridgeClientOptions { Endpoint = endpoint, ConnectTimeout = TimeSpan.FromMilliseconds(500) });
        var clock = Stopwatch.StartNew();

        BridgeException error = await Assert.ThrowsExactlyAsync<BridgeException>(() => client.PingAsync());

        await accepted;
        Assert.AreEqual(ErrorCodes.Timeout, error.Code);
        Assert.IsLessThan(3000L, clock.ElapsedMilliseconds);
        TestAgent.Clean(endpoint);
    }

    [TestMethod]
    public async Task A_client_reaching_an_agent_of_the_json_protocol_says_the_versions_do_not_match()
    {
        BridgeEndpoint endpoint = TestAgent.NewEndpoint();
        if (endpoint.SocketDirectory is { } folder)
        {
            Directory.CreateDirectory(folder);
        }

        // A protocol-1 agent reads the MessagePack hello as text, finds it is not UTF-8, and says so in JSON.
        using var oldAgent = new System.IO.Pipes.NamedPipeServerStream(endpoint.PipeName, System.IO.Pipes.PipeDirection.InOut, 1, System.IO.Pipes.PipeTransmissionMode.Byte, System.IO.Pipes.PipeOptions.Asynchronous);
        Task answered = Task.Run(async () =>
        {
            await oldAgent.WaitForConnectionAsync();
            _ = await new ClientBridge.Protocol.Framing.FrameReader(oldAgent).ReadFrameAsync();
            byte[] json = System.Text.Encoding.UTF8.GetBytes("""{"type":"error","error":{"code":"invalid_utf8","message":"The message is not valid UTF-8."}}""");
            var frame = new byte[4 + json.Length];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(frame, (uint)json.Length);
            json.CopyTo(frame, 4);
            await oldAgent.WriteAsync(frame);
        });
        using BridgeClient client = new(new BridgeClientOptions { Endpoint = endpoint, ConnectTimeout = TimeSpan.FromSeconds(2) });

        BridgeException error = await Assert.ThrowsExactlyAsync<BridgeException>(() => client.PingAsync());

        await answered;
        Assert.AreEqual(ErrorCodes.VersionMismatch, error.Code);
        StringAssert.Contains(error.Message, "The agent speaks bridge protocol 1 (JSON)");
        StringAssert.Contains(error.Message, "Install matching versions");
        TestAgent.Clean(endpoint);
    }

    [TestMethod]
    public async Task A_caller_cancelling_a_request_gets_a_cancellation_and_the_connection_stays_usable()
    {
        await using TestAgent agent = await TestAgent.StartAsync();
        using BridgeClient client = agent.CreateClient();
        await client.ConnectAsync();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAsync<OperationCanceledException>(() => client.RequestAsync(
            MessageKinds.Ping, new Ping(), BridgeWire.Default.Ping, BridgeWire.Default.Ping, null, cancelled.Token));

        Assert.AreEqual("ok", (await client.PingAsync("ok")).Data);
    }

    internal static CalendarItem Item(string id, string subject = "Team sync") => new()
    {
        Id = id,
        Subject = subject,
        Start = new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.FromHours(1)),
        End = new DateTimeOffset(2026, 11, 23, 9, 30, 0, TimeSpan.FromHours(1)),
        TimeZoneId = "W. Europe Standard Time",
    };

    internal static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
            {
                Assert.Fail($"The condition did not hold within {timeout.TotalSeconds} s.");
            }

            await Task.Delay(10);
        }
    }
}

[TestClass]
public sealed class CallerThreadTests
{
    /// <summary>
    /// Outlook calls the client from its UI thread, which may then block. A context that never runs what is posted
    /// to it stands for that thread: the client must connect and answer without posting anything there.
    /// </summary>
    [TestMethod]
    public async Task The_client_never_needs_the_callers_thread()
    {
        await using TestAgent agent = await TestAgent.StartAsync();
        // Which thread, not how fast: a loaded machine may take a while for the first handshake.
        using BridgeClient client = agent.CreateClient("OutlookPlugin", o => o.ConnectTimeout = TimeSpan.FromSeconds(20));
        var uiThread = new NeverRunsContext();
        Task<Ping>? reply = null;
        Exception? failure = null;

        var caller = new Thread(() =>
        {
            try
            {
                SynchronizationContext.SetSynchronizationContext(uiThread);
                reply = client.PingAsync("from the UI thread");
                reply.Wait(TimeSpan.FromSeconds(30)); // Blocks as a UI thread waiting on the add-in would.
            }
            catch (AggregateException ex)
            {
                failure = ex.InnerException; // Reported below: an exception escaping this thread would end the test host.
            }
        });
        caller.Start();
        caller.Join();

        Assert.IsNull(failure, failure?.Message);
        Assert.IsTrue(reply!.IsCompletedSuccessfully, "The reply needed the blocked caller's thread.");
        Assert.AreEqual("from the UI thread", reply.Result.Data);
        Assert.AreEqual(0, uiThread.Posted, "Nothing may be posted to the caller's context.");
    }

    /// <summary>
    /// A reply's continuation runs on the thread that read it, for latency; a caller that then blocks there (waits
    /// synchronously for another request, as code written for a UI thread does) must not stop the client reading the
    /// reply it waits for.
    /// </summary>
    [TestMethod]
    public async Task A_caller_that_blocks_in_a_replys_continuation_still_gets_its_next_reply()
    {
        await using TestAgent agent = await TestAgent.StartAsync();
        using BridgeClient client = agent.CreateClient("blocking caller", o => o.RequestTimeout = TimeSpan.FromSeconds(20));
        await client.PingAsync("connected");

        Task<string> nested = client.PingAsync("first").ContinueWith(
            first =>
            {
                // Runs synchronously where the first reply was handed over, and blocks there on a second request.
                Task<Ping> second = client.PingAsync("second");
                return second.Wait(TimeSpan.FromSeconds(15)) ? first.Result.Data + "," + second.Result.Data : "the second reply never came";
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

        Assert.AreEqual("first,second", await nested.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    private sealed class NeverRunsContext : SynchronizationContext
    {
        private int _posted;

        public int Posted => _posted;

        public override void Post(SendOrPostCallback d, object? state) => Interlocked.Increment(ref _posted);

        public override void Send(SendOrPostCallback d, object? state) => Interlocked.Increment(ref _posted);
    }
}
