using System;
using System.Collections.Generic;
using System.CommandLine;
using ClientBridge.Protocol;

namespace ClientBridge.Cli;

/// <summary>The options of <c>schedule</c>, <c>update</c> and <c>cancel</c>, and how they become requests.</summary>
public static class MeetingCommandOptions
{
    public static Command ScheduleCommand() => new("schedule", "Schedule a meeting and print how to join it.")
    {
        Subject(required: true), Start(required: true), End(), Duration(), TimeZone(), RecurrenceRule(), For(), WaitingRoom(), Passcode(), AltHost(), Provider(), RequestId(), Json(), TimeoutSeconds(),
    };

    public static Command UpdateCommand() => new("update", "Change a meeting's subject, time, length, zone or options; what is not given stays.")
    {
        MeetingId(), Occurrence(), Subject(required: false), Start(required: false), End(), Duration(), TimeZone(), RecurrenceRule(), NoRecurrence(), WaitingRoom(), Passcode(), AltHost(), NoAltHosts(), Provider(), Json(), TimeoutSeconds(),
    };

    public static Command CancelCommand() => new("cancel", "Cancel a meeting.")
    {
        MeetingId(), Occurrence(), TimeZone(), Provider(), Json(), TimeoutSeconds(),
    };

    public static bool WantsJson(ParseResult result) => result?.GetValue<bool>("--json") ?? false;

    public static TimeSpan Timeout(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        double seconds = result.GetValue<double>("--timeout");
        return seconds is > 0 and <= 3600 ? TimeSpan.FromSeconds(seconds) : throw new UsageException("--timeout must be more than 0 and at most 3600 seconds.");
    }

    public static ScheduleMeetingRequest ScheduleRequest(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        string? zoneId = result.GetValue<string?>("--time-zone");
        TimeZoneInfo zone = MeetingCommands.ResolveZone(zoneId);
        DateTimeOffset start = MeetingCommands.ParseTime(result.GetValue<string>("--start")!, zone, "--start");
        return new ScheduleMeetingRequest
        {
            RequestId = result.GetValue<string?>("--request-id") ?? Guid.NewGuid().ToString("N"),
            Topic = result.GetValue<string>("--subject")!,
            Start = start,
            DurationMinutes = Minutes(result, start, zone) ?? 30,
            TimeZoneId = zoneId ?? zone.Id,
            Recurrence = Recurrence(result, start, zone),
            Provider = result.GetValue<string?>("--provider"),
            ScheduleFor = result.GetValue<string?>("--for"),
            Options = Options(result, canClearHosts: false),
        };
    }

    public static UpdateMeetingRequest UpdateRequest(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        bool noRecurrence = result.GetValue<bool>("--no-recurrence");
        if (noRecurrence && result.GetValue<string?>("--recurrence") is not null)
        {
            throw new UsageException("Give --recurrence or --no-recurrence, not both.");
        }

        if (noRecurrence && result.GetValue<string?>("--occurrence") is not null)
        {
            throw new UsageException("--no-recurrence turns the whole series into one meeting; it cannot be given with --occurrence.");
        }

        string? zoneId = result.GetValue<string?>("--time-zone");
        TimeZoneInfo zone = MeetingCommands.ResolveZone(zoneId);
        string? startText = result.GetValue<string?>("--start");
        DateTimeOffset? start = startText is null ? null : MeetingCommands.ParseTime(startText, zone, "--start");
        return new UpdateMeetingRequest
        {
            RequestId = Guid.NewGuid().ToString("N"),
            MeetingId = result.GetValue<string>("--meeting-id")!,
            Provider = result.GetValue<string?>("--provider") ?? string.Empty,
            Topic = result.GetValue<string?>("--subject"),
            Start = start,
            DurationMinutes = start is { } s ? Minutes(result, s, zone) : result.GetValue<int?>("--duration"),
            TimeZoneId = zoneId,
            OccurrenceStart = OccurrenceOf(result, zone),
            Recurrence = result.GetValue<string?>("--recurrence") is null ? null
                : Recurrence(result, start ?? throw new UsageException("Give --start with --recurrence: a series is read from its first meeting."), zone),
            RecurrenceRemoved = noRecurrence,
            Options = Options(result, canClearHosts: true),
        };
    }

    public static CancelMeetingRequest CancelRequest(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new CancelMeetingRequest
        {
            RequestId = Guid.NewGuid().ToString("N"),
            MeetingId = result.GetValue<string>("--meeting-id")!,
            Provider = result.GetValue<string?>("--provider") ?? string.Empty,
            OccurrenceStart = OccurrenceOf(result, MeetingCommands.ResolveZone(result.GetValue<string?>("--time-zone"))),
        };
    }

    /// <summary>
    /// <c>--waiting-room</c>, <c>--passcode</c>, <c>--alt-host</c> and (on update) <c>--no-alt-hosts</c> as the add-in's
    /// meeting options; null when none is given, so that the account's defaults apply. Hosts not mentioned stay null (as
    /// they are); <c>--no-alt-hosts</c> is an empty list, which removes them. The addresses are checked by the agent,
    /// which also serves the add-in.
    /// </summary>
    private static MeetingOptions? Options(ParseResult result, bool canClearHosts)
    {
        bool? waitingRoom = OnOff(result, "--waiting-room");
        bool? passcode = OnOff(result, "--passcode");
        string[] given = result.GetValue<string[]?>("--alt-host") ?? [];
        bool clear = canClearHosts && result.GetValue<bool>("--no-alt-hosts");
        if (clear && given.Length > 0)
        {
            throw new UsageException("Give --alt-host or --no-alt-hosts, not both.");
        }

        List<string>? hosts = clear ? [] : given.Length > 0 ? [.. given] : null;
        return waitingRoom is null && passcode is null && hosts is null
            ? null
            : new MeetingOptions { WaitingRoom = waitingRoom, RequirePasscode = passcode, AlternativeHosts = hosts };
    }

    private static bool? OnOff(ParseResult result, string option) => result.GetValue<string?>(option)?.Trim().ToUpperInvariant() switch
    {
        null => null,
        "ON" => true,
        "OFF" => false,
        _ => throw new UsageException($"{option} takes on or off, not '{result.GetValue<string?>(option)}'."),
    };

    private static DateTimeOffset? OccurrenceOf(ParseResult result, TimeZoneInfo zone) =>
        result.GetValue<string?>("--occurrence") is { } text ? MeetingCommands.ParseTime(text, zone, "--occurrence") : null;

    /// <summary>An RRULE (as Outlook writes them, or typed), read against the first meeting in the meeting's zone.</summary>
    private static Protocol.Recurrence? Recurrence(ParseResult result, DateTimeOffset start, TimeZoneInfo zone)
    {
        string? rule = result.GetValue<string?>("--recurrence");
        try
        {
            return rule is null ? null : Scheduling.RRule.Parse(rule, start, zone);
        }
        catch (BridgeException ex)
        {
            throw new UsageException($"--recurrence: {ex.Message}");
        }
    }

    private static int? Minutes(ParseResult result, DateTimeOffset start, TimeZoneInfo zone)
    {
        string? endText = result.GetValue<string?>("--end");
        int? minutes = result.GetValue<int?>("--duration");
        if (endText is not null && minutes is not null)
        {
            throw new UsageException("Give --end or --duration, not both.");
        }

        if (endText is null)
        {
            return minutes;
        }

        TimeSpan length = MeetingCommands.ParseTime(endText, zone, "--end") - start;
        return length > TimeSpan.Zero ? (int)Math.Ceiling(length.TotalMinutes) : throw new UsageException("--end must be after --start.");
    }

    private static Option<string?> Subject(bool required) => new("--subject") { Description = "The meeting's subject.", Required = required };

    private static Option<string?> Start(bool required) => new("--start") { Description = "When it starts: 2026-11-23T09:00 in --time-zone, or with an offset (…+01:00, …Z).", Required = required };

    private static Option<string?> End() => new("--end") { Description = "When it ends, written like --start; or give --duration." };

    private static Option<int?> Duration() => new("--duration") { Description = "How long it lasts, in minutes (30 when neither this nor --end is given)." };

    private static Option<string?> TimeZone() => new("--time-zone") { Description = "The meeting's zone: a Windows id (\"W. Europe Standard Time\") or an IANA id (Europe/Berlin); this machine's zone by default." };

    private static Option<string?> RecurrenceRule() => new("--recurrence") { Description = "How it repeats, as an RFC 5545 RRULE, for example FREQ=WEEKLY;BYDAY=MO,TH;COUNT=10." };

    private static Option<bool> NoRecurrence() => new("--no-recurrence") { Description = "The series stops repeating: it becomes one meeting (at --start when given)." };

    private static Option<string?> Occurrence() => new("--occurrence") { Description = "Only the occurrence of a series that starts at this time (written like --start), not the whole series." };

    private static Option<string?> For() => new("--for") { Description = "Schedule on behalf of this calendar owner (an e-mail address), as a delegate." };

    private static Option<string?> WaitingRoom() => new("--waiting-room") { Description = "on or off: whether people wait until the host lets them in (Zoom); your default or the policy's when not given." };

    private static Option<string?> Passcode() => new("--passcode") { Description = "on or off: whether the meeting needs a passcode (Zoom); your default or the policy's when not given." };

    private static Option<string[]?> AltHost() => new("--alt-host") { Description = "An alternative host's e-mail address (Zoom); give it once per host, up to 50." };

    private static Option<bool> NoAltHosts() => new("--no-alt-hosts") { Description = "Remove every alternative host from the meeting (Zoom)." };

    private static Option<string?> Provider() => new("--provider") { Description = "zoom or jitsi; the agent's default (jitsi on a fresh install) when not given." };

    private static Option<string?> RequestId() => new("--request-id") { Description = "Your id for this meeting; give the same one again to retry without making a second meeting." };

    private static Option<string> MeetingId() => new("--meeting-id") { Description = "The provider's meeting id, as schedule printed it.", Required = true };

    private static Option<bool> Json() => new("--json") { Description = "Print the result as JSON (provider, meetingId, joinUrl, passcode, …)." };

    private static Option<double> TimeoutSeconds() => new("--timeout") { Description = "Seconds to wait for the agent and the meeting service.", DefaultValueFactory = _ => 60 };
}
