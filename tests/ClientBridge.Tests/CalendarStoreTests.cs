using System.Collections.Generic;
using System.Linq;
using ClientBridge.Calendar;
using ClientBridge.Protocol;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace ClientBridge.Tests;

[TestClass]
public sealed class CalendarStoreTests
{
    [TestMethod]
    public void A_snapshot_replaces_everything_and_a_delta_amends_it()
    {
        var store = new CalendarStore();
        var changes = new List<CalendarChanged>();
        store.Changed += (_, c) => changes.Add(c);

        store.Replace(new CalendarSnapshot { Items = [BridgeTests.Item("a"), BridgeTests.Item("b")] });
        CalendarAck ack = store.Apply(new CalendarDelta { Upserted = [BridgeTests.Item("c"), BridgeTests.Item("a", "Moved")], RemovedIds = ["b", "never-there"] });

        CollectionAssert.AreEquivalent(new[] { "a", "c" }, store.Items().Select(i => i.Id).ToArray());
        Assert.AreEqual("Moved", store.Items().Single(i => i.Id == "a").Subject);
        Assert.AreEqual((2, 2L), (ack.ItemCount, ack.Revision));
        CollectionAssert.AreEqual(new[] { 1L, 2L }, changes.Select(c => c.Revision).ToArray(), "One event per change, in order.");
    }

    [TestMethod]
    public void A_delta_with_one_bad_item_changes_nothing()
    {
        var store = new CalendarStore();
        store.Replace(new CalendarSnapshot { Items = [BridgeTests.Item("a")] });
        CalendarItem backwards = BridgeTests.Item("b");
        backwards.End = backwards.Start.AddMinutes(-5);

        var error = Assert.ThrowsExactly<BridgeException>(() => store.Apply(new CalendarDelta { Upserted = [BridgeTests.Item("c"), backwards], RemovedIds = ["a"] }));

        Assert.AreEqual(ErrorCodes.BadRequest, error.Code);
        CollectionAssert.AreEqual(new[] { "a" }, store.Items().Select(i => i.Id).ToArray());
        Assert.AreEqual(1, store.Revision);
    }

    [TestMethod]
    public void An_item_without_an_id_is_refused()
    {
        var store = new CalendarStore();

        Assert.ThrowsExactly<BridgeException>(() => store.Replace(new CalendarSnapshot { Items = [BridgeTests.Item("")] }));
        Assert.AreEqual(0, store.Count);
    }
}
