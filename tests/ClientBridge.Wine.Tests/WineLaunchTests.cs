using System;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace ClientBridge.Wine.Tests;

/// <summary>Which failed runs are retried: only those Wine never started, never a program that ran and failed.</summary>
[TestClass]
public sealed class WineLaunchTests
{
    [TestMethod]
    public void Wines_own_refusal_and_a_silent_instant_exit_count_as_never_started_a_program_that_spoke_does_not()
    {
        Assert.IsTrue(WineLaunch.NeverStarted(1, "Application could not be started... ShellExecuteEx failed: Internal error.", TimeSpan.FromMilliseconds(42)));
        Assert.IsTrue(WineLaunch.NeverStarted(1, string.Empty, TimeSpan.FromMilliseconds(9)), "CI: exit 1 after 9 ms, nothing printed.");
        Assert.IsFalse(WineLaunch.NeverStarted(1, string.Empty, TimeSpan.FromMilliseconds(400)), "Slow enough to have run: not retried.");
        Assert.IsFalse(WineLaunch.NeverStarted(3, "No agent is running for this user.", TimeSpan.FromMilliseconds(20)), "It ran and said why.");
        Assert.IsFalse(WineLaunch.NeverStarted(0, string.Empty, TimeSpan.FromMilliseconds(5)), "Success is never retried.");
    }
}
