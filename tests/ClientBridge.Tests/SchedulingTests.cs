using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
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
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace ClientBridge.Tests;

/// <summary>Scheduling as the add-in uses it: over the pipe, with the default provider that needs no account.</summary>
[TestClass]
public sealed class SchedulingTests
{
    [TestMethod]
    public async Task A_fresh_agent_schedules_a_jitsi_meeting_with_no_account()
    {
        await using TestAgent agent = await TestAgent.StartAsync();
        using BridgeClient plugin = agent.CreateClient("OutlookPlugin");

        MeetingReply reply = await Schedule(plugin, Request("r-1"));
        SignInState signIn = await plugin.RequestAsync(MessageKinds.SignInState, Empty.Instance, BridgeWire.Default.Empty, BridgeWire.Default.SignInState);

        Assert.AreEqual(JitsiProvider.ProviderName, reply.Provider);
        StringAssert.StartsWith(reply.JoinUrl, "https://meet.jit.si/ClientBridge-");
        StringAssert.Contains(reply.InvitationText, reply.JoinUrl);
        Assert.DoesNotContain("Budget", reply.JoinUrl, "The subject must not travel in the link.");
        Assert.AreEqual("not_required", signIn.Providers.Single().State);
        Assert.IsTrue(signIn.Providers.Single().IsDefault);
    }

    [TestMethod]
    public async Task The_same_request_id_never_makes_a_second_meeting_not_even_after_a_restart()
    {
        AgentSettings settings = TestAgent.NewSettings();
        BridgeEndpoint endpoint = TestAgent.NewEndpoint();
        MeetingReply first;
        TestAgent agent = await TestAgent.StartAsync(endpoint: endpoint, settings: settings);
        using (BridgeClient plugin = agent.CreateClient("OutlookPlugin"))
        {
            first = await Schedule(plugin, Request("retry-me"));
            MeetingReply again = await Schedule(plugin, Request("retry-me"));
            Assert.AreEqual(first.MeetingId, again.MeetingId);
        }

        await agent.DisposeAsync(keepState: true); // The journal stays for the agent that starts next.

        await using TestAgent restarted = await TestAgent.StartAsync(endpoint: endpoint, settings: settings);
        using BridgeClient client = restarted.CreateClient("OutlookPlugin");
        MeetingReply afterRestart = await Schedule(client, Request("retry-me"));
        MeetingReply other = await Schedule(client, Request("another"));

        Assert.AreEqual(first.MeetingId, afterRestart.MeetingId);
        Assert.AreEqual(first.JoinUrl, afterRestart.JoinUrl);
        Assert.AreNotEqual(first.MeetingId, other.MeetingId);
    }

    [TestMethod]
    public async Task Duplicates_arriving_together_share_one_meeting()
    {
        await using TestAgent agent = await TestAgent.StartAsync();
        var clients = Enumerable.Range(0, 4).Select(i => agent.CreateClient($"c{i}")).ToArray();

        MeetingReply[] replies = await Task.WhenAll(clients.SelectMany(c => Enumerable.Range(0, 10).Select(_ => Schedule(c, Request("same")))));

        Assert.AreEqual(1, replies.Select(r => r.MeetingId).Distinct().Count());
        foreach (BridgeClient c in clients)
        {
            c.Dispose();
        }
    }

    [TestMethod]
    [DataRow("", 30, null, "request id")]
    [DataRow("r", 0, null, "1 minute to 24 hours")]
    [DataRow("r", 24 * 60 + 1, null, "1 minute to 24 hours")]
    [DataRow("r", 30, "webex", "not a meeting provider")]
    public async Task A_schedule_that_cannot_be_made_is_refused_with_a_sentence(string requestId, int minutes, string? provider, string expected)
    {
        await using TestAgent agent = await TestAgent.StartAsync();
        using BridgeClient plugin = agent.CreateClient();
        ScheduleMeetingRequest request = Request(requestId);
        request.DurationMinutes = minutes;
        request.Provider = provider;

        BridgeException error = await Assert.ThrowsExactlyAsync<BridgeException>(() => Schedule(plugin, request));

        Assert.AreEqual(ErrorCodes.BadRequest, error.Code);
        StringAssert.Contains(error.Message, expected);
    }

    [TestMethod]
    public async Task A_recurrence_that_makes_no_sense_is_refused_before_any_provider_sees_it()
    {
        await using TestAgent agent = await TestAgent.StartAsync();
        using BridgeClient plugin = agent.CreateClient();
        ScheduleMeetingRequest request = Request("weekly-without-days");
        request.Recurrence = new Recurrence { Pattern = "weekly", Interval = 0 };

        BridgeException error = await Assert.ThrowsExactlyAsync<BridgeException>(() => Schedule(plugin, request));

        Assert.AreEqual(ErrorCodes.BadRequest, error.Code);
        Assert.AreEqual(0, agent.Get<MeetingJournal>().Count);
    }

    [TestMethod]
    public async Task Cancelling_is_told_to_subscribers_and_a_retry_of_the_schedule_then_reports_it_cancelled()
    {
        await using TestAgent agent = await TestAgent.StartAsync();
        using BridgeClient plugin = agent.CreateClient("OutlookPlugin");
        using BridgeClient tray = agent.CreateClient("tray", o => o.EventKinds.Add(MessageKinds.MeetingChangedEvent));
        var changes = new ConcurrentQueue<MeetingChanged>();
        tray.EventReceived += (_, e) => changes.Enqueue(e.Read(BridgeWire.Default.MeetingChanged));
        await tray.ConnectAsync();
        MeetingReply made = await Schedule(plugin, Request("to-cancel"));

        MeetingReply cancelled = await plugin.RequestAsync(
            MessageKinds.CancelMeeting,
            new CancelMeetingRequest { RequestId = "c1", MeetingId = made.MeetingId, Provider = made.Provider },
            BridgeWire.Default.CancelMeetingRequest,
            BridgeWire.Default.MeetingReply);
        MeetingReply retried = await Schedule(plugin, Request("to-cancel"));

        Assert.IsTrue(cancelled.Cancelled);
        Assert.IsTrue(retried.Cancelled, "A retry after the cancellation must not bring the meeting back.");
        Assert.AreEqual(made.MeetingId, retried.MeetingId);
        await BridgeTests.WaitUntilAsync(() => changes.Count == 2, TimeSpan.FromSeconds(5));
        CollectionAssert.AreEqual(new[] { "created", "cancelled" }, changes.Select(c => c.Change).ToArray());
    }

    [TestMethod]
    public async Task A_burst_of_updates_to_one_meeting_costs_two_provider_calls_and_keeps_every_change()
    {
        string state = Path.Combine(Path.GetTempPath(), "cbt-state-" + Guid.NewGuid().ToString("N")[..8]);
        using var journal = new MeetingJournal(state);
        var slow = new SlowProvider();
        var service = new SchedulingService([slow], new AgentSettings { DefaultProvider = SlowProvider.ProviderName }, journal, new EventHub(new SessionRegistry()));
        var start = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

        Task<MeetingReply> first = service.UpdateAsync(new UpdateMeetingRequest { MeetingId = "m", Provider = "slow", Topic = "v1" });
        await slow.FirstCallStarted.Task;
        Task<MeetingReply>[] burst =
        [
            service.UpdateAsync(new UpdateMeetingRequest { MeetingId = "m", Provider = "slow", Topic = "v2" }),
            service.UpdateAsync(new UpdateMeetingRequest { MeetingId = "m", Provider = "slow", Start = start }),
            service.UpdateAsync(new UpdateMeetingRequest { MeetingId = "m", Provider = "slow", DurationMinutes = 45 }),
            service.UpdateAsync(new UpdateMeetingRequest { MeetingId = "m", Provider = "slow", Topic = "v3" }),
        ];
        slow.Release.SetResult();
        await Task.WhenAll(burst.Append(first));

        Assert.AreEqual(2, slow.Calls.Count, "The first update, then one for the whole burst.");
        MeetingChange merged = slow.Calls[1];
        Assert.AreEqual(("v3", start, TimeSpan.FromMinutes(45)), (merged.Topic, merged.Start, merged.Duration));
        Directory.Delete(state, recursive: true);
    }

    [TestMethod]
    public async Task A_burst_of_updates_merges_meeting_options_field_by_field_latest_wins()
    {
        string state = Path.Combine(Path.GetTempPath(), "cbt-state-" + Guid.NewGuid().ToString("N")[..8]);
        using var journal = new MeetingJournal(state);
        var slow = new SlowProvider();
        var service = new SchedulingService([slow], new AgentSettings { DefaultProvider = SlowProvider.ProviderName }, journal, new EventHub(new SessionRegistry()));

        Task<MeetingReply> first = service.UpdateAsync(new UpdateMeetingRequest { MeetingId = "m", Provider = "slow", Topic = "v1" });
        await slow.FirstCallStarted.Task;
        Task<MeetingReply>[] burst =
        [
            service.UpdateAsync(new UpdateMeetingRequest { MeetingId = "m", Provider = "slow", Options = new MeetingOptions { WaitingRoom = true, AlternativeHosts = ["a@example.com"] } }),
            service.UpdateAsync(new UpdateMeetingRequest { MeetingId = "m", Provider = "slow", Options = new MeetingOptions { RequirePasscode = false } }),
            service.UpdateAsync(new UpdateMeetingRequest { MeetingId = "m", Provider = "slow", Topic = "v2" }),
            service.UpdateAsync(new UpdateMeetingRequest { MeetingId = "m", Provider = "slow", Options = new MeetingOptions { WaitingRoom = false, AlternativeHosts = ["b@example.com", "c@example.com"] } }),
            service.UpdateAsync(new UpdateMeetingRequest { MeetingId = "m", Provider = "slow", Options = new MeetingOptions { RequirePasscode = null } }),
        ];
        slow.Release.SetResult();
        await Task.WhenAll(burst.Append(first));

        Assert.AreEqual(2, slow.Calls.Count, "The first update, then one for the whole burst.");
        RequestedOptions merged = slow.Calls[1].Options!;
        Assert.AreEqual("v2", slow.Calls[1].Topic);
        Assert.IsFalse(merged.WaitingRoom, "The latest that asked wins.");
        Assert.IsFalse(merged.RequirePasscode, "A later request that did not ask leaves an earlier answer.");
        CollectionAssert.AreEqual(new[] { "b@example.com", "c@example.com" }, merged.AlternativeHosts!.ToArray());
        Directory.Delete(state, recursive: true);
    }

    [TestMethod]
    [DataRow(true, DisplayName = "removed, then a new pattern")]
    [DataRow(false, DisplayName = "a new pattern, then removed")]
    public async Task In_a_burst_a_new_pattern_and_the_end_of_the_series_undo_each_other_latest_wins(bool removedFirst)
    {
        string state = Path.Combine(Path.GetTempPath(), "cbt-state-" + Guid.NewGuid().ToString("N")[..8]);
        using var journal = new MeetingJournal(state);
        var slow = new SlowProvider();
        var service = new SchedulingService([slow], new AgentSettings { DefaultProvider = SlowProvider.ProviderName }, journal, new EventHub(new SessionRegistry()));
        var weekly = new Recurrence { Pattern = "weekly", DaysOfWeek = [DayOfWeek.Monday], Occurrences = 5 };
        var removed = new UpdateMeetingRequest { MeetingId = "m", Provider = "slow", RecurrenceRemoved = true };
        var repeating = new UpdateMeetingRequest { MeetingId = "m", Provider = "slow", Recurrence = weekly };

        Task<MeetingReply> first = service.UpdateAsync(new UpdateMeetingRequest { MeetingId = "m", Provider = "slow", Topic = "v1" });
        await slow.FirstCallStarted.Task;
        Task<MeetingReply>[] burst =
        [
            service.UpdateAsync(removedFirst ? removed : repeating),
            service.UpdateAsync(new UpdateMeetingRequest { MeetingId = "m", Provider = "slow", Topic = "v2" }),
            service.UpdateAsync(removedFirst ? repeating : removed),
            service.UpdateAsync(new UpdateMeetingRequest { MeetingId = "m", Provider = "slow", DurationMinutes = 15 }),
        ];
        slow.Release.SetResult();
        await Task.WhenAll(burst.Append(first));

        Assert.AreEqual(2, slow.Calls.Count, "The first update, then one for the whole burst.");
        MeetingChange merged = slow.Calls[1];
        Assert.AreEqual(!removedFirst, merged.RecurrenceRemoved);
        Assert.AreEqual(removedFirst ? weekly : null, merged.Recurrence);
        Assert.AreEqual(("v2", TimeSpan.FromMinutes(15)), (merged.Topic, merged.Duration), "The other fields merge as ever.");
        Assert.IsFalse(slow.Calls[0].RecurrenceRemoved);
        Directory.Delete(state, recursive: true);
    }

    [TestMethod]
    public void Merged_host_lists_keep_the_latest_that_asked_and_an_empty_one_clears()
    {
        var hosted = new RequestedOptions(AlternativeHosts: ["a@example.com"]);
        var cleared = new RequestedOptions(AlternativeHosts: []);
        var unasked = new RequestedOptions(WaitingRoom: true);

        Assert.AreEqual(0, hosted.Then(cleared).AlternativeHosts!.Count, "Clearing after setting clears.");
        Assert.AreEqual(0, cleared.Then(unasked).AlternativeHosts!.Count, "Not asking afterwards leaves the clearing.");
        CollectionAssert.AreEqual(new[] { "a@example.com" }, cleared.Then(hosted).AlternativeHosts!.ToArray());
        Assert.IsNull(unasked.AlternativeHosts);
        Assert.IsFalse(cleared.IsEmpty, "An empty list asks for something: no hosts.");
        Assert.AreEqual(0, SchedulingService.Options(new MeetingOptions { AlternativeHosts = [" "] })!.AlternativeHosts!.Count, "A list of blanks is a list: no hosts.");
        Assert.IsNull(SchedulingService.Options(new MeetingOptions()), "Nothing asked: no options at all.");
        StringAssert.Contains(cleared.ToString(), "AlternativeHosts = 0 (addresses not shown)");
        StringAssert.Contains(unasked.ToString(), "AlternativeHosts = null");
    }

    [TestMethod]
    public async Task A_new_pattern_together_with_the_end_of_the_series_is_refused()
    {
        await using TestAgent agent = await TestAgent.StartAsync();
        using BridgeClient plugin = agent.CreateClient();
        MeetingReply made = await Schedule(plugin, Request("series"));
        var both = new UpdateMeetingRequest
        {
            MeetingId = made.MeetingId,
            Provider = made.Provider,
            Start = Request("series").Start,
            Recurrence = new Recurrence { Pattern = "daily", Occurrences = 3 },
            RecurrenceRemoved = true,
        };
        var oneOccurrence = new UpdateMeetingRequest { MeetingId = made.MeetingId, Provider = made.Provider, OccurrenceStart = Request("series").Start, RecurrenceRemoved = true };
        var removed = new UpdateMeetingRequest { MeetingId = made.MeetingId, Provider = made.Provider, Start = Request("series").Start, RecurrenceRemoved = true };

        BridgeException refused = await Assert.ThrowsExactlyAsync<BridgeException>(() =>
            plugin.RequestAsync(MessageKinds.UpdateMeeting, both, BridgeWire.Default.UpdateMeetingRequest, BridgeWire.Default.MeetingReply));
        BridgeException occurrence = await Assert.ThrowsExactlyAsync<BridgeException>(() =>
            plugin.RequestAsync(MessageKinds.UpdateMeeting, oneOccurrence, BridgeWire.Default.UpdateMeetingRequest, BridgeWire.Default.MeetingReply));
        MeetingReply jitsi = await plugin.RequestAsync(MessageKinds.UpdateMeeting, removed, BridgeWire.Default.UpdateMeetingRequest, BridgeWire.Default.MeetingReply);

        Assert.AreEqual(ErrorCodes.BadRequest, refused.Code);
        StringAssert.Contains(refused.Message, "not both");
        Assert.AreEqual(ErrorCodes.BadRequest, occurrence.Code);
        Assert.AreEqual(made.JoinUrl, jitsi.JoinUrl, "A Jitsi room has no pattern: its link stays valid.");
    }

    [TestMethod]
    [DataRow("deputy")]
    [DataRow("deputy@localhost")]
    [DataRow("a@example.com;evil@example.com")]
    [DataRow("Deputy <deputy@example.com>")]
    [DataRow("two@@example.com")]
    public async Task An_alternative_host_that_is_not_an_address_is_refused_without_repeating_it(string host)
    {
        await using TestAgent agent = await TestAgent.StartAsync();
        using BridgeClient plugin = agent.CreateClient();
        ScheduleMeetingRequest request = Request("bad-host");
        request.Options = new MeetingOptions { AlternativeHosts = ["fine@example.com", host] };

        BridgeException refused = await Assert.ThrowsExactlyAsync<BridgeException>(() => Schedule(plugin, request));

        Assert.AreEqual(ErrorCodes.BadRequest, refused.Code);
        StringAssert.Contains(refused.Message, "Alternative host number 2 is not an e-mail address");
        Assert.DoesNotContain(host, refused.Message);
        Assert.AreEqual(0, agent.Get<MeetingJournal>().Count, "Nothing was scheduled.");
    }

    [TestMethod]
    public async Task At_most_fifty_alternative_hosts()
    {
        await using TestAgent agent = await TestAgent.StartAsync();
        using BridgeClient plugin = agent.CreateClient();
        ScheduleMeetingRequest fifty = Request("fifty");
        fifty.Options = new MeetingOptions { AlternativeHosts = [.. Enumerable.Range(1, 50).Select(i => $"host{i}@example.com")] };
        UpdateMeetingRequest tooMany = new() { MeetingId = "m", Provider = "jitsi", Options = new MeetingOptions { AlternativeHosts = [.. Enumerable.Range(1, 51).Select(i => $"host{i}@example.com")] } };

        await Schedule(plugin, fifty);
        BridgeException refused = await Assert.ThrowsExactlyAsync<BridgeException>(() =>
            plugin.RequestAsync(MessageKinds.UpdateMeeting, tooMany, BridgeWire.Default.UpdateMeetingRequest, BridgeWire.Default.MeetingReply));

        Assert.AreEqual(ErrorCodes.BadRequest, refused.Code);
        StringAssert.Contains(refused.Message, "at most 50 alternative hosts");
    }

    [TestMethod]
    public async Task Jitsi_accepts_options_and_says_in_one_sentence_what_it_cannot_do()
    {
        await using TestAgent agent = await TestAgent.StartAsync();
        using BridgeClient plugin = agent.CreateClient("OutlookPlugin");
        ScheduleMeetingRequest plain = Request("plain");
        plain.Options = new MeetingOptions { WaitingRoom = false, RequirePasscode = true };
        ScheduleMeetingRequest hosted = Request("hosted");
        hosted.Options = new MeetingOptions { AlternativeHosts = ["deputy@example.com"] };

        MeetingReply quiet = await Schedule(plugin, plain);
        MeetingReply noted = await Schedule(plugin, hosted);
        MeetingReply updated = await plugin.RequestAsync(
            MessageKinds.UpdateMeeting,
            new UpdateMeetingRequest { MeetingId = quiet.MeetingId, Provider = "jitsi", Options = new MeetingOptions { WaitingRoom = true } },
            BridgeWire.Default.UpdateMeetingRequest,
            BridgeWire.Default.MeetingReply);

        Assert.IsNull(quiet.Note, "Nothing asked for that Jitsi lacks.");
        Assert.AreEqual(JitsiProvider.NoHostControlsNote, noted.Note);
        Assert.AreEqual(JitsiProvider.NoHostControlsNote, updated.Note);
        Assert.AreEqual(quiet.JoinUrl, updated.JoinUrl);
    }

    [TestMethod]
    public async Task The_journal_holds_ids_only_never_what_the_meeting_is_about()
    {
        const string Marker = "Secret acquisition 9Q4Z";
        await using TestAgent agent = await TestAgent.StartAsync();
        using BridgeClient plugin = agent.CreateClient();
        ScheduleMeetingRequest request = Request("private");
        request.Topic = Marker;
        request.ScheduleFor = "boss.private@example.com";

        await Schedule(plugin, request);

        foreach (string file in Directory.GetFiles(agent.Settings.StateDirectory!, "*", SearchOption.AllDirectories))
        {
            string text = await File.ReadAllTextAsync(file);
            Assert.DoesNotContain(Marker, text, file);
            Assert.DoesNotContain("boss.private", text, file);
        }

        Assert.AreEqual(1, agent.Get<MeetingJournal>().Count);
    }

    internal static ScheduleMeetingRequest Request(string requestId) => new()
    {
        RequestId = requestId,
        AppointmentId = "AAMkAD",
        Topic = "Budget review",
        Start = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.FromHours(1)),
        DurationMinutes = 30,
        TimeZoneId = "W. Europe Standard Time",
    };

    private static Task<MeetingReply> Schedule(BridgeClient client, ScheduleMeetingRequest request) =>
        client.RequestAsync(MessageKinds.ScheduleMeeting, request, BridgeWire.Default.ScheduleMeetingRequest, BridgeWire.Default.MeetingReply);

    /// <summary>A provider whose first update waits for a signal, so that a burst piles up behind it.</summary>
    private sealed class SlowProvider : IMeetingProvider
    {
        public const string ProviderName = "slow";

        public TaskCompletionSource FirstCallStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<MeetingChange> Calls { get; } = [];

        public string Name => ProviderName;

        public ProviderState State => new() { Provider = ProviderName, State = "signed_in" };

        public Task<MeetingDetails> CreateAsync(MeetingPlan plan, string requestId, Func<string, bool> isTaken, CancellationToken cancellationToken) => throw new NotSupportedException();

        public async Task<MeetingDetails> UpdateAsync(string meetingId, MeetingChange change, CancellationToken cancellationToken)
        {
            lock (Calls)
            {
                Calls.Add(change);
            }

            FirstCallStarted.TrySetResult();
            await Release.Task;
            return new MeetingDetails(meetingId, "https://example.test/" + meetingId, "join");
        }

        public Task CancelAsync(string meetingId, DateTimeOffset? occurrenceStart, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<MeetingDetails?> GetAsync(string meetingId, CancellationToken cancellationToken) => Task.FromResult<MeetingDetails?>(null);

        public Task<MeetingDetails?> FindCreatedAsync(MeetingPlan plan, DateTimeOffset since, Func<string, bool> isTaken, CancellationToken cancellationToken) =>
            Task.FromResult<MeetingDetails?>(null);
    }
}
