using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ClientBridge.Calendar;
using ClientBridge.Protocol;
using ClientBridge.Protocol.Client;
using ClientBridge.Scheduling;
using ClientBridge.Tests.Support;
using FakeOutlook;
using OutlookPlugin.Core.Addin;
using ZoomEmulator;

namespace OutlookPlugin.Tests.Support;

/// <summary>
/// The add-in's real code inside a fake Outlook, connected over a real pipe to the real agent (in this process),
/// which schedules with Jitsi or with the Zoom emulator on 127.0.0.1.
/// </summary>
internal sealed class AddinRig : IAsyncDisposable
{
    private readonly Func<AddinHost> _newAddin;
    private Func<BridgeEndpoint, AddinSettings, AddinHost> _newAddinFor = null!;
    private AddinSettings _addinSettings = null!;

    private AddinRig(FakeOutlookHost outlook, Func<AddinHost> newAddin, RecordingUser user, ListLog log, BridgeEndpoint endpoint, AgentSettings settings)
    {
        Outlook = outlook;
        _newAddin = newAddin;
        Addin = newAddin();
        User = user;
        Log = log;
        Endpoint = endpoint;
        Settings = settings;
    }

    public FakeOutlookHost Outlook { get; }

    public AddinHost Addin { get; private set; }

    public RecordingUser User { get; }

    public ListLog Log { get; }

    public BridgeEndpoint Endpoint { get; }

    public AgentSettings Settings { get; }

    public TestAgent? Agent { get; private set; }

    public ZoomEmulatorServer? Zoom { get; private set; }

    /// <summary>9:00 tomorrow as a wall clock in Outlook's (the fake's) own zone.</summary>
    public static DateTime Tomorrow9 => DateTime.SpecifyKind(DateTime.Today.AddDays(1).AddHours(9), DateTimeKind.Unspecified);

    /// <summary>Starts Outlook, the agent (unless <paramref name="withAgent"/> is false) and the add-in, and waits for the first snapshot.</summary>
    public static async Task<AddinRig> StartAsync(
        bool withAgent = true,
        bool zoom = false,
        FakeOutlookOptions? options = null,
        Action<BridgeClientOptions>? client = null,
        Action<AddinSettings>? addin = null,
        Action<FakeOutlookHost>? populate = null,
        string? settingsFile = null,
        Action<AgentSettings>? agent = null)
    {
        var outlook = new FakeOutlookHost(options ?? new FakeOutlookOptions { RegionalSettings = FakeOutlookOptions.German });
        BridgeEndpoint endpoint = TestAgent.NewEndpoint();
        AgentSettings settings = TestAgent.NewSettings();
        ZoomEmulatorServer? emulator = null;
        if (zoom)
        {
            emulator = await ZoomEmulatorServer.StartAsync();
            settings.DefaultProvider = "zoom";
            settings.Zoom.ApiBaseUrl = emulator.ApiBaseUrl.AbsoluteUri;
            settings.Zoom.OAuthBaseUrl = emulator.OAuthBaseUrl.AbsoluteUri;
            settings.Zoom.ClientId = emulator.Options.ClientId;
            settings.Zoom.ClientSecret = emulator.Options.ClientSecret;
            settings.Zoom.AccountId = emulator.Options.AccountId;
            settings.ZoomRetry.BaseDelay = TimeSpan.FromMilliseconds(10);
        }

        agent?.Invoke(settings);
        var user = new RecordingUser();
        var log = new ListLog();
        var addinSettings = new AddinSettings { Debounce = TimeSpan.FromMilliseconds(150), RetryDelay = TimeSpan.FromMilliseconds(200), Attempts = 6 };
        addin?.Invoke(addinSettings);
        populate?.Invoke(outlook);
        CultureInfo regional = outlook.Options.RegionalSettings ?? CultureInfo.InvariantCulture;
        AddinHost NewAddin(BridgeEndpoint at, AddinSettings with) => new AddinHost(
            () => new BridgeClient(Configure(new BridgeClientOptions
            {
                Endpoint = at,
                ClientName = "OutlookPlugin",
                KeepConnected = true,
                ConnectTimeout = TimeSpan.FromSeconds(10),
                RequestTimeout = TimeSpan.FromSeconds(20),
            }, client)),
            user,
            log,
            with,
            regional);
        var rig = new AddinRig(outlook, () => NewAddin(endpoint, addinSettings), user, log, endpoint, settings) { Zoom = emulator };
        rig._newAddinFor = NewAddin;
        rig._addinSettings = addinSettings;
        if (settingsFile is not null)
        {
            System.IO.Directory.CreateDirectory(settings.SettingsDirectory!);
            await System.IO.File.WriteAllTextAsync(System.IO.Path.Combine(settings.SettingsDirectory!, "settings.json"), settingsFile);
        }

        if (withAgent)
        {
            rig.Agent = await TestAgent.StartOnAsync(endpoint, settings: settings);
        }

        await rig.ConnectAddinAsync(withAgent);
        return rig;
    }

    /// <summary>
    /// Outlook closes and starts again with the same mailbox. Outlook 2010 and later call no shutdown hook by default
    /// (a fast shutdown, FACTS §10): whatever the add-in still had pending (a change waiting for its debounce) dies
    /// with the process, and so does what it wrote into an item that Outlook did not save. The old add-in is stopped
    /// without sending anything, then a new one connects.
    /// </summary>
    public async Task RestartOutlookAsync(Func<Task>? whileClosed = null)
    {
        long revision = Agent is null ? 0 : Calendar.Revision;
        await Outlook.Thread.InvokeAsync(Addin.OnShutdown);
        Outlook.DiscardUnsavedChanges();
        if (whileClosed is not null)
        {
            // What happens elsewhere while this Outlook is closed (Outlook on the web, the phone): the mailbox changes.
            await whileClosed();
        }

        Addin = _newAddin();
        await ConnectAddinAsync(withAgent: false);
        if (Agent is not null)
        {
            await WaitForCalendarAsync(revision);
        }
    }

    /// <summary>
    /// A second Outlook on the same mailbox, as on the user's other machine: its own add-in (another MachineId) and its
    /// own agent (its own journal, the same Zoom account). Every save made in one reaches the other's events, as Exchange
    /// sync delivers it (FACTS §10).
    /// </summary>
    public async Task<SecondOutlook> StartSecondOutlookAsync(Action<AddinSettings>? addin = null)
    {
        BridgeEndpoint endpoint = TestAgent.NewEndpoint();
        AgentSettings settings = TestAgent.NewSettings();
        settings.DefaultProvider = Settings.DefaultProvider;
        settings.Zoom = Settings.Zoom;
        settings.ZoomRetry = Settings.ZoomRetry;
        var addinSettings = new AddinSettings
        {
            Debounce = _addinSettings.Debounce,
            RetryDelay = _addinSettings.RetryDelay,
            Attempts = _addinSettings.Attempts,
            MachineId = AddinSettings.MachineIdOf("the other machine"),
        };
        addin?.Invoke(addinSettings);
        TestAgent agent = await TestAgent.StartOnAsync(endpoint, settings: settings);
        AddinHost host = _newAddinFor(endpoint, addinSettings);
        var second = new SecondOutlook(this, host, agent, endpoint);
        await Outlook.Thread.InvokeAsync(() =>
        {
            host.OnConnection(Outlook.HandOut(Outlook.Application, "OnConnection"), 1, SynchronizationContext.Current!);
            host.OnStartupComplete();
        });
        await WaitUntilAsync(() => host.Started, "the second add-in's deferred start");
        return second;
    }

    private async Task ConnectAddinAsync(bool withAgent)
    {
        AddinHost host = Addin;
        await Outlook.Thread.InvokeAsync(() =>
        {
            host.OnConnection(Outlook.HandOut(Outlook.Application, "OnConnection"), 1, SynchronizationContext.Current!);
            host.OnStartupComplete();
        });
        await WaitUntilAsync(() => host.Started, "the add-in's deferred start");
        if (withAgent)
        {
            await WaitForCalendarAsync(revisionAbove: 0);
        }
    }

    public CalendarStore Calendar => Agent!.Get<CalendarStore>();

    /// <summary>Waits until the agent holds a calendar newer than <paramref name="revisionAbove"/>.</summary>
    public Task WaitForCalendarAsync(long revisionAbove) => WaitUntilAsync(() => Calendar.Revision > revisionAbove, "a calendar snapshot at the agent");

    /// <summary>The user opens the item and clicks a ribbon button; returns when the add-in has finished.</summary>
    public async Task ClickAsync(string controlId, FakeAppointmentItem item)
    {
        await PressAsync(controlId, item);
        await SettleAsync();
    }

    /// <summary>The usual start of a scenario: the user opens the item, clicks Add, saves it, and the add-in settles.</summary>
    public async Task AddMeetingAsync(FakeAppointmentItem item)
    {
        await ClickAsync(RibbonController.AddId, item);
        await SaveAsUserAsync(item, _ => { });
        await SettleAsync();
    }

    /// <summary>The user opens the item and clicks; returns as soon as Outlook's thread is free again, with the work still going.</summary>
    public Task PressAsync(string controlId, FakeAppointmentItem item)
    {
        FakeInspector inspector = Outlook.OpenInspector(item) ?? throw new InvalidOperationException("The item did not open.");
        return Outlook.Thread.InvokeAsync(() => Addin.Ribbon.OnAction(controlId, Outlook.HandOut(inspector, "IRibbonControl.Context")));
    }

    /// <summary>Clicks Add on a new appointment while Zoom answers its next request only after <paramref name="delay"/>.</summary>
    public Task<FakeAppointmentItem> AddWhileZoomIsSlowAsync(string subject, TimeSpan delay, FaultTiming timing) =>
        AddWhileZoomIsSlowAsync(AppointmentSpec.Single(subject, Tomorrow9, 30), delay, timing);

    /// <summary>Clicks Add on a new appointment made from <paramref name="spec"/> while Zoom answers its next request only after <paramref name="delay"/>.</summary>
    public async Task<FakeAppointmentItem> AddWhileZoomIsSlowAsync(AppointmentSpec spec, TimeSpan delay, FaultTiming timing)
    {
        await WarmUpZoomAsync();
        Zoom!.Faults.SlowResponseDelay = delay;
        Zoom.Faults.FailNext(1, FaultKind.SlowResponse, timing);
        FakeAppointmentItem item = Outlook.AddAppointment(spec);
        await PressAsync(RibbonController.AddId, item);
        return item;
    }

    /// <summary>
    /// A meeting is added to a new open appointment and, while Zoom makes it, Outlook starts failing every call of
    /// <paramref name="members"/>: returns once the add-in has given up writing the meeting and told the user. The
    /// faults stay.
    /// </summary>
    public async Task<FakeAppointmentItem> AddWhileOutlookFailsAsync(string subject, params string[] members)
    {
        FakeAppointmentItem item = await AddWhileZoomIsSlowAsync(subject, TimeSpan.FromSeconds(2), FaultTiming.BeforeHandling);
        await WaitUntilAsync(() => Addin.Sync.InFlight > 0, "the request to leave");
        Outlook.Faults.Members = members;
        Outlook.Faults.Rate = 1;
        await WaitUntilAsync(() => !User.Errors.IsEmpty, "the add-in to give up writing the meeting");
        return item;
    }

    /// <summary>
    /// A new appointment whose meeting is being made (Zoom slow) is closed and saved with its pending tag while no
    /// calendar answers a search (Items.Find fails from now on): the made meeting must wait to be written.
    /// </summary>
    public Task<FakeAppointmentItem> CloseWhileItsMeetingIsMadeAndNoCalendarAnswersAsync(string subject) =>
        CloseWhileItsMeetingIsMadeAndNoCalendarAnswersAsync(AppointmentSpec.Single(subject, Tomorrow9, 30));

    /// <inheritdoc cref="CloseWhileItsMeetingIsMadeAndNoCalendarAnswersAsync(string)"/>
    public async Task<FakeAppointmentItem> CloseWhileItsMeetingIsMadeAndNoCalendarAnswersAsync(AppointmentSpec spec)
    {
        FakeAppointmentItem item = await AddWhileZoomIsSlowAsync(spec, TimeSpan.FromSeconds(2), FaultTiming.BeforeHandling);
        await WaitUntilAsync(() => Addin.Sync.InFlight > 0, "the request to leave");
        Outlook.Faults.Members = ["Items.Find"];
        Outlook.Faults.Rate = 1;
        await Outlook.AsUserAsync(_ => item.Close(0));
        return item;
    }

    /// <summary>
    /// A deleted appointment is restored to the calendar while Outlook fails every write of the body: the restored
    /// appointment's new meeting is made at Zoom, and does not go in. Returns once the add-in has settled; the faults stay.
    /// </summary>
    public async Task RestoreWhileOutlookRefusesTheBodyAsync(FakeAppointmentItem item)
    {
        Outlook.Faults.Members = ["AppointmentItem.RTFBody"];
        Outlook.Faults.Rate = 1;
        await Outlook.AsUserAsync(_ => item.Move(Outlook.Calendar));
        await WaitUntilAsync(() => Zoom!.Meetings.Count == 1, "the restored appointment's new meeting");
        await SettleAsync();
    }

    /// <summary>An appointment with a meeting added in its window, then closed and saved, the add-in settled.</summary>
    public async Task<FakeAppointmentItem> AddSavedMeetingAsync(AppointmentSpec spec)
    {
        FakeAppointmentItem item = Outlook.AddAppointment(spec);
        await AddMeetingAsync(item);
        await Outlook.AsUserAsync(_ => item.Close(1));
        await SettleAsync();
        return item;
    }

    /// <summary>The user copies an appointment (Ctrl+drag, or Copy and Paste): the copy is saved at once, carrying the tag.</summary>
    public FakeAppointmentItem CopyAsUser(FakeAppointmentItem original) => Outlook.AsUser(_ =>
    {
        var made = (FakeAppointmentItem)original.Copy();
        made.Save();
        return made;
    });

    /// <summary>One meeting made and removed first, so that the token fetch is not the request a planned fault hits.</summary>
    public async Task WarmUpZoomAsync()
    {
        FakeAppointmentItem warm = Outlook.AddAppointment(AppointmentSpec.Single("Warm-up", Tomorrow9.AddDays(2), 15));
        await ClickAsync(RibbonController.AddId, warm);
        await ClickAsync(RibbonController.RemoveId, warm);
        await Outlook.AsUserAsync(_ => warm.Close(1));
    }

    /// <summary>Asks the ribbon whether a control is enabled for this open item.</summary>
    public Task<bool> IsEnabledAsync(string controlId, FakeAppointmentItem item)
    {
        FakeInspector inspector = Outlook.OpenInspector(item) ?? throw new InvalidOperationException("The item did not open.");
        return Outlook.Thread.InvokeAsync(() => Addin.Ribbon.IsEnabled(controlId, Outlook.HandOut(inspector, "IRibbonControl.Context")));
    }

    /// <summary>The user saves the item (as Outlook's Save does: Write, ItemChange twice).</summary>
    public Task SaveAsUserAsync(FakeAppointmentItem item, Action<FakeAppointmentItem> edit) =>
        Outlook.AsUserAsync(_ =>
        {
            edit(item);
            item.Save();
        });

    /// <summary>Waits for debounced work, requests in flight and posted work on Outlook's thread to finish.</summary>
    public async Task SettleAsync()
    {
        var quiet = Stopwatch.StartNew();
        var total = Stopwatch.StartNew();
        while (quiet.Elapsed < TimeSpan.FromMilliseconds(600))
        {
            if (total.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException("The add-in did not settle within 60 s.");
            }

            await Task.Delay(25);
            await Outlook.Thread.InvokeAsync(() => { });
            if (Addin.Sync.InFlight > 0 || Addin.Feed.Sending > 0)
            {
                quiet.Restart();
            }
        }
    }

    public static async Task WaitUntilAsync(Func<bool> condition, string what, double seconds = 20)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(seconds))
            {
                throw new TimeoutException("Timed out waiting for " + what + ".");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Stops the agent as a crash or an update would, keeping its journal.</summary>
    public async Task StopAgentAsync()
    {
        if (Agent is not null)
        {
            await Agent.DisposeAsync(keepState: true);
            Agent = null;
        }
    }

    public async Task StartAgentAsync()
    {
        Agent = await TestAgent.StartOnAsync(Endpoint, settings: Settings);
    }

    /// <summary>Shuts the add-in down as Outlook does, then checks it released everything and never touched Outlook off its thread.</summary>
    public async Task<string?> ShutDownAndAuditAsync()
    {
        await Outlook.Thread.InvokeAsync(Addin.OnShutdown);
        string problems = string.Empty;
        if (Outlook.WrongThreadCalls > 0)
        {
            problems += Outlook.WrongThreadCalls + " object-model calls off the main thread. ";
        }

        if (Outlook.OutstandingReferences > 0)
        {
            problems += "Leaked: " + Outlook.LeakReport() + " ";
        }

        if (Outlook.OverReleases.Count > 0)
        {
            problems += "Over-released: " + string.Join("; ", Outlook.OverReleases) + " ";
        }

        if (Outlook.SinkExceptions.Count > 0 || Outlook.ThreadExceptions.Count > 0)
        {
            problems += "Exceptions: " + string.Join("; ", Outlook.SinkExceptions.Concat(Outlook.ThreadExceptions).Select(e => e.ToString())) + " ";
        }

        if (Log.Entries.Any(e => e.StartsWith("error", StringComparison.Ordinal)))
        {
            problems += "Errors logged: " + string.Join("; ", Log.Entries.Where(e => e.StartsWith("error", StringComparison.Ordinal)));
        }

        return problems.Length == 0 ? null : problems;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Outlook.Thread.InvokeAsync(Addin.OnShutdown);
        }
        catch (ObjectDisposedException)
        {
        }

        if (Agent is not null)
        {
            await Agent.DisposeAsync();
        }

        if (Zoom is not null)
        {
            await Zoom.DisposeAsync();
        }

        Outlook.Dispose();
        TestAgent.Clean(Endpoint);
    }

    private static BridgeClientOptions Configure(BridgeClientOptions options, Action<BridgeClientOptions>? configure)
    {
        foreach (string kind in AddinHost.EventKinds)
        {
            options.EventKinds.Add(kind);
        }

        configure?.Invoke(options);
        return options;
    }
}

/// <summary>Records what the add-in shows the user; answers the options dialog as a test scripts it.</summary>
internal sealed class RecordingUser : IUserInterface
{
    public ConcurrentQueue<string> Errors { get; } = new();

    public Func<MeetingOptionsPrompt, MeetingOptions?> Options { get; set; } = _ => null;

    public MeetingOptionsPrompt? LastPrompt { get; private set; }

    public void ShowError(string sentence) => Errors.Enqueue(sentence);

    public MeetingOptions? AskMeetingOptions(MeetingOptionsPrompt prompt)
    {
        LastPrompt = prompt;
        return Options(prompt);
    }
}

internal sealed class ListLog : IAddinLog
{
    private readonly ConcurrentQueue<string> _entries = new();

    public IReadOnlyList<string> Entries => _entries.ToArray();

    public void Write(string level, string message) => _entries.Enqueue(level + " " + message);
}

/// <summary>The add-in of a second Outlook on the same mailbox, with its own agent; disposing shuts both down.</summary>
internal sealed class SecondOutlook : IAsyncDisposable
{
    private readonly AddinRig _rig;
    private readonly TestAgent _agent;
    private readonly BridgeEndpoint _endpoint;

    public SecondOutlook(AddinRig rig, AddinHost addin, TestAgent agent, BridgeEndpoint endpoint)
    {
        _rig = rig;
        Addin = addin;
        _agent = agent;
        _endpoint = endpoint;
    }

    public AddinHost Addin { get; }

    public async ValueTask DisposeAsync()
    {
        await _rig.Outlook.Thread.InvokeAsync(Addin.OnShutdown);
        await _agent.DisposeAsync();
        TestAgent.Clean(_endpoint);
    }
}
