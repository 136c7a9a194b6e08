using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Runtime.InteropServices;
using System.Runtime.InteropServices.ComTypes;
using System.Threading;
using System.Threading.Tasks;
using FakeOutlook;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace OutlookPlugin.Tests.FakeOutlookTests;

[TestClass]
public sealed class FakeOutlookBehaviourTests
{
    private static readonly DateTime Now = new(2025, 3, 3, 8, 0, 0); // Monday, UTC
    private const string NamedTag = "http://schemas.microsoft.com/mapi/string/{2D3A5C1E-9B7F-4E21-A0C4-5F6E7D8C9B0A}/MeetingId";

    private static FakeOutlookHost NewHost(System.Globalization.CultureInfo? culture = null) => new(new FakeOutlookOptions
    {
        Clock = () => Now,
        RegionalSettings = culture ?? FakeOutlookOptions.EnglishUnitedStates,
        Directory = new[]
        {
            new DirectoryEntry("Alice Example", "alice@example.com"),
            new DirectoryEntry("Room 1", "room1@example.com", IsRoom: true),
        },
    });

    private static object Calendar(FakeApplication app)
    {
        object ns = Late.Get(app, "Session")!;
        object folder = Late.Call(ns, "GetDefaultFolder", 9)!;
        Late.Release(ns);
        return folder;
    }

    [TestMethod]
    public void A_call_from_another_thread_fails_with_RPC_E_WRONG_THREAD()
    {
        using FakeOutlookHost host = NewHost();

        COMException e = Assert.ThrowsExactly<COMException>(() => Late.Get(host.Application, "Version"));

        Assert.AreEqual(unchecked((int)0x8001010E), e.HResult);
        Assert.AreEqual(1, host.WrongThreadCalls);
        Assert.AreEqual("16.0.0.0", host.Thread.Invoke(() => Late.Get(host.Application, "Version")));
    }

    [TestMethod]
    public void Omitted_optional_arguments_passed_as_Type_Missing_bind()
    {
        using FakeOutlookHost host = NewHost();
        host.AddAppointment(AppointmentSpec.Single("b", new DateTime(2025, 3, 4, 10, 0, 0)));
        host.AddAppointment(AppointmentSpec.Single("a", new DateTime(2025, 3, 4, 9, 0, 0)));

        string first = host.Thread.Invoke(() =>
        {
            object folder = Calendar(host.Application);
            object items = Late.Get(folder, "Items")!;
            items.GetType().InvokeMember("Sort", System.Reflection.BindingFlags.InvokeMethod | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.IgnoreCase,
                null, items, new object[] { "[Start]", Type.Missing }, System.Globalization.CultureInfo.InvariantCulture);
            object item = Late.Call(items, "Item", 1)!;
            string subject = Late.Get<string>(item, "Subject");
            Late.Release(item);
            object table = Late.Call(folder, "GetTable", Type.Missing, Type.Missing)!;
            Late.Release(table);
            Late.Release(items);
            Late.Release(folder);
            return subject;
        });

        Assert.AreEqual("a", first);
        Assert.AreEqual(0, host.OutstandingReferences, host.LeakReport());
    }

    [TestMethod]
    public void Count_is_undefined_when_occurrences_are_included()
    {
        using FakeOutlookHost host = NewHost();
        host.AddAppointment(AppointmentSpec.Weekly("weekly", new DateTime(2025, 3, 3, 9, 0, 0)));

        (int before, int after) = host.Thread.Invoke(() =>
        {
            object items = Late.Get(Calendar(host.Application), "Items")!;
            int b = Late.Get<int>(items, "Count");
            Late.Call(items, "Sort", "[Start]", Type.Missing);
            Late.Set(items, "IncludeRecurrences", true);
            return (b, Late.Get<int>(items, "Count"));
        });

        Assert.AreEqual(1, before);
        Assert.AreEqual(int.MaxValue, after);
    }

    private static List<(string Subject, DateTime Start, int State)> Walk(object items)
    {
        var result = new List<(string, DateTime, int)>();
        object? item = Late.Call(items, "GetFirst");
        while (item is not null && result.Count < 100)
        {
            result.Add((Late.Get<string>(item, "Subject"), Late.Get<DateTime>(item, "Start"), Late.Get<int>(item, "RecurrenceState")));
            Late.Release(item);
            item = Late.Call(items, "GetNext");
        }

        return result;
    }

    [TestMethod]
    public void Documented_order_expands_occurrences_in_the_window_and_other_orders_do_not()
    {
        using FakeOutlookHost host = NewHost();
        host.AddAppointment(new AppointmentSpec
        {
            Subject = "standup",
            Start = new DateTime(2025, 1, 6, 9, 0, 0),
            End = new DateTime(2025, 1, 6, 9, 15, 0),
            Recurrence = new RecurrenceSpec { Type = 1, DayOfWeekMask = 2 | 8, DeletedOccurrences = new[] { new DateTime(2025, 3, 5, 9, 0, 0) } },
        });
        host.AddAppointment(AppointmentSpec.Single("single", new DateTime(2025, 3, 4, 12, 0, 0)));
        const string Filter = "[Start] <= '3/9/2025 12:00 AM' AND [End] >= '3/3/2025 12:00 AM'";

        var documented = host.Thread.Invoke(() =>
        {
            object items = Late.Get(Calendar(host.Application), "Items")!;
            Late.Call(items, "Sort", "[Start]", Type.Missing);
            Late.Set(items, "IncludeRecurrences", true);
            return Walk(Late.Call(items, "Restrict", Filter)!);
        });
        var includeFirst = host.Thread.Invoke(() =>
        {
            object items = Late.Get(Calendar(host.Application), "Items")!;
            Late.Set(items, "IncludeRecurrences", true);
            Late.Call(items, "Sort", "[Start]", Type.Missing);
            return Walk(Late.Call(items, "Restrict", Filter)!);
        });
        var restrictFirst = host.Thread.Invoke(() =>
        {
            object items = Late.Call(Late.Get(Calendar(host.Application), "Items")!, "Restrict", Filter)!;
            Late.Call(items, "Sort", "[Start]", Type.Missing);
            Late.Set(items, "IncludeRecurrences", true);
            return Walk(items);
        });

        CollectionAssert.AreEqual(
            new[] { ("standup", new DateTime(2025, 3, 3, 9, 0, 0), 2), ("single", new DateTime(2025, 3, 4, 12, 0, 0), 0) },
            documented.ToArray(),
            "Monday and the single; Wednesday's occurrence was deleted");
        Assert.IsFalse(includeFirst.Any(x => x.State == 2), "IncludeRecurrences before Sort does not expand");
        Assert.AreEqual(1, restrictFirst.Count, "Restrict before expansion filters masters: the series starts in January");
    }

    [TestMethod]
    [DataRow("M/d/yyyy", "h:mm tt", "3/4/2025 9:00 AM", "3/4/2025 11:00 AM")]
    [DataRow("dd.MM.yyyy", "HH:mm", "04.03.2025 09:00", "04.03.2025 11:00")]
    public void Jet_date_literals_follow_the_regional_settings(string datePattern, string timePattern, string from, string to)
    {
        using FakeOutlookHost host = NewHost(FakeOutlookOptions.Regional(datePattern, timePattern));
        host.AddAppointment(AppointmentSpec.Single("in", new DateTime(2025, 3, 4, 10, 0, 0)));
        host.AddAppointment(AppointmentSpec.Single("out", new DateTime(2025, 3, 4, 12, 0, 0)));

        var found = host.Thread.Invoke(() =>
            Walk(Late.Call(Late.Get(Calendar(host.Application), "Items")!, "Restrict", $"[Start] >= '{from}' AND [Start] < \"{to}\"")!));

        Assert.AreEqual("in", found.Single().Subject);
    }

    [TestMethod]
    [DataRow("[Start] >= '3/4/2025 9:00:00 AM'")]
    [DataRow("[Start] >= '04.03.2025 09:00'")]
    [DataRow("[Start] >= '3/4/2025 9:00 AM' AND")]
    [DataRow("[RecurrenceState] = 1")]
    public void Bad_filters_fail_with_a_COMException(string filter)
    {
        using FakeOutlookHost host = NewHost();

        Assert.ThrowsExactly<COMException>(() => host.Thread.Invoke(() => Late.Call(Late.Get(Calendar(host.Application), "Items")!, "Restrict", filter)));
    }

    [TestMethod]
    public void Dasl_dates_compare_in_UTC()
    {
        using FakeOutlookHost host = NewHost();
        host.AddAppointment(AppointmentSpec.Single("in", new DateTime(2025, 3, 4, 10, 0, 0))); // 09:00 UTC

        int count = host.Thread.Invoke(() =>
            Walk(Late.Call(Late.Get(Calendar(host.Application), "Items")!, "Restrict",
                "@SQL=\"urn:schemas:calendar:dtstart\" >= '3/4/2025 9:00 AM' AND \"urn:schemas:calendar:dtstart\" < '3/4/2025 9:30 AM'")!).Count);

        Assert.AreEqual(1, count);
    }

    [TestMethod]
    public void One_save_raises_ItemChange_twice_and_a_new_item_raises_ItemAdd_once()
    {
        using FakeOutlookHost host = NewHost();
        FakeAppointmentItem stored = host.AddAppointment(AppointmentSpec.Single("x", new DateTime(2025, 3, 4, 10, 0, 0)));
        var sink = new ItemsSink();

        host.Thread.Invoke(() =>
        {
            object items = Late.Get(Calendar(host.Application), "Items")!;
            Late.Advise(items, Unsafe.ItemsEvents, sink);
        });
        host.AsUser(_ =>
        {
            Late.Set(stored, "Subject", "y");
            Late.Call(stored, "Save");
            object created = Late.Call(host.Application, "CreateItem", 1)!;
            Late.Set(created, "Subject", "new");
            Late.Call(created, "Save");
        });

        Assert.AreEqual(2, sink.Changed);
        Assert.AreEqual(1, sink.Added);
        Assert.AreEqual("y", host.Snapshot(stored).Subject);
    }

    [TestMethod]
    public void GetOccurrence_finds_the_local_start_and_throws_for_any_other_time()
    {
        using FakeOutlookHost host = NewHost();
        FakeAppointmentItem master = host.AddAppointment(AppointmentSpec.Weekly("series", new DateTime(2025, 3, 3, 9, 0, 0), occurrences: 10));

        var (state, parentIsMaster, sameIds) = host.Thread.Invoke(() =>
        {
            object pattern = Late.Call(master, "GetRecurrencePattern")!;
            object occ = Late.Call(pattern, "GetOccurrence", new DateTime(2025, 3, 17, 9, 0, 0))!;
            object parent = Late.Get(occ, "Parent")!;
            return (Late.Get<int>(occ, "RecurrenceState"), ReferenceEquals(parent, master),
                Late.Get<string>(occ, "EntryID") == Late.Get<string>(master, "EntryID")
                && Late.Get<string>(occ, "GlobalAppointmentID") == Late.Get<string>(master, "GlobalAppointmentID"));
        });

        Assert.AreEqual(2, state);
        Assert.IsTrue(parentIsMaster);
        Assert.IsTrue(sameIds);
        Assert.ThrowsExactly<COMException>(() => host.Thread.Invoke(() =>
            Late.Call(Late.Call(master, "GetRecurrencePattern")!, "GetOccurrence", new DateTime(2025, 3, 17, 10, 0, 0))));
        Assert.ThrowsExactly<COMException>(() => host.Thread.Invoke(() =>
            Late.Call(Late.Call(master, "GetRecurrencePattern")!, "GetOccurrence", new DateTime(2025, 5, 12, 9, 0, 0))), "after the 10th");
    }

    [TestMethod]
    public void Saving_a_moved_occurrence_makes_an_exception_and_deleting_one_changes_the_master()
    {
        using FakeOutlookHost host = NewHost();
        FakeAppointmentItem master = host.AddAppointment(AppointmentSpec.Daily("daily", new DateTime(2025, 3, 3, 9, 0, 0), occurrences: 5));
        var sink = new ItemsSink();
        host.Thread.Invoke(() =>
        {
            object items = Late.Get(Calendar(host.Application), "Items")!;
            Late.Advise(items, Unsafe.ItemsEvents, sink);
        });

        host.AsUser(_ =>
        {
            object pattern = Late.Call(master, "GetRecurrencePattern")!;
            object moved = Late.Call(pattern, "GetOccurrence", new DateTime(2025, 3, 4, 9, 0, 0))!;
            Late.Set(moved, "Start", new DateTime(2025, 3, 4, 14, 0, 0));
            Late.Call(moved, "Save");
            Assert.AreEqual(3, Late.Get<int>(moved, "RecurrenceState"));
            Late.Call(Late.Call(pattern, "GetOccurrence", new DateTime(2025, 3, 5, 9, 0, 0))!, "Delete");
        });

        AppointmentSnapshot s = host.Snapshot(master);
        CollectionAssert.AreEqual(new[] { new DateTime(2025, 3, 5, 9, 0, 0) }, s.DeletedOccurrences.ToArray());
        CollectionAssert.AreEqual(new[] { new DateTime(2025, 3, 4, 9, 0, 0) }, s.ModifiedOccurrences.ToArray());
        Assert.AreEqual(4, sink.Changed);
        Assert.AreEqual(0, sink.Removed);
        var walked = host.Thread.Invoke(() =>
        {
            object items = Late.Get(Calendar(host.Application), "Items")!;
            Late.Call(items, "Sort", "[Start]", Type.Missing);
            Late.Set(items, "IncludeRecurrences", true);
            return Walk(items);
        });
        CollectionAssert.AreEqual(
            new[] { new DateTime(2025, 3, 3, 9, 0, 0), new DateTime(2025, 3, 4, 14, 0, 0), new DateTime(2025, 3, 6, 9, 0, 0), new DateTime(2025, 3, 7, 9, 0, 0) },
            walked.Select(w => w.Start).ToArray());
        Assert.AreEqual(3, walked[1].State);
    }

    [TestMethod]
    public void A_table_returns_master_rows_only_with_local_explicit_and_UTC_namespace_dates()
    {
        using FakeOutlookHost host = NewHost();
        host.AddAppointment(AppointmentSpec.Daily("daily", new DateTime(2025, 3, 3, 9, 0, 0)));
        host.AddAppointment(new AppointmentSpec
        {
            Subject = new string('s', 300),
            Start = new DateTime(2025, 3, 4, 10, 0, 0),
            End = new DateTime(2025, 3, 4, 11, 0, 0),
            NamedProperties = new Dictionary<string, object> { [NamedTag] = "m-1" },
        });
        const string StartUtc = "http://schemas.microsoft.com/mapi/id/{00062002-0000-0000-C000-000000000046}/820D0040";

        var rows = host.Thread.Invoke(() =>
        {
            object table = Late.Call(Calendar(host.Application), "GetTable", Type.Missing, Type.Missing)!;
            object columns = Late.Get(table, "Columns")!;
            Late.Call(columns, "RemoveAll");
            foreach (string c in new[] { "Subject", "Start", StartUtc, NamedTag + "/0x0000001f" })
            {
                Late.Release(Late.Call(columns, "Add", c));
            }

            Assert.ThrowsExactly<COMException>(() => Late.Call(columns, "Add", "RecurrenceState"));
            var list = new List<object?[]>();
            for (object? row = Late.Call(table, "GetNextRow"); row is not null; row = Late.Call(table, "GetNextRow"))
            {
                list.Add(new[] { Late.Call(row, "Item", "Subject"), Late.Call(row, "Item", 2), Late.Call(row, "Item", StartUtc), Late.Call(row, "Item", NamedTag + "/0x0000001f") });
                Late.Release(row);
            }

            Assert.IsTrue(Late.Get<bool>(table, "EndOfTable"));
            return list;
        });

        Assert.AreEqual(2, rows.Count);
        Assert.AreEqual(new DateTime(2025, 3, 4, 10, 0, 0), rows[1][1]);
        Assert.AreEqual(new DateTime(2025, 3, 4, 9, 0, 0), rows[1][2]);
        Assert.AreEqual(127, ((string)rows[1][0]!).Length, "255 bytes of Unicode (FACTS §2.3)");
        Assert.AreEqual("m-1", rows[1][3]);
        Assert.IsNull(rows[0][3]);
    }

    [TestMethod]
    public void Events_reach_the_sink_by_DISPID_and_Cancel_aborts_save_delete_and_send()
    {
        using FakeOutlookHost host = NewHost();
        FakeAppointmentItem item = host.AddAppointment(AppointmentSpec.Single("x", new DateTime(2025, 3, 4, 10, 0, 0)));
        var itemSink = new ItemSink { CancelWrite = true, CancelDelete = true };
        var appSink = new AppSink { Cancel = true };
        host.Thread.Invoke(() =>
        {
            Guid iid = new("0006302B-0000-0000-C000-000000000046");
            Late.Advise(item, iid, itemSink);
            Guid app = new("0006302C-0000-0000-C000-000000000046");
            Late.Advise(host.Application, app, appSink);
            Guid unknown = new("00063077-0000-0000-C000-000000000046");
            Assert.ThrowsExactly<COMException>(() => ((IConnectionPointContainer)host.Application).FindConnectionPoint(ref unknown, out IConnectionPoint? _));
        });

        host.AsUser(_ =>
        {
            Late.Set(item, "Subject", "changed");
            Late.Call(item, "Save");
            Late.Call(item, "Delete");
            Late.Call(item, "Send");
        });

        Assert.AreEqual("x", host.Snapshot(item).Subject, "Write cancelled: not saved");
        Assert.AreEqual("Calendar", host.Snapshot(item).FolderName, "BeforeDelete cancelled");
        Assert.AreEqual(1, appSink.Sends);
        Assert.AreEqual(0, host.SentItems.Count);
        CollectionAssert.Contains(itemSink.Changes, "Subject");
        Assert.AreEqual(0, itemSink.AfterWrites);
        Assert.AreEqual(0, host.OutstandingReferences, host.LeakReport());
    }

    [TestMethod]
    public void A_sink_that_throws_does_not_break_Outlook_and_is_recorded()
    {
        using FakeOutlookHost host = NewHost();
        FakeAppointmentItem item = host.AddAppointment(AppointmentSpec.Single("x", new DateTime(2025, 3, 4, 10, 0, 0)));
        host.Thread.Invoke(() =>
        {
            object inspectors = Late.Get(host.Application, "Inspectors")!;
            Guid iid = new("00063079-0000-0000-C000-000000000046");
            Late.Advise(inspectors, iid, new ThrowingInspectorsSink());
            
        });

        FakeInspector? inspector = host.OpenInspector(item);

        Assert.IsNotNull(inspector);
        Assert.AreEqual(1, host.SinkExceptions.Count);
    }

    [TestMethod]
    public void Delete_moves_to_Deleted_Items_with_ItemRemove_and_ItemAdd()
    {
        using FakeOutlookHost host = NewHost();
        FakeAppointmentItem item = host.AddAppointment(AppointmentSpec.Single("x", new DateTime(2025, 3, 4, 10, 0, 0)));
        var calendarSink = new ItemsSink();
        var deletedSink = new ItemsSink();
        host.Thread.Invoke(() =>
        {
            object ns = Late.Get(host.Application, "Session")!;
            foreach ((int folder, ItemsSink sink) in new[] { (9, calendarSink), (3, deletedSink) })
            {
                object items = Late.Get(Late.Call(ns, "GetDefaultFolder", folder)!, "Items")!;
                Late.Advise(items, Unsafe.ItemsEvents, sink);
            }
        });

        host.AsUser(_ => Late.Call(item, "Delete"));

        Assert.AreEqual(1, calendarSink.Removed);
        Assert.AreEqual(1, deletedSink.Added);
        Assert.AreEqual("Deleted Items", host.Snapshot(item).FolderName);
    }

    [TestMethod]
    public void Copy_keeps_the_GlobalAppointmentID_and_the_named_properties_and_gets_its_own_EntryID_when_saved()
    {
        using FakeOutlookHost host = NewHost();
        FakeAppointmentItem item = host.AddAppointment(new AppointmentSpec
        {
            Subject = "tagged",
            Start = new DateTime(2025, 3, 4, 10, 0, 0),
            End = new DateTime(2025, 3, 4, 11, 0, 0),
            NamedProperties = new Dictionary<string, object> { [NamedTag] = "m-1" },
        });

        var (copyId, copyEntryBefore, copyEntryAfter, tag, originalId) = host.Thread.Invoke(() =>
        {
            object copy = Late.Call(item, "Copy")!;
            string before = Late.Get<string>(copy, "EntryID");
            Late.Call(copy, "Save");
            object pa = Late.Get(copy, "PropertyAccessor")!;
            return (Late.Get<string>(copy, "GlobalAppointmentID"), before, Late.Get<string>(copy, "EntryID"), Late.Call(pa, "GetProperty", NamedTag), Late.Get<string>(item, "GlobalAppointmentID"));
        });

        Assert.AreEqual(originalId, copyId, "the same across all copies of the meeting (FACTS §2.4)");
        Assert.AreEqual("", copyEntryBefore);
        Assert.AreNotEqual("", copyEntryAfter);
        Assert.AreNotEqual(host.Snapshot(item).EntryId, copyEntryAfter);
        Assert.AreEqual("m-1", tag);
    }

    [TestMethod]
    public void PropertyAccessor_follows_Outlook_rules()
    {
        using FakeOutlookHost host = NewHost();
        FakeAppointmentItem item = host.AddAppointment(AppointmentSpec.Single("x", new DateTime(2025, 3, 4, 10, 0, 0)));

        object?[] batch = host.Thread.Invoke(() =>
        {
            object pa = Late.Get(item, "PropertyAccessor")!;
            Assert.ThrowsExactly<COMException>(() => Late.Call(pa, "GetProperty", NamedTag));
            Assert.ThrowsExactly<COMException>(() => Late.Call(pa, "SetProperty", NamedTag.Replace("http://", "https://", StringComparison.Ordinal), "v"));
            Late.Call(pa, "SetProperty", NamedTag, "m-2");
            Assert.IsNull(host.StoredProperty(item, NamedTag), "staged until Save");
            Late.Call(item, "Save");
            return (object?[])Late.Call(pa, "GetProperties", (object)new object[] { NamedTag, NamedTag + "x" })!;
        });

        Assert.AreEqual("m-2", host.StoredProperty(item, NamedTag));
        Assert.AreEqual("m-2", batch[0]);
        Assert.AreEqual(unchecked((int)0x8004010F), batch[1]);
    }

    [TestMethod]
    public void Rooms_are_told_apart_by_the_extended_display_type()
    {
        using FakeOutlookHost host = NewHost();
        FakeAppointmentItem item = host.AddAppointment(new AppointmentSpec
        {
            Subject = "m",
            Start = new DateTime(2025, 3, 4, 10, 0, 0),
            End = new DateTime(2025, 3, 4, 11, 0, 0),
            MeetingStatus = 1,
            RequiredAttendees = new[] { "Alice Example", "Room 1" },
        });

        int[] types = host.Thread.Invoke(() =>
        {
            object recipients = Late.Get(item, "Recipients")!;
            int n = Late.Get<int>(recipients, "Count");
            return Enumerable.Range(1, n).Select(i =>
                (int)Late.Call(Late.Get(Late.Call(recipients, "Item", i)!, "PropertyAccessor")!, "GetProperty", "http://schemas.microsoft.com/mapi/proptag/0x39050003")!).ToArray();
        });

        CollectionAssert.AreEqual(new[] { 0, 7 }, types);
    }

    [TestMethod]
    public void References_are_counted_per_returned_object_and_released_by_Dispose()
    {
        using FakeOutlookHost host = NewHost();
        host.AddAppointment(AppointmentSpec.Single("x", new DateTime(2025, 3, 4, 10, 0, 0)));

        object items = host.Thread.Invoke(() =>
        {
            object folder = Calendar(host.Application);
            object i = Late.Get(folder, "Items")!;
            Late.Release(folder);
            return i;
        });
        Assert.AreEqual(1, host.OutstandingReferences, host.LeakReport());
        StringAssert.Contains(host.LeakReport(), "FakeFolder.Items");

        host.Thread.Invoke(() => Late.Release(items));
        Assert.AreEqual(0, host.OutstandingReferences);
        Assert.ThrowsExactly<InvalidComObjectException>(() => host.Thread.Invoke(() => Late.Get(items, "Count")), "a released object is dead");
        host.Thread.Invoke(() => Late.Release(items));
        Assert.AreEqual(1, host.OverReleases.Count);
    }

    [TestMethod]
    public void Shared_calendars_need_a_resolved_recipient_and_have_no_store()
    {
        using FakeOutlookHost host = NewHost();
        FakeFolder shared = host.AddSharedCalendar("Boss Person", "boss@example.com");
        host.AddAppointment(AppointmentSpec.Single("boss meeting", new DateTime(2025, 3, 4, 10, 0, 0)), shared);

        var (store, organizer) = host.Thread.Invoke(() =>
        {
            object ns = Late.Get(host.Application, "Session")!;
            object r = Late.Call(ns, "CreateRecipient", "boss@example.com")!;
            Assert.ThrowsExactly<COMException>(() => Late.Call(ns, "GetSharedDefaultFolder", r, 9));
            Assert.IsTrue((bool)Late.Call(r, "Resolve")!);
            object folder = Late.Call(ns, "GetSharedDefaultFolder", r, 9)!;
            object item = Late.Call(Late.Get(folder, "Items")!, "Item", 1)!;
            return (Late.Get(folder, "Store"), Late.Get<string>(item, "Organizer"));
        });

        Assert.IsNull(store);
        Assert.AreEqual("Boss Person", organizer);
    }

    [TestMethod]
    public void The_Word_editor_keeps_formatting_on_inserts_and_loses_it_on_wholesale_assignment()
    {
        using FakeOutlookHost host = NewHost();
        FakeAppointmentItem item = host.AddAppointment(new AppointmentSpec
        {
            Subject = "x",
            Start = new DateTime(2025, 3, 4, 10, 0, 0),
            End = new DateTime(2025, 3, 4, 11, 0, 0),
            Body = "Agenda\r\nBold part",
        });
        FakeInspector inspector = host.OpenInspector(item)!;
        FakeWordDocument doc = inspector.Document;
        doc.AddFormatting(7, 4);

        host.Thread.Invoke(() =>
        {
            object active = Late.Call(host.Application, "ActiveInspector")!;
            Assert.IsTrue((bool)Late.Call(active, "IsWordMail")!);
            object word = Late.Get(active, "WordEditor")!;
            object range = Late.Call(word, "Range", 0, 0)!;
            Late.Call(range, "InsertAfter", "Join: https://x\r");
            Late.Call(Late.Get(word, "Content")!, "InsertAfter", "\rEnd");
        });
        Assert.IsTrue(doc.FormattingIntact);
        Assert.AreEqual("Bold", doc.TextOf(doc.Spans.Single()));

        host.AsUser(_ => Late.Call(item, "Save"));
        StringAssert.StartsWith(host.Snapshot(item).Body, "Join: https://x\r\nAgenda\r\nBold");

        host.Thread.Invoke(() =>
        {
            object content = Late.Get(Late.Get(Late.Call(host.Application, "ActiveInspector")!, "WordEditor")!, "Content")!;
            Late.Set(content, "Text", Late.Get<string>(content, "Text"));
        });
        Assert.IsFalse(doc.FormattingIntact);
    }

    [TestMethod]
    public void Explorer_exposes_the_selected_times_and_items()
    {
        using FakeOutlookHost host = NewHost();
        FakeAppointmentItem item = host.AddAppointment(AppointmentSpec.Single("x", new DateTime(2025, 3, 4, 10, 0, 0)));
        host.SetSelectedTimes(new DateTime(2025, 3, 5, 14, 0, 0), new DateTime(2025, 3, 5, 15, 0, 0));

        var (cls, start) = host.Thread.Invoke(() =>
        {
            object view = Late.Get(Late.Call(host.Application, "ActiveExplorer")!, "CurrentView")!;
            return (Late.Get<int>(view, "Class"), Late.Get<DateTime>(view, "SelectedStartTime"));
        });
        host.SetSelection(item);
        int count = host.Thread.Invoke(() => Late.Get<int>(Late.Get(Late.Call(host.Application, "ActiveExplorer")!, "Selection")!, "Count"));

        Assert.AreEqual(139, cls);
        Assert.AreEqual(new DateTime(2025, 3, 5, 14, 0, 0), start);
        Assert.AreEqual(1, count);
    }

    [TestMethod]
    public void Monthly_nth_and_yearly_patterns_expand()
    {
        using FakeOutlookHost host = NewHost();
        FakeAppointmentItem last = host.AddAppointment(new AppointmentSpec
        {
            Subject = "last friday",
            Start = new DateTime(2025, 1, 31, 9, 0, 0),
            End = new DateTime(2025, 1, 31, 10, 0, 0),
            Recurrence = new RecurrenceSpec { Type = 3, DayOfWeekMask = 32, Instance = 5, Occurrences = 3 },
        });
        FakeAppointmentItem monthly = host.AddAppointment(new AppointmentSpec
        {
            Subject = "31st",
            Start = new DateTime(2025, 1, 31, 9, 0, 0),
            End = new DateTime(2025, 1, 31, 10, 0, 0),
            Recurrence = new RecurrenceSpec { Type = 2, DayOfMonth = 31, Occurrences = 3 },
        });

        DateTime Occ(FakeAppointmentItem m, DateTime d) => host.Thread.Invoke(() =>
            Late.Get<DateTime>(Late.Call(Late.Call(m, "GetRecurrencePattern")!, "GetOccurrence", d)!, "Start"));

        Assert.AreEqual(new DateTime(2025, 2, 28, 9, 0, 0), Occ(last, new DateTime(2025, 2, 28, 9, 0, 0)));
        Assert.AreEqual(new DateTime(2025, 3, 28, 9, 0, 0), Occ(last, new DateTime(2025, 3, 28, 9, 0, 0)));
        Assert.AreEqual(new DateTime(2025, 2, 28, 9, 0, 0), Occ(monthly, new DateTime(2025, 2, 28, 9, 0, 0)));
    }

    [TestMethod]
    public void Five_thousand_appointments_with_five_hundred_series_populate_in_well_under_a_second()
    {
        using FakeOutlookHost host = NewHost();
        var specs = new List<AppointmentSpec>();
        var start = new DateTime(2024, 1, 1, 8, 0, 0);
        for (int i = 0; i < 4500; i++)
        {
            specs.Add(AppointmentSpec.Single("single " + i, start.AddHours(i * 5 % 20000)));
        }

        for (int i = 0; i < 500; i++)
        {
            specs.Add(i % 2 == 0
                ? AppointmentSpec.Weekly("weekly " + i, start.AddDays(i % 300).AddHours(i % 9), dayOfWeekMask: 2 | 16)
                : AppointmentSpec.Daily("daily " + i, start.AddDays(i % 300).AddHours(i % 9), occurrences: 200));
        }

        var watch = Stopwatch.StartNew();
        host.AddAppointments(specs);
        watch.Stop();

        // Linear, not a speed goal: a fake that scanned its store per item would take minutes here; a loaded machine
        // takes a second or two.
        Assert.IsLessThan(10_000L, watch.ElapsedMilliseconds);
        Assert.AreEqual(5000, host.StoredItems().Count);

        int week = host.Thread.Invoke(() =>
        {
            object items = Late.Get(Calendar(host.Application), "Items")!;
            Late.Call(items, "Sort", "[Start]", Type.Missing);
            Late.Set(items, "IncludeRecurrences", true);
            return Walk(Late.Call(items, "Restrict", "[Start] <= '3/9/2025 12:00 AM' AND [End] >= '3/3/2025 12:00 AM'")!).Count;
        });
        Assert.IsGreaterThan(0, week);
        Assert.IsGreaterThan(0L, host.CallCount);
    }

    [TestMethod]
    public void The_Outlook_thread_has_a_synchronization_context_and_surfaces_exceptions()
    {
        using var thread = new OutlookThread();
        bool hasContext = thread.Invoke(() => SynchronizationContext.Current is not null);
        thread.Post(() => throw new InvalidOperationException("posted"));
        thread.Drain();

        Assert.IsTrue(hasContext);
        Assert.AreEqual("posted", thread.UnhandledExceptions.Single().Message);
        Assert.ThrowsExactly<InvalidOperationException>(() => thread.InvokeAsync(() => throw new InvalidOperationException("invoked")).GetAwaiter().GetResult());
        int after = thread.RunAsync(async () =>
        {
            int id = Environment.CurrentManagedThreadId;
            await Task.Delay(1);
            Assert.AreEqual(id, Environment.CurrentManagedThreadId, "continuations come back to the Outlook thread");
        }).ContinueWith(t => t.IsFaulted ? 1 : 0, TaskScheduler.Default).GetAwaiter().GetResult();
        Assert.AreEqual(0, after);
    }

    private static class Unsafe
    {
        public static Guid ItemsEvents = new("00063077-0000-0000-C000-000000000046");
    }
}
