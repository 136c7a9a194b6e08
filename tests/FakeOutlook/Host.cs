using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;

namespace FakeOutlook;

/// <summary>How a fake Outlook is set up.</summary>
public sealed class FakeOutlookOptions
{
    /// <summary>The Windows time zone of the "machine" (Start/End are local to it).</summary>
    public string LocalTimeZoneId { get; init; } = "W. Europe Standard Time";

    /// <summary>The Windows regional settings Outlook parses Jet date literals with; default <see cref="EnglishUnitedStates"/>.</summary>
    public CultureInfo? RegionalSettings { get; init; }

    public string CurrentUserName { get; init; } = "Test User";

    /// <summary>
    /// Application.IsTrusted. False where administrators manage Outlook's security and this add-in is not on their list:
    /// every access to a protected member (FACTS §7.3) then shows a prompt, counted in
    /// <see cref="FakeOutlookHost.GuardPrompts"/>, and fails as if the user chose Deny (MAPI_E_NOT_SUPPORTED), the worst
    /// of the two outcomes the documentation allows.
    /// </summary>
    public bool Trusted { get; init; } = true;

    public string CurrentUserAddress { get; init; } = "test.user@example.com";

    /// <summary>How many ItemChange events one Save raises (Outlook: typically two).</summary>
    public int ItemChangeRepeat { get; init; } = 2;

    public int ExchangeConnectionMode { get; init; } = 700;

    public string Version { get; init; } = "16.0.0.0";

    /// <summary>The current UTC time; default the system clock.</summary>
    public Func<DateTime>? Clock { get; init; }

    /// <summary>Endless series expand this many years past now when no filter bounds them.</summary>
    public int ExpansionHorizonYears { get; init; } = 5;

    /// <summary>Using an object after releasing every reference to it throws InvalidComObjectException (as an RCW does).</summary>
    public bool EnforceReleasedObjects { get; init; } = true;

    /// <summary>
    /// A recurring master the add-in holds a reference to shows it an out-of-date copy until it releases every reference
    /// (FACTS §2.4, §10: the worst the documentation allows; see FakeAppointmentItem.BeginHold). On by default.
    /// </summary>
    public bool StaleRecurringMasters { get; init; } = true;

    /// <summary>
    /// Diagnostics only: told of every stored change of an appointment (save, move, copy, delete) with the ends of its
    /// ids and tag, so that a failing soak history can be followed item by item. Null: nothing is traced.
    /// The line is made only when asked for: making it at once changes the timing enough to hide the races it is for.
    public Action<Func<string>>? Trace { get; init; }

    /// <summary>People and rooms the address book resolves (the current user is always there).</summary>
    public IReadOnlyList<DirectoryEntry> Directory { get; init; } = Array.Empty<DirectoryEntry>();

    /// <summary>A "regional settings" culture: the invariant culture with these short patterns and AM/PM designators.</summary>
    public static CultureInfo Regional(string shortDate, string shortTime, string am = "AM", string pm = "PM", string dateSeparator = "/")
    {
        var c = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        c.DateTimeFormat.ShortDatePattern = shortDate;
        c.DateTimeFormat.ShortTimePattern = shortTime;
        c.DateTimeFormat.AMDesignator = am;
        c.DateTimeFormat.PMDesignator = pm;
        c.DateTimeFormat.DateSeparator = dateSeparator;
        return c;
    }

    /// <summary>en-US-like: M/d/yyyy h:mm tt.</summary>
    public static CultureInfo EnglishUnitedStates => Regional("M/d/yyyy", "h:mm tt");

    /// <summary>de-DE-like: dd.MM.yyyy HH:mm.</summary>
    public static CultureInfo German => Regional("dd.MM.yyyy", "HH:mm", "", "", ".");
}

/// <summary>A change to one occurrence of a series (times local).</summary>
public sealed record ModifiedOccurrence(DateTime OriginalStart, DateTime NewStart, DateTime NewEnd, string? Subject = null);

/// <summary>How a test describes a series. Type: 0 daily, 1 weekly, 2 monthly, 3 month-nth, 5 yearly, 6 year-nth.</summary>
public sealed record RecurrenceSpec
{
    public int Type { get; init; } = 1;

    public int Interval { get; init; } = 1;

    /// <summary>OlDaysOfWeek bits; 0 = the start's weekday.</summary>
    public int DayOfWeekMask { get; init; }

    public int DayOfMonth { get; init; }

    public int Instance { get; init; }

    public int MonthOfYear { get; init; }

    public DateTime? PatternEndDate { get; init; }

    public int? Occurrences { get; init; }

    /// <summary>Original local start times of deleted occurrences.</summary>
    public IReadOnlyList<DateTime> DeletedOccurrences { get; init; } = Array.Empty<DateTime>();

    public IReadOnlyList<ModifiedOccurrence> ModifiedOccurrences { get; init; } = Array.Empty<ModifiedOccurrence>();
}

/// <summary>How a test describes an appointment (times local to the fake's zone unless <see cref="TimeZoneId"/> is set).</summary>
public sealed record AppointmentSpec
{
    public string Subject { get; init; } = "";

    public DateTime Start { get; init; }

    public DateTime End { get; init; }

    public string Location { get; init; } = "";

    public string Body { get; init; } = "";

    public byte[]? RtfBody { get; init; }

    /// <summary>
    /// An HTML body, as Outlook on the web, the new Outlook or a phone makes it: the item keeps it as HTML encapsulated in
    /// RTF (MS-OXCMAIL 2.1.3.3.8, MS-OXRTFEX), shaped as Exchange writes it (<see cref="EncapsulatedRtf"/>).
    /// </summary>
    public string? HtmlBody { get; init; }

    public bool AllDayEvent { get; init; }

    public int BusyStatus { get; init; } = 2;

    /// <summary>0 appointment, 1 meeting (organised by the folder's owner unless <see cref="Organizer"/>), 3 received.</summary>
    public int MeetingStatus { get; init; }

    public string? Organizer { get; init; }

    public int? ResponseStatus { get; init; }

    public IReadOnlyList<string> RequiredAttendees { get; init; } = Array.Empty<string>();

    public IReadOnlyList<string> OptionalAttendees { get; init; } = Array.Empty<string>();

    public IReadOnlyList<string> Resources { get; init; } = Array.Empty<string>();

    /// <summary>Named properties by full schema name (e.g. http://schemas.microsoft.com/mapi/string/{GUID}/Name).</summary>
    public IReadOnlyDictionary<string, object> NamedProperties { get; init; } = new Dictionary<string, object>();

    /// <summary>Windows id of the start/end zone; null = the fake's local zone.</summary>
    public string? TimeZoneId { get; init; }

    public RecurrenceSpec? Recurrence { get; init; }

    /// <summary>Local; default now.</summary>
    public DateTime? LastModificationTime { get; init; }

    public static AppointmentSpec Single(string subject, DateTime start, int minutes = 30, string location = "") =>
        new() { Subject = subject, Start = start, End = start.AddMinutes(minutes), Location = location };

    public static AppointmentSpec Weekly(string subject, DateTime firstStart, int minutes = 30, int dayOfWeekMask = 0, int interval = 1, int? occurrences = null, DateTime? until = null) =>
        new()
        {
            Subject = subject,
            Start = firstStart,
            End = firstStart.AddMinutes(minutes),
            Recurrence = new RecurrenceSpec { Type = 1, DayOfWeekMask = dayOfWeekMask, Interval = interval, Occurrences = occurrences, PatternEndDate = until },
        };

    public static AppointmentSpec Daily(string subject, DateTime firstStart, int minutes = 30, int interval = 1, int? occurrences = null, DateTime? until = null) =>
        new()
        {
            Subject = subject,
            Start = firstStart,
            End = firstStart.AddMinutes(minutes),
            Recurrence = new RecurrenceSpec { Type = 0, Interval = interval, Occurrences = occurrences, PatternEndDate = until },
        };
}

/// <summary>The stored state of an appointment, read test-side.</summary>
public sealed record AppointmentSnapshot(
    string EntryId,
    string GlobalAppointmentId,
    string Subject,
    DateTime Start,
    DateTime End,
    DateTime StartUtc,
    DateTime EndUtc,
    string Location,
    string Body,
    bool IsRecurring,
    string Organizer,
    int MeetingStatus,
    IReadOnlyList<string> Recipients,
    IReadOnlyDictionary<string, object?> NamedProperties,
    IReadOnlyList<DateTime> DeletedOccurrences,
    IReadOnlyList<DateTime> ModifiedOccurrences,
    DateTime LastModificationTime,
    string FolderName,
    bool Saved);

/// <summary>
/// The test-side handle of one fake Outlook: starts the Outlook thread, builds the Application on it, populates
/// calendars, acts "as the user", and reports references, wrong-thread calls, call counts and sink exceptions.
/// Test-side members are not counted, not reference-tracked, and may be called from any thread.
/// </summary>
public sealed class FakeOutlookHost : IDisposable
{
    /// <summary>PidLidReminderSignalTime (PSETID_Common, LID 0x8560, PT_SYSTIME), as a PropertyAccessor schema name (FACTS §5).</summary>
    public const string ReminderSignalTime = "http://schemas.microsoft.com/mapi/id/{00062008-0000-0000-C000-000000000046}/85600040";

    private readonly World _w;

    public FakeOutlookHost(FakeOutlookOptions? options = null)
    {
        Options = options ?? new FakeOutlookOptions();
        Thread = new OutlookThread();
        _w = new World(Options.RegionalSettings is null ? WithCulture(Options) : Options, Thread);
        Application = Thread.Invoke(() =>
        {
            var app = new FakeApplication(_w);
            app.NameSpace.Directory.AddRange(Options.Directory);
            return app;
        });
    }

    public FakeOutlookOptions Options { get; }

    /// <summary>Outlook's main thread: run the add-in's code here.</summary>
    public OutlookThread Thread { get; }

    /// <summary>The Application to give the add-in (as OnConnection does); handing it over is not counted.</summary>
    public FakeApplication Application { get; }

    public FakeFolder Calendar => Application.NameSpace.Calendar;

    public FakeFolder DeletedItems => Application.NameSpace.DeletedItems;

    // ---- counters ----

    /// <summary>References handed out to the add-in and not released.</summary>
    public int OutstandingReferences => _w.OutstandingReferences;

    public IReadOnlyList<LeakedReference> Leaks => _w.Leaks();

    public string LeakReport() => string.Join(Environment.NewLine, Leaks.Select(l => l.ToString()));

    /// <summary>Releases beyond what was handed out.</summary>
    public IReadOnlyList<string> OverReleases => _w.OverReleases.ToArray();

    public int WrongThreadCalls => _w.WrongThreadCalls;

    /// <summary>Object Model Guard prompts the add-in caused (only when <see cref="FakeOutlookOptions.Trusted"/> is false).</summary>
    public int GuardPrompts => _w.GuardPrompts;

    /// <summary>Object-model member invocations made by the add-in (not by test-side code).</summary>
    public long CallCount => _w.CallCount;

    public void ResetCallCount() => _w.ResetCallCount();

    /// <summary>Call and open costs charged to Outlook's thread (<see cref="FakeCallCosts"/>); null: none.</summary>
    public FakeCallCosts? Costs
    {
        get => _w.Costs;
        set => _w.Costs = value;
    }

    /// <summary>Items the add-in opened by EntryID since <see cref="ResetCosts"/>.</summary>
    public long Opens => _w.Opens;

    /// <summary>Starts counting calls, opens and holds of Outlook's thread afresh.</summary>
    public void ResetCosts()
    {
        _w.ResetCallCount();
        _w.ResetOpens();
        Thread.ResetHolds();
    }

    /// <summary>Exceptions thrown by event sinks (Outlook ignores them).</summary>
    public IReadOnlyList<Exception> SinkExceptions => _w.SinkExceptions.ToArray();

    /// <summary>Exceptions thrown by work posted to the Outlook thread.</summary>
    public IReadOnlyList<Exception> ThreadExceptions => Thread.UnhandledExceptions;

    /// <summary>Subjects of items sent (Send not cancelled).</summary>
    public IReadOnlyList<string> SentItems => _w.SentItems.ToArray();

    /// <summary>
    /// Transient faults (MAPI_E_NETWORK_ERROR, RPC_E_CALL_REJECTED, E_FAIL) of the add-in's calls, never of the test's
    /// own: in online mode every call can fail while the server is unreachable (FACTS §10). Off by default.
    /// </summary>
    public FakeFaultPlan Faults => _w.Faults;

    // ---- population ----
    public void AddDirectoryEntry(string name, string address, bool isRoom = false) =>
        OnThread(() =>
        {
            Application.NameSpace.Directory.Add(new DirectoryEntry(name, address, isRoom));
            return true;
        });

    /// <summary>
    /// A second user's calendar, shared with the current user (reach it by CreateRecipient + GetSharedDefaultFolder). It
    /// lives in that user's Exchange mailbox (<see cref="FakeStoreKind.Exchange"/>): its Store is null (FACTS §2.1), its
    /// StoreID is that mailbox's, and GetItemFromID finds its items only with that StoreID (FACTS §2.1, §10).
    /// </summary>
    public FakeFolder AddSharedCalendar(string ownerName, string ownerAddress) => OnThread(() =>
    {
        FakeNameSpace ns = Application.NameSpace;
        if (ns.Lookup(ownerAddress) is null)
        {
            ns.Directory.Add(new DirectoryEntry(ownerName, ownerAddress));
        }

        var mailbox = new FakeStore(_w, ownerAddress, FakeStoreKind.Exchange, FakeStore.DelegateExchangeMailbox);
        var folder = new FakeFolder(_w, "Calendar", mailbox, ownerName, 1, storeHidden: true);
        ns.Folders.Add(folder);
        ns.SharedCalendars[ownerAddress] = folder;
        return folder;
    });

    /// <summary>
    /// A second user's mailbox the current user has Full Access to, which Exchange adds to the profile by itself
    /// (automapping, FACTS §10 [S]): an ordinary store in NameSpace.Stores, so its calendar's Store is NOT null, unlike a
    /// calendar from GetSharedDefaultFolder. Its owner is known only from the store (PR_MAILBOX_OWNER_ENTRYID) and from
    /// the items (GetOrganizer of an item made there). Returns that mailbox's calendar.
    /// </summary>
    public FakeFolder AddAutomappedMailbox(string ownerName, string ownerAddress) => OnThread(() =>
    {
        FakeNameSpace ns = Application.NameSpace;
        if (ns.Lookup(ownerAddress) is null)
        {
            ns.Directory.Add(new DirectoryEntry(ownerName, ownerAddress));
        }

        var mailbox = new FakeStore(_w, ownerAddress, FakeStoreKind.Exchange, FakeStore.AdditionalExchangeMailbox);
        var calendar = new FakeFolder(_w, "Calendar", mailbox, ownerName, 1);
        mailbox.DeletedItems = new FakeFolder(_w, "Deleted Items", mailbox, ownerName, 0) { IsDeletedItems = true };
        ns.Folders.Add(calendar);
        ns.Folders.Add(mailbox.DeletedItems);
        return calendar;
    });

    /// <summary>
    /// The owner of a shared calendar (<see cref="AddSharedCalendar"/>) stops sharing it: GetSharedDefaultFolder refuses
    /// it from now on, and the folder the add-in already holds fails every call (<see cref="FakeFolder.SharingWithdrawn"/>).
    /// </summary>
    public void WithdrawSharing(FakeFolder calendar, string ownerAddress)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        OnThread(() =>
        {
            Application.NameSpace.SharedCalendars.Remove(ownerAddress);
            calendar.SharingWithdrawn = true;
            return true;
        });
    }

    /// <summary>
    /// A second calendar folder in the user's own mailbox, which the add-in does not watch unless told to; an item
    /// moved there gets a new EntryID like any Exchange move (FACTS §2.2).
    /// </summary>
    public FakeFolder AddCalendarFolder(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return OnThread(() =>
        {
            FakeNameSpace ns = Application.NameSpace;
            var folder = new FakeFolder(_w, name, ns.Calendar.Mailbox, Options.CurrentUserName, 1);
            ns.Folders.Add(folder);
            return folder;
        });
    }

    /// <summary>
    /// A PST (personal folders file) added to the profile, with a calendar and its own Deleted Items; returns the calendar.
    /// Items moved here change store, so they get a new EntryID; within the PST they keep it (FACTS §2.2).
    /// </summary>
    public FakeFolder AddPstCalendar(string storeName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(storeName);
        return OnThread(() =>
        {
            FakeNameSpace ns = Application.NameSpace;
            var pst = new FakeStore(_w, storeName, FakeStoreKind.Pst, FakeStore.NotExchange);
            var calendar = new FakeFolder(_w, "Calendar", pst, Options.CurrentUserName, 1);
            pst.DeletedItems = new FakeFolder(_w, "Deleted Items", pst, Options.CurrentUserName, 0) { IsDeletedItems = true };
            ns.Folders.Add(calendar);
            ns.Folders.Add(pst.DeletedItems);
            return calendar;
        });
    }

    /// <summary>
    /// The user closes the PST that holds <paramref name="folder"/> (File, Close; NameSpace.RemoveStore). The store leaves
    /// the profile, not the disk (VBA NameSpace.RemoveStore page: "removes a store only from the Microsoft Outlook user
    /// interface"): its folders leave NameSpace.Stores and every listing. Where no document says what Outlook answers,
    /// the fake takes the worst case: an item of the closed store opened by its ids is MAPI_E_NOT_FOUND, as if it were
    /// deleted; a folder or item of it that the add-in still holds fails every call; and no event tells the add-in.
    /// </summary>
    public Task ClosePstAsUserAsync(FakeFolder folder) => Thread.InvokeAsync(() => ClosePstAsUser(folder));

    /// <summary>As <see cref="ClosePstAsUserAsync"/>, on Outlook's thread from the caller's (inline when called there).</summary>
    public bool ClosePstAsUser(FakeFolder folder) => OnThread(() =>
    {
        ArgumentNullException.ThrowIfNull(folder);
        FakeStore store = folder.Mailbox;
        if (store.Kind != FakeStoreKind.Pst || store.ClosedFolders is not null)
        {
            throw new InvalidOperationException("Only a PST that is open can be closed.");
        }

        FakeNameSpace ns = Application.NameSpace;
        store.ClosedFolders = ns.Folders.Where(f => f.Mailbox == store).ToList();
        ns.Folders.RemoveAll(f => f.Mailbox == store);
        _w.StoreVersion++;
        return true;
    });

    /// <summary>The user opens the same PST file again (File, Open, Outlook Data File): its folders and items are back, with their ids.</summary>
    public Task ReopenPstAsUserAsync(FakeFolder folder) => Thread.InvokeAsync(() => _w.Untracked(() =>
    {
        ArgumentNullException.ThrowIfNull(folder);
        FakeStore store = folder.Mailbox;
        List<FakeFolder> folders = store.ClosedFolders ?? throw new InvalidOperationException("Only a closed PST can be opened again.");
        store.ClosedFolders = null;
        Application.NameSpace.Folders.AddRange(folders);
        _w.StoreVersion++;
        return true;
    }));

    public FakeAppointmentItem AddAppointment(AppointmentSpec spec, FakeFolder? folder = null) =>
        AddAppointments(new[] { spec }, folder)[0];

    /// <summary>Stores appointments directly (no events), fast enough for thousands.</summary>
    public IReadOnlyList<FakeAppointmentItem> AddAppointments(IEnumerable<AppointmentSpec> specs, FakeFolder? folder = null)
    {
        ArgumentNullException.ThrowIfNull(specs);
        List<AppointmentSpec> list = specs.ToList();
        return OnThread(() =>
        {
            FakeFolder f = folder ?? Calendar;
            var result = new List<FakeAppointmentItem>(list.Count);
            foreach (AppointmentSpec s in list)
            {
                var item = new FakeAppointmentItem(_w, f, Build(s, f))
                {
                    EntryIdValue = _w.NewEntryId(),
                    IsSaved = true,
                };
                item.Committed = item.Current.Clone();
                f.Stored.Add(item);
                result.Add(item);
            }

            f.Touch();
            return result;
        });
    }

    // ---- finding and reading ----
    public FakeAppointmentItem? Find(string subject, FakeFolder? folder = null) => OnThread(() =>
        (folder is null ? Application.NameSpace.Folders.AsEnumerable() : new[] { folder })
        .SelectMany(f => f.Stored)
        .FirstOrDefault(i => i.Stored.Subject == subject));

    public IReadOnlyList<FakeAppointmentItem> StoredItems(FakeFolder? folder = null) => OnThread(() => (folder ?? Calendar).Stored.ToList());

    /// <summary>What is stored for the item (what a Table or another reader would see).</summary>
    public AppointmentSnapshot Snapshot(FakeAppointmentItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return OnThread(() =>
        {
            ItemData d = item.Stored;
            RecurrenceData? r = d.Recurrence;
            return new AppointmentSnapshot(
                item.EntryIdValue,
                d.GlobalAppointmentId,
                d.Subject,
                _w.ToLocal(d.StartUtc),
                _w.ToLocal(d.EndUtc),
                d.StartUtc,
                d.EndUtc,
                d.Location,
                d.Body,
                r is not null,
                d.Organizer,
                d.MeetingStatus,
                d.Recipients.Select(x => x.Name).ToList(),
                new Dictionary<string, object?>(d.Named, StringComparer.Ordinal),
                r?.Exceptions.Where(e => e.Deleted).Select(e => _w.ToLocal(e.OriginalStartUtc)).ToList() ?? new List<DateTime>(),
                r?.Exceptions.Where(e => !e.Deleted).Select(e => _w.ToLocal(e.OriginalStartUtc)).ToList() ?? new List<DateTime>(),
                _w.ToLocal(d.LastModificationTimeUtc),
                FolderLabel(item.FolderObject),
                item.IsSaved);
        });
    }

    /// <summary>A stored property by schema name (named properties included); null when absent.</summary>
    /// <summary>The RTF Exchange keeps for an HTML body (HTML encapsulated in RTF, <see cref="EncapsulatedRtf"/>).</summary>
    public static byte[] EncapsulateHtml(string html) => EncapsulatedRtf.FromHtml(html);

    /// <summary>The HTML Outlook shows for an encapsulated RTF body, read as the fake reads it.</summary>
    public static string HtmlInRtf(byte[] rtf) => EncapsulatedRtf.HtmlOf(rtf);

    /// <summary>The stored RTF body's bytes (test-side), or null when the item has only a plain body.</summary>
    public byte[]? StoredRtf(FakeAppointmentItem item) => OnThread(() => item.Stored.Rtf?.ToArray());

    /// <summary>The HTML Outlook shows for an item whose RTF body encapsulates HTML (test-side); null for any other body.</summary>
    public string? StoredHtml(FakeAppointmentItem item) => OnThread(() => item.Stored.Rtf is { } rtf && EncapsulatedRtf.IsEncapsulated(rtf) ? EncapsulatedRtf.HtmlOf(rtf) : null);

    public object? StoredProperty(FakeAppointmentItem item, string schemaName)
    {
        ArgumentNullException.ThrowIfNull(item);
        return OnThread(() => Schema.Parse(schemaName) is PropRef r ? FakePropertyAccessor.ReadItem(_w, item, item.Stored, r) : null);
    }

    /// <summary>Every folder of the profile (the mailbox's, shared calendars, PSTs), test-side, in the order they were added.</summary>
    public IReadOnlyList<FakeFolder> AllFolders() => OnThread(() => Application.NameSpace.Folders.Where(f => !f.IsRoot).ToList());

    /// <summary>Whether the folder is a store's Deleted Items (the mailbox's or a PST's), where Delete puts an item first.</summary>
    public bool IsDeletedItemsFolder(FakeFolder folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        return OnThread(() => folder.IsDeletedItems);
    }

    /// <summary>The Deleted Items an item of <paramref name="folder"/> goes to when deleted: its own store's (FACTS §2.2).</summary>
    public FakeFolder DeletedItemsOf(FakeFolder folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        return OnThread(() => folder.Mailbox.DeletedItems ?? Application.NameSpace.DeletedItems);
    }

    /// <summary>The folder the item is stored in now (test-side); it changes with every move.</summary>
    public FakeFolder FolderOf(FakeAppointmentItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return OnThread(() => item.FolderObject);
    }

    /// <summary>
    /// The UTC starts of a series' occurrences as the stored item holds them: the pattern's dates at its time of day in
    /// the series' zone, without deleted exceptions, a changed occurrence at its new start; a single item's own start.
    /// Test-side, so that a checker can compare the whole series with what a meeting service holds.
    /// </summary>
    public IReadOnlyList<DateTime> OccurrenceStartsUtc(FakeAppointmentItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return OnThread(() =>
        {
            ItemData d = item.Stored;
            if (d.Recurrence is not RecurrenceData r)
            {
                return (IReadOnlyList<DateTime>)new[] { d.StartUtc };
            }

            TimeZoneInfo zone = _w.Zone(d.StartZoneId);
            var starts = new List<DateTime>();
            IEnumerable<DateTime> dates = r.NoEndDate ? r.Dates().Take(100) : r.Dates();
            foreach (DateTime date in dates)
            {
                DateTime original = World.ToUtc(date + r.StartTime, zone);
                ExceptionData? exception = r.ExceptionOn(date, original, zone);
                if (exception is { Deleted: true })
                {
                    continue;
                }

                starts.Add(exception?.Item?.StartUtc ?? original);
            }

            return starts;
        });
    }

    /// <summary>A UTC time as a wall clock in the fake's own zone (what Start shows and GetOccurrence takes).</summary>
    public DateTime LocalTime(DateTime utc) => _w.ToLocal(utc);

    /// <summary>True when the item is in a PST the user closed (<see cref="ClosePstAsUserAsync"/>).</summary>
    public bool IsInClosedStore(FakeAppointmentItem item) => OnThread(() => item.FolderObject.Mailbox.ClosedFolders is not null);

    /// <summary>True when the item is in no folder any more (deleted from Deleted Items).</summary>
    public bool IsPermanentlyDeleted(FakeAppointmentItem item) => OnThread(() => item.PermanentlyDeleted);

    /// <summary>
    /// Outlook's process ends with no hook run (a fast shutdown, FACTS §10, or a crash): the add-in's sinks and references
    /// are gone. The mailbox stays; an add-in started afterwards is the next Outlook session's.
    /// </summary>
    public void EndAddinProcess() => OnThread(() =>
    {
        _w.EndAddinProcess();
        return true;
    });

    /// <summary>
    /// An Outlook process ended (closed, a fast shutdown, the user's other computer's Outlook closing): what was staged
    /// on an item in its memory and never saved is gone. A property set through PropertyAccessor "persists only after
    /// item.Save()" (FACTS §2.8; VBA PropertyAccessor.SetProperty page), so the next Outlook reads each item as stored.
    /// An item open in a window is the user's, and is left as it is.
    /// </summary>
    public void DiscardUnsavedChanges() => OnThread(() =>
    {
        foreach (FakeFolder folder in Application.NameSpace.Folders)
        {
            foreach (FakeAppointmentItem item in folder.Stored)
            {
                item.DiscardUnsaved();
            }
        }

        return true;
    });

    // ---- acting as the user ----

    /// <summary>Runs on the Outlook thread through the same members the add-in uses (events fire), untracked.</summary>
    public T AsUser<T>(Func<FakeApplication, T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return OnThread(() => action(Application));
    }

    public void AsUser(Action<FakeApplication> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        OnThread(() =>
        {
            action(Application);
            return true;
        });
    }

    public Task AsUserAsync(Action<FakeApplication> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return Thread.InvokeAsync(() => _w.Untracked(() =>
        {
            action(Application);
            return true;
        }));
    }

    /// <summary>The user deletes the item permanently (Shift+Del): Outlook says only that something left the folder.</summary>
    public Task HardDeleteAsUserAsync(FakeAppointmentItem item) => Thread.InvokeAsync(() => _w.Untracked(() =>
    {
        item.HardDeleteCore();
        return true;
    }));

    /// <summary>The organiser cancels the meeting and sends the cancellation (ItemSend, then the item is deleted).</summary>
    public Task CancelMeetingAsUserAsync(FakeAppointmentItem item) => Thread.InvokeAsync(() => _w.Untracked(() =>
    {
        item.CancelAndSendCore();
        return true;
    }));

    /// <summary>
    /// The organiser removes attendees (by name or address) and sends: a cancellation (Class 54) to the removed attendees
    /// only passes Application.ItemSend first, its associated appointment being the organiser's, still olMeeting; then
    /// the update to the others is sent as Send does, and the item is saved (FACTS §10; MS-OXOCAL 3.1.4.9.1.1).
    /// </summary>
    public Task RemoveAttendeesAndSendAsUserAsync(FakeAppointmentItem item, params string[] names)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(names);
        return Thread.InvokeAsync(() => _w.Untracked(() =>
        {
            item.RemoveAttendeesAndSendCore(names);
            return true;
        }));
    }

    /// <summary>
    /// The organiser cancels one occurrence of a series (its original local start): a cancellation (Class 54) whose
    /// associated appointment is that occurrence, MeetingStatus olMeetingCanceled, passes Application.ItemSend; then the
    /// occurrence is deleted from the series (FACTS §10; MS-OXOCAL 3.1.4.9.1.2). The series itself stays a meeting.
    /// </summary>
    public Task CancelOccurrenceAsUserAsync(FakeAppointmentItem series, DateTime occurrenceStartLocal)
    {
        ArgumentNullException.ThrowIfNull(series);
        return Thread.InvokeAsync(() => _w.Untracked(() =>
        {
            series.CancelOccurrenceCore(occurrenceStartLocal);
            return true;
        }));
    }

    /// <summary>
    /// Another BeforeDelete handler (another add-in, or the user saying no) cancels every delete from now on, after the
    /// add-in's sinks had BeforeDelete: the item is NOT deleted (it stays in its folder with its EntryID; no ItemRemove,
    /// no ItemAdd). BeforeDelete is no proof that the item is gone (FACTS §3.1 Cancel parameter, §10).
    /// </summary>
    public bool AnotherHandlerCancelsDeletes
    {
        get => _w.CancelEveryDelete;
        set => _w.CancelEveryDelete = value;
    }

    /// <summary>As <see cref="AnotherHandlerCancelsDeletes"/>, for the next delete only (call it again for more).</summary>
    public void CancelNextDeleteByAnotherHandler() => _w.CancelNextDelete();

    /// <summary>Deletes another handler cancelled so far.</summary>
    public int DeletesCancelledByAnotherHandler => _w.DeletesCancelled;

    /// <summary>
    /// The user dismisses (or snoozes) the item's reminder: Outlook writes PidLidReminderSignalTime and saves the item
    /// (MS-OXORMDR 3.1.4.6.2, FACTS §10), so ItemChange comes as for any save, with nothing the meeting holds changed.
    /// </summary>
    public Task DismissReminderAsUserAsync(FakeAppointmentItem item) => Thread.InvokeAsync(() => _w.Untracked(() =>
    {
        item.Current.Named[ReminderSignalTime] = _w.UtcNow.AddYears(1);
        item.SaveCore();
        return true;
    }));

    /// <summary>
    /// An attendee answers: the organiser's item records the response and the server's change arrives by sync, raising
    /// ItemChange without any Write in this Outlook (FACTS §10: attendees' responses update the organiser's item [I]).
    /// </summary>
    public Task AttendeeRespondsAsync(FakeAppointmentItem item, string attendee, int responseStatus) => Thread.InvokeAsync(() => _w.Untracked(() =>
    {
        RecipientData who = item.Current.Recipients.First(r => string.Equals(r.Name, attendee, StringComparison.OrdinalIgnoreCase));
        who.ResponseStatus = responseStatus;
        item.Current.LastModificationTimeUtc = _w.UtcNow;
        item.SyncFromServer();
        return true;
    }));

    /// <summary>The user opens the item (Display): item Open, Inspectors.NewInspector, Activate.</summary>
    public FakeInspector? OpenInspector(FakeAppointmentItem item) => OnThread(() => item.DisplayCore());

    /// <summary>The user selects items in the calendar (raises SelectionChange).</summary>
    public void SetSelection(params FakeAppointmentItem[] items) => OnThread(() =>
    {
        FakeExplorer e = Application.ExplorerObject!;
        e.Selected.Clear();
        e.Selected.AddRange(items);
        if (items.Length > 0)
        {
            e.View.SelectedStart = _w.ToLocal(items[0].Current.StartUtc);
            e.View.SelectedEnd = _w.ToLocal(items[0].Current.EndUtc);
        }

        e.Raise(FakeEventIds.SelectionChange, "ExplorerEvents_10.SelectionChange");
        return true;
    });

    /// <summary>The user selects a time range in the calendar view (local).</summary>
    public void SetSelectedTimes(DateTime start, DateTime end) => OnThread(() =>
    {
        FakeExplorer e = Application.ExplorerObject!;
        e.Selected.Clear();
        e.View.SelectedStart = start;
        e.View.SelectedEnd = end;
        e.Raise(FakeEventIds.SelectionChange, "ExplorerEvents_10.SelectionChange");
        return true;
    });

    /// <summary>No explorer window (ActiveExplorer() returns null) or a fresh one.</summary>
    public void SetExplorerOpen(bool open) => OnThread<object?>(() => Application.ExplorerObject = open ? new FakeExplorer(_w) : null);

    /// <summary>An attendee's response as the organizer's copy records it (Recipient.MeetingResponseStatus).</summary>
    public void SetAttendeeResponse(FakeAppointmentItem item, string attendeeName, int responseStatus) => OnThread(() =>
    {
        ArgumentNullException.ThrowIfNull(item);
        foreach (ItemData d in new[] { item.Current, item.Committed }.OfType<ItemData>())
        {
            foreach (RecipientData r in d.Recipients.Where(r => string.Equals(r.Name, attendeeName, StringComparison.OrdinalIgnoreCase)))
            {
                r.ResponseStatus = responseStatus;
            }
        }

        return true;
    });

    public void RaiseStartup() => OnThread(() => Application.Raise(FakeEventIds.Startup, "ApplicationEvents_11.Startup"));

    public void RaiseQuit() => OnThread(() => Application.Raise(FakeEventIds.Quit, "ApplicationEvents_11.Quit"));

    /// <summary>Counts one reference to <paramref name="value"/> as handed to the add-in (e.g. the OnConnection Application).</summary>
    public T HandOut<T>(T value, string what = "host")
        where T : FakeComObject
    {
        ArgumentNullException.ThrowIfNull(value);
        _w.AddRef(value, what);
        return value;
    }

    public void Dispose() => Thread.Dispose();

    /// <summary>"Calendar", "Deleted Items", "Calendar of Bea Boss" (a shared calendar), "Calendar in Archive" (a PST).</summary>
    private string FolderLabel(FakeFolder f) =>
        f.FolderName + (f.Mailbox.Kind == FakeStoreKind.Pst ? " in " + f.Mailbox.Owner : f.Owner == Options.CurrentUserName ? "" : " of " + f.Owner);

    private T OnThread<T>(Func<T> f) => Thread.Invoke(() => _w.Untracked(f));

    private static FakeOutlookOptions WithCulture(FakeOutlookOptions o) => new()
    {
        LocalTimeZoneId = o.LocalTimeZoneId,
        RegionalSettings = FakeOutlookOptions.EnglishUnitedStates,
        CurrentUserName = o.CurrentUserName,
        CurrentUserAddress = o.CurrentUserAddress,
        ItemChangeRepeat = o.ItemChangeRepeat,
        ExchangeConnectionMode = o.ExchangeConnectionMode,
        Version = o.Version,
        Clock = o.Clock,
        ExpansionHorizonYears = o.ExpansionHorizonYears,
        EnforceReleasedObjects = o.EnforceReleasedObjects,
        StaleRecurringMasters = o.StaleRecurringMasters,
        Directory = o.Directory,
        Trace = o.Trace,
    };

    private ItemData Build(AppointmentSpec s, FakeFolder folder)
    {
        string zoneId = s.TimeZoneId ?? Options.LocalTimeZoneId;
        TimeZoneInfo zone = _w.Zone(zoneId);
        DateTime now = _w.UtcNow;
        DateTime startUtc = World.ToUtc(s.Start, zone);
        DateTime endUtc = World.ToUtc(s.End < s.Start ? s.Start : s.End, zone);
        string organizer = s.Organizer ?? folder.Owner;
        var d = new ItemData
        {
            Subject = s.Subject,
            StartUtc = startUtc,
            EndUtc = endUtc,
            StartZoneId = zoneId,
            EndZoneId = zoneId,
            Location = s.Location,
            Body = s.Body,
            Rtf = s.HtmlBody is null ? s.RtfBody : EncapsulatedRtf.FromHtml(s.HtmlBody),
            AllDayEvent = s.AllDayEvent,
            BusyStatus = s.BusyStatus,
            MeetingStatus = s.MeetingStatus,
            Organizer = organizer,
            ResponseStatus = s.ResponseStatus ?? (s.MeetingStatus == 1 ? 1 : s.MeetingStatus == 3 ? 5 : 0),
            GlobalAppointmentId = World.NewGlobalId(),
            CreationTimeUtc = now,
            LastModificationTimeUtc = s.LastModificationTime is DateTime lm ? _w.ToUtc(lm) : now,
        };
        if (d.Rtf is not null && s.Body.Length == 0)
        {
            d.Body = Rtf.ToPlain(d.Rtf);
        }

        foreach ((IReadOnlyList<string> names, int type) in new[] { (s.RequiredAttendees, 1), (s.OptionalAttendees, 2), (s.Resources, 3) })
        {
            foreach (string n in names)
            {
                d.Recipients.Add(FakeRecipients.Resolve(_w, new RecipientData { Name = n, Address = n, Type = type }));
            }
        }

        foreach (KeyValuePair<string, object> p in s.NamedProperties)
        {
            PropRef r = Schema.Parse(p.Key) ?? throw new ArgumentException($"Not a namespace property name: {p.Key}", nameof(s));
            d.Named[r.Key] = p.Value;
        }

        if (s.Recurrence is RecurrenceSpec rs)
        {
            RecurrenceData r = FakeAppointmentItem.DefaultPattern(d, _w);
            r.Type = rs.Type;
            r.Interval = rs.Interval;
            r.DayOfWeekMask = rs.DayOfWeekMask != 0 ? rs.DayOfWeekMask : rs.Type is 0 or 2 or 5 ? 0 : r.DayOfWeekMask;
            r.DayOfMonth = rs.DayOfMonth != 0 ? rs.DayOfMonth : r.DayOfMonth;
            r.Instance = rs.Instance != 0 ? rs.Instance : r.Instance;
            r.MonthOfYear = rs.MonthOfYear != 0 ? rs.MonthOfYear : r.MonthOfYear;
            if (rs.Occurrences is int count)
            {
                r.PatternEndDate = r.Dates().Take(count).Last();
                r.Occurrences = count;
                r.NoEndDate = false;
            }
            else if (rs.PatternEndDate is DateTime until)
            {
                r.PatternEndDate = until.Date;
                r.NoEndDate = false;
                r.Occurrences = r.Dates().TakeWhile(x => x <= until.Date).Count();
            }

            d.Recurrence = r;
            FakeAppointmentItem.RecalcFromPattern(d, _w);
            foreach (DateTime deleted in rs.DeletedOccurrences)
            {
                r.Exceptions.Add(new ExceptionData { OriginalStartUtc = _w.ToUtc(deleted), Deleted = true });
            }

            foreach (ModifiedOccurrence m in rs.ModifiedOccurrences)
            {
                ItemData x = d.Clone();
                x.Recurrence = null;
                x.StartUtc = _w.ToUtc(m.NewStart);
                x.EndUtc = _w.ToUtc(m.NewEnd);
                x.Subject = m.Subject ?? d.Subject;
                r.Exceptions.Add(new ExceptionData { OriginalStartUtc = _w.ToUtc(m.OriginalStart), Item = x });
            }
        }

        return d;
    }
}
