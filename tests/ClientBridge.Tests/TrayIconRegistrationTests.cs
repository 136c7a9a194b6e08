using ClientBridge.Windows.Tray;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace ClientBridge.Tests;

/// <summary>
/// What the tray does after each answer of the shell to NIM_ADD: the icon's GUID first; at logon, before Explorer's
/// taskbar exists, wait for TaskbarCreated and try the GUID again; with the taskbar up, a refused GUID (registered from
/// another executable path) gives an icon without a GUID, kept for the process; and a shell that refuses everything
/// is waited out. The Win32 calls themselves run in the Wine tray tests.
/// </summary>
[TestClass]
public sealed class TrayIconRegistrationTests
{
    [TestMethod]
    public void The_icon_is_added_with_its_GUID_and_shown()
    {
        var tray = new TrayIconRegistration();

        Assert.AreEqual(new TrayIconDecision(TrayIconStep.Add, TrayIconIdentity.ByGuid, TrayIconReason.None), tray.Start());
        Assert.AreEqual(new TrayIconDecision(TrayIconStep.Shown, TrayIconIdentity.ByGuid, TrayIconReason.None), tray.AfterAdd(added: true, taskbarPresent: true));
        Assert.IsTrue(tray.IsShown);
    }

    [TestMethod]
    public void Before_the_taskbar_exists_the_tray_waits_for_it_and_then_adds_the_icon_with_its_GUID()
    {
        var tray = new TrayIconRegistration();
        tray.Start();

        TrayIconDecision early = tray.AfterAdd(added: false, taskbarPresent: false);
        Assert.AreEqual(new TrayIconDecision(TrayIconStep.WaitForTaskbar, TrayIconIdentity.ByGuid, TrayIconReason.NoTaskbarYet), early);
        Assert.IsFalse(tray.IsShown);

        Assert.AreEqual(new TrayIconDecision(TrayIconStep.Add, TrayIconIdentity.ByGuid, TrayIconReason.None), tray.TaskbarCreated());
        Assert.AreEqual(TrayIconStep.Shown, tray.AfterAdd(added: true, taskbarPresent: true).Step);
        Assert.AreEqual(TrayIconIdentity.ByGuid, tray.Identity);
    }

    [TestMethod]
    public void A_GUID_refused_while_the_taskbar_is_up_falls_back_to_an_icon_without_a_GUID_at_once()
    {
        var tray = new TrayIconRegistration();
        tray.Start();

        Assert.AreEqual(new TrayIconDecision(TrayIconStep.Add, TrayIconIdentity.ByWindowAndId, TrayIconReason.GuidRefused), tray.AfterAdd(added: false, taskbarPresent: true));
        Assert.AreEqual(new TrayIconDecision(TrayIconStep.Shown, TrayIconIdentity.ByWindowAndId, TrayIconReason.GuidRefused), tray.AfterAdd(added: true, taskbarPresent: true));
        Assert.IsTrue(tray.IsShown);
    }

    [TestMethod]
    public void At_logon_the_GUID_is_tried_again_when_the_taskbar_appears_and_only_then_dropped()
    {
        var tray = new TrayIconRegistration();
        tray.Start();
        Assert.AreEqual(TrayIconStep.WaitForTaskbar, tray.AfterAdd(added: false, taskbarPresent: false).Step);

        Assert.AreEqual(TrayIconIdentity.ByGuid, tray.TaskbarCreated().Identity);
        TrayIconDecision refused = tray.AfterAdd(added: false, taskbarPresent: true);

        Assert.AreEqual(new TrayIconDecision(TrayIconStep.Add, TrayIconIdentity.ByWindowAndId, TrayIconReason.GuidRefused), refused);
        Assert.AreEqual(TrayIconStep.Shown, tray.AfterAdd(added: true, taskbarPresent: true).Step);
    }

    [TestMethod]
    public void Once_the_GUID_was_refused_an_Explorer_restart_re_adds_the_icon_without_it()
    {
        var tray = new TrayIconRegistration();
        tray.Start();
        tray.AfterAdd(added: false, taskbarPresent: true);
        tray.AfterAdd(added: true, taskbarPresent: true);

        TrayIconDecision again = tray.TaskbarCreated();

        Assert.AreEqual(new TrayIconDecision(TrayIconStep.Add, TrayIconIdentity.ByWindowAndId, TrayIconReason.None), again);
        Assert.IsFalse(tray.IsShown, "The old taskbar took the icon with it.");
    }

    [TestMethod]
    public void An_Explorer_restart_re_adds_an_icon_shown_with_its_GUID_with_its_GUID()
    {
        var tray = new TrayIconRegistration();
        tray.Start();
        tray.AfterAdd(added: true, taskbarPresent: true);

        Assert.AreEqual(new TrayIconDecision(TrayIconStep.Add, TrayIconIdentity.ByGuid, TrayIconReason.None), tray.TaskbarCreated());
    }

    [TestMethod]
    public void A_shell_that_refuses_the_icon_without_a_GUID_too_is_waited_out_and_the_GUID_is_tried_first_next_time()
    {
        var tray = new TrayIconRegistration();
        tray.Start();
        tray.AfterAdd(added: false, taskbarPresent: true);

        TrayIconDecision refused = tray.AfterAdd(added: false, taskbarPresent: true);

        Assert.AreEqual(new TrayIconDecision(TrayIconStep.WaitForTaskbar, TrayIconIdentity.ByGuid, TrayIconReason.ShellRefused), refused);
        Assert.AreEqual(TrayIconIdentity.ByGuid, tray.TaskbarCreated().Identity, "The GUID was not what the shell refused.");
    }

    [TestMethod]
    public void Every_failure_ends_in_at_most_two_adds_before_waiting()
    {
        // Whatever the shell answers, the tray never spins: a run of refusals ends in WaitForTaskbar within two adds.
        foreach (bool taskbar in new[] { false, true })
        {
            var tray = new TrayIconRegistration();
            TrayIconDecision decision = tray.Start();
            int adds = 0;
            while (decision.Step == TrayIconStep.Add)
            {
                adds++;
                decision = tray.AfterAdd(added: false, taskbarPresent: taskbar);
            }

            Assert.AreEqual(TrayIconStep.WaitForTaskbar, decision.Step);
            Assert.IsLessThanOrEqualTo(2, adds);
        }
    }
}
