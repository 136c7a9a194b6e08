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
    private readonly OutlookEvents _events;
    private MainThread? _main;
    private OmObject? _application;
    private OmObject? _calendar;

    private readonly FollowedCalendars _otherCalendars;
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
    private bool _trusted = true;
    private bool _untrustedShown;
    private IAddinTimer? _startAgain;

    public AddinHost(Func<BridgeClient> clientFactory, IUserInterface user, IAddinLog log, AddinSettings settings, CultureInfo regional)
    {
        _clientFactory = clientFactory;
        _user = user;
        _log = log;
        _settings = settings;
        _regional = regional;
        _events = new OutlookEvents(log, () => _sync, () => _feed);
        _otherCalendars = new FollowedCalendars(_events, log);
        Ribbon = new RibbonController(new RibbonParts(this));
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
        _trusted = ReadTrust(_application);
        if (connectMode != OutlookIds.Addin.ConnectStartup)
        {
            // Connected later from the COM Add-ins dialog: OnStartupComplete will not come (FACTS §6.1).
            _main.Post(Start, _log);
        }
    }

    /// <summary>Whether Outlook trusts the add-in (Application.IsTrusted); false until the add-in is connected.</summary>
    public bool Trusted => _trusted;

    /// <summary>The sentence shown once per start where Outlook does not trust the add-in.</summary>
    public const string UntrustedSentence =
        "Outlook does not trust the ClientBridge add-in on this computer, so the add-in reads your calendar only as far as Outlook allows without asking: "
        + "the tray shows a meeting only when its join link is in the appointment's location, and colleagues' calendars are not followed. "
        + "Adding and removing video meetings still works, though Outlook may ask you to allow it. "
        + "Ask your administrator to add ClientBridge to the add-ins Outlook trusts (Group Policy: Microsoft Outlook, Security, Security Form Settings, Programmatic Security).";

    /// <summary>
    /// Application.IsTrusted (FACTS §7.3, §10): false where administrators manage Outlook's security and this add-in is not
    /// on their list. An Outlook without the member, or one that fails the call, is taken as trusting: the default for
    /// in-process add-ins.
    /// </summary>
    private bool ReadTrust(OmObject application)
    {
        try
        {
            bool trusted = application.Get<bool>("IsTrusted");
            if (!trusted)
            {
                _log.Write("warning", "Outlook does not trust the add-in: no background reads of protected properties.");
            }

            return trusted;
        }
        catch (Exception e) when (e is COMException or MissingMemberException or OutlookDataException or InvalidCastException)
        {
            _log.Write("info", "Outlook did not say whether it trusts the add-in (" + MainThread.Redacted(e) + "); taken as trusted.");
            return true;
        }
    }

    /// <summary>IDTExtensibility2.OnStartupComplete: the real start waits until Outlook's message loop is free.</summary>
    public void OnStartupComplete() => _main?.Post(Start, _log);

    /// <summary>IDTExtensibility2.OnBeginShutdown / OnDisconnection: unhook everything and release every object.</summary>
    public void OnShutdown() => Dispose();

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
        _events.Dispose();
        _sync?.Dispose();
        _feed?.Dispose();
        _calendar?.Dispose();
        _calendar = null;
        _otherCalendars.Dispose();
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
            _startAgain = _settings.Clock.StartTimer(() => main.Post(Start, _log), wait, Timeout.InfiniteTimeSpan, _log);
        }
    }

    private void StartParts()
    {
        if (_application is null || _main is null)
        {
            return;
        }

        _client = _clientFactory();
        if (!_trusted)
        {
            // The agent says so in `ClientBridge status`, where an administrator looks first.
            _client.Options.Capabilities.Add(BridgeProtocol.OutlookUntrustedCapability);
        }

        _agent = new AgentRequests(_client, _settings);
        _sync = new MeetingSync(_main, _agent, _user, _log, _settings, () => _application?.GetObject("Session"), WatchCalendarOf, WatchedCalendars, _otherCalendars.DropThoseOf);
        _sync.ActionFinished += () => InvalidateRibbon?.Invoke();
        _sync.Trusted = _trusted;

        using (OmObject session = _application.GetObject("Session") ?? throw new OutlookDataException("Outlook has no session."))
        {
            _calendar = session.CallObject("GetDefaultFolder", OutlookIds.FolderCalendar);
            if (_calendar is not null)
            {
                _fedCalendars.Add(_calendar);
                _events.ListenToCalendar(_calendar, required: true);
            }

            using OmObject? deleted = session.CallObject("GetDefaultFolder", OutlookIds.FolderDeletedItems);
            _events.ListenToDeletedItems(deleted);
            // Opening a colleague's calendar resolves a Recipient, a protected member throughout (FACTS §7.3).
            foreach (string owner in _trusted ? _settings.SharedCalendars : new List<string>())
            {
                if (OpenSharedCalendar(session, owner) is { } shared)
                {
                    _fedCalendars.Add(shared);
                }
            }
        }

        _feed = new CalendarFeed(_main, _agent, _log, _settings, new CalendarReader(_regional, protectedReads: _trusted), () => _fedCalendars, _sync.Track, () => DateTime.Now, () => _application?.GetObject("Session"));
        _events.ListenToApplication(_application);

        _client.StateChanged += OnClientStateChanged;
        _client.EventReceived += OnAgentEvent;
        _refresh = _settings.Clock.StartTimer(() => _main.Post(() => _feed?.SendSnapshot(), _log), _settings.RefreshInterval, _settings.RefreshInterval, _log);
        if (!_trusted && !_untrustedShown)
        {
            _untrustedShown = true;
            _main.Post(() => _user.ShowError(UntrustedSentence), _log);
        }

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

        all.AddRange(_otherCalendars.Folders);
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
            return folder is null ? null : _otherCalendars.Follow(folder);
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

            bool watched = false;
            try
            {
                string id = folder.GetString("EntryID");
                string defaultId = _calendar?.GetString("EntryID") ?? string.Empty;
                if (id.Length > 0 && id != defaultId && !_otherCalendars.Contains(id))
                {
                    _otherCalendars.Follow(folder);
                    watched = true;
                }
            }
            finally
            {
                // A reference kept past a failed call would outlive the add-in's use of it (FACTS §2.4: released
                // references are how Outlook's objects stay fresh).
                if (!watched)
                {
                    folder.Dispose();
                }
            }
        }
        catch (COMException e)
        {
            _log.Write("warning", "Could not follow another calendar: " + MainThread.Redacted(e));
        }
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

    /// <summary>What the ribbon's actions need of the running add-in, and nothing more.</summary>
    private sealed class RibbonParts : IRibbonParts
    {
        private readonly AddinHost _host;

        public RibbonParts(AddinHost host) => _host = host;

        public MeetingSync? Sync => _host._sync;

        public OmObject? Application => _host._application;

        public MainThread? Main => _host._main;

        public IReadOnlyList<ProviderState> Providers => _host._providers;

        public IUserInterface User => _host._user;

        public IAddinLog Log => _host._log;
    }
}
