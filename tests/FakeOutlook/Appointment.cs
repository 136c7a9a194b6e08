using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;

namespace FakeOutlook;

/// <summary>
/// An AppointmentItem (Class 26). Properties set on it live in memory until <see cref="Save"/> stores them (what Tables,
/// Restrict and other readers see). An occurrence of a series has <see cref="Parent"/> = the master.
/// </summary>
public sealed class FakeAppointmentItem : FakeEventSource
{
    internal FakeAppointmentItem(World w, FakeFolder folder, ItemData? data = null)
        : base(w, FakeEventIds.ItemEvents10, FakeEventIds.ItemEvents)
    {
        FolderObject = folder;
        DateTime now = w.UtcNow;
        Current = data ?? NewData(w, folder, now);
    }

    private FakeAppointmentItem(World w, FakeAppointmentItem master, DateTime originalStartUtc, ItemData data)
        : base(w, FakeEventIds.ItemEvents10, FakeEventIds.ItemEvents)
    {
        Master = master;
        FolderObject = master.FolderObject;
        OriginalStartUtc = originalStartUtc;
        Current = data;
        IsSaved = true;
    }

    internal FakeFolder FolderObject { get; set; }

    internal FakeAppointmentItem? Master { get; }

    internal DateTime OriginalStartUtc { get; }

    /// <summary>
    /// The item as its next reader sees it: the user's copy, or, for the add-in's own calls while it holds the recurring
    /// master, the out-of-date copy it holds (<see cref="BeginHold"/>).
    /// </summary>
    internal ItemData Current
    {
        get => W.Tracking && _held is not null ? _held : _current;
        set
        {
            if (W.Tracking && _held is not null)
            {
                _held = value;
            }
            else
            {
                _current = value;
            }
        }
    }

    private ItemData _current = null!;

    // The recurring master as the add-in's references see it while it holds one (null otherwise).
    private ItemData? _held;

    internal ItemData? Committed { get; set; }

    /// <summary>
    /// The add-in took a reference to this item while holding none. For a recurring master (not one open in a window,
    /// whose item is the very object the user edits), every reference the add-in has from now until it releases the
    /// last one is an out-of-date copy: what the user saves meanwhile is not seen through them, and a Save through them
    /// writes the old copy over it. The VBA AppointmentItem, RecurrencePattern and Exception pages: "if there is still an
    /// active reference ... your new reference will still point to an out-of-date copy" (FACTS §2.4, §10). The worst the
    /// documentation allows.
    /// </summary>
    internal void BeginHold()
    {
        if (Master is null && _current.Recurrence is not null && OpenInspector is null && W.Options.StaleRecurringMasters)
        {
            _held = _current.Clone();
        }
    }

    /// <summary>The add-in released its last reference: the next one it takes is fresh.</summary>
    internal void EndHold() => _held = null;

    /// <summary>Outlook's copy of a stored item not open in a window goes back to what is stored (its process ended).</summary>
    internal void DiscardUnsaved()
    {
        if (OpenInspector is null && !IsSaved && Committed is not null)
        {
            _current = Committed.Clone();
            _held = null;
            IsSaved = true;
        }
    }

    /// <summary>Whether the add-in holds an out-of-date copy of this recurring master now (test-side).</summary>
    internal bool IsHeldStale => _held is not null;

    internal string EntryIdValue { get; set; } = "";

    internal bool IsSaved { get; set; }

    internal bool PermanentlyDeleted { get; set; }

    internal FakeInspector? OpenInspector { get; set; }

    internal ItemData Stored => Committed ?? Current;

    internal override int ObjectClass => 26;

    internal override object? ParentObject => Master is null ? FolderObject : Master;

    internal override string Describe() => (Master is null ? "" : "occurrence of ") + Current.Subject;

    internal static ItemData NewData(World w, FakeFolder folder, DateTime nowUtc)
    {
        DateTime local = w.ToLocal(nowUtc);
        DateTime start = local.Date.AddHours(local.Hour + 1);
        DateTime startUtc = w.ToUtc(start);
        return new ItemData
        {
            StartUtc = startUtc,
            EndUtc = startUtc.AddMinutes(30),
            StartZoneId = w.Options.LocalTimeZoneId,
            EndZoneId = w.Options.LocalTimeZoneId,
            GlobalAppointmentId = World.NewGlobalId(),
            Organizer = folder.Owner,
            CreationTimeUtc = nowUtc,
            LastModificationTimeUtc = nowUtc,
        };
    }

    internal static FakeAppointmentItem Occurrence(FakeAppointmentItem master, DateTime originalStartUtc, bool fromStore)
    {
        ItemData m = fromStore ? master.Stored : master.Current;
        ExceptionData? ex = m.Recurrence?.Exceptions.FirstOrDefault(e => e.OriginalStartUtc == originalStartUtc);
        ItemData data;
        if (ex?.Item is not null)
        {
            data = ex.Item.Clone();
        }
        else
        {
            data = m.Clone();
            data.StartUtc = originalStartUtc;
            data.EndUtc = originalStartUtc.AddMinutes(m.Recurrence?.DurationMinutes ?? (m.EndUtc - m.StartUtc).TotalMinutes);
        }

        data.Recurrence = null;
        return new FakeAppointmentItem(master.W, master, originalStartUtc, data);
    }

    private TimeZoneInfo StartZone => W.Zone(Current.StartZoneId);

    private TimeZoneInfo EndZone => W.Zone(Current.EndZoneId);

    // ---- simple properties ----
    public string Subject
    {
        get => Get(d => d.Subject);
        set => Set(nameof(Subject), d => d.Subject = value ?? "");
    }

    public string Location
    {
        get => Get(d => d.Location);
        set => Set(nameof(Location), d => d.Location = value ?? "");
    }

    public string Body
    {
        get => Get(d => d.Body);
        set => Set(nameof(Body), d =>
        {
            d.Body = value ?? "";
            d.Rtf = null;
        });
    }

    /// <summary>Byte array; when only Body was set, a minimal RTF rendering of it.</summary>
    public object RTFBody
    {
        get => Get(d => (object)(d.Rtf?.ToArray() ?? Rtf.FromPlain(d.Body)));
        set => Set(nameof(RTFBody), d =>
        {
            d.Rtf = value as byte[] ?? throw Error("Type mismatch: RTFBody takes a byte array.", FakeHResults.InvalidArg);
            d.Body = Rtf.ToPlain(d.Rtf);
        });
    }

    public bool AllDayEvent
    {
        get => Get(d => d.AllDayEvent);
        set => Set(nameof(AllDayEvent), d => d.AllDayEvent = value);
    }

    public int BusyStatus
    {
        get => Get(d => d.BusyStatus);
        set => Set(nameof(BusyStatus), d => d.BusyStatus = value);
    }

    public int Sensitivity
    {
        get => Get(d => d.Sensitivity);
        set => Set(nameof(Sensitivity), d => d.Sensitivity = value);
    }

    public string Categories
    {
        get => Get(d => d.Categories);
        set => Set(nameof(Categories), d => d.Categories = value ?? "");
    }

    public bool ReminderSet
    {
        get => Get(d => d.ReminderSet);
        set => Set(nameof(ReminderSet), d => d.ReminderSet = value);
    }

    public int ReminderMinutesBeforeStart
    {
        get => Get(d => d.ReminderMinutesBeforeStart);
        set => Set(nameof(ReminderMinutesBeforeStart), d => d.ReminderMinutesBeforeStart = value);
    }

    public int MeetingStatus
    {
        get => Get(d => d.MeetingStatus);
        set => Set(nameof(MeetingStatus), d => d.MeetingStatus = value);
    }

    public int ResponseStatus => Get(d => d.ResponseStatus);

    public string Organizer => Get(d => d.Organizer);

    /// <summary>The organiser's address-book entry (FACTS §2.4); a name the directory does not know has no Exchange user.</summary>
    public FakeAddressEntry GetOrganizer()
    {
        Enter();
        CheckAlive();
        string name = Current.Organizer;
        return Out(new FakeAddressEntry(W, name, W.App.NameSpace.Lookup(name)));
    }

    /// <summary>
    /// The organiser's "Cancel Meeting" then Send: MeetingStatus becomes olMeetingCanceled, the cancellation
    /// passes Application.ItemSend, and Outlook removes the appointment from the calendar.
    /// </summary>
    internal void CancelAndSendCore()
    {
        Current.MeetingStatus = 5;
        SaveCore();
        var cancellation = new FakeMeetingItem(W, this, 54, Current.Recipients);
        if (W.App.Raise(FakeEventIds.ItemSend, "ApplicationEvents_11.ItemSend", cancellation, CancelArgument.Value))
        {
            return;
        }

        W.SentItems.Enqueue("cancellation");
        DeleteCore();
    }

    /// <summary>
    /// The organiser removes attendees and sends. MS-OXOCAL 3.1.4.9.1.1 (Partial Attendee List, FACTS §10): a meeting
    /// cancellation goes to the removed attendees only. It passes Application.ItemSend first (FACTS §10 [I], the worst
    /// case for a sink that takes every cancellation for the end of the meeting), while the organiser's appointment, its
    /// associated appointment, is still olMeeting (1); then the update goes to the others as <see cref="Send"/> does, and
    /// the item is saved. When a sink cancels the cancellation, nothing is sent and the item stays unsaved.
    /// </summary>
    internal void RemoveAttendeesAndSendCore(IReadOnlyCollection<string> names)
    {
        CheckAlive();
        string? unknown = names.FirstOrDefault(n => !Current.Recipients.Any(r => IsNamed(r, n)));
        if (names.Count == 0 || unknown is not null)
        {
            throw new ArgumentException($"Not an attendee of \"{Current.Subject}\": {unknown ?? "(none named)"}.", nameof(names));
        }

        List<RecipientData> removed = Current.Recipients.Where(r => names.Any(n => IsNamed(r, n))).ToList();
        Current.Recipients.RemoveAll(removed.Contains);
        IsSaved = false;
        var cancellation = new FakeMeetingItem(W, this, 54, removed);
        if (W.App.Raise(FakeEventIds.ItemSend, "ApplicationEvents_11.ItemSend", cancellation, CancelArgument.Value))
        {
            return;
        }

        W.SentItems.Enqueue("cancellation to " + string.Join("; ", removed.Select(r => r.Name)));
        SendCore();

        static bool IsNamed(RecipientData r, string n) =>
            string.Equals(r.Name, n, StringComparison.OrdinalIgnoreCase) || string.Equals(r.Address, n, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The organiser cancels one occurrence of a series. MS-OXOCAL 3.1.4.9.1.2 (FACTS §10): a cancellation is sent for
    /// that occurrence alone. It passes Application.ItemSend with the occurrence as its associated appointment
    /// (RecurrenceState olApptOccurrence or olApptException, MeetingStatus olMeetingCanceled on the occurrence only); then
    /// the occurrence is deleted as <see cref="Delete"/> deletes one: a deleted exception on the master, whose change is
    /// raised. The series goes on.
    /// </summary>
    internal void CancelOccurrenceCore(DateTime occurrenceStartLocal)
    {
        FakeAppointmentItem master = Master ?? this;
        master.CheckAlive();
        if (master.Current.Recurrence is null)
        {
            throw new ArgumentException($"\"{master.Current.Subject}\" is not a series.", nameof(occurrenceStartLocal));
        }

        FakeAppointmentItem occurrence = new FakeRecurrencePattern(W, master).GetOccurrence(occurrenceStartLocal);
        occurrence.Current.MeetingStatus = 5;
        occurrence.IsSaved = false;
        var cancellation = new FakeMeetingItem(W, occurrence, 54, occurrence.Current.Recipients);
        if (W.App.Raise(FakeEventIds.ItemSend, "ApplicationEvents_11.ItemSend", cancellation, CancelArgument.Value))
        {
            return;
        }

        W.SentItems.Enqueue("cancellation of " + occurrenceStartLocal.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
        occurrence.DeleteCore();
    }

    public string MessageClass
    {
        get => Get(d => d.MessageClass);
        set => Set(nameof(MessageClass), d => d.MessageClass = value ?? "IPM.Appointment");
    }

    /// <summary>
    /// Empty until the item is first saved: what an unsaved appointment answers is not documented (FACTS §10 lists it as
    /// unchecked), and empty is the worst case for code that keys new items by it.
    /// </summary>
    public string GlobalAppointmentID => Get(d => Master is null && EntryIdValue.Length == 0 ? string.Empty : d.GlobalAppointmentId);

    public string EntryID => Get(_ => Master?.EntryIdValue ?? EntryIdValue);

    public string ConversationID => Get(d => d.GlobalAppointmentId[^32..]);

    public bool Saved => Get(_ => IsSaved);

    public DateTime LastModificationTime => Get(d => W.ToLocal(d.LastModificationTimeUtc));

    public DateTime CreationTime => Get(d => W.ToLocal(d.CreationTimeUtc));

    public bool IsRecurring => Get(d => Master is not null || d.Recurrence is not null);

    public int RecurrenceState => Get(d => Master is null
        ? (d.Recurrence is null ? 0 : 1)
        : (Master.Current.Recurrence?.Exceptions.Any(e => e.OriginalStartUtc == OriginalStartUtc && !e.Deleted) == true ? 3 : 2));

    public int Size => Get(d => 1024 + (d.Body.Length * 2));

    // ---- times ----
    public DateTime Start
    {
        get => Get(d => W.ToLocal(d.StartUtc));
        set => Set(nameof(Start), d => MoveStart(d, W.ToUtc(value)));
    }

    public DateTime End
    {
        get => Get(d => W.ToLocal(d.EndUtc));
        set => Set(nameof(End), d => SetEnd(d, W.ToUtc(value)));
    }

    public DateTime StartUTC
    {
        get => Get(d => d.StartUtc);
        set => Set(nameof(Start), d => MoveStart(d, value));
    }

    public DateTime EndUTC
    {
        get => Get(d => d.EndUtc);
        set => Set(nameof(End), d => SetEnd(d, value));
    }

    public DateTime StartInStartTimeZone
    {
        get => Get(d => World.FromUtc(d.StartUtc, StartZone));
        set => Set(nameof(Start), d => MoveStart(d, World.ToUtc(value, StartZone)));
    }

    public DateTime EndInEndTimeZone
    {
        get => Get(d => World.FromUtc(d.EndUtc, EndZone));
        set => Set(nameof(End), d => SetEnd(d, World.ToUtc(value, EndZone)));
    }

    public int Duration
    {
        get => Get(d => (int)Math.Round((d.EndUtc - d.StartUtc).TotalMinutes));
        set => Set(nameof(Duration), d => SetEnd(d, d.StartUtc.AddMinutes(value)));
    }

    public FakeTimeZone StartTimeZone
    {
        get
        {
            Enter();
            return Out(new FakeTimeZone(W, Current.StartZoneId));
        }

        set => Set(nameof(StartTimeZone), d =>
        {
            DateTime wall = World.FromUtc(d.StartUtc, StartZone);
            d.StartZoneId = (value ?? throw Error("A time zone is required.", FakeHResults.InvalidArg)).WindowsId;
            MoveStart(d, World.ToUtc(wall, W.Zone(d.StartZoneId)));
        });
    }

    public FakeTimeZone EndTimeZone
    {
        get
        {
            Enter();
            return Out(new FakeTimeZone(W, Current.EndZoneId));
        }

        set => Set(nameof(EndTimeZone), d =>
        {
            DateTime wall = World.FromUtc(d.EndUtc, EndZone);
            d.EndZoneId = (value ?? throw Error("A time zone is required.", FakeHResults.InvalidArg)).WindowsId;
            SetEnd(d, World.ToUtc(wall, W.Zone(d.EndZoneId)));
        });
    }

    // ---- attendees ----
    public FakeRecipients Recipients
    {
        get
        {
            Enter();
            return Out(new FakeRecipients(W, this));
        }
    }

    public string RequiredAttendees
    {
        get => Get(d => d.Attendees(1));
        set => Set(nameof(RequiredAttendees), d => ReplaceAttendees(d, 1, value));
    }

    public string OptionalAttendees
    {
        get => Get(d => d.Attendees(2));
        set => Set(nameof(OptionalAttendees), d => ReplaceAttendees(d, 2, value));
    }

    public string Resources
    {
        get => Get(d => d.Attendees(3));
        set => Set(nameof(Resources), d => ReplaceAttendees(d, 3, value));
    }

    public FakePropertyAccessor PropertyAccessor
    {
        get
        {
            Enter();
            return Out(new FakePropertyAccessor(W, this, null));
        }
    }

    public FakeUserProperties UserProperties
    {
        get
        {
            Enter();
            return Out(new FakeUserProperties(W, this));
        }
    }

    public FakeInspector GetInspector
    {
        get
        {
            Enter();
            return Out(OpenInspector ?? new FakeInspector(W, this));
        }
    }

    // ---- recurrence ----
    public FakeRecurrencePattern GetRecurrencePattern()
    {
        Enter();
        FakeAppointmentItem master = Master ?? this;
        if (master.Current.Recurrence is null)
        {
            master.Current.Recurrence = DefaultPattern(master.Current, master.W);
            master.IsSaved = false;
        }

        return Out(new FakeRecurrencePattern(W, master));
    }

    public void ClearRecurrencePattern()
    {
        Enter();
        if (Master is not null)
        {
            throw Error("This operation is not supported on an occurrence.");
        }

        Current.Recurrence = null;
        IsSaved = false;
        RaiseItem(FakeEventIds.PropertyChange, "PropertyChange", "IsRecurring");
    }

    // ---- methods ----
    public void Save()
    {
        Enter();
        SaveCore();
    }

    /// <summary>
    /// Moves the item to Deleted Items (for good when it is there already); an occurrence becomes a deleted exception of
    /// its series (FACTS §2.4). On Exchange the item gets a new EntryID in Deleted Items (FACTS §2.2, §10).
    /// </summary>
    public void Delete()
    {
        Enter();
        DeleteCore();
    }

    internal void DeleteCore()
    {
        CheckAlive();
        if (RaiseItem(FakeEventIds.BeforeDelete, "BeforeDelete", this, CancelArgument.Value))
        {
            return;
        }

        // The worst order (FACTS §3.1, §10): the add-in's sinks had BeforeDelete, then another handler cancels it, and
        // the item stays where it was, with its EntryID, and no ItemRemove or ItemAdd.
        if (W.OtherHandlerCancelsDelete())
        {
            return;
        }

        if (Master is not null)
        {
            UpsertException(Master, OriginalStartUtc, deleted: true, null);
            Master.Current.LastModificationTimeUtc = Master.Stored.LastModificationTimeUtc = W.UtcNow;
            Master.FolderObject.RaiseChange(Master);
            return;
        }

        if (EntryIdValue.Length == 0)
        {
            PermanentlyDeleted = true;
            return;
        }

        FakeFolder from = FolderObject;
        from.RemoveStored(this, raise: true);
        if (from.IsDeletedItems)
        {
            PermanentlyDeleted = true;
            return;
        }

        FakeFolder to = from.Mailbox.DeletedItems ?? W.App.NameSpace.DeletedItems;
        TakeEntryIdOnMove(from, to);
        Trace("delete");
        to.AddStored(this, raise: true);
    }

    /// <summary>Shift+Del: gone for good, without a stop in Deleted Items; the folder raises only ItemRemove (no argument).</summary>
    internal void HardDeleteCore()
    {
        CheckAlive();
        FolderObject.RemoveStored(this, raise: true);
        PermanentlyDeleted = true;
    }

    /// <summary>
    /// A copy in the same folder, unsaved (it gets its own EntryID when saved), with the item's named properties. It keeps
    /// the original's GlobalAppointmentID: FACTS §2.4 (VBA GlobalAppointmentID page) says the id "stays the same ...
    /// across all copies of the meeting", the worst case for a caller that tells items apart by it.
    /// </summary>
    public object Copy()
    {
        Enter();
        CheckAlive();
        ItemData data = Current.Clone();
        data.Recurrence = Master is null ? data.Recurrence : null;
        data.CreationTimeUtc = data.LastModificationTimeUtc = W.UtcNow;
        return Out(new FakeAppointmentItem(W, FolderObject, data));
    }

    /// <summary>
    /// Moves the item to another folder (ItemRemove in the old one, ItemAdd in the new one) and returns it; its EntryID
    /// changes as <see cref="TakeEntryIdOnMove"/> says (FACTS §2.2, §10).
    /// </summary>
    public object Move(object DestFldr)
    {
        Enter();
        CheckAlive();
        if (DestFldr is not FakeFolder dest)
        {
            throw Error("Type mismatch: a Folder is required.", FakeHResults.InvalidArg);
        }

        if (Master is not null)
        {
            throw Error("An occurrence cannot be moved.");
        }

        if (EntryIdValue.Length == 0)
        {
            FolderObject = dest;
            SaveCore();
            return Out(this);
        }

        if (dest != FolderObject)
        {
            FakeFolder from = FolderObject;
            from.RemoveStored(this, raise: true);
            TakeEntryIdOnMove(from, dest);
            Trace("move");
            dest.AddStored(this, raise: true);
        }

        return Out(this);
    }

    /// <summary>
    /// The item's EntryID after a move between folders (Move, Delete into Deleted Items, a restore out of it). FACTS §2.2
    /// and §10: a message EntryID embeds its folder's id (MS-OXCDATA), so an Exchange mailbox gives the item a NEW EntryID
    /// on every move between folders, its own Deleted Items included; a move to another store gives a new one too (VBA
    /// GlobalAppointmentID page); only a PST keeps it, and only within the PST. GlobalAppointmentID never changes.
    /// </summary>
    /// <summary>For <see cref="World.Trace"/>: the ends of the item's ids and of its stored tag, and its length; nothing a user wrote but the subject.</summary>
    private void Trace(string what)
    {
        if (W.Options.Trace is null)
        {
            return;
        }

        // Taken now, made into words only when the trace is read.
        string entryId = EntryIdValue;
        string folder = FolderObject.FolderName;
        ItemData d = Committed ?? Current.Clone();
        W.Trace(() => what + " " + TraceLine(d, entryId, folder));
    }

    private static string TraceLine(ItemData d, string entryId, string folder)
    {
        static string End(object? value) => value is string { Length: > 0 } s ? s[Math.Max(0, s.Length - 6)..] : "-";
        // Matched by the end of the name: the fake knows no add-in's namespace.
        object? Tag(string name) => d.Named.FirstOrDefault(p => p.Key.EndsWith("/" + name, StringComparison.Ordinal)).Value;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{d.Subject} e:{End(entryId)} in:{folder} rid:{End(Tag("RequestId"))} mid:{End(Tag("MeetingId"))} owner:{End(Tag("OwnerEntryId"))} home:{End(Tag("Home"))} min:{(d.EndUtc - d.StartUtc).TotalMinutes} status:{d.MeetingStatus}");
    }

    private void TakeEntryIdOnMove(FakeFolder from, FakeFolder to)
    {
        if (from.Mailbox != to.Mailbox || from.Mailbox.Kind == FakeStoreKind.Exchange)
        {
            EntryIdValue = W.NewEntryId();
        }
    }

    public void Close(object SaveMode)
    {
        Enter();
        int mode = Convert.ToInt32(SaveMode, CultureInfo.InvariantCulture);
        if (OpenInspector is not null)
        {
            OpenInspector.CloseCore(mode);
            return;
        }

        CloseCore(mode, inspector: null);
    }

    public void Display(object? Modal = null)
    {
        Enter();
        _ = Modal;
        DisplayCore();
    }

    public void Send()
    {
        Enter();
        SendCore();
    }

    /// <summary>Item Send, then Application.ItemSend (either can cancel), then saved and its inspector closed.</summary>
    internal void SendCore()
    {
        CheckAlive();
        if (RaiseItem(FakeEventIds.Send, "Send", CancelArgument.Value))
        {
            return;
        }

        if (W.App.Raise(FakeEventIds.ItemSend, "ApplicationEvents_11.ItemSend", this, CancelArgument.Value))
        {
            return;
        }

        W.SentItems.Enqueue(Current.Subject);
        SaveCore();
        if (OpenInspector is not null)
        {
            OpenInspector.CloseCore(1);
        }
    }

    // ---- internals ----
    internal FakeInspector? DisplayCore()
    {
        CheckAlive();
        if (OpenInspector is not null)
        {
            OpenInspector.Raise(FakeEventIds.Activate, "InspectorEvents_10.Activate");
            return OpenInspector;
        }

        if (RaiseItem(FakeEventIds.Open, "Open", CancelArgument.Value))
        {
            return null;
        }

        var inspector = new FakeInspector(W, this);
        OpenInspector = inspector;
        List<FakeInspector> open = W.App.InspectorsCollection.Open;
        if (open.Count == 0)
        {
            open.Add(inspector);
            W.App.InspectorsCollection.Raise(FakeEventIds.NewInspector, "InspectorsEvents.NewInspector", inspector);
            inspector.Raise(FakeEventIds.Activate, "InspectorEvents_10.Activate");
            return inspector;
        }

        // With another window open, the new one opens behind it: ActiveInspector (the topmost, FACTS §2.1) still names
        // the other. Display promises a window, not that it comes to the top at once, so the fake takes the worst case.
        open.Insert(open.Count - 1, inspector);
        W.App.InspectorsCollection.Raise(FakeEventIds.NewInspector, "InspectorsEvents.NewInspector", inspector);
        return inspector;
    }

    /// <summary>A new item whose window was closed without saving it: every member then fails, as for a closed inspector.</summary>
    internal bool Discarded { get; private set; }

    internal override string? Defunct => Discarded ? "The item was discarded."
        : FolderObject.Mailbox.ClosedFolders is not null ? "The store of this item is not in the profile." : null;

    internal bool CloseCore(int mode, FakeInspector? inspector)
    {
        if (RaiseItem(FakeEventIds.ItemClose, "Close", CancelArgument.Value) && mode == 2)
        {
            return false;
        }

        if (mode == 0 && !IsSaved)
        {
            SaveCore();
        }
        else if (mode != 0 && !IsSaved)
        {
            Current = Committed?.Clone() ?? Current;
            IsSaved = Committed is not null;
        }

        if (inspector is not null)
        {
            inspector.Raise(FakeEventIds.InspectorClose, "InspectorEvents_10.Close");
            W.App.InspectorsCollection.Open.Remove(inspector);
            OpenInspector = null;
            inspector.IsClosed = true;

            // A new item closed without ever being saved is gone: nothing in any folder, nothing to come back to.
            Discarded = EntryIdValue.Length == 0 && Master is null;
        }

        RaiseItem(FakeEventIds.Unload, "Unload");
        return true;
    }

    /// <summary>A change made elsewhere (the server, another client) arriving by sync: stored, and ItemChange raised, with no Write here.</summary>
    internal void SyncFromServer()
    {
        CheckAlive();
        Committed = Current.Clone();
        IsSaved = true;
        FolderObject.RaiseChange(this);
    }

    internal void SaveCore()
    {
        CheckAlive();
        if (OpenInspector?.Document is FakeWordDocument doc && doc.Dirty)
        {
            Current.Body = doc.ShownText.Replace("\r", "\r\n", StringComparison.Ordinal);
            Current.Rtf = doc.ToRtf();
            doc.Dirty = false;
        }

        if (RaiseItem(FakeEventIds.Write, "Write", CancelArgument.Value))
        {
            return;
        }

        DateTime now = W.UtcNow;
        Current.LastModificationTimeUtc = now;
        if (Master is not null)
        {
            UpsertException(Master, OriginalStartUtc, deleted: false, Current.Clone());
            Master.Current.LastModificationTimeUtc = Master.Stored.LastModificationTimeUtc = now;
            IsSaved = true;
            RaiseItem(FakeEventIds.AfterWrite, "AfterWrite");
            Master.FolderObject.RaiseChange(Master);
            return;
        }

        bool isNew = EntryIdValue.Length == 0;
        if (isNew)
        {
            EntryIdValue = W.NewEntryId();
            Current.CreationTimeUtc = now;
        }

        if (Current.Recurrence is not null)
        {
            RecalcFromPattern(Current, W);
        }

        Committed = Current.Clone();
        if (W.Tracking && _held is not null)
        {
            // The add-in saved its out-of-date copy: that is what the item now is, for everyone.
            _current = Committed.Clone();
        }

        IsSaved = true;
        Trace("save");
        if (isNew)
        {
            FolderObject.AddStored(this, raise: false);
        }

        RaiseItem(FakeEventIds.AfterWrite, "AfterWrite");
        if (isNew)
        {
            FolderObject.RaiseItems(FakeEventIds.ItemAdd, "ItemAdd", this);
        }
        else
        {
            FolderObject.RaiseChange(this);
        }
    }

    private static void UpsertException(FakeAppointmentItem master, DateTime originalStartUtc, bool deleted, ItemData? item)
    {
        foreach (ItemData d in new[] { master.Current, master.Committed }.OfType<ItemData>().Distinct())
        {
            if (d.Recurrence is null)
            {
                continue;
            }

            d.Recurrence.Exceptions.RemoveAll(e => e.OriginalStartUtc == originalStartUtc);
            d.Recurrence.Exceptions.Add(new ExceptionData { OriginalStartUtc = originalStartUtc, Deleted = deleted, Item = item?.Clone() });
        }
    }

    internal bool RaiseItem(int dispId, string name, params object?[] args) => Raise(dispId, "ItemEvents_10." + name, args);

    private T Get<T>(Func<ItemData, T> read, [CallerMemberName] string member = "")
    {
        Enter(member);
        CheckAlive();
        return read(Current);
    }

    private void Set(string name, Action<ItemData> apply, [CallerMemberName] string member = "")
    {
        Enter(member);
        CheckAlive();
        apply(Current);
        IsSaved = false;
        if (OpenInspector?.Document is FakeWordDocument doc && name == nameof(Body))
        {
            doc.ReplaceAllForBody(Current.Body);
        }

        RaiseItem(FakeEventIds.PropertyChange, "PropertyChange", name);
    }

    private void CheckAlive()
    {
        if (PermanentlyDeleted)
        {
            throw Error("The item has been moved or deleted.", FakeHResults.NotFound);
        }
    }

    private void MoveStart(ItemData d, DateTime startUtc)
    {
        TimeSpan duration = d.EndUtc - d.StartUtc;
        d.StartUtc = startUtc;
        d.EndUtc = startUtc + duration;
        if (d.Recurrence is not null)
        {
            d.Recurrence.StartTime = World.FromUtc(startUtc, W.Zone(d.StartZoneId)).TimeOfDay;
        }
    }

    private static void SetEnd(ItemData d, DateTime endUtc)
    {
        d.EndUtc = endUtc < d.StartUtc ? d.StartUtc : endUtc;
        if (d.Recurrence is not null)
        {
            d.Recurrence.DurationMinutes = (int)(d.EndUtc - d.StartUtc).TotalMinutes;
        }
    }

    private void ReplaceAttendees(ItemData d, int type, string? names)
    {
        d.Recipients.RemoveAll(r => r.Type == type);
        foreach (string n in (names ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            d.Recipients.Add(FakeRecipients.Resolve(W, new RecipientData { Name = n, Address = n, Type = type }));
        }
    }

    internal static RecurrenceData DefaultPattern(ItemData d, World w)
    {
        DateTime wall = World.FromUtc(d.StartUtc, w.Zone(d.StartZoneId));
        return new RecurrenceData
        {
            Type = 1,
            Interval = 1,
            DayOfWeekMask = 1 << (int)wall.DayOfWeek,
            DayOfMonth = wall.Day,
            MonthOfYear = wall.Month,
            Instance = Math.Min(5, ((wall.Day - 1) / 7) + 1),
            PatternStartDate = wall.Date,
            StartTime = wall.TimeOfDay,
            DurationMinutes = (int)(d.EndUtc - d.StartUtc).TotalMinutes,
        };
    }

    /// <summary>Start/End of a master = its first occurrence.</summary>
    internal static void RecalcFromPattern(ItemData d, World w)
    {
        RecurrenceData r = d.Recurrence!;
        DateTime first = r.Dates().Cast<DateTime?>().FirstOrDefault() ?? r.PatternStartDate;
        d.StartUtc = World.ToUtc(first.Date + r.StartTime, w.Zone(d.StartZoneId));
        d.EndUtc = d.StartUtc.AddMinutes(r.DurationMinutes);
    }
}

/// <summary>A minimal RTF writer/reader for bodies.</summary>
internal static class Rtf
{
    public static byte[] FromPlain(string text) => Build(text, Array.Empty<(int Start, int End, string Kind)>());

    public static byte[] Build(string text, IReadOnlyList<(int Start, int End, string Kind)> spans)
    {
        var sb = new StringBuilder("{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Calibri;}}\\f0 ");
        for (int i = 0; i < text.Length; i++)
        {
            foreach ((int s, int _, string k) in spans)
            {
                if (s == i)
                {
                    sb.Append(k == "bold" ? "{\\b " : k == "italic" ? "{\\i " : "{");
                }
            }

            char c = text[i];
            switch (c)
            {
                case '\\' or '{' or '}':
                    sb.Append('\\').Append(c);
                    break;
                case '\r':
                    break;
                case '\n':
                    sb.Append("\\par ");
                    break;
                default:
                    if (c > 127)
                    {
                        sb.Append("\\u").Append(((int)(short)c).ToString(CultureInfo.InvariantCulture)).Append('?');
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }

            foreach ((int _, int e, string _) in spans)
            {
                if (e == i + 1)
                {
                    sb.Append('}');
                }
            }
        }

        sb.Append('}');
        return Encoding.ASCII.GetBytes(sb.ToString());
    }

    /// <summary>
    /// The control word at <paramref name="at"/> (a backslash, letters, an optional signed number, and the one space that
    /// may end it): its name, its number's digits, and where what follows it begins.
    /// </summary>
    internal static (string Word, string Digits, int Next) ControlWord(string s, int at)
    {
        int w = at + 1;
        while (w < s.Length && char.IsLetter(s[w]))
        {
            w++;
        }

        int p = w;
        while (p < s.Length && (char.IsDigit(s[p]) || s[p] == '-'))
        {
            p++;
        }

        return (s[(at + 1)..w], s[w..p], p < s.Length && s[p] == ' ' ? p + 1 : p);
    }

    public static string ToPlain(byte[] rtf)
    {
        string s = Encoding.ASCII.GetString(rtf);
        var sb = new StringBuilder();
        int depth = 0;
        int skipDepth = int.MaxValue;
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c == '{')
            {
                depth++;

                // Tables and ignorable destinations ({\*\htmltag…} of an HTML body, {\*\fldinst…}) show nothing.
                if (i + 1 < s.Length && s[i + 1] == '\\' && skipDepth == int.MaxValue
                    && (s.AsSpan(i + 2).StartsWith("fonttbl", StringComparison.Ordinal) || s.AsSpan(i + 2).StartsWith("colortbl", StringComparison.Ordinal) || s.AsSpan(i + 2).StartsWith("*", StringComparison.Ordinal)))
                {
                    skipDepth = depth;
                }
            }
            else if (c == '}')
            {
                if (depth == skipDepth)
                {
                    skipDepth = int.MaxValue;
                }

                depth--;
            }
            else if (c == '\\')
            {
                if (i + 3 < s.Length && s[i + 1] == '\'')
                {
                    if (depth < skipDepth)
                    {
                        sb.Append(Encoding.Latin1.GetString(new[] { Convert.ToByte(s.Substring(i + 2, 2), 16) }));
                    }

                    i += 3;
                    continue;
                }

                if (i + 1 < s.Length && "\\{}".Contains(s[i + 1], StringComparison.Ordinal))
                {
                    if (depth < skipDepth)
                    {
                        sb.Append(s[i + 1]);
                    }

                    i++;
                    continue;
                }

                (string word, string digits, int k) = ControlWord(s, i);
                if (word is "par" or "line" && depth < skipDepth)
                {
                    sb.Append("\r\n");
                }
                else if (word == "u" && digits.Length > 0 && depth < skipDepth)
                {
                    sb.Append((char)(short)int.Parse(digits, CultureInfo.InvariantCulture));
                    if (k < s.Length && s[k] == '?')
                    {
                        k++;
                    }
                }

                i = k - 1;
            }
            else if (depth < skipDepth && c != '\r' && c != '\n')
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }
}
