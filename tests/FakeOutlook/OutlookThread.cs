using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace FakeOutlook;

/// <summary>
/// Outlook's main (UI) thread: a dedicated background thread that runs a message loop and has a
/// <see cref="SynchronizationContext"/> installed, so that code awaiting on it comes back to it, as on Outlook's STA.
/// Exceptions thrown by posted work are collected in <see cref="UnhandledExceptions"/> (never lost, never fatal).
/// </summary>
public sealed class OutlookThread : IDisposable
{
    private readonly BlockingCollection<(SendOrPostCallback Callback, object? State)> _queue = new();
    private readonly Thread _thread;
    private readonly ConcurrentQueue<Exception> _unhandled = new();
    private readonly LoopContext _context;
    private int _disposed;

    public OutlookThread(string name = "Outlook main thread")
    {
        _context = new LoopContext(this);
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    public int ManagedThreadId => _thread.ManagedThreadId;

    /// <summary>True when called on this thread.</summary>
    public bool IsCurrent => Environment.CurrentManagedThreadId == _thread.ManagedThreadId;

    /// <summary>The loop's synchronization context (also SynchronizationContext.Current on the thread).</summary>
    public SynchronizationContext Context => _context;

    /// <summary>Exceptions thrown by work posted with <see cref="Post"/> or by async continuations on this thread.</summary>
    public IReadOnlyList<Exception> UnhandledExceptions => _unhandled.ToArray();

    /// <summary>Queues work; an exception it throws lands in <see cref="UnhandledExceptions"/>.</summary>
    public void Post(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        Enqueue(_ => action(), null);
    }

    public Task InvokeAsync(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return InvokeAsync<bool>(() =>
        {
            action();
            return true;
        });
    }

    /// <summary>Runs the function on the thread; its exception faults the task (and is not also recorded as unhandled).</summary>
    public Task<T> InvokeAsync<T>(Func<T> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Enqueue(_ =>
        {
            try
            {
                done.SetResult(function());
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        }, null);
        return done.Task;
    }

    /// <summary>Starts async work on the thread (its awaits resume on the thread) and completes when it does.</summary>
    public Task RunAsync(Func<Task> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        return InvokeAsync(work).Unwrap();
    }

    /// <summary>Runs synchronously on the thread (inline when already on it) and returns the result.</summary>
    public T Invoke<T>(Func<T> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        if (IsCurrent)
        {
            return function();
        }

        return InvokeAsync(function).GetAwaiter().GetResult();
    }

    public void Invoke(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        Invoke(() =>
        {
            action();
            return true;
        });
    }

    /// <summary>Waits until everything queued so far (including continuations it queues at once) has run.</summary>
    public void Drain()
    {
        if (IsCurrent)
        {
            return;
        }

        for (int i = 0; i < 3; i++)
        {
            Invoke(() => { });
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _queue.CompleteAdding();
        if (!IsCurrent)
        {
            _thread.Join(TimeSpan.FromSeconds(10));
        }

        _queue.Dispose();
    }

    private void Enqueue(SendOrPostCallback callback, object? state)
    {
        try
        {
            _queue.Add((callback, state));
        }
        catch (InvalidOperationException e)
        {
            throw new ObjectDisposedException("The Outlook thread has stopped.", e);
        }
    }

    private long _maxHoldTicks;
    private long _totalHoldTicks;

    /// <summary>The longest single hold of the thread: one posted piece of work, from start to end.</summary>
    public TimeSpan MaxHold => TimeSpan.FromSeconds((double)Interlocked.Read(ref _maxHoldTicks) / System.Diagnostics.Stopwatch.Frequency);

    /// <summary>All the holds together since the last reset.</summary>
    public TimeSpan TotalHold => TimeSpan.FromSeconds((double)Interlocked.Read(ref _totalHoldTicks) / System.Diagnostics.Stopwatch.Frequency);

    public void ResetHolds()
    {
        Interlocked.Exchange(ref _maxHoldTicks, 0);
        Interlocked.Exchange(ref _totalHoldTicks, 0);
    }

    private void Run()
    {
        SynchronizationContext.SetSynchronizationContext(_context);
        foreach ((SendOrPostCallback callback, object? state) in _queue.GetConsumingEnumerable())
        {
            long started = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                callback(state);
            }
#pragma warning disable CA1031 // A message loop must survive whatever posted work throws; it is recorded for tests.
            catch (Exception e)
#pragma warning restore CA1031
            {
                _unhandled.Enqueue(e);
            }

            long held = System.Diagnostics.Stopwatch.GetTimestamp() - started;
            Interlocked.Add(ref _totalHoldTicks, held);
            if (held > Interlocked.Read(ref _maxHoldTicks))
            {
                Interlocked.Exchange(ref _maxHoldTicks, held);
            }
        }
    }

    private sealed class LoopContext : SynchronizationContext
    {
        private readonly OutlookThread _owner;

        public LoopContext(OutlookThread owner) => _owner = owner;

        public override void Post(SendOrPostCallback d, object? state) => _owner.Enqueue(d, state);

        public override void Send(SendOrPostCallback d, object? state)
        {
            if (_owner.IsCurrent)
            {
                d(state);
            }
            else
            {
                _owner.Invoke(() => d(state));
            }
        }

        public override SynchronizationContext CreateCopy() => this;
    }
}
