using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using ClientBridge.Protocol;
using OutlookPlugin.Core.ObjectModel;
using OutlookPlugin.Core.Rules;

namespace OutlookPlugin.Core.Addin;

/// <summary>
/// Adds meetings to appointments, removes them, and keeps them in step with the appointment afterwards. Object-model
/// work runs on Outlook's main thread; each request to the agent is awaited off it and its answer applied back on it.
/// Only meetings this add-in made, on the very item it made them for, are ever updated or cancelled.
/// </summary>
public sealed class MeetingSync : IDisposable
{
    private readonly MainThread _main;
    private readonly AgentRequests _agent;
    private readonly IUserInterface _user;
    private readonly IAddinLog _log;
    private readonly AddinSettings _settings;
    private readonly Func<OmObject?> _session;
    private readonly Action<OmObject> _tagged;

    // Touched on the main thread only.
    private readonly HashSet<string> _busy = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dirty = new(StringComparer.Ordinal);
    private readonly HashSet<string> _cancelled = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IAddinTimer> _debounce = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Tracked> _tracked = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ItemAddress> _addresses = new(StringComparer.Ordinal);
    private readonly Dictionary<string, KnownMeeting> _known;
    private readonly object _knownFileGate = new();
    private readonly IAddinTimer _saveKnownSoon;
    private bool _knownDirty;
    private Task _knownWrite = Task.CompletedTask;
    // Each write of the state file is numbered on the main thread; under the file's lock, one older than the last
    // written is skipped (its copy is out of date), and after Dispose every one is.
    private long _knownVersion;
    private long _knownWritten;
    private readonly HashSet<object> _windowsWaiting = new(SameObject.Instance);
    private readonly HashSet<object> _windowsClosed = new(SameObject.Instance);
    // Work that failed for a reason that can pass (Outlook or the agent unreachable): done again at the next check.
    private readonly List<Action> _later = new();
    private readonly HashSet<string> _cancelledAsDeleted = new(StringComparer.Ordinal);
    // Request ids of meetings made after their window closed and not yet written into the saved item (or cancelled).
    private readonly HashSet<string> _unapplied = new(StringComparer.Ordinal);
    // Request ids whose add is under way in this session (a click, or a resumed add): never resumed twice at once.
    private readonly HashSet<string> _adding = new(StringComparer.Ordinal);
    // EntryIDs of items found to be copies (their original still carried the tag where it was) whose tag Outlook has not
    // let the add-in take off yet: a copy stays a copy, whatever becomes of its original before the retry.
    private readonly HashSet<string> _copies = new(StringComparer.Ordinal);
    private bool _lookAgainPlanned;
    // A request id waiting for its home Outlook to send a change: the timer of the wait, or null once it is over.
    private readonly Dictionary<string, IAddinTimer?> _awaitingHome = new(StringComparer.Ordinal);
    private readonly IAddinTimer _removedSoon;
    private TimeSpan _recheckDelay;
    private bool _checkArmed;
    private readonly Func<IReadOnlyList<OmObject>> _calendars;
    private readonly Action<OmObject, IReadOnlyCollection<string>> _dropCalendarsOfStoresLeft;
    // The profile's stores (StoreIDs) as last listed, and how many times one of them has left since this session began:
    // an item last seen before a store left may have moved into it unseen, so it is not taken for gone while that store
    // is away (a move to a PST and the PST closed before the removal check could follow the move).
    private HashSet<string>? _storesSeen;
    private int _storesLeft;
    private readonly RememberedStores _remembered;
    private int _inFlight;

    public MeetingSync(
        MainThread main,
        AgentRequests agent,
        IUserInterface user,
        IAddinLog log,
        AddinSettings settings,
        Func<OmObject?> session,
        Action<OmObject> tagged,
        Func<IReadOnlyList<OmObject>> calendars,
        Action<OmObject, IReadOnlyCollection<string>> dropCalendarsOfStoresLeft)
    {
        _tagged = tagged;
        _calendars = calendars;
        _dropCalendarsOfStoresLeft = dropCalendarsOfStoresLeft;
        _main = main;
        _agent = agent;
        _user = user;
        _log = log;
        _settings = settings;
        _session = session;
        _removedSoon = settings.Clock.CreateTimer(() => _main.Post(RunCheck, _log), _log);
        _known = KnownMeetings.Load(settings.StateDirectory, log);
        foreach (KnownMeeting known in _known.Values)
        {
            if (known.CancelledForDeletion)
            {
                _cancelledAsDeleted.Add(known.MeetingId);
            }

            if (known.CancelledMeetingId.Length > 0)
            {
                _cancelledAsDeleted.Add(known.CancelledMeetingId);
            }
        }

        _saveKnownSoon = settings.Clock.CreateTimer(() => _main.Post(SaveKnown, _log), _log);
        _remembered = new RememberedStores(settings.StateDirectory, log);
    }

    /// <summary>Raised on the main thread when a user's add or remove has finished, so the ribbon can refresh.</summary>
    public event Action? ActionFinished;

    /// <summary>Work gone to the agent and not finished yet, its answer's step on Outlook's thread included; the tests wait for zero.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>
    /// Nothing waiting: no request out, no change waiting for its debounce, no look for removed items planned, no
    /// item busy. Read on the main thread; the tests and the lifecycle soak wait for it instead of sleeping.
    /// </summary>
    public bool IsIdle => InFlight == 0 && _debounce.Count == 0 && !_checkArmed && _busy.Count == 0;

    /// <summary>
    /// The state file's last write off the main thread (completed when none is under way). Read on the main thread. After
    /// <see cref="Dispose"/> no write touches the disk: one under way has finished, any later one is skipped.
    /// </summary>
    public Task StateWritten => _knownWrite;

    /// <summary>Whether a request for this item is on its way (the ribbon greys out its buttons meanwhile).</summary>
    public bool IsBusy(string key) => _busy.Contains(key);

    /// <summary>
    /// Remembers where a tagged item was seen (a calendar read, a save), by its tag's request id, to notice one that
    /// is deleted outright. The tag read from a Table has no owner: the request id is what identifies the meeting.
    /// </summary>
    /// <summary>Whether the item at this EntryID carries a meeting the add-in follows.</summary>
    private bool Follows(string entryId)
    {
        if (entryId.Length == 0)
        {
            return false;
        }

        if (_addresses.ContainsKey(entryId))
        {
            return true;
        }

        foreach (Tracked tracked in _tracked.Values)
        {
            if (tracked.Address.EntryId == entryId)
            {
                return true;
            }
        }

        return false;
    }

    public void Track(ItemAddress address, MeetingTag tag)
    {
        if (tag.MeetingId.Length > 0 && address.EntryId.Length > 0 && !_cancelled.Contains(tag.MeetingId))
        {
            _tracked[tag.RequestId] = new Tracked(tag, address, _storesLeft);
            Follow(tag, address.StoreId);
            Supersede(tag);
        }
    }

    /// <summary>
    /// A meeting seen on an item under this tag's request id is no longer followed under any other. Only a restored
    /// appointment's new meeting is ever followed under two (<see cref="RecreateAsync"/> follows it under the item's old
    /// request id until the new tag is in the item), and that step can write the tag and then fail, or Outlook can close
    /// before it is done: the old request id, which no item carries any more, would then read as the meeting's
    /// appointment gone (a wrong cancel at the next start, or at the next look for removed items).
    /// </summary>
    private void Supersede(MeetingTag tag)
    {
        foreach (KeyValuePair<string, Tracked> other in new List<KeyValuePair<string, Tracked>>(_tracked))
        {
            if (other.Key != tag.RequestId && other.Value.Tag.MeetingId == tag.MeetingId)
            {
                _tracked.Remove(other.Key);
            }
        }

        foreach (KnownMeeting other in new List<KnownMeeting>(_known.Values))
        {
            if (other.RequestId != tag.RequestId && other.MeetingId == tag.MeetingId)
            {
                Forget(other.RequestId);
            }
        }
    }

    /// <summary>
    /// Keeps the meeting among those followed across restarts (<see cref="KnownMeetings"/>), by its request id, with the
    /// store its appointment was last seen in (<paramref name="storeId"/>, else the tag's owner's).
    /// </summary>
    private void Follow(MeetingTag tag, string? storeId = null)
    {
        string store = KnownMeetings.StoreKey(storeId ?? tag.OwnerStoreId);

        // The item seen with the meeting its restored self replaces (not yet written over) keeps the replacement followed.
        if (!_known.TryGetValue(tag.RequestId, out KnownMeeting? known) || (known.MeetingId != tag.MeetingId && known.CancelledMeetingId != tag.MeetingId))
        {
            _known[tag.RequestId] = new KnownMeeting { RequestId = tag.RequestId, MeetingId = tag.MeetingId, Provider = tag.Provider, Store = store };
            SaveKnownSoon();
        }
        else if (store.Length > 0 && known.Store != store)
        {
            known.Store = store;
            SaveKnownSoon();
        }
    }

    /// <summary>Adds a meeting to an item the user is looking at. Returns when the agent answered and the item was written.</summary>
    public async Task AddAsync(OmObject item, OmObject? inspector, string? provider, MeetingOptions? options)
    {
        using WorkUnderWay underway = Underway();
        Prepared? prepared;
        try
        {
            prepared = Prepare(item, inspector, provider, options);
        }
        catch (Exception e) when (e is COMException or OutlookDataException or InvalidComObjectException)
        {
            _log.Write("warning", "An appointment could not be read to add a meeting: " + MainThread.Redacted(e));
            _user.ShowError("Could not add a video meeting: Outlook could not read this appointment. Save it and try again.");
            return;
        }

        if (prepared is null)
        {
            return;
        }

        object? window = inspector?.Target;
        if (window is not null)
        {
            _windowsWaiting.Add(window);
        }

        _adding.Add(prepared.Tag.RequestId);

        try
        {
            MeetingReply reply = await OffMainThread(() => _agent.ScheduleAsync(prepared.Request)).ConfigureAwait(false);
            var work = new Unapplied(prepared.Tag, reply, prepared.Sent);

            // The meeting exists from here on: a failure to write it into the item is retried, never taken for a
            // failed add (which would leave the meeting linked from nowhere).
            for (int attempt = 1; ; attempt++)
            {
                bool applied = await _main.InvokeAsync(() => TryApply(item, inspector, window, work)).ConfigureAwait(false);
                if (applied)
                {
                    break;
                }

                if (attempt >= Math.Max(1, _settings.Attempts))
                {
                    await _main.InvokeAsync(() => GiveUpApplying(item, inspector, work)).ConfigureAwait(false);
                    break;
                }

                await _settings.Clock.Delay(TimeSpan.FromTicks(_settings.RetryDelay.Ticks * attempt)).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is BridgeException or COMException or OutlookDataException)
        {
            await _main.InvokeAsync(() => FailedToAdd(item, inspector, prepared.Tag, e, windowClosed: window is not null && _windowsClosed.Contains(window))).ConfigureAwait(false);
        }
        finally
        {
            await _main.InvokeAsync(() =>
            {
                if (window is not null)
                {
                    _windowsWaiting.Remove(window);
                    _windowsClosed.Remove(window);
                }

                _adding.Remove(prepared.Tag.RequestId);
                Finished(prepared.Key);
            }).ConfigureAwait(false);
        }
    }

    /// <summary>Writes a made meeting into its item (or hands it to the closed-window path); false when Outlook failed, to try again.</summary>
    private bool TryApply(OmObject item, OmObject? inspector, object? window, Unapplied work)
    {
        if (window is not null && _windowsClosed.Contains(window))
        {
            ApplyAfterWindowClosed(work);
            return true;
        }

        try
        {
            ApplyAdded(item, inspector, work.Tag, work.Reply, work.Sent);
            return true;
        }
        catch (Exception e) when (e is COMException or OutlookDataException)
        {
            _log.Write("warning", "The new meeting could not be written into the appointment yet (" + MainThread.Redacted(e) + "); trying again.");
            return false;
        }
    }

    /// <summary>
    /// Outlook kept failing to take the meeting into the item. Its window may have closed unseen (watching it failed)
    /// with the item saved under the pending tag (and perhaps deleted since): then the meeting goes into the saved item,
    /// as after a close the add-in saw. Otherwise the window may still be open with its item unsaved, and the meeting is
    /// cancelled only once the pending tag is off that item, so that no later save can carry it (a retry with the same
    /// request id would answer with the cancelled meeting). When Outlook answers neither, the meeting is left to the next
    /// start, which follows it (the state file): it writes it into an item saved with the pending tag, or cancels it when
    /// no item has it.
    /// </summary>
    private void GiveUpApplying(OmObject item, OmObject? inspector, Unapplied work)
    {
        Found found = Search(work.Tag.RequestId, includeDeletedItems: true, out ItemAddress? at);
        if ((found is Found.InCalendar or Found.InDeletedItems) && at is not null)
        {
            ApplyAfterWindowClosed(work);
            return;
        }

        if (found == Found.Nowhere && TryTakeTagOff(item))
        {
            // No later save can link the item to the meeting now. A failed write may have left the link and the block in
            // the item: they go too, or the user would see a join link that leads nowhere.
            try
            {
                ItemEditor.RemoveLink(item, work.Reply.JoinUrl);
                ItemEditor.WriteBlock(item, inspector, block: null);
                SaveIfClosed(item, inspector);
            }
            catch (Exception e) when (e is COMException or OutlookDataException or InvalidComObjectException)
            {
                _log.Write("warning", "The join link of a meeting that could not be added may be left in its appointment: " + MainThread.Redacted(e));
            }

            CancelWholeMeeting(work.MadeTag);
            _user.ShowError("Could not add a video meeting: Outlook did not let the add-in write it into this appointment. Try again in a moment.");
            return;
        }

        Follow(work.MadeTag);
        _unapplied.Add(work.Tag.RequestId);
        _user.ShowError("Could not add a video meeting yet: Outlook did not let the add-in write it into this appointment. It is written when Outlook lets it, at the latest when Outlook starts again.");
    }

    private bool TryTakeTagOff(OmObject item)
    {
        try
        {
            MeetingTags.Remove(item);
            return true;
        }
        catch (Exception e) when (e is COMException or OutlookDataException or InvalidComObjectException)
        {
            _log.Write("warning", "The pending tag could not be taken off (" + MainThread.Redacted(e) + "); the meeting is left to the next start.");
            return false;
        }
    }

    /// <summary>
    /// An item's window closed (InspectorEvents_10.Close). When a meeting is being made for it, the answer can no longer
    /// go into the window: it goes to the item as saved, or, if the item was never saved, the meeting is cancelled.
    /// </summary>
    public void WindowClosed(object window)
    {
        if (_windowsWaiting.Contains(window))
        {
            _windowsClosed.Add(window);
        }
    }

    /// <summary>
    /// The meeting was made after its window closed. The item as saved carries the pending tag (its request id) if the
    /// user saved it: it is found by that and re-opened, and the link, the block and the tag go into it. Saved and then
    /// deleted before that, it is in Deleted Items, where it can be restored from: the meeting goes into its tag and is
    /// judged as any deleted item's. If neither a calendar nor Deleted Items holds it, it was never saved (or the add was
    /// discarded with the window): the meeting would be linked from nowhere, so it is cancelled. When Outlook cannot be
    /// searched now, this is tried again later.
    /// </summary>
    private void ApplyAfterWindowClosed(Unapplied work)
    {
        // Until it is written, only this wait knows the meeting, and it dies with Outlook: followed across restarts, the
        // meeting is cancelled by the next start if its request id is then nowhere (the item deleted for good meanwhile).
        // This session leaves it to this wait.
        _unapplied.Add(work.Tag.RequestId);
        Follow(work.MadeTag);
        switch (Search(work.Tag.RequestId, includeDeletedItems: true, out ItemAddress? at))
        {
            case Found.InCalendar when at is not null:
                if (WriteIntoSaved(at, work, onFailure: () => ApplyAfterWindowClosed(work)))
                {
                    _unapplied.Remove(work.Tag.RequestId);
                }

                break;

            case Found.InDeletedItems when at is not null:
                // Saved, not discarded: cancelled as made for an item never saved, the meeting would stay unknown to the
                // deleted item's pending tag, and the item restored would ask its request id again and be linked to the
                // cancelled meeting. Recorded in the deleted item, it is cancelled for the deletion and made anew on
                // restore.
                try
                {
                    RecordInDeleted(at, work.Tag.RequestId, work.Reply, work.Sent);
                    _unapplied.Remove(work.Tag.RequestId);
                }
                catch (Exception e) when (e is COMException or OutlookDataException)
                {
                    // MAPI_E_NOT_FOUND too: restored or emptied meanwhile, which the next search tells.
                    _log.Write("info", "A meeting made after its window closed waits to be recorded in its deleted appointment (" + MainThread.Redacted(e) + ").");
                    Later(() => ApplyAfterWindowClosed(work));
                }

                break;

            case Found.Nowhere:
                _log.Write("info", "A meeting was made for an appointment that was closed without saving; the meeting is cancelled.");
                _unapplied.Remove(work.Tag.RequestId);
                CancelWholeMeeting(work.MadeTag);
                break;

            default:
                Later(() => ApplyAfterWindowClosed(work));
                break;
        }
    }

    /// <summary>
    /// Writes a made meeting into the saved item at <paramref name="at"/> if it still waits for it (its pending tag has
    /// the request id, or shows the meeting unsaved); when Outlook fails, <paramref name="onFailure"/> is tried again later.
    /// </summary>
    /// <returns>False when Outlook failed and the write waits for a later try.</returns>
    private bool WriteIntoSaved(ItemAddress at, Unapplied work, Action onFailure)
    {
        try
        {
            using OmObject? session = _session();
            using OmObject? item = session is null ? null : at.Open(session);
            MeetingTag? carried = item is null ? null : MeetingTags.Read(item);

            // An earlier write whose Save Outlook refused is still in the item as Outlook holds it (its tag shows this
            // meeting) but not in the store: the item is written and saved again, or the meeting would be linked from
            // nowhere once Outlook drops its copy.
            if (item is not null && carried is not null && carried.RequestId == work.Tag.RequestId
                && (carried.MeetingId.Length == 0 || (carried.MeetingId == work.Reply.MeetingId && !item.Get<bool>("Saved"))))
            {
                if (_cancelled.Contains(work.Reply.MeetingId))
                {
                    // Cancelled as linked from nowhere (the add given up, the user told) before this item was saved with
                    // the pending tag: asking the same request id again answers with that dead meeting, so the add is
                    // undone here too rather than linking the item to it.
                    MeetingTags.Remove(item);
                    item.Call("Save");
                    _log.Write("info", "A saved appointment waited for a meeting that was given up and cancelled; its pending tag is taken off.");
                    return true;
                }

                work.Tag.OwnerEntryId = at.EntryId;
                work.Tag.OwnerStoreId = at.StoreId;
                ApplyAdded(item, null, work.Tag, work.Reply, work.Sent);
                _log.Write("info", "A meeting made after its window closed went into the saved appointment.");
            }
        }
        catch (Exception e) when (e is COMException or OutlookDataException)
        {
            _log.Write("info", "A meeting made after its window closed waits to be written (" + MainThread.Redacted(e) + ").");
            Later(onFailure);
            return false;
        }

        return true;
    }

    /// <summary>Everything before the request leaves, on the main thread; null when there is nothing to do.</summary>
    private Prepared? Prepare(OmObject item, OmObject? inspector, string? provider, MeetingOptions? options)
    {
        AppointmentData data = AppointmentReader.Read(item, withBody: false, withPattern: true);
        if (data.MeetingStatus is OutlookIds.MeetingStatusReceived or OutlookIds.MeetingStatusReceivedAndCanceled)
        {
            _user.ShowError("This meeting was organised by someone else, so only its organiser can add a video meeting to it.");
            return null;
        }

        if (data.RecurrenceState is OutlookIds.RecurrenceOccurrence or OutlookIds.RecurrenceException)
        {
            _user.ShowError("This is one occurrence of a series. Open the whole series to add a video meeting to all of it.");
            return null;
        }

        if (data.Tag is { MeetingId.Length: > 0 } && data.Tag.OwnerEntryId == data.EntryId)
        {
            return null;
        }

        string key = KeyOf(item, data);
        if (!_busy.Add(key))
        {
            return null;
        }

        try
        {
            // A pending tag (an earlier attempt whose answer never came) keeps its request id: the agent then
            // answers with the meeting it may already have made instead of making a second one.
            MeetingTag tag = data.Tag is { MeetingId.Length: 0 } pending && pending.OwnerEntryId == data.EntryId
                ? pending
                : new MeetingTag { RequestId = Guid.NewGuid().ToString("N"), OwnerEntryId = data.EntryId };
            tag.OwnerStoreId = data.EntryId.Length > 0 ? ItemAddress.Of(item).StoreId : string.Empty;
            tag.Home = _settings.MachineId;
            tag.Provider = provider ?? tag.Provider;
            tag.ScheduleFor = DelegateOwner.AddressOf(item);
            MeetingTags.Write(item, tag);
            SaveIfClosed(item, inspector);
            return new Prepared(key, tag, SyncRules.CaptureCreated(data), ScheduleRequestFor(data, tag, options));
        }
        catch
        {
            _busy.Remove(key);
            throw;
        }
    }

    /// <summary>A user's action is over: the item is free again, and a change that came meanwhile is synced now.</summary>
    private void Finished(string key)
    {
        _busy.Remove(key);
        if (_dirty.Remove(key))
        {
            SyncNow(key);
        }

        ActionFinished?.Invoke();
    }

    /// <summary>Cancels the item's meeting and takes the link and block off it.</summary>
    public async Task RemoveAsync(OmObject item, OmObject? inspector)
    {
        using WorkUnderWay underway = Underway();
        MeetingTag? tag = MeetingTags.Read(item);
        string entryId = item.GetString("EntryID");
        if (tag is null || tag.OwnerEntryId != entryId)
        {
            return;
        }

        string key = entryId.Length > 0 ? entryId : tag.RequestId;
        if (!_busy.Add(key))
        {
            return;
        }

        try
        {
            if (tag.MeetingId.Length > 0)
            {
                var request = new CancelMeetingRequest { RequestId = Guid.NewGuid().ToString("N"), MeetingId = tag.MeetingId, Provider = tag.Provider };
                MeetingReply reply = await OffMainThread(() => _agent.CancelAsync(request)).ConfigureAwait(false);
                NoteQueued(reply);
            }

            await _main.InvokeAsync(() =>
            {
                _cancelled.Add(tag.MeetingId);
                _tracked.Remove(tag.RequestId);
                Forget(tag.RequestId);
                ItemEditor.RemoveLink(item, tag.JoinUrl);
                ItemEditor.WriteBlock(item, inspector, block: null);
                MeetingTags.Remove(item);
                SaveIfClosed(item, inspector);
            }).ConfigureAwait(false);
        }
        catch (BridgeException e)
        {
            await _main.InvokeAsync(() => _user.ShowError(AgentRequests.Describe(e, "remove the video meeting"))).ConfigureAwait(false);
        }
        finally
        {
            await _main.InvokeAsync(() => Finished(key)).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// False where Outlook does not trust the add-in (Application.IsTrusted): a save of an appointment the add-in does
    /// not follow is then left alone, as reading its tag (PropertyAccessor, FACTS §7.3) would ask the user on every save.
    /// </summary>
    public bool Trusted { get; set; } = true;

    /// <summary>An item in a watched calendar was saved (Outlook raises this several times per save): sync once, shortly.</summary>
    public void Changed(OmObject item)
    {
        if (!Trusted && !Follows(item.GetString("EntryID")))
        {
            return;
        }

        MeetingTag? tag = MeetingTags.Read(item);
        if (tag is null)
        {
            return;
        }

        ItemAddress address = ItemAddress.Of(item);
        string entryId = address.EntryId;
        if (entryId.Length == 0)
        {
            return;
        }

        _addresses[entryId] = address;
        if (tag.OwnerEntryId.Length == 0 && tag.MeetingId.Length > 0)
        {
            // A meeting added to an appointment before its first save: the item now has its EntryID and owns it.
            tag.OwnerEntryId = entryId;
            tag.OwnerStoreId = address.StoreId;
            MeetingTags.Write(item, tag);
            item.Call("Save");
            Track(address, tag);
        }
        else if (tag.OwnerEntryId.Length > 0 && tag.OwnerEntryId != entryId)
        {
            ClaimOrRelease(item, tag, address);
            return;
        }
        else
        {
            Track(address, tag);
        }

        if (_debounce.TryGetValue(entryId, out IAddinTimer? pending))
        {
            pending.Change(_settings.Debounce, Timeout.InfiniteTimeSpan);
            return;
        }

        _debounce[entryId] = _settings.Clock.StartTimer(() => _main.Post(() => SyncNow(entryId), _log), _settings.Debounce, Timeout.InfiniteTimeSpan, _log);
    }

    /// <summary>
    /// Once per start, when the agent is first reached: every item carrying the tag, in each watched calendar and in
    /// Deleted Items, is looked at again, one posted step per item so that Outlook stays responsive. A change saved just
    /// before Outlook closed (Outlook 2010 and later call no shutdown hook by default, FACTS §10), or made while it was
    /// closed, is then sent; a tagged item found in Deleted Items is judged as if it had just arrived there.
    /// </summary>
    public void Reconcile() => Reconcile(atStart: true);

    /// <summary>
    /// Outlook failed a call while an event of a meeting's appointment was being handled (a save, a delete, a send):
    /// what the event meant is unknown, so every tagged item is looked at again at the next check, as at start. The
    /// start's conclusion about meetings found nowhere is left to the start's own listing, which sees no work under way.
    /// </summary>
    public void LookAgainLater()
    {
        if (!_lookAgainPlanned)
        {
            _lookAgainPlanned = true;
            Later(() =>
            {
                _lookAgainPlanned = false;
                Reconcile(atStart: false);
            });
        }
    }

    private void Reconcile(bool atStart)
    {
        try
        {
            // The stores as this listing finds them: a store that leaves from now on is one an item may have moved into
            // unseen, and a followed calendar of a store that has left would fail the listing.
            using OmObject? session = _session();
            if (session is not null)
            {
                NoteStores(session);
            }
        }
        catch (COMException e)
        {
            _log.Write("info", "Outlook's session could not be read (" + MainThread.Redacted(e) + "); the calendars are listed as they are.");
        }

        var found = new List<(ItemAddress Address, bool Deleted)>();
        var listed = new HashSet<string>(StringComparer.Ordinal);
        var carried = new HashSet<string>(StringComparer.Ordinal);
        bool complete = true;
        foreach (OmObject calendar in _calendars())
        {
            complete &= ListTagged(calendar, deleted: false, found, listed, carried);
        }

        try
        {
            // Calendars nobody watches yet (a second calendar, a PST) may hold tagged items moved there earlier.
            ForEachOtherCalendar(folder =>
            {
                complete &= ListTagged(folder, deleted: false, found, listed, carried);
                return true;
            });
        }
        catch (Exception e) when (e is COMException or OutlookDataException)
        {
            complete = false;
            _log.Write("warning", "The profile's other calendars could not be listed at start: " + MainThread.Redacted(e));
        }

        try
        {
            using OmObject? session = _session();
            using OmObject? deletedItems = session?.CallObject("GetDefaultFolder", OutlookIds.FolderDeletedItems);
            complete &= deletedItems is not null && ListTagged(deletedItems, deleted: true, found, listed, carried);

            // A PST has a Deleted Items of its own, where Delete puts its items (FACTS §2.2): an item deleted there while
            // Outlook was closed, or before the removal check saw it, is a deleted item, not one gone for good. Only
            // stores that are not Exchange's (OlExchangeStoreType olNotExchange) are asked: what another mailbox or a
            // public folder store answers there is not documented.
            using OmObject? stores = session?.GetObject("Stores");
            int count = stores?.Get<int>("Count") ?? 0;
            for (int i = 1; i <= count; i++)
            {
                using OmObject? store = stores!.CallObject("Item", i);
                if (store is null || store.Get<int>("ExchangeStoreType") != OutlookIds.StoreTypeNotExchange)
                {
                    continue;
                }

                using OmObject? own = store.CallObject("GetDefaultFolder", OutlookIds.FolderDeletedItems);
                if (own is not null)
                {
                    complete &= ListTagged(own, deleted: true, found, listed, carried);
                }
            }
        }
        catch (Exception e) when (e is COMException or OutlookDataException)
        {
            complete = false;
            _log.Write("warning", "Deleted Items could not be listed at start: " + MainThread.Redacted(e));
        }

        foreach ((ItemAddress address, bool deleted) in found)
        {
            _main.Post(() => Revisit(address, deleted), _log);
        }

        if (!complete)
        {
            // A listing failed: what it would have found is looked for again, with the growing delay.
            if (atStart)
            {
                Later(() => Reconcile(atStart: true));
            }
            else
            {
                LookAgainLater();
            }
        }
        else if (atStart)
        {
            _main.Post(() => CancelGone(listed, carried), _log);
        }
    }

    /// <summary>
    /// After a complete listing at start: a meeting this add-in followed whose request id no calendar and no Deleted
    /// Items holds was deleted for good (Shift+Del, emptied) while Outlook was closed or before its deletion was
    /// confirmed. Every listing answered, which is the evidence (FACTS §10); a listing that failed cancels nothing.
    /// A meeting that a listed item carries under another request id is not gone either: a restored appointment's new
    /// meeting is followed under the item's old request id until the item's tag names it (<see cref="RecreateAsync"/>),
    /// and the tag can be written while the rest of that step fails, or Outlook closes before the state file says so.
    /// </summary>
    private void CancelGone(HashSet<string> listed, HashSet<string> carried)
    {
        HashSet<string>? present = StoresHere();
        if (present is null)
        {
            // Which stores this Outlook has could not be told: what was listed proves nothing yet.
            Later(() => Reconcile(atStart: true));
            return;
        }

        bool storeMissing = _remembered.Missing(present) > 0;
        _remembered.Note(present);
        foreach (KnownMeeting known in new List<KnownMeeting>(_known.Values))
        {
            if (!listed.Contains(known.RequestId) && !carried.Contains(known.MeetingId) && !_tracked.ContainsKey(known.RequestId)
                && !_cancelled.Contains(known.MeetingId) && !_unapplied.Contains(known.RequestId))
            {
                if (storeMissing)
                {
                    // A store this Outlook had lately is not here (a PST closed, another profile): an appointment moved
                    // into it before the add-in saw the move is listed nowhere. Nothing is taken for gone at this start;
                    // the removal check still judges what it sees leave.
                    _log.Write("info", "A store this Outlook had lately is not in the profile now: no meeting missing from the mailbox is cancelled at this start.");
                    return;
                }

                if (!present.Contains(known.Store))
                {
                    // Its store is not in this profile (a PST closed, a profile without that mailbox): put away, not gone.
                    continue;
                }

                _log.Write("info", "A followed meeting's appointment is nowhere in the mailbox: deleted for good, so its meeting is cancelled.");
                known.CancelledForDeletion = false;
                CancelWholeMeeting(new MeetingTag { RequestId = known.RequestId, MeetingId = known.MeetingId, Provider = known.Provider });
            }
        }
    }

    /// <summary>
    /// The keys (<see cref="KnownMeetings.StoreKey"/>) of the stores whose calendars this Outlook lists: the profile's
    /// stores, every watched calendar's (another user's calendar brings no store into the profile, FACTS §2.2), and the
    /// empty key of the default store. Null when Outlook could not tell now.
    /// </summary>
    private HashSet<string>? StoresHere()
    {
        try
        {
            using OmObject? session = _session();
            if (session is null || (_storesSeen is null && !NoteStores(session)))
            {
                return null;
            }

            var ids = new List<string>(_storesSeen!);

            foreach (OmObject calendar in _calendars())
            {
                ids.Add(calendar.Get("StoreID") as string ?? string.Empty);
            }

            var keys = new HashSet<string>(StringComparer.Ordinal) { string.Empty };
            foreach (string id in ids)
            {
                keys.Add(KnownMeetings.StoreKey(id));
            }

            return keys;
        }
        catch (Exception e) when (e is COMException or OutlookDataException or InvalidComObjectException)
        {
            return null;
        }
    }

    private void Forget(string requestId)
    {
        if (_known.Remove(requestId))
        {
            SaveKnownSoon();
        }
    }

    private void SaveKnownSoon()
    {
        if (_settings.StateDirectory is not null)
        {
            _knownDirty = true;
            _saveKnownSoon.Change(TimeSpan.FromMilliseconds(200), Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>A copy taken on the main thread, written off it (one write at a time), so that Outlook never waits on the disk.</summary>
    private void SaveKnown()
    {
        _knownDirty = false;
        var snapshot = new List<KnownMeeting>(_known.Values);
        long version = ++_knownVersion;
        _knownWrite = Task.Run(() =>
        {
            lock (_knownFileGate)
            {
                if (version <= _knownWritten)
                {
                    return;
                }

                _knownWritten = version;
                KnownMeetings.Save(_settings.StateDirectory, snapshot, _log);
            }
        });
    }

    /// <summary>
    /// The items of a folder that carry the tag, from one Table (no item is opened): their addresses, their request ids,
    /// and (when asked) the meeting ids they carry.
    /// </summary>
    private bool ListTagged(OmObject folder, bool deleted, List<(ItemAddress, bool)> into, HashSet<string> requestIds, HashSet<string>? meetingIds = null)
    {
        string requestIdColumn = MeetingTags.RequestId + OutlookIds.Schema.UnicodeColumnSuffix;
        string meetingIdColumn = MeetingTags.MeetingId + OutlookIds.Schema.UnicodeColumnSuffix;
        try
        {
            string storeId = folder.Get("StoreID") as string ?? string.Empty;
            using OmObject table = folder.CallObject("GetTable", MeetingTags.Tagged, Type.Missing) ?? throw new OutlookDataException("The folder gave no table.");
            using (OmObject columns = table.GetObject("Columns") ?? throw new OutlookDataException("The table has no columns."))
            {
                columns.Call("RemoveAll");
                using OmObject? entryIdColumn = columns.CallObject("Add", "EntryID");
                using OmObject? tagColumn = columns.CallObject("Add", requestIdColumn);
                using OmObject? longTermColumn = columns.CallObject("Add", OutlookIds.Schema.LongTermEntryIdFromTable);
                using OmObject? meetingColumn = meetingIds is null ? null : columns.CallObject("Add", meetingIdColumn);
            }

            foreach (object?[] values in TableRows.Read(table, meetingIds is null ? 3 : 4))
            {
                // A store that does not apply the filter as DASL does still gives the column: rows without a request id are not ours.
                if (values[1] is string requestId && requestId.Length > 0 && ItemAddress.EntryIdFromRow(values[2], values[0]) is { Length: > 0 } entryId)
                {
                    into.Add((new ItemAddress(entryId, storeId), deleted));
                    requestIds.Add(requestId);
                    if (meetingIds is not null && values[3] is string meetingId && meetingId.Length > 0)
                    {
                        meetingIds.Add(meetingId);
                    }
                }
            }

            return true;
        }
        catch (Exception e) when (e is COMException or OutlookDataException)
        {
            _log.Write("warning", "A folder could not be listed at start: " + MainThread.Redacted(e));
            return false;
        }
    }

    private void Revisit(ItemAddress address, bool deleted)
    {
        try
        {
            using OmObject? session = _session();
            using OmObject? item = session is null ? null : address.Open(session);
            if (item is null)
            {
                return;
            }

            if (deleted)
            {
                if (!ResumeDeletedAdd(item))
                {
                    Deleted(item);
                }
            }
            else
            {
                // Its calendar is watched from now on (nothing happens for one already watched).
                _tagged(item);
                Changed(item);
                ResumeAdd(item);
            }
        }
        catch (COMException e) when (OutlookErrors.IsNotFound(e))
        {
            // Moved or deleted since the listing: its events say what became of it.
        }
        catch (Exception e) when (e is COMException or OutlookDataException)
        {
            _log.Write("info", "A tagged appointment could not be looked at now (" + MainThread.Redacted(e) + "); looking again later.");
            Later(() => Revisit(address, deleted));
        }
    }

    /// <summary>
    /// Whether a pending add was started by this Outlook (the tag's home). Only this machine's agent has the request in
    /// its journal; asked by another Outlook on the same mailbox, another agent would make a second meeting.
    /// </summary>
    private bool AddedHere(MeetingTag tag) => tag.Home.Length == 0 || tag.Home == _settings.MachineId;

    /// <summary>
    /// A calendar item still carries a pending tag (a request id, no meeting) and no add for it is under way here: the
    /// answer was lost with an Outlook that closed before it was written (a fast shutdown ends the wait for the saved
    /// item, FACTS §10), or never came. The same request id is asked again, so the agent's journal answers with the
    /// meeting it made (or makes the one the user asked for), and that goes into the item.
    /// </summary>
    private void ResumeAdd(OmObject item)
    {
        AppointmentData data = AppointmentReader.Read(item, withBody: false, withPattern: true);
        if (data.Tag is not { MeetingId.Length: 0 } tag || tag.RequestId.Length == 0 || data.EntryId.Length == 0
            || (tag.OwnerEntryId.Length > 0 && tag.OwnerEntryId != data.EntryId)
            || data.MeetingStatus is OutlookIds.MeetingStatusReceived or OutlookIds.MeetingStatusReceivedAndCanceled
            || data.RecurrenceState is OutlookIds.RecurrenceOccurrence or OutlookIds.RecurrenceException
            || _adding.Contains(tag.RequestId) || !AddedHere(tag))
        {
            return;
        }

        ItemAddress at = ItemAddress.Of(item);
        ScheduleMeetingRequest request = ScheduleRequestFor(data, tag, options: null);
        if (!_busy.Add(data.EntryId))
        {
            return;
        }

        _adding.Add(tag.RequestId);
        _log.Write("info", "An appointment still waits for the meeting added to it; asking the agent again with the same request id.");
        _ = ResumeAddAsync(data.EntryId, at, tag, request);
    }

    private async Task ResumeAddAsync(string key, ItemAddress at, MeetingTag tag, ScheduleMeetingRequest request)
    {
        using WorkUnderWay underway = Underway();
        try
        {
            MeetingReply reply = await OffMainThread(() => _agent.ScheduleAsync(request)).ConfigureAwait(false);

            // What the meeting was made with is not known (the appointment may have changed since the first request):
            // recorded as unknown, the write's sync sends the appointment whole.
            var work = new Unapplied(tag, reply, SyncRules.Unknown());
            await _main.InvokeAsync(() => WriteIntoSaved(at, work, onFailure: () => Revisit(at, deleted: false))).ConfigureAwait(false);
        }
        catch (BridgeException e) when (AgentRequests.IsWorthRetrying(e))
        {
            _log.Write("warning", "A waiting meeting could not be asked for again (" + e.Code + "); asking later.");
            await _main.InvokeAsync(() => Later(() => Revisit(at, deleted: false))).ConfigureAwait(false);
        }
        catch (BridgeException e)
        {
            // Refused for what it asks: the pending tag stays, and the next start asks once more.
            _log.Write("warning", "A waiting meeting could not be asked for again (" + e.Code + ").");
        }
        finally
        {
            await _main.InvokeAsync(() =>
            {
                _adding.Remove(tag.RequestId);
                _busy.Remove(key);
                if (_dirty.Remove(key))
                {
                    SyncNow(key);
                }
            }).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// An item in Deleted Items still carries a pending tag: it was deleted before the meeting made for it could be
    /// written, and the wait for that died with Outlook (FACTS §10). The same request id is asked again (the agent's
    /// journal answers with the meeting it made) and the meeting recorded in the deleted item's tag, which is then
    /// judged as any deleted item's: cancelled when no calendar holds the tag, made anew if the item is restored.
    /// </summary>
    /// <returns>Whether the item waited for its meeting (and is judged once it has it).</returns>
    private bool ResumeDeletedAdd(OmObject item)
    {
        AppointmentData data = AppointmentReader.Read(item, withBody: false, withPattern: true);
        if (data.Tag is not { MeetingId.Length: 0 } tag || tag.RequestId.Length == 0
            || data.MeetingStatus is OutlookIds.MeetingStatusReceived or OutlookIds.MeetingStatusReceivedAndCanceled
            || !AddedHere(tag))
        {
            return false;
        }

        if (!_adding.Add(tag.RequestId))
        {
            return true;
        }

        _ = ResumeDeletedAddAsync(ItemAddress.Of(item), tag, ScheduleRequestFor(data, tag, options: null));
        return true;
    }

    private async Task ResumeDeletedAddAsync(ItemAddress at, MeetingTag tag, ScheduleMeetingRequest request)
    {
        using WorkUnderWay underway = Underway();
        try
        {
            MeetingReply reply = await OffMainThread(() => _agent.ScheduleAsync(request)).ConfigureAwait(false);
            await _main.InvokeAsync(() =>
            {
                try
                {
                    // The journal answers with the meeting the first request made, from the item as it was then.
                    RecordInDeleted(at, tag.RequestId, reply, SyncRules.Unknown());
                }
                catch (COMException e) when (OutlookErrors.IsNotFound(e))
                {
                    // Restored or emptied meanwhile: a restored item is resumed in its calendar.
                }
                catch (Exception e) when (e is COMException or OutlookDataException)
                {
                    _log.Write("info", "A deleted appointment's meeting waits to be recorded (" + MainThread.Redacted(e) + ").");
                    Later(() => Revisit(at, deleted: true));
                }
            }).ConfigureAwait(false);
        }
        catch (BridgeException e) when (AgentRequests.IsWorthRetrying(e))
        {
            _log.Write("warning", "A waiting meeting could not be asked for again (" + e.Code + "); asking later.");
            await _main.InvokeAsync(() => Later(() => Revisit(at, deleted: true))).ConfigureAwait(false);
        }
        catch (BridgeException e)
        {
            _log.Write("warning", "A waiting meeting could not be asked for again (" + e.Code + ").");
        }
        finally
        {
            await _main.InvokeAsync(() => _adding.Remove(tag.RequestId)).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Records a made meeting in the tag of the item in Deleted Items that waits for it (its pending tag has the request
    /// id), and judges that item as any deleted item: the meeting is cancelled when no calendar holds the tag, and made
    /// anew if the item is restored.
    /// </summary>
    /// <exception cref="COMException">Outlook failed; MAPI_E_NOT_FOUND: the item left Deleted Items meanwhile.</exception>
    private void RecordInDeleted(ItemAddress at, string requestId, MeetingReply reply, SyncedFields sent)
    {
        using OmObject? session = _session();
        using OmObject? item = session is null ? null : at.Open(session);
        if (item is null || MeetingTags.Read(item) is not { } tag || tag.RequestId != requestId)
        {
            return;
        }

        if (tag.MeetingId.Length == 0)
        {
            tag.MeetingId = reply.MeetingId;
            tag.Provider = reply.Provider;
            tag.JoinUrl = reply.JoinUrl;

            // What the meeting was made with, as any written meeting's tag records it: restored and changed before the
            // add-in reads it again (soak seed 112), the item is compared with that, not with nothing.
            tag.Synced = sent;
            MeetingTags.Write(item, tag);
            item.Call("Save");
        }

        // Recorded already (a write that went in before the item was deleted): judged again, which changes nothing once
        // done.
        if (tag.MeetingId == reply.MeetingId)
        {
            Deleted(item);
        }
    }

    /// <summary>
    /// A tagged item arrived in Deleted Items (with a new EntryID on Exchange, FACTS §2.2). Its meeting is cancelled
    /// when no calendar still holds an item with the same tag: a deleted copy leaves the original's meeting alone,
    /// and a search that fails is tried again later.
    /// </summary>
    public void Deleted(OmObject item)
    {
        MeetingTag? tag = MeetingTags.Read(item);
        if (tag is null || tag.MeetingId.Length == 0)
        {
            return;
        }

        var seen = new ItemObservation
        {
            Place = ItemPlace.InDeletedItems,
            HasMeeting = true,
            AlreadyCancelled = _cancelled.Contains(tag.MeetingId),
            MeetingStatus = item.Get<int>("MeetingStatus"),
        };
        if (seen.AlreadyCancelled)
        {
            // The organiser's cancelled item, which Outlook moves here after the cancellation is sent: the item records
            // that its meeting was cancelled, so that it sent again as a meeting after a restore (even once Outlook
            // restarted) gets a new one (soak seed 6989).
            if (_cancelledAsDeleted.Contains(tag.MeetingId) && tag.CancelledMeetingId != tag.MeetingId)
            {
                MarkCancelledAsDeleted(item, tag);
            }

            return;
        }

        seen.LiveElsewhere = Search(tag.RequestId, includeDeletedItems: false, out _) switch
        {
            Found.InCalendar => true,
            Found.Nowhere => false,
            _ => null,
        };
        switch (LifecycleRules.Decide(seen))
        {
            case LifecycleAction.Cancel:
                CancelForDeletion(tag);
                MarkCancelledAsDeleted(item, tag);
                break;
            case LifecycleAction.Wait:
                ItemAddress at = ItemAddress.Of(item);
                Later(() => LookAtDeletedAgain(at));
                break;
        }
    }

    /// <summary>
    /// The organiser sent a meeting cancellation (Application.ItemSend). It may be for removed attendees only, or for
    /// one occurrence (MS-OXOCAL 3.1.4.9.1.1–2, FACTS §10): only the organiser's own item cancelled as a whole ends
    /// the meeting.
    /// </summary>
    public void CancellationSent(OmObject appointment)
    {
        AppointmentData data = AppointmentReader.Read(appointment, withBody: false, withPattern: false);
        if (data.Tag is not { MeetingId.Length: > 0 } tag)
        {
            return;
        }

        var seen = new ItemObservation
        {
            Place = ItemPlace.Live,
            HasMeeting = true,
            AlreadyCancelled = _cancelled.Contains(tag.MeetingId),
            MeetingStatus = data.MeetingStatus,
            IsOccurrence = data.RecurrenceState is OutlookIds.RecurrenceOccurrence or OutlookIds.RecurrenceException,
        };
        if (seen.MeetingStatus == OutlookIds.MeetingStatusCanceled && !seen.IsOccurrence && !seen.AlreadyCancelled)
        {
            seen.LiveElsewhere = CarriedElsewhere(tag.RequestId, data.EntryId);
        }

        switch (LifecycleRules.Decide(seen))
        {
            case LifecycleAction.Cancel:
                CancelForDeletion(tag);
                break;
            case LifecycleAction.Wait:
                // Unknown whether another item carries the meeting: Outlook now moves the cancelled item to Deleted
                // Items, where its arrival is judged again (with the same search, retried until it answers).
                break;
        }
    }

    /// <summary>
    /// Something left a calendar (Outlook does not say what), or an open item may be about to be deleted (BeforeDelete,
    /// which can still be cancelled: FACTS §10). Checked once the burst is over, because a move raises ItemRemove in
    /// the old folder before the item arrives in the new one.
    /// </summary>
    public void Removed()
    {
        _checkArmed = true;
        _removedSoon.Change(_settings.Debounce, Timeout.InfiniteTimeSpan);
    }

    private void RunCheck()
    {
        _checkArmed = false;
        try
        {
            CheckRemoved();
        }
        catch (Exception e) when (e is COMException or OutlookDataException)
        {
            // Outlook failed before the check could begin (the session, a listing): nothing was judged, so all of it waits.
            _log.Write("info", "Removed appointments could not be looked for now (" + MainThread.Redacted(e) + "); looking again later.");
            RecheckLater();
        }
    }

    /// <summary>
    /// Looks for every tracked item where it was last seen. One that is not there is looked for by its tag: found in a
    /// calendar, it moved and keeps its meeting; found in Deleted Items, or nowhere with every search answering, it
    /// was deleted and its meeting is cancelled. Any other failure leaves it for the next check.
    /// </summary>
    private void CheckRemoved()
    {
        using OmObject? session = _session();
        if (session is null)
        {
            return;
        }

        bool storesKnown = NoteStores(session);

        // One Table per watched calendar tells which tracked items are still there without opening any (in online mode
        // every open is a round trip to the server); only the others are looked for one by one.
        HashSet<string>? stillThere = TaggedInWatchedCalendars();
        bool again = false;
        foreach (KeyValuePair<string, Tracked> entry in new List<KeyValuePair<string, Tracked>>(_tracked))
        {
            Tracked tracked = entry.Value;
            if (stillThere is not null && stillThere.Contains(entry.Key))
            {
                tracked.StoresLeft = _storesLeft;
                continue;
            }

            ItemPlace place;
            try
            {
                using OmObject? still = tracked.Address.Open(session);
                if (still is not null && InItsStoresDeletedItems(still))
                {
                    // A PST keeps an item's EntryID on a move within it (FACTS §2.2), and its own Deleted Items, which
                    // the add-in does not listen to, is where Delete puts the item: at the same address, now deleted.
                    Deleted(still);
                }
                else if (still is not null)
                {
                    tracked.StoresLeft = _storesLeft;
                }

                continue;
            }
            catch (COMException e) when (OutlookErrors.IsNotFound(e))
            {
                place = Search(tracked.Tag.RequestId, includeDeletedItems: true, out ItemAddress? movedTo) switch
                {
                    Found.InCalendar => ItemPlace.Live,
                    Found.InDeletedItems => ItemPlace.InDeletedItems,
                    Found.Nowhere when !storesKnown => ItemPlace.Unknown,
                    Found.Nowhere when tracked.StoresLeft != _storesLeft => ItemPlace.PutAway,
                    Found.Nowhere => (tracked.Address.StoreId.Length == 0 ? true : ProfileStores.Names(session, _storesSeen!, tracked.Address.StoreId)) switch
                    {
                        true => ItemPlace.Gone,
                        false => ItemPlace.PutAway,
                        null => ItemPlace.Unknown,
                    },
                    _ => ItemPlace.Unknown,
                };

                if (place == ItemPlace.Live && movedTo is not null)
                {
                    _tracked[entry.Key] = new Tracked(tracked.Tag, movedTo, _storesLeft);
                    _log.Write("info", "A tagged appointment moved; its meeting stays with it.");
                    continue;
                }
            }
            catch (COMException e)
            {
                _log.Write("info", "A tagged appointment could not be looked for now (" + MainThread.Redacted(e) + "); looking again later.");
                place = ItemPlace.Unknown;
            }

            var seen = new ItemObservation
            {
                Place = place,
                HasMeeting = true,
                AlreadyCancelled = _cancelled.Contains(tracked.Tag.MeetingId),
                LiveElsewhere = place == ItemPlace.InDeletedItems ? false : null,
            };
            switch (LifecycleRules.Decide(seen))
            {
                case LifecycleAction.Cancel:
                    if (place == ItemPlace.InDeletedItems)
                    {
                        CancelForDeletion(tracked.Tag);
                    }
                    else
                    {
                        CancelWholeMeeting(tracked.Tag);
                    }

                    break;
                case LifecycleAction.Wait:
                    again = true;
                    break;
                case LifecycleAction.LetGo:
                    // Followed again, from the state file, by a start that finds it; judged by nothing meanwhile.
                    _tracked.Remove(entry.Key);
                    _log.Write("info", "A tagged appointment is in no store of the profile, and a store left since it was seen (a PST closed): its meeting is kept, and no longer looked for until the store is back.");
                    break;
            }
        }

        var later = new List<Action>(_later);
        _later.Clear();
        foreach (Action work in later)
        {
            work();
        }

        if (again && !_checkArmed)
        {
            RecheckLater();
        }
        else if (!again && _later.Count == 0)
        {
            _recheckDelay = TimeSpan.Zero;
        }
    }

    /// <summary>
    /// Lists the profile's stores and counts a departure when one listed before is missing now (a PST closed), letting
    /// go of the followed calendars in it. False when Outlook could not list them: nothing can then be taken for gone,
    /// since it may be in a store that left.
    /// </summary>
    private bool NoteStores(OmObject session)
    {
        List<string>? ids = ProfileStores.StoreIds(session);
        if (ids is null)
        {
            return false;
        }

        var now = new HashSet<string>(ids, StringComparer.OrdinalIgnoreCase);
        if (_storesSeen is not null && !_storesSeen.IsSubsetOf(now))
        {
            _storesLeft++;
            var left = new List<string>(_storesSeen);
            left.RemoveAll(now.Contains);
            _dropCalendarsOfStoresLeft(session, left);
        }

        _storesSeen = now;
        var keys = new List<string>(ids.Count);
        foreach (string id in ids)
        {
            keys.Add(KnownMeetings.StoreKey(id));
        }

        _remembered.Note(keys);
        return true;
    }

    /// <summary>
    /// Whether the item is in its store's own Deleted Items (Store.GetDefaultFolder, Outlook 2010 and later; a store
    /// with none answers null, and its items are never taken for deleted).
    /// </summary>
    /// <exception cref="COMException">Outlook could not tell now.</exception>
    private static bool InItsStoresDeletedItems(OmObject item)
    {
        using OmObject? folder = item.GetObject("Parent");
        using OmObject? store = folder?.GetObject("Store");
        using OmObject? deletedItems = store?.CallObject("GetDefaultFolder", OutlookIds.FolderDeletedItems);
        return folder is not null && deletedItems is not null && folder.GetString("EntryID") == deletedItems.GetString("EntryID");
    }

    /// <summary>Keeps work that failed for a passing reason for the next check, planned with the growing delay.</summary>
    private void Later(Action work)
    {
        _later.Add(work);
        if (!_checkArmed)
        {
            RecheckLater();
        }
    }

    /// <summary>A deleted item whose calendars could not be searched: looked at again where it was seen in Deleted Items.</summary>
    private void LookAtDeletedAgain(ItemAddress at)
    {
        try
        {
            using OmObject? session = _session();
            using OmObject? deleted = session is null ? null : at.Open(session);
            if (deleted is not null)
            {
                Deleted(deleted);
            }
        }
        catch (COMException e) when (!OutlookErrors.IsNotFound(e))
        {
            Later(() => LookAtDeletedAgain(at));
        }
        catch (COMException)
        {
            // Moved out of Deleted Items meanwhile (restored, or emptied): its arrival elsewhere says what it became.
        }
    }

    /// <summary>The request ids tagged in the watched calendars, from one Table each; null when a listing failed.</summary>
    private HashSet<string>? TaggedInWatchedCalendars()
    {
        var requestIds = new HashSet<string>(StringComparer.Ordinal);
        var unused = new List<(ItemAddress, bool)>();
        foreach (OmObject calendar in _calendars())
        {
            if (!ListTagged(calendar, deleted: false, unused, requestIds))
            {
                return null;
            }
        }

        return requestIds;
    }

    /// <summary>Looks again after a while that doubles (from the debounce to five minutes) while Outlook keeps failing.</summary>
    private void RecheckLater()
    {
        _recheckDelay = _recheckDelay == TimeSpan.Zero
            ? _settings.Debounce
            : TimeSpan.FromTicks(Math.Min(_recheckDelay.Ticks * 2, TimeSpan.FromMinutes(5).Ticks));
        _checkArmed = true;
        _removedSoon.Change(_recheckDelay, Timeout.InfiniteTimeSpan);
    }

    private enum Found
    {
        InCalendar,
        InDeletedItems,
        Nowhere,
        Unknown,
    }

    /// <summary>
    /// Where an item carrying this request id is: in a watched calendar or in Deleted Items (with its address), nowhere
    /// (every search answered), or unknown (a search failed).
    /// </summary>
    private Found Search(string requestId, bool includeDeletedItems, out ItemAddress? at, Func<OmObject, bool>? accept = null)
    {
        at = null;

        string filter = MeetingTags.RequestIdIs(requestId);
        bool failed = false;
        foreach (OmObject calendar in _calendars())
        {
            try
            {
                using OmObject? items = calendar.GetObject("Items");
                using OmObject? found = FindOther(items, filter, accept);
                if (found is not null)
                {
                    at = ItemAddress.Of(found);
                    return Found.InCalendar;
                }
            }
            catch (COMException e)
            {
                _log.Write("warning", "A calendar could not be searched: " + MainThread.Redacted(e));
                failed = true;
            }
        }

        if (!failed)
        {
            try
            {
                if (FindInOtherCalendars(filter, accept) is { } elsewhere)
                {
                    at = elsewhere;
                    return Found.InCalendar;
                }
            }
            catch (Exception e) when (e is COMException or OutlookDataException)
            {
                _log.Write("warning", "The mailbox's other calendars could not be searched: " + MainThread.Redacted(e));
                failed = true;
            }
        }

        if (includeDeletedItems && !failed)
        {
            try
            {
                using OmObject? session = _session();
                using OmObject? deletedItems = session?.CallObject("GetDefaultFolder", OutlookIds.FolderDeletedItems);
                using OmObject? items = deletedItems?.GetObject("Items");
                using OmObject? found = items?.CallObject("Find", filter);
                if (found is not null)
                {
                    at = ItemAddress.Of(found);
                    return Found.InDeletedItems;
                }
            }
            catch (COMException e)
            {
                _log.Write("warning", "Deleted Items could not be searched: " + MainThread.Redacted(e));
                failed = true;
            }
        }

        return failed ? Found.Unknown : Found.Nowhere;
    }

    /// <summary>
    /// Looks in every calendar folder the add-in does not watch, in every store of the profile (the mailbox, PSTs), for
    /// an item matching the filter: an appointment moved to another calendar or into a PST keeps its meeting, and the
    /// folder it went to is watched from then on.
    /// </summary>
    /// <exception cref="COMException">A folder could not be read: the caller cannot tell where the item is.</exception>
    private ItemAddress? FindInOtherCalendars(string filter, Func<OmObject, bool>? accept)
    {
        ItemAddress? hit = null;
        ForEachOtherCalendar(folder =>
        {
            using OmObject? items = folder.GetObject("Items");
            using OmObject? found = FindOther(items, filter, accept);
            if (found is null)
            {
                return true;
            }

            hit = ItemAddress.Of(found);
            _tagged(found);
            return false;
        });
        return hit;
    }

    /// <summary>
    /// Whether a calendar item other than <paramref name="entryId"/> carries the request id: a cancelled copy (a copy
    /// keeps the tag, FACTS §2.4) leaves the meeting to the original that still carries it. Null when a search failed.
    /// </summary>
    private bool? CarriedElsewhere(string requestId, string entryId) =>
        Search(requestId, includeDeletedItems: false, out _, found => found.GetString("EntryID") != entryId) switch
        {
            Found.InCalendar => true,
            Found.Nowhere => false,
            _ => null,
        };

    /// <summary>The first item of a folder's items matching the filter that <paramref name="accept"/> takes (any, without it).</summary>
    private static OmObject? FindOther(OmObject? items, string filter, Func<OmObject, bool>? accept)
    {
        OmObject? found = items?.CallObject("Find", filter);
        try
        {
            while (found is not null && accept is not null && !accept(found))
            {
                found.Dispose();
                found = null;
                found = items!.CallObject("FindNext");
            }
        }
        catch
        {
            // Outlook failed a call: the item found so far is released here, as the caller never gets it.
            found?.Dispose();
            throw;
        }

        return found;
    }

    /// <summary>
    /// Calls <paramref name="visit"/> for each calendar folder of the profile's stores that the add-in does not watch
    /// (NameSpace.Stores, Store.GetRootFolder, Folder.Folders, FACTS §2.2), until it returns false. Bounded, so that a
    /// profile with thousands of folders costs little.
    /// </summary>
    /// <exception cref="COMException">A store or folder could not be read.</exception>
    private void ForEachOtherCalendar(Func<OmObject, bool> visit)
    {
        const int MaxFolders = 1000;
        const int MaxDepth = 12;
        var watched = new HashSet<string>(StringComparer.Ordinal);
        foreach (OmObject calendar in _calendars())
        {
            watched.Add(calendar.GetString("EntryID"));
        }

        using OmObject? session = _session();
        using OmObject? stores = session?.GetObject("Stores");
        int storeCount = stores?.Get<int>("Count") ?? 0;
        int visited = 0;
        for (int s = 1; s <= storeCount; s++)
        {
            using OmObject? store = stores!.CallObject("Item", s);
            using OmObject? root = store?.CallObject("GetRootFolder");
            if (root is not null && !Walk(root, 0))
            {
                return;
            }
        }

        bool Walk(OmObject folder, int depth)
        {
            if (++visited > MaxFolders || depth > MaxDepth)
            {
                return true;
            }

            if (folder.Get<int>("DefaultItemType") == OutlookIds.AppointmentItemType && !watched.Contains(folder.GetString("EntryID")) && !visit(folder))
            {
                return false;
            }

            using OmObject? children = folder.GetObject("Folders");
            int count = children?.Get<int>("Count") ?? 0;
            for (int i = 1; i <= count; i++)
            {
                using OmObject? child = children!.CallObject("Item", i);
                if (child is not null && !Walk(child, depth + 1))
                {
                    return false;
                }
            }

            return true;
        }
    }

    public void Dispose()
    {
        foreach (IAddinTimer timer in _debounce.Values)
        {
            timer.Dispose();
        }

        _debounce.Clear();
        _removedSoon.Dispose();
        _saveKnownSoon.Dispose();
        lock (_knownFileGate)
        {
            // Shutting down (when Outlook says so): a write under way finishes first, none begun later writes an older
            // copy over this one, and the last changes are written now, on this thread.
            _knownWritten = long.MaxValue;
            if (_knownDirty)
            {
                KnownMeetings.Save(_settings.StateDirectory, new List<KnownMeeting>(_known.Values), _log);
                _knownDirty = false;
            }
        }
        foreach (IAddinTimer? timer in _awaitingHome.Values)
        {
            timer?.Dispose();
        }

        _awaitingHome.Clear();
    }

    private void ApplyAdded(OmObject item, OmObject? inspector, MeetingTag tag, MeetingReply reply, SyncedFields sent)
    {
        tag.MeetingId = reply.MeetingId;
        tag.Provider = reply.Provider;
        tag.JoinUrl = reply.JoinUrl;
        tag.Synced = sent;
        ItemEditor.AddLink(item, reply.JoinUrl);
        ItemEditor.WriteBlock(item, inspector, InvitationBlock.ComposeText(BlockOf(reply)));
        MeetingTags.Write(item, tag);
        SaveIfClosed(item, inspector);
        _tagged(item);
        ItemAddress address = ItemAddress.Of(item);
        string entryId = address.EntryId;
        if (entryId.Length > 0)
        {
            _addresses[entryId] = address;
            Track(address, tag);

            // Edited while the request was out: what was sent is now stale, so bring the meeting up to date.
            SyncNow(entryId);
        }
    }

    private void FailedToAdd(OmObject item, OmObject? inspector, MeetingTag tag, Exception e, bool windowClosed)
    {
        if (windowClosed)
        {
            // The item is as the user saved or discarded it; a saved pending tag keeps its request id for a safe retry.
            _log.Write("info", "Adding a meeting failed after its window closed; the appointment was left as saved.");
        }
        else if (e is BridgeException b && AgentRequests.IsAmbiguous(b))
        {
            // The agent may have made the meeting: the pending tag keeps the request id for the next try.
            _log.Write("warning", "Adding a meeting got no answer; the request id stays on the item for a safe retry.");
        }
        else
        {
            try
            {
                MeetingTags.Remove(item);
                SaveIfClosed(item, inspector);
            }
            catch (Exception removeFailed) when (removeFailed is COMException or OutlookDataException or InvalidComObjectException)
            {
                // No meeting was made: a pending tag left on the item only makes the next try ask under the same id.
                _log.Write("warning", "The pending tag of a failed add could not be taken off: " + MainThread.Redacted(removeFailed));
            }
        }

        _user.ShowError(AgentRequests.Describe(e, "add a video meeting"));
    }

    private void SyncNow(string entryId)
    {
        if (_debounce.TryGetValue(entryId, out IAddinTimer? timer))
        {
            timer.Dispose();
            _debounce.Remove(entryId);
        }

        if (!_busy.Add(entryId))
        {
            _dirty.Add(entryId);
            return;
        }

        OmObject? item = null;
        try
        {
            using OmObject? session = _session();
            ItemAddress address = _addresses.TryGetValue(entryId, out ItemAddress? known) ? known : new ItemAddress(entryId, string.Empty);
            item = session is null ? null : address.Open(session);
            if (item is null)
            {
                _busy.Remove(entryId);
                return;
            }

            AppointmentData data = AppointmentReader.Read(item, withBody: false, withPattern: true);
            MeetingTag? tag = data.Tag;
            bool cancelledAsDeleted = tag is not null && tag.MeetingId.Length > 0
                && (tag.CancelledMeetingId == tag.MeetingId || _cancelledAsDeleted.Contains(tag.MeetingId));
            if (tag is null || tag.MeetingId.Length == 0 || tag.OwnerEntryId != entryId || (_cancelled.Contains(tag.MeetingId) && !cancelledAsDeleted))
            {
                _busy.Remove(entryId);
                item.Dispose();
                return;
            }

            SyncPlan plan = SyncRules.Compare(LastSent(tag), data);
            var seen = new ItemObservation
            {
                Place = ItemPlace.Live,
                HasMeeting = true,
                MeetingStatus = data.MeetingStatus,
                IsOccurrence = data.RecurrenceState is OutlookIds.RecurrenceOccurrence or OutlookIds.RecurrenceException,
                HasChanges = !plan.IsEmpty,
                CancelledAsDeleted = cancelledAsDeleted,
            };
            if (seen.MeetingStatus == OutlookIds.MeetingStatusCanceled && !seen.IsOccurrence && !cancelledAsDeleted)
            {
                seen.LiveElsewhere = CarriedElsewhere(tag.RequestId, entryId);
            }
            LifecycleAction action = LifecycleRules.Decide(seen);
            if (action is LifecycleAction.Update or LifecycleAction.Recreate && !SendsFromHere(tag, entryId))
            {
                _busy.Remove(entryId);
                item.Dispose();
                return;
            }

            if (action is not (LifecycleAction.Update or LifecycleAction.Recreate))
            {
                ForgetHomeWait(tag.RequestId);
            }

            if (action == LifecycleAction.Recreate)
            {
                ItemAddress back = ItemAddress.Of(item);
                item.Dispose();
                item = null;
                _ = RecreateAsync(entryId, back, data, tag);
                return;
            }

            if (action == LifecycleAction.Cancel)
            {
                // The organiser's own item cancelled as a whole (the only Cancel of a live item).
                _busy.Remove(entryId);
                item.Dispose();
                CancelForDeletion(tag);
                return;
            }

            if (action != LifecycleAction.Update)
            {
                _busy.Remove(entryId);
                item.Dispose();
                if (action == LifecycleAction.Wait)
                {
                    // Cancelled, but the calendars could not be searched for an original that keeps the meeting.
                    Later(() => SyncNow(entryId));
                }

                return;
            }

            // The item is released before the round trip: a held recurring master makes every other reference to it an
            // out-of-date copy (FACTS §2.4, §10), and saving it afterwards could undo what the user changed meanwhile.
            SyncedFields now = SyncRules.Capture(data);
            ItemAddress at = ItemAddress.Of(item);
            item.Dispose();
            item = null;
            NoteSyncUnrecorded(tag, unrecorded: true);
            _ = SendPlanAsync(entryId, at, tag, plan, now);
        }
        catch (Exception e) when (e is COMException or OutlookDataException)
        {
            _busy.Remove(entryId);
            if (OutlookErrors.IsNotFound(e))
            {
                // Moved or deleted since it changed: the removal check says what became of it, and this EntryID is
                // dead (a move gives a new one, FACTS §2.2), so its address is forgotten.
                _addresses.Remove(entryId);
                Removed();
                return;
            }

            _log.Write("warning", "Could not read a changed appointment (" + MainThread.Redacted(e) + "); reading it again later.");
            Later(() => SyncNow(entryId));
        }
        finally
        {
            // Whatever way this ends, no reference to the item outlives it: a recurring master the add-in still holds
            // shows it an out-of-date copy from then on (FACTS §2.4, §10). Releasing twice is harmless.
            item?.Dispose();
        }
    }

    /// <summary>
    /// What the meeting was last sent, as far as the add-in knows: what the tag recorded, or nothing known when an update
    /// went out since that the tag could not record (comparing with the older record would miss a field changed at the
    /// provider and then changed back in Outlook), or when the tag records nothing (compared with empty fields, a series
    /// made single would look unchanged).
    /// </summary>
    private SyncedFields LastSent(MeetingTag tag) =>
        (_known.TryGetValue(tag.RequestId, out KnownMeeting? known) && known.MeetingId == tag.MeetingId && known.SyncUnrecorded) || tag.Synced is null
            ? SyncRules.Unknown()
            : tag.Synced;

    /// <summary>Remembers, in the state file too, the newest sync the meeting's tag recorded (<see cref="KnownMeeting.SyncedVersion"/>).</summary>
    private void NoteSyncedVersion(MeetingTag tag)
    {
        int version = tag.Synced?.Version ?? 0;
        if (_known.TryGetValue(tag.RequestId, out KnownMeeting? known) && known.MeetingId == tag.MeetingId && known.SyncedVersion < version)
        {
            known.SyncedVersion = version;
            SaveKnownSoon();
        }
    }

    /// <summary>
    /// Where another item carries the same meeting with a tag at least as new as the newest sync this add-in recorded,
    /// when this tag is older than that: then this item was copied before that sync, and is a copy whatever its address
    /// says. <see cref="Found.Nowhere"/> when this tag is not older (or nothing newer is known), or no such item is found.
    /// </summary>
    /// <remarks>
    /// Soak seed 232 (a stale link, CI of 7 December, under load): the user copied an appointment and the add-in could not
    /// judge the copy then; the original was retimed and synced, then moved into a PST while Outlook failed every call, so
    /// the move was not followed. Judged at last, the copy found its original's address gone (a move gives a new EntryID,
    /// FACTS §2.2) and no item naming itself the owner (the moved original still named its old address), and took the
    /// meeting with the times it was copied with. An older tag alone is no proof (a save from another Outlook can write an
    /// older one back): it takes an item found with a newer one.
    /// </remarks>
    private Found NewerHolder(MeetingTag tag, string exceptEntryId)
    {
        int version = tag.Synced?.Version ?? 0;
        if (!_known.TryGetValue(tag.RequestId, out KnownMeeting? known) || known.MeetingId != tag.MeetingId || known.SyncedVersion <= version)
        {
            return Found.Nowhere;
        }

        int newest = known.SyncedVersion;
        return Search(tag.RequestId, includeDeletedItems: true, out _, found =>
            found.GetString("EntryID") != exceptEntryId && MeetingTags.Read(found) is { } other && other.MeetingId == tag.MeetingId && (other.Synced?.Version ?? 0) >= newest);
    }

    /// <summary>
    /// Notes, in the state file, that an update is going out that the tag does not record yet, before it is sent (so
    /// that Outlook closing in between cannot lose it), and clears it once the tag records it.
    /// </summary>
    private void NoteSyncUnrecorded(MeetingTag tag, bool unrecorded)
    {
        if (unrecorded)
        {
            Follow(tag);
        }

        if (_known.TryGetValue(tag.RequestId, out KnownMeeting? known) && known.MeetingId == tag.MeetingId && known.SyncUnrecorded != unrecorded)
        {
            known.SyncUnrecorded = unrecorded;
            SaveKnownSoon();
        }
    }

    /// <summary>
    /// Whether this Outlook sends the meeting's pending change: it is the tag's home (or the tag names none); or the home
    /// has left the change unsent for <see cref="AddinSettings.TakeoverAfter"/>, and this Outlook becomes the home (the
    /// tag is written with the synced state). Until then, a look is planned for when the wait is over.
    /// </summary>
    private bool SendsFromHere(MeetingTag tag, string entryId)
    {
        if (tag.Home.Length == 0 || tag.Home == _settings.MachineId)
        {
            ForgetHomeWait(tag.RequestId);
            return true;
        }

        if (_awaitingHome.TryGetValue(tag.RequestId, out IAddinTimer? waiting))
        {
            if (waiting is not null)
            {
                return false;
            }

            // The wait is over: the home did not send it.
            _awaitingHome.Remove(tag.RequestId);
            _log.Write("info", "Another Outlook on this mailbox left a change unsent; this one sends it and becomes the meeting's home.");
            tag.Home = _settings.MachineId;
            return true;
        }

        string requestId = tag.RequestId;
        _awaitingHome[requestId] = _settings.Clock.StartTimer(
            () => _main.Post(
                () =>
                {
                    if (_awaitingHome.TryGetValue(requestId, out IAddinTimer? timer) && timer is not null)
                    {
                        timer.Dispose();
                        _awaitingHome[requestId] = null;
                        SyncNow(entryId);
                    }
                },
                _log),
            _settings.TakeoverAfter,
            Timeout.InfiniteTimeSpan,
            _log);
        return false;
    }

    private void ForgetHomeWait(string requestId)
    {
        if (_awaitingHome.TryGetValue(requestId, out IAddinTimer? timer))
        {
            timer?.Dispose();
            _awaitingHome.Remove(requestId);
        }
    }

    /// <summary>
    /// Records on the deleted item itself that its meeting was cancelled for the deletion, so that a restore (even after
    /// Outlook restarted) makes a new meeting. Best effort: this session remembers it as well.
    /// </summary>
    private void MarkCancelledAsDeleted(OmObject item, MeetingTag tag)
    {
        try
        {
            tag.CancelledMeetingId = tag.MeetingId;
            MeetingTags.Write(item, tag);
            item.Call("Save");
        }
        catch (COMException e)
        {
            _log.Write("info", "Could not note the cancellation on the deleted appointment (" + MainThread.Redacted(e) + ").");
        }
    }

    /// <summary>
    /// The item is back in a calendar after its meeting was cancelled for its deletion (restored from Deleted Items, an
    /// undo): a new meeting is made, under a request id derived from the old one and the cancelled meeting, so that a
    /// retry or a second Outlook asking the same gets the same new meeting, and the item's link and block are replaced.
    /// </summary>
    private async Task RecreateAsync(string entryId, ItemAddress at, AppointmentData data, MeetingTag old)
    {
        using WorkUnderWay underway = Underway();
        var fresh = new MeetingTag
        {
            RequestId = DerivedRequestId(old.RequestId, old.MeetingId),
            Provider = old.Provider,
            ScheduleFor = old.ScheduleFor,
            OwnerEntryId = at.EntryId,
            OwnerStoreId = at.StoreId,
            Home = _settings.MachineId,
        };
        ScheduleMeetingRequest request = ScheduleRequestFor(data, fresh, options: null);

        // The derived request id may have been asked before (its write failed, Outlook restarted): the agent's journal
        // then answers with the meeting made from the appointment as it was at that time, not as it is now. Recorded as
        // unknown, the write's sync sends the appointment whole.
        SyncedFields sent = SyncRules.Unknown();
        try
        {
            MeetingReply reply = await OffMainThread(() => _agent.ScheduleAsync(request)).ConfigureAwait(false);
            await _main.InvokeAsync(() =>
            {
                // The new meeting exists from here on. Until it is in the item, it is followed under the item's current
                // tag, so that the item deleted meanwhile (even for good, or while Outlook is closed) cancels it too.
                Track(at, new MeetingTag { RequestId = old.RequestId, MeetingId = reply.MeetingId, Provider = reply.Provider });
                if (_known.TryGetValue(old.RequestId, out KnownMeeting? replacing) && replacing.MeetingId == reply.MeetingId)
                {
                    // The item carries the cancelled meeting until the write below succeeds: a restart before then must
                    // still make (the same derived request id: get) the new meeting, not update the cancelled one.
                    replacing.CancelledMeetingId = old.MeetingId;
                    SaveKnownSoon();
                }
                try
                {
                    using OmObject? session = _session();
                    using OmObject? item = session is null ? null : at.Open(session);
                    if (item is null)
                    {
                        return;
                    }

                    ItemEditor.RemoveLink(item, old.JoinUrl);
                    ApplyAdded(item, null, fresh, reply, sent);
                    _cancelledAsDeleted.Remove(old.MeetingId);
                    _tracked.Remove(old.RequestId);
                    Forget(old.RequestId);
                    _log.Write("info", "A restored appointment got a new meeting in place of the one cancelled when it was deleted.");
                }
                catch (Exception e) when ((e is COMException or OutlookDataException) && !OutlookErrors.IsNotFound(e))
                {
                    // Written again later (the same derived request id answers with the same meeting).
                    _log.Write("warning", "A restored appointment's new meeting could not be written yet (" + MainThread.Redacted(e) + "); trying again later.");
                    Later(() => SyncNow(entryId));
                }
            }).ConfigureAwait(false);
        }
        catch (Exception e) when (e is BridgeException or COMException or OutlookDataException)
        {
            // Tried again at the next check, the next change, or the next start's reconciliation (the state file
            // remembers the cancellation), always with the same derived request id: never a second meeting.
            _log.Write("warning", "A restored appointment's new meeting could not be made yet: " + MainThread.Redacted(e));
            if (e is not BridgeException bridge || AgentRequests.IsWorthRetrying(bridge))
            {
                await _main.InvokeAsync(() => Later(() => SyncNow(entryId))).ConfigureAwait(false);
            }
        }
        finally
        {
            await _main.InvokeAsync(() =>
            {
                _busy.Remove(entryId);
                if (_dirty.Remove(entryId))
                {
                    SyncNow(entryId);
                }
            }).ConfigureAwait(false);
        }
    }

    /// <summary>The same 32 hex digits for the same item and cancelled meeting, within the agent's request id limit.</summary>
    private static string DerivedRequestId(string requestId, string cancelledMeetingId) =>
        AddinSettings.HexHash(requestId + "\n" + cancelledMeetingId, bytes: 16);

    private async Task SendPlanAsync(string entryId, ItemAddress at, MeetingTag tag, SyncPlan plan, SyncedFields now)
    {
        using WorkUnderWay underway = Underway();
        bool ok = true;
        bool retry = false;
        try
        {
            foreach (UpdateMeetingRequest update in SyncRules.Updates(plan, tag.MeetingId, tag.Provider))
            {
                await OffMainThread(() => _agent.UpdateAsync(update)).ConfigureAwait(false);
            }

            foreach (CancelMeetingRequest cancel in SyncRules.Cancels(plan, tag.MeetingId, tag.Provider))
            {
                await OffMainThread(() => _agent.CancelAsync(cancel)).ConfigureAwait(false);
            }
        }
        catch (BridgeException e)
        {
            ok = false;
            retry = AgentRequests.IsWorthRetrying(e);
            _log.Write("warning", "Updating a meeting failed (" + e.Code + ")" + (retry ? "; it is sent again later." : "; the next save tries again."));
        }

        await _main.InvokeAsync(() =>
        {
            try
            {
                if (ok)
                {
                    // Re-opened now, and only the tag written: the rest of the item is as the user left it.
                    using OmObject? session = _session();
                    using OmObject? item = session is null ? null : at.Open(session);
                    if (item is not null)
                    {
                        now.Version = (tag.Synced?.Version ?? 0) + 1;
                        tag.Synced = now;
                        MeetingTags.Write(item, tag);
                        item.Call("Save");
                        NoteSyncUnrecorded(tag, unrecorded: false);
                        NoteSyncedVersion(tag);
                    }
                }
            }
            catch (COMException e)
            {
                // Not recorded: the next save compares against the older state and sends the difference again.
                _log.Write("warning", "Could not record the synced state: " + MainThread.Redacted(e));
            }
            finally
            {
                _busy.Remove(entryId);
                if (_dirty.Remove(entryId))
                {
                    SyncNow(entryId);
                }
                else if (retry)
                {
                    Later(() => SyncNow(entryId));
                }
            }
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// Cancels the meeting of an appointment that went into Deleted Items, or whose organiser cancelled it as a whole,
    /// and remembers (this session and the state file) that it was cancelled for that: the appointment back in a
    /// calendar as a meeting (restored; a cancelled one restored and sent again) gets a new meeting. Without this, a
    /// cancelled meeting restored from Deleted Items and sent again (MeetingStatus olMeeting once more) kept the
    /// cancelled meeting's id and dead link, and its next save updated a meeting Zoom no longer had (soak seed 6989).
    /// </summary>
    private void CancelForDeletion(MeetingTag tag)
    {
        bool first = !_cancelled.Contains(tag.MeetingId);
        CancelWholeMeeting(tag);
        _cancelledAsDeleted.Add(tag.MeetingId);
        if (first && _known.TryGetValue(tag.RequestId, out KnownMeeting? known) && known.MeetingId == tag.MeetingId)
        {
            known.CancelledForDeletion = true;
            SaveKnownSoon();
        }
    }

    private void CancelWholeMeeting(MeetingTag tag)
    {
        if (!_cancelled.Add(tag.MeetingId))
        {
            return;
        }

        _tracked.Remove(tag.RequestId);

        // Still followed in the state file until the agent has it: a cancel decided on evidence that Outlook's closing
        // would otherwise lose is decided again at the next start (the item in Deleted Items, or nowhere).
        var request = new CancelMeetingRequest { RequestId = Guid.NewGuid().ToString("N"), MeetingId = tag.MeetingId, Provider = tag.Provider };
        _ = CancelInBackgroundAsync(request, tag.RequestId);
    }

    /// <summary>The provider could not take a cancellation now: the agent keeps it in its journal and makes it later, so the add-in may forget it.</summary>
    private void NoteQueued(MeetingReply reply)
    {
        if (reply.Queued)
        {
            _log.Write("info", "The meeting service could not take a cancellation now; the agent keeps it and makes it when the service answers.");
        }
    }

    private async Task CancelInBackgroundAsync(CancelMeetingRequest request, string followedAs)
    {
        using WorkUnderWay underway = Underway();
        try
        {
            NoteQueued(await OffMainThread(() => _agent.CancelAsync(request)).ConfigureAwait(false));
            await _main.InvokeAsync(() =>
            {
                // One cancelled for a deletion stays, marked, until its appointment is restored or gone for good.
                if (!(_known.TryGetValue(followedAs, out KnownMeeting? known) && known.CancelledForDeletion && known.MeetingId == request.MeetingId))
                {
                    Forget(followedAs);
                }
            }).ConfigureAwait(false);
        }
        catch (BridgeException e) when (AgentRequests.IsWorthRetrying(e))
        {
            // Decided on evidence, so it must not be lost: sent again later (the same request id) until the agent answers.
            _log.Write("warning", "Cancelling a meeting failed (" + e.Code + "); it is sent again later.");
            await _main.InvokeAsync(() => Later(() => _ = CancelInBackgroundAsync(request, followedAs))).ConfigureAwait(false);
        }
        catch (BridgeException e)
        {
            // Refused for what it says (the provider no longer has the meeting, say): asking again would fail again.
            _log.Write("warning", "Cancelling a meeting failed (" + e.Code + ").");
            await _main.InvokeAsync(() => Forget(followedAs)).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A tagged item whose EntryID is not the one the meeting was made for: a copy (the original still opens) loses the
    /// tag so it can never steal the meeting; an item that moved (its old address answers MAPI_E_NOT_FOUND, as every
    /// move does on Exchange, FACTS §2.2) takes the meeting along. When Outlook cannot tell, nothing changes: the
    /// next save asks again.
    /// </summary>
    /// <remarks>
    /// The tag keeps the owner's address from before a move (a move the removal check followed changes only where the
    /// add-in tracks the item), so a copy of a moved original finds that address gone as well: the original is then
    /// also looked for where it is tracked. Otherwise the copy and the original would both claim the meeting, and the
    /// one the user did not edit would carry a meeting that no longer matches it.
    /// <para>
    /// Once an item is found to be a copy, it stays one until its tag is off (soak seed 392): when Outlook fails the
    /// removal and the user deletes the original before the retry, the original's address answers MAPI_E_NOT_FOUND
    /// (Deleted Items gives it a new EntryID, FACTS §2.2), and the copy, judged again, would take the meeting as if it
    /// were the original moved, with the times and series it was copied with, not those sent to the meeting since.
    /// </para>
    /// </remarks>
    private void ClaimOrRelease(OmObject item, MeetingTag tag, ItemAddress address)
    {
        bool originalExists = _copies.Contains(address.EntryId);
        if (!originalExists)
        {
            try
            {
                using OmObject? session = _session();
                originalExists = session is not null
                    && (Carries(session, new ItemAddress(tag.OwnerEntryId, tag.OwnerStoreId), tag)
                        || (_tracked.TryGetValue(tag.RequestId, out Tracked? tracked)
                            && tracked.Address.EntryId != address.EntryId
                            && tracked.Address.EntryId != tag.OwnerEntryId
                            && Carries(session, tracked.Address, tag)));
            }
            catch (COMException e)
            {
                _log.Write("info", "Could not tell a moved appointment from a copy now (" + MainThread.Redacted(e) + "); looking again later.");
                LookAgainLater();
                return;
            }

            Found owner = originalExists ? Found.InCalendar : OwnedElsewhere(tag.RequestId, address.EntryId);
            if (owner == Found.Nowhere)
            {
                owner = NewerHolder(tag, address.EntryId);
            }

            if (owner == Found.Unknown)
            {
                // A search failed (logged): whether the meeting is claimed elsewhere is asked again later.
                LookAgainLater();
                return;
            }

            originalExists = owner is Found.InCalendar or Found.InDeletedItems;
        }

        if (originalExists)
        {
            // Remembered until the tag is off for good: a call below that fails is retried as a copy's.
            _copies.Add(address.EntryId);
            ReleaseCopy(item, tag, address);
            return;
        }

        tag.OwnerEntryId = address.EntryId;
        tag.OwnerStoreId = address.StoreId;
        MeetingTags.Write(item, tag);
        Track(address, tag);
        item.Call("Save");
    }

    /// <summary>
    /// Whether another calendar item carrying the request id names itself as the owner in its tag: the meeting's item,
    /// moved from the address this tag names and already claimed there. Where the add-in tracks the meeting is no such
    /// evidence: a calendar read tracks every tagged item it lists, a copy not yet judged as well (soak seed 3149: the
    /// copy of an original moved to another calendar was listed after the move was followed, and then took the meeting
    /// from the original as if it were the original itself).
    /// </summary>
    private Found OwnedElsewhere(string requestId, string exceptEntryId) =>
        Search(requestId, includeDeletedItems: false, out _, found =>
        {
            string entryId = found.GetString("EntryID");
            return entryId != exceptEntryId && MeetingTags.Read(found)?.OwnerEntryId == entryId;
        });

    /// <summary>
    /// Takes the tag off an item found to be a copy. When Outlook fails a call of it, the copy is opened again at its
    /// address and the tag taken off at the next check, until it is off or the copy is gone from there.
    /// </summary>
    /// <remarks>
    /// A failed Save leaves the copy's tag off in Outlook's memory and whole in the store: the tag persists only through a
    /// Save (FACTS §2.8). Every read of the copy in this Outlook then finds no request id, so neither its saves nor a
    /// listing bring it back here, while the next Outlook reads the whole tag again. By then the
    /// original may have moved or been deleted (a new EntryID, FACTS §2.2): the copy, judged again, took the meeting, with
    /// the times it was copied with, and the original's later edits reached Zoom from neither, or from both in turn.
    /// </remarks>
    private void ReleaseCopy(OmObject item, MeetingTag tag, ItemAddress address)
    {
        try
        {
            MeetingTags.Remove(item);
            item.Call("Save");
        }
        catch (COMException e)
        {
            _log.Write("info", "A copy's tag could not be taken off now (" + MainThread.Redacted(e) + "); trying again later.");
            Later(() => ReleaseCopyAgain(tag, address));
            return;
        }

        _copies.Remove(address.EntryId);
        LookForOriginal(tag, address);
    }

    /// <summary>A copy whose tag Outlook did not let the add-in take off: opened again where it was, whatever its tag reads now.</summary>
    private void ReleaseCopyAgain(MeetingTag tag, ItemAddress address)
    {
        try
        {
            using OmObject? session = _session();
            using OmObject? item = session is null ? null : address.Open(session);
            if (item is null)
            {
                Later(() => ReleaseCopyAgain(tag, address));
                return;
            }

            ReleaseCopy(item, tag, address);
        }
        catch (COMException e) when (OutlookErrors.IsNotFound(e))
        {
            // Moved or deleted since (a new EntryID, FACTS §2.2): where it arrives, the tag it stored is judged afresh.
            _copies.Remove(address.EntryId);
        }
        catch (COMException)
        {
            Later(() => ReleaseCopyAgain(tag, address));
        }
    }

    /// <summary>
    /// After a copy's tag came off: while the copy still carried it, the removal check, which finds an item by its
    /// request id, may have taken the copy for the original moved, and the deletion of the original found a live item
    /// with its meeting. The meeting is then followed from where the original was, so that the next check finds where it
    /// is now (a calendar, Deleted Items, nowhere) and decides as for any tracked item that left.
    /// </summary>
    private void LookForOriginal(MeetingTag tag, ItemAddress copy)
    {
        if (tag.MeetingId.Length == 0 || _cancelled.Contains(tag.MeetingId)
            || (_tracked.TryGetValue(tag.RequestId, out Tracked? tracked) && tracked.Address.EntryId != copy.EntryId))
        {
            return;
        }

        _tracked[tag.RequestId] = new Tracked(tag, new ItemAddress(tag.OwnerEntryId, tag.OwnerStoreId), _storesLeft);
        Removed();
    }

    /// <summary>
    /// Whether the item at this address carries <paramref name="tag"/>'s meeting: its request id, or the request id a
    /// restored appointment's new meeting is made under in place of the tag's cancelled one (<see cref="RecreateAsync"/>).
    /// A copy made while that new meeting was being made carries the old tag, and is judged perhaps only after the new
    /// meeting went into the original (soak seed 8011): the original is still there. False when the address answers
    /// MAPI_E_NOT_FOUND.
    /// </summary>
    /// <exception cref="COMException">Outlook could not tell now.</exception>
    private static bool Carries(OmObject session, ItemAddress at, MeetingTag tag)
    {
        try
        {
            using OmObject? found = at.Open(session);
            string? carried = found is null ? null : MeetingTags.Read(found)?.RequestId;
            return carried is not null
                && (carried == tag.RequestId || (tag.MeetingId.Length > 0 && carried == DerivedRequestId(tag.RequestId, tag.MeetingId)));
        }
        catch (COMException e) when (OutlookErrors.IsNotFound(e))
        {
            return false;
        }
    }

    /// <summary>A meeting the agent made whose window closed before it could be written into the item.</summary>
    private sealed class Unapplied
    {
        public Unapplied(MeetingTag tag, MeetingReply reply, SyncedFields sent)
        {
            Tag = tag;
            Reply = reply;
            Sent = sent;
        }

        public MeetingTag Tag { get; }

        public MeetingReply Reply { get; }

        public SyncedFields Sent { get; }

        /// <summary>The tag of the meeting as made, for cancelling it when it cannot be linked from any item.</summary>
        public MeetingTag MadeTag => new() { RequestId = Tag.RequestId, MeetingId = Reply.MeetingId, Provider = Reply.Provider };
    }

    /// <summary>Where a tagged item was last seen, under its tag's request id.</summary>
    private sealed class Tracked
    {
        public Tracked(MeetingTag tag, ItemAddress address, int storesLeft)
        {
            Tag = tag;
            Address = address;
            StoresLeft = storesLeft;
        }

        public MeetingTag Tag { get; }

        public ItemAddress Address { get; }

        /// <summary>How many times a store had left the profile when the item was last seen at <see cref="Address"/>.</summary>
        public int StoresLeft { get; set; }
    }

    private sealed class Prepared
    {
        public Prepared(string key, MeetingTag tag, SyncedFields sent, ScheduleMeetingRequest request)
        {
            Key = key;
            Tag = tag;
            Sent = sent;
            Request = request;
        }

        public string Key { get; }

        public MeetingTag Tag { get; }

        public SyncedFields Sent { get; }

        public ScheduleMeetingRequest Request { get; }
    }

    private static MeetingBlockContent BlockOf(MeetingReply reply) => new()
    {
        Provider = reply.Provider,
        JoinUrl = reply.JoinUrl,
        MeetingId = reply.MeetingId,
        Passcode = reply.Passcode,
        DialIn = reply.DialIn,
        Note = reply.Note,
        InvitationText = reply.InvitationText,
    };

    /// <summary>
    /// The key a user's action on an item is busy under: its EntryID; an item never saved has none, nor (in the worst
    /// case, FACTS §10) a GlobalAppointmentID, so it is known by its object (one per COM object in a thread). Keyed by
    /// its start, or by an empty id, two new appointments shared one key, and Add on the second did nothing.
    /// </summary>
    private static string KeyOf(OmObject item, AppointmentData data) =>
        data.EntryId.Length > 0 ? data.EntryId : "unsaved:" + UnsavedKeys.GetValue(item.Target, _ => Guid.NewGuid().ToString("N"));

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, string> UnsavedKeys = new();

    private static ScheduleMeetingRequest ScheduleRequestFor(AppointmentData data, MeetingTag tag, MeetingOptions? options) => new()
    {
        RequestId = tag.RequestId,
        AppointmentId = data.GlobalId ?? data.EntryId,
        Provider = string.IsNullOrEmpty(tag.Provider) ? null : tag.Provider,
        Topic = data.Subject,
        Start = new DateTimeOffset(DateTime.SpecifyKind(data.StartUtc, DateTimeKind.Utc)),
        DurationMinutes = DurationOf(data),
        TimeZoneId = data.TimeZoneId,
        Recurrence = data.Recurrence is null ? null : SyncRules.ToProtocol(data.Recurrence),
        ScheduleFor = tag.ScheduleFor,
        Options = options,
    };

    private static int DurationOf(AppointmentData data) => Math.Max(1, (int)Math.Round((data.EndUtc - data.StartUtc).TotalMinutes));

    /// <summary>An item open in an inspector is the user's to save; a closed one is saved here so nothing is lost.</summary>
    private static void SaveIfClosed(OmObject item, OmObject? inspector)
    {
        if (inspector is null)
        {
            item.Call("Save");
        }
    }

    private Task<T> OffMainThread<T>(Func<Task<T>> request) => _agent.HandToPool(request);

    /// <summary>
    /// Counts a piece of work that leaves Outlook's thread (<see cref="InFlight"/>) from its start to its very end, its
    /// last step back on Outlook's thread included. Counting only the request let the count reach zero on the pool thread
    /// before the answer's step was posted to Outlook's thread: for that moment the add-in looked idle with work still to
    /// do, and a busy machine stretched the moment until the lifecycle soak judged in it (CI, soak seed 106).
    /// </summary>
    private WorkUnderWay Underway()
    {
        Interlocked.Increment(ref _inFlight);
        return new WorkUnderWay(this);
    }

    private readonly struct WorkUnderWay : IDisposable
    {
        private readonly MeetingSync _owner;

        public WorkUnderWay(MeetingSync owner) => _owner = owner;

        public void Dispose() => Interlocked.Decrement(ref _owner._inFlight);
    }
}
