using System;
using System.Collections.Generic;

namespace ZoomEmulator;

/// <summary>What an injected fault does to an API request.</summary>
public enum FaultKind
{
    /// <summary>429 with Retry-After, alternately in seconds and as an HTTP date.</summary>
    TooManyRequests,
    InternalServerError,
    BadGateway,
    ServiceUnavailable,
    /// <summary>Waits <see cref="FaultInjection.SlowResponseDelay"/> and then answers normally.</summary>
    SlowResponse,
    /// <summary>Aborts the connection before the request is handled: nothing changes.</summary>
    DropConnection,
    /// <summary>Handles the request (a POST creates the meeting) and then aborts the connection: the answer is lost.</summary>
    DropAfterCreate,
}

/// <summary>When a fault strikes relative to handling the request.</summary>
public enum FaultTiming
{
    /// <summary>Nothing is changed on the server.</summary>
    BeforeHandling,
    /// <summary>The request takes effect, then the client gets the fault instead of the answer.</summary>
    AfterHandling,
}

/// <summary>Faults applied to meetings API (/v2) requests. Settable from tests at any time; thread-safe.</summary>
public sealed class FaultInjection
{
    private static readonly FaultKind[] DefaultRandomKinds =
    [
        FaultKind.TooManyRequests, FaultKind.InternalServerError, FaultKind.BadGateway,
        FaultKind.ServiceUnavailable, FaultKind.SlowResponse, FaultKind.DropConnection,
    ];

    private readonly object gate = new();
    private readonly Random random;
    private readonly Queue<(FaultKind Kind, FaultTiming Timing)> planned = new();
    private double failureRate;
    private double afterHandlingProbability = 0.5;
    private FaultKind[] randomKinds = DefaultRandomKinds;
    private TimeSpan slowResponseDelay = TimeSpan.FromSeconds(5);
    private int retryAfterSeconds = 1;
    private int tooManyCount;

    internal FaultInjection(int seed) => random = new Random(seed);

    /// <summary>Share (0..1) of API requests that get a random fault from <see cref="RandomKinds"/>.</summary>
    public double FailureRate
    {
        get { lock (gate) { return failureRate; } }
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 0.0);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 1.0);
            lock (gate) { failureRate = value; }
        }
    }

    /// <summary>For random faults on POST/PATCH/DELETE: the chance (0..1) that the fault strikes after the change was made.</summary>
    public double AfterHandlingProbability
    {
        get { lock (gate) { return afterHandlingProbability; } }
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 0.0);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 1.0);
            lock (gate) { afterHandlingProbability = value; }
        }
    }

    /// <summary>The kinds a random fault is chosen from (uniformly).</summary>
    public IReadOnlyList<FaultKind> RandomKinds
    {
        get { lock (gate) { return randomKinds; } }
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            ArgumentOutOfRangeException.ThrowIfZero(value.Count);
            lock (gate) { randomKinds = [.. value]; }
        }
    }

    /// <summary>How long a slow answer waits; set it longer than the client's timeout under test.</summary>
    public TimeSpan SlowResponseDelay
    {
        get { lock (gate) { return slowResponseDelay; } }
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            lock (gate) { slowResponseDelay = value; }
        }
    }

    /// <summary>The wait a 429 asks for.</summary>
    public int RetryAfterSeconds
    {
        get { lock (gate) { return retryAfterSeconds; } }
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            lock (gate) { retryAfterSeconds = value; }
        }
    }

    /// <summary>Planned faults not yet used.</summary>
    public int PendingCount
    {
        get { lock (gate) { return planned.Count; } }
    }

    /// <summary>The next <paramref name="count"/> API requests get <paramref name="kind"/> (before <see cref="FailureRate"/> is consulted).</summary>
    public void FailNext(int count, FaultKind kind) =>
        FailNext(count, kind, kind == FaultKind.DropAfterCreate ? FaultTiming.AfterHandling : FaultTiming.BeforeHandling);

    /// <summary>As <see cref="FailNext(int, FaultKind)"/>, choosing when the fault strikes.</summary>
    public void FailNext(int count, FaultKind kind, FaultTiming timing)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (kind == FaultKind.DropAfterCreate)
        {
            timing = FaultTiming.AfterHandling;
        }

        lock (gate)
        {
            for (var i = 0; i < count; i++)
            {
                planned.Enqueue((kind, timing));
            }
        }
    }

    /// <summary>No more faults: clears planned ones and sets <see cref="FailureRate"/> to 0.</summary>
    public void Clear()
    {
        lock (gate)
        {
            planned.Clear();
            failureRate = 0;
        }
    }

    internal (FaultKind Kind, FaultTiming Timing)? Next(bool mutating)
    {
        lock (gate)
        {
            if (planned.Count > 0)
            {
                return planned.Dequeue();
            }

            if (failureRate <= 0 || random.NextDouble() >= failureRate)
            {
                return null;
            }

            var kind = randomKinds[random.Next(randomKinds.Length)];
            var after = kind == FaultKind.DropAfterCreate || (mutating && random.NextDouble() < afterHandlingProbability);
            return (kind, after ? FaultTiming.AfterHandling : FaultTiming.BeforeHandling);
        }
    }

    /// <summary>Retry-After value: seconds and HTTP date, alternately.</summary>
    internal string NextRetryAfter(DateTimeOffset now)
    {
        lock (gate)
        {
            tooManyCount++;
            return tooManyCount % 2 == 1
                ? retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)
                : now.AddSeconds(retryAfterSeconds).ToString("r", System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
