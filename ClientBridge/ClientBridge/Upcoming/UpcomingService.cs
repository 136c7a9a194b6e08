using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ClientBridge.Calendar;
using ClientBridge.Protocol;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClientBridge.Upcoming;

/// <summary>
/// Keeps the <see cref="UpcomingView"/> current, in memory only: rebuilt after every calendar change and again at
/// the moment it would go stale (a meeting starting or ending, local midnight), on one timer. Where there is no
/// tray (Linux, macOS) it logs the status line and the next meeting when they change: counts, times and the
/// provider's state only; subjects, names and links are calendar content and never reach the log.
/// </summary>
public sealed partial class UpcomingService : IHostedService, IDisposable
{
    /// <summary>How often the status is looked at even when no meeting changes section (a sign-in changes it too).</summary>
    private static readonly TimeSpan StatusCheck = TimeSpan.FromMinutes(1);

    /// <summary>The longest the timer waits when nothing is logged: a safety net against a clock that jumped.</summary>
    private static readonly TimeSpan LongestWait = TimeSpan.FromHours(1);

    private readonly CalendarStore _calendar;
    private readonly Func<IReadOnlyList<ProviderState>> _providers;
    private readonly TimeProvider _time;
    private readonly TimeZoneInfo _zone;
    private readonly ILogger _logger;
    private readonly bool _logChanges;
    private readonly object _gate = new();
    private readonly CalendarWakeup _wakeup;
    private UpcomingView _view = UpcomingView.Empty;
    private string? _lastLogged;

    /// <param name="calendar">The store whose changes rebuild the view.</param>
    /// <param name="providers">The providers' sign-in state, for the status line.</param>
    /// <param name="time">The clock (tests pass a fake one); its <see cref="TimeProvider.LocalTimeZone"/> is the zone unless <paramref name="zone"/> is given.</param>
    /// <param name="zone">The zone labels and local dates are in.</param>
    /// <param name="logger">Where the headless status goes.</param>
    /// <param name="logChanges">Log the status line and next meeting when they change (default: everywhere but Windows, where the tray shows them).</param>
    public UpcomingService(
        CalendarStore calendar,
        Func<IReadOnlyList<ProviderState>> providers,
        TimeProvider? time = null,
        TimeZoneInfo? zone = null,
        ILogger<UpcomingService>? logger = null,
        bool? logChanges = null)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentNullException.ThrowIfNull(providers);
        _calendar = calendar;
        _providers = providers;
        _time = time ?? TimeProvider.System;
        _zone = zone ?? _time.LocalTimeZone;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _logChanges = logChanges ?? !OperatingSystem.IsWindows();
        _wakeup = new CalendarWakeup(calendar, _time, () => Rebuild());
    }

    /// <summary>Raised after each rebuild, outside the lock: the tray redraws its tooltip from it.</summary>
    public event EventHandler<UpcomingView>? Rebuilt;

    /// <summary>The current view; rebuilt first when the clock has passed the moment it went stale.</summary>
    public UpcomingView Current
    {
        get
        {
            UpcomingView view = Volatile.Read(ref _view);
            return _time.GetUtcNow() >= view.ValidUntil ? Rebuild() : view;
        }
    }

    /// <summary>The menu model, the tooltip and the meetings, as <c>upcoming.get</c> answers.</summary>
    public UpcomingReply Menu(bool meetingsOnly = false) => MenuBuilder.Build(Current, _providers(), meetingsOnly, Settings?.Invoke());

    /// <summary>The settings in force, for the menu's Settings entries; null leaves them out.</summary>
    public Func<Settings.EffectiveSettings>? Settings { get; init; }

    /// <summary>Sorts the calendar again for the present moment: one pass over the items.</summary>
    public UpcomingView Rebuild()
    {
        UpcomingView view;
        lock (_gate)
        {
            long revision = _calendar.Revision;
            view = UpcomingBuilder.Build(_calendar.Items(), _time.GetUtcNow(), _zone, revision);
            Volatile.Write(ref _view, view);
            _wakeup.WakeIn(view.ValidUntil - view.Now, _logChanges ? StatusCheck : LongestWait);
        }

        if (_logChanges)
        {
            LogIfChanged(view);
        }

        Rebuilt?.Invoke(this, view);
        return view;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _wakeup.Start();
        Rebuild();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _wakeup.Stop();
        return Task.CompletedTask;
    }

    public void Dispose() => _wakeup.Dispose();

    private void LogIfChanged(UpcomingView view)
    {
        ProviderState? provider = _providers().FirstOrDefault(p => p.IsDefault);
        string next = view.Next.Count == 0
            ? "none"
            : TimeZoneInfo.ConvertTime(view.Next[0].Start, view.Zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        string state = provider is null ? "none" : $"{provider.Provider} {provider.State}";
        int onNow = view.OnNow.Count;
        string key = string.Create(CultureInfo.InvariantCulture, $"{state}|{next}|{view.Next.Count}|{onNow}");
        lock (_gate)
        {
            if (key == _lastLogged)
            {
                return;
            }

            _lastLogged = key;
        }

        Log.Status(_logger, onNow, next, view.Next.Count, view.LaterToday.Count, view.Tomorrow.Count, view.AllDayToday.Count, view.DeclinedHidden, state);
    }

    private static partial class Log
    {
        // Counts, a time and the provider's state: never a subject, a name or a link.
        [LoggerMessage(EventId = 600, Level = LogLevel.Information,
            Message = "Upcoming: {OnNowCount} on now; next at {NextAt} ({NextCount}); {LaterTodayCount} later today, {TomorrowCount} tomorrow, {AllDayCount} all day today, {DeclinedCount} declined hidden; provider {ProviderState}")]
        public static partial void Status(ILogger logger, int onNowCount, string nextAt, int nextCount, int laterTodayCount, int tomorrowCount, int allDayCount, int declinedCount, string providerState);
    }
}
