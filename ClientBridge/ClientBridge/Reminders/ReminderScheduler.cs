using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using ClientBridge.Calendar;
using ClientBridge.Protocol;
using ClientBridge.Settings;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClientBridge.Reminders;

/// <summary>One reminder: the meeting it is for and its Join link. Calendar content: shown to the user, never logged.</summary>
public sealed record MeetingReminder(string ItemId, string Subject, DateTimeOffset Start, string JoinUrl, int MinutesBefore);

/// <summary>
/// Reminds N minutes before each meeting that has a join link (N from the effective settings: a policy wins):
/// once per occurrence, keyed by item id and start, so a calendar refresh never repeats one and a moved meeting
/// reminds again at its new time. Quiet for declined, cancelled and all-day items, and for meetings that had
/// already started when the agent (or the reminder) got to them. Platform-neutral: the Windows tray shows
/// <see cref="Due"/> as a notification with Join; elsewhere the reminder is logged without its subject.
/// </summary>
public sealed partial class ReminderScheduler : IHostedService, IDisposable
{
    /// <summary>The longest the timer sleeps: a safety net against a clock that jumped (sleep, a time change).</summary>
    private static readonly TimeSpan LongestWait = TimeSpan.FromMinutes(5);

    /// <summary>How long a reminded occurrence is remembered after it started: past that it can never be due again.</summary>
    private static readonly TimeSpan Remember = TimeSpan.FromDays(1);

    private readonly CalendarStore _calendar;
    private readonly IEffectiveSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly bool _log;
    private readonly object _gate = new();
    private readonly Dictionary<string, DateTimeOffset> _reminded = new(StringComparer.Ordinal);
    private readonly CalendarWakeup _wakeup;

    /// <param name="calendar">The items the upcoming view is built from (in memory only).</param>
    /// <param name="settings">Where N and the on/off switch come from, asked at every check.</param>
    /// <param name="time">The clock; tests pass a fake one and call <see cref="Check"/>.</param>
    /// <param name="logger">Where reminders go where there is no tray.</param>
    /// <param name="logReminders">Log each reminder (default: everywhere but Windows, where the tray shows it).</param>
    public ReminderScheduler(CalendarStore calendar, IEffectiveSettings settings, TimeProvider? time = null, ILogger<ReminderScheduler>? logger = null, bool? logReminders = null)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentNullException.ThrowIfNull(settings);
        _calendar = calendar;
        _settings = settings;
        _time = time ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _log = logReminders ?? !OperatingSystem.IsWindows();
        _wakeup = new CalendarWakeup(calendar, _time, () => Check());
    }

    /// <summary>Raised once per meeting occurrence, on the checking thread, outside the lock.</summary>
    public event EventHandler<MeetingReminder>? Due;

    /// <summary>
    /// Raises every reminder due now and returns them; sets the timer for the next one. Meetings that have started
    /// are never reminded, so the first check after the agent starts says nothing of meetings already under way.
    /// </summary>
    public IReadOnlyList<MeetingReminder> Check()
    {
        var due = new List<MeetingReminder>();
        EffectiveSettings settings = _settings.Current;
        int minutes = settings.ReminderMinutes.Value;
        TimeSpan lead = TimeSpan.FromMinutes(minutes);
        DateTimeOffset now = _time.GetUtcNow();
        DateTimeOffset? nextAt = null;
        lock (_gate)
        {
            Forget(now);
            if (settings.Reminders.Value)
            {
                foreach (CalendarItem item in _calendar.Items())
                {
                    if (!Wanted(item) || item.Start <= now)
                    {
                        continue;
                    }

                    string key = Key(item);
                    if (_reminded.ContainsKey(key))
                    {
                        continue;
                    }

                    DateTimeOffset at = item.Start - lead;
                    if (at <= now)
                    {
                        _reminded[key] = item.Start;
                        due.Add(new MeetingReminder(item.Id, item.Subject, item.Start, item.JoinUrl!, minutes));
                    }
                    else if (nextAt is null || at < nextAt)
                    {
                        nextAt = at;
                    }
                }
            }

            _wakeup.WakeIn(nextAt is { } next ? next - now : LongestWait, LongestWait);
        }

        foreach (MeetingReminder reminder in due)
        {
            if (_log)
            {
                LogReminder(reminder, now);
            }

            Due?.Invoke(this, reminder);
        }

        return due;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _wakeup.Start();
        Check();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _wakeup.Stop();
        return Task.CompletedTask;
    }

    public void Dispose() => _wakeup.Dispose();

    /// <summary>A meeting one can join and will attend: a link, not all day, not cancelled, not declined.</summary>
    private static bool Wanted(CalendarItem item) =>
        !string.IsNullOrWhiteSpace(item.JoinUrl) && !item.IsAllDay && !item.IsCancelled && item.Response != ResponseStatus.Declined;

    /// <summary>One occurrence: the item's id and its start (a recurring item's occurrences share nothing else reliably).</summary>
    private static string Key(CalendarItem item) => item.Id + "\n" + item.Start.UtcTicks.ToString(CultureInfo.InvariantCulture);

    private void Forget(DateTimeOffset now)
    {
        if (_reminded.Count == 0)
        {
            return;
        }

        List<string>? old = null;
        foreach ((string key, DateTimeOffset start) in _reminded)
        {
            if (start + Remember < now)
            {
                (old ??= []).Add(key);
            }
        }

        foreach (string key in old ?? [])
        {
            _reminded.Remove(key);
        }
    }

    private void LogReminder(MeetingReminder reminder, DateTimeOffset now)
    {
        if (!_logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        string startsAt = TimeZoneInfo.ConvertTime(reminder.Start, _time.LocalTimeZone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        int minutes = (int)Math.Ceiling((reminder.Start - now).TotalMinutes);
        Log.Reminder(_logger, startsAt, minutes);
    }

    private static partial class Log
    {
        // A time and a count of minutes: never the subject, the organizer or the link.
        [LoggerMessage(EventId = 620, Level = LogLevel.Information, Message = "Reminder: a meeting with a join link starts at {StartsAt}, in {Minutes} minutes.")]
        public static partial void Reminder(ILogger logger, string startsAt, int minutes);
    }
}
