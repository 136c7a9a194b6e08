using System;
using System.Collections.Generic;
using System.IO;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using OutlookPlugin.Core.Addin;
using OutlookPlugin.Tests.Support;

namespace OutlookPlugin.Tests.Addin;

/// <summary>The stores a start expects back: remembered across restarts, forgotten after a month, never a StoreID on disk.</summary>
[TestClass]
public sealed class RememberedStoresTests
{
    private static readonly DateTime Monday = new(2026, 12, 7, 9, 0, 0, DateTimeKind.Utc);

    [TestMethod]
    public void A_store_seen_lately_is_missed_by_the_next_start_until_a_month_has_passed()
    {
        using var state = new StateFolder();
        var log = new ListLog();
        string mailbox = KnownMeetings.StoreKey("0000000038A1BB1005E5101AA1BB08002B2A56C20000454D534D44422E444C4C");
        string archive = KnownMeetings.StoreKey(@"C:\Users\ann\Documents\Outlook Files\Archive.pst");
        new RememberedStores(state.Path, log, () => Monday).Note(new[] { mailbox, archive });

        var withoutArchive = new HashSet<string> { mailbox };
        Assert.AreEqual(1, new RememberedStores(state.Path, log, () => Monday.AddDays(29)).Missing(withoutArchive), "the closed PST is expected back");
        var later = new RememberedStores(state.Path, log, () => Monday.AddDays(31));
        Assert.AreEqual(0, later.Missing(withoutArchive), "a month later it is not");
        later.Note(withoutArchive);
        Assert.AreEqual(0, new RememberedStores(state.Path, log, () => Monday).Missing(withoutArchive), "and it is forgotten on disk too");

        string written = File.ReadAllText(Path.Combine(state.Path, RememberedStores.FileName));
        Assert.DoesNotContain("Archive", written, "keys only, no path");
        Assert.IsEmpty(log.Entries);
    }

    [TestMethod]
    public void A_damaged_file_is_logged_and_read_as_empty()
    {
        using var state = new StateFolder();
        Directory.CreateDirectory(state.Path);
        File.WriteAllText(Path.Combine(state.Path, RememberedStores.FileName), "[{\"key\": 12");
        var log = new ListLog();

        var stores = new RememberedStores(state.Path, log, () => Monday);

        Assert.AreEqual(0, stores.Missing(new HashSet<string>()));
        Assert.HasCount(1, log.Entries);
        Assert.Contains("could not be read", log.Entries[0]);
    }
}
