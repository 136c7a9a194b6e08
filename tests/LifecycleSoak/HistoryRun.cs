using System;
using System.IO;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using ClientBridge.Protocol;
using ClientBridge.Protocol.Client;
using FakeOutlook;
using OutlookPlugin.Core.Addin;
using OutlookPlugin.Core.ObjectModel;

namespace LifecycleSoak;

/// <summary>
/// Runs one <see cref="History"/>: a fresh fake Outlook (an Exchange mailbox with a second calendar folder and a PST),
/// the add-in's real <see cref="AddinHost"/> in it, connected to the shared agent, which schedules with the Zoom
/// emulator. Each operation is done as the user; between operations the run waits until the add-in has nothing left to
/// do (never a fixed sleep). At the end the faults stop, Outlook restarts so that the add-in's start-up reconciliation
/// runs, and once all is quiet the <see cref="Oracle"/> judges what the user is left with.
/// </summary>
public sealed class HistoryRun
{
    /// <summary>Real time within which the add-in's real work (Outlook's thread, the agent) goes quiet; longer means stuck.</summary>
    private static readonly TimeSpan RealLimit = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long, on the add-in's clock, the user waits after a step before the next. Enough for the debounce (400 ms)
    /// and a few retries, not for a back-off that has grown under faults: with 5 % of calls failing, a step that needs
    /// dozens of calls to succeed in a row (a search of every calendar) fails most times and its wait doubles up to five
    /// minutes. The user goes on meanwhile, as a real one would; such a step is counted (<see cref="Unsettled"/>), and
    /// the end of the history waits as long as the add-in needs.
    /// </summary>
    private static readonly TimeSpan UserPatience = TimeSpan.FromSeconds(3);

    /// <summary>On the add-in's clock, the longest the end of a history waits for the add-in to be done: the longest back-off is five minutes.</summary>
    private static readonly TimeSpan EndPatience = TimeSpan.FromHours(2);

    private readonly SoakServices _services;
    private readonly History _history;
    private readonly double _faultRate;
    private readonly List<SoakItem> _items = new();
    private readonly List<GoneCarrier> _gone = new();

    // Restores by subject: the add-in makes a new meeting for a restored item whose meeting it cancelled.
    private readonly Dictionary<string, int> _restores = new(StringComparer.Ordinal);
    private readonly List<string> _log = new();
    // Each add-in's log under its title: this Outlook's sessions and the other computer's, in the order they started.
    private readonly List<(string Title, CountingLog Log)> _addinLogs = new();

    // LIFECYCLE_TRACE=1: the user's steps, both add-ins' logs and the fake's stored changes in one timeline (diagnostics).
    private readonly System.Collections.Concurrent.ConcurrentQueue<Func<string>>? _timeline =
        Environment.GetEnvironmentVariable("LIFECYCLE_TRACE") == "1" ? new() : null;

    // The add-in's own state folder (the meetings it follows), kept across this history's Outlook restarts as on a PC.
    private readonly string _stateDirectory = Path.Combine(Path.GetTempPath(), "cb-soak-" + Guid.NewGuid().ToString("N"));

    // The add-in's time, shared by its Outlook sessions in this history; moved only by settling (see SettleAsync).
    private readonly VirtualClock _clock = new();
    private FakeOutlookHost _outlook = null!;
    private FakeFolder _otherCalendar = null!;
    private FakeFolder _pstCalendar = null!;
    private bool _pstClosed;
    private AddinHost _addin = null!;
    private SessionContext _session = null!;
    private SilentUser _user = null!;
    private CountingLog _addinLog = null!;
    private int _networkLostFor;
    private int _adds;
    private int _referencesAtStart;
    private readonly List<string> _leaks = new();

    public HistoryRun(SoakServices services, History history, double faultRate)
    {
        _services = services ?? throw new ArgumentNullException(nameof(services));
        _history = history ?? throw new ArgumentNullException(nameof(history));
        _faultRate = faultRate;
    }

    /// <summary>Every topic of this history's meetings starts so (each add's subject is unique, which is how the oracle finds its meetings at Zoom).</summary>
    public string Prefix => "S" + _history.Seed.ToString(CultureInfo.InvariantCulture) + "-";

    /// <summary>Operations that could not apply when their turn came (nothing to act on), e.g. "Restore(3,5): nothing in Deleted Items".</summary>
    public IReadOnlyList<string> Skipped => _log;

    /// <summary>What the add-in logged, every Outlook session of the history in turn ("--- Outlook restarted" between them).</summary>
    public IReadOnlyList<string> AddinLog => _timeline?.Select(line => line()).ToList() ?? _addinLogs.SelectMany(l => l.Log.Entries.Prepend("--- " + l.Title)).ToList();

    /// <summary>The add-in's calls that the fake failed, in order, as "AppointmentItem.Save 0x80040115".</summary>
    public IReadOnlyList<string> InjectedCalls { get; private set; } = Array.Empty<string>();

    /// <summary>Steps after which the add-in was not done within <see cref="UserPatience"/> of its time (the user went on).</summary>
    public int Unsettled { get; private set; }

    /// <summary>
    /// References the add-in took from Outlook and still held after its OnShutdown, summed over this history's normal
    /// closes. A held recurring master shows every later reference an out-of-date copy (FACTS §2.4, §10).
    /// </summary>
    public int LeakedReferences { get; private set; }

    /// <summary>What each leaked reference is and where it was taken, for a history that leaked.</summary>
    public IReadOnlyList<string> Leaks => _leaks;

    /// <summary>Operations that were carried out.</summary>
    public int Performed { get; private set; }

    /// <summary>Object-model faults the fake injected into the add-in's calls during this history.</summary>
    public int FaultsInjected { get; private set; }

    /// <summary>Runs the history and judges it.</summary>
    public async Task<OracleVerdict> RunAsync()
    {
        DateTimeOffset started = DateTimeOffset.UtcNow;
        _outlook = new FakeOutlookHost(new FakeOutlookOptions { RegionalSettings = FakeOutlookOptions.German, Trace = _timeline is null ? null : _timeline.Enqueue });
        try
        {
            _otherCalendar = _outlook.AddCalendarFolder("Project");
            _pstCalendar = _outlook.AddPstCalendar("Archive");
            _outlook.Faults.Seed = _history.Seed;
            await StartOutlookAsync(waitForSnapshot: true);
            _outlook.Faults.Rate = _faultRate;
            foreach (Operation operation in _history.Operations)
            {
                bool networkWasLost = _networkLostFor > 0;
                await PerformAsync(operation);
                if (networkWasLost && --_networkLostFor == 0)
                {
                    _outlook.Faults.Rate = _faultRate;
                }

                if (_networkLostFor == 0 && !await SettleAsync(UserPatience))
                {
                    if (Environment.GetEnvironmentVariable("LIFECYCLE_CLOCK_LOG") == "1")
                    {
                        Console.Error.WriteLine($"unsettled after {operation} at {_clock.Now}: {_clock.Describe()}");
                    }

                    Unsettled++;
                }
            }

            // The verdict is about where the add-in ends up once it can see Outlook again, after a clean start. Work
            // still waiting for a late retry dies with Outlook, as it would when the user closes it. The network is
            // back too: a loss still counting down would let the final start skip its wait for the start-up listing,
            // and the oracle would judge before the add-in had looked at anything.
            _outlook.Faults.Clear();
            _networkLostFor = 0;
            if (_pstClosed)
            {
                // Every appointment is where the oracle can see it, and where the final start can look.
                await ClosePstAsync();
            }

            if (!await SettleAsync(UserPatience))
            {
                Unsettled++;
            }

            await RestartOutlookAsync(waitForSnapshot: true);
            await SettleAsync(EndPatience, mustSettle: true);
            OracleVerdict verdict = Oracle.Judge(_outlook, _services.Zoom, Prefix, started, _gone, _restores);
            return verdict;
        }
        finally
        {
            FaultsInjected = _outlook.Faults.Injected;
            InjectedCalls = _outlook.Faults.InjectedCalls;
            _outlook.Faults.Clear();
            if (_addin is not null)
            {
                await _outlook.Thread.InvokeAsync(_addin.OnShutdown);
                CountLeaks();
            }

            await _services.DeleteAtZoomAsync(_services.Zoom.Meetings.Where(m => m.Topic.StartsWith(Prefix, StringComparison.Ordinal)).Select(m => m.Id));

            // A timer of the add-in that fired just before OnShutdown may still post to Outlook's thread: the fake
            // Outlook is disposed one history later, when such a post has long been made.
            _services.RetireOutlook(_outlook);
            foreach (string directory in new[] { _stateDirectory, _stateDirectory + "-other" })
            {
                try
                {
                    Directory.Delete(directory, recursive: true);
                }
                catch (DirectoryNotFoundException)
                {
                }
            }
        }
    }

    private async Task PerformAsync(Operation operation)
    {
        _timeline?.Enqueue(() => "=== " + operation);
        string? skipped = operation.Kind switch
        {
            OperationKind.AddSingle or OperationKind.AddWeekly => await AddAsync(operation),
            OperationKind.Retime => await OnLiveAsync(operation, null, RetimeAsync),
            OperationKind.ChangeRecurrence => await OnLiveAsync(operation, null, ChangeRecurrenceAsync),
            OperationKind.AddAttendeeAndSend => await OnLiveAsync(operation, null, AddAttendeeAsync),
            OperationKind.RemoveAttendeeAndSend => await OnLiveAsync(operation, s => s.Recipients.Count > 0, RemoveAttendeeAsync),
            OperationKind.CancelOccurrence => await OnLiveAsync(operation, s => s.IsRecurring && s.MeetingStatus == 1, CancelOccurrenceAsync),
            OperationKind.DeleteOccurrence => await OnLiveAsync(operation, s => s.IsRecurring, DeleteOccurrenceAsync),
            OperationKind.CancelMeeting => await OnLiveAsync(operation, s => s.MeetingStatus == 1, CancelMeetingAsync),
            OperationKind.Delete => await OnLiveAsync(operation, null, DeleteAsync),
            OperationKind.HardDelete => await HardDeleteAsync(operation),
            OperationKind.Restore => await RestoreAsync(operation),
            OperationKind.EmptyDeletedItems => await EmptyDeletedItemsAsync(operation),
            OperationKind.MoveToOtherCalendar => await OnLiveAsync(operation, null, (item, _, op) => MoveAsync(item, _otherCalendar)),
            OperationKind.MoveToPst => _pstClosed ? "the PST is closed" : await OnLiveAsync(operation, null, (item, _, op) => MoveAsync(item, _pstCalendar)),
            OperationKind.MoveToDefaultCalendar => await OnLiveAsync(operation, null, (item, _, op) => MoveAsync(item, _outlook.Calendar)),
            OperationKind.Copy => await OnLiveAsync(operation, null, CopyAsync),
            OperationKind.RestartOutlook => await RestartOutlookAsync(waitForSnapshot: false),
            OperationKind.FastShutdown => await FastShutdownAsync(),
            OperationKind.EditOnSecondOutlook => await OnLiveAsync(operation, null, EditOnSecondOutlookAsync),
            OperationKind.RestartAgent => await RestartAgentAsync(),
            OperationKind.LoseNetwork => LoseNetwork(operation),
            OperationKind.ClosePst => await ClosePstAsync(),
            _ => "unknown operation",
        };
        if (skipped is null)
        {
            Performed++;
        }
        else
        {
            _log.Add(operation + ": " + skipped);
        }
    }

    // ---- the operations ----

    /// <summary>
    /// A new appointment (a single, or a weekly series of 3–8), a meeting with two attendees or a plain appointment,
    /// opened; the user clicks Add. Half the time the window is saved and closed once the meeting is in, half the time
    /// right away while the meeting is still being made (the add-in then writes it into the item as saved).
    /// </summary>
    private async Task<string?> AddAsync(Operation operation)
    {
        int a = operation.Argument;
        DateTime start = DateTime.SpecifyKind(DateTime.Today.AddDays(1 + (a % 20)).AddHours(8 + ((a / 20) % 8)), DateTimeKind.Unspecified);
        int minutes = 15 * (1 + ((a / 160) % 4));
        int occurrences = 3 + ((a / 640) % 6);
        bool closeRightAway = (a / 3840) % 2 == 1;
        bool meeting = (a / 7680) % 2 == 1;
        string subject = Prefix + "A" + (++_adds).ToString(CultureInfo.InvariantCulture);
        AppointmentSpec spec = operation.Kind == OperationKind.AddWeekly
            ? AppointmentSpec.Weekly(subject, start, minutes, occurrences: occurrences)
            : AppointmentSpec.Single(subject, start, minutes);
        if (meeting)
        {
            spec = spec with { MeetingStatus = 1, RequiredAttendees = ["Ann Example", "Bob Example"] };
        }

        FakeAppointmentItem item = _outlook.AddAppointment(spec);
        _items.Add(new SoakItem(item));
        FakeInspector inspector = _outlook.OpenInspector(item) ?? throw new InvalidOperationException("The new appointment did not open.");
        AddinHost addin = _addin;
        await _outlook.Thread.InvokeAsync(() => addin.Ribbon.OnAction(RibbonController.AddId, _outlook.HandOut(inspector, "IRibbonControl.Context")));
        if (!closeRightAway && _networkLostFor == 0 && !await SettleAsync(UserPatience))
        {
            Unsettled++;
        }

        await _outlook.AsUserAsync(_ => item.Close(0));
        return null;
    }

    /// <summary>The start moves by -2 to +4 hours within its day and the length becomes 15 to 90 minutes.</summary>
    private async Task<string?> RetimeAsync(FakeAppointmentItem item, AppointmentSnapshot seen, Operation operation)
    {
        int a = operation.Argument;
        int shift = (a % 6) - 2;
        shift = shift == 0 ? 4 : shift;
        DateTime start = seen.Start.AddHours(shift);
        int minutes = 15 * (1 + ((a / 6) % 6));
        await _outlook.AsUserAsync(_ =>
        {
            item.Start = start;
            item.End = start.AddMinutes(minutes);
            item.Save();
        });
        return null;
    }

    /// <summary>A series: another number of occurrences (2–8), or (one time in three) back to one appointment; a single: a weekly series of 3–6.</summary>
    private async Task<string?> ChangeRecurrenceAsync(FakeAppointmentItem item, AppointmentSnapshot seen, Operation operation)
    {
        int a = operation.Argument;
        await _outlook.AsUserAsync(_ =>
        {
            if (seen.IsRecurring && a % 3 == 0)
            {
                item.ClearRecurrencePattern();
            }
            else
            {
                FakeRecurrencePattern pattern = item.GetRecurrencePattern();
                pattern.Occurrences = seen.IsRecurring ? 2 + ((a / 3) % 7) : 3 + ((a / 3) % 4);
            }

            item.Save();
        });
        return null;
    }

    /// <summary>The user invites one more person and sends the update (a plain appointment becomes a meeting).</summary>
    private async Task<string?> AddAttendeeAsync(FakeAppointmentItem item, AppointmentSnapshot seen, Operation operation)
    {
        string name = "Guest " + (operation.Argument % 5).ToString(CultureInfo.InvariantCulture);
        if (seen.Recipients.Contains(name, StringComparer.OrdinalIgnoreCase))
        {
            return name + " is already invited";
        }

        await _outlook.AsUserAsync(_ =>
        {
            item.MeetingStatus = 1;
            item.Recipients.Add(name);
            item.Send();
        });
        return null;
    }

    private async Task<string?> RemoveAttendeeAsync(FakeAppointmentItem item, AppointmentSnapshot seen, Operation operation)
    {
        await _outlook.RemoveAttendeesAndSendAsUserAsync(item, seen.Recipients[operation.Argument % seen.Recipients.Count]);
        return null;
    }

    private async Task<string?> CancelOccurrenceAsync(FakeAppointmentItem item, AppointmentSnapshot seen, Operation operation)
    {
        if (PickOccurrence(item, operation) is not DateTime local)
        {
            return "no occurrence left";
        }

        await _outlook.CancelOccurrenceAsUserAsync(item, local);
        return null;
    }

    private async Task<string?> DeleteOccurrenceAsync(FakeAppointmentItem item, AppointmentSnapshot seen, Operation operation)
    {
        if (PickOccurrence(item, operation) is not DateTime local)
        {
            return "no occurrence left";
        }

        await _outlook.AsUserAsync(_ => item.GetRecurrencePattern().GetOccurrence(local).Delete());
        return null;
    }

    private async Task<string?> CancelMeetingAsync(FakeAppointmentItem item, AppointmentSnapshot seen, Operation operation)
    {
        Find(item).DeletedFrom = _outlook.FolderOf(item);
        await _outlook.CancelMeetingAsUserAsync(item);
        return null;
    }

    private async Task<string?> DeleteAsync(FakeAppointmentItem item, AppointmentSnapshot seen, Operation operation)
    {
        Find(item).DeletedFrom = _outlook.FolderOf(item);
        await _outlook.AsUserAsync(_ => item.Delete());
        return null;
    }

    /// <summary>Shift+Del on an item in a calendar or in Deleted Items.</summary>
    private async Task<string?> HardDeleteAsync(Operation operation)
    {
        List<SoakItem> candidates = _items.Where(Reachable).ToList();
        if (candidates.Count == 0)
        {
            return "nothing left to delete";
        }

        SoakItem chosen = candidates[operation.Target % candidates.Count];
        RememberGone(chosen.Item);
        await _outlook.HardDeleteAsUserAsync(chosen.Item);
        return null;
    }

    /// <summary>An item in Deleted Items (the mailbox's or the PST's) goes back to the calendar it was deleted from.</summary>
    private async Task<string?> RestoreAsync(Operation operation)
    {
        List<SoakItem> candidates = _items.Where(i => Reachable(i) && _outlook.IsDeletedItemsFolder(_outlook.FolderOf(i.Item))).ToList();
        if (candidates.Count == 0)
        {
            return "nothing in Deleted Items";
        }

        SoakItem chosen = candidates[operation.Target % candidates.Count];
        FakeFolder back = chosen.DeletedFrom ?? _outlook.Calendar;
        string subject = _outlook.Snapshot(chosen.Item).Subject;
        _restores[subject] = _restores.GetValueOrDefault(subject) + 1;
        await _outlook.AsUserAsync(_ => chosen.Item.Move(back));
        return null;
    }

    /// <summary>
    /// Empties one store's Deleted Items, the mailbox's or the PST's (which one holds items, chosen by the operation's
    /// target): each item there is deleted for good (Delete in Deleted Items).
    /// </summary>
    private async Task<string?> EmptyDeletedItemsAsync(Operation operation)
    {
        List<FakeFolder> holding = _items
            .Where(i => Reachable(i) && _outlook.IsDeletedItemsFolder(_outlook.FolderOf(i.Item)))
            .Select(i => _outlook.FolderOf(i.Item))
            .Distinct()
            .ToList();
        if (holding.Count == 0)
        {
            return "Deleted Items is empty";
        }

        IReadOnlyList<FakeAppointmentItem> there = _outlook.StoredItems(holding[operation.Target % holding.Count]);

        foreach (FakeAppointmentItem item in there)
        {
            RememberGone(item);
        }

        await _outlook.AsUserAsync(_ =>
        {
            foreach (FakeAppointmentItem item in there)
            {
                item.Delete();
            }
        });
        return null;
    }

    /// <summary>The PST is closed, or opened again if it is closed (<see cref="OperationKind.ClosePst"/>).</summary>
    private async Task<string?> ClosePstAsync()
    {
        if (_pstClosed)
        {
            await _outlook.ReopenPstAsUserAsync(_pstCalendar);
        }
        else
        {
            await _outlook.ClosePstAsUserAsync(_pstCalendar);
        }

        _pstClosed = !_pstClosed;
        return null;
    }

    /// <summary>Whether the user can reach the item at all: not deleted for good, and not in a closed PST.</summary>
    private bool Reachable(SoakItem item) => !_outlook.IsPermanentlyDeleted(item.Item) && !_outlook.IsInClosedStore(item.Item);

    private async Task<string?> MoveAsync(FakeAppointmentItem item, FakeFolder to)
    {
        if (_outlook.FolderOf(item) == to)
        {
            return "already there";
        }

        await _outlook.AsUserAsync(_ => item.Move(to));
        return null;
    }

    private async Task<string?> CopyAsync(FakeAppointmentItem item, AppointmentSnapshot seen, Operation operation)
    {
        FakeAppointmentItem copy = await Task.Run(() => _outlook.AsUser(_ =>
        {
            var made = (FakeAppointmentItem)item.Copy();
            made.Save();
            return made;
        }));
        _items.Add(new SoakItem(copy));
        return null;
    }

    private string? LoseNetwork(Operation operation)
    {
        _networkLostFor = Math.Max(_networkLostFor, Math.Max(1, operation.Argument)) + 1;
        _outlook.Faults.Rate = 1;
        return null;
    }

    private async Task<string?> RestartAgentAsync()
    {
        await _services.RestartAgentAsync();
        return null;
    }

    // ---- Outlook's life ----

    private async Task StartOutlookAsync(bool waitForSnapshot)
    {
        _referencesAtStart = _outlook.OutstandingReferences;
        long revision = _services.CalendarRevision;
        _user = new SilentUser();
        _addinLog = new CountingLog("1", _timeline);
        _addinLogs.Add(("Outlook started", _addinLog));
        (_addin, _session) = await StartAddinAsync(_services.Endpoint, new AddinSettings { Clock = _clock, StateDirectory = _stateDirectory }, _user, _addinLog);
        if (_networkLostFor > 0)
        {
            // Every call fails: the start is retried, a little later each time, and succeeds once the network is back.
            return;
        }

        AddinHost addin = _addin;
        await WaitUntilAsync(() => addin.Started, "the add-in's deferred start");
        if (waitForSnapshot)
        {
            // The snapshot and the start-up reconciliation are posted together when the agent connects.
            await WaitUntilAsync(() => _services.CalendarRevision > revision, "the add-in's first snapshot at the agent");
        }
    }

    /// <summary>
    /// An add-in as Outlook starts it (OnConnection, OnStartupComplete), with Outlook's own settings (debounce,
    /// retries) on the history's clock, and its main thread behind a <see cref="SessionContext"/> that its Outlook
    /// session's end can stop.
    /// </summary>
    private async Task<(AddinHost Addin, SessionContext Session)> StartAddinAsync(BridgeEndpoint endpoint, AddinSettings settings, IUserInterface user, IAddinLog log)
    {
        var addin = new AddinHost(
            () =>
            {
                var options = new BridgeClientOptions
                {
                    Endpoint = endpoint,
                    ClientName = "OutlookPlugin",
                    KeepConnected = true,
                    ConnectTimeout = TimeSpan.FromSeconds(10),
                    RequestTimeout = TimeSpan.FromSeconds(20),
                };
                foreach (string kind in AddinHost.EventKinds)
                {
                    options.EventKinds.Add(kind);
                }

                return new BridgeClient(options);
            },
            user,
            log,
            settings,
            _outlook.Options.RegionalSettings ?? CultureInfo.InvariantCulture);
        SessionContext session = await _outlook.Thread.InvokeAsync(() =>
        {
            var context = new SessionContext(SynchronizationContext.Current!);
            addin.OnConnection(_outlook.HandOut(_outlook.Application, "OnConnection"), 1, context);
            addin.OnStartupComplete();
            return context;
        });
        return (addin, session);
    }

    /// <summary>After the add-in's OnShutdown: the references its session took and kept (the fake counts them as Outlook would).</summary>
    private void CountLeaks()
    {
        int leaked = _outlook.OutstandingReferences - _referencesAtStart;
        if (leaked > 0)
        {
            LeakedReferences += leaked;
            _leaks.Add(_outlook.LeakReport());
        }

        _referencesAtStart = _outlook.OutstandingReferences;
    }

    /// <summary>Outlook closes normally (the add-in's OnShutdown runs) and starts again on the same mailbox.</summary>
    private async Task<string?> RestartOutlookAsync(bool waitForSnapshot)
    {
        AddinHost old = _addin;
        await _outlook.Thread.InvokeAsync(old.OnShutdown);
        CountLeaks();
        _outlook.DiscardUnsavedChanges();
        await StartOutlookAsync(waitForSnapshot);
        return null;
    }

    /// <summary>
    /// Outlook's fast shutdown (FACTS §10: no OnBeginShutdown, no OnDisconnection): the process ends with the add-in's
    /// work wherever it was. Nothing of the old add-in runs again: its posts to Outlook's thread are dropped, its sinks and
    /// references are gone, its pipe closes. Then Outlook starts again on the same mailbox.
    /// </summary>
    private async Task<string?> FastShutdownAsync()
    {
        _session.End();
        _outlook.EndAddinProcess();
        _outlook.DiscardUnsavedChanges();
        _addin.Client?.Dispose();

        // A state file write the pool had already started is all that could still run: it is let finish, as if just
        // before the process ended (the file is replaced whole or not at all), so that no write of the ended add-in
        // lands later, over the next one's or after the history's folder is gone.
        AddinHost ended = _addin;
        await await _outlook.Thread.InvokeAsync(() => ended.Started ? ended.Sync.StateWritten : Task.CompletedTask);
        await StartOutlookAsync(waitForSnapshot: false);
        return null;
    }

    /// <summary>
    /// The user changes the appointment on their other computer: a second Outlook on the same mailbox, with its own
    /// add-in (another machine id) and agent, sees the same save as this one (Exchange sync, FACTS §10). The meeting's
    /// home is this Outlook, which alone sends the update; the other one closes afterwards.
    /// </summary>
    private async Task<string?> EditOnSecondOutlookAsync(FakeAppointmentItem item, AppointmentSnapshot seen, Operation operation)
    {
        var log = new CountingLog("2", _timeline);
        _addinLogs.Add(("the other computer's Outlook started", log));
        var settings = new AddinSettings
        {
            Clock = _clock,
            MachineId = AddinSettings.MachineIdOf("the user's other computer"),
            StateDirectory = _stateDirectory + "-other",
        };
        (AddinHost other, _) = await StartAddinAsync(await _services.SecondAgentAsync(), settings, new SilentUser(), log);
        try
        {
            await WaitUntilAsync(() => other.Started || _networkLostFor > 0, "the other Outlook's add-in to start");
            await RetimeAsync(item, seen, operation);
            if (_networkLostFor == 0 && !await SettleAsync(UserPatience))
            {
                Unsettled++;
            }
        }
        finally
        {
            // The other computer's Outlook closes: what its add-in staged on an item and never saved was in that
            // Outlook's memory only (the fake runs both on one store, so it is dropped here).
            await _outlook.Thread.InvokeAsync(other.OnShutdown);
            _timeline?.Enqueue(() => "--- the other computer's Outlook closed");
            _outlook.DiscardUnsavedChanges();
        }

        return null;
    }

    /// <summary>
    /// Lets the add-in work until it has nothing left to do, moving its clock to each wait's end whenever its real work
    /// is done: nothing on Outlook's thread (a pass behind everything posted there), no request on the wire, no
    /// snapshot being sent, twice in a row. Done means <see cref="MeetingSync.IsIdle"/> (no request out, no debounce,
    /// no look for removed items planned, nothing busy) and no one-shot wait armed.
    /// </summary>
    /// <param name="patience">How far the add-in's clock may move.</param>
    /// <returns>Whether the add-in was done within <paramref name="patience"/>.</returns>
    /// <exception cref="TimeoutException">It was not, and <paramref name="mustSettle"/> says it had to be; or its real work never went quiet.</exception>
    public async Task<bool> SettleAsync(TimeSpan patience, bool mustSettle = false)
    {
        AddinHost addin = _addin;
        bool done = await RunClockUntilAsync(
            () => addin.Started && addin.Sync.IsIdle && _clock.ArmedOnce == 0,
            patience);
        if (!done && mustSettle)
        {
            (bool started, bool idle) = await _outlook.Thread.InvokeAsync(() => (addin.Started, addin.Started && addin.Sync.IsIdle));
            throw new TimeoutException(string.Create(
                CultureInfo.InvariantCulture,
                $"The add-in was not done within {patience.TotalMinutes} min of its time (started {started}, idle {idle}, requests in flight {(started ? addin.Sync.InFlight : 0)}, waits armed {_clock.ArmedOnce})."));
        }

        return done;
    }

    private async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        if (!await RunClockUntilAsync(condition, EndPatience))
        {
            throw new TimeoutException("Timed out waiting for " + what + ".");
        }
    }

    /// <summary>
    /// Checks <paramref name="condition"/> on Outlook's thread whenever the add-in's real work is quiet, and otherwise
    /// moves the clock to the next wait's end, no further than <paramref name="patience"/> from now.
    /// </summary>
    private async Task<bool> RunClockUntilAsync(Func<bool> condition, TimeSpan patience)
    {
        AddinHost addin = _addin;
        TimeSpan until = _clock.Now + patience;
        var real = Stopwatch.StartNew();
        while (true)
        {
            if (await QuietAsync(addin) && await QuietAsync(addin))
            {
                if (await _outlook.Thread.InvokeAsync(condition))
                {
                    return true;
                }

                if (_clock.AdvanceToNext(until))
                {
                    continue;
                }

                if (_clock.ArmedOnce > 0)
                {
                    // The next wait ends after the patience, which has run out meanwhile.
                    _clock.WaitUntil(until);
                    return false;
                }
            }

            // Real work is under way (a request, a post between threads): it takes real time.
            if (real.Elapsed > RealLimit)
            {
                throw new TimeoutException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"The add-in's real work did not go quiet within {RealLimit.TotalSeconds} s (requests on the wire {addin.Agent?.OnTheWire ?? 0}, feed sending {FeedSending(addin)}, connecting {Connecting(addin)}, waits armed {_clock.ArmedOnce})."));
            }

            await Task.Delay(1);
        }
    }

    /// <summary>
    /// On Outlook's thread, behind everything posted there: no request on the wire, no snapshot being sent, and a
    /// started add-in connected to the agent. Connecting (and reconnecting after the agent restarted) runs on real
    /// time; the add-in's first snapshot and its start-up listing wait for it, so the clock must not race ahead
    /// meanwhile: two hours of the add-in's time pass in a few milliseconds, and a slow connect looked like a snapshot
    /// that never came.
    /// </summary>
    private Task<bool> QuietAsync(AddinHost addin) =>
        _outlook.Thread.InvokeAsync(() => (addin.Agent?.OnTheWire ?? 0) == 0 && FeedSending(addin) == 0 && !Connecting(addin));

    /// <summary>A started add-in whose connection to the agent is not up yet (a start that failed has no client: its retry is on the clock).</summary>
    private static bool Connecting(AddinHost addin) =>
        addin.Started && addin.Agent is { } agent && agent.Client.State != BridgeConnectionState.Connected;

    /// <summary>
    /// What the calendar feed is sending; 0 when the add-in has no feed because its deferred start failed half-way (a
    /// transient fault in one of its first object-model calls), which leaves it without a feed for the whole session.
    /// </summary>
    private static int FeedSending(AddinHost addin)
    {
        try
        {
            return addin.Feed.Sending;
        }
        catch (InvalidOperationException)
        {
            return 0;
        }
    }

    // ---- bookkeeping ----

    /// <summary>
    /// Runs an operation on one of the items the user can see in a calendar (not deleted), chosen by the operation's
    /// target among those <paramref name="fits"/> accepts; a message when there is none.
    /// </summary>
    private async Task<string?> OnLiveAsync(Operation operation, Func<AppointmentSnapshot, bool>? fits, Func<FakeAppointmentItem, AppointmentSnapshot, Operation, Task<string?>> act)
    {
        var candidates = new List<(FakeAppointmentItem Item, AppointmentSnapshot Seen)>();
        foreach (SoakItem soakItem in _items)
        {
            if (!Reachable(soakItem) || _outlook.IsDeletedItemsFolder(_outlook.FolderOf(soakItem.Item)))
            {
                continue;
            }

            AppointmentSnapshot seen = _outlook.Snapshot(soakItem.Item);
            if (fits is null || fits(seen))
            {
                candidates.Add((soakItem.Item, seen));
            }
        }

        if (candidates.Count == 0)
        {
            return "no appointment it applies to";
        }

        (FakeAppointmentItem item, AppointmentSnapshot snapshot) = candidates[operation.Target % candidates.Count];
        try
        {
            return await act(item, snapshot, operation);
        }
        catch (COMException e)
        {
            // Only the fake's own refusals (an occurrence that is not there): the user's calls are never faulted.
            return "Outlook refused: " + e.Message;
        }
    }

    /// <summary>The local start of one of the series' remaining occurrences, or null when none is left.</summary>
    private DateTime? PickOccurrence(FakeAppointmentItem item, Operation operation)
    {
        IReadOnlyList<DateTime> starts = _outlook.OccurrenceStartsUtc(item);
        return starts.Count == 0 ? null : _outlook.LocalTime(starts[operation.Argument % starts.Count]);
    }

    /// <summary>What an item deleted for good carried, for the oracle: its meeting must not outlive it.</summary>
    private void RememberGone(FakeAppointmentItem item)
    {
        AppointmentSnapshot seen = _outlook.Snapshot(item);
        string? meetingId = seen.NamedProperties.GetValueOrDefault(MeetingTags.MeetingId) as string;
        string? requestId = seen.NamedProperties.GetValueOrDefault(MeetingTags.RequestId) as string;
        if (!string.IsNullOrEmpty(requestId))
        {
            _gone.Add(new GoneCarrier(seen.Subject, requestId, meetingId ?? string.Empty));
        }
    }

    private SoakItem Find(FakeAppointmentItem item) => _items.First(i => ReferenceEquals(i.Item, item));

    /// <summary>One appointment of the history as the user knows it: the item, and where it was deleted from.</summary>
    private sealed class SoakItem
    {
        public SoakItem(FakeAppointmentItem item) => Item = item;

        public FakeAppointmentItem Item { get; }

        public FakeFolder? DeletedFrom { get; set; }
    }

    private sealed class SilentUser : IUserInterface
    {
        public int Errors { get; private set; }

        public void ShowError(string sentence) => Errors++;

        public MeetingOptions? AskMeetingOptions(MeetingOptionsPrompt prompt) => null;
    }

    /// <summary>The add-in's log of one Outlook session, kept so that a failing history can show what the add-in said.</summary>
    private sealed class CountingLog : IAddinLog
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _entries = new();
        private readonly string _title;
        private readonly System.Collections.Concurrent.ConcurrentQueue<Func<string>>? _timeline;

        public CountingLog(string title, System.Collections.Concurrent.ConcurrentQueue<Func<string>>? timeline)
        {
            _title = title;
            _timeline = timeline;
        }

        public IReadOnlyCollection<string> Entries => _entries;

        public void Write(string level, string message)
        {
            string entry = level + " " + message;
            _entries.Enqueue(entry);
            _timeline?.Enqueue(() => "log" + _title + " " + entry);
        }
    }
}

/// <summary>
/// Outlook's main thread as one Outlook session's add-in sees it: posts go to the fake Outlook's thread until the
/// session ends (its process is gone), and are dropped from then on.
/// </summary>
public sealed class SessionContext : SynchronizationContext
{
    private readonly SynchronizationContext _thread;
    private volatile bool _ended;

    public SessionContext(SynchronizationContext thread) => _thread = thread ?? throw new ArgumentNullException(nameof(thread));

    public void End() => _ended = true;

    public override void Post(SendOrPostCallback d, object? state)
    {
        if (!_ended)
        {
            _thread.Post(d, state);
        }
    }

    public override void Send(SendOrPostCallback d, object? state)
    {
        if (!_ended)
        {
            _thread.Send(d, state);
        }
    }

    public override SynchronizationContext CreateCopy() => this;
}

/// <summary>An item the user deleted for good (Shift+Del, or emptied from Deleted Items), with the tag it carried then.</summary>
public sealed record GoneCarrier(string Subject, string RequestId, string MeetingId);
