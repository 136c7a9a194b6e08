using System;
using FakeOutlook;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace OutlookPlugin.Tests.FakeOutlookTests;

/// <summary>
/// The fake behaves as an Exchange mailbox does, in the worst way Microsoft's documentation allows (FACTS §2.2, §2.4,
/// §10): what a caller of the object model observes.
/// </summary>
[TestClass]
public sealed class ExchangeBehaviourTests
{
    private static readonly DateTime Now = new(2025, 3, 3, 8, 0, 0); // Monday, UTC

    private static FakeOutlookHost NewHost() => new(new FakeOutlookOptions
    {
        Clock = () => Now,
        RegionalSettings = FakeOutlookOptions.EnglishUnitedStates,
        Directory = new[] { new DirectoryEntry("Alice Example", "alice@example.com"), new DirectoryEntry("Bob Example", "bob@example.com") },
    });

    [TestMethod]
    public void The_default_store_and_shared_calendars_are_Exchange_mailboxes_and_a_PST_can_be_added()
    {
        using FakeOutlookHost host = NewHost();
        FakeFolder shared = host.AddSharedCalendar("Bea Boss", "bea.boss@example.com");
        FakeFolder pst = host.AddPstCalendar("Archive");

        var (mine, mineIsFile, mineId, mineStoreId, pstType, pstIsFile, pstId, pstStoreId, sharedStore, sharedId) = host.Thread.Invoke(() =>
        {
            object ns = Late.Get(host.Application, "Session")!;
            object calendar = Late.Call(ns, "GetDefaultFolder", 9)!;
            object store = Late.Get(calendar, "Store")!;
            object pstStore = Late.Get(pst, "Store")!;
            return (Late.Get<int>(store, "ExchangeStoreType"), Late.Get<bool>(store, "IsDataFileStore"), Late.Get<string>(calendar, "StoreID"), Late.Get<string>(store, "StoreID"),
                Late.Get<int>(pstStore, "ExchangeStoreType"), Late.Get<bool>(pstStore, "IsDataFileStore"), Late.Get<string>(pst, "StoreID"), Late.Get<string>(pstStore, "StoreID"),
                Late.Get(shared, "Store"), Late.Get<string>(shared, "StoreID"));
        });

        Assert.AreEqual(0, mine, "olPrimaryExchangeMailbox");
        Assert.IsFalse(mineIsFile);
        Assert.AreEqual(mineStoreId, mineId, "a folder's StoreID is its store's");
        Assert.AreEqual(3, pstType, "olNotExchange");
        Assert.IsTrue(pstIsFile);
        Assert.AreEqual(pstStoreId, pstId);
        Assert.IsNull(sharedStore, "a shared default folder has no Store (FACTS §2.1)");
        Assert.IsFalse(string.IsNullOrEmpty(sharedId), "but it has a StoreID to open its items with");
        CollectionAssert.AllItemsAreUnique(new[] { mineId, pstId, sharedId });
        Assert.AreEqual(FakeStoreKind.Exchange, host.Calendar.StoreKind);
        Assert.AreEqual(FakeStoreKind.Pst, pst.StoreKind);
    }
}
