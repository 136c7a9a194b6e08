using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ClientBridge.Protocol;
using ClientBridge.Protocol.Client;
using ClientBridge.Providers;
using ClientBridge.Scheduling;
using ClientBridge.Server;
using ClientBridge.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using ZoomEmulator;

namespace ClientBridge.Tests;

/// <summary>
/// A cancellation is never lost (issue 12: "pending updates and cancels are recorded outside Outlook, in the agent's
/// journal, before they are sent"): one the provider cannot take now waits in the journal and is made once the
/// provider answers, after a restart too, with Outlook open or not.
/// </summary>
[TestClass]
public sealed class PendingCancelsTests
{
    private static readonly CancelRetryOptions Retry = new() { FirstDelay = TimeSpan.FromSeconds(30), MaxDelay = TimeSpan.FromMinutes(30), GiveUpAfter = TimeSpan.FromDays(30) };

    private string _folder = null!;
    private FakeTimeProvider _time = null!;
    private DownProvider _provider = null!;

    public TestContext TestContext { get; set; } = null!;

    [TestInitialize]
    public void Prepare()
    {
        _folder = Path.Combine(Path.GetTempPath(), "cbt-cancels-" + Guid.NewGuid().ToString("N")[..8]);
        _time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        _provider = new DownProvider();
    }

    [TestCleanup]
    public void RemoveFolder()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [TestMethod]
    public async Task A_cancellation_the_provider_cannot_take_is_queued_and_made_once_it_answers()
    {
        using var journal = new MeetingJournal(_folder);
        journal.Record(new JournalEntry("r-1", DownProvider.ProviderName, "m-1", JournalState.Created, DateTimeOffset.UtcNow));
        (SchedulingService scheduling, PendingCancelsService pump) = Agent(journal);
        _provider.Down = true;

        MeetingReply reply = await scheduling.CancelAsync(Cancel("m-1"));
        DateTimeOffset? firstTry = await pump.RunDueAsync();

        Assert.IsTrue(reply.Queued, "The caller hears the cancellation is kept, not that it failed.");
        Assert.IsFalse(reply.Cancelled, "Not cancelled yet: the reply must not say so.");
        StringAssert.Contains(reply.Note, "whether Outlook is open or not");
        Assert.AreEqual(1, journal.PendingCancels().Count);
        Assert.AreEqual(_time.GetUtcNow() + Retry.FirstDelay, firstTry, "The first retry waits the first delay.");
        Assert.AreEqual(1, _provider.Tries, "Not tried again before the first delay.");

        _provider.Down = false;
        _time.Advance(Retry.FirstDelay);
        DateTimeOffset? after = await pump.RunDueAsync();

        CollectionAssert.AreEqual(new[] { "m-1" }, _provider.Cancelled.ToArray());
        Assert.IsNull(after, "Nothing waits any more.");
        Assert.AreEqual(0, journal.PendingCancels().Count);
        Assert.AreEqual(JournalState.Cancelled, journal.Find("r-1")!.State, "A retried request for the meeting now hears it was cancelled.");
    }

    [TestMethod]
    public async Task A_cancellation_kept_by_one_run_of_the_agent_is_made_by_the_next()
    {
        _provider.Down = true;
        using (var journal = new MeetingJournal(_folder))
        {
            (SchedulingService first, _) = Agent(journal);
            Assert.IsTrue((await first.CancelAsync(Cancel("m-1"))).Queued);
            Assert.IsTrue((await first.CancelAsync(Cancel("m-2", occurrence: new DateTimeOffset(2027, 1, 4, 9, 0, 0, TimeSpan.Zero)))).Queued);
        }

        _provider.Down = false;
        using var reopened = new MeetingJournal(_folder);
        (_, PendingCancelsService pump) = Agent(reopened);
        await pump.RunDueAsync();
        _time.Advance(Retry.FirstDelay);
        await pump.RunDueAsync();

        CollectionAssert.AreEquivalent(new[] { "m-1", $"m-2@{new DateTimeOffset(2027, 1, 4, 9, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds()}" }, _provider.Cancelled.ToArray());
        Assert.AreEqual(0, reopened.PendingCancels().Count);
        using var third = new MeetingJournal(_folder);
        Assert.AreEqual(0, third.PendingCancels().Count, "Made, and the journal says so after another restart.");
    }

    [TestMethod]
    public async Task Retries_wait_twice_as_long_each_time_and_stop_after_thirty_days()
    {
        using var journal = new MeetingJournal(_folder);
        (SchedulingService scheduling, PendingCancelsService pump) = Agent(journal);
        _provider.Down = true;
        await scheduling.CancelAsync(Cancel("m-1"));
        await pump.RunDueAsync();

        var waits = new List<TimeSpan>();
        for (int i = 0; i < 8; i++)
        {
            DateTimeOffset due = (await pump.RunDueAsync())!.Value;
            waits.Add(due - _time.GetUtcNow());
            _time.SetUtcNow(due);
        }

        await pump.RunDueAsync();
        _time.Advance(TimeSpan.FromDays(31));
        DateTimeOffset? afterGivingUp = await pump.RunDueAsync();

        CollectionAssert.AreEqual(
            new[] { 30, 60, 120, 240, 480, 960, 1800, 1800 }.Select(s => TimeSpan.FromSeconds(s)).ToArray(),
            waits.ToArray(),
            "30 s, then doubling up to 30 minutes.");
        Assert.IsNull(afterGivingUp);
        Assert.AreEqual(0, journal.PendingCancels().Count, "Given up after thirty days (with a warning in the log).");
    }

    [TestMethod]
    public async Task Signing_in_tries_the_cancellations_that_waited_for_it_at_once()
    {
        using var journal = new MeetingJournal(_folder);
        (SchedulingService scheduling, PendingCancelsService pump) = Agent(journal);
        _provider.Down = true;
        await scheduling.CancelAsync(Cancel("m-1"));
        await pump.RunDueAsync();
        _provider.Down = false;

        scheduling.SignInChanged();
        await pump.RunDueAsync();

        CollectionAssert.AreEqual(new[] { "m-1" }, _provider.Cancelled.ToArray(), "Made at the sign-in, not 30 s (or 30 min) later.");
        Assert.AreEqual(0, journal.PendingCancels().Count);
    }

    [TestMethod]
    public async Task A_cancellation_refused_for_what_it_asks_is_reported_and_not_kept()
    {
        using var journal = new MeetingJournal(_folder);
        (SchedulingService scheduling, _) = Agent(journal);
        _provider.Refuse = true;

        BridgeException refused = await Assert.ThrowsExactlyAsync<BridgeException>(() => scheduling.CancelAsync(Cancel("m-1")));

        Assert.AreEqual(ErrorCodes.BadRequest, refused.Code);
        Assert.AreEqual(0, journal.PendingCancels().Count, "Asking again would be refused again: nothing to keep.");
    }

    [TestMethod]
    public async Task The_agent_retries_on_its_own_clock_without_anyone_asking_again()
    {
        using var journal = new MeetingJournal(_folder);
        (SchedulingService scheduling, PendingCancelsService pump) = Agent(journal);
        _provider.Down = true;
        await pump.StartAsync(CancellationToken.None);
        try
        {
            Assert.IsTrue((await scheduling.CancelAsync(Cancel("m-1"))).Queued);
            _provider.Down = false;
            Assert.AreEqual(1, journal.PendingCancels().Count);

            // The service sleeps on the fake clock: moving it past the first delay is what wakes it.
            var waited = Stopwatch.StartNew();
            while (_provider.Cancelled.Count == 0 && waited.Elapsed < TimeSpan.FromSeconds(10))
            {
                _time.Advance(TimeSpan.FromSeconds(5));
                await Task.Delay(20);
            }

            CollectionAssert.AreEqual(new[] { "m-1" }, _provider.Cancelled.ToArray());
            await WaitUntilAsync(() => journal.PendingCancels().Count == 0);
        }
        finally
        {
            await pump.StopAsync(CancellationToken.None);
            pump.Dispose();
        }
    }

    /// <summary>
    /// Real parts: the published agent as a process, Zoom's emulator answering 503 to everything, the pipe. The user
    /// deletes the appointment while Zoom is down and closes Outlook; the agent is killed (a logoff, a crash). The next
    /// agent cancels the meeting at Zoom once Zoom answers, with no Outlook and no request from anyone.
    /// </summary>
    [TestMethod]
    [Timeout(120_000, CooperativeCancellation = true)]
    public async Task A_meeting_cancelled_while_Zoom_is_down_is_cancelled_at_Zoom_by_the_next_agent_with_Outlook_closed()
    {
        await using ZoomEmulatorServer zoom = await ZoomEmulatorServer.StartAsync();
        BridgeEndpoint endpoint = TestAgent.NewEndpoint();
        string state = Path.Combine(Path.GetTempPath(), "cbt-pending-" + Guid.NewGuid().ToString("N")[..8]);
        Dictionary<string, string> environment = AgentProcess.ZoomEnvironment(zoom, state);
        environment["ClientBridge__ZoomRetry__MaxRetries"] = "1";
        environment["ClientBridge__CancelRetry__FirstDelay"] = "00:00:00.300";

        AgentProcess agent = await AgentProcess.StartAsync(endpoint, Path.Combine(state, "logs"), environment: environment);
        try
        {
            MeetingReply made;
            MeetingReply cancelled;
            using (var outlook = new BridgeClient(new BridgeClientOptions { Endpoint = endpoint, ClientName = "OutlookPlugin", RequestTimeout = TimeSpan.FromSeconds(20) }))
            {
                made = await outlook.RequestAsync(
                    MessageKinds.ScheduleMeeting,
                    new ScheduleMeetingRequest { RequestId = "pending-1", Topic = "Offsite 7QK2", Start = new DateTimeOffset(2027, 3, 1, 9, 0, 0, TimeSpan.Zero), DurationMinutes = 30 },
                    BridgeWire.Default.ScheduleMeetingRequest,
                    BridgeWire.Default.MeetingReply);

                zoom.Faults.FailNext(100_000, FaultKind.ServiceUnavailable);
                cancelled = await outlook.RequestAsync(
                    MessageKinds.CancelMeeting,
                    new CancelMeetingRequest { RequestId = "c-1", MeetingId = made.MeetingId, Provider = "zoom" },
                    BridgeWire.Default.CancelMeetingRequest,
                    BridgeWire.Default.MeetingReply);
            }

            Assert.IsTrue(cancelled.Queued, "Zoom is down: the agent keeps the cancellation.");
            Assert.AreEqual(1, zoom.Meetings.Count, "Not cancelled at Zoom yet.");
            string kept = File.ReadAllText(Path.Combine(state, MeetingJournal.PendingCancelsFileName));
            StringAssert.Contains(kept, made.MeetingId);
            Assert.DoesNotContain("Offsite", kept, "Ids and times only: no subject on disk.");

            // Outlook closed, the agent gone without a goodbye; Zoom comes back; a new agent starts (the next logon).
            agent.Kill();
            agent.Dispose();
            zoom.Faults.Clear();
            agent = await AgentProcess.StartAsync(endpoint, Path.Combine(state, "logs"), environment: environment);

            var waited = Stopwatch.StartNew();
            while (zoom.Meetings.Count > 0 && waited.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(100, TestContext.CancellationToken);
            }

            Assert.AreEqual(0, zoom.Meetings.Count, "The next agent cancelled the meeting at Zoom on its own.");
            Assert.IsTrue(zoom.Requests.Any(r => r.Method == "DELETE" && r.Fault is null));
            Assert.AreEqual(0, zoom.SchemaViolations.Count, string.Join(" | ", zoom.SchemaViolations));
        }
        finally
        {
            agent.Dispose();
            TestAgent.Clean(endpoint);
            if (Directory.Exists(state))
            {
                Directory.Delete(state, recursive: true);
            }
        }
    }

    private static CancelMeetingRequest Cancel(string meetingId, DateTimeOffset? occurrence = null) =>
        new() { RequestId = Guid.NewGuid().ToString("N"), MeetingId = meetingId, Provider = DownProvider.ProviderName, OccurrenceStart = occurrence };

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(10))
            {
                Assert.Fail("The condition did not hold within 10 s.");
            }

            await Task.Delay(10);
        }
    }

    private (SchedulingService Scheduling, PendingCancelsService Pump) Agent(MeetingJournal journal)
    {
        var settings = new AgentSettings { DefaultProvider = DownProvider.ProviderName, CancelRetry = Retry };
        var scheduling = new SchedulingService([_provider], settings, journal, new EventHub(new SessionRegistry()));
        return (scheduling, new PendingCancelsService(scheduling, journal, settings, _time, NullLogger<PendingCancelsService>.Instance));
    }

    /// <summary>A provider that is down (unreachable, as Zoom's client reports it), refuses, or cancels.</summary>
    private sealed class DownProvider : IMeetingProvider
    {
        public const string ProviderName = "down";

        private readonly List<string> _cancelled = [];
        private int _tries;

        public volatile bool Down;

        public volatile bool Refuse;

        public int Tries => Volatile.Read(ref _tries);

        public IReadOnlyList<string> Cancelled
        {
            get
            {
                lock (_cancelled)
                {
                    return [.. _cancelled];
                }
            }
        }

        public string Name => ProviderName;

        public ProviderState State => new() { Provider = ProviderName, State = "signed_in" };

        public Task CancelAsync(string meetingId, DateTimeOffset? occurrenceStart, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _tries);
            if (Refuse)
            {
                throw new BridgeException(ErrorCodes.BadRequest, "The provider no longer has this meeting.");
            }

            if (Down)
            {
                throw new BridgeException(ErrorCodes.Timeout, "The provider could not be reached.");
            }

            lock (_cancelled)
            {
                _cancelled.Add(occurrenceStart is { } at ? $"{meetingId}@{at.ToUnixTimeSeconds()}" : meetingId);
            }

            return Task.CompletedTask;
        }

        public Task<MeetingDetails> CreateAsync(MeetingPlan plan, string requestId, Func<string, bool> isTaken, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<MeetingDetails> UpdateAsync(string meetingId, MeetingChange change, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<MeetingDetails?> GetAsync(string meetingId, CancellationToken cancellationToken) => Task.FromResult<MeetingDetails?>(null);

        public Task<MeetingDetails?> FindCreatedAsync(MeetingPlan plan, DateTimeOffset since, Func<string, bool> isTaken, CancellationToken cancellationToken) =>
            Task.FromResult<MeetingDetails?>(null);
    }
}
