using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using ClientBridge.Protocol;
using OutlookPlugin.Core.ObjectModel;
using OutlookPlugin.Core.Rules;

namespace OutlookPlugin.Core.Addin;

/// <summary>
/// Hands the agent the user's calendar: a full snapshot when the bridge connects, at every sign-in and every
/// refresh interval; a delta when a single appointment changes; a (debounced) snapshot when a series changes or
/// something is removed, since Outlook's ItemRemove does not say what went. Reading happens on the main thread,
/// sending off it; each item is sanitised before it leaves (nothing of the body but a join link).
/// </summary>
public sealed class CalendarFeed : IDisposable
{
    private readonly MainThread _main;
    private readonly AgentRequests _agent;
    private readonly IAddinLog _log;
    private readonly AddinSettings _settings;
    private readonly CalendarReader _reader;
    private readonly Func<IReadOnlyList<OmObject>> _calendars;
    private readonly Action<ItemAddress, MeetingTag> _track;
    private readonly Func<DateTime> _nowLocal;
    private readonly Func<OmObject?> _session;
    private readonly IAddinTimer _snapshotSoon;
    private readonly IAddinTimer _deltaSoon;
    // Changed items by EntryID, with their store: items of shared calendars open only with it (FACTS §2.1).
    private readonly Dictionary<string, ItemAddress> _changed = new(StringComparer.Ordinal);

    /// <summary>Series saved since the last delta: their master's address and subject (what their occurrences are found by).</summary>
    private readonly Dictionary<string, (ItemAddress Address, string Subject)> _changedSeries = new(StringComparer.Ordinal);

    /// <summary>The occurrence ids sent for each series (by its EntryID), as the agent holds them.</summary>
    private readonly Dictionary<string, HashSet<string>> _seriesIds = new(StringComparer.Ordinal);

    // Each calendar's last good read, by the folder the add-in holds (its StoreID and EntryID may fail with the rest of
    // it): a calendar Outlook cannot read now is sent as it was.
    private readonly Dictionary<object, List<CalendarEntry>> _lastRead = new(SameObject.Instance);
    private int _failedRounds;
    private SnapshotRead? _reading;
    private bool _readAgain;
    private int _sending;

    public CalendarFeed(
        MainThread main,
        AgentRequests agent,
        IAddinLog log,
        AddinSettings settings,
        CalendarReader reader,
        Func<IReadOnlyList<OmObject>> calendars,
        Action<ItemAddress, MeetingTag> track,
        Func<DateTime> nowLocal,
        Func<OmObject?> session)
    {
        _session = session;
        _main = main;
        _agent = agent;
        _log = log;
        _settings = settings;
        _reader = reader;
        _calendars = calendars;
        _track = track;
        _nowLocal = nowLocal;
        _snapshotSoon = settings.Clock.CreateTimer(() => _main.Post(SendSnapshot, _log), _log);
        _deltaSoon = settings.Clock.CreateTimer(() => _main.Post(SendDelta, _log), _log);
    }

    /// <summary>
    /// The window ahead: the agent's (its settings file, or a policy that locks it), else the add-in's default.
    /// Kept to 1–365 days whatever an agent says.
    /// </summary>
    public int DaysAhead => _agent.Client.Agent?.CalendarDaysAhead is int days and >= 1 and <= 365 ? days : _settings.DaysAhead;

    /// <summary>Snapshots sent (for the tests and the log).</summary>
    public int SnapshotsSent { get; private set; }

    /// <summary>Asks for a snapshot after the debounce delay, merging a burst of changes into one read.</summary>
    public void SnapshotSoon() => _snapshotSoon.Change(_settings.Debounce, Timeout.InfiniteTimeSpan);

    /// <summary>
    /// The most items in one frame. A snapshot larger than this goes as a snapshot of the first part followed by
    /// deltas, so that a crowded calendar never breaks the 4 MiB frame cap (about 450 bytes an item).
    /// </summary>
    public const int ItemsPerFrame = 2000;

    /// <summary>
    /// How far ahead a refresh reads bodies for join links: a meeting's link matters when it is about to start, and the
    /// refresh every 30 minutes reads each item's body as it comes into this horizon (issue 13, point 2).
    /// </summary>
    public static readonly TimeSpan BodiesAhead = TimeSpan.FromHours(48);

    /// <summary>How soon a snapshot that Outlook failed to read is tried again.</summary>
    private static readonly TimeSpan ReadAgainAfter = TimeSpan.FromSeconds(10);

    /// <summary>The longest wait before a calendar that keeps failing is read again (the waits double up to it).</summary>
    private static readonly TimeSpan ReadAgainAtMost = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The longest a slice of a snapshot's read holds Outlook's thread before it gives the thread back and goes on in a
    /// posted slice. One step (a row, an occurrence, an item opened for its body) cannot be cut, so a slice stops well
    /// under the 50 ms that the user would feel (issue 13, point 2).
    /// </summary>
    public static readonly TimeSpan SliceBudget = TimeSpan.FromMilliseconds(10);

    /// <summary>True while a snapshot is being read in slices.</summary>
    public bool Reading => _reading is not null;

    /// <summary>
    /// Reads the window on the main thread, in slices of at most <see cref="SliceBudget"/> between which Outlook's thread
    /// is free, then sanitises and sends it (off it). A snapshot asked for while one is read is read once more after it.
    /// </summary>
    public void SendSnapshot()
    {
        if (_agent.Client.State != ClientBridge.Protocol.Client.BridgeConnectionState.Connected)
        {
            return;
        }

        if (_reading is not null)
        {
            _readAgain = true;
            return;
        }

        (DateTime from, DateTime to, DateTime bodiesBeforeUtc) = Window();
        _reading = new SnapshotRead(from, to, bodiesBeforeUtc, _calendars());
        ContinueReading();
    }

    private void ContinueReading()
    {
        SnapshotRead? read = _reading;
        if (read is null)
        {
            return;
        }

        var slice = Stopwatch.StartNew();
        while (slice.Elapsed < SliceBudget)
        {
            if (!Step(read))
            {
                _reading = null;
                FinishSnapshot(read);
                if (_readAgain)
                {
                    _readAgain = false;
                    SnapshotSoon();
                }

                return;
            }
        }

        _main.Post(ContinueReading, _log);
    }

    /// <summary>One step of the read: a row or an item of the current calendar, or the move to the next calendar.</summary>
    private bool Step(SnapshotRead read)
    {
        while (true)
        {
            if (read.Steps is null)
            {
                if (read.Next >= read.Calendars.Count)
                {
                    return false;
                }

                OmObject calendar = read.Calendars[read.Next++];
                read.Seen.Add(calendar);
                read.Current = new List<CalendarEntry>();
                try
                {
                    read.StoreId = calendar.Get("StoreID") as string ?? string.Empty;
                    read.Steps = _reader.ReadInSteps(calendar, read.From, read.To, read.BodiesBeforeUtc, read.Current).GetEnumerator();
                }
                catch (Exception e) when (e is COMException or OutlookDataException)
                {
                    CalendarFailed(read, calendar, e);
                    continue;
                }
            }

            OmObject current = read.Calendars[read.Next - 1];
            try
            {
                if (read.Steps.MoveNext())
                {
                    return true;
                }
            }
            catch (Exception e) when (e is COMException or OutlookDataException)
            {
                read.Steps.Dispose();
                read.Steps = null;
                CalendarFailed(read, current, e);
                continue;
            }

            read.Steps.Dispose();
            read.Steps = null;
            TrackTagged(read.Current, read.StoreId);
            _lastRead[current] = read.Current;
            read.Entries.AddRange(read.Current);
            return true;
        }
    }

    /// <summary>
    /// One calendar's error never stops the others (a shared calendar whose owner withdrew the permission fails every
    /// read): it goes as it was last read, or not at all if it never was, and is read again later.
    /// </summary>
    private void CalendarFailed(SnapshotRead read, OmObject calendar, Exception e)
    {
        read.Failed++;
        _log.Write("warning", "A calendar could not be read now (" + MainThread.Redacted(e) + "); it is sent as it was last read and read again later.");
        if (_lastRead.TryGetValue(calendar, out List<CalendarEntry>? before))
        {
            read.Entries.AddRange(before);
        }
    }

    private void FinishSnapshot(SnapshotRead read)
    {
        List<CalendarEntry> entries = read.Entries;
        HashSet<object> seen = read.Seen;
        int failed = read.Failed;
        foreach (object gone in _lastRead.Keys.Where(k => !seen.Contains(k)).ToList())
        {
            _lastRead.Remove(gone);
        }

        _seriesIds.Clear();
        foreach (CalendarEntry entry in entries.Where(e => e.Data.RecurrenceState is OutlookIds.RecurrenceOccurrence or OutlookIds.RecurrenceException))
        {
            if (!_seriesIds.TryGetValue(entry.Data.EntryId, out HashSet<string>? ids))
            {
                ids = new HashSet<string>(StringComparer.Ordinal);
                _seriesIds[entry.Data.EntryId] = ids;
            }

            ids.Add(entry.Id);
        }

        if (failed == 0)
        {
            _failedRounds = 0;
        }
        else
        {
            ReadFailedAgain();
            if (failed == seen.Count)
            {
                // Online mode with the server away, a busy store: nothing new to send.
                return;
            }
        }

        SnapshotsSent++;
        DateTimeOffset windowStart = read.From.ToUniversalTime();
        DateTimeOffset windowEnd = read.To.ToUniversalTime();
        _ = SendAsync(async () =>
        {
            // Sanitising makes no object-model call, so it runs here rather than holding up Outlook.
            var items = new List<CalendarItem>(entries.Count);
            foreach (CalendarEntry entry in entries)
            {
                items.Add(CalendarSanitizer.ToCalendarItem(entry.Data, entry.Id));
            }

            var snapshot = new CalendarSnapshot { WindowStart = windowStart, WindowEnd = windowEnd };
            snapshot.Items.AddRange(items.Take(ItemsPerFrame));
            CalendarAck ack = await _agent.SnapshotAsync(snapshot).ConfigureAwait(false);
            for (int offset = ItemsPerFrame; offset < items.Count; offset += ItemsPerFrame)
            {
                var rest = new CalendarDelta();
                rest.Upserted.AddRange(items.Skip(offset).Take(ItemsPerFrame));
                ack = await _agent.DeltaAsync(rest).ConfigureAwait(false);
            }

            return ack;
        });
    }

    /// <summary>
    /// A single appointment was added or saved: it goes as a delta once the burst of change events for that save is
    /// over (Outlook raises ItemChange more than once per save), together with any others changed meanwhile.
    /// </summary>
    public void ItemChanged(OmObject item)
    {
        // A snapshot being read may have read this item before the change, and would overwrite the delta with it.
        _readAgain |= _reading is not null;
        if (item.Get<bool>("IsRecurring"))
        {
            // One series saved (dismissing a reminder writes its master): its occurrences go as a delta.
            ItemAddress series = ItemAddress.Of(item);
            if (series.EntryId.Length == 0)
            {
                SnapshotSoon();
                return;
            }

            _changedSeries[series.EntryId] = (series, item.GetString("Subject"));
            _deltaSoon.Change(_settings.Debounce, Timeout.InfiniteTimeSpan);
            return;
        }

        ItemAddress address = ItemAddress.Of(item);
        if (address.EntryId.Length > 0 && !_changed.ContainsKey(address.EntryId))
        {
            _changed[address.EntryId] = address;
            _deltaSoon.Change(_settings.Debounce, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Reads the changed appointments again (main thread) and sends them as one delta (off it).</summary>
    private void SendDelta()
    {
        if (_changed.Count == 0 && _changedSeries.Count == 0)
        {
            return;
        }

        DateTime now = _nowLocal().ToUniversalTime();
        var delta = new CalendarDelta();
        var changed = new List<ItemAddress>(_changed.Values);
        _changed.Clear();
        var changedSeries = new List<(ItemAddress Address, string Subject)>(_changedSeries.Values);
        _changedSeries.Clear();
        OmObject? session;
        try
        {
            session = _session();
        }
        catch (COMException e)
        {
            ReadAgain(e);
            return;
        }

        using OmObject? sessionToRelease = session;
        foreach (ItemAddress address in changed)
        {
            string entryId = address.EntryId;
            AppointmentData data;
            try
            {
                using OmObject? item = session is null ? null : address.Open(session);
                if (item is null)
                {
                    continue;
                }

                data = AppointmentReader.Read(item, withBody: false, withPattern: false, withZone: false, _reader.ProtectedReads);
                if (_reader.ProtectedReads && CalendarReader.NeedsBody(data))
                {
                    data.Body = item.Get("Body") as string;
                }
            }
            catch (COMException e) when (OutlookErrors.IsNotFound(e))
            {
                // Gone since it changed: the snapshot that its ItemRemove asked for takes it out.
                continue;
            }
            catch (Exception e) when (e is COMException or OutlookDataException)
            {
                ReadAgain(e);
                return;
            }

            if (data.EndUtc < now.AddHours(-1) || data.StartUtc > now.AddDays(DaysAhead))
            {
                delta.RemovedIds.Add(entryId);
            }
            else
            {
                delta.Upserted.Add(CalendarSanitizer.ToCalendarItem(data, entryId));
            }
        }

        foreach ((ItemAddress address, string subject) in changedSeries)
        {
            if (!AddSeries(session, address, subject, delta))
            {
                // Its occurrences could not all be told (one moved away under another subject, a read failed): the
                // whole window is read again instead, so nothing is taken out of the tray on doubt.
                SnapshotSoon();
            }
        }

        if (delta.Upserted.Count + delta.RemovedIds.Count > 0)
        {
            DeltasSent++;
            _ = SendAsync(() => _agent.DeltaAsync(delta));
        }
    }

    /// <summary>
    /// A saved series' occurrences in the window, read from its calendar, into <paramref name="delta"/>. False when they
    /// cannot be read, or when an occurrence sent before is not among them: only a snapshot may take one out.
    /// </summary>
    private bool AddSeries(OmObject? session, ItemAddress address, string subject, CalendarDelta delta)
    {
        List<CalendarEntry> entries;
        try
        {
            using OmObject? master = session is null ? null : address.Open(session);
            using OmObject? folder = master?.GetObject("Parent");
            if (folder is null)
            {
                return false;
            }

            (DateTime from, DateTime to, DateTime bodiesBeforeUtc) = Window();
            entries = _reader.ReadSeries(folder, from, to, subject, address.EntryId, bodiesBeforeUtc);
        }
        catch (Exception e) when (e is COMException or OutlookDataException)
        {
            _log.Write("warning", "A changed series could not be read now (" + MainThread.Redacted(e) + "); the calendar is read again.");
            return false;
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (CalendarEntry entry in entries)
        {
            ids.Add(entry.Id);
        }

        if (_seriesIds.TryGetValue(address.EntryId, out HashSet<string>? before) && !before.IsSubsetOf(ids))
        {
            return false;
        }

        TrackTagged(entries, address.StoreId);
        foreach (CalendarEntry entry in entries)
        {
            delta.Upserted.Add(CalendarSanitizer.ToCalendarItem(entry.Data, entry.Id));
        }

        _seriesIds[address.EntryId] = ids;
        return true;
    }

    /// <summary>The window a read covers, local: from an hour ago to the days ahead; and the horizon for bodies, UTC.</summary>
    private (DateTime From, DateTime To, DateTime BodiesBeforeUtc) Window()
    {
        DateTime now = _nowLocal();
        return (now.AddHours(-1), now.AddDays(DaysAhead), now.ToUniversalTime() + BodiesAhead);
    }

    /// <summary>Every tagged appointment a read saw is followed, whether a whole read or one series' saw it.</summary>
    private void TrackTagged(List<CalendarEntry> entries, string storeId)
    {
        foreach (CalendarEntry entry in entries)
        {
            if (entry.Data.Tag is { } tag)
            {
                _track(new ItemAddress(entry.Data.EntryId, storeId), tag);
            }
        }
    }

    /// <summary>The window is read again after a wait that doubles with each round that failed, from 10 s up to 5 minutes.</summary>
    private void ReadFailedAgain()
    {
        double seconds = Math.Min(ReadAgainAfter.TotalSeconds * Math.Pow(2, Math.Min(_failedRounds, 10)), ReadAgainAtMost.TotalSeconds);
        _failedRounds++;
        _snapshotSoon.Change(TimeSpan.FromSeconds(seconds), Timeout.InfiniteTimeSpan);
    }

    /// <summary>Outlook failed while the changes were read: the whole window is read again shortly, so that none is lost.</summary>
    private void ReadAgain(Exception e)
    {
        _log.Write("warning", "Changed appointments could not be read now (" + MainThread.Redacted(e) + "); the calendar is read again shortly.");
        _snapshotSoon.Change(ReadAgainAfter, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Deltas sent (for the tests).</summary>
    public int DeltasSent { get; private set; }

    public void Dispose()
    {
        _snapshotSoon.Dispose();
        _deltaSoon.Dispose();

        // A read in slices holds a Table or Items and an item between slices: released with the feed.
        _reading?.Steps?.Dispose();
        _reading = null;
    }

    /// <summary>A snapshot being read in slices: where it is, and what it has read so far.</summary>
    private sealed class SnapshotRead
    {
        public SnapshotRead(DateTime from, DateTime to, DateTime bodiesBeforeUtc, IReadOnlyList<OmObject> calendars)
        {
            From = from;
            To = to;
            BodiesBeforeUtc = bodiesBeforeUtc;
            Calendars = calendars;
        }

        public DateTime From { get; }

        public DateTime To { get; }

        public DateTime BodiesBeforeUtc { get; }

        public IReadOnlyList<OmObject> Calendars { get; }

        public int Next { get; set; }

        public IEnumerator<bool>? Steps { get; set; }

        public List<CalendarEntry> Current { get; set; } = new();

        public string StoreId { get; set; } = string.Empty;

        public List<CalendarEntry> Entries { get; } = new();

        public HashSet<object> Seen { get; } = new(SameObject.Instance);

        public int Failed { get; set; }
    }

    private async Task SendAsync(Func<Task<CalendarAck>> send)
    {
        Interlocked.Increment(ref _sending);
        try
        {
            await Task.Run(send).ConfigureAwait(false);
        }
        catch (BridgeException e)
        {
            // The next connect sends a full snapshot, so nothing is lost for good.
            _log.Write("info", "The calendar could not be sent (" + e.Code + ").");
        }
        finally
        {
            Interlocked.Decrement(ref _sending);
        }
    }

    public int Sending => Volatile.Read(ref _sending);
}
