using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OutlookPlugin.Core.Addin;

/// <summary>
/// The stores this Outlook had lately (their <see cref="KnownMeetings.StoreKey"/>, with the day each was last seen), kept
/// in <c>outlook-stores.json</c> beside the followed meetings. A start that misses one of them (a PST closed, another
/// profile) cannot tell an appointment moved into it, unseen, from one deleted for good, and takes nothing for gone
/// (<see cref="MeetingSync"/>). A store not seen for <see cref="Memory"/> is forgotten, so that one removed for good stops
/// holding that judgement back. Keys only: a hash says nothing of a PST's path or a mailbox's name. A file that cannot
/// be read is logged and treated as empty; one that cannot be written is written again at the next change.
/// </summary>
public sealed class RememberedStores
{
    public const string FileName = "outlook-stores.json";

    /// <summary>How long a store not seen is still expected back.</summary>
    public static readonly TimeSpan Memory = TimeSpan.FromDays(30);

    private readonly string? _directory;
    private readonly IAddinLog _log;
    private readonly Func<DateTime> _utcNow;
    private readonly Dictionary<string, DateTime> _lastSeen = new(StringComparer.Ordinal);
    private bool _loaded;

    public RememberedStores(string? directory, IAddinLog log, Func<DateTime>? utcNow = null)
    {
        _directory = directory;
        _log = log;
        _utcNow = utcNow ?? (() => DateTime.UtcNow);
    }

    /// <summary>How many stores seen within <see cref="Memory"/> are not among <paramref name="present"/>.</summary>
    public int Missing(ISet<string> present)
    {
        if (present is null)
        {
            throw new ArgumentNullException(nameof(present));
        }

        Load();
        DateTime oldest = _utcNow().Date - Memory;
        int missing = 0;
        foreach (KeyValuePair<string, DateTime> entry in _lastSeen)
        {
            if (entry.Value >= oldest && !present.Contains(entry.Key))
            {
                missing++;
            }
        }

        return missing;
    }

    /// <summary>Records the stores seen today (empty keys skipped) and forgets those not seen for <see cref="Memory"/>; writes the file when that changed it.</summary>
    public void Note(IEnumerable<string> present)
    {
        if (present is null)
        {
            throw new ArgumentNullException(nameof(present));
        }

        Load();
        DateTime today = _utcNow().Date;
        bool changed = false;
        foreach (string key in present)
        {
            if (key.Length > 0 && (!_lastSeen.TryGetValue(key, out DateTime seen) || seen != today))
            {
                _lastSeen[key] = today;
                changed = true;
            }
        }

        foreach (string key in new List<string>(_lastSeen.Keys))
        {
            if (_lastSeen[key] < today - Memory)
            {
                _lastSeen.Remove(key);
                changed = true;
            }
        }

        if (changed)
        {
            Save();
        }
    }

    /// <summary>Reads the file at first use, not when the add-in starts: Outlook's start waits on nothing of it.</summary>
    private void Load()
    {
        if (_loaded || _directory is null)
        {
            return;
        }

        _loaded = true;

        try
        {
            string path = Path.Combine(_directory, FileName);
            if (!File.Exists(path))
            {
                return;
            }

            foreach (RememberedStore store in JsonSerializer.Deserialize(File.ReadAllText(path), RememberedStoresJson.Default.ListRememberedStore) ?? new List<RememberedStore>())
            {
                if (store.Key.Length > 0)
                {
                    _lastSeen[store.Key] = store.LastSeen.Date;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or NotSupportedException)
        {
            _log.Write("warning", "The list of stores seen lately could not be read (" + e.GetType().Name + "); starting without it.");
        }
    }

    private void Save()
    {
        if (_directory is null)
        {
            return;
        }

        var list = new List<RememberedStore>();
        foreach (KeyValuePair<string, DateTime> entry in _lastSeen)
        {
            list.Add(new RememberedStore { Key = entry.Key, LastSeen = entry.Value });
        }

        try
        {
            KnownMeetings.WriteWhole(_directory, FileName, JsonSerializer.Serialize(list, RememberedStoresJson.Default.ListRememberedStore));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            _log.Write("warning", "The list of stores seen lately could not be written (" + e.GetType().Name + "); it is written again with the next change.");
        }
    }
}

/// <summary>One line of <see cref="RememberedStores"/>' file.</summary>
public sealed class RememberedStore
{
    public string Key { get; set; } = string.Empty;

    public DateTime LastSeen { get; set; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(List<RememberedStore>))]
internal sealed partial class RememberedStoresJson : JsonSerializerContext
{
}
