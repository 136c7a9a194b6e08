using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
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
/// The durable memory behind "never twice": request id → provider meeting id, and nothing of the calendar.
/// Every entry is on disk (flushed through the operating system's cache) before the caller hears of the
/// meeting, so a retry after a crash at any point finds it. Append-only lines; a torn last line from a crash is
/// skipped; the file is rewritten atomically when it has grown well past what it holds.
/// </summary>
public sealed class MeetingJournal : IDisposable
{
    public const string FileName = "meetings.journal";

    private static readonly TimeSpan Retention = TimeSpan.FromDays(400);

    private readonly object _gate = new();
    private readonly string _path;
    private readonly Dictionary<string, JournalEntry> _byRequest = new(StringComparer.Ordinal);
    private FileStream _file;
    private int _lines;

    public MeetingJournal(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(directory);
        _path = Path.Combine(directory, FileName);
        SkippedLines = Load();
        _file = Open(_path, FileMode.Append);
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
        byte[] line = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(entry, JournalJsonContext.Default.JournalEntry) + "\n");
        lock (_gate)
        {
            _file.Write(line);
            _file.Flush(flushToDisk: true);
            _byRequest[entry.RequestId] = entry;
            if (++_lines > (2 * _byRequest.Count) + 1000)
            {
                Compact();
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
        }
    }

    private static FileStream Open(string path, FileMode mode)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write, Share = FileShare.Read };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return new FileStream(path, options);
    }

    private int Load()
    {
        if (!File.Exists(_path))
        {
            return 0;
        }

        int skipped = 0;
        DateTimeOffset oldest = DateTimeOffset.UtcNow - Retention;
        foreach (string line in File.ReadLines(_path))
        {
            if (line.Length == 0)
            {
                continue;
            }

            _lines++;
            JournalEntry? entry = null;
            try
            {
                entry = JsonSerializer.Deserialize(line, JournalJsonContext.Default.JournalEntry);
            }
            catch (JsonException)
            {
            }

            if (entry is null || string.IsNullOrEmpty(entry.RequestId) || (entry.State != JournalState.Pending && string.IsNullOrEmpty(entry.MeetingId)))
            {
                skipped++;
                continue;
            }

            if (entry.At >= oldest)
            {
                _byRequest[entry.RequestId] = entry;
            }
        }

        return skipped;
    }

    /// <summary>Rewrites the file with one line per request: to a temporary file, flushed, then moved over the old one.</summary>
    private void Compact()
    {
        string temporary = _path + ".new";
        using (FileStream fresh = Open(temporary, FileMode.Create))
        {
            foreach (JournalEntry entry in _byRequest.Values)
            {
                fresh.Write(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(entry, JournalJsonContext.Default.JournalEntry) + "\n"));
            }

            fresh.Flush(flushToDisk: true);
        }

        _file.Dispose();
        File.Move(temporary, _path, overwrite: true);
        _file = Open(_path, FileMode.Append);
        _lines = _byRequest.Count;
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(JournalEntry))]
internal sealed partial class JournalJsonContext : JsonSerializerContext
{
}
