using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ClientBridge.Policies;
using ClientBridge.Providers;
using ClientBridge.Scheduling;
using ClientBridge.Server;
using ClientBridge.Settings;
using Microsoft.Extensions.Configuration;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TestPolicies = ClientBridge.Tests.PolicyTests.Policies;

namespace ClientBridge.Tests.Settings;

/// <summary>What IT passed to the MSI: read from the registry's values, below environment variables, the user's settings and policies.</summary>
[TestClass]
public sealed class InstallDefaultsTests
{
    [TestMethod]
    public void Each_value_the_MSI_writes_becomes_the_agents_configuration()
    {
        InstallDefaults installed = Read(
            (InstallDefaults.DefaultProvider, " Zoom "),
            (InstallDefaults.AllowedProviders, "zoom; JITSI"),
            (InstallDefaults.ZoomApiBaseUrl, "https://api.zoomgov.com/v2"),
            (InstallDefaults.ZoomOAuthBaseUrl, "https://zoomgov.com"),
            (InstallDefaults.ZoomClientId, "aBc123_XyZ"),
            (InstallDefaults.ReminderMinutes, "15"),
            (InstallDefaults.Autostart, 1));

        CollectionAssert.AreEquivalent(
            new Dictionary<string, string?>
            {
                ["ClientBridge:DefaultProvider"] = "zoom",
                ["ClientBridge:AllowedProviders:0"] = "zoom",
                ["ClientBridge:AllowedProviders:1"] = "jitsi",
                ["ClientBridge:Zoom:ApiBaseUrl"] = "https://api.zoomgov.com/v2",
                ["ClientBridge:Zoom:OAuthBaseUrl"] = "https://zoomgov.com",
                ["ClientBridge:Zoom:ClientId"] = "aBc123_XyZ",
                ["ClientBridge:ReminderMinutes"] = "15",
            }.ToList(),
            installed.Configuration.ToList());
        Assert.AreEqual(0, installed.WrongValues.Count, "Autostart is the installer's own memory, neither used nor wrong.");
    }

    [TestMethod]
    public void Empty_values_are_not_set_as_the_MSI_writes_one_for_each_property_IT_left_out()
    {
        InstallDefaults installed = Read(
            (InstallDefaults.DefaultProvider, string.Empty),
            (InstallDefaults.AllowedProviders, " "),
            (InstallDefaults.ZoomApiBaseUrl, string.Empty),
            (InstallDefaults.ZoomOAuthBaseUrl, string.Empty),
            (InstallDefaults.ZoomClientId, string.Empty),
            (InstallDefaults.ReminderMinutes, string.Empty),
            (InstallDefaults.Autostart, "0"));

        Assert.AreEqual(0, installed.Configuration.Count);
        Assert.AreEqual(0, installed.WrongValues.Count);
        Assert.AreEqual(0, InstallDefaults.Read(_ => null).Configuration.Count);
    }

    [TestMethod]
    [DataRow("jitsi;zoom")]
    [DataRow("jitsi, zoom")]
    [DataRow(" jitsi ;; zoom ; jitsi ")]
    public void A_provider_list_reads_the_same_as_text_or_as_a_multi_string(string text)
    {
        InstallDefaults fromText = Read((InstallDefaults.AllowedProviders, text));
        InstallDefaults fromMulti = Read((InstallDefaults.AllowedProviders, new[] { "jitsi", string.Empty, "zoom" }));

        CollectionAssert.AreEqual(fromMulti.Configuration.OrderBy(p => p.Key).ToList(), fromText.Configuration.OrderBy(p => p.Key).ToList());
        Assert.AreEqual("jitsi", fromText.Configuration["ClientBridge:AllowedProviders:0"]);
        Assert.AreEqual("zoom", fromText.Configuration["ClientBridge:AllowedProviders:1"]);
        Assert.AreEqual(2, fromText.Configuration.Count);
    }

    [TestMethod]
    public void Reminder_minutes_are_taken_as_a_number_in_text_or_as_a_DWORD()
    {
        Assert.AreEqual("20", Read((InstallDefaults.ReminderMinutes, "20")).Configuration["ClientBridge:ReminderMinutes"]);
        Assert.AreEqual("20", Read((InstallDefaults.ReminderMinutes, 20)).Configuration["ClientBridge:ReminderMinutes"]);
        Assert.AreEqual("1", Read((InstallDefaults.ReminderMinutes, 1)).Configuration["ClientBridge:ReminderMinutes"]);
        Assert.AreEqual("120", Read((InstallDefaults.ReminderMinutes, " 120 ")).Configuration["ClientBridge:ReminderMinutes"]);
    }

    [TestMethod]
    [DataRow(InstallDefaults.DefaultProvider, "teams")]
    [DataRow(InstallDefaults.DefaultProvider, 1)]
    [DataRow(InstallDefaults.AllowedProviders, "zoom;teams")]
    [DataRow(InstallDefaults.AllowedProviders, 3)]
    [DataRow(InstallDefaults.ZoomApiBaseUrl, "api.zoomgov.com/v2")]
    [DataRow(InstallDefaults.ZoomApiBaseUrl, "ftp://api.zoomgov.com")]
    [DataRow(InstallDefaults.ZoomOAuthBaseUrl, "https://user:secret@zoomgov.com")]
    [DataRow(InstallDefaults.ZoomOAuthBaseUrl, "file:///C:/zoom")]
    [DataRow(InstallDefaults.ZoomClientId, "two words")]
    [DataRow(InstallDefaults.ZoomClientId, 42)]
    [DataRow(InstallDefaults.ReminderMinutes, "0")]
    [DataRow(InstallDefaults.ReminderMinutes, 121)]
    [DataRow(InstallDefaults.ReminderMinutes, "ten")]
    [DataRow(InstallDefaults.ReminderMinutes, "-5")]
    [DataRow(InstallDefaults.ReminderMinutes, 15L)]
    public void A_wrong_value_is_named_and_not_applied(string name, object value)
    {
        InstallDefaults installed = Read((name, value));

        CollectionAssert.AreEqual(new[] { name }, installed.WrongValues.ToArray());
        Assert.AreEqual(0, installed.Configuration.Count);
    }

    [TestMethod]
    public void Every_wrong_value_is_named_once_by_name_only_and_the_good_ones_still_apply()
    {
        InstallDefaults installed = Read(
            (InstallDefaults.DefaultProvider, "webex"),
            (InstallDefaults.AllowedProviders, new[] { "zoom", "skype" }),
            (InstallDefaults.ZoomApiBaseUrl, "not a url"),
            (InstallDefaults.ZoomOAuthBaseUrl, new byte[] { 1, 2 }),
            (InstallDefaults.ZoomClientId, "good-id"),
            (InstallDefaults.ReminderMinutes, 500));

        CollectionAssert.AreEquivalent(
            new[] { InstallDefaults.DefaultProvider, InstallDefaults.AllowedProviders, InstallDefaults.ZoomApiBaseUrl, InstallDefaults.ZoomOAuthBaseUrl, InstallDefaults.ReminderMinutes },
            installed.WrongValues.ToArray());
        CollectionAssert.AreEqual(new[] { "ClientBridge:Zoom:ClientId" }, installed.Configuration.Keys.ToArray());
    }

    [TestMethod]
    public void A_default_provider_the_installed_list_leaves_out_is_wrong_and_the_list_stands()
    {
        InstallDefaults installed = Read((InstallDefaults.DefaultProvider, "zoom"), (InstallDefaults.AllowedProviders, "jitsi"));

        CollectionAssert.AreEqual(new[] { InstallDefaults.DefaultProvider }, installed.WrongValues.ToArray());
        Assert.IsFalse(installed.Configuration.ContainsKey("ClientBridge:DefaultProvider"));
        Assert.AreEqual("jitsi", installed.Configuration["ClientBridge:AllowedProviders:0"]);
    }

    [TestMethod]
    public void A_per_user_install_is_read_before_a_per_machine_one_value_by_value_and_its_empty_values_fall_through()
    {
        var user = new Dictionary<string, object?> { [InstallDefaults.DefaultProvider] = "jitsi", [InstallDefaults.ReminderMinutes] = string.Empty };
        var machine = new Dictionary<string, object?> { [InstallDefaults.DefaultProvider] = "zoom", [InstallDefaults.ReminderMinutes] = 10, [InstallDefaults.ZoomClientId] = "id" };

        InstallDefaults installed = InstallDefaults.Read(InstallDefaults.FirstSet(user.GetValueOrDefault, machine.GetValueOrDefault));

        Assert.AreEqual("jitsi", installed.Configuration["ClientBridge:DefaultProvider"]);
        Assert.AreEqual("10", installed.Configuration["ClientBridge:ReminderMinutes"]);
        Assert.AreEqual("id", installed.Configuration["ClientBridge:Zoom:ClientId"]);
    }

    [TestMethod]
    public void ITs_default_provider_is_used_until_something_stronger_says_otherwise_and_a_policy_beats_all()
    {
        InstallDefaults installed = Read((InstallDefaults.DefaultProvider, "zoom"), (InstallDefaults.ZoomClientId, "it-app"));
        var noPolicy = new TestPolicies();

        Assert.AreEqual(new Effective<string>("zoom", false), Resolve(installed, [], new UserSettings(), noPolicy).DefaultProvider, "IT's default on a fresh install.");
        Assert.AreEqual(new Effective<string>("jitsi", false), Resolve(installed, [("ClientBridge__DefaultProvider", "jitsi")], new UserSettings(), noPolicy).DefaultProvider, "The agent's environment beats IT's default.");
        Assert.AreEqual(new Effective<string>("jitsi", false), Resolve(installed, [], new UserSettings { DefaultProvider = "jitsi" }, noPolicy).DefaultProvider, "The user picked jitsi.");
        Assert.AreEqual(
            new Effective<string>("zoom", false),
            Resolve(installed, [("ClientBridge__DefaultProvider", "jitsi")], new UserSettings { DefaultProvider = "zoom" }, noPolicy).DefaultProvider,
            "The user's choice beats the environment.");
        Assert.AreEqual(
            new Effective<string>("jitsi", true),
            Resolve(installed, [("ClientBridge__DefaultProvider", "zoom")], new UserSettings { DefaultProvider = "zoom" }, new TestPolicies((PolicyValues.DefaultProvider, "jitsi"))).DefaultProvider,
            "A policy beats them all, and locks.");
    }

    [TestMethod]
    public void ITs_reminder_minutes_and_provider_list_apply_below_the_environment_the_user_and_policy()
    {
        InstallDefaults installed = Read((InstallDefaults.ReminderMinutes, 15), (InstallDefaults.AllowedProviders, "zoom;jitsi"));
        var noPolicy = new TestPolicies();

        EffectiveSettings fresh = Resolve(installed, [], new UserSettings(), noPolicy);
        Assert.AreEqual(new Effective<int>(15, false), fresh.ReminderMinutes);
        CollectionAssert.AreEqual(new[] { "zoom", "jitsi" }, fresh.AllowedProviders.Value!.ToArray());
        Assert.IsFalse(fresh.AllowedProviders.Locked);

        EffectiveSettings environment = Resolve(installed, [("ClientBridge__ReminderMinutes", "20"), ("ClientBridge__AllowedProviders__0", "jitsi")], new UserSettings(), noPolicy);
        Assert.AreEqual(new Effective<int>(20, false), environment.ReminderMinutes);
        CollectionAssert.AreEqual(new[] { "jitsi" }, environment.AllowedProviders.Value!.ToArray(), "The environment's list replaces IT's, not merged index by index.");

        EffectiveSettings mine = Resolve(installed, [("ClientBridge__ReminderMinutes", "20")], new UserSettings { ReminderMinutes = 25, AllowedProviders = ["zoom"] }, noPolicy);
        Assert.AreEqual(new Effective<int>(25, false), mine.ReminderMinutes);
        CollectionAssert.AreEqual(new[] { "zoom" }, mine.AllowedProviders.Value!.ToArray());

        EffectiveSettings managed = Resolve(installed, [("ClientBridge__ReminderMinutes", "20")], new UserSettings { ReminderMinutes = 25 }, new TestPolicies((PolicyValues.ReminderMinutes, 30)));
        Assert.AreEqual(new Effective<int>(30, true), managed.ReminderMinutes);
    }

    [TestMethod]
    public void Zoom_as_ITs_default_without_a_client_id_is_named_and_the_agent_still_starts_on_jitsi()
    {
        InstallDefaults installed = Read((InstallDefaults.DefaultProvider, "zoom"), (InstallDefaults.AllowedProviders, "zoom"));

        AgentSettings agent = Bind(installed, [], out IReadOnlyList<string> wrong);
        string state = Path.Combine(Path.GetTempPath(), "cbt-install-" + Guid.NewGuid().ToString("N")[..8]);
        using var journal = new MeetingJournal(state);
        var scheduling = new SchedulingService([new JitsiProvider(new JitsiOptions())], agent, journal, new EventHub(new SessionRegistry()));

        Assert.AreEqual(JitsiProvider.ProviderName, agent.DefaultProvider);
        Assert.IsNull(agent.AllowedProviders, "A list of providers the agent will not have would allow nothing.");
        CollectionAssert.AreEquivalent(new[] { InstallDefaults.DefaultProvider, InstallDefaults.AllowedProviders }, wrong.ToArray());
        Assert.IsTrue(scheduling.ProviderStates().Single().IsDefault);
        Directory.Delete(state, recursive: true);
    }

    [TestMethod]
    public void Zoom_as_ITs_default_stands_when_the_client_id_comes_from_the_environment()
    {
        InstallDefaults installed = Read((InstallDefaults.DefaultProvider, "zoom"));

        AgentSettings agent = Bind(installed, [("ClientBridge__Zoom__ClientId", "env-app")], out IReadOnlyList<string> wrong);

        Assert.AreEqual("zoom", agent.DefaultProvider);
        Assert.AreEqual("env-app", agent.Zoom.ClientId);
        Assert.AreEqual(0, wrong.Count);
    }

    [TestMethod]
    public void The_ZoomGov_addresses_and_client_id_reach_the_Zoom_settings()
    {
        InstallDefaults installed = Read(
            (InstallDefaults.ZoomApiBaseUrl, "https://api.zoomgov.com/v2"),
            (InstallDefaults.ZoomOAuthBaseUrl, "https://zoomgov.com"),
            (InstallDefaults.ZoomClientId, "gov-app"));

        AgentSettings agent = Bind(installed, [("ClientBridge__Zoom__OAuthBaseUrl", "https://emulator.test")], out _);

        Assert.AreEqual("https://api.zoomgov.com/v2", agent.Zoom.ApiBaseUrl);
        Assert.AreEqual("https://emulator.test", agent.Zoom.OAuthBaseUrl, "The environment beats IT's address.");
        Assert.AreEqual("gov-app", agent.Zoom.ClientId);
        Assert.IsTrue(agent.Offers("zoom"));
    }

    private static InstallDefaults Read(params (string Name, object? Value)[] values)
    {
        var registry = values.ToDictionary(v => v.Name, v => v.Value, StringComparer.OrdinalIgnoreCase);
        return InstallDefaults.Read(registry.GetValueOrDefault);
    }

    private static EffectiveSettings Resolve(InstallDefaults installed, (string Name, string Value)[] environment, UserSettings user, IPolicySource policies) =>
        EffectiveSettings.Resolve(Bind(installed, environment, out _), user, policies);

    /// <summary>The agent's real configuration sources, with environment variables of this test's own (a unique prefix, so no other test or agent sees them).</summary>
    private static AgentSettings Bind(InstallDefaults installed, (string Name, string Value)[] environment, out IReadOnlyList<string> wrong)
    {
        string prefix = "CBT_" + Guid.NewGuid().ToString("N")[..8] + "_";
        try
        {
            foreach ((string name, string value) in environment)
            {
                Environment.SetEnvironmentVariable(prefix + name, value);
            }

            IConfigurationRoot configuration = new ConfigurationBuilder().AddAgentSources(installed, prefix).Build();
            return AgentConfiguration.Bind(configuration, installed, out wrong);
        }
        finally
        {
            foreach ((string name, _) in environment)
            {
                Environment.SetEnvironmentVariable(prefix + name, null);
            }
        }
    }
}
