using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using ClientBridge.Protocol;

namespace ClientBridge.Providers;

/// <summary>A meeting service the agent can schedule on: Jitsi (no account), Zoom.</summary>
public interface IMeetingProvider
{
    /// <summary>The name on the wire and the command line: <c>jitsi</c>, <c>zoom</c>.</summary>
    string Name { get; }

    /// <summary>Whether the provider can schedule now: <c>not_required</c>, <c>signed_in</c>, <c>signed_out</c>, ….</summary>
    ProviderState State { get; }

    /// <param name="requestId">The caller's idempotency key, for providers that can make creation idempotent on their side.</param>
    /// <param name="isTaken">Whether another request already owns a meeting id, for providers that look for a meeting an attempt made before retrying.</param>
    Task<MeetingDetails> CreateAsync(MeetingPlan plan, string requestId, Func<string, bool> isTaken, CancellationToken cancellationToken);

    /// <summary>Applies the fields of <paramref name="change"/> that are set; the others stay as they are.</summary>
    Task<MeetingDetails> UpdateAsync(string meetingId, MeetingChange change, CancellationToken cancellationToken);

    /// <summary>Cancels the meeting, or the one occurrence starting at <paramref name="occurrenceStart"/>; cancelling one that is already gone is not an error.</summary>
    Task CancelAsync(string meetingId, DateTimeOffset? occurrenceStart, CancellationToken cancellationToken);

    /// <summary>The meeting as the provider has it now, or null when it no longer exists.</summary>
    Task<MeetingDetails?> GetAsync(string meetingId, CancellationToken cancellationToken);

    /// <summary>
    /// Finds a meeting that an earlier create for <paramref name="plan"/> made although its answer was lost: made no
    /// earlier than <paramref name="since"/> and not claimed by another request (<paramref name="isTaken"/>). Null when
    /// there is none, or the provider makes meetings without a server call and so can lose none.
    /// </summary>
    Task<MeetingDetails?> FindCreatedAsync(MeetingPlan plan, DateTimeOffset since, Func<string, bool> isTaken, CancellationToken cancellationToken);
}

/// <summary>What to schedule: the instant and length, the appointment's zone, and how it repeats.</summary>
public sealed record MeetingPlan(
    string Topic,
    DateTimeOffset Start,
    TimeSpan Duration,
    string? TimeZoneId,
    Recurrence? Recurrence,
    string? ScheduleFor);

/// <summary>What an update changes; a null field stays as it is.</summary>
/// <param name="Occurrence">The original start of the one occurrence to change; null for the whole meeting or series.</param>
public sealed record MeetingChange(
    string? Topic = null,
    DateTimeOffset? Start = null,
    TimeSpan? Duration = null,
    string? TimeZoneId = null,
    Recurrence? Recurrence = null,
    DateTimeOffset? Occurrence = null)
{
    /// <summary>This change with <paramref name="newer"/>'s set fields on top: what two updates in a row amount to.</summary>
    public MeetingChange Then(MeetingChange newer)
    {
        ArgumentNullException.ThrowIfNull(newer);
        return new MeetingChange(
            newer.Topic ?? Topic,
            newer.Start ?? Start,
            newer.Duration ?? Duration,
            newer.TimeZoneId ?? TimeZoneId,
            newer.Recurrence ?? Recurrence,
            Occurrence);
    }
}

/// <summary>A meeting as the provider made it.</summary>
public sealed record MeetingDetails(
    string MeetingId,
    string JoinUrl,
    string InvitationText,
    string? Passcode = null,
    string? TimeZone = null,
    IReadOnlyList<string>? DialIn = null,
    string? Note = null);
