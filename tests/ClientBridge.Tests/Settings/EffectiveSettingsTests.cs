using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using ClientBridge.Policies;
using ClientBridge.Protocol;
using ClientBridge.Providers;
using ClientBridge.Scheduling;
using ClientBridge.Server;
using ClientBridge.Settings;
using ClientBridge.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TestPolicies = ClientBridge.Tests.PolicyTests.Policies;

namespace ClientBridge.Tests.Settings;

/// <summary>Policy over the settings file over the agent's configuration, and each value saying whether it is locked.</summary>
[TestClass]
public sealed class EffectiveSettingsTests
{
    [TestMethod]
    public void With_nothing_set_the_built_in_defaults_apply_unlocked()
    {
        EffectiveSettings effective = EffectiveSettings.Resolve(new AgentSettings(), new UserSettings(), new TestPolicies());

        Assert.AreEqual(new Effective<string>(JitsiProvider.ProviderName, false), effective.DefaultProvider);
        Assert.IsNull(effective.AllowedProviders.Value);
        Assert.AreEqual(new Effective<int>(5, false), effective.ReminderMinutes);
        Assert.AreEqual(new Effective<int>(30, false), effective.DaysAhead);
        Assert.AreEqual(new Effective<bool>(true, false), effective.Reminders);
        Assert.AreEqual(new Effective<bool>(true, false), effective.WaitingRoom);
        Assert.IsTrue(effective.IsAllowed("anything"));
        Assert.AreEqual(0, effective.WrongPolicies.Count);
    }

    [TestMethod]
    public void The_settings_file_beats_the_configuration_and_a_policy_beats_both_and_locks()
    {
        var user = new UserSettings
        {
            DefaultProvider = "zoom",
            ReminderMinutes = 10,
            DaysAhead = 7,
            Reminders = false,
            Meetings = new UserMeetingDefaults { WaitingRoom = false, MuteUponEntry = true, AlternativeHosts = ["a@example.com", "b@example.com"] },
        };

        EffectiveSettings mine = EffectiveSettings.Resolve(new AgentSettings(), user, new TestPolicies());
        EffectiveSettings managed = EffectiveSettings.Resolve(new AgentSettings(), user, new TestPolicies(
            (PolicyValues.DefaultProvider, "jitsi"),
            (PolicyValues.ReminderMinutes, 15),
            (PolicyValues.DaysAhead, 60),
            (PolicyValues.Reminders, 1),
            (PolicyValues.ZoomWaitingRoom, 1)));

        Assert.AreEqual(new Effective<string>("zoom", false), mine.DefaultProvider);
        Assert.AreEqual(new Effective<int>(10, false), mine.ReminderMinutes);
        Assert.AreEqual(new Effective<bool>(false, false), mine.Reminders);
        Assert.AreEqual("a@example.com;b@example.com", mine.ZoomMeetings().AlternativeHosts);
        Assert.IsFalse(mine.ZoomMeetings().WaitingRoom);
        Assert.IsTrue(mine.ZoomMeetings().MuteUponEntry);

        Assert.AreEqual(new Effective<string>("jitsi", true), managed.DefaultProvider);
        Assert.AreEqual(new Effective<int>(15, true), managed.ReminderMinutes);
        Assert.AreEqual(new Effective<int>(60, true), managed.DaysAhead);
        Assert.AreEqual(new Effective<bool>(true, true), managed.Reminders);
        Assert.AreEqual(new Effective<bool>(true, true), managed.WaitingRoom);
        Assert.AreEqual(new Effective<bool>(true, false), managed.MuteUponEntry, "Not configured: the user's choice, unlocked.");
    }

    [TestMethod]
    public void Wrong_policy_values_are_named_and_ignored()
    {
        var user = new UserSettings { ReminderMinutes = 10, DaysAhead = 7, AllowedProviders = ["jitsi"] };

        EffectiveSettings effective = EffectiveSettings.Resolve(new AgentSettings(), user, new TestPolicies(
            (PolicyValues.ReminderMinutes, "15"),
            (PolicyValues.DaysAhead, 1000),
            (PolicyValues.AllowedProviders, new[] { " ", "" }),
            (PolicyValues.Reminders, 2),
            (PolicyValues.DefaultProvider, 3)));

        Assert.AreEqual(new Effective<int>(10, false), effective.ReminderMinutes);
        Assert.AreEqual(new Effective<int>(7, false), effective.DaysAhead);
        Assert.AreEqual(new Effective<bool>(true, false), effective.Reminders);
        Assert.IsFalse(effective.AllowedProviders.Locked);
        CollectionAssert.AreEqual(new[] { "jitsi" }, effective.AllowedProviders.Value!.ToArray());
        CollectionAssert.AreEquivalent(
            new[] { PolicyValues.ReminderMinutes, PolicyValues.DaysAhead, PolicyValues.AllowedProviders, PolicyValues.Reminders, PolicyValues.DefaultProvider },
            effective.WrongPolicies.ToArray());
    }

    [TestMethod]
    public void A_default_provider_policy_that_the_allowed_list_forbids_is_ignored()
    {
        EffectiveSettings effective = EffectiveSettings.Resolve(new AgentSettings(), new UserSettings { DefaultProvider = "jitsi" }, new TestPolicies(
            (PolicyValues.AllowedProviders, "jitsi; other"),
            (PolicyValues.DefaultProvider, "zoom")));

        Assert.AreEqual(new Effective<string>("jitsi", false), effective.DefaultProvider);
        Assert.IsTrue(effective.AllowedProviders.Locked);
        Assert.IsTrue(effective.IsAllowed("JITSI"));
        Assert.IsFalse(effective.IsAllowed("zoom"));
        CollectionAssert.Contains(effective.WrongPolicies.ToArray(), PolicyValues.DefaultProvider);
    }

    [TestMethod]
    public void The_service_logs_wrong_policies_by_name_once_and_follows_the_file()
    {
        string folder = Path.Combine(Path.GetTempPath(), "cbt-settings-" + Guid.NewGuid().ToString("N")[..8]);
        using var logs = new ListLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));
        using var file = new SettingsFile(folder);
        using var service = new SettingsService(new AgentSettings(), file, new TestPolicies((PolicyValues.ReminderMinutes, 0)), factory.CreateLogger<SettingsService>());

        _ = service.Current;
        _ = service.Current;
        file.Save(new UserSettings { ReminderMinutes = 20 });

        Assert.AreEqual(new Effective<int>(20, false), service.Current.ReminderMinutes);
        Assert.AreEqual(1, logs.Lines.Count(l => l.Contains(PolicyValues.ReminderMinutes, StringComparison.Ordinal)));
        Directory.Delete(folder, recursive: true);
    }

    [TestMethod]
    public async Task A_provider_the_policy_disallows_is_refused_with_a_sentence_and_the_default_follows_the_policy()
    {
        string state = Path.Combine(Path.GetTempPath(), "cbt-state-" + Guid.NewGuid().ToString("N")[..8]);
        using var journal = new MeetingJournal(state);
        var policies = new TestPolicies((PolicyValues.AllowedProviders, new[] { "jitsi" }));
        var settings = new FixedSettings(EffectiveSettings.Resolve(new AgentSettings { DefaultProvider = "other" }, new UserSettings(), policies));
        var service = new SchedulingService(
            [new JitsiProvider(new JitsiOptions()), new OtherProvider()],
            new AgentSettings { DefaultProvider = "other" },
            journal,
            new EventHub(new SessionRegistry()),
            settings);

        BridgeException refused = Assert.ThrowsExactly<BridgeException>(() => service.ScheduleAsync(Request("r-1", "other")));
        MeetingReply made = await service.ScheduleAsync(Request("r-2", provider: null));
        var states = service.ProviderStates().ToDictionary(p => p.Provider);

        Assert.AreEqual(ErrorCodes.BadRequest, refused.Code);
        Assert.AreEqual("Your administrator's policy does not allow meetings on 'other'; allowed: jitsi.", refused.Message);
        Assert.AreEqual(JitsiProvider.ProviderName, made.Provider, "The configured default is disallowed: the first allowed provider.");
        Assert.IsTrue(states["jitsi"].IsDefault);
        Assert.AreEqual("disabled_by_policy", states["other"].State);
        Assert.IsFalse(states["other"].IsDefault);
        Directory.Delete(state, recursive: true);
    }

    private static ScheduleMeetingRequest Request(string id, string? provider) => new()
    {
        RequestId = id,
        Provider = provider,
        Topic = "Planning",
        Start = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero),
        DurationMinutes = 30,
    };

    private sealed class OtherProvider : IMeetingProvider
    {
        public string Name => "other";

        public ProviderState State => new() { Provider = Name, State = "signed_in" };

        public Task<MeetingDetails> CreateAsync(MeetingPlan plan, string requestId, Func<string, bool> isTaken, System.Threading.CancellationToken cancellationToken) => throw new AssertFailedException("A disallowed provider is never asked.");

        public Task<MeetingDetails> UpdateAsync(string meetingId, MeetingChange change, System.Threading.CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task CancelAsync(string meetingId, DateTimeOffset? occurrenceStart, System.Threading.CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<MeetingDetails?> GetAsync(string meetingId, System.Threading.CancellationToken cancellationToken) => Task.FromResult<MeetingDetails?>(null);

        public Task<MeetingDetails?> FindCreatedAsync(MeetingPlan plan, DateTimeOffset since, Func<string, bool> isTaken, System.Threading.CancellationToken cancellationToken) => Task.FromResult<MeetingDetails?>(null);
    }
}
