using System;
using System.Collections.Generic;
using System.Globalization;
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
    private readonly Dictionary<string, Timer> _debounce = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MeetingTag> _tracked = new(StringComparer.Ordinal);
    private readonly Timer _removedSoon;
    private readonly Func<IReadOnlyList<OmObject>> _calendars;
    private int _inFlight;

    public MeetingSync(
        MainThread main,
        AgentRequests agent,
        IUserInterface user,
        IAddinLog log,
        AddinSettings settings,
        Func<OmObject?> session,
        Action<OmObject> tagged,
        Func<IReadOnlyList<OmObject>> calendars)
    {
        _tagged = tagged;
        _calendars = calendars;
        _main = main;
        _agent = agent;
        _user = user;
        _log = log;
        _settings = settings;
        _session = session;
        _removedSoon = new Timer(_ => _main.Post(CheckRemoved, _log));
    }

    /// <summary>Raised on the main thread when a user's add or remove has finished, so the ribbon can refresh.</summary>
    public event Action? ActionFinished;

    /// <summary>Requests sent and not yet answered; the tests wait for zero.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Whether a request for this item is on its way (the ribbon greys out its buttons meanwhile).</summary>
    public bool IsBusy(string key) => _busy.Contains(key);

    /// <summary>Remembers the tagged items of a calendar read, to notice one that is deleted outright.</summary>
    public void Track(string entryId, MeetingTag tag)
    {
        if (tag.MeetingId.Length > 0 && tag.OwnerEntryId == entryId)
        {
            _tracked[entryId] = tag;
        }
    }

    /// <summary>Adds a meeting to an item the user is looking at. Returns when the agent answered and the item was written.</summary>
    public async Task AddAsync(OmObject item, OmObject? inspector, string? provider, MeetingOptions? options)
    {
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

        try
        {
            MeetingReply reply = await OffMainThread(() => _agent.ScheduleAsync(prepared.Request)).ConfigureAwait(false);
            await _main.InvokeAsync(() => ApplyAdded(item, inspector, prepared.Tag, reply, prepared.Sent)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is BridgeException or COMException or OutlookDataException)
        {
            await _main.InvokeAsync(() => FailedToAdd(item, inspector, prepared.Tag, e)).ConfigureAwait(false);
        }
        finally
        {
            await _main.InvokeAsync(() => Finished(prepared.Key)).ConfigureAwait(false);
        }
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

        string key = KeyOf(data);
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
            tag.Provider = provider ?? tag.Provider;
            tag.ScheduleFor = DelegateOwner.AddressOf(item);
            MeetingTags.Write(item, tag);
            SaveIfClosed(item, inspector);
            var request = new ScheduleMeetingRequest
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
            return new Prepared(key, tag, SyncRules.Capture(data), request);
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
                await OffMainThread(() => _agent.CancelAsync(request)).ConfigureAwait(false);
            }

            await _main.InvokeAsync(() =>
            {
                _cancelled.Add(tag.MeetingId);
                _tracked.Remove(entryId);
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

    /// <summary>An item in a watched calendar was saved (Outlook raises this several times per save): sync once, shortly.</summary>
    public void Changed(OmObject item)
    {
        MeetingTag? tag = MeetingTags.Read(item);
        if (tag is null)
        {
            return;
        }

        string entryId = item.GetString("EntryID");
        if (entryId.Length == 0)
        {
            return;
        }

        if (tag.OwnerEntryId.Length == 0 && tag.MeetingId.Length > 0)
        {
            // A meeting added to an appointment before its first save: the item now has its EntryID and owns it.
            tag.OwnerEntryId = entryId;
            MeetingTags.Write(item, tag);
            item.Call("Save");
            Track(entryId, tag);
        }
        else if (tag.OwnerEntryId.Length > 0 && tag.OwnerEntryId != entryId)
        {
            ClaimOrRelease(item, tag, entryId);
            return;
        }

        if (_debounce.TryGetValue(entryId, out Timer? pending))
        {
            pending.Change(_settings.Debounce, Timeout.InfiniteTimeSpan);
            return;
        }

        _debounce[entryId] = new Timer(_ => _main.Post(() => SyncNow(entryId), _log), null, _settings.Debounce, Timeout.InfiniteTimeSpan);
    }

    /// <summary>A tagged item arrived in Deleted Items, or is about to be deleted: its meeting goes too.</summary>
    public void Deleted(OmObject item)
    {
        MeetingTag? tag = MeetingTags.Read(item);
        if (tag is null || tag.MeetingId.Length == 0 || tag.OwnerEntryId != item.GetString("EntryID"))
        {
            return;
        }

        CancelWholeMeeting(tag, item.GetString("EntryID"));
    }

    /// <summary>
    /// Something left a calendar (Outlook does not say what). Checked once the burst is over, because a move raises
    /// ItemRemove in the old folder before the item arrives in the new one.
    /// </summary>
    public void Removed() => _removedSoon.Change(_settings.Debounce, Timeout.InfiniteTimeSpan);

    /// <summary>
    /// A tracked item that no longer opens by its EntryID was deleted for good, or moved to another store (which
    /// gives it a new EntryID). Only when no watched calendar holds an item with its request id is the meeting
    /// cancelled: moving an appointment must never cost it its meeting.
    /// </summary>
    private void CheckRemoved()
    {
        using OmObject? session = _session();
        if (session is null)
        {
            return;
        }

        foreach (KeyValuePair<string, MeetingTag> entry in new List<KeyValuePair<string, MeetingTag>>(_tracked))
        {
            try
            {
                using OmObject? still = session.CallObject("GetItemFromID", entry.Key, Type.Missing);
                continue;
            }
            catch (COMException)
            {
                // Not where it was.
            }

            if (IsInWatchedCalendar(entry.Value.RequestId))
            {
                // Moved: its arrival in the other calendar (ItemAdd) re-tracked it under its new EntryID.
                _tracked.Remove(entry.Key);
                _log.Write("info", "A tagged appointment moved; its meeting stays with it.");
                continue;
            }

            CancelWholeMeeting(entry.Value, entry.Key);
        }
    }

    /// <summary>Whether a watched calendar holds an item carrying this request id.</summary>
    private bool IsInWatchedCalendar(string requestId)
    {
        // A DASL filter on a string-named property that is no folder field needs its type appended (FACTS §4.1, §5.1).
        string filter = "@SQL=\"" + MeetingTags.RequestId + "/0000001f\" = '" + requestId.Replace("'", "''") + "'";
        foreach (OmObject calendar in _calendars())
        {
            try
            {
                using OmObject? items = calendar.GetObject("Items");
                using OmObject? found = items?.CallObject("Find", filter);
                if (found is not null)
                {
                    return true;
                }
            }
            catch (COMException e)
            {
                _log.Write("warning", "A calendar could not be searched: " + MainThread.Redacted(e));
            }
        }

        return false;
    }

    public void Dispose()
    {
        foreach (Timer timer in _debounce.Values)
        {
            timer.Dispose();
        }

        _debounce.Clear();
        _removedSoon.Dispose();
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
        string entryId = item.GetString("EntryID");
        if (entryId.Length > 0)
        {
            Track(entryId, tag);

            // Edited while the request was out: what was sent is now stale, so bring the meeting up to date.
            SyncNow(entryId);
        }
    }

    private void FailedToAdd(OmObject item, OmObject? inspector, MeetingTag tag, Exception e)
    {
        if (e is BridgeException b && AgentRequests.IsAmbiguous(b))
        {
            // The agent may have made the meeting: the pending tag keeps the request id for the next try.
            _log.Write("warning", "Adding a meeting got no answer; the request id stays on the item for a safe retry.");
        }
        else
        {
            MeetingTags.Remove(item);
            SaveIfClosed(item, inspector);
        }

        _user.ShowError(AgentRequests.Describe(e, "add a video meeting"));
    }

    private void SyncNow(string entryId)
    {
        if (_debounce.TryGetValue(entryId, out Timer? timer))
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
            item = session?.CallObject("GetItemFromID", entryId, Type.Missing);
            if (item is null)
            {
                _busy.Remove(entryId);
                return;
            }

            AppointmentData data = AppointmentReader.Read(item, withBody: false, withPattern: true);
            MeetingTag? tag = data.Tag;
            if (tag is null || tag.MeetingId.Length == 0 || tag.OwnerEntryId != entryId || _cancelled.Contains(tag.MeetingId))
            {
                _busy.Remove(entryId);
                item.Dispose();
                return;
            }

            if (data.MeetingStatus == OutlookIds.MeetingStatusCanceled)
            {
                _busy.Remove(entryId);
                item.Dispose();
                CancelWholeMeeting(tag, entryId);
                return;
            }

            SyncPlan plan = SyncRules.Compare(tag.Synced ?? new SyncedFields(), data);
            if (plan.IsEmpty)
            {
                _busy.Remove(entryId);
                item.Dispose();
                return;
            }

            SyncedFields now = SyncRules.Capture(data);
            OmObject held = item;
            item = null;
            _ = SendPlanAsync(entryId, held, tag, plan, now);
        }
        catch (COMException e)
        {
            _busy.Remove(entryId);
            item?.Dispose();
            _log.Write("warning", "Could not read a changed appointment: " + MainThread.Redacted(e));
        }
    }

    private async Task SendPlanAsync(string entryId, OmObject item, MeetingTag tag, SyncPlan plan, SyncedFields now)
    {
        bool ok = true;
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
            _log.Write("warning", "Updating a meeting failed (" + e.Code + "); the next save tries again.");
        }

        await _main.InvokeAsync(() =>
        {
            try
            {
                if (ok)
                {
                    tag.Synced = now;
                    MeetingTags.Write(item, tag);
                    item.Call("Save");
                }
            }
            catch (COMException e)
            {
                _log.Write("warning", "Could not record the synced state: " + MainThread.Redacted(e));
            }
            finally
            {
                item.Dispose();
                _busy.Remove(entryId);
                if (_dirty.Remove(entryId))
                {
                    SyncNow(entryId);
                }
            }
        }).ConfigureAwait(false);
    }

    private void CancelWholeMeeting(MeetingTag tag, string entryId)
    {
        if (!_cancelled.Add(tag.MeetingId))
        {
            return;
        }

        _tracked.Remove(entryId);
        var request = new CancelMeetingRequest { RequestId = Guid.NewGuid().ToString("N"), MeetingId = tag.MeetingId, Provider = tag.Provider };
        _ = CancelInBackgroundAsync(request);
    }

    private async Task CancelInBackgroundAsync(CancelMeetingRequest request)
    {
        try
        {
            await OffMainThread(() => _agent.CancelAsync(request)).ConfigureAwait(false);
        }
        catch (BridgeException e)
        {
            _log.Write("warning", "Cancelling the meeting of a deleted appointment failed (" + e.Code + ").");
        }
    }

    /// <summary>
    /// A tagged item whose EntryID is not the one the meeting was made for: a copy (the original still exists)
    /// loses the tag so it can never steal the meeting; an item moved from another store takes the meeting along.
    /// </summary>
    private void ClaimOrRelease(OmObject item, MeetingTag tag, string entryId)
    {
        bool originalExists;
        try
        {
            using OmObject? session = _session();
            using OmObject? original = session?.CallObject("GetItemFromID", tag.OwnerEntryId, Type.Missing);
            originalExists = original is not null;
        }
        catch (COMException)
        {
            originalExists = false;
        }

        if (originalExists)
        {
            MeetingTags.Remove(item);
        }
        else
        {
            tag.OwnerEntryId = entryId;
            MeetingTags.Write(item, tag);
            Track(entryId, tag);
        }

        item.Call("Save");
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

    private static string KeyOf(AppointmentData data) =>
        data.EntryId.Length > 0 ? data.EntryId : "unsaved:" + (data.GlobalId ?? data.StartUtc.ToString("o", CultureInfo.InvariantCulture));

    private static int DurationOf(AppointmentData data) => Math.Max(1, (int)Math.Round((data.EndUtc - data.StartUtc).TotalMinutes));

    /// <summary>An item open in an inspector is the user's to save; a closed one is saved here so nothing is lost.</summary>
    private static void SaveIfClosed(OmObject item, OmObject? inspector)
    {
        if (inspector is null)
        {
            item.Call("Save");
        }
    }

    private async Task<T> OffMainThread<T>(Func<Task<T>> request)
    {
        Interlocked.Increment(ref _inFlight);
        try
        {
            return await Task.Run(request).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }
}
