using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using OutlookPlugin.Core.Addin;
using OutlookPlugin.Core.ObjectModel;
using OutlookPlugin.Core.Rules;
using OutlookPlugin.Tests.Support;

namespace OutlookPlugin.Tests.Addin;

/// <summary>The add-in's plumbing inside Outlook's process: its ribbons and its timers (issue 13, point 10).</summary>
[TestClass]
public sealed class AddinPlumbingTests
{
    [TestMethod]
    public void Both_ribbons_are_invalidated_and_released_not_only_the_last_loaded()
    {
        var invalidated = new List<string>();
        var released = new List<string>();
        var ribbons = new LoadedRibbons<string>(invalidated.Add, released.Add);
        var log = new ListLog();

        ribbons.Loaded(OutlookIds.Addin.RibbonExplorer, "explorer");
        ribbons.Loaded(OutlookIds.Addin.RibbonAppointment, "appointment");
        ribbons.InvalidateAll(log);

        CollectionAssert.AreEquivalent(new[] { "explorer", "appointment" }, invalidated);

        ribbons.Loaded(OutlookIds.Addin.RibbonAppointment, "appointment again");
        CollectionAssert.AreEqual(new[] { "appointment" }, released, "a second load of one id releases the first");

        ribbons.ReleaseAll(log);
        CollectionAssert.AreEquivalent(new[] { "appointment", "explorer", "appointment again" }, released);
        Assert.AreEqual(0, ribbons.Count);
    }

    [TestMethod]
    public void A_ribbon_that_fails_to_invalidate_does_not_stop_the_other()
    {
        var invalidated = new List<string>();
        var ribbons = new LoadedRibbons<string>(r => invalidated.Add(r == "gone" ? throw new InvalidOperationException() : r), _ => { });
        var log = new ListLog();
        ribbons.Loaded(OutlookIds.Addin.RibbonExplorer, "gone");
        ribbons.Loaded(OutlookIds.Addin.RibbonAppointment, "appointment");

        ribbons.InvalidateAll(log);

        CollectionAssert.AreEqual(new[] { "appointment" }, invalidated);
        Assert.HasCount(1, log.Entries);
    }

    [TestMethod]
    public void Each_ribbon_XML_names_its_own_load_callback()
    {
        StringAssert.Contains(RibbonController.GetCustomUI(OutlookIds.Addin.RibbonExplorer), "onLoad=\"" + RibbonController.ExplorerLoadCallback + "\"");
        StringAssert.Contains(RibbonController.GetCustomUI(OutlookIds.Addin.RibbonAppointment), "onLoad=\"" + RibbonController.AppointmentLoadCallback + "\"");
    }

    [TestMethod]
    public void Ribbon_pictures_keep_their_transparency_premultiplied_as_Office_draws_a_32_bit_bitmap()
    {
        byte[] straight =
        [
            200, 200, 200, 0, // transparent: GetHbitmap made this light grey
            0x2D, 0x6C, 0xDF, 255, // opaque blue
            255, 255, 255, 128, // half-transparent white (an anti-aliased edge)
        ];

        byte[] pixels = RibbonPixels.Premultiply(straight);

        CollectionAssert.AreEqual(new byte[] { 0, 0, 0, 0 }, pixels.Take(4).ToArray(), "nothing shows through as grey");
        CollectionAssert.AreEqual(straight.Skip(4).Take(4).ToArray(), pixels.Skip(4).Take(4).ToArray());
        CollectionAssert.AreEqual(new byte[] { 128, 128, 128, 128 }, pixels.Skip(8).ToArray());
        Assert.ThrowsExactly<ArgumentException>(() => RibbonPixels.Premultiply([1, 2, 3]));
    }

    [TestMethod]
    public void Table_arrays_are_read_in_either_layout_the_documentation_allows()
    {
        // Rows first, as Microsoft's VBA sample reads them; columns first, as the page's text says (FACTS §2.3).
        object?[,] rowsFirst = { { "a", 1, true }, { "b", 2, false } };
        object?[,] columnsFirst = { { "a", "b" }, { 1, 2 }, { true, false } };

        foreach (object?[,] array in new[] { rowsFirst, columnsFirst })
        {
            List<object?[]> rows = TableRows.FromArray(array, columns: 3)!;
            Assert.HasCount(2, rows);
            CollectionAssert.AreEqual(new object?[] { "b", 2, false }, rows[1]);
        }

        Assert.IsNull(TableRows.FromArray(new object?[3, 3], columns: 3), "as many rows as columns cannot be told apart");
        Assert.IsNull(TableRows.FromArray("not an array", columns: 3));
        Assert.IsEmpty(TableRows.FromArray(new object?[3, 0], columns: 3)!);
        Assert.AreEqual(17, TableRows.BatchSize(remaining: 18, columns: 18), "never a square");
        Assert.AreEqual(7, TableRows.BatchSize(remaining: 7, columns: 18), "never more than remain");
        Assert.AreEqual(TableRows.PerCall, TableRows.BatchSize(remaining: 10_000, columns: 18));
    }

    [TestMethod]
    public async Task A_timer_callback_that_throws_is_logged_and_the_process_lives_on()
    {
        // On a pool thread an unhandled exception ends the process: inside Outlook, Outlook's. Before the guard, this
        // test ended the test run.
        var log = new ListLog();
        int fired = 0;
        using IAddinTimer timer = AddinClock.System.StartTimer(
            () =>
            {
                Interlocked.Increment(ref fired);
                throw new InvalidOperationException("posted after Outlook's message loop had gone");
            },
            TimeSpan.Zero,
            Timeout.InfiniteTimeSpan,
            log);

        await AddinRig.WaitUntilAsync(() => log.Entries.Count > 0, "the failure in the log");

        Assert.AreEqual(1, fired);
        StringAssert.Contains(log.Entries.Single(), "InvalidOperationException");
        Assert.DoesNotContain("message loop", log.Entries.Single(), "the message is not logged: Outlook's can quote content");
    }
}
