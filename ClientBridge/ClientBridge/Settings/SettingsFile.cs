using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Threading;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClientBridge.Settings;

/// <summary>
/// The user's <c>settings.json</c>: read at start and again whenever it changes (a file watcher, debounced so that
/// an editor's save in several writes is read once), written atomically. A damaged file, a value of the wrong type
/// or out of range is logged by where it is (never what it holds) and the defaults are used: never a crash.
/// </summary>
public sealed partial class SettingsFile : IDisposable
{
    public const string FileName = "settings.json";

    /// <summary>Largest file read: settings are a few hundred bytes; anything bigger is not ours.</summary>
    private const long MaxBytes = 64 * 1024;

    private readonly ILogger _logger;
    private readonly TimeSpan _debounce;
    private readonly object _gate = new();
    private UserSettings _current = new();
    private FileSystemWatcher? _watcher;
    private Timer? _reload;

    public SettingsFile(string directory, ILogger? logger = null, TimeSpan? debounce = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory = directory;
        Path = System.IO.Path.Combine(directory, FileName);
        _logger = logger ?? NullLogger.Instance;
        _debounce = debounce ?? TimeSpan.FromMilliseconds(300);
        Reload();
    }

    public string Directory { get; }

    public string Path { get; }

    /// <summary>The settings as last read (defaults when there is no file or it could not be read).</summary>
    public UserSettings Current => Volatile.Read(ref _current);

    /// <summary>Raised after the file was read again because it changed.</summary>
    public event EventHandler<UserSettings>? Changed;

    /// <summary>Watches the folder for the file being written, replaced or deleted. Idempotent.</summary>
    public void StartWatching()
    {
        lock (_gate)
        {
            if (_watcher is not null)
            {
                return;
            }

            System.IO.Directory.CreateDirectory(Directory);
            _reload = new Timer(_ => ReloadAndRaise(), null, Timeout.Infinite, Timeout.Infinite);
            _watcher = new FileSystemWatcher(Directory, FileName)
            {
                NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
            };
            _watcher.Changed += OnFileEvent;
            _watcher.Created += OnFileEvent;
            _watcher.Deleted += OnFileEvent;
            _watcher.Renamed += OnFileEvent;
            _watcher.EnableRaisingEvents = true;
        }
    }

    /// <summary>Reads the file now; returns what <see cref="Current"/> became.</summary>
    public UserSettings Reload()
    {
        UserSettings read = Read(Path, _logger);
        Volatile.Write(ref _current, read);
        return read;
    }

    /// <summary>Writes the settings to a temporary file, flushed, then moved over the old one: a reader sees the old file or the new, never half.</summary>
    public void Save(UserSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        System.IO.Directory.CreateDirectory(Directory);
        string temporary = Path + ".new";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(file, settings, SettingsJsonContext.Default.UserSettings);
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, Path, overwrite: true);
        Volatile.Write(ref _current, Validate(settings, _logger));
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _watcher?.Dispose();
            _watcher = null;
            _reload?.Dispose();
            _reload = null;
        }
    }

    /// <summary>Reads and checks one settings file; the defaults (an empty <see cref="UserSettings"/>) when it is missing or unreadable.</summary>
    public static UserSettings Read(string path, ILogger? logger = null)
    {
        logger ??= NullLogger.Instance;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                return new UserSettings();
            }

            if (info.Length > MaxBytes)
            {
                Log.TooLarge(logger, path, info.Length);
                return new UserSettings();
            }

            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            UserSettings? read = JsonSerializer.Deserialize(stream, SettingsJsonContext.Default.UserSettings);
            return Validate(read ?? new UserSettings(), logger);
        }
        catch (JsonException ex)
        {
            // The position only: the message may quote what the file holds.
            Log.Damaged(logger, path, ex.Path ?? "$", ex.LineNumber);
            return new UserSettings();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.Unreadable(logger, path, ex.GetType().Name);
            return new UserSettings();
        }
    }

    /// <summary>Drops values outside their range, each with a warning naming the setting.</summary>
    private static UserSettings Validate(UserSettings settings, ILogger logger)
    {
        if (settings.ReminderMinutes is { } minutes && minutes is < Policies.PolicyValues.MinReminderMinutes or > Policies.PolicyValues.MaxReminderMinutes)
        {
            Log.OutOfRange(logger, "reminderMinutes", Policies.PolicyValues.MinReminderMinutes, Policies.PolicyValues.MaxReminderMinutes);
            settings.ReminderMinutes = null;
        }

        if (settings.DaysAhead is { } days && days is < Policies.PolicyValues.MinDaysAhead or > Policies.PolicyValues.MaxDaysAhead)
        {
            Log.OutOfRange(logger, "daysAhead", Policies.PolicyValues.MinDaysAhead, Policies.PolicyValues.MaxDaysAhead);
            settings.DaysAhead = null;
        }

        if (settings.DefaultProvider is { } provider && string.IsNullOrWhiteSpace(provider))
        {
            settings.DefaultProvider = null;
        }

        if (settings.AllowedProviders is { } allowed)
        {
            allowed.RemoveAll(string.IsNullOrWhiteSpace);
            if (allowed.Count == 0)
            {
                Log.OutOfRange(logger, "allowedProviders", 1, int.MaxValue);
                settings.AllowedProviders = null;
            }
        }

        if (settings.Meetings?.AlternativeHosts is List<string> hosts)
        {
            hosts.RemoveAll(string.IsNullOrWhiteSpace);
        }

        return settings;
    }

    private void OnFileEvent(object sender, FileSystemEventArgs e)
    {
        lock (_gate)
        {
            _reload?.Change(_debounce, Timeout.InfiniteTimeSpan);
        }
    }

    private void ReloadAndRaise()
    {
        UserSettings read = Reload();
        Log.Reloaded(_logger, Path);
        Changed?.Invoke(this, read);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 800, Level = LogLevel.Warning, Message = "The settings file {Path} could not be read as settings (at {JsonPath}, line {Line}); the defaults are used until it is fixed.")]
        public static partial void Damaged(ILogger logger, string path, string jsonPath, long? line);

        [LoggerMessage(EventId = 801, Level = LogLevel.Warning, Message = "The settings file {Path} could not be opened ({Error}); the defaults are used.")]
        public static partial void Unreadable(ILogger logger, string path, string error);

        [LoggerMessage(EventId = 802, Level = LogLevel.Warning, Message = "The setting {Name} is outside {Min}..{Max} and is ignored.")]
        public static partial void OutOfRange(ILogger logger, string name, int min, int max);

        [LoggerMessage(EventId = 803, Level = LogLevel.Warning, Message = "The settings file {Path} is {Bytes} bytes, more than settings ever take; the defaults are used.")]
        public static partial void TooLarge(ILogger logger, string path, long bytes);

        [LoggerMessage(EventId = 804, Level = LogLevel.Information, Message = "The settings file {Path} changed and was read again.")]
        public static partial void Reloaded(ILogger logger, string path);
    }
}
