using System;
using System.Collections.Generic;
using System.Text;
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

/// <summary>What to schedule: the instant and length, the appointment's zone, how it repeats, and the options asked for.</summary>
public sealed record MeetingPlan(
    string Topic,
    DateTimeOffset Start,
    TimeSpan Duration,
    string? TimeZoneId,
    Recurrence? Recurrence,
    string? ScheduleFor,
    RequestedOptions? Options = null);

/// <summary>
/// The per-meeting options a request asked for, already checked (<see cref="Scheduling.SchedulingService"/>). A null switch
/// leaves what the account's defaults say (on an update: what the meeting has); the provider puts Group Policy on top.
/// Alternative hosts likewise: null was not asked about; an empty list asks for none, which on an update removes them all.
/// The alternative hosts are e-mail addresses: never logged, so <see cref="ToString"/> gives only their number.
/// </summary>
public sealed record RequestedOptions(bool? WaitingRoom = null, bool? RequirePasscode = null, IReadOnlyList<string>? AlternativeHosts = null)
{
    /// <summary>The most alternative hosts one meeting may have.</summary>
    public const int MaxAlternativeHosts = 50;

    /// <summary>Whether alternative hosts were asked about at all: a list (perhaps empty, to remove them), not null.</summary>
    public bool AsksAlternativeHosts => AlternativeHosts is not null;

    /// <summary>Whether at least one alternative host was asked for.</summary>
    public bool HasAlternativeHosts => AlternativeHosts is { Count: > 0 };

    public bool IsEmpty => WaitingRoom is null && RequirePasscode is null && !AsksAlternativeHosts;

    /// <summary>These options with <paramref name="newer"/>'s on top, field by field: the latest that asked wins (an empty host list too).</summary>
    public RequestedOptions Then(RequestedOptions? newer) => newer is null ? this : new(
        newer.WaitingRoom ?? WaitingRoom,
        newer.RequirePasscode ?? RequirePasscode,
        newer.AlternativeHosts ?? AlternativeHosts);

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("WaitingRoom = ").Append(Text(WaitingRoom))
            .Append(", RequirePasscode = ").Append(Text(RequirePasscode))
            .Append(", AlternativeHosts = ");
        if (AlternativeHosts is null)
        {
            builder.Append("null");
        }
        else
        {
            builder.Append(AlternativeHosts.Count).Append(" (addresses not shown)");
        }

        return true;
    }

    private static string Text(bool? value) => value switch { true => "true", false => "false", null => "null" };
}

/// <summary>What an update changes; a null field stays as it is.</summary>
/// <param name="Occurrence">The original start of the one occurrence to change; null for the whole meeting or series.</param>
/// <param name="RecurrenceRemoved">The series became a single meeting (at <paramref name="Start"/> when given); never together with <paramref name="Recurrence"/>.</param>
public sealed record MeetingChange(
    string? Topic = null,
    DateTimeOffset? Start = null,
    TimeSpan? Duration = null,
    string? TimeZoneId = null,
    Recurrence? Recurrence = null,
    DateTimeOffset? Occurrence = null,
    RequestedOptions? Options = null,
    bool RecurrenceRemoved = false)
{
    /// <summary>
    /// This change with <paramref name="newer"/>'s set fields on top: what two updates in a row amount to. A new pattern
    /// and the removal of the pattern undo each other: whichever came later wins.
    /// </summary>
    public MeetingChange Then(MeetingChange newer)
    {
        ArgumentNullException.ThrowIfNull(newer);
        bool removed = newer.Recurrence is null && (newer.RecurrenceRemoved || RecurrenceRemoved);
        return new MeetingChange(
            newer.Topic ?? Topic,
            newer.Start ?? Start,
            newer.Duration ?? Duration,
            newer.TimeZoneId ?? TimeZoneId,
            removed ? null : newer.Recurrence ?? Recurrence,
            Occurrence,
            Options is null ? newer.Options : Options.Then(newer.Options),
            removed);
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
