using System;
using System.Threading;

namespace ClientBridge.Server;

/// <summary>
/// Gives memory back to Windows once a busy spell is over. The agent runs all day beside Outlook, mostly idle;
/// an ordinary collection keeps the heap it grew under load, and only an aggressive one returns it to the system.
/// </summary>
public sealed class IdleMemoryTrimmer
{
    private readonly TimeSpan _quietBeforeTrim;
    private long _activity;
    private long _seenActivity;
    private long _quietSince = Environment.TickCount64;
    private bool _busySinceTrim;

    public IdleMemoryTrimmer(TimeSpan quietBeforeTrim) => _quietBeforeTrim = quietBeforeTrim;

    public int Trims { get; private set; }

    /// <summary>Called by sessions for each batch of requests they read; cheap enough for the hot path.</summary>
    public void NoteActivity() => Interlocked.Increment(ref _activity);

    /// <summary>Called from the server's watchdog tick; trims once after activity has stopped for a while.</summary>
    public void Tick()
    {
        long activity = Interlocked.Read(ref _activity);
        long now = Environment.TickCount64;
        if (activity != _seenActivity)
        {
            _seenActivity = activity;
            _quietSince = now;
            _busySinceTrim = true;
            return;
        }

        if (_busySinceTrim && now - _quietSince >= _quietBeforeTrim.TotalMilliseconds)
        {
            _busySinceTrim = false;
            Trims++;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }
    }
}
