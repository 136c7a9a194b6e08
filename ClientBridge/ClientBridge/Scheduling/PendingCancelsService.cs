using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using ClientBridge.Protocol;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ClientBridge.Scheduling;

/// <summary>What became of one try at a cancellation kept in the journal.</summary>
public enum CancelOutcome
{
    /// <summary>The provider has it (or had it already): dropped from the journal.</summary>
    Made,

    /// <summary>The provider could not take it now: kept, tried again later.</summary>
    Later,

    /// <summary>Refused for what it asks (the provider no longer knows the series, say): dropped, as asking again would be refused again.</summary>
    Refused,
}

/// <summary>How the agent keeps trying a cancellation the provider could not take (<c>ClientBridge__CancelRetry__FirstDelay</c>, …).</summary>
public sealed class CancelRetryOptions
{
    /// <summary>The wait before the first retry, and after the agent starts before the cancellations it kept are tried.</summary>
    public TimeSpan FirstDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest wait between two tries; the waits double up to it.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long a cancellation is kept trying; past it, it is dropped with a warning in the log.</summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromDays(30);
}

/// <summary>Which failures of a cancellation can pass, so that it is kept and tried again rather than reported as refused.</summary>
public static class PendingCancels
{
    /// <summary>
    /// The provider unreachable, failing, limiting, or the user signed out: each passes, so the cancellation waits. A
    /// refusal for what the request says (<see cref="ErrorCodes.BadRequest"/>) does not. Any other exception (a broken
    /// connection the provider did not turn into a sentence) is a doubt, and a doubt is retried, never dropped.
    /// </summary>
    public static bool CanPass(Exception error) => error switch
    {
        BridgeException { Code: ErrorCodes.Timeout or ErrorCodes.NotAvailable or ErrorCodes.SignedOut or ErrorCodes.Internal } => true,
        BridgeException => false,
        OperationCanceledException or HttpRequestException or System.IO.IOException => true,
        _ => false,
    };

    /// <summary>The wait before try number <paramref name="attempt"/> (1 for the first retry): doubling from the first delay up to the longest.</summary>
    public static TimeSpan Backoff(CancelRetryOptions options, int attempt)
    {
        ArgumentNullException.ThrowIfNull(options);
        double factor = Math.Pow(2, Math.Clamp(attempt - 1, 0, 30));
        double ticks = Math.Min(options.FirstDelay.Ticks * factor, options.MaxDelay.Ticks);
        return TimeSpan.FromTicks((long)Math.Max(ticks, options.FirstDelay.Ticks));
    }
}

/// <summary>
/// Makes the cancellations the provider could not take when they were asked for, from the journal: first
/// <see cref="CancelRetryOptions.FirstDelay"/> after they were queued (or after the agent started, for those an
/// earlier run kept), then at doubling waits. It runs whether Outlook is open or not, so a meeting the user deleted
/// while offline is cancelled once the network is back, not at Outlook's next start. Logs ids of nothing: the
/// provider's name, the outcome, and since when it waited.
/// </summary>
public sealed partial class PendingCancelsService : BackgroundService
{
    private readonly SchedulingService _scheduling;
    private readonly MeetingJournal _journal;
    private readonly CancelRetryOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<PendingCancelsService> _log;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly Dictionary<string, (DateTimeOffset At, int Attempts)> _plans = new(StringComparer.Ordinal);
    private int _allDue;

    public PendingCancelsService(SchedulingService scheduling, MeetingJournal journal, AgentSettings settings, TimeProvider time, ILogger<PendingCancelsService> log)
    {
        ArgumentNullException.ThrowIfNull(scheduling);
        ArgumentNullException.ThrowIfNull(settings);
        _scheduling = scheduling;
        _journal = journal;
        _options = settings.CancelRetry;
        _time = time;
        _log = log;
        _scheduling.CancelQueued += (_, _) => Wake();
        _scheduling.CancelsWorthRetrying += (_, _) => RetryAllNow();
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    /// <summary>Goes through the kept cancellations now (a new one was queued).</summary>
    public void Wake()
    {
        try
        {
            if (_wake.CurrentCount == 0)
            {
                _wake.Release();
            }
        }
        catch (Exception ex) when (ex is SemaphoreFullException or ObjectDisposedException)
        {
        }
    }

    /// <summary>Tries every waiting cancellation at the next turn, whenever each was due (the user signed in meanwhile).</summary>
    public void RetryAllNow()
    {
        Volatile.Write(ref _allDue, 1);
        Wake();
    }

    /// <summary>Tries every cancellation that is due, once; the time the next one is due, or null when none waits.</summary>
    public async Task<DateTimeOffset?> RunDueAsync(CancellationToken cancellationToken = default)
    {
        DateTimeOffset now = _time.GetUtcNow();
        bool allDue = Interlocked.Exchange(ref _allDue, 0) == 1;
        DateTimeOffset? next = null;
        var waiting = new HashSet<string>(StringComparer.Ordinal);
        foreach (PendingCancel cancel in _journal.PendingCancels())
        {
            waiting.Add(cancel.Key);
            if (!_plans.TryGetValue(cancel.Key, out (DateTimeOffset At, int Attempts) plan))
            {
                plan = (now + PendingCancels.Backoff(_options, 1), 0);
                _plans[cancel.Key] = plan;
            }

            if (now - cancel.Since > _options.GiveUpAfter)
            {
                _scheduling.Forget(cancel);
                _plans.Remove(cancel.Key);
                LogGivenUp(cancel.Provider, cancel.Since, plan.Attempts);
                continue;
            }

            if (plan.At > now && !allDue)
            {
                next = next is null || plan.At < next ? plan.At : next;
                continue;
            }

            cancellationToken.ThrowIfCancellationRequested();
            CancelOutcome outcome = await _scheduling.RetryCancelAsync(cancel, cancellationToken).ConfigureAwait(false);
            if (outcome == CancelOutcome.Later)
            {
                int attempts = plan.Attempts + 1;
                plan = (_time.GetUtcNow() + PendingCancels.Backoff(_options, attempts + 1), attempts);
                _plans[cancel.Key] = plan;
                next = next is null || plan.At < next ? plan.At : next;
                LogStillWaiting(cancel.Provider, cancel.Since, attempts);
            }
            else
            {
                _plans.Remove(cancel.Key);
                LogFinished(cancel.Provider, outcome, cancel.Since, plan.Attempts + 1);
            }
        }

        // Made meanwhile by a request of its own: nothing left to plan for it.
        foreach (string key in new List<string>(_plans.Keys))
        {
            if (!waiting.Contains(key))
            {
                _plans.Remove(key);
            }
        }

        return next;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            DateTimeOffset? next;
            try
            {
                next = await RunDueAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Kept on disk; a fault here must not end the retries for the rest of the run.
                LogFault(ex.GetType().Name);
                next = _time.GetUtcNow() + _options.MaxDelay;
            }

            TimeSpan wait = next is { } at ? Clamp(at - _time.GetUtcNow()) : Timeout.InfiniteTimeSpan;
            using var waited = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            try
            {
                Task woken = _wake.WaitAsync(waited.Token);
                await Task.WhenAny(woken, Task.Delay(wait, _time, waited.Token)).ConfigureAwait(false);
            }
            finally
            {
                await waited.CancelAsync().ConfigureAwait(false);
            }
        }
    }

    private static TimeSpan Clamp(TimeSpan wait) => wait < TimeSpan.Zero ? TimeSpan.Zero : wait;

    [LoggerMessage(Level = LogLevel.Information, Message = "A cancellation at {Provider} waiting since {Since:u} is still waiting after {Attempts} retries.")]
    private partial void LogStillWaiting(string provider, DateTimeOffset since, int attempts);

    [LoggerMessage(Level = LogLevel.Information, Message = "A cancellation at {Provider} waiting since {Since:u}: {Outcome} after {Attempts} tries.")]
    private partial void LogFinished(string provider, CancelOutcome outcome, DateTimeOffset since, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A cancellation at {Provider} waiting since {Since:u} was given up after {Attempts} retries: the meeting may still exist there.")]
    private partial void LogGivenUp(string provider, DateTimeOffset since, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Going through the waiting cancellations failed ({Error}); they are kept and tried again later.")]
    private partial void LogFault(string error);
}
