using System;
using System.Threading;
using System.Threading.Tasks;

namespace OutlookPlugin.Core.Addin;

/// <summary>
/// Every wait of the add-in goes through this clock: debounces, retries, back-offs, the start's retry, the home
/// Outlook's wait and the periodic refresh. In Outlook it is the machine's clock (<see cref="System"/>). The lifecycle
/// soak gives the add-in a virtual clock instead, so that a history with five-minute back-offs runs in milliseconds
/// while the add-in still waits, in its own time, exactly as it would in Outlook. Our own small type rather than
/// TimeProvider: that would add Microsoft.Bcl.TimeProvider.dll to what loads into Outlook's process.
/// </summary>
public abstract class AddinClock
{
    /// <summary>The machine's clock: <see cref="Timer"/> and <see cref="Task.Delay(TimeSpan)"/>.</summary>
    public static AddinClock System { get; } = new SystemClock();

    /// <summary>
    /// A timer, not armed yet. <paramref name="callback"/> runs on a pool thread each time it fires, guarded: an
    /// exception there (a posting to Outlook's thread after its message loop has gone, at shutdown) would end Outlook's
    /// process, so it is written to <paramref name="log"/> instead.
    /// </summary>
    public IAddinTimer CreateTimer(Action callback, IAddinLog log)
    {
        if (callback is null || log is null)
        {
            throw new ArgumentNullException(callback is null ? nameof(callback) : nameof(log));
        }

        return NewTimer(() => MainThread.Guard(callback, log));
    }

    /// <summary>A timer armed to fire after <paramref name="due"/>, then every <paramref name="period"/> (infinite: once).</summary>
    public IAddinTimer StartTimer(Action callback, TimeSpan due, TimeSpan period, IAddinLog log)
    {
        IAddinTimer timer = CreateTimer(callback, log);
        timer.Change(due, period);
        return timer;
    }

    /// <summary>The clock's own timer; <paramref name="guardedCallback"/> never throws.</summary>
    protected abstract IAddinTimer NewTimer(Action guardedCallback);

    /// <summary>A task that completes after <paramref name="delay"/>, on a pool thread.</summary>
    public abstract Task Delay(TimeSpan delay);

    private sealed class SystemClock : AddinClock
    {
        protected override IAddinTimer NewTimer(Action guardedCallback) => new SystemTimer(new Timer(_ => guardedCallback()));

        public override Task Delay(TimeSpan delay) => Task.Delay(delay);
    }

    private sealed class SystemTimer : IAddinTimer
    {
        private readonly Timer _timer;

        public SystemTimer(Timer timer) => _timer = timer;

        public void Change(TimeSpan due, TimeSpan period) => _timer.Change(due, period);

        public void Dispose() => _timer.Dispose();
    }
}

/// <summary>A timer of an <see cref="AddinClock"/>.</summary>
public interface IAddinTimer : IDisposable
{
    /// <summary>
    /// Arms the timer anew: it fires after <paramref name="due"/>, then every <paramref name="period"/>
    /// (<see cref="Timeout.InfiniteTimeSpan"/>: once). An infinite <paramref name="due"/> disarms it.
    /// </summary>
    void Change(TimeSpan due, TimeSpan period);
}
