using System;
using System.Collections.Generic;

namespace ZoomEmulator;

/// <summary>One request as the emulator saw it. Status 0 means the connection was dropped without an answer.</summary>
public sealed record RecordedRequest(
    DateTimeOffset Time,
    string Method,
    string Path,
    string Query,
    string Body,
    int Status,
    FaultKind? Fault,
    bool FaultAfterHandling);

/// <summary>One occurrence of a recurring (type 8) meeting.</summary>
public sealed record EmulatedOccurrence(string OccurrenceId, DateTimeOffset StartTime, int Duration, bool Deleted);

/// <summary>A snapshot of a live meeting.</summary>
/// <param name="StartTime">The instant the meeting starts (UTC), after applying the start_time/timezone rules; null for type 3.</param>
/// <param name="StartTimeAsSent">The start_time string exactly as the client sent it last.</param>
public sealed record EmulatedMeeting(
    long Id,
    string HostUser,
    string Topic,
    int Type,
    DateTimeOffset? StartTime,
    string? StartTimeAsSent,
    string Timezone,
    int Duration,
    string? Agenda,
    string Password,
    string? RecurrenceJson,
    string? SettingsJson,
    string? ScheduleFor,
    IReadOnlyList<string> DeletedOccurrences,
    IReadOnlyList<EmulatedOccurrence> Occurrences,
    Uri JoinUrl,
    DateTimeOffset CreatedAt);
