using System;
using System.Linq;
using System.Threading.Tasks;
using LifecycleSoak;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace OutlookPlugin.Tests.Addin;

/// <summary>
/// The lifecycle soak (tests/LifecycleSoak, run at scale by <c>Benchmarks lifecycle</c>) with a fixed seed: randomized
/// histories of what a user does, against the add-in's real code, the fake Outlook's Exchange behaviour, the real agent
/// and the Zoom emulator, with 5 % of the add-in's object-model calls failing transiently. The oracle's five counters
/// must all be 0. A failing history prints as <c>seed=S: Kind(t,a) …</c>, which <see cref="History.Parse"/> reads back
/// for a replay.
/// </summary>
[TestClass]
public sealed class LifecycleSoakTests
{
    private const int Seed = 1;
    private const double FaultRate = 0.05;

    [TestMethod]
    [Timeout(600_000, CooperativeCancellation = true)]
    public async Task Three_hundred_random_histories_leave_no_wrong_missed_stale_duplicate_or_orphaned_meeting()
    {
        SoakResult result = await SoakRunner.RunAsync(300, Seed, FaultRate, progress: null);

        Assert.AreEqual(300, result.Histories);
        Assert.IsTrue(
            result.IsClean,
            "wrong_cancels=" + result.WrongCancels + " missed_cancels=" + result.MissedCancels + " stale_links=" + result.StaleLinks
            + " duplicates=" + result.Duplicates + " orphans=" + result.Orphans + " errors=" + result.Errors + Environment.NewLine
            + string.Join(Environment.NewLine, result.Failed.Take(10).Select(f => f.History + Environment.NewLine + "    " + string.Join(Environment.NewLine + "    ", f.Findings))));
    }

    [TestMethod]
    public void A_history_prints_as_text_that_parses_back_to_the_same_operations()
    {
        History history = History.Generate(12345);
        History again = History.Parse(history.ToString());

        Assert.AreEqual(history.Seed, again.Seed);
        CollectionAssert.AreEqual(history.Operations.ToList(), again.Operations.ToList());
        Assert.AreEqual(history.ToString(), History.Generate(12345).ToString(), "the same seed, the same history");
    }
}
