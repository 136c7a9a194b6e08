using System;
using System.IO;
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
