using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;

namespace FakeOutlook;

/// <summary>Outlook's Application (Class 0); sources ApplicationEvents_11 (ItemSend, Startup, Quit).</summary>
public sealed class FakeApplication : FakeEventSource
{
    internal FakeApplication(World w)
        : base(w, FakeEventIds.ApplicationEvents11, FakeEventIds.ApplicationEvents10, FakeEventIds.ApplicationEvents)
    {
        W.App = this;
        NameSpace = new FakeNameSpace(w);
        InspectorsCollection = new FakeInspectors(w);
        ExplorerObject = new FakeExplorer(w);
    }

    internal FakeNameSpace NameSpace { get; }

    internal FakeInspectors InspectorsCollection { get; }

    internal FakeExplorer? ExplorerObject { get; set; }

    internal override int ObjectClass => 0;

    internal override object? ParentObject => null;

    public string Version
    {
        get
        {
            Enter();
            return W.Options.Version;
        }
    }

    public string Name
    {
        get
        {
            Enter();
            return "Outlook";
        }
    }

    public string ProductCode
    {
        get
        {
            Enter();
            return "{00000000-0000-0000-0000-000000000000}";
        }
    }

    public FakeNameSpace GetNamespace(string Type)
    {
        Enter();
        if (!string.Equals(Type, "MAPI", StringComparison.OrdinalIgnoreCase))
        {
            throw Error("Could not complete the operation. One or more parameter values are not valid.", FakeHResults.InvalidArg);
        }

        return Out(NameSpace);
    }

    public FakeExplorer? ActiveExplorer()
    {
        Enter();
        return Out(ExplorerObject);
    }

    public FakeInspector? ActiveInspector()
    {
        Enter();
        return Out(InspectorsCollection.Open.LastOrDefault());
    }

    public FakeInspectors Inspectors
    {
        get
        {
            Enter();
            return Out(InspectorsCollection);
        }
    }

    /// <summary>Application.IsTrusted: whether Outlook trusts this add-in (FACTS §10); see FakeOutlookOptions.Trusted.</summary>
    public bool IsTrusted
    {
        get
        {
            Enter();
            return W.Options.Trusted;
        }
    }

    public FakeTimeZones TimeZones
    {
        get
        {
            Enter();
            return Out(new FakeTimeZones(W));
        }
    }

    public object CreateItem(object ItemType)
    {
        Enter();
        int type = Convert.ToInt32(ItemType, CultureInfo.InvariantCulture);
        if (type != 1)
        {
            throw Error("The fake Outlook creates appointment items only (olAppointmentItem = 1).");
        }

        return Out(new FakeAppointmentItem(W, NameSpace.Calendar));
    }
}

/// <summary>One entry of the fake address book.</summary>
public sealed record DirectoryEntry(string Name, string Address, bool IsRoom = false);

/// <summary>The MAPI NameSpace (Class 1).</summary>
public sealed class FakeNameSpace : FakeComObject
{
    internal FakeNameSpace(World w)
        : base(w)
    {
        Store = new FakeStore(w, w.Options.CurrentUserAddress, FakeStoreKind.Exchange, FakeStore.PrimaryExchangeMailbox);
        Calendar = new FakeFolder(w, "Calendar", Store, w.Options.CurrentUserName, 1);
        DeletedItems = new FakeFolder(w, "Deleted Items", Store, w.Options.CurrentUserName, 0) { IsDeletedItems = true };
        Store.DeletedItems = DeletedItems;
        Folders.Add(Calendar);
        Folders.Add(DeletedItems);
        Directory.Add(new DirectoryEntry(w.Options.CurrentUserName, w.Options.CurrentUserAddress));
    }

    /// <summary>The default store of the profile: the user's Exchange mailbox.</summary>
    internal FakeStore Store { get; }

    internal FakeFolder Calendar { get; }

    internal FakeFolder DeletedItems { get; }

    internal List<FakeFolder> Folders { get; } = new();

    internal List<DirectoryEntry> Directory { get; } = new();

    internal Dictionary<string, FakeFolder> SharedCalendars { get; } = new(StringComparer.OrdinalIgnoreCase);

    internal override int ObjectClass => 1;

    public string Type
    {
        get
        {
            Enter();
            return "MAPI";
        }
    }

    public int ExchangeConnectionMode
    {
        get
        {
            Enter();
            return W.Options.ExchangeConnectionMode;
        }
    }

    public bool Offline
    {
        get
        {
            Enter();
            return false;
        }
    }

    public string CurrentProfileName
    {
        get
        {
            Enter();
            return "Outlook";
        }
    }

    public FakeRecipient CurrentUser
    {
        get
        {
            Enter();
            var r = new RecipientData { Name = W.Options.CurrentUserName, Address = W.Options.CurrentUserAddress, Resolved = true };
            return Out(new FakeRecipient(W, null, r));
        }
    }

    /// <summary>
    /// The stores of the profile (Outlook 2007 and later; FACTS §2.2): the user's mailbox and every PST added. A
    /// delegate's calendar opened with GetSharedDefaultFolder brings no store into the profile.
    /// </summary>
    public FakeCollection<FakeStore> Stores
    {
        get
        {
            Enter();
            return Out(new FakeCollection<FakeStore>(W, Folders.Where(f => !f.StoreHidden).Select(f => f.Mailbox).Distinct().ToList(), 161));
        }
    }

    public FakeFolder GetDefaultFolder(object FolderType)
    {
        Enter();
        return Convert.ToInt32(FolderType, CultureInfo.InvariantCulture) switch
        {
            9 => Out(Calendar),
            3 => Out(DeletedItems),
            int other => throw Error($"The fake Outlook has no default folder {other}."),
        };
    }

    public FakeFolder GetSharedDefaultFolder(object Recipient, object FolderType)
    {
        Enter();
        if (Recipient is not FakeRecipient r)
        {
            throw Error("Type mismatch: a Recipient is required.", FakeHResults.InvalidArg);
        }

        if (!r.Data.Resolved)
        {
            throw Error("The recipient could not be resolved. Resolve it first.");
        }

        int type = Convert.ToInt32(FolderType, CultureInfo.InvariantCulture);
        if (type is not (9 or 10 or 16 or 6 or 11 or 12 or 13))
        {
            throw Error("The operation is not supported for this folder type.", FakeHResults.InvalidArg);
        }

        if (type != 9 || !SharedCalendars.TryGetValue(r.Data.Address, out FakeFolder? folder))
        {
            throw Error($"Cannot open the folder of {r.Data.Name}: you do not have permission (or it is not shared).", unchecked((int)0x80070005));
        }

        return Out(folder);
    }

    public FakeRecipient CreateRecipient(string RecipientName)
    {
        Enter();
        if (string.IsNullOrWhiteSpace(RecipientName))
        {
            throw Error("Could not complete the operation. One or more parameter values are not valid.", FakeHResults.InvalidArg);
        }

        return Out(new FakeRecipient(W, null, new RecipientData { Name = RecipientName, Address = RecipientName }));
    }

    private Dictionary<string, FakeAppointmentItem> _index = new(StringComparer.Ordinal);
    private int _indexVersion = -1;

    /// <summary>
    /// The item with this EntryID. The EntryIDStore argument "usually must be provided" (FACTS §2.1, §10; VBA
    /// NameSpace.GetItemFromID page): the fake takes the worst case. Without a store id (null, Type.Missing or "") only
    /// the default store is searched; with one, only that store. An item elsewhere is MAPI_E_NOT_FOUND, as is an EntryID
    /// the item no longer has (FACTS §2.2: it changes on every move on Exchange).
    /// </summary>
    public object GetItemFromID(string EntryIDItem, object? EntryIDStore = null)
    {
        Enter();
        W.ChargeOpen();
        string? storeId = StoreIdArgument(EntryIDStore);
        if (EntryIDItem is { Length: > 2 } && EntryIDItem.StartsWith("80", StringComparison.Ordinal))
        {
            // A contents table's short-term id (see ColumnDef.ShortTermEntryId): not an id to open an item by.
            throw Error("The operation failed. The entry ID is not valid.", FakeHResults.InvalidEntryId);
        }

        // Outlook finds an item by id directly; an index keeps the fake from charging a scan to the add-in's timings.
        if (_indexVersion != W.StoreVersion)
        {
            _index = Folders.SelectMany(f => f.Stored).Where(i => i.EntryIdValue.Length > 0).GroupBy(i => i.EntryIdValue).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            _indexVersion = W.StoreVersion;
        }

        if (!_index.TryGetValue(EntryIDItem ?? string.Empty, out FakeAppointmentItem? item) || item.EntryIdValue != EntryIDItem
            || !InStore(item.FolderObject, storeId))
        {
            throw Error("The operation failed. An object could not be found.", FakeHResults.NotFound);
        }

        return Out(item);
    }

    /// <summary>
    /// Whether two entry ids name the same object (VBA NameSpace.CompareEntryIDs page: one object can have two binary
    /// forms). The fake gives each object one form, so the answer is a comparison of the hex, either case.
    /// </summary>
    public bool CompareEntryIDs(string FirstEntryID, string SecondEntryID)
    {
        Enter();
        return !string.IsNullOrEmpty(FirstEntryID) && string.Equals(FirstEntryID, SecondEntryID, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The folder with this EntryID; the store id is needed as for <see cref="GetItemFromID"/> (FACTS §2.1).</summary>
    public FakeFolder GetFolderFromID(string EntryIDFolder, object? EntryIDStore = null)
    {
        Enter();
        string? storeId = StoreIdArgument(EntryIDStore);
        return Out(Folders.FirstOrDefault(f => f.EntryIdValue == EntryIDFolder && InStore(f, storeId))
            ?? throw Error("The operation failed. An object could not be found.", FakeHResults.NotFound));
    }

    /// <summary>The store id passed as EntryIDStore, or null when it was left out (null, Type.Missing or an empty string).</summary>
    private static string? StoreIdArgument(object? value) => value switch
    {
        null or Missing or DBNull => null,
        string s => s.Length == 0 ? null : s,
        _ => throw Error("Type mismatch: EntryIDStore is a string.", FakeHResults.InvalidArg),
    };

    /// <summary>Without a store id, only the default store is searched; with one, only that store.</summary>
    private bool InStore(FakeFolder folder, string? storeId) => storeId is null
        ? folder.Mailbox == Store
        : string.Equals(folder.StoreIdValue, storeId, StringComparison.OrdinalIgnoreCase);

    internal DirectoryEntry? Lookup(string nameOrAddress) =>
        Directory.FirstOrDefault(d => string.Equals(d.Name, nameOrAddress, StringComparison.OrdinalIgnoreCase)
                                      || string.Equals(d.Address, nameOrAddress, StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// What kind of message store a folder lives in. The kind decides what a move does to an item's EntryID (FACTS §2.2,
/// §10): an Exchange mailbox gives the item a new one on every move between folders, a PST keeps it within the store.
/// </summary>
public enum FakeStoreKind
{
    /// <summary>An Exchange mailbox (the default store, and every shared calendar's owner's mailbox).</summary>
    Exchange,

    /// <summary>A personal folders file (.pst), added with <see cref="FakeOutlookHost.AddPstCalendar"/>.</summary>
    Pst,
}

/// <summary>A message store (Class 143).</summary>
public sealed class FakeStore : FakeComObject
{
    /// <summary>OlExchangeStoreType olPrimaryExchangeMailbox (VBA <c>api/Outlook.OlExchangeStoreType.md</c>, FACTS §1).</summary>
    internal const int PrimaryExchangeMailbox = 0;

    /// <summary>OlExchangeStoreType olExchangeMailbox: a delegate's view of another user's mailbox.</summary>
    internal const int DelegateExchangeMailbox = 1;

    /// <summary>OlExchangeStoreType olNotExchange: a PST.</summary>
    internal const int NotExchange = 3;

    /// <summary>
    /// OlExchangeStoreType olAdditionalExchangeMailbox: another user's mailbox that Exchange added to the profile by
    /// itself, as it does for one the user has Full Access to (automapping). Which of the non-primary values Outlook
    /// gives such a store is not documented beyond the enumeration's names (FACTS §1, §10 [S]); the add-in must not need to know.
    /// </summary>
    internal const int AdditionalExchangeMailbox = 4;

    internal FakeStore(World w, string owner, FakeStoreKind kind, int exchangeStoreType)
        : base(w)
    {
        Owner = owner;
        Kind = kind;
        StoreType = exchangeStoreType;
        StoreIdValue = w.NewEntryId();
    }

    internal string Owner { get; }

    /// <summary>Exchange mailbox or PST (test-side).</summary>
    public FakeStoreKind Kind { get; }

    internal int StoreType { get; }

    internal string StoreIdValue { get; }

    /// <summary>
    /// The store was taken out of the profile (File, Close; NameSpace.RemoveStore, test-side <see cref="FakeOutlookHost.ClosePstAsUserAsync"/>):
    /// its folders, while out, wait here to come back with the same file.
    /// </summary>
    internal List<FakeFolder>? ClosedFolders { get; set; }

    /// <summary>Where Delete puts this store's items; null: the default store's Deleted Items.</summary>
    internal FakeFolder? DeletedItems { get; set; }

    internal override int ObjectClass => 143;

    /// <summary>
    /// The store's own default folder of a type (Outlook 2010 and later); null when the store has none, as the VBA
    /// Store.GetDefaultFolder page says (FACTS §2.2). The fake knows only Deleted Items (3): a PST has its own.
    /// </summary>
    public FakeFolder? GetDefaultFolder(object FolderType)
    {
        Enter();
        return Convert.ToInt32(FolderType, CultureInfo.InvariantCulture) switch
        {
            3 => DeletedItems is null ? null : Out(DeletedItems),
            int other => throw Error($"The fake Outlook has no default folder {other} in a store."),
        };
    }

    internal override string Describe() => Owner;

    public string DisplayName
    {
        get
        {
            Enter();
            return Owner;
        }
    }

    public string StoreID
    {
        get
        {
            Enter();
            return StoreIdValue;
        }
    }

    /// <summary>OlExchangeStoreType: 0 for the user's own mailbox, 1 for another user's, 3 for a PST.</summary>
    public int ExchangeStoreType
    {
        get
        {
            Enter();
            return StoreType;
        }
    }

    /// <summary>
    /// The folder at the root of the store (Outlook 2007 and later), whose Folders are the store's folders, so that a
    /// caller can enumerate one store's folders (FACTS §2.2, VBA Store.GetRootFolder [P]). The fake's tree is one level
    /// deep: every folder of the store hangs directly below the root.
    /// </summary>
    public FakeFolder GetRootFolder()
    {
        Enter();
        Root ??= new FakeFolder(W, "Top of Information Store", this, Owner, 0) { IsRoot = true };
        return Out(Root);
    }

    internal FakeFolder? Root { get; private set; }

    /// <summary>
    /// Store.PropertyAccessor (on the Object Model Guard's list, FACTS §7.3). It answers the mailbox owner
    /// (PR_MAILBOX_OWNER_ENTRYID, 0x661B0102: the MAPI canonical property PidTagMailboxOwnerEntryId of a message store) for an Exchange mailbox and nothing for a PST.
    /// </summary>
    public FakeStorePropertyAccessor PropertyAccessor
    {
        get
        {
            Enter();
            return Out(new FakeStorePropertyAccessor(W, this));
        }
    }

    /// <summary>True for a PST (a data file), false for an Exchange mailbox.</summary>
    public bool IsDataFileStore
    {
        get
        {
            Enter();
            return Kind == FakeStoreKind.Pst;
        }
    }
}

/// <summary>A store's PropertyAccessor (Class 112): read-only, and only the properties the fake knows of a store.</summary>
public sealed class FakeStorePropertyAccessor : FakeComObject
{
    /// <summary>PR_MAILBOX_OWNER_ENTRYID (PidTagMailboxOwnerEntryId, a message store property): the owner's address-book EntryID.</summary>
    internal const string MailboxOwnerEntryId = "http://schemas.microsoft.com/mapi/proptag/0x661B0102";

    private readonly FakeStore _store;

    internal FakeStorePropertyAccessor(World w, FakeStore store)
        : base(w) => _store = store;

    internal override int ObjectClass => 112;

    internal override object? ParentObject => _store;

    public object GetProperty(string SchemaName)
    {
        Enter();
        if (_store.Kind == FakeStoreKind.Exchange && string.Equals(SchemaName, MailboxOwnerEntryId, StringComparison.OrdinalIgnoreCase))
        {
            return Schema.HexToBytes(FakeAddressEntry.IdOf(_store.Owner));
        }

        throw Error($"The property \"{SchemaName}\" is unknown or cannot be found.", FakeHResults.NotFound);
    }

    public string BinaryToString(object Value)
    {
        Enter();
        return Schema.BytesToHex(Value as byte[] ?? throw Error("Type mismatch: a byte array is required.", FakeHResults.InvalidArg));
    }
}

/// <summary>A folder (Class 2). <see cref="Items"/> is a NEW collection on every get, as in Outlook.</summary>
public sealed class FakeFolder : FakeComObject
{
    internal FakeFolder(World w, string name, FakeStore mailbox, string owner, int defaultItemType, bool storeHidden = false)
        : base(w)
    {
        FolderName = name;
        Mailbox = mailbox;
        StoreHidden = storeHidden;
        Owner = owner;
        DefaultType = defaultItemType;
        EntryIdValue = w.NewEntryId();
    }

    internal string FolderName { get; }

    /// <summary>The store the folder lives in, also when <see cref="Store"/> returns null.</summary>
    internal FakeStore Mailbox { get; }

    /// <summary>A folder from GetSharedDefaultFolder: its Store property is null (FACTS §2.1), its StoreID is not.</summary>
    internal bool StoreHidden { get; }

    internal FakeStore? StoreObject => StoreHidden ? null : Mailbox;

    /// <summary>
    /// A folder of a store taken out of the profile, still held by the add-in: what Outlook answers there is not
    /// documented (FACTS §10 lists it as unchecked), so every member fails, the worst case, as for a closed inspector.
    /// </summary>
    internal override string? Defunct =>
        Mailbox.ClosedFolders is not null ? "The store of this folder is not in the profile."
        : SharingWithdrawn ? "You do not have permission to open this folder."
        : null;

    /// <summary>
    /// The owner of a shared calendar took the current user's permission away while the add-in held the folder. Which
    /// call fails first, and how, is not documented (FACTS §10 lists it as unchecked): the fake fails every member of the
    /// folder with MAPI_E_NO_ACCESS (E_ACCESSDENIED, what GetSharedDefaultFolder answers without permission), the worst
    /// case: no read of that calendar succeeds again.
    /// </summary>
    internal bool SharingWithdrawn { get; set; }

    internal override int DefunctHResult => SharingWithdrawn && Mailbox.ClosedFolders is null ? FakeHResults.NoAccess : FakeHResults.Fail;

    /// <summary>The kind of store the folder is in (test-side).</summary>
    public FakeStoreKind StoreKind => Mailbox.Kind;

    internal string Owner { get; }

    internal int DefaultType { get; }

    internal bool IsDeletedItems { get; init; }

    /// <summary>A store's root folder (<see cref="FakeStore.GetRootFolder"/>): it holds the store's folders and no items.</summary>
    internal bool IsRoot { get; init; }

    /// <summary>The subfolders (Class 15, 1-based): below a store's root, every folder of that store; below any other folder, none.</summary>
    public FakeCollection<FakeFolder> Folders
    {
        get
        {
            Enter();
            IEnumerable<FakeFolder> children = IsRoot
                ? W.App.NameSpace.Folders.Where(f => f.Mailbox == Mailbox && !f.IsRoot)
                : Enumerable.Empty<FakeFolder>();
            return Out(new FakeCollection<FakeFolder>(W, children.ToList(), 15));
        }
    }

    internal string EntryIdValue { get; }

    internal string StoreIdValue => Mailbox.StoreIdValue;

    /// <summary>Saved items in this folder (masters and single appointments).</summary>
    internal List<FakeAppointmentItem> Stored { get; } = new();

    internal HashSet<FakeItems> Listening { get; } = new();

    internal int Version { get; private set; }

    internal override int ObjectClass => 2;

    internal override object? ParentObject => W.App.NameSpace;

    internal override string Describe() => FolderName + " of " + Owner;

    public string Name
    {
        get
        {
            Enter();
            return FolderName;
        }
    }

    public string FolderPath
    {
        get
        {
            Enter();
            return "\\\\" + (Mailbox.Kind == FakeStoreKind.Pst ? Mailbox.Owner : Owner) + "\\" + FolderName;
        }
    }

    public string EntryID
    {
        get
        {
            Enter();
            return EntryIdValue;
        }
    }

    /// <summary>
    /// The id of the store the folder is in, for GetItemFromID's EntryIDStore (FACTS §2.1, §10: keep the StoreID with
    /// every EntryID); also for a shared calendar, whose Store is null.
    /// </summary>
    public string StoreID
    {
        get
        {
            Enter();
            return StoreIdValue;
        }
    }

    /// <summary>Null for a folder from GetSharedDefaultFolder (FACTS §2.1).</summary>
    public FakeStore? Store
    {
        get
        {
            Enter();
            return Out(StoreObject);
        }
    }

    public int DefaultItemType
    {
        get
        {
            Enter();
            return DefaultType;
        }
    }

    public FakeItems Items
    {
        get
        {
            Enter();
            return Out(new FakeItems(W, this));
        }
    }

    public FakeTable GetTable(object? Filter = null, object? TableContents = null)
    {
        Enter();
        _ = TableContents;
        string? f = Filter as string;
        return Out(new FakeTable(W, this, f is null ? new List<Filter>() : new List<Filter> { FakeOutlook.Filter.Parse(f, W)! }.Where(x => x is not null).ToList()));
    }

    internal void Touch()
    {
        Version++;
        W.StoreVersion++;
    }

    internal void AddStored(FakeAppointmentItem item, bool raise)
    {
        Stored.Add(item);
        item.FolderObject = this;
        Touch();
        if (raise)
        {
            RaiseItems(FakeEventIds.ItemAdd, "ItemAdd", item);
        }
    }

    internal void RemoveStored(FakeAppointmentItem item, bool raise)
    {
        Stored.Remove(item);
        Touch();
        if (raise)
        {
            RaiseItems(FakeEventIds.ItemRemove, "ItemRemove");
        }
    }

    internal void RaiseItems(int dispId, string name, params object?[] args)
    {
        foreach (FakeItems items in Listening.ToArray())
        {
            items.Raise(dispId, "ItemsEvents." + name, args);
        }
    }

    internal void RaiseChange(FakeAppointmentItem item)
    {
        Touch();
        for (int i = 0; i < W.Options.ItemChangeRepeat; i++)
        {
            RaiseItems(FakeEventIds.ItemChange, "ItemChange", item);
        }
    }
}

/// <summary>Application.TimeZones (Class 175): Item by Windows id ("Eastern Standard Time") or 1-based index.</summary>
public sealed class FakeTimeZones : FakeComObject
{
    private static readonly string[] Ids = TimeZoneConverter.TZConvert.KnownWindowsTimeZoneIds.OrderBy(i => i, StringComparer.Ordinal).ToArray();

    internal FakeTimeZones(World w)
        : base(w)
    {
    }

    internal override int ObjectClass => 175;

    public int Count
    {
        get
        {
            Enter();
            return Ids.Length;
        }
    }

    public FakeTimeZone CurrentTimeZone
    {
        get
        {
            Enter();
            return Out(new FakeTimeZone(W, W.Options.LocalTimeZoneId));
        }
    }

    public FakeTimeZone Item(object Index)
    {
        Enter();
        if (Index is string id)
        {
            string? match = Ids.FirstOrDefault(i => string.Equals(i, id, StringComparison.OrdinalIgnoreCase));
            return Out(new FakeTimeZone(W, match ?? throw Error($"The time zone \"{id}\" was not found.", FakeHResults.BadIndex)));
        }

        int n = Convert.ToInt32(Index, CultureInfo.InvariantCulture);
        if (n < 1 || n > Ids.Length)
        {
            throw Error("Array index out of bounds.", FakeHResults.BadIndex);
        }

        return Out(new FakeTimeZone(W, Ids[n - 1]));
    }

    public DateTime ConvertTime(DateTime SourceDateTime, object SourceTimeZone, object DestinationTimeZone)
    {
        Enter();
        if (SourceTimeZone is not FakeTimeZone s || DestinationTimeZone is not FakeTimeZone d)
        {
            throw Error("Type mismatch: TimeZone objects are required.", FakeHResults.InvalidArg);
        }

        return World.FromUtc(World.ToUtc(SourceDateTime, s.Info), d.Info);
    }
}

/// <summary>A Windows time zone (Class 174).</summary>
public sealed class FakeTimeZone : FakeComObject
{
    internal FakeTimeZone(World w, string id)
        : base(w)
    {
        WindowsId = id;
        Info = TimeZoneConverter.TZConvert.GetTimeZoneInfo(id);
    }

    internal string WindowsId { get; }

    internal TimeZoneInfo Info { get; }

    internal override int ObjectClass => 174;

    internal override string Describe() => WindowsId;

    public string ID
    {
        get
        {
            Enter();
            return WindowsId;
        }
    }

    public string Name
    {
        get
        {
            Enter();
            TimeSpan o = Info.BaseUtcOffset;
            return string.Format(CultureInfo.InvariantCulture, "(UTC{0}{1:hh\\:mm}) {2}", o < TimeSpan.Zero ? "-" : "+", o.Duration(), WindowsId);
        }
    }

    public int Bias
    {
        get
        {
            Enter();
            return -(int)Info.BaseUtcOffset.TotalMinutes;
        }
    }

    public int StandardBias
    {
        get
        {
            Enter();
            return 0;
        }
    }

    public int DaylightBias
    {
        get
        {
            Enter();
            return Info.SupportsDaylightSavingTime ? -60 : 0;
        }
    }

    public string StandardDesignation
    {
        get
        {
            Enter();
            return WindowsId;
        }
    }

    public string DaylightDesignation
    {
        get
        {
            Enter();
            return WindowsId.Replace("Standard", "Daylight", StringComparison.Ordinal);
        }
    }
}

/// <summary>
/// A 1-based collection of the object model (Folders, Class 15; Stores, Class 161) as a snapshot taken when it was read:
/// Count and Item, with Item failing outside 1..Count as Outlook's do.
/// </summary>
public sealed class FakeCollection<T> : FakeComObject
    where T : FakeComObject
{
    private readonly IReadOnlyList<T> _members;
    private readonly int _class;

    internal FakeCollection(World w, IReadOnlyList<T> members, int objectClass)
        : base(w)
    {
        _members = members;
        _class = objectClass;
    }

    internal override int ObjectClass => _class;

    public int Count
    {
        get
        {
            Enter();
            return _members.Count;
        }
    }

    public T Item(object Index)
    {
        Enter();
        int i = Convert.ToInt32(Index, CultureInfo.InvariantCulture);
        if (i < 1 || i > _members.Count)
        {
            throw Error("Array index out of bounds.", FakeHResults.BadIndex);
        }

        return Out(_members[i - 1]);
    }
}
