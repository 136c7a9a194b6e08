using System;
using System.Threading;

namespace ClientBridge.Calendar;

/// <summary>
/// Wakes a service that looks at the calendar for the present moment (the upcoming view, the reminders): after
/// every calendar change, and on one timer at the moment the service says its answer next goes stale, never later
/// than a safety-net interval (a clock that jumped: sleep, a time change). Quiet until started.
/// </summary>
public sealed class CalendarWakeup : IDisposable
{
    /// <summary>Woken a little after the moment, so that the service sees it passed even on a coarse clock.</summary>
    private static readonly TimeSpan Margin = TimeSpan.FromMilliseconds(50);

    private readonly CalendarStore _calendar;
    private readonly TimeProvider _time;
    private readonly Action _wake;
    private readonly object _gate = new();
    private ITimer? _timer;
    private bool _started;

    public CalendarWakeup(CalendarStore calendar, TimeProvider time, Action wake)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(wake);
        _calendar = calendar;
        _time = time;
        _wake = wake;
        _calendar.Changed += OnCalendarChanged;
    }

    public void Start()
    {
        lock (_gate)
        {
            _started = true;
        }
    }

    /// <summary>Sets the one timer: after <paramref name="wait"/>, or <paramref name="longest"/> if that is sooner. Nothing before <see cref="Start"/>.</summary>
    public void WakeIn(TimeSpan wait, TimeSpan longest)
    {
        lock (_gate)
        {
            if (!_started)
            {
                return;
            }

            TimeSpan due = (wait > longest ? longest : wait) + Margin;
            if (_timer is null)
            {
                _timer = _time.CreateTimer(_ => _wake(), null, due, Timeout.InfiniteTimeSpan);
            }
            else
            {
                _timer.Change(due, Timeout.InfiniteTimeSpan);
            }
        }
    }

    public void Stop()
    {
        lock (_gate)
        {
            _started = false;
            _timer?.Dispose();
            _timer = null;
        }
    }

    public void Dispose()
    {
        _calendar.Changed -= OnCalendarChanged;
        Stop();
    }

    private void OnCalendarChanged(object? sender, ClientBridge.Protocol.CalendarChanged changed) => _wake();
}
