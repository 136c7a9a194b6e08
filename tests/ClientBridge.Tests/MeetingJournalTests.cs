using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ClientBridge.Scheduling;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace ClientBridge.Tests;

[TestClass]
public sealed class MeetingJournalTests
{
    private string _folder = null!;

    [TestInitialize]
    public void MakeFolder() => _folder = Path.Combine(Path.GetTempPath(), "cbt-journal-" + Guid.NewGuid().ToString("N")[..8]);

    [TestCleanup]
    public void RemoveFolder() => Directory.Delete(_folder, recursive: true);

    [TestMethod]
    public void What_was_recorded_is_there_after_a_restart()
    {
        using (var journal = new MeetingJournal(_folder))
        {
            journal.Record(Entry("a", "m1"));
            journal.Record(Entry("b", "m2"));
            journal.RecordCancelled("jitsi", "m2");
        }

        using var reopened = new MeetingJournal(_folder);

        Assert.AreEqual("m1", reopened.Find("a")!.MeetingId);
        Assert.AreEqual(JournalState.Cancelled, reopened.Find("b")!.State);
        Assert.IsNull(reopened.Find("c"));
    }

    [TestMethod]
    public void A_line_torn_by_a_crash_is_skipped_and_everything_before_it_kept()
    {
        using (var journal = new MeetingJournal(_folder))
        {
            journal.Record(Entry("a", "m1"));
        }

        File.AppendAllText(Path.Combine(_folder, MeetingJournal.FileName), "{\"requestId\":\"b\",\"prov");

        using var reopened = new MeetingJournal(_folder);
        reopened.Record(Entry("c", "m3"));

        Assert.AreEqual(1, reopened.SkippedLines);
        Assert.AreEqual("m1", reopened.Find("a")!.MeetingId);
        Assert.AreEqual("m3", reopened.Find("c")!.MeetingId);
    }

    [TestMethod]
    public void What_is_written_after_a_torn_line_survives_the_next_restart()
    {
        using (var journal = new MeetingJournal(_folder))
        {
            journal.Record(Entry("a", "m1"));
        }

        File.AppendAllText(Path.Combine(_folder, MeetingJournal.FileName), "{\"requestId\":\"b\",\"prov");
        using (var afterCrash = new MeetingJournal(_folder))
        {
            afterCrash.Record(Entry("c", "m3"));
        }

        using var reopened = new MeetingJournal(_folder);

        Assert.AreEqual("m3", reopened.Find("c")?.MeetingId, "The line after the torn one must not be glued to it and lost.");
        Assert.AreEqual(1, reopened.SkippedLines);
    }

    [TestMethod]
    public void A_pending_cancellation_is_kept_across_restarts_until_it_is_done_and_the_file_stays_small()
    {
        var at = new DateTimeOffset(2027, 1, 4, 9, 0, 0, TimeSpan.Zero);
        using (var journal = new MeetingJournal(_folder))
        {
            journal.RecordCancelPending(new PendingCancel("zoom", "m1", null, at));
            journal.RecordCancelPending(new PendingCancel("zoom", "m1", null, at.AddHours(1)));
            journal.RecordCancelPending(new PendingCancel("zoom", "m2", at, at));
            for (int i = 0; i < 500; i++)
            {
                var passing = new PendingCancel("zoom", "x" + i, null, at);
                journal.RecordCancelPending(passing);
                journal.RecordCancelDone(passing);
            }
        }

        using var reopened = new MeetingJournal(_folder);
        IReadOnlyList<PendingCancel> pending = reopened.PendingCancels();

        Assert.HasCount(2, pending, "One per meeting or occurrence; the made ones are gone.");
        Assert.AreEqual(at, pending.Single(p => p.MeetingId == "m1").Since, "Asked twice, kept once, from the first time.");
        Assert.AreEqual(at, pending.Single(p => p.MeetingId == "m2").Occurrence);
        Assert.IsLessThan(120, File.ReadAllLines(Path.Combine(_folder, MeetingJournal.PendingCancelsFileName)).Length, "Rewritten as it grows.");
    }

    [TestMethod]
    public void The_file_is_compacted_as_it_grows_and_loses_nothing()
    {
        using (var journal = new MeetingJournal(_folder))
        {
            for (int i = 0; i < 3000; i++)
            {
                journal.Record(Entry("same", $"m{i}"));
            }

            journal.Record(Entry("other", "x"));
        }

        string[] lines = File.ReadAllLines(Path.Combine(_folder, MeetingJournal.FileName));
        using var reopened = new MeetingJournal(_folder);

        Assert.IsLessThan(1100, lines.Length);
        Assert.AreEqual("m2999", reopened.Find("same")!.MeetingId);
        Assert.AreEqual("x", reopened.Find("other")!.MeetingId);
    }

    [TestMethod]
    [OSCondition(OperatingSystems.Linux | OperatingSystems.OSX)]
    public void Only_the_user_can_read_the_journal()
    {
        using var journal = new MeetingJournal(_folder);
        journal.Record(Entry("a", "m1"));

#pragma warning disable CA1416 // Guarded by the OS condition above.
        UnixFileMode mode = File.GetUnixFileMode(Path.Combine(_folder, MeetingJournal.FileName));
#pragma warning restore CA1416

        Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
    }

    private static JournalEntry Entry(string requestId, string meetingId) =>
        new(requestId, "jitsi", meetingId, JournalState.Created, DateTimeOffset.UtcNow);
}
