using System;
using System.Linq;
using System.Runtime.InteropServices;
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
    private static readonly DateTime Tuesday10 = new(2025, 3, 4, 10, 0, 0);

    private static FakeOutlookHost NewHost() => new(new FakeOutlookOptions
    {
        Clock = () => Now,
        RegionalSettings = FakeOutlookOptions.EnglishUnitedStates,
        Directory = new[] { new DirectoryEntry("Alice Example", "alice@example.com"), new DirectoryEntry("Bob Example", "bob@example.com") },
    });

    private static string EntryId(FakeOutlookHost host, FakeAppointmentItem item) => host.Thread.Invoke(() => Late.Get<string>(item, "EntryID"));

    private static string GlobalId(FakeOutlookHost host, FakeAppointmentItem item) => host.Thread.Invoke(() => Late.Get<string>(item, "GlobalAppointmentID"));

    private static int HResultOf(Action call)
    {
        try
        {
            call();
        }
        catch (COMException e)
        {
            return e.HResult;
        }

        return 0;
    }

    [TestMethod]
    public void An_automapped_mailbox_has_a_Store_and_only_its_owner_property_says_whose_it_is()
    {
        using FakeOutlookHost host = NewHost();
        FakeFolder boss = host.AddAutomappedMailbox("Bea Boss", "bea.boss@example.com");
        FakeFolder pst = host.AddPstCalendar("Archive");

        var (type, listed, sameAsMine, sameAsOwner, pstError) = host.Thread.Invoke(() =>
        {
            object ns = Late.Get(host.Application, "Session")!;
            object store = Late.Get(boss, "Store")!;
            object stores = Late.Get(ns, "Stores")!;
            bool inProfile = Enumerable.Range(1, Late.Get<int>(stores, "Count")).Any(i => Late.Get<string>(Late.Call(stores, "Item", i)!, "StoreID") == Late.Get<string>(store, "StoreID"));
            string owner = Convert.ToHexString((byte[])Late.Call(Late.Get(store, "PropertyAccessor")!, "GetProperty", "http://schemas.microsoft.com/mapi/proptag/0x661B0102")!);
            string me = Late.Get<string>(Late.Get(Late.Get(ns, "CurrentUser")!, "AddressEntry")!, "ID");
            object item = Late.Call(Late.Get(boss, "Items")!, "Add", 1)!;
            string organizer = Late.Get<string>(Late.Call(item, "GetOrganizer")!, "ID");
            int error = 0;
            try
            {
                Late.Call(Late.Get(Late.Get(pst, "Store")!, "PropertyAccessor")!, "GetProperty", "http://schemas.microsoft.com/mapi/proptag/0x661B0102");
            }
            catch (COMException e)
            {
                error = e.HResult;
            }

            return (Late.Get<int>(store, "ExchangeStoreType"), inProfile, (bool)Late.Call(ns, "CompareEntryIDs", owner, me)!, (bool)Late.Call(ns, "CompareEntryIDs", owner, organizer)!, error);
        });

        Assert.AreEqual(4, type, "olAdditionalExchangeMailbox");
        Assert.IsTrue(listed, "an ordinary store of the profile");
        Assert.IsFalse(sameAsMine, "its owner is not the signed-in user");
        Assert.IsTrue(sameAsOwner, "an item made there is organised by the mailbox's owner");
        Assert.AreEqual(FakeHResults.NotFound, pstError, "a PST has no owner");
    }

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

    [TestMethod]
    public void A_stores_root_folder_lists_that_stores_folders_only_and_a_second_calendar_is_one_of_them()
    {
        using FakeOutlookHost host = NewHost();
        FakeFolder project = host.AddCalendarFolder("Project");
        host.AddPstCalendar("Archive");

        var (names, calendars) = host.Thread.Invoke(() =>
        {
            object ns = Late.Get(host.Application, "Session")!;
            object calendar = Late.Call(ns, "GetDefaultFolder", 9)!;
            object root = Late.Call(Late.Get(calendar, "Store")!, "GetRootFolder")!;
            object folders = Late.Get(root, "Folders")!;
            int count = Late.Get<int>(folders, "Count");
            var all = Enumerable.Range(1, count).Select(i => Late.Call(folders, "Item", i)!).ToList();
            return (all.Select(f => Late.Get<string>(f, "Name")).ToList(), all.Count(f => Late.Get<int>(f, "DefaultItemType") == 1));
        });

        CollectionAssert.Contains(names, "Calendar");
        CollectionAssert.Contains(names, "Project");
        CollectionAssert.Contains(names, "Deleted Items");
        Assert.AreEqual(2, calendars, "the default calendar and the second one; the PST's calendar is in another store");
        Assert.AreEqual(FakeStoreKind.Exchange, project.StoreKind);
    }

    [TestMethod]
    public void On_Exchange_every_move_gives_the_item_a_new_EntryID_and_keeps_its_GlobalAppointmentID()
    {
        using FakeOutlookHost host = NewHost();
        FakeFolder shared = host.AddSharedCalendar("Bea Boss", "bea.boss@example.com");
        FakeFolder pst = host.AddPstCalendar("Archive");
        FakeAppointmentItem item = host.AddAppointment(AppointmentSpec.Single("x", Tuesday10));
        string globalId = GlobalId(host, item);
        string inCalendar = EntryId(host, item);

        host.AsUser(_ => item.Delete());
        string inDeletedItems = EntryId(host, item);
        host.AsUser(_ => item.Move(host.Calendar));
        string restored = EntryId(host, item);
        host.AsUser(_ => item.Move(shared));
        string inShared = EntryId(host, item);
        host.AsUser(_ => item.Move(pst));
        string inPst = EntryId(host, item);

        CollectionAssert.AllItemsAreUnique(new[] { inCalendar, inDeletedItems, restored, inShared, inPst }, "Delete, restore and each Move give a new EntryID");
        Assert.AreEqual(inPst, host.Snapshot(item).EntryId);
        Assert.AreEqual("Calendar in Archive", host.Snapshot(item).FolderName);
        Assert.AreEqual(globalId, GlobalId(host, item), "GlobalAppointmentID never changes on a move");
        Assert.AreEqual(FakeHResults.NotFound, HResultOf(() => host.Thread.Invoke(() =>
            Late.Call(Late.Get(host.Application, "Session")!, "GetItemFromID", inCalendar, Type.Missing))), "the old EntryID opens nothing");
    }

    [TestMethod]
    public void In_a_PST_an_item_keeps_its_EntryID_within_the_store_and_gets_a_new_one_when_it_leaves()
    {
        using FakeOutlookHost host = NewHost();
        FakeFolder pst = host.AddPstCalendar("Archive");
        FakeAppointmentItem item = host.AddAppointment(AppointmentSpec.Single("x", Tuesday10), pst);
        string globalId = GlobalId(host, item);
        string first = EntryId(host, item);

        host.AsUser(_ => item.Delete());
        string deleted = EntryId(host, item);
        string deletedFolder = host.Snapshot(item).FolderName;
        host.AsUser(_ => item.Move(pst));
        string restored = EntryId(host, item);
        host.AsUser(_ => item.Move(host.Calendar));
        string inMailbox = EntryId(host, item);

        Assert.AreEqual("Deleted Items in Archive", deletedFolder, "a PST has its own Deleted Items");
        Assert.AreEqual(first, deleted);
        Assert.AreEqual(first, restored);
        Assert.AreNotEqual(first, inMailbox, "a move to another store gives a new EntryID");
        Assert.AreEqual(globalId, GlobalId(host, item));
    }

    [TestMethod]
    public void Each_store_answers_for_its_own_Deleted_Items()
    {
        // VBA Store.GetDefaultFolder page (FACTS §2.2): the store's default folder of the type, or Null if it has none.
        using FakeOutlookHost host = NewHost();
        FakeFolder pst = host.AddPstCalendar("Archive");

        string? DeletedItemsOf(FakeFolder calendar) => host.Thread.Invoke(() =>
        {
            object? store = Late.Get(calendar, "Store");
            return store is null || Late.Call(store, "GetDefaultFolder", 3) is not { } folder ? null : (string?)Late.Get(folder, "FolderPath");
        });

        Assert.AreEqual(host.Thread.Invoke(() => (string?)Late.Get(host.DeletedItems, "FolderPath")), DeletedItemsOf(host.Calendar), "the mailbox's");
        Assert.AreNotEqual(DeletedItemsOf(host.Calendar), DeletedItemsOf(pst), "the PST's own");
        Assert.IsNotNull(DeletedItemsOf(pst));
    }

    [TestMethod]
    public void A_shared_calendar_whose_owner_stopped_sharing_it_fails_every_call_with_no_access()
    {
        // What a held shared folder answers once the permission is gone is not documented (FACTS §10, unchecked): the
        // worst case, MAPI_E_NO_ACCESS (E_ACCESSDENIED) on every call, the code GetSharedDefaultFolder gives without it.
        using FakeOutlookHost host = NewHost();
        FakeFolder shared = host.AddSharedCalendar("Bea Boss", "bea.boss@example.com");
        host.AddAppointment(AppointmentSpec.Single("hers", Tuesday10), shared);

        host.WithdrawSharing(shared, "bea.boss@example.com");

        host.Thread.Invoke(() =>
        {
            object ns = Late.Get(host.Application, "Session")!;
            object recipient = Late.Call(ns, "CreateRecipient", "bea.boss@example.com")!;
            Late.Call(recipient, "Resolve");
            Assert.AreEqual(FakeHResults.NoAccess, HResultOf(() => Late.Get(shared, "Items")), "the held folder refuses its items");
            Assert.AreEqual(FakeHResults.NoAccess, HResultOf(() => Late.Get(shared, "StoreID")), "and everything else");
            Assert.AreEqual(FakeHResults.NoAccess, HResultOf(() => Late.Call(ns, "GetSharedDefaultFolder", recipient, 9)), "it cannot be opened again");
        });
    }

    [TestMethod]
    public void A_closed_PST_leaves_the_profile_and_its_items_answer_as_if_deleted_until_it_is_opened_again()
    {
        // VBA NameSpace.RemoveStore page: the store leaves the profile, not the disk. What its items answer meanwhile is
        // not documented: the worst case, MAPI_E_NOT_FOUND, the answer for an item deleted; held folders fail every call.
        using FakeOutlookHost host = NewHost();
        FakeFolder pst = host.AddPstCalendar("Archive");
        FakeAppointmentItem archived = host.AddAppointment(AppointmentSpec.Single("archived", Tuesday10), pst);
        (string entryId, string storeId) = host.Thread.Invoke(() => (Late.Get<string>(archived, "EntryID"), Late.Get<string>(pst, "StoreID")));
        int StoreCount() => host.Thread.Invoke(() => Late.Get<int>(Late.Get(Late.Get(host.Application, "Session")!, "Stores")!, "Count"));
        int open = StoreCount();

        host.ClosePstAsUserAsync(pst).GetAwaiter().GetResult();

        Assert.AreEqual(open - 1, StoreCount(), "the PST left NameSpace.Stores");
        host.Thread.Invoke(() =>
        {
            object ns = Late.Get(host.Application, "Session")!;
            Assert.AreEqual(FakeHResults.NotFound, HResultOf(() => Late.Call(ns, "GetItemFromID", entryId, storeId)), "its item answers as if deleted");
            Assert.AreEqual(FakeHResults.Fail, HResultOf(() => Late.Get(pst, "Items")), "a held folder of it fails");
        });

        host.ReopenPstAsUserAsync(pst).GetAwaiter().GetResult();
        Assert.AreEqual(open, StoreCount());
        Assert.AreEqual("archived", host.Thread.Invoke(() =>
        {
            object ns = Late.Get(host.Application, "Session")!;
            return Late.Get<string>(Late.Call(ns, "GetItemFromID", entryId, storeId)!, "Subject");
        }), "the same file brings the item back at its address");
    }

    [TestMethod]
    public void GetItemFromID_opens_an_item_outside_the_default_store_only_with_that_stores_StoreID()
    {
        using FakeOutlookHost host = NewHost();
        FakeFolder shared = host.AddSharedCalendar("Bea Boss", "bea.boss@example.com");
        FakeFolder pst = host.AddPstCalendar("Archive");
        FakeAppointmentItem mine = host.AddAppointment(AppointmentSpec.Single("mine", Tuesday10));
        FakeAppointmentItem deleted = host.AddAppointment(AppointmentSpec.Single("deleted", Tuesday10));
        FakeAppointmentItem boss = host.AddAppointment(AppointmentSpec.Single("boss", Tuesday10), shared);
        FakeAppointmentItem archived = host.AddAppointment(AppointmentSpec.Single("archived", Tuesday10), pst);
        host.AsUser(_ => deleted.Delete());

        host.Thread.Invoke(() =>
        {
            object ns = Late.Get(host.Application, "Session")!;
            object calendar = Late.Call(ns, "GetDefaultFolder", 9)!;
            string myStore = Late.Get<string>(calendar, "StoreID");
            string bossStore = Late.Get<string>(shared, "StoreID");
            string pstStore = Late.Get<string>(pst, "StoreID");
            var ids = new[] { mine, deleted, boss, archived }.ToDictionary(i => i, i => Late.Get<string>(i, "EntryID"));
            string Subject(FakeAppointmentItem item, object? store)
            {
                object opened = Late.Call(ns, "GetItemFromID", ids[item], store)!;
                string subject = Late.Get<string>(opened, "Subject");
                Late.Release(opened);
                return subject;
            }

            int Fails(FakeAppointmentItem item, object? store) => HResultOf(() => Subject(item, store));

            foreach (object? none in new object?[] { Type.Missing, null, "" })
            {
                Assert.AreEqual("mine", Subject(mine, none), "the default store needs no store id");
                Assert.AreEqual("deleted", Subject(deleted, none), "Deleted Items is in the default store");
                Assert.AreEqual(FakeHResults.NotFound, Fails(boss, none), "another mailbox needs its store id");
                Assert.AreEqual(FakeHResults.NotFound, Fails(archived, none), "a PST needs its store id");
            }

            Assert.AreEqual("mine", Subject(mine, myStore));
            Assert.AreEqual("boss", Subject(boss, bossStore));
            Assert.AreEqual("archived", Subject(archived, pstStore));
            Assert.AreEqual(FakeHResults.NotFound, Fails(mine, bossStore), "the wrong store id finds nothing");
            Assert.AreEqual(FakeHResults.NotFound, Fails(boss, myStore));
            Assert.AreEqual(FakeHResults.NotFound, Fails(archived, bossStore));
            Late.Release(calendar);
            Late.Release(ns);
        });

        Assert.AreEqual(0, host.OutstandingReferences, host.LeakReport());
    }

    [TestMethod]
    public void Planned_faults_fail_the_add_ins_next_calls_with_transient_HRESULTs_and_never_with_NOT_FOUND()
    {
        using FakeOutlookHost host = NewHost();
        FakeAppointmentItem item = host.AddAppointment(AppointmentSpec.Single("x", Tuesday10));
        host.Faults.FailNext(3);

        int[] failures = host.Thread.Invoke(() => Enumerable.Range(0, 3).Select(_ => HResultOf(() => Late.Get(item, "Subject"))).ToArray());
        string after = host.Thread.Invoke(() => Late.Get<string>(item, "Subject"));

        CollectionAssert.AreEquivalent(new[] { FakeHResults.NetworkError, FakeHResults.CallRejected, FakeHResults.Fail }, failures);
        Assert.AreEqual("x", after, "the fourth call goes through");
        Assert.AreEqual(3, host.Faults.Injected);
        Assert.AreEqual(0, host.Faults.PendingCount);
        Assert.AreEqual("AppointmentItem.Subject 0x80040115", host.Faults.InjectedCalls[0]);
    }

    [TestMethod]
    public void Faults_never_hit_the_users_own_calls_or_the_raising_of_events_but_do_hit_the_add_ins_handlers()
    {
        using FakeOutlookHost host = NewHost();
        FakeAppointmentItem item = host.AddAppointment(AppointmentSpec.Single("x", Tuesday10));
        var sink = new ReadingItemsSink();
        host.Thread.Invoke(() =>
        {
            object ns = Late.Get(host.Application, "Session")!;
            object items = Late.Get(Late.Call(ns, "GetDefaultFolder", 9)!, "Items")!;
            Late.Advise(items, new Guid("00063077-0000-0000-C000-000000000046"), sink);
        });
        host.Faults.Rate = 1;

        host.AsUser(_ =>
        {
            item.Subject = "y";
            item.Save();
        });

        Assert.AreEqual("y", host.Snapshot(item).Subject, "the user's save went through");
        Assert.AreEqual(2, sink.Changes, "ItemChange was raised (twice per save) although every add-in call fails");
        CollectionAssert.AreEqual(new[] { FakeHResults.NetworkError, FakeHResults.CallRejected }, sink.Failures, "the handler's own reads failed");
        Assert.AreEqual(2, host.Faults.Injected);
    }

    [TestMethod]
    public void A_plan_narrowed_to_some_members_spares_the_others_and_a_seed_repeats_its_faults()
    {
        int[] Run(int seed)
        {
            using FakeOutlookHost host = NewHost();
            FakeAppointmentItem item = host.AddAppointment(AppointmentSpec.Single("x", Tuesday10));
            string id = host.Snapshot(item).EntryId;
            host.Faults.Members = new[] { "NameSpace.GetItemFromID" };
            host.Faults.Seed = seed;
            host.Faults.Rate = 0.5;
            int[] pattern = host.Thread.Invoke(() =>
            {
                object ns = Late.Get(host.Application, "Session")!;
                return Enumerable.Range(0, 40).Select(_ =>
                {
                    Assert.AreEqual("x", Late.Get<string>(item, "Subject"), "Subject is not in the plan");
                    return HResultOf(() => Late.Call(ns, "GetItemFromID", id, Type.Missing));
                }).ToArray();
            });
            host.Faults.FailNext(1, "Save");
            Assert.AreNotEqual(0, HResultOf(() => host.Thread.Invoke(() => Late.Call(item, "Save"))), "a planned fault names its member, whatever Members says");
            return pattern;
        }

        int[] first = Run(7);
        int[] again = Run(7);

        CollectionAssert.AreEqual(first, again);
        Assert.IsTrue(first.Any(hr => hr != 0) && first.Any(hr => hr == 0), "half of the calls fail, at random");
        Assert.IsFalse(first.Contains(FakeHResults.NotFound), "the item is there: never MAPI_E_NOT_FOUND");
    }

    [TestMethod]
    public void Removing_attendees_sends_a_cancellation_to_them_alone_while_the_meeting_goes_on()
    {
        using FakeOutlookHost host = NewHost();
        FakeAppointmentItem item = host.AddAppointment(AppointmentSpec.Single("Review", Tuesday10) with { MeetingStatus = 1, RequiredAttendees = new[] { "Alice Example", "Bob Example" } });
        var sink = new RecordingAppSink();
        host.Thread.Invoke(() => Late.Advise(host.Application, new Guid("0006302C-0000-0000-C000-000000000046"), sink));

        host.RemoveAttendeesAndSendAsUserAsync(item, "bob@example.com").GetAwaiter().GetResult();

        Assert.HasCount(2, sink.Sent);
        Assert.AreEqual("54 IPM.Schedule.Meeting.Canceled to Bob Example; about a meeting with status 1, recurrence state 0", sink.Sent[0], "first the cancellation, to the removed attendee only");
        Assert.AreEqual("26 IPM.Appointment to Alice Example", sink.Sent[1], "then the update to the others");
        AppointmentSnapshot after = host.Snapshot(item);
        CollectionAssert.AreEqual(new[] { "Alice Example" }, after.Recipients.ToArray());
        Assert.AreEqual(1, after.MeetingStatus, "the meeting is not over");
        Assert.AreEqual("Calendar", after.FolderName);
        Assert.IsTrue(after.Saved);
        CollectionAssert.AreEqual(new[] { "cancellation to Bob Example", "Review" }, host.SentItems.ToArray());
        Assert.AreEqual(0, host.OutstandingReferences, host.LeakReport());
    }

    [TestMethod]
    public void Cancelling_one_occurrence_sends_a_cancellation_about_that_occurrence_and_deletes_it_alone()
    {
        using FakeOutlookHost host = NewHost();
        FakeAppointmentItem series = host.AddAppointment(AppointmentSpec.Weekly("Standup", new DateTime(2025, 3, 3, 9, 0, 0), occurrences: 5)
            with { MeetingStatus = 1, RequiredAttendees = new[] { "Alice Example" } });
        var sink = new RecordingAppSink();
        var items = new ItemsSink();
        host.Thread.Invoke(() =>
        {
            Late.Advise(host.Application, new Guid("0006302C-0000-0000-C000-000000000046"), sink);
            object ns = Late.Get(host.Application, "Session")!;
            Late.Advise(Late.Get(Late.Call(ns, "GetDefaultFolder", 9)!, "Items")!, new Guid("00063077-0000-0000-C000-000000000046"), items);
        });

        host.CancelOccurrenceAsUserAsync(series, new DateTime(2025, 3, 10, 9, 0, 0)).GetAwaiter().GetResult();

        Assert.AreEqual("54 IPM.Schedule.Meeting.Canceled to Alice Example; about a meeting with status 5, recurrence state 2, starting 2025-03-10 09:00", sink.Sent.Single());
        AppointmentSnapshot after = host.Snapshot(series);
        CollectionAssert.AreEqual(new[] { new DateTime(2025, 3, 10, 9, 0, 0) }, after.DeletedOccurrences.ToArray());
        Assert.AreEqual(1, after.MeetingStatus, "the series is still a meeting");
        Assert.AreEqual("Calendar", after.FolderName);
        Assert.AreEqual(2, items.Changed, "the master's change is raised, as for a deleted occurrence");
        Assert.AreEqual(0, items.Removed);
        Assert.ThrowsExactly<COMException>(() => host.AsUser(_ =>
            Late.Call(Late.Call(series, "GetRecurrencePattern")!, "GetOccurrence", new DateTime(2025, 3, 10, 9, 0, 0))), "the occurrence is gone");
    }


    [TestMethod]
    public void A_delete_another_handler_cancels_after_the_add_in_saw_BeforeDelete_leaves_the_item_where_it_was()
    {
        using FakeOutlookHost host = NewHost();
        FakeAppointmentItem item = host.AddAppointment(AppointmentSpec.Single("x", Tuesday10));
        FakeAppointmentItem other = host.AddAppointment(AppointmentSpec.Single("y", Tuesday10));
        string entryId = host.Snapshot(item).EntryId;
        var itemSink = new ItemSink();
        var calendarSink = new ItemsSink();
        var deletedSink = new ItemsSink();
        host.Thread.Invoke(() =>
        {
            Late.Advise(item, new Guid("0006302B-0000-0000-C000-000000000046"), itemSink);
            object ns = Late.Get(host.Application, "Session")!;
            Late.Advise(Late.Get(Late.Call(ns, "GetDefaultFolder", 9)!, "Items")!, new Guid("00063077-0000-0000-C000-000000000046"), calendarSink);
            Late.Advise(Late.Get(Late.Call(ns, "GetDefaultFolder", 3)!, "Items")!, new Guid("00063077-0000-0000-C000-000000000046"), deletedSink);
        });

        host.CancelNextDeleteByAnotherHandler();
        host.AsUser(_ => item.Delete());

        Assert.AreEqual(1, itemSink.BeforeDeletes, "the add-in's sink had BeforeDelete first");
        Assert.AreEqual("Calendar", host.Snapshot(item).FolderName, "then another handler cancelled: not deleted");
        Assert.AreEqual(entryId, host.Snapshot(item).EntryId);
        Assert.AreEqual(0, calendarSink.Removed);
        Assert.AreEqual(0, deletedSink.Added);
        Assert.AreEqual(1, host.DeletesCancelledByAnotherHandler);

        host.AsUser(_ => item.Delete());
        Assert.AreEqual("Deleted Items", host.Snapshot(item).FolderName, "the next delete was not planned to be cancelled");

        host.AnotherHandlerCancelsDeletes = true;
        host.Thread.Invoke(() => Late.Call(other, "Delete"));
        Assert.AreEqual("Calendar", host.Snapshot(other).FolderName, "the add-in's own Delete is cancelled too");
        Assert.AreEqual(2, host.DeletesCancelledByAnotherHandler);
    }

    /// <summary>An add-in's ItemSend handler that reads what is sent, as one that looks for cancellations would.</summary>
    private sealed class RecordingAppSink : ITestApplicationEvents
    {
        public System.Collections.Generic.List<string> Sent { get; } = new();

        public void ItemSend(object item, ref bool cancel)
        {
            int cls = Late.Get<int>(item, "Class");
            object recipients = Late.Get(item, "Recipients")!;
            var names = Enumerable.Range(1, Late.Get<int>(recipients, "Count")).Select(i =>
            {
                object r = Late.Call(recipients, "Item", i)!;
                string name = Late.Get<string>(r, "Name");
                Late.Release(r);
                return name;
            }).ToList();
            Late.Release(recipients);
            string line = $"{cls} {Late.Get<string>(item, "MessageClass")} to {string.Join("; ", names)}";
            if (cls == 54)
            {
                object appointment = Late.Call(item, "GetAssociatedAppointment", false)!;
                line += $"; about a meeting with status {Late.Get<int>(appointment, "MeetingStatus")}, recurrence state {Late.Get<int>(appointment, "RecurrenceState")}";
                if (Late.Get<int>(appointment, "RecurrenceState") != 0)
                {
                    line += ", starting " + Late.Get<DateTime>(appointment, "Start").ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
                }

                Late.Release(appointment);
            }

            Sent.Add(line);
            Late.Release(item);
        }
    }

    /// <summary>An add-in's ItemsEvents handler that reads the changed item, as a real one would.</summary>
    private sealed class ReadingItemsSink : ITestItemsEvents
    {
        public int Changes { get; private set; }

        public System.Collections.Generic.List<int> Failures { get; } = new();

        public void ItemAdd(object item) => Late.Release(item);

        public void ItemChange(object item)
        {
            Changes++;
            int hr = HResultOf(() => Late.Get(item, "Subject"));
            if (hr != 0)
            {
                Failures.Add(hr);
            }

            Late.Release(item);
        }

        public void ItemRemove()
        {
        }
    }

    [TestMethod]
    public void A_new_window_opens_behind_an_open_one_so_ActiveInspector_still_names_the_other_and_GetInspector_the_new()
    {
        // FACTS §2.1: ActiveInspector is the topmost window. Display promises a window, not that it comes to the top at
        // once: with another window open, the fake takes the worst case and opens the new one behind it.
        using FakeOutlookHost host = NewHost();
        FakeAppointmentItem saved = host.AddAppointment(AppointmentSpec.Single("Saved", Tuesday10, 30));
        FakeInspector window = host.OpenInspector(saved)!;

        (object active, object own, object fresh) = host.Thread.Invoke(() =>
        {
            object item = Late.Call(host.Application, "CreateItem", 1)!;
            Late.Call(item, "Display", false);
            return (Late.Call(host.Application, "ActiveInspector")!, Late.Get(item, "GetInspector")!, item);
        });

        Assert.AreSame(window, active, "ActiveInspector still names the window that was on top");
        Assert.AreSame(fresh, host.Thread.Invoke(() => Late.Get(own, "CurrentItem")), "the item's own GetInspector is its window");
    }

    [TestMethod]
    public void A_closed_windows_members_and_a_discarded_new_items_members_fail_while_a_saved_item_stays_usable()
    {
        using FakeOutlookHost host = NewHost();
        FakeAppointmentItem saved = host.AddAppointment(AppointmentSpec.Single("Saved", Tuesday10, 30));
        FakeInspector window = host.OpenInspector(saved)!;
        object document = host.Thread.Invoke(() => Late.Get(window, "WordEditor")!);
        object fresh = host.Thread.Invoke(() =>
        {
            object item = Late.Call(host.Application, "CreateItem", 1)!;
            Late.Call(item, "Display", false);
            return item;
        });
        FakeInspector freshWindow = host.Thread.Invoke(() => (FakeInspector)Late.Get(fresh, "GetInspector")!);

        host.AsUser(_ =>
        {
            window.Close(0);
            freshWindow.Close(1);
        });

        // Which HRESULT Outlook raises there is not documented (FACTS §10): the fake's worst case is E_FAIL.
        Assert.AreEqual(FakeHResults.Fail, HResultOf(() => host.Thread.Invoke(() => Late.Get(window, "Caption"))));
        Assert.AreEqual(FakeHResults.Fail, HResultOf(() => host.Thread.Invoke(() => Late.Get(document, "Content"))));
        Assert.AreEqual(FakeHResults.Fail, HResultOf(() => host.Thread.Invoke(() => Late.Get(fresh, "Subject"))), "a new item closed unsaved is gone");
        Assert.AreEqual("Saved", host.Thread.Invoke(() => Late.Get<string>(saved, "Subject")), "the saved item outlives its window");
    }

    [TestMethod]
    public void A_dismissed_reminder_saves_the_item_and_an_attendees_answer_arrives_by_sync_without_a_Write()
    {
        using FakeOutlookHost host = NewHost();
        FakeAppointmentItem item = host.AddAppointment(AppointmentSpec.Single("x", Tuesday10) with { MeetingStatus = 1, RequiredAttendees = ["Alice Example"] });
        var itemSink = new ItemSink();
        var calendarSink = new ItemsSink();
        host.Thread.Invoke(() =>
        {
            Late.Advise(item, new Guid("0006302B-0000-0000-C000-000000000046"), itemSink);
            object ns = Late.Get(host.Application, "Session")!;
            Late.Advise(Late.Get(Late.Call(ns, "GetDefaultFolder", 9)!, "Items")!, new Guid("00063077-0000-0000-C000-000000000046"), calendarSink);
        });

        host.DismissReminderAsUserAsync(item).GetAwaiter().GetResult();
        Assert.AreEqual(1, itemSink.Writes, "a save of this Outlook's (MS-OXORMDR 3.1.4.6.2)");
        Assert.AreEqual(host.Options.ItemChangeRepeat, calendarSink.Changed);
        Assert.IsTrue(host.Snapshot(item).NamedProperties.ContainsKey(FakeOutlookHost.ReminderSignalTime));

        host.AttendeeRespondsAsync(item, "Alice Example", responseStatus: 3).GetAwaiter().GetResult();
        Assert.AreEqual(1, itemSink.Writes, "a change that came by sync is no Write here");
        Assert.AreEqual(2 * host.Options.ItemChangeRepeat, calendarSink.Changed);
    }

    [TestMethod]
    public void A_recurring_master_the_addin_holds_is_an_out_of_date_copy_until_it_lets_go_of_it()
    {
        // VBA AppointmentItem / RecurrencePattern pages: with a reference still held, a new one points to an out-of-date
        // copy (FACTS §2.4, §10); saving it writes that copy over what the user saved meanwhile.
        using FakeOutlookHost host = NewHost();
        FakeAppointmentItem series = host.AddAppointment(AppointmentSpec.Weekly("Series", Tuesday10, 30, occurrences: 3));
        FakeAppointmentItem single = host.AddAppointment(AppointmentSpec.Single("Single", Tuesday10, 30));
        string seriesId = EntryId(host, series);
        string singleId = EntryId(host, single);
        object ns = host.Thread.Invoke(() => Late.Get(host.Application, "Session")!);
        object Open(string id) => host.Thread.Invoke(() => Late.Call(ns, "GetItemFromID", id, Type.Missing)!);
        string LocationThroughNewReference(string id) => host.Thread.Invoke(() =>
        {
            object opened = Late.Call(ns, "GetItemFromID", id, Type.Missing)!;
            string location = Late.Get<string>(opened, "Location");
            Late.Release(opened);
            return location;
        });
        void UserSetsLocation(FakeAppointmentItem item, string location) => host.AsUser(_ =>
        {
            item.Location = location;
            item.Save();
        });

        object heldSeries = Open(seriesId);
        object heldSingle = Open(singleId);
        UserSetsLocation(series, "Room 4");
        UserSetsLocation(single, "Room 4");
        Assert.AreEqual("", LocationThroughNewReference(seriesId), "a new reference while one is held sees the old copy");
        Assert.AreEqual("Room 4", LocationThroughNewReference(singleId), "only recurring masters are cached so");

        host.Thread.Invoke(() => Late.Call(heldSeries, "Save"));
        Assert.AreEqual("", host.Snapshot(series).Location, "saving the held copy put back what the user had changed");

        UserSetsLocation(series, "Room 5");
        host.Thread.Invoke(() =>
        {
            Late.Release(heldSeries);
            Late.Release(heldSingle);
        });
        Assert.AreEqual("Room 5", LocationThroughNewReference(seriesId), "once let go of, the next reference is fresh");
        host.Thread.Invoke(() => Late.Release(ns));
        Assert.AreEqual(0, host.OutstandingReferences, host.LeakReport());
    }

    [TestMethod]
    public void An_Exchange_tables_EntryID_column_is_short_term_and_the_long_term_column_opens_the_item()
    {
        // ODC PidTagEntryId and PidTagLongTermEntryIdFromTable pages (FACTS §2.3): a contents table may give a
        // short-term id; the fake always does on Exchange, and such an id opens nothing. A PST gives long-term ids.
        using FakeOutlookHost host = NewHost();
        FakeFolder pst = host.AddPstCalendar("Archive");
        FakeAppointmentItem mine = host.AddAppointment(AppointmentSpec.Single("mine", Tuesday10, 30));
        FakeAppointmentItem archived = host.AddAppointment(AppointmentSpec.Single("archived", Tuesday10, 30), pst);
        string mineId = EntryId(host, mine);
        string archivedId = EntryId(host, archived);

        (string MineColumn, string MineLongTerm, string ArchivedColumn, string ArchivedLongTerm) ids = host.Thread.Invoke(() =>
        {
            (string, string) Row(object folder)
            {
                object table = Late.Call(folder, "GetTable", Type.Missing, Type.Missing)!;
                object columns = Late.Get(table, "Columns")!;
                Late.Call(columns, "RemoveAll");
                Late.Release(Late.Call(columns, "Add", "EntryID")!);
                Late.Release(Late.Call(columns, "Add", "http://schemas.microsoft.com/mapi/proptag/0x66700102")!);
                object row = Late.Call(table, "GetNextRow")!;
                var values = (object[])Late.Call(row, "GetValues")!;
                string longTerm = (string)Late.Call(row, "BinaryToString", 2)!;
                Late.Release(row);
                Late.Release(columns);
                Late.Release(table);
                return ((string)values[0], longTerm);
            }

            object ns = Late.Get(host.Application, "Session")!;
            object calendar = Late.Call(ns, "GetDefaultFolder", 9)!;
            (string mineColumn, string mineLongTerm) = Row(calendar);
            (string archivedColumn, string archivedLongTerm) = Row(pst);
            Late.Release(calendar);
            Late.Release(ns);
            return (mineColumn, mineLongTerm, archivedColumn, archivedLongTerm);
        });

        Assert.AreNotEqual(mineId, ids.MineColumn, "Exchange: a short-term id");
        Assert.AreEqual(mineId, ids.MineLongTerm);
        Assert.AreEqual(archivedId, ids.ArchivedColumn, "a PST: the long-term id");
        Assert.AreEqual(archivedId, ids.ArchivedLongTerm);
        int failure = HResultOf(() => host.Thread.Invoke(() =>
        {
            object ns = Late.Get(host.Application, "Session")!;
            try
            {
                Late.Release(Late.Call(ns, "GetItemFromID", ids.MineColumn, Type.Missing)!);
            }
            finally
            {
                Late.Release(ns);
            }
        }));
        Assert.AreEqual(FakeHResults.InvalidEntryId, failure, "a short-term id opens nothing");
        Assert.AreEqual(0, host.OutstandingReferences, host.LeakReport());
    }
}
