using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace ClientBridge.Wine.Tests;

/// <summary>
/// Group Policy as an administrator's script writes it: <c>reg add</c> under <c>HKLM\Software\Policies\ClientBridge</c>
/// and <c>HKCU\…</c> in the Wine prefix, honoured by the published Windows build. The agent reads policies on every
/// use, so one running agent sees each change without a restart. Zoom is offered by giving the agent a client id
/// (<c>ClientBridge__Zoom__ClientId</c>; no sign-in, no network), so that there are two providers to choose between.
/// Both policy keys are removed before and after every test: the prefix is shared with the other Wine tests.
/// </summary>
[TestClass]
public sealed class RegistryPolicyTests
{
    private const string MachineKey = @"HKLM\Software\Policies\ClientBridge";

    /// <summary>What the agent says when the allowed-providers policy leaves Jitsi out (Scheduling/SchedulingService.cs).</summary>
    private const string JitsiRefusedByPolicy = "Your administrator's policy does not allow meetings on 'jitsi'; allowed: zoom.";

    /// <summary>Settings/SettingsService.cs, event 710; the names are filled in between.</summary>
    private const string WrongPoliciesLine = "under Software\\Policies\\ClientBridge have a type or value no template writes; they are ignored.";

    private string _work = null!;
    private string _logs = null!;
    private readonly EnvironmentOverrides _environment = new();

    public TestContext TestContext { get; set; } = null!;

    [TestInitialize]
    public async Task StartWithoutPoliciesAsync()
    {
        _work = WineEnvironment.NewTempDirectory("registry-policy");
        _logs = WineEnvironment.Current.TestLogFolder(TestContext, "agent");
        string settings = Path.Combine(_work, "settings");
        string state = Path.Combine(_work, "state");
        Directory.CreateDirectory(settings);
        Directory.CreateDirectory(state);
        await ClearAllPoliciesAsync();

        // Wine hands the host's environment to Windows programs. Own settings and state folders keep a user's
        // settings.json (or another test's journal) out of the picture; a Zoom client id makes Zoom a provider.
        WineEnvironment wine = WineEnvironment.Current;
        _environment.Set("ClientBridge__Zoom__ClientId", "wine-test-client-id");
        _environment.Set("ClientBridge__SettingsDirectory", wine.ToWindowsPath(settings));
        _environment.Set("ClientBridge__StateDirectory", wine.ToWindowsPath(state));
    }

    [TestCleanup]
    public async Task RemovePoliciesAsync()
    {
        _environment.Restore();

        await ClearAllPoliciesAsync();
        WineEnvironment.DeleteTempDirectory(_work);
    }

    [TestMethod]
    public async Task AllowedProviders_in_HKLM_refuses_Jitsi_shows_it_turned_off_and_a_refresh_needs_no_restart()
    {
        WineEnvironment wine = WineEnvironment.Current;
        await SetPolicyAsync(MachineKey, "AllowedProviders", "REG_MULTI_SZ", "zoom");
        await using AgentProcess agent = await AgentProcess.StartAsync(wine, _logs);
        Report($"agent answering after {agent.TimeToReady.TotalMilliseconds:0} ms");

        ProcessResult refused = await ScheduleAsync("--provider", "jitsi");
        Report($"schedule --provider jitsi, HKLM AllowedProviders=zoom: exit {refused.ExitCode} after {refused.Elapsed.TotalMilliseconds:0} ms");
        Assert.AreEqual(2, refused.ExitCode, refused.Describe());
        Assert.Contains(JitsiRefusedByPolicy, refused.StandardError, refused.Describe());

        ProcessResult refusedJson = await ScheduleAsync("--provider", "jitsi", "--json");
        Assert.AreEqual(2, refusedJson.ExitCode, refusedJson.Describe());
        using (JsonDocument error = JsonDocument.Parse(refusedJson.StandardOutput))
        {
            Assert.AreEqual("bad_request", error.RootElement.GetProperty("error").GetProperty("code").GetString(), refusedJson.Describe());
        }

        Dictionary<string, (string State, bool IsDefault)> providers = await ProvidersAsync();
        Report($"status providers: {Describe(providers)}");
        Assert.AreEqual("disabled_by_policy", providers["jitsi"].State, Describe(providers));
        Assert.IsFalse(providers["jitsi"].IsDefault, Describe(providers));
        Assert.AreNotEqual("disabled_by_policy", providers["zoom"].State, Describe(providers));
        Assert.IsTrue(providers["zoom"].IsDefault, $"With Jitsi disallowed, the first allowed provider is the default. {Describe(providers)}");

        ProcessResult text = await wine.StatusAsync();
        Assert.AreEqual(0, text.ExitCode, text.Describe());
        Assert.Contains("jitsi (disabled by policy)", text.StandardOutput, text.Describe());

        // The administrator lifts the policy; the running agent honours that at the next request.
        await DeletePolicyKeyAsync(MachineKey);
        ProcessResult allowed = await ScheduleAsync("--provider", "jitsi");
        Report($"schedule --provider jitsi after `reg delete` of the HKLM key: exit {allowed.ExitCode} after {allowed.Elapsed.TotalMilliseconds:0} ms");
        Assert.AreEqual(0, allowed.ExitCode, allowed.Describe());
        Assert.Contains("Scheduled a jitsi meeting.", allowed.StandardOutput, allowed.Describe());
        Assert.Contains("https://meet.jit.si/ClientBridge-", allowed.StandardOutput, allowed.Describe());

        providers = await ProvidersAsync();
        Assert.AreNotEqual("disabled_by_policy", providers["jitsi"].State, Describe(providers));
        Assert.IsFalse(agent.HasExited, agent.Output);
    }

    [TestMethod]
    public async Task A_value_in_HKLM_wins_over_the_same_value_in_HKCU()
    {
        WineEnvironment wine = WineEnvironment.Current;
        const string UserKey = WineEnvironment.PolicyKey;
        await using AgentProcess agent = await AgentProcess.StartAsync(wine, _logs);

        // DefaultProvider: the agent's own default is Jitsi. HKCU alone makes it Zoom (so HKCU is read at all) …
        await SetPolicyAsync(UserKey, "DefaultProvider", "REG_SZ", "zoom");
        Dictionary<string, (string State, bool IsDefault)> userOnly = await ProvidersAsync();
        Report($"DefaultProvider HKCU=zoom: {Describe(userOnly)}");
        Assert.IsTrue(userOnly["zoom"].IsDefault, Describe(userOnly));
        Assert.IsFalse(userOnly["jitsi"].IsDefault, Describe(userOnly));

        // … and with HKCU still saying Zoom, HKLM saying Jitsi makes it Jitsi: only the machine's value explains that.
        await SetPolicyAsync(MachineKey, "DefaultProvider", "REG_SZ", "jitsi");
        Dictionary<string, (string State, bool IsDefault)> both = await ProvidersAsync();
        Report($"DefaultProvider HKLM=jitsi, HKCU=zoom: {Describe(both)}");
        Assert.IsTrue(both["jitsi"].IsDefault, Describe(both));
        Assert.IsFalse(both["zoom"].IsDefault, Describe(both));

        // A meeting with no provider named goes to the effective default (Zoom would need a sign-in and fail with 7).
        ProcessResult byDefault = await ScheduleAsync();
        Report($"schedule without --provider, DefaultProvider HKLM=jitsi, HKCU=zoom: exit {byDefault.ExitCode} after {byDefault.Elapsed.TotalMilliseconds:0} ms");
        Assert.AreEqual(0, byDefault.ExitCode, byDefault.Describe());
        Assert.Contains("Scheduled a jitsi meeting.", byDefault.StandardOutput, byDefault.Describe());

        // AllowedProviders: HKCU allows Jitsi only, HKLM Zoom only; HKLM wins, so Jitsi is refused, citing Zoom.
        await DeletePolicyKeyAsync(MachineKey);
        await WineEnvironment.Current.ClearUserPoliciesAsync();
        await SetPolicyAsync(UserKey, "AllowedProviders", "REG_MULTI_SZ", "jitsi");
        ProcessResult userAllowsJitsi = await ScheduleAsync("--provider", "jitsi");
        Assert.AreEqual(0, userAllowsJitsi.ExitCode, userAllowsJitsi.Describe());
        Dictionary<string, (string State, bool IsDefault)> userList = await ProvidersAsync();
        Report($"AllowedProviders HKCU=jitsi: schedule jitsi exit {userAllowsJitsi.ExitCode}; {Describe(userList)}");
        Assert.AreEqual("disabled_by_policy", userList["zoom"].State, Describe(userList));
        Assert.AreNotEqual("disabled_by_policy", userList["jitsi"].State, Describe(userList));

        await SetPolicyAsync(MachineKey, "AllowedProviders", "REG_MULTI_SZ", "zoom");
        ProcessResult machineWins = await ScheduleAsync("--provider", "jitsi");
        Dictionary<string, (string State, bool IsDefault)> machineList = await ProvidersAsync();
        Report($"AllowedProviders HKLM=zoom, HKCU=jitsi: schedule jitsi exit {machineWins.ExitCode}; {Describe(machineList)}");
        Assert.AreEqual(2, machineWins.ExitCode, machineWins.Describe());
        Assert.Contains(JitsiRefusedByPolicy, machineWins.StandardError, machineWins.Describe());
        Assert.AreEqual("disabled_by_policy", machineList["jitsi"].State, Describe(machineList));
        Assert.AreNotEqual("disabled_by_policy", machineList["zoom"].State, Describe(machineList));
        Assert.IsFalse(agent.HasExited, agent.Output);
    }

    [TestMethod]
    public async Task Wrong_values_are_ignored_and_logged_by_name_and_the_agent_keeps_working()
    {
        WineEnvironment wine = WineEnvironment.Current;

        // A string where a DWORD belongs, DWORDs out of range (in both hives), and one valid value beside them.
        await SetPolicyAsync(MachineKey, "ReminderMinutes", "REG_SZ", "soonish");
        await SetPolicyAsync(MachineKey, "ZoomWaitingRoom", "REG_DWORD", "7");
        await SetPolicyAsync(WineEnvironment.PolicyKey, "DaysAhead", "REG_DWORD", "98765");
        await SetPolicyAsync(MachineKey, "AllowedProviders", "REG_MULTI_SZ", "zoom");

        await using (AgentProcess agent = await AgentProcess.StartAsync(wine, _logs))
        {
            Report($"agent with wrong policy values answering after {agent.TimeToReady.TotalMilliseconds:0} ms");
            ProcessResult status = await wine.StatusAsync("--json");
            Assert.AreEqual(0, status.ExitCode, status.Describe());

            // The valid policy next to the wrong ones still counts.
            ProcessResult refused = await ScheduleAsync("--provider", "jitsi");
            Assert.AreEqual(2, refused.ExitCode, refused.Describe());
            Assert.Contains(JitsiRefusedByPolicy, refused.StandardError, refused.Describe());

            // One more wrong value while it runs: a contradiction between DefaultProvider and AllowedProviders.
            await SetPolicyAsync(MachineKey, "DefaultProvider", "REG_SZ", "jitsi");
            Dictionary<string, (string State, bool IsDefault)> providers = await ProvidersAsync();
            Report($"with DefaultProvider=jitsi contradicting AllowedProviders=zoom: {Describe(providers)}");
            Assert.IsTrue(providers["zoom"].IsDefault, $"The contradicting DefaultProvider should be ignored. {Describe(providers)}");
            Assert.IsFalse(agent.HasExited, $"The agent stopped over wrong policy values.\n{agent.Output}");
        }

        string[] files = Directory.GetFiles(_logs, "agent-*.log");
        Assert.HasCount(1, files, $"Expected one log file in {_logs}: {string.Join(", ", Directory.GetFiles(_logs))}");
        string log = ProcessRunner.Normalize(await File.ReadAllTextAsync(files[0]));
        string[] lines = [.. log.Split('\n').Where(l => l.Contains(WrongPoliciesLine, StringComparison.Ordinal))];
        Report($"log lines about wrong policies: {lines.Length}\n{string.Join("\n", lines)}");
        Assert.IsNotEmpty(lines, log);

        string atStart = lines[0];
        Assert.Contains("[WRN]", atStart, log);
        foreach (string name in new[] { "ReminderMinutes", "DaysAhead", "ZoomWaitingRoom" })
        {
            Assert.IsTrue(Regex.IsMatch(atStart, $@"\b{name}\b", RegexOptions.CultureInvariant), $"{name} is not named in: {atStart}\n{log}");
        }

        Assert.IsFalse(Regex.IsMatch(atStart, @"\bAllowedProviders\b", RegexOptions.CultureInvariant), $"The valid AllowedProviders was called wrong: {atStart}");
        Assert.IsTrue(
            lines.Any(l => Regex.IsMatch(l, @"\bDefaultProvider\b", RegexOptions.CultureInvariant)),
            $"The contradicting DefaultProvider, set while the agent ran, was not logged.\n{log}");

        // By name only: never what the value holds.
        Assert.DoesNotContain("soonish", log, log);
        Assert.IsFalse(Regex.IsMatch(log, @"\b98765\b", RegexOptions.CultureInvariant), log);
    }

    /// <summary>A one-off meeting in 2030 (explicit offset, so no time zone is needed); extra arguments pick the provider or JSON.</summary>
    private static Task<ProcessResult> ScheduleAsync(params string[] more)
    {
        WineEnvironment wine = WineEnvironment.Current;
        return wine.RunWindowsAsync(wine.AgentExecutable, ["schedule", "--subject", "Policy check", "--start", "2030-01-15T09:00:00Z", "--duration", "30", .. more]);
    }

    /// <summary>Each provider's state and whether it is the default, from <c>status --json</c>.</summary>
    private static async Task<Dictionary<string, (string State, bool IsDefault)>> ProvidersAsync()
    {
        ProcessResult status = await WineEnvironment.Current.StatusAsync("--json");
        Assert.AreEqual(0, status.ExitCode, status.Describe());
        using JsonDocument document = JsonDocument.Parse(status.StandardOutput);
        var providers = new Dictionary<string, (string State, bool IsDefault)>(StringComparer.OrdinalIgnoreCase);
        foreach (JsonElement provider in document.RootElement.GetProperty("providers").EnumerateArray())
        {
            providers[provider.GetProperty("provider").GetString()!] = (provider.GetProperty("state").GetString()!, provider.GetProperty("isDefault").GetBoolean());
        }

        Assert.IsTrue(providers.ContainsKey("jitsi") && providers.ContainsKey("zoom"), $"Expected Jitsi and Zoom.\n{status.Describe()}");
        return providers;
    }

    private static string Describe(Dictionary<string, (string State, bool IsDefault)> providers) =>
        string.Join(", ", providers.Select(p => $"{p.Key} {p.Value.State}{(p.Value.IsDefault ? " (default)" : string.Empty)}"));

    /// <summary><c>reg add</c>, as an administrator's script would (REG_MULTI_SZ strings are separated by \0).</summary>
    private static async Task SetPolicyAsync(string key, string valueName, string type, string data)
    {
        ProcessResult result = await WineEnvironment.Current.RunWindowsAsync("reg", "add", key, "/v", valueName, "/t", type, "/d", data, "/f");
        Assert.AreEqual(0, result.ExitCode, $"Setting the policy {key}\\{valueName} failed.\n{result.Describe()}");
    }

    /// <summary><c>reg delete … /f</c>; nothing to delete is fine, but the key must be gone afterwards.</summary>
    private static async Task DeletePolicyKeyAsync(string key)
    {
        WineEnvironment wine = WineEnvironment.Current;
        ProcessResult deleted = await wine.RunWindowsAsync("reg", "delete", key, "/f");
        ProcessResult query = await wine.RunWindowsAsync("reg", "query", key);
        Assert.AreNotEqual(0, query.ExitCode, $"{key} is still there after deleting it.\n{deleted.Describe()}\n{query.Describe()}");
    }

    private static async Task ClearAllPoliciesAsync()
    {
        await DeletePolicyKeyAsync(MachineKey);
        await WineEnvironment.Current.ClearUserPoliciesAsync();
    }

    private void Report(FormattableString line) => WineEnvironment.Current.Report(TestContext, line);
}
