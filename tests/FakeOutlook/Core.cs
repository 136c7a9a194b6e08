using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.InteropServices.ComTypes;
using System.Threading;

namespace FakeOutlook;

/// <summary>HRESULTs the fake raises, as Outlook does.</summary>
public static class FakeHResults
{
    public const int WrongThread = unchecked((int)0x8001010E);
    public const int DispException = unchecked((int)0x80020009);
    public const int BadIndex = unchecked((int)0x8002000B);
    public const int NotFound = unchecked((int)0x8004010F);

    /// <summary>MAPI_E_NOT_ENOUGH_MEMORY (E_OUTOFMEMORY): what a MAPI table answers for a property too large for its row.</summary>
    public const int NotEnoughMemory = unchecked((int)0x8007000E);

    /// <summary>MAPI_E_NOT_SUPPORTED: what a protected member answers when the user denies the security prompt (FACTS §7.3).</summary>
    public const int NotSupported = unchecked((int)0x80040102);
    public const int NoConnection = unchecked((int)0x80040200);
    public const int CannotConnect = unchecked((int)0x80040202);
    public const int InvalidArg = unchecked((int)0x80070057);
    public const int NotImplemented = unchecked((int)0x80004001);
    public const int Fail = unchecked((int)0x80004005);

    /// <summary>MAPI_E_NETWORK_ERROR: the Exchange server could not be reached (FACTS §10: "try later", not "absent").</summary>
    public const int NetworkError = unchecked((int)0x80040115);

    /// <summary>RPC_E_CALL_REJECTED: the callee rejected the call (FACTS §10: "try later", not "absent").</summary>
    public const int CallRejected = unchecked((int)0x80010001);

    /// <summary>MAPI_E_INVALID_ENTRYID: an EntryID that cannot be opened, as a contents table's short-term one (FACTS §2.3).</summary>
    public const int InvalidEntryId = unchecked((int)0x80040107);

    /// <summary>MAPI_E_NO_ACCESS, which is E_ACCESSDENIED: the user may no longer open the folder (FACTS §2.1, §10).</summary>
    public const int NoAccess = unchecked((int)0x80070005);
}

/// <summary>One object handed out to the add-in and not released yet.</summary>
public sealed record LeakedReference(string ObjectType, string Description, int Count, IReadOnlyList<string> HandedOutBy)
{
    public override string ToString() =>
        $"{ObjectType} '{Description}' x{Count} (handed out by {string.Join(", ", HandedOutBy)})";
}

/// <summary>The shared state of one fake Outlook: thread binding, counters, reference tracking.</summary>
internal sealed class World
{
    private readonly object _refLock = new();
    private readonly Dictionary<FakeComObject, List<string>> _outstanding = new(ReferenceEqualityComparer.Instance);
    private int _total;
    private long _callCount;
    private int _wrongThread;

    public World(FakeOutlookOptions options, OutlookThread thread)
    {
        Options = options;
        Thread = thread;
        LocalZone = TimeZoneConverter.TZConvert.GetTimeZoneInfo(options.LocalTimeZoneId);
        Regional = options.RegionalSettings ?? CultureInfo.InvariantCulture;
    }

    public FakeOutlookOptions Options { get; }

    /// <summary>Diagnostics (<see cref="FakeOutlookOptions.Trace"/>): who did it ("addin" or "user") is told by <see cref="Tracking"/>.</summary>
    public void Trace(Func<string> what)
    {
        if (Options.Trace is { } trace)
        {
            string who = Tracking ? "addin " : "user  ";
            trace(() => who + what());
        }
    }

    public OutlookThread Thread { get; }

    public TimeZoneInfo LocalZone { get; }

    public CultureInfo Regional { get; }

    /// <summary>Greater than zero while test-side code runs ("as the user"): no counting, no references.</summary>
    public int UntrackedDepth { get; set; }

    public bool Tracking => UntrackedDepth == 0;

    public ConcurrentQueue<Exception> SinkExceptions { get; } = new();

    public ConcurrentQueue<string> OverReleases { get; } = new();

    public ConcurrentQueue<string> SentItems { get; } = new();

    /// <summary>Transient faults of the add-in's calls (FACTS §10).</summary>
    public FakeFaultPlan Faults { get; } = new();

    private readonly object _deleteLock = new();
    private int _deletesToCancel;
    private int _deletesCancelled;
    private bool _cancelEveryDelete;

    /// <summary>Another BeforeDelete handler cancels every delete (see <see cref="OtherHandlerCancelsDelete"/>).</summary>
    public bool CancelEveryDelete
    {
        get
        {
            lock (_deleteLock)
            {
                return _cancelEveryDelete;
            }
        }

        set
        {
            lock (_deleteLock)
            {
                _cancelEveryDelete = value;
            }
        }
    }

    public int DeletesCancelled
    {
        get
        {
            lock (_deleteLock)
            {
                return _deletesCancelled;
            }
        }
    }

    public void CancelNextDelete()
    {
        lock (_deleteLock)
        {
            _deletesToCancel++;
        }
    }

    /// <summary>
    /// Asked after the add-in's sinks had BeforeDelete: whether another handler (another add-in, or the user answering a
    /// prompt) cancels the delete now (FACTS §3.1, §10: BeforeDelete's Cancel; it is no proof that the item is gone).
    /// </summary>
    public bool OtherHandlerCancelsDelete()
    {
        lock (_deleteLock)
        {
            if (_deletesToCancel > 0)
            {
                _deletesToCancel--;
            }
            else if (!_cancelEveryDelete)
            {
                return false;
            }

            _deletesCancelled++;
            return true;
        }
    }

    public FakeApplication App { get; set; } = null!;

    public long CallCount => Interlocked.Read(ref _callCount);

    public void ResetCallCount() => Interlocked.Exchange(ref _callCount, 0);

    private long _opens;

    /// <summary>What each object-model call and each item opened by EntryID costs; null: nothing (the default).</summary>
    public FakeCallCosts? Costs { get; set; }

    /// <summary>Items opened by EntryID (NameSpace.GetItemFromID) by the add-in since the last reset.</summary>
    public long Opens => Interlocked.Read(ref _opens);

    /// <summary>
    /// Spent, on the calling thread (Outlook's), as Outlook would: the add-in's own clock must see them, since it decides
    /// by the clock when to give Outlook's thread back. A spin, not a sleep: sleeps are far coarser than 20 µs.
    /// </summary>
    public static void Charge(TimeSpan cost)
    {
        long until = System.Diagnostics.Stopwatch.GetTimestamp() + (long)(cost.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
        while (System.Diagnostics.Stopwatch.GetTimestamp() < until)
        {
            System.Threading.Thread.SpinWait(20);
        }
    }

    public void ChargeOpen()
    {
        if (Tracking && Costs is { } costs)
        {
            Interlocked.Increment(ref _opens);
            Charge(costs.PerOpen);
        }
        else if (Tracking)
        {
            Interlocked.Increment(ref _opens);
        }
    }

    public void ResetOpens() => Interlocked.Exchange(ref _opens, 0);

    public int WrongThreadCalls => Volatile.Read(ref _wrongThread);

    private int _guardPrompts;

    public int GuardPrompts => Volatile.Read(ref _guardPrompts);

    /// <summary>
    /// The Object Model Guard's protected members (FACTS §7.3: VBA "Protected properties and methods"), as
    /// Object.Member. Recipient is protected whole.
    /// </summary>
    private static readonly HashSet<string> Guarded = new(StringComparer.Ordinal)
    {
        "AppointmentItem.Body", "AppointmentItem.OptionalAttendees", "AppointmentItem.Organizer", "AppointmentItem.PropertyAccessor",
        "AppointmentItem.RequiredAttendees", "AppointmentItem.Resources", "AppointmentItem.RTFBody", "AppointmentItem.SaveAs",
        "MeetingItem.Body", "MeetingItem.PropertyAccessor", "MeetingItem.Recipients", "MeetingItem.RTFBody",
        "NameSpace.CurrentUser", "NameSpace.GetAddressEntryFromID", "NameSpace.GetRecipientFromID",
        "Folder.PropertyAccessor", "Store.PropertyAccessor",
    };

    /// <summary>An untrusted add-in touching a protected member: one prompt, answered Deny (see FakeOutlookOptions.Trusted).</summary>
    public void Guard(string objectName, string member)
    {
        if (Options.Trusted || !Tracking || (!Guarded.Contains(objectName + "." + member) && objectName != "Recipient"))
        {
            return;
        }

        Interlocked.Increment(ref _guardPrompts);
        throw new COMException("A program is trying to access e-mail address information stored in Outlook. The user chose Deny.", FakeHResults.NotSupported);
    }

    public int OutstandingReferences
    {
        get
        {
            lock (_refLock)
            {
                return _total;
            }
        }
    }

    public int NextId;

    /// <summary>Bumped whenever a folder gains or loses an item, so lookups by id can cache.</summary>
    public int StoreVersion;

    public DateTime UtcNow => Options.Clock?.Invoke() ?? DateTime.UtcNow;

    public void Enter()
    {
        if (!Thread.IsCurrent)
        {
            Interlocked.Increment(ref _wrongThread);
            throw new COMException(
                "The application called an interface that was marshalled for a different thread. (Exception from HRESULT: 0x8001010E (RPC_E_WRONG_THREAD))",
                FakeHResults.WrongThread);
        }

        if (Tracking)
        {
            Interlocked.Increment(ref _callCount);
            if (Costs is { } costs)
            {
                Charge(costs.PerCall);
            }
        }
    }

    public void CheckThread()
    {
        if (!Thread.IsCurrent)
        {
            Interlocked.Increment(ref _wrongThread);
            throw new COMException("RPC_E_WRONG_THREAD", FakeHResults.WrongThread);
        }
    }

    public void AddRef(FakeComObject o, string member)
    {
        lock (_refLock)
        {
            if (!_outstanding.TryGetValue(o, out List<string>? list))
            {
                list = new List<string>();
                _outstanding[o] = list;
            }

            list.Add(member);
            _total++;
            o.Separated = false;
            if (list.Count == 1 && o is FakeAppointmentItem item)
            {
                item.BeginHold();
            }
        }
    }

    public void Release(FakeComObject o)
    {
        lock (_refLock)
        {
            if (!_outstanding.TryGetValue(o, out List<string>? list) || list.Count == 0)
            {
                OverReleases.Enqueue($"{o.GetType().Name} '{o.Describe()}' released more often than it was handed out");
                return;
            }

            list.RemoveAt(list.Count - 1);
            _total--;
            if (list.Count == 0)
            {
                _outstanding.Remove(o);
                o.Separated = Options.EnforceReleasedObjects;
                (o as FakeAppointmentItem)?.EndHold();
            }
        }
    }

    /// <summary>Connection points that have had a sink (main thread only).</summary>
    internal HashSet<FakeEventSource.ConnectionPoint> Advised { get; } = new();

    /// <summary>
    /// The add-in's process ended without a word (Outlook's fast shutdown, FACTS §10, or a crash): its sinks are gone
    /// and every reference it held is released, as COM does for a process that ends. Nothing of the add-in runs.
    /// </summary>
    internal void EndAddinProcess()
    {
        foreach (FakeEventSource.ConnectionPoint point in Advised)
        {
            point.DropAll();
        }

        Advised.Clear();
        lock (_refLock)
        {
            foreach (FakeComObject o in _outstanding.Keys)
            {
                o.Separated = Options.EnforceReleasedObjects;
                (o as FakeAppointmentItem)?.EndHold();
            }

            _outstanding.Clear();
            _total = 0;
        }
    }

    public int ReferencesTo(FakeComObject o)
    {
        lock (_refLock)
        {
            return _outstanding.TryGetValue(o, out List<string>? list) ? list.Count : 0;
        }
    }

    public IReadOnlyList<LeakedReference> Leaks()
    {
        lock (_refLock)
        {
            return _outstanding
                .Select(p => new LeakedReference(p.Key.GetType().Name, p.Key.Describe(), p.Value.Count, p.Value.Distinct().ToArray()))
                .ToArray();
        }
    }

    public string NewEntryId()
    {
        int n = Interlocked.Increment(ref NextId);
        return "00000000" + Guid.NewGuid().ToString("N").ToUpperInvariant() + n.ToString("X8", CultureInfo.InvariantCulture);
    }

    public static string NewGlobalId()
    {
        // The shape of PidLidGlobalObjectId in hex: a fixed class id, instance date zeroed, time stamp, then a unique part.
        return "040000008200E00074C5B7101A82E00800000000" + Guid.NewGuid().ToString("N").ToUpperInvariant() + "0000000000000000";
    }

    public DateTime ToLocal(DateTime utc) => DateTime.SpecifyKind(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), LocalZone), DateTimeKind.Unspecified);

    public DateTime ToUtc(DateTime local) => ToUtc(local, LocalZone);

    public static DateTime ToUtc(DateTime wall, TimeZoneInfo zone)
    {
        DateTime w = DateTime.SpecifyKind(wall, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(w))
        {
            w = w.AddHours(1);
        }

        return DateTime.SpecifyKind(TimeZoneInfo.ConvertTimeToUtc(w, zone), DateTimeKind.Unspecified);
    }

    public static DateTime FromUtc(DateTime utc, TimeZoneInfo zone) =>
        DateTime.SpecifyKind(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone), DateTimeKind.Unspecified);

    public TimeZoneInfo Zone(string? id) => string.IsNullOrEmpty(id) ? LocalZone : TimeZoneConverter.TZConvert.GetTimeZoneInfo(id);

    /// <summary>Runs test-side code: no thread check is skipped, but nothing is counted.</summary>
    public T Untracked<T>(Func<T> f)
    {
        UntrackedDepth++;
        try
        {
            return f();
        }
        finally
        {
            UntrackedDepth--;
        }
    }
}

/// <summary>
/// Base of every object the fake hands out. Disposing releases one reference, as Marshal.ReleaseComObject does on an RCW.
/// Public members call <see cref="Enter"/> (thread check + call count) and wrap returned objects in <see cref="Out{T}"/>.
/// </summary>
public abstract class FakeComObject : IDisposable
{
    internal FakeComObject(World world) => W = world;

    internal World W { get; }

    /// <summary>All references handed out were released: using it again is like using a released RCW.</summary>
    internal bool Separated { get; set; }

    /// <summary>References to this object handed out to the add-in and not yet released (test-side).</summary>
    public int ReferenceCount => W.ReferencesTo(this);

    public FakeApplication Application
    {
        get
        {
            Enter();
            return Out(W.App);
        }
    }

    public FakeNameSpace Session
    {
        get
        {
            Enter();
            return Out(W.App.NameSpace);
        }
    }

    public int Class
    {
        get
        {
            Enter();
            return ObjectClass;
        }
    }

    public object? Parent
    {
        get
        {
            Enter();
            return Out(ParentObject);
        }
    }

    internal abstract int ObjectClass { get; }

    internal virtual object? ParentObject => W.App;

    /// <summary>Releases one reference (never destroys anything).</summary>
    public void Dispose()
    {
        W.Release(this);
        GC.SuppressFinalize(this);
    }

    internal virtual string Describe() => GetType().Name;

    /// <summary>
    /// Every public member starts here: the thread check, the call count, the released-RCW check, then a transient fault
    /// when <see cref="FakeFaultPlan"/> has one due for this member (tracked calls only, FACTS §10).
    /// </summary>
    private protected void Enter([CallerMemberName] string member = "")
    {
        W.Enter();
        if (!W.Tracking)
        {
            return;
        }

        if (Separated)
        {
            throw new InvalidComObjectException("COM object that has been separated from its underlying RCW cannot be used.");
        }

        if (Defunct is { } why)
        {
            throw new COMException(why, DefunctHResult);
        }

        W.Guard(ObjectName, member);
        W.Faults.Strike(ObjectName, member);
    }

    /// <summary>
    /// Non-null when the object is gone from Outlook's side although the add-in still holds it (a closed inspector, its
    /// document, a new item discarded unsaved): every member then fails. Which HRESULT Outlook raises there is not
    /// documented (FACTS §10 lists it as unchecked), so the fake takes the worst case: E_FAIL, which says nothing.
    /// </summary>
    internal virtual string? Defunct => null;

    /// <summary>What every member of a <see cref="Defunct"/> object fails with: E_FAIL unless a documented code says more.</summary>
    internal virtual int DefunctHResult => FakeHResults.Fail;

    /// <summary>Outlook's name of the object for fault plans and reports: FakeAppointmentItem is "AppointmentItem".</summary>
    internal string ObjectName => GetType().Name.StartsWith("Fake", StringComparison.Ordinal) ? GetType().Name[4..] : GetType().Name;

    private protected T Out<T>(T value, [CallerMemberName] string member = "")
    {
        if (value is FakeComObject o && W.Tracking)
        {
            W.AddRef(o, GetType().Name + "." + member);
        }

        return value;
    }

    internal static COMException Error(string message, int hr = FakeHResults.DispException) => new(message, hr);
}

/// <summary>
/// Event DISPIDs and source IIDs (FACTS §3.1), kept apart from the add-in's OutlookIds on purpose: the fake is a
/// second, independent reading of the facts sheet, so a wrong constant in the add-in fails the tests instead of being
/// shared by both sides.
/// </summary>
public static class FakeEventIds
{
    public static readonly Guid ApplicationEvents = new("0006304E-0000-0000-C000-000000000046");
    public static readonly Guid ApplicationEvents10 = new("0006300E-0000-0000-C000-000000000046");
    public static readonly Guid ApplicationEvents11 = new("0006302C-0000-0000-C000-000000000046");
    public static readonly Guid ItemsEvents = new("00063077-0000-0000-C000-000000000046");
    public static readonly Guid ItemEvents = new("0006303A-0000-0000-C000-000000000046");
    public static readonly Guid ItemEvents10 = new("0006302B-0000-0000-C000-000000000046");
    public static readonly Guid InspectorsEvents = new("00063079-0000-0000-C000-000000000046");
    public static readonly Guid InspectorEvents = new("0006307D-0000-0000-C000-000000000046");
    public static readonly Guid InspectorEvents10 = new("0006302A-0000-0000-C000-000000000046");
    public static readonly Guid ExplorerEvents = new("0006304F-0000-0000-C000-000000000046");
    public static readonly Guid ExplorerEvents10 = new("0006300F-0000-0000-C000-000000000046");

    // ApplicationEvents_11
    public const int ItemSend = 0xF002;
    public const int Startup = 0xF006;
    public const int Quit = 0xF007;

    // ItemsEvents
    public const int ItemAdd = 0xF001;
    public const int ItemChange = 0xF002;
    public const int ItemRemove = 0xF003;

    // ItemEvents_10
    public const int Read = 0xF001;
    public const int Write = 0xF002;
    public const int Open = 0xF003;
    public const int ItemClose = 0xF004;
    public const int Send = 0xF005;
    public const int PropertyChange = 0xF009;
    public const int CustomPropertyChange = 0xF008;
    public const int BeforeDelete = 0xFA75;
    public const int Unload = 0xFBAD;
    public const int AfterWrite = 0xFC8D;

    // Inspectors / Inspector / Explorer
    public const int NewInspector = 0xF001;
    public const int Activate = 0xF001;
    public const int InspectorClose = 0xF008;
    public const int Deactivate = 0xF006;
    public const int FolderSwitch = 0xF002;
    public const int SelectionChange = 0xF007;
    public const int ViewSwitch = 0xF004;
    public const int ExplorerClose = 0xF008;
}

/// <summary>An event source: implements IConnectionPointContainer for the dispinterfaces it sources.</summary>
public abstract class FakeEventSource : FakeComObject, IConnectionPointContainer
{
    private static readonly ConcurrentDictionary<(Type, Guid, int), MethodInfo?> MethodCache = new();
    private readonly Dictionary<Guid, ConnectionPoint> _points = new();

    internal FakeEventSource(World world, params Guid[] iids)
        : base(world)
    {
        foreach (Guid iid in iids)
        {
            _points[iid] = new ConnectionPoint(this, iid);
        }
    }

    /// <summary>Number of advised sinks (test-side).</summary>
    public int SinkCount => _points.Values.Sum(p => p.Sinks.Count);

    internal bool HasSinks => _points.Values.Any(p => p.Sinks.Count > 0);

    void IConnectionPointContainer.EnumConnectionPoints(out IEnumConnectionPoints ppEnum) =>
        throw new COMException("Not implemented", FakeHResults.NotImplemented);

    void IConnectionPointContainer.FindConnectionPoint(ref Guid riid, out IConnectionPoint ppCP)
    {
        W.CheckThread();
        if (!_points.TryGetValue(riid, out ConnectionPoint? cp))
        {
            throw new COMException("CONNECT_E_NOCONNECTION", FakeHResults.NoConnection);
        }

        ppCP = cp;
    }

    internal virtual void OnAdviseChanged()
    {
    }

    /// <summary>Raises an event through every sink as IDispatch::Invoke would; returns true when a sink set Cancel.</summary>
    internal bool Raise(int dispId, string eventName, params object?[] args)
    {
        bool cancel = false;
        foreach (ConnectionPoint cp in _points.Values)
        {
            foreach (object sink in cp.Sinks.Values.ToArray())
            {
                cancel |= Deliver(cp.Iid, sink, dispId, eventName, args);
            }
        }

        return cancel;
    }

    private bool Deliver(Guid iid, object sink, int dispId, string eventName, object?[] args)
    {
        MethodInfo? method = MethodCache.GetOrAdd((sink.GetType(), iid, dispId), static key =>
        {
            Type? iface = key.Item1.GetInterfaces().FirstOrDefault(i => i.GUID == key.Item2);
            return iface?.GetMethods().FirstOrDefault(m => m.GetCustomAttribute<DispIdAttribute>()?.Value == key.Item3);
        });
        if (method is null)
        {
            return false; // DISP_E_MEMBERNOTFOUND: Outlook ignores it
        }

        ParameterInfo[] ps = method.GetParameters();
        if (ps.Length != args.Length)
        {
            W.SinkExceptions.Enqueue(new TargetParameterCountException($"Sink {sink.GetType().Name}.{method.Name} takes {ps.Length} arguments; {eventName} passes {args.Length}."));
            return false;
        }

        var actual = new object?[args.Length];
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] is CancelArgument)
            {
                Type t = ps[i].ParameterType.IsByRef ? ps[i].ParameterType.GetElementType()! : ps[i].ParameterType;
                actual[i] = t == typeof(bool) ? false : (object)false;
            }
            else
            {
                actual[i] = args[i];
            }
        }

        int savedDepth = W.UntrackedDepth;
        W.UntrackedDepth = 0; // the add-in's handler is tracked even when a test acts "as the user"
        try
        {
            foreach (object? a in actual)
            {
                if (a is FakeComObject o)
                {
                    W.AddRef(o, $"event {eventName}");
                }
            }

            method.Invoke(sink, actual);
        }
        catch (TargetInvocationException e)
        {
            W.SinkExceptions.Enqueue(e.InnerException ?? e);
        }
#pragma warning disable CA1031 // Outlook ignores whatever a sink does wrong; the test sees it in SinkExceptions.
        catch (Exception e)
#pragma warning restore CA1031
        {
            W.SinkExceptions.Enqueue(e);
        }
        finally
        {
            W.UntrackedDepth = savedDepth;
        }

        bool cancel = false;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] is CancelArgument && actual[i] is not null)
            {
                cancel |= Convert.ToBoolean(actual[i], CultureInfo.InvariantCulture);
            }
        }

        return cancel;
    }

    internal sealed class CancelArgument
    {
        public static readonly CancelArgument Value = new();
    }

    internal sealed class ConnectionPoint : IConnectionPoint
    {
        private readonly FakeEventSource _owner;
        private int _nextCookie;

        public ConnectionPoint(FakeEventSource owner, Guid iid)
        {
            _owner = owner;
            Iid = iid;
        }

        public Guid Iid { get; }

        public Dictionary<int, object> Sinks { get; } = new();

        public void GetConnectionInterface(out Guid pIID) => pIID = Iid;

        public void GetConnectionPointContainer(out IConnectionPointContainer ppCPC) => ppCPC = _owner;

        public void Advise(object pUnkSink, out int pdwCookie)
        {
            _owner.W.CheckThread();
            ArgumentNullException.ThrowIfNull(pUnkSink);
            if (!pUnkSink.GetType().GetInterfaces().Any(i => i.GUID == Iid))
            {
                throw new COMException("CONNECT_E_CANNOTCONNECT: the sink does not implement the source interface", FakeHResults.CannotConnect);
            }

            pdwCookie = ++_nextCookie;
            Sinks[pdwCookie] = pUnkSink;
            _owner.W.Advised.Add(this);
            _owner.OnAdviseChanged();
        }

        /// <summary>Every sink gone at once, with no Unadvise (the process that advised them ended).</summary>
        public void DropAll()
        {
            if (Sinks.Count > 0)
            {
                Sinks.Clear();
                _owner.OnAdviseChanged();
            }
        }

        public void Unadvise(int dwCookie)
        {
            _owner.W.CheckThread();
            if (!Sinks.Remove(dwCookie))
            {
                throw new COMException("CONNECT_E_NOCONNECTION", FakeHResults.NoConnection);
            }

            _owner.OnAdviseChanged();
        }

        public void EnumConnections(out IEnumConnections ppEnum) =>
            throw new COMException("Not implemented", FakeHResults.NotImplemented);
    }
}

/// <summary>
/// What the object model costs in Outlook, which the fake does not (issue 13, point 3): every call is a COM call into
/// Outlook, and an item opened by EntryID is a store read, a server round trip in online mode. The costs are spent on
/// Outlook's thread where they happen, and show in its holds (<see cref="OutlookThread.MaxHold"/>).
/// </summary>
public sealed record FakeCallCosts(TimeSpan PerCall, TimeSpan PerOpen)
{
    /// <summary>Cached Exchange mode: 20 µs a call, 1 ms an open (a local OST read).</summary>
    public static FakeCallCosts Cached { get; } = new(TimeSpan.FromMicroseconds(20), TimeSpan.FromMilliseconds(1));

    /// <summary>Online mode: 200 µs a call, 10 ms an open (a round trip to the Exchange server).</summary>
    public static FakeCallCosts Online { get; } = new(TimeSpan.FromMicroseconds(200), TimeSpan.FromMilliseconds(10));
}
