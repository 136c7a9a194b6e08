using System.Collections.Generic;
using System.Linq;
using ClientBridge.Policies;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace ClientBridge.Tests;

/// <summary>What Group Policy decides about who may use the pipe; the same rules that run on Windows, tested here.</summary>
[TestClass]
public sealed class PolicyTests
{
    private const string AgentFolder = @"C:\Program Files\ClientBridge";

    [TestMethod]
    [DataRow(null, PolicyState.NotConfigured)]
    [DataRow(1, PolicyState.Enabled)]
    [DataRow(0, PolicyState.Disabled)]
    [DataRow(2, PolicyState.WrongValue)]
    [DataRow("1", PolicyState.WrongValue)]
    public void A_switch_reads_as_not_configured_on_off_or_wrong(object? raw, PolicyState expected)
    {
        Assert.AreEqual(expected, PolicyValues.ReadSwitch(new Policies(("X", raw)), "X"));
    }

    [TestMethod]
    public void The_caller_check_is_on_unless_an_administrator_turns_it_off()
    {
        Assert.IsTrue(CallerPolicy.FromPolicies(new Policies(), AgentFolder).Enabled);
        Assert.IsTrue(CallerPolicy.FromPolicies(new Policies((PolicyValues.VerifyPipeCallers, 7)), AgentFolder).Enabled, "A wrong value keeps the safe default.");
        Assert.IsFalse(CallerPolicy.FromPolicies(new Policies((PolicyValues.VerifyPipeCallers, 0)), AgentFolder).Enabled);
    }

    [TestMethod]
    [DataRow(@"C:\Program Files\Microsoft Office\root\Office16\OUTLOOK.EXE", true)]
    [DataRow(@"C:\Program Files (x86)\Microsoft Office\Office15\outlook.exe", true)]
    [DataRow(@"C:\Program Files\ClientBridge\ClientBridge.exe", true)]
    [DataRow(@"c:\program files\clientbridge\Tools.exe", true)]
    [DataRow(@"C:\Program Files\ClientBridge\sub\ClientBridge.exe", false)]
    [DataRow(@"C:\Users\me\Downloads\ClientBridge.exe", false)]
    [DataRow(@"C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe", false)]
    [DataRow(@"C:\Users\me\OUTLOOK.EXE.bat", false)]
    [DataRow("", false)]
    [DataRow(null, false)]
    public void By_default_only_outlook_and_the_agents_own_programs_may_connect(string? image, bool allowed)
    {
        var policy = CallerPolicy.FromPolicies(new Policies(), AgentFolder);

        Assert.AreEqual(allowed, policy.IsAllowed(image), image);
    }

    [TestMethod]
    public void An_administrator_can_allow_more_programs_by_name_or_full_path()
    {
        var policy = CallerPolicy.FromPolicies(
            new Policies((PolicyValues.AllowedPipeCallers, new[] { "pwsh.exe", @"D:\Tools\meeting-sync.exe", "" })),
            AgentFolder);

        Assert.IsTrue(policy.IsAllowed(@"C:\Program Files\PowerShell\7\pwsh.exe"));
        Assert.IsTrue(policy.IsAllowed(@"d:\tools\MEETING-SYNC.exe"));
        Assert.IsFalse(policy.IsAllowed(@"E:\Tools\meeting-sync.exe"));
        Assert.IsFalse(policy.IsAllowed(@"C:\Windows\notepad.exe"));
    }

    [TestMethod]
    public void With_the_check_off_any_program_of_the_user_may_connect()
    {
        var policy = CallerPolicy.FromPolicies(new Policies((PolicyValues.VerifyPipeCallers, 0)), AgentFolder);

        Assert.IsTrue(policy.IsAllowed(@"C:\Windows\notepad.exe"));
        Assert.IsTrue(policy.IsAllowed(null));
    }

    [TestMethod]
    public void A_list_policy_of_the_wrong_type_allows_nothing_extra()
    {
        Assert.AreEqual(0, PolicyValues.ReadList(new Policies(("L", 5)), "L").Count);
        CollectionAssert.AreEqual(new[] { "one.exe" }, (System.Collections.ICollection)PolicyValues.ReadList(new Policies(("L", "one.exe")), "L"));
    }

    [TestMethod]
    public void A_zoom_meeting_setting_under_policy_is_what_the_administrator_chose_whatever_the_user_did()
    {
        var user = new ClientBridge.Providers.Zoom.ZoomMeetingDefaults { WaitingRoom = false, JoinBeforeHost = true, MuteUponEntry = false, AlternativeHosts = "a@example.com" };

        var locked = user.UnderPolicy(new Policies((PolicyValues.ZoomWaitingRoom, 1), (PolicyValues.ZoomJoinBeforeHost, 0), (PolicyValues.ZoomMuteUponEntry, 9), (PolicyValues.ZoomRequirePasscode, 1)));

        Assert.IsTrue(locked.WaitingRoom, "Enabled by policy.");
        Assert.IsFalse(locked.JoinBeforeHost, "Disabled by policy.");
        Assert.IsFalse(locked.MuteUponEntry, "A wrong value leaves the user's choice.");
        Assert.AreEqual("a@example.com", locked.AlternativeHosts);
        Assert.IsTrue(locked.RequirePasscode);
        Assert.IsFalse(user.UnderPolicy(new Policies()).WaitingRoom, "Not configured: the user's choice.");
    }

    [TestMethod]
    [DataRow(null, PolicyState.NotConfigured, 0)]
    [DataRow(10, PolicyState.Enabled, 10)]
    [DataRow(120, PolicyState.Enabled, 120)]
    [DataRow(0, PolicyState.WrongValue, 0)]
    [DataRow(121, PolicyState.WrongValue, 0)]
    [DataRow("10", PolicyState.WrongValue, 0)]
    public void A_number_policy_is_a_dword_in_range_or_a_wrong_value(object? raw, PolicyState state, int value)
    {
        PolicyValue<int> read = PolicyValues.ReadNumber(new Policies((PolicyValues.ReminderMinutes, raw)), PolicyValues.ReminderMinutes, PolicyValues.MinReminderMinutes, PolicyValues.MaxReminderMinutes);

        Assert.AreEqual((state, value), (read.State, read.Value));
    }

    [TestMethod]
    public void A_provider_list_is_a_multi_string_or_a_separated_string_and_an_empty_one_is_wrong()
    {
        CollectionAssert.AreEqual(new[] { "zoom", "jitsi" }, PolicyValues.ReadNames(new Policies(("P", new[] { " zoom ", "", "jitsi", "Zoom" })), "P").Value!.ToArray());
        CollectionAssert.AreEqual(new[] { "zoom", "jitsi" }, PolicyValues.ReadNames(new Policies(("P", "zoom; jitsi,")), "P").Value!.ToArray());
        Assert.AreEqual(PolicyState.NotConfigured, PolicyValues.ReadNames(new Policies(), "P").State);
        Assert.AreEqual(PolicyState.WrongValue, PolicyValues.ReadNames(new Policies(("P", " ; ")), "P").State);
        Assert.AreEqual(PolicyState.WrongValue, PolicyValues.ReadNames(new Policies(("P", 1)), "P").State);
    }

    [TestMethod]
    public void A_text_policy_is_a_non_blank_string()
    {
        Assert.AreEqual(new PolicyValue<string>(PolicyState.Enabled, "zoom"), PolicyValues.ReadText(new Policies(("D", " zoom ")), "D"));
        Assert.AreEqual(PolicyState.WrongValue, PolicyValues.ReadText(new Policies(("D", "  ")), "D").State);
        Assert.AreEqual(PolicyState.WrongValue, PolicyValues.ReadText(new Policies(("D", new[] { "zoom" })), "D").State);
        Assert.AreEqual(PolicyState.NotConfigured, PolicyValues.ReadText(new Policies(), "D").State);
    }

    internal sealed class Policies(params (string Name, object? Value)[] values) : IPolicySource
    {
        private readonly Dictionary<string, object?> _values = new(System.Linq.Enumerable.Select(values, v => KeyValuePair.Create(v.Name, v.Value)));

        public object? Read(string valueName) => _values.GetValueOrDefault(valueName);
    }
}
