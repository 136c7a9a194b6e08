using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Serialization;

namespace ClientBridge.Scheduling;

/// <summary>One fact the agent must never forget: which meeting a request made, and whether it was cancelled.</summary>
public sealed record JournalEntry(string RequestId, string Provider, string MeetingId, JournalState State, DateTimeOffset At);

public enum JournalState
{
    /// <summary>About to ask the provider; no meeting id yet. Found on a retry, it means the answer may have been lost.</summary>
    Pending,
    Created,
    Cancelled,
}

/// <summary>
/// A cancellation the agent has accepted and not yet made: the provider could not be reached, or said no for a while
/// (signed out, unavailable). Ids and times only, nothing a user wrote. <see cref="Done"/> marks one made or given up.
/// </summary>
public sealed record PendingCancel(string Provider, string MeetingId, DateTimeOffset? Occurrence, DateTimeOffset Since, bool Done = false)
{
    /// <summary>One per meeting, or per occurrence of a series: the same cancellation asked twice is kept once.</summary>
    public string Key => Provider + "\n" + MeetingId + "\n" + Occurrence?.UtcTicks;
}

/// <summary>
/// The durable memory behind "never twice, never lost": request id → provider meeting id, and the cancellations not
/// yet made (<see cref="PendingCancelsFileName"/>, beside it), and nothing of the calendar. Every entry is on disk
/// (flushed through the operating system's cache) before the caller hears of it, so a retry after a crash at any
/// point finds it. Append-only lines; a torn last line from a crash is skipped; each file is rewritten atomically when
/// it has grown well past what it holds.
/// </summary>
public sealed class MeetingJournal : IDisposable
{
    public const string FileName = "meetings.journal";

    /// <summary>The cancellations accepted and not yet made, in a file of their own so that the journal's lines stay one shape.</summary>
    public const string PendingCancelsFileName = "cancels.pending";

    private static readonly TimeSpan Retention = TimeSpan.FromDays(400);

    private readonly object _gate = new();
    private readonly Dictionary<string, JournalEntry> _byRequest = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PendingCancel> _pendingCancels = new(StringComparer.Ordinal);
    private readonly JsonLinesFile<JournalEntry> _file;
    private readonly JsonLinesFile<PendingCancel> _cancelsFile;

    public MeetingJournal(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(directory);
        _file = new JsonLinesFile<JournalEntry>(Path.Combine(directory, FileName), JournalJsonContext.Default.JournalEntry);
        _cancelsFile = new JsonLinesFile<PendingCancel>(Path.Combine(directory, PendingCancelsFileName), JournalJsonContext.Default.PendingCancel);
        SkippedLines = Load();
    }

    /// <summary>Lines that could not be read when the journal was opened (a torn write, a damaged file).</summary>
    public int SkippedLines { get; }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _byRequest.Count;
            }
        }
    }

    public JournalEntry? Find(string requestId)
    {
        lock (_gate)
        {
            return _byRequest.GetValueOrDefault(requestId);
        }
    }

    /// <summary>Writes the entry durably, then makes it visible. Throws when the disk refuses, so that no one is told of a meeting the journal does not hold.</summary>
    public void Record(JournalEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        lock (_gate)
        {
            _file.Append(entry);
            _byRequest[entry.RequestId] = entry;
            if (_file.Lines > (2 * _byRequest.Count) + 1000)
            {
                _file.Rewrite(_byRequest.Values);
            }
        }
    }

    /// <summary>The cancellations accepted and not yet made, oldest first.</summary>
    public IReadOnlyList<PendingCancel> PendingCancels()
    {
        lock (_gate)
        {
            return [.. _pendingCancels.Values.OrderBy(c => c.Since)];
        }
    }

    /// <summary>
    /// Keeps a cancellation durably until <see cref="RecordCancelDone"/>; the same one asked again keeps its first time.
    /// Throws when the disk refuses, so that no caller is told it will be made.
    /// </summary>
    public void RecordCancelPending(PendingCancel cancel)
    {
        ArgumentNullException.ThrowIfNull(cancel);
        lock (_gate)
        {
            if (_pendingCancels.ContainsKey(cancel.Key))
            {
                return;
            }

            PendingCancel kept = cancel with { Done = false };
            _cancelsFile.Append(kept);
            _pendingCancels[kept.Key] = kept;
        }
    }

    /// <summary>Forgets a cancellation made (or given up); a crash before this line is written only makes it once more, harmlessly.</summary>
    public void RecordCancelDone(PendingCancel cancel)
    {
        ArgumentNullException.ThrowIfNull(cancel);
        lock (_gate)
        {
            if (!_pendingCancels.Remove(cancel.Key))
            {
                return;
            }

            _cancelsFile.Append(cancel with { Done = true });
            if (_cancelsFile.Lines > (2 * _pendingCancels.Count) + 100)
            {
                _cancelsFile.Rewrite(_pendingCancels.Values);
            }
        }
    }

    /// <summary>Whether some request already made this meeting, so that a search for a lost one never claims it twice.</summary>
    public bool Owns(string provider, string meetingId)
    {
        lock (_gate)
        {
            foreach (JournalEntry entry in _byRequest.Values)
            {
                if (entry.State != JournalState.Pending && entry.Provider == provider && entry.MeetingId == meetingId)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>Marks every request that made this meeting as cancelled.</summary>
    public void RecordCancelled(string provider, string meetingId)
    {
        List<JournalEntry> made;
        lock (_gate)
        {
            made = [.. _byRequest.Values];
        }

        foreach (JournalEntry entry in made)
        {
            if (entry.Provider == provider && entry.MeetingId == meetingId && entry.State != JournalState.Cancelled)
            {
                Record(entry with { State = JournalState.Cancelled, At = DateTimeOffset.UtcNow });
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _file.Dispose();
            _cancelsFile.Dispose();
        }
    }

    private int Load()
    {
        DateTimeOffset oldest = DateTimeOffset.UtcNow - Retention;
        List<JournalEntry> entries = _file.ReadAll(
            entry => !string.IsNullOrEmpty(entry.RequestId) && (entry.State == JournalState.Pending || !string.IsNullOrEmpty(entry.MeetingId)),
            out int skipped);
        foreach (JournalEntry entry in entries)
        {
            if (entry.At >= oldest)
            {
                _byRequest[entry.RequestId] = entry;
            }
        }

        List<PendingCancel> cancels = _cancelsFile.ReadAll(
            cancel => !string.IsNullOrEmpty(cancel.Provider) && !string.IsNullOrEmpty(cancel.MeetingId),
            out int skippedCancels);
        foreach (PendingCancel cancel in cancels)
        {
            if (cancel.Done)
            {
                _pendingCancels.Remove(cancel.Key);
            }
            else
            {
                _pendingCancels.TryAdd(cancel.Key, cancel);
            }
        }

        return skipped + skippedCancels;
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(JournalEntry))]
[JsonSerializable(typeof(PendingCancel))]
internal sealed partial class JournalJsonContext : JsonSerializerContext
{
}
