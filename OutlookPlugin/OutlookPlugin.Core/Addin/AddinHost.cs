using System;
using System.Collections.Generic;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using ClientBridge.Protocol;
using ClientBridge.Protocol.Client;
using OutlookPlugin.Core.ObjectModel;

namespace OutlookPlugin.Core.Addin;

/// <summary>
/// The add-in's life inside Outlook, behind the COM class's IDTExtensibility2 methods. OnConnection and
/// OnStartupComplete only remember things and post the real start to Outlook's message loop, so Outlook's start is
/// never held up (Outlook disables add-ins that slow it, FACTS §7.1); the pipe is opened off the main thread.
/// </summary>
public sealed class AddinHost : IDisposable
{
    private readonly Func<BridgeClient> _clientFactory;
    private readonly IUserInterface _user;
    private readonly IAddinLog _log;
    private readonly AddinSettings _settings;
    private readonly CultureInfo _regional;
    private readonly List<IDisposable> _subscriptions = new();
    private readonly Dictionary<object, InspectorWatch> _inspectors = new();
    private MainThread? _main;
    private OmObject? _application;
    private OmObject? _calendar;

    // Calendars watched besides the default one: shared calendars from the settings (fed to the agent too) and
    // any other calendar the user gave a meeting to (watched so that its meetings stay in step). Keyed by EntryID.
    private readonly Dictionary<string, OmObject> _otherCalendars = new(StringComparer.Ordinal);
    private readonly List<OmObject> _fedCalendars = new();
    private BridgeClient? _client;
    private AgentRequests? _agent;
    private MeetingSync? _sync;
    private int _reconciled;
    private CalendarFeed? _feed;
    private IAddinTimer? _refresh;
    private volatile IReadOnlyList<ProviderState> _providers = Array.Empty<ProviderState>();
    private bool _started;
    private int _startAttempts;
    private IAddinTimer? _startAgain;

    public AddinHost(Func<BridgeClient> clientFactory, IUserInterface user, IAddinLog log, AddinSettings settings, CultureInfo regional)
    {
        _clientFactory = clientFactory;
        _user = user;
        _log = log;
        _settings = settings;
        _regional = regional;
        Ribbon = new RibbonController(() => this);
    }

    /// <summary>The agent events the add-in's client must subscribe to.</summary>
    public static IReadOnlyList<string> EventKinds { get; } = new[] { MessageKinds.SignInChangedEvent, MessageKinds.MeetingChangedEvent };

    public RibbonController Ribbon { get; }

    /// <summary>
    /// Set by the COM class to IRibbonUI.Invalidate: Office caches getEnabled/getVisible answers until told
    /// (FACTS §6.2), so the add-in says when they changed. Called on the main thread.
    /// </summary>
    public Action? InvalidateRibbon { get; set; }

    public MeetingSync Sync => _sync ?? throw new InvalidOperationException("The add-in has not started yet.");

    public CalendarFeed Feed => _feed ?? throw new InvalidOperationException("The add-in has not started yet.");

    public BridgeClient? Client => _client;

    /// <summary>The add-in's requests to the agent; null before the start.</summary>
    public AgentRequests? Agent => _agent;

    /// <summary>Set once the deferred start has run: events are hooked and the bridge is connecting.</summary>
    public bool Started => _started;

    /// <summary>IDTExtensibility2.OnConnection: runs on Outlook's main thread; remembers and returns.</summary>
    public void OnConnection(object application, int connectMode, SynchronizationContext mainThread)
    {
        _main = new MainThread(mainThread);
        _application = new OmObject(application);
        if (connectMode != OutlookIds.Addin.ConnectStartup)
        {
            // Connected later from the COM Add-ins dialog: OnStartupComplete will not come (FACTS §6.1).
            _main.Post(Start, _log);
        }
    }

    /// <summary>IDTExtensibility2.OnStartupComplete: the real start waits until Outlook's message loop is free.</summary>
    public void OnStartupComplete() => _main?.Post(Start, _log);

    /// <summary>IDTExtensibility2.OnBeginShutdown / OnDisconnection: unhook everything and release every object.</summary>
    public void OnShutdown() => Dispose();

    public bool IsProviderAllowed(string provider)
    {
        IReadOnlyList<ProviderState> known = _providers;
        if (known.Count == 0)
        {
            return string.Equals(provider, "jitsi", StringComparison.Ordinal);
        }

        foreach (ProviderState state in known)
        {
            if (string.Equals(state.Provider, provider, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A ribbon action on an appointment inspector.</summary>
    public void OnInspectorAction(InspectorAction action, string? provider, object? context)
    {
        if (context is null || _sync is null)
        {
            OmObject.Release(context);
            return;
        }

        var inspector = new OmObject(context);
        OmObject? item = null;
        try
        {
            item = inspector.GetObject("CurrentItem");
            if (item is null || item.Get<int>("Class") != OutlookIds.ClassAppointment)
            {
                item?.Dispose();
                inspector.Dispose();
                return;
            }
        }
        catch (COMException e)
        {
            item?.Dispose();
            inspector.Dispose();
            _log.Write("warning", "The inspector's item could not be read: " + MainThread.Redacted(e));
            return;
        }

        Task work;
        switch (action)
        {
            case InspectorAction.Remove:
                work = _sync.RemoveAsync(item, inspector);
                break;
            case InspectorAction.Options:
                MeetingOptions? options = _user.AskMeetingOptions(new MeetingOptionsPrompt
                {
                    Provider = provider ?? DefaultProvider(),
                    ScheduleForName = DelegateOwner.NameOf(item),
                });
                work = options is null ? Task.CompletedTask : _sync.AddAsync(item, inspector, provider, options);
                break;
            default:
                work = _sync.AddAsync(item, inspector, provider, null);
                break;
        }

        _ = ReleaseWhenDoneAsync(work, item, inspector);
    }

    /// <summary>"New video meeting" on the calendar: a new appointment at the selected time, meeting added, shown.</summary>
    public void ScheduleNow(object? context)
    {
        OmObject.Release(context);
        if (_application is null || _sync is null)
        {
            return;
        }

        DateTime start;
        DateTime end;
        using (OmObject? explorer = _application.CallObject("ActiveExplorer"))
        using (OmObject? view = explorer?.GetObject("CurrentView"))
        {
            if (view is not null && view.Get<int>("Class") == OutlookIds.ClassCalendarView)
            {
                start = view.Get<DateTime>("SelectedStartTime");
                end = view.Get<DateTime>("SelectedEndTime");
            }
            else
            {
                DateTime now = DateTime.Now;
                start = now.Date.AddHours(now.Hour + 1);
                end = start.AddMinutes(30);
            }
        }

        OmObject item = _application.CallObject("CreateItem", OutlookIds.AppointmentItemType) ?? throw new OutlookDataException("Outlook made no appointment.");
        item.Set("Start", start);
        item.Set("End", end <= start ? start.AddMinutes(30) : end);
        item.Call("Display", Type.Missing);
        OmObject? inspector = _application.CallObject("ActiveInspector");
        _ = ReleaseWhenDoneAsync(_sync.AddAsync(item, inspector, null, null), item, inspector);
    }

    public void Dispose()
    {
        _startAgain?.Dispose();
        _startAgain = null;
        StopParts();
        _application?.Dispose();
        _application = null;
    }

    /// <summary>Everything Start made, undone; Outlook's Application and the main thread stay.</summary>
    private void StopParts()
    {
        _refresh?.Dispose();
        _refresh = null;
        foreach (IDisposable subscription in _subscriptions)
        {
            subscription.Dispose();
        }

        _subscriptions.Clear();
        foreach (InspectorWatch watch in _inspectors.Values)
        {
            watch.Dispose();
        }

        _inspectors.Clear();
        _sync?.Dispose();
        _feed?.Dispose();
        _calendar?.Dispose();
        _calendar = null;
        foreach (OmObject folder in _otherCalendars.Values)
        {
            folder.Dispose();
        }

        _otherCalendars.Clear();
        _fedCalendars.Clear();
        if (_client is not null)
        {
            _client.StateChanged -= OnClientStateChanged;
            _client.EventReceived -= OnAgentEvent;
            _client.Dispose();
            _client = null;
        }

        _sync = null;
        _feed = null;
    }

    private void Start()
    {
        if (_started || _application is null || _main is null)
        {
            return;
        }

        _started = true;
        try
        {
            StartParts();
            _startAttempts = 0;
        }
        catch (Exception e) when (e is COMException or OutlookDataException or InvalidCastException)
        {
            // Outlook failed a call (online mode, a busy store): half a start would leave the add-in deaf for the whole
            // session, so everything is undone and the start tried again, a little later each time.
            StopParts();
            _started = false;
            _startAttempts++;
            TimeSpan wait = TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, Math.Min(_startAttempts, 6)) * 0.25));
            _log.Write("warning", "The add-in could not start yet (" + MainThread.Redacted(e) + "); trying again in " + wait.TotalSeconds.ToString("0.##", CultureInfo.InvariantCulture) + " s.");
            MainThread main = _main;
            _startAgain?.Dispose();
            _startAgain = _settings.Clock.StartTimer(() => main.Post(Start, _log), wait, Timeout.InfiniteTimeSpan);
        }
    }

    private void StartParts()
    {
        if (_application is null || _main is null)
        {
            return;
        }

        _client = _clientFactory();
        _agent = new AgentRequests(_client, _settings);
        _sync = new MeetingSync(_main, _agent, _user, _log, _settings, () => _application?.GetObject("Session"), WatchCalendarOf, WatchedCalendars);
        _sync.ActionFinished += () => InvalidateRibbon?.Invoke();

        using (OmObject session = _application.GetObject("Session") ?? throw new OutlookDataException("Outlook has no session."))
        {
            _calendar = session.CallObject("GetDefaultFolder", OutlookIds.FolderCalendar);
            if (_calendar is not null)
            {
                _fedCalendars.Add(_calendar);
                Subscribe(_calendar.GetObject("Items"), new Guid(OutlookIds.Events.ItemsEvents), new CalendarItemsSink(this), required: true);
            }

            using OmObject? deleted = session.CallObject("GetDefaultFolder", OutlookIds.FolderDeletedItems);
            Subscribe(deleted?.GetObject("Items"), new Guid(OutlookIds.Events.ItemsEvents), new DeletedItemsSink(this), required: true);
            foreach (string owner in _settings.SharedCalendars)
            {
                if (OpenSharedCalendar(session, owner) is { } shared)
                {
                    _fedCalendars.Add(shared);
                }
            }
        }

        _feed = new CalendarFeed(_main, _agent, _log, _settings, new CalendarReader(_regional), () => _fedCalendars, _sync.Track, () => DateTime.Now, () => _application?.GetObject("Session"));
        Subscribe(_application, new Guid(OutlookIds.Events.ApplicationEvents11), new ApplicationSink(this), ownsSource: false, required: true);
        Subscribe(_application.GetObject("Inspectors"), new Guid(OutlookIds.Events.InspectorsEvents), new InspectorsSink(this), required: true);

        _client.StateChanged += OnClientStateChanged;
        _client.EventReceived += OnAgentEvent;
        _refresh = _settings.Clock.StartTimer(() => _main.Post(() => _feed?.SendSnapshot(), _log), _settings.RefreshInterval, _settings.RefreshInterval);
        BridgeClient client = _client;
        _ = Task.Run(async () =>
        {
            try
            {
                await client.ConnectAsync().ConfigureAwait(false);
            }
            catch (BridgeException e)
            {
                _log.Write("info", "The agent is not reachable yet (" + e.Code + "); the add-in keeps trying.");
            }
        });
    }

    /// <summary>The default calendar and every other calendar followed.</summary>
    private List<OmObject> WatchedCalendars()
    {
        var all = new List<OmObject>();
        if (_calendar is not null)
        {
            all.Add(_calendar);
        }

        all.AddRange(_otherCalendars.Values);
        return all;
    }

    /// <summary>Another user's calendar (FACTS §2.1: the recipient must be resolved first), watched and fed; null when it cannot be opened.</summary>
    private OmObject? OpenSharedCalendar(OmObject session, string owner)
    {
        try
        {
            using OmObject? recipient = session.CallObject("CreateRecipient", owner);
            if (recipient is null || !recipient.Call<bool>("Resolve"))
            {
                _log.Write("warning", "A shared calendar in the settings names nobody the address book knows.");
                return null;
            }

            OmObject? folder = session.CallObject("GetSharedDefaultFolder", recipient.Target, OutlookIds.FolderCalendar);
            return folder is null ? null : Watch(folder);
        }
        catch (COMException e)
        {
            _log.Write("warning", "A shared calendar could not be opened: " + MainThread.Redacted(e));
            return null;
        }
    }

    /// <summary>After a meeting was added to an item outside the default calendar, that calendar's changes are followed too.</summary>
    private void WatchCalendarOf(OmObject item)
    {
        try
        {
            OmObject? folder = item.GetObject("Parent");
            if (folder is null)
            {
                return;
            }

            string id = folder.GetString("EntryID");
            string defaultId = _calendar?.GetString("EntryID") ?? string.Empty;
            if (id.Length == 0 || id == defaultId || _otherCalendars.ContainsKey(id))
            {
                folder.Dispose();
                return;
            }

            Watch(folder);
        }
        catch (COMException e)
        {
            _log.Write("warning", "Could not follow another calendar: " + MainThread.Redacted(e));
        }
    }

    private OmObject Watch(OmObject folder)
    {
        string id = folder.GetString("EntryID");
        if (_otherCalendars.TryGetValue(id, out OmObject? known))
        {
            folder.Dispose();
            return known;
        }

        _otherCalendars[id] = folder;
        Subscribe(folder.GetObject("Items"), new Guid(OutlookIds.Events.ItemsEvents), new CalendarItemsSink(this));
        return folder;
    }

    /// <summary>Outlook's objects released the moment the item is done with, whatever the outcome.</summary>
    private async Task ReleaseWhenDoneAsync(Task work, OmObject item, OmObject? inspector)
    {
        try
        {
            await work.ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Logged; the user was told already.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _log.Write("error", "A meeting action failed: " + MainThread.Redacted(e));
        }
        finally
        {
            _main?.Post(
                () =>
                {
                    item.Dispose();
                    inspector?.Dispose();
                },
                _log);
        }
    }

    /// <summary>
    /// Listens to a source's events. A failure is logged and skipped for optional sources (another user's calendar);
    /// for the ones the add-in cannot work without (<paramref name="required"/>) it is thrown, so that the start is
    /// undone and tried again rather than left deaf for the whole session.
    /// </summary>
    private void Subscribe(OmObject? source, Guid events, object sink, bool ownsSource = true, bool required = false)
    {
        if (source is null)
        {
            return;
        }

        try
        {
            _subscriptions.Add(EventSubscription.Advise(source, events, sink, ownsSource));
        }
        catch (Exception e) when (e is COMException or InvalidCastException or OutlookDataException)
        {
            if (ownsSource)
            {
                source.Dispose();
            }

            if (required)
            {
                throw;
            }

            _log.Write("warning", "Could not listen to an Outlook event source: " + MainThread.Redacted(e));
        }
    }

    private string DefaultProvider()
    {
        foreach (ProviderState state in _providers)
        {
            if (state.IsDefault)
            {
                return state.Provider;
            }
        }

        return "jitsi";
    }

    private void OnClientStateChanged(object? sender, ConnectionStateChangedEventArgs e)
    {
        if (e.State == BridgeConnectionState.Connected)
        {
            _main?.Post(() => _feed?.SendSnapshot(), _log);
            if (Interlocked.Exchange(ref _reconciled, 1) == 0)
            {
                _main?.Post(() => _sync?.Reconcile(), _log);
            }

            _ = RefreshProvidersAsync();
        }
    }

    private void OnAgentEvent(object? sender, BridgeEventArgs e)
    {
        if (e.Kind == MessageKinds.SignInChangedEvent)
        {
            _main?.Post(() => _feed?.SendSnapshot(), _log);
            _ = RefreshProvidersAsync();
        }
    }

    private async Task RefreshProvidersAsync()
    {
        if (_agent is null)
        {
            return;
        }

        try
        {
            SignInState state = await _agent.SignInStateAsync().ConfigureAwait(false);
            _providers = state.Providers;
            _main?.Post(() => InvalidateRibbon?.Invoke(), _log);
        }
        catch (BridgeException e)
        {
            _log.Write("info", "Providers unknown for now (" + e.Code + ").");
        }
    }

    /// <summary>
    /// Handles an Outlook event about appointments. A call that Outlook fails meanwhile (online mode with the server
    /// away, a busy store) leaves unknown what the event meant: rather than lose it, the add-in looks at its meetings
    /// and reads the calendar again shortly (FACTS §10: only MAPI_E_NOT_FOUND means gone, and nothing is cancelled on doubt).
    /// </summary>
    private void OnOutlookEvent(Action handle) => MainThread.Guard(
        () =>
        {
            try
            {
                handle();
            }
            catch (Exception e) when (e is COMException or OutlookDataException or InvalidCastException)
            {
                _log.Write("warning", "Outlook failed a call while an appointment event was handled (" + MainThread.Redacted(e) + "); the add-in looks at its meetings and the calendar again shortly.");
                _sync?.LookAgainLater();
                _feed?.SnapshotSoon();
            }
        },
        _log);

    private void OnCalendarItem(object raw, bool added)
    {
        using var item = new OmObject(raw);
        if (item.Get<int>("Class") != OutlookIds.ClassAppointment)
        {
            return;
        }

        _sync?.Changed(item);
        _feed?.ItemChanged(item);
    }

    private void OnNewInspector(object raw)
    {
        var inspector = new OmObject(raw);
        try
        {
            using OmObject? item = inspector.GetObject("CurrentItem");
            if (item is null || item.Get<int>("Class") != OutlookIds.ClassAppointment)
            {
                inspector.Dispose();
                return;
            }

            var watch = new InspectorWatch(this, inspector);
            _inspectors[inspector.Target] = watch;
        }
        catch (Exception e) when (e is COMException or OutlookDataException)
        {
            inspector.Dispose();
            _log.Write("warning", "Could not watch an opened item: " + MainThread.Redacted(e));
        }
    }

    private void OnItemSend(object raw)
    {
        using var item = new OmObject(raw);
        if (item.Get<int>("Class") != OutlookIds.ClassMeetingCancellation)
        {
            return;
        }

        // A cancellation may be for removed attendees or one occurrence only; MeetingSync decides what it means.
        using OmObject? appointment = item.CallObject("GetAssociatedAppointment", false);
        if (appointment is not null)
        {
            _sync?.CancellationSent(appointment);
        }
    }

    /// <summary>
    /// An open appointment. BeforeDelete only asks for a look soon: the delete can still be cancelled, and deleting one
    /// occurrence from its window deletes only that occurrence (FACTS §10). The watch ends when the inspector closes.
    /// </summary>
    internal sealed class InspectorWatch : IDisposable
    {
        private readonly AddinHost _host;
        private readonly OmObject _inspector;
        private readonly List<EventSubscription> _subscriptions = new();
        private bool _disposed;

        public InspectorWatch(AddinHost host, OmObject inspector)
        {
            _host = host;
            _inspector = inspector;
            try
            {
                _subscriptions.Add(EventSubscription.Advise(inspector, new Guid(OutlookIds.Events.InspectorEvents10), new InspectorSink(this), ownsSource: false));
                OmObject item = inspector.GetObject("CurrentItem") ?? throw new OutlookDataException("The inspector shows no item.");
                _subscriptions.Add(EventSubscription.Advise(item, new Guid(OutlookIds.Events.ItemEvents10), new ItemSink(this)));
            }
            catch
            {
                // Half a watch would hear the window close after the caller released the inspector.
                foreach (EventSubscription subscription in _subscriptions)
                {
                    subscription.Dispose();
                }

                throw;
            }
        }

        public IAddinLog Log => _host._log;

        public void BeforeDelete(object raw)
        {
            OmObject.Release(raw);
            _host._sync?.Removed();
        }

        public void Closed()
        {
            if (_disposed)
            {
                // The add-in stopped (Outlook restarting) while the window's Close was on its way.
                return;
            }

            // Read once: handling the close can end this watch (the inspector released) before the map forgets it.
            object window = _inspector.Target;
            _host._sync?.WindowClosed(window);
            _host._inspectors.Remove(window);
            Dispose();
        }

        public void Dispose()
        {
            foreach (EventSubscription subscription in _subscriptions)
            {
                subscription.Dispose();
            }

            _subscriptions.Clear();
            _inspector.Dispose();
            _disposed = true;
        }
    }

// Event sinks: public, because COM sees only public types when Outlook queries a sink for its events interface;
// constructed only here.
#pragma warning disable CA1812, CA1034 // Instantiated above and invoked by Outlook through IDispatch; nested to reach the host.
    [ComVisible(true)]
    [ClassInterface(ClassInterfaceType.None)]
    public sealed class CalendarItemsSink : IItemsEvents
    {
        private readonly AddinHost _host;

        internal CalendarItemsSink(AddinHost host) => _host = host;

        public void ItemAdd(object item) => _host.OnOutlookEvent(() => _host.OnCalendarItem(item, added: true));

        public void ItemChange(object item) => _host.OnOutlookEvent(() => _host.OnCalendarItem(item, added: false));

        public void ItemRemove() => MainThread.Guard(
            () =>
            {
                _host._sync?.Removed();
                _host._feed?.SnapshotSoon();
            },
            _host._log);
    }

    [ComVisible(true)]
    [ClassInterface(ClassInterfaceType.None)]
    public sealed class DeletedItemsSink : IItemsEvents
    {
        private readonly AddinHost _host;

        internal DeletedItemsSink(AddinHost host) => _host = host;

        public void ItemAdd(object item) => _host.OnOutlookEvent(() =>
        {
            using var deleted = new OmObject(item);
            if (deleted.Get<int>("Class") == OutlookIds.ClassAppointment)
            {
                _host._sync?.Deleted(deleted);
            }
        });

        /// <summary>Not needed (a saved deleted item is still deleted), but the item Outlook hands over is still ours to release.</summary>
        public void ItemChange(object item) => OmObject.Release(item);

        public void ItemRemove()
        {
        }
    }

    [ComVisible(true)]
    [ClassInterface(ClassInterfaceType.None)]
    public sealed class ApplicationSink : IApplicationEvents
    {
        private readonly AddinHost _host;

        internal ApplicationSink(AddinHost host) => _host = host;

        public void ItemSend(object item, ref bool cancel) => _host.OnOutlookEvent(() => _host.OnItemSend(item));
    }

    [ComVisible(true)]
    [ClassInterface(ClassInterfaceType.None)]
    public sealed class InspectorsSink : IInspectorsEvents
    {
        private readonly AddinHost _host;

        internal InspectorsSink(AddinHost host) => _host = host;

        public void NewInspector(object inspector) => MainThread.Guard(() => _host.OnNewInspector(inspector), _host._log);
    }

    [ComVisible(true)]
    [ClassInterface(ClassInterfaceType.None)]
    public sealed class InspectorSink : IInspectorEvents
    {
        private readonly InspectorWatch _watch;

        internal InspectorSink(InspectorWatch watch) => _watch = watch;

        public void Close() => MainThread.Guard(_watch.Closed, _watch.Log);
    }

    [ComVisible(true)]
    [ClassInterface(ClassInterfaceType.None)]
    public sealed class ItemSink : IItemEvents
    {
        private readonly InspectorWatch _watch;

        internal ItemSink(InspectorWatch watch) => _watch = watch;

        // Saves are followed through the calendar's ItemChange instead, which also sees items saved with no window open.
        public void Write(ref bool cancel)
        {
        }

        public void BeforeDelete(object item, ref bool cancel) => MainThread.Guard(() => _watch.BeforeDelete(item), _watch.Log);

        public void Unload()
        {
        }
    }
#pragma warning restore CA1812, CA1034
}
