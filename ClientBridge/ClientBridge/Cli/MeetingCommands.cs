using System;
using System.Globalization;
using System.IO;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using ClientBridge.Protocol;
using ClientBridge.Protocol.Client;
using TimeZoneConverter;

namespace ClientBridge.Cli;

/// <summary><c>schedule</c>, <c>update</c>, <c>cancel</c>: the same requests the add-in sends, over the same pipe.</summary>
public static class MeetingCommands
{
    public static Task<int> ScheduleAsync(BridgeEndpoint endpoint, ScheduleMeetingRequest request, bool json, TimeSpan timeout, TextWriter output, TextWriter error, CancellationToken cancellationToken) =>
        SendAsync(endpoint, MessageKinds.ScheduleMeeting, request, BridgeWire.Default.ScheduleMeetingRequest, json, timeout, output, error, request.RequestId, cancellationToken);

    public static Task<int> UpdateAsync(BridgeEndpoint endpoint, UpdateMeetingRequest request, bool json, TimeSpan timeout, TextWriter output, TextWriter error, CancellationToken cancellationToken) =>
        SendAsync(endpoint, MessageKinds.UpdateMeeting, request, BridgeWire.Default.UpdateMeetingRequest, json, timeout, output, error, null, cancellationToken);

    public static Task<int> CancelAsync(BridgeEndpoint endpoint, CancelMeetingRequest request, bool json, TimeSpan timeout, TextWriter output, TextWriter error, CancellationToken cancellationToken) =>
        SendAsync(endpoint, MessageKinds.CancelMeeting, request, BridgeWire.Default.CancelMeetingRequest, json, timeout, output, error, null, cancellationToken);

    /// <summary>
    /// Reads a start or end: with an offset or <c>Z</c> it is an instant; without, a wall clock in <paramref name="zone"/>.
    /// A wall clock that the zone skips (the spring-forward hour) is refused rather than guessed.
    /// </summary>
    public static DateTimeOffset ParseTime(string text, TimeZoneInfo zone, string optionName)
    {
        ArgumentNullException.ThrowIfNull(zone);
        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind | DateTimeStyles.AllowWhiteSpaces, out DateTime parsed))
        {
            throw new UsageException($"{optionName} '{text}' is not a date and time; write it like 2026-11-23T09:00 or 2026-11-23T09:00+01:00.");
        }

        if (parsed.Kind != DateTimeKind.Unspecified)
        {
            return DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces);
        }

        if (zone.IsInvalidTime(parsed))
        {
            throw new UsageException($"{optionName} {parsed:yyyy-MM-dd HH:mm} does not exist in {zone.Id}: the clocks skip it.");
        }

        // In the repeated hour of autumn, the first of the two (still on summer time), as Outlook picks it.
        TimeSpan offset = zone.IsAmbiguousTime(parsed) ? MaxOffset(zone.GetAmbiguousTimeOffsets(parsed)) : zone.GetUtcOffset(parsed);
        return new DateTimeOffset(parsed, offset);
    }

    /// <summary>A Windows id (as Outlook names zones) or an IANA id, resolved without ICU.</summary>
    public static TimeZoneInfo ResolveZone(string? id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return TimeZoneInfo.Local;
        }

        return TZConvert.TryGetTimeZoneInfo(id, out TimeZoneInfo? zone)
            ? zone
            : throw new UsageException($"--time-zone '{id}' is neither a Windows time zone id (such as \"W. Europe Standard Time\") nor an IANA one (such as Europe/Berlin).");
    }

    private static TimeSpan MaxOffset(TimeSpan[] offsets)
    {
        TimeSpan max = offsets[0];
        foreach (TimeSpan offset in offsets)
        {
            max = offset > max ? offset : max;
        }

        return max;
    }

    private static async Task<int> SendAsync<T>(
        BridgeEndpoint endpoint,
        string kind,
        T request,
        MessagePack.Formatters.IMessagePackFormatter<T> requestFormatter,
        bool json,
        TimeSpan timeout,
        TextWriter output,
        TextWriter error,
        string? requestId,
        CancellationToken cancellationToken)
    {
        using BridgeClient client = AgentClient.Create(endpoint, timeout);
        try
        {
            MeetingReply reply = await client.RequestAsync(kind, request, requestFormatter, BridgeWire.Default.MeetingReply, timeout, cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync(json ? JsonSerializer.Serialize(reply, BridgeJsonContext.Default.MeetingReply) : Describe(reply, requestId)).ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        catch (BridgeException ex)
        {
            if (json)
            {
                var problem = new BridgeError { Code = ex.Code, Message = ex.Message };
                await output.WriteLineAsync($"{{\"error\":{JsonSerializer.Serialize(problem, BridgeJsonContext.Default.BridgeError)}}}").ConfigureAwait(false);
            }

            await error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return ExitCodes.For(ex.Code);
        }
    }

    private static string Describe(MeetingReply reply, string? requestId)
    {
        if (reply.Queued)
        {
            return $"The {reply.Provider} meeting {reply.MeetingId} is not cancelled yet: {reply.Note}";
        }

        if (reply.Cancelled)
        {
            return $"The {reply.Provider} meeting {reply.MeetingId} is cancelled.";
        }

        var text = new System.Text.StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{(requestId is null ? "Updated" : "Scheduled")} a {reply.Provider} meeting.");
        text.AppendLine(CultureInfo.InvariantCulture, $"  Join:       {reply.JoinUrl}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  Meeting id: {reply.MeetingId}");
        if (reply.Passcode is { Length: > 0 } passcode)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  Passcode:   {passcode}");
        }

        if (reply.Note is { Length: > 0 } note)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  Note:       {note}");
        }

        if (requestId is not null)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  Request id: {requestId} (give it again with --request-id to retry without making a second meeting)");
        }

        return text.ToString().TrimEnd();
    }
}

/// <summary>A command-line value that cannot be used; shown as one sentence with exit code 2.</summary>
public sealed class UsageException : Exception
{
    public UsageException(string message)
        : base(message)
    {
    }

    public UsageException()
    {
    }

    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
