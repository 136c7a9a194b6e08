using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using OutlookPlugin.Core.Addin;

namespace LifecycleSoak;

/// <summary>
/// The add-in's clock in the soak: time stands still until the history moves it, and then it jumps to the next timer
/// that is due. The add-in's waits (the 400 ms debounce, retries, back-offs of up to five minutes, a fifteen-minute
/// wait for another Outlook) keep their real lengths and their order, and take no time. Work that really runs (a request
/// to the agent, a call on Outlook's thread) is not on this clock: the history moves it only when that work is done,
/// as if the machine were fast (see <see cref="HistoryRun"/>'s settling).
/// </summary>
public sealed class VirtualClock : AddinClock
{
    private readonly object _gate = new();
    private readonly List<VirtualTimer> _armed = new();
    private TimeSpan _now;

    /// <summary>Time since the history began.</summary>
    public TimeSpan Now
    {
        get
        {
            lock (_gate)
            {
                return _now;
            }
        }
    }

    /// <summary>Timers armed to fire once (not the periodic refresh): waits that stand between the add-in and quiet.</summary>
    public int ArmedOnce
    {
        get
        {
            lock (_gate)
            {
                return _armed.FindAll(t => t.Period == Timeout.InfiniteTimeSpan).Count;
            }
        }
    }

    /// <summary>The armed timers, for a history's report: when each is due and whose it is.</summary>
    public string Describe()
    {
        lock (_gate)
        {
            return string.Join(", ", _armed.ConvertAll(t => t.Due.ToString() + (t.Period == Timeout.InfiniteTimeSpan ? "" : " every " + t.Period) + " " + t.Owner));
        }
    }

    protected override IAddinTimer NewTimer(Action guardedCallback) => new VirtualTimer(this, guardedCallback ?? throw new ArgumentNullException(nameof(guardedCallback)));

    public override Task Delay(TimeSpan delay)
    {
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        VirtualTimer? timer = null;
        timer = new VirtualTimer(this, () =>
        {
            timer!.Dispose();
            done.TrySetResult(true);
        });
        timer.Change(delay, Timeout.InfiniteTimeSpan);
        return done.Task;
    }

    /// <summary>
    /// Moves the clock to the earliest timer due no later than <paramref name="until"/> and fires every timer due then;
    /// false, with the clock unmoved, when none is.
    /// </summary>
    public bool AdvanceToNext(TimeSpan until)
    {
        var due = new List<VirtualTimer>();
        lock (_gate)
        {
            VirtualTimer? first = null;
            foreach (VirtualTimer timer in _armed)
            {
                if (first is null || timer.Due < first.Due)
                {
                    first = timer;
                }
            }

            if (first is null || first.Due > until)
            {
                return false;
            }

            if (first.Due > _now)
            {
                _now = first.Due;
            }

            foreach (VirtualTimer timer in _armed.ToArray())
            {
                if (timer.Due <= _now)
                {
                    due.Add(timer);
                    if (timer.Period == Timeout.InfiniteTimeSpan)
                    {
                        _armed.Remove(timer);
                    }
                    else
                    {
                        timer.Due = _now + timer.Period;
                    }
                }
            }
        }

        // Outside the lock: a callback may arm timers (the add-in's own posts do, once they run).
        foreach (VirtualTimer timer in due)
        {
            timer.Fire();
        }

        return true;
    }

    /// <summary>Moves the clock to <paramref name="time"/> when it is later, with no timer due before then: the user's own wait.</summary>
    public void WaitUntil(TimeSpan time)
    {
        while (AdvanceToNext(time))
        {
        }

        lock (_gate)
        {
            if (time > _now)
            {
                _now = time;
            }
        }
    }

    private void Arm(VirtualTimer timer, TimeSpan due, TimeSpan period)
    {
        lock (_gate)
        {
            _armed.Remove(timer);
            if (due == Timeout.InfiniteTimeSpan || timer.Disposed)
            {
                return;
            }

            timer.Due = _now + (due < TimeSpan.Zero ? TimeSpan.Zero : due);
            timer.Period = period <= TimeSpan.Zero ? Timeout.InfiniteTimeSpan : period;
            _armed.Add(timer);
        }
    }

    private void Disarm(VirtualTimer timer)
    {
        lock (_gate)
        {
            timer.Disposed = true;
            _armed.Remove(timer);
        }
    }

    private sealed class VirtualTimer : IAddinTimer
    {
        private readonly VirtualClock _clock;
        private readonly Action _callback;

        public VirtualTimer(VirtualClock clock, Action callback)
        {
            _clock = clock;
            _callback = callback;
        }

        // Guarded by the clock's lock.
        public TimeSpan Due { get; set; }

        public TimeSpan Period { get; set; } = Timeout.InfiniteTimeSpan;

        public bool Disposed { get; set; }

        public void Change(TimeSpan due, TimeSpan period) => _clock.Arm(this, due, period);

        public void Dispose() => _clock.Disarm(this);

        public void Fire() => _callback();

        public string Owner => _callback.Target?.GetType().FullName ?? _callback.Method.Name;
    }
}
