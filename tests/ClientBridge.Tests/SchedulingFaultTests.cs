using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ClientBridge.Protocol;
using ClientBridge.Protocol.Client;
using ClientBridge.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using ZoomEmulator;

namespace ClientBridge.Tests;

/// <summary>
/// "Never twice, never lost" under the worst the network and the machine can do: a Zoom that fails 30% of requests
/// in every way (including making the meeting and losing the answer) and an agent killed at random.
/// </summary>
[TestClass]
public sealed class SchedulingFaultTests
{
    private const int Schedules = 1000;
    private const int Workers = 8;

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [Timeout(420_000, CooperativeCancellation = true)]
    public async Task A_thousand_schedules_through_failures_and_agent_crashes_make_exactly_one_meeting_each()
    {
        await using ZoomEmulatorServer zoom = await ZoomEmulatorServer.StartAsync(new EmulatorOptions { Seed = 7 });
        zoom.Faults.FailureRate = 0.3;
        zoom.Faults.SlowResponseDelay = TimeSpan.FromMilliseconds(150);
        zoom.Faults.RetryAfterSeconds = 0;
        BridgeEndpoint endpoint = TestAgent.NewEndpoint();
        string state = Path.Combine(Path.GetTempPath(), "cbt-faults-" + Guid.NewGuid().ToString("N")[..8]);
        Dictionary<string, string> environment = AgentProcess.ZoomEnvironment(zoom, state);
        environment["ClientBridge__ZoomRetry__AttemptTimeout"] = "00:00:02";

        AgentProcess agent = await AgentProcess.StartAsync(endpoint, Path.Combine(state, "logs"), environment: environment);
        using var client = new BridgeClient(new BridgeClientOptions { Endpoint = endpoint, ClientName = "OutlookPlugin", KeepConnected = true, RequestTimeout = TimeSpan.FromSeconds(20) });
        var made = new ConcurrentDictionary<string, string>();
        int attempts = 0;
        int kills = 0;
        using var done = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();

        // The crash: the agent dies at a random moment, mid-request or not, and comes back.
        Task killer = Task.Run(async () =>
        {
            var random = new Random(11);
            while (!done.IsCancellationRequested)
            {
                await Task.Delay(random.Next(500, 2000), CancellationToken.None);
                if (done.IsCancellationRequested)
                {
                    break;
                }

                agent.Kill();
                agent.Dispose();
                kills++;
                agent = await AgentProcess.StartAsync(endpoint, Path.Combine(state, "logs"), environment: environment);
            }
        });

        int next = -1;
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < Schedules)
            {
                // As the add-in does: one request id per meeting, retried until the agent answers with a meeting.
                var request = new ScheduleMeetingRequest
                {
                    RequestId = $"fault-{i}",
                    Topic = $"Meeting {i}",
                    Start = new DateTimeOffset(2027, 1, 4, 8, 0, 0, TimeSpan.Zero).AddMinutes(15 * i),
                    DurationMinutes = 30,
                    TimeZoneId = "W. Europe Standard Time",
                };
                for (int attempt = 1; ; attempt++)
                {
                    Interlocked.Increment(ref attempts);
                    try
                    {
                        MeetingReply reply = await client.RequestAsync(MessageKinds.ScheduleMeeting, request, BridgeWire.Default.ScheduleMeetingRequest, BridgeWire.Default.MeetingReply);
                        made[request.RequestId] = reply.MeetingId;
                        break;
                    }
                    catch (BridgeException) when (attempt < 200)
                    {
                        await Task.Delay(20);
                    }
                }
            }
        })));

        await done.CancelAsync();
        await killer;
        agent.Dispose();
        IReadOnlyCollection<EmulatedMeeting> meetings = zoom.Meetings;
        var byTopic = meetings.GroupBy(m => m.Topic).ToDictionary(g => g.Key, g => g.Count());
        // A create that took effect before its answer was lost or replaced by an error: the case that makes duplicates.
        int lostAnswers = zoom.Requests.Count(r => r.Method == "POST" && r.Fault is not null && r.FaultAfterHandling);
        TestContext.WriteLine(
            $"{Schedules} schedules in {clock.Elapsed.TotalSeconds:0} s: {attempts} attempts, {kills} agent kills, {zoom.Requests.Count} Zoom requests, "
            + $"{lostAnswers} creates whose answer was lost; {meetings.Count} meetings at Zoom, {byTopic.Count(t => t.Value > 1)} topics twice, {Schedules - byTopic.Count} missing.");

        Assert.AreEqual(Schedules, made.Count, "Every request must end with a meeting.");
        Assert.AreEqual(Schedules, made.Values.Distinct().Count(), "Every request must have its own meeting.");
        Assert.AreEqual(Schedules, meetings.Count, "Zoom must hold exactly one meeting per request: no duplicates.");
        Assert.IsTrue(byTopic.Values.All(n => n == 1), "A topic appears twice: a duplicate meeting.");
        CollectionAssert.AreEquivalent(made.Values.ToArray(), meetings.Select(m => m.Id.ToString(CultureInfo.InvariantCulture)).ToArray());
        Assert.IsGreaterThan(0, lostAnswers, "The run must have included lost answers, or it proves nothing about them.");
        Assert.IsGreaterThan(0, kills);
        Assert.AreEqual(0, zoom.SchemaViolations.Count, string.Join(" | ", zoom.SchemaViolations.Take(5)));
        TestAgent.Clean(endpoint);
        Directory.Delete(state, recursive: true);
    }
}
