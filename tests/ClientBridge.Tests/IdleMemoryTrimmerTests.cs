using System;
using ClientBridge.Server;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace ClientBridge.Tests;

[TestClass]
public sealed class IdleMemoryTrimmerTests
{
    [TestMethod]
    public void Memory_is_trimmed_once_after_a_busy_spell_and_never_while_busy_or_always_idle()
    {
        var trimmer = new IdleMemoryTrimmer(TimeSpan.Zero);

        trimmer.Tick();
        Assert.AreEqual(0, trimmer.Trims, "Never busy: nothing to give back.");

        trimmer.NoteActivity();
        trimmer.Tick();
        Assert.AreEqual(0, trimmer.Trims, "Still busy at this tick.");

        trimmer.Tick();
        trimmer.Tick();
        Assert.AreEqual(1, trimmer.Trims, "Quiet after work: one trim, not one per tick.");

        trimmer.NoteActivity();
        trimmer.Tick();
        trimmer.Tick();
        Assert.AreEqual(2, trimmer.Trims);
    }

    [TestMethod]
    public void A_trim_waits_for_the_quiet_period()
    {
        var trimmer = new IdleMemoryTrimmer(TimeSpan.FromHours(1));

        trimmer.NoteActivity();
        trimmer.Tick();
        trimmer.Tick();

        Assert.AreEqual(0, trimmer.Trims);
    }
}
