using System;
using System.Linq;
using System.Threading.Tasks;
using LifecycleSoak;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using OutlookPlugin.Tests.Support;

namespace OutlookPlugin.Tests.Addin;

/// <summary>
/// The lifecycle soak (tests/LifecycleSoak, run at scale by <c>Benchmarks lifecycle</c>) with a fixed seed: randomized
/// histories of what a user does, against the add-in's real code, the fake Outlook's Exchange behaviour, the real agent
/// and the Zoom emulator, with 5 % of the add-in's object-model calls failing transiently. The oracle's five counters
/// must all be 0, and the add-in must hold no reference after Outlook closes. A failing history prints as
/// <c>seed=S: Kind(t,a) …</c>, which <see cref="History.Parse"/> reads back;
/// <see cref="Minimal_histories_of_the_add_in_bugs_the_soak_found"/> replays the smallest ones found, without faults.
/// </summary>
[TestClass]
public sealed class LifecycleSoakTests
{
    private const int Seed = 1;
    private const double FaultRate = 0.05;

    [TestMethod]
    [Timeout(600_000, CooperativeCancellation = true)]
    public async Task Three_hundred_random_histories_leave_no_wrong_missed_stale_duplicate_or_orphaned_meeting_and_no_reference_held()
    {
        var leaks = new System.IO.StringWriter();
        SoakResult result = await SoakRunner.RunAsync(300, Seed, FaultRate, progress: leaks);

        Assert.AreEqual(300, result.Histories);
        Assert.IsTrue(result.IsClean, Describe(result));

        // A reference kept past Outlook's close is a bug even when no meeting suffered from it in these histories: a held
        // recurring master shows every later reference an out-of-date copy (FACTS §2.4, §10; soak seed 6989).
        Assert.AreEqual(0, result.LeakedReferences, leaks.ToString());
    }

    /// <summary>
    /// The smallest histories that show each add-in bug the soak found, without faults, so that each fails the same way
    /// every time. Each names the oracle's counter it breaks.
    /// </summary>
    [TestMethod]
    [DataRow("seed=1: AddSingle(0,1) MoveToPst(0,0)", DisplayName = "moved to a PST: wrong_cancels=1")]
    [DataRow("seed=2: AddSingle(0,1) Delete(0,0) Restore(0,0)", DisplayName = "deleted, then restored: wrong_cancels=1")]
    [DataRow("seed=3: AddSingle(0,1) MoveToOtherCalendar(0,0) Retime(0,1)", DisplayName = "retimed in another calendar: stale_links=1")]
    [DataRow("seed=4: AddSingle(0,1) MoveToOtherCalendar(0,0) HardDelete(0,0)", DisplayName = "Shift+Del in another calendar: missed_cancels=1")]
    [DataRow("seed=5: AddSingle(0,1) LoseNetwork(0,2) HardDelete(0,0) RestartOutlook(0,0)", DisplayName = "Shift+Del while the network is lost, to the end: missed_cancels=1 (the soak judged before the last start's reconciliation; a race, about 1 run in 8)")]
    [DataRow("seed=5: AddSingle(0,1) MoveToOtherCalendar(0,0) Copy(0,0) Retime(0,1)", DisplayName = "copied after a move, original retimed: stale_links=1")]
    public async Task Minimal_histories_of_the_add_in_bugs_the_soak_found(string history)
    {
        SoakResult result = await SoakRunner.ReplayAsync([History.Parse(history)], faultRate: 0, progress: null);

        Assert.IsTrue(result.IsClean, Describe(result));
    }

    /// <summary>
    /// The soak's commonest finding, orphans, pinned to one transient fault: the agent made the meeting, and writing
    /// its answer into the open window fails once (the window's Word editor, MAPI_E_NETWORK_ERROR). Found by the soak
    /// under 5 % faults; this fault alone is enough.
    /// </summary>
    [TestMethod]
    public async Task A_transient_fault_while_writing_the_answer_leaves_no_meeting_without_an_appointment()
    {
        await using AddinRig rig = await AddinRig.StartAsync(zoom: true);
        await rig.WarmUpZoomAsync();
        FakeOutlook.FakeAppointmentItem item = rig.Outlook.AddAppointment(FakeOutlook.AppointmentSpec.Single("Unlucky", AddinRig.Tomorrow9, 30));
        rig.Outlook.Faults.FailNext(1, "WordEditor");

        await rig.AddMeetingAsync(item);

        Assert.AreEqual(1, rig.Outlook.Faults.Injected);
        bool tagged = rig.Outlook.Snapshot(item).NamedProperties.ContainsKey(OutlookPlugin.Core.ObjectModel.MeetingTags.MeetingId);
        Assert.AreEqual(tagged ? 1 : 0, rig.Zoom!.Meetings.Count(m => m.Topic == "Unlucky"), "a meeting exists exactly when the appointment carries it");
    }

    [TestMethod]
    public async Task A_history_the_add_in_gets_right_is_judged_clean()
    {
        // Add, retime, change the recurrence, move to another folder of the mailbox and back, delete, empty Deleted Items.
        SoakResult result = await SoakRunner.ReplayAsync(
            [History.Parse("seed=9: AddWeekly(0,1) Retime(0,2) ChangeRecurrence(0,4) Copy(0,0) Delete(1,0) EmptyDeletedItems(0,0) RestartOutlook(0,0) Delete(0,0) EmptyDeletedItems(0,0)")],
            faultRate: 0,
            progress: null);

        Assert.AreEqual(0, result.Skipped);
        Assert.IsTrue(result.IsClean, Describe(result));
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

    private static string Describe(SoakResult result) =>
        "wrong_cancels=" + result.WrongCancels + " missed_cancels=" + result.MissedCancels + " stale_links=" + result.StaleLinks
        + " duplicates=" + result.Duplicates + " orphans=" + result.Orphans + " errors=" + result.Errors + Environment.NewLine
        + string.Join(Environment.NewLine, result.Failed.Take(10).Select(f => f.History + Environment.NewLine + "    " + string.Join(Environment.NewLine + "    ", f.Findings)));
}
