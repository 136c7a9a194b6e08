using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using ClientBridge.Policies;
using ClientBridge.Protocol;
using ClientBridge.Scheduling;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using TimeZoneConverter;

namespace ClientBridge.Providers.Zoom;

/// <summary>
/// Zoom meetings through the REST API v2: the right time in the right zone (<see cref="ZoomTimeZones"/>), recurrences
/// as far as Zoom can follow them (<see cref="ZoomRecurrenceMapper"/>), and retries that can never make a second
/// meeting: before a create is sent again, the meeting the failed attempt may have made is looked for.
/// </summary>
public sealed class ZoomProvider : IMeetingProvider
{
    public const string ProviderName = "zoom";

    private readonly HttpClient _http;
    private readonly Uri _api;
    private readonly IZoomTokenSource _tokens;
    private readonly ZoomMeetingDefaults _defaults;
    private readonly ResiliencePipeline<CreateAttempt> _createRetries;
    private readonly TimeProvider _time;
    private readonly IPolicySource _policies;

    /// <param name="http">
    /// The <see cref="ZoomHttp.ApiClient"/> client from <see cref="ZoomHttp.AddZoomHttpClients"/>: it retries the look-ups,
    /// updates and cancels and times out each attempt. A plain HttpClient would make every call a single try.
    /// </param>
    /// <param name="defaults">The user's own defaults for new meetings, without policy: <paramref name="policies"/> is put on top of them and of each request.</param>
    /// <param name="retry">The same options the client was made with: the create's own retries wait as its retries do.</param>
    public ZoomProvider(HttpClient http, Uri apiBaseUrl, IZoomTokenSource tokens, ZoomMeetingDefaults defaults, ZoomRetryOptions? retry = null, IPolicySource? policies = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(apiBaseUrl);
        _http = http ?? throw new ArgumentNullException(nameof(http));
        _api = new Uri(apiBaseUrl.AbsoluteUri.TrimEnd('/') + "/");
        _tokens = tokens ?? throw new ArgumentNullException(nameof(tokens));
        _defaults = defaults ?? new ZoomMeetingDefaults();
        _time = time ?? TimeProvider.System;
        _createRetries = CreateRetries(retry ?? new ZoomRetryOptions(), _time);
        _policies = policies ?? NoPolicies.Instance;
    }

    public string Name => ProviderName;

    /// <summary>Where the user's defaults come from when they can change while the agent runs (the settings file); replaces the constructor's.</summary>
    public Func<ZoomMeetingDefaults>? LiveDefaults { get; init; }

    public ProviderState State => new() { Provider = ProviderName, State = _tokens.IsSignedIn ? "signed_in" : "signed_out" };

    public async Task<MeetingDetails> CreateAsync(MeetingPlan plan, string requestId, Func<string, bool> isTaken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        (ZoomMeetingBody body, string? note) = Body(plan.Topic, plan.Start, plan.Duration, plan.TimeZoneId, plan.Recurrence);
        body.ScheduleFor = string.IsNullOrWhiteSpace(plan.ScheduleFor) ? null : plan.ScheduleFor.Trim();

        // The request's options over the user's defaults, and a configured policy over both.
        ZoomMeetingDefaults chosen = (LiveDefaults?.Invoke() ?? _defaults).With(plan.Options).UnderPolicy(_policies);
        body.DefaultPassword = chosen.RequirePasscode;
        body.Settings = new ZoomMeetingSettings
        {
            WaitingRoom = chosen.WaitingRoom,
            JoinBeforeHost = chosen.JoinBeforeHost,
            MuteUponEntry = chosen.MuteUponEntry,
            AlternativeHosts = string.IsNullOrWhiteSpace(chosen.AlternativeHosts) ? null : chosen.AlternativeHosts,
        };

        return await CreateOnceAsync(plan, body, Join(note, PolicyNote(plan.Options)), isTaken, cancellationToken).ConfigureAwait(false);
    }

    public async Task<MeetingDetails> UpdateAsync(string meetingId, MeetingChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        string id = Id(meetingId);
        string path = $"meetings/{id}";
        RequestedOptions? asked = change.Options is { IsEmpty: false } options ? options : null;
        string? optionsNote = PolicyNote(asked);
        if (change.Occurrence is { } occurrence)
        {
            if (asked is not null)
            {
                // Zoom keeps alternative hosts and the passcode per meeting, not per occurrence: options change the series.
                ZoomMeetingBody seriesOptions = await WithOptionsAsync(new ZoomMeetingBody(), id, asked, cancellationToken).ConfigureAwait(false);
                await PatchAsync(path, seriesOptions, cancellationToken).ConfigureAwait(false);
                optionsNote = Join(optionsNote, "Zoom keeps meeting options for the whole series, so they changed for every occurrence.");
                asked = null;
            }

            // One occurrence: Zoom moves or resizes it alone (no topic or series change for a single occurrence).
            if (await OccurrenceIdAsync(id, occurrence, cancellationToken).ConfigureAwait(false) is not { } occurrenceId)
            {
                MeetingDetails series = await GetAsync(id, cancellationToken).ConfigureAwait(false)
                    ?? throw new BridgeException(ErrorCodes.BadRequest, "Zoom no longer has this meeting; it may have been deleted in Zoom.");
                return series with { Note = Join("Zoom keeps this series without fixed times, so one occurrence cannot be moved there; the link stays the same.", optionsNote) };
            }

            path += "?occurrence_id=" + Uri.EscapeDataString(occurrenceId);
            change = new MeetingChange(Start: change.Start, Duration: change.Duration, TimeZoneId: change.TimeZoneId);
        }

        var body = new ZoomMeetingBody { Topic = change.Topic, Duration = change.Duration is { } d ? (int)Math.Ceiling(d.TotalMinutes) : null };
        string? note = null;

        // A series that stopped repeating becomes a scheduled meeting (type 2); one that is single already stays as it is.
        ZoomMeeting? ending = change.RecurrenceRemoved && change.Recurrence is null ? await SeriesAsync(id, cancellationToken).ConfigureAwait(false) : null;
        if (change.Start is not null || change.TimeZoneId is not null || change.Recurrence is not null || ending is not null)
        {
            // Zoom reads start_time in the meeting's zone: a new zone or series is sent with its start, never alone.
            // A series made single is sent whole (start, length and zone), taking from Zoom what the update left out.
            DateTimeOffset start = change.Start
                ?? (ending is not null ? StartOf(ending, "Zoom keeps this series without fixed times, so it has no start to keep: give the start of the single meeting.")
                    : await CurrentStartAsync(id, cancellationToken).ConfigureAwait(false));
            TimeSpan length = change.Duration ?? (ending?.Duration is int minutes and > 0 ? TimeSpan.FromMinutes(minutes) : TimeSpan.Zero);
            (ZoomMeetingBody timing, note) = Body(change.Topic ?? string.Empty, start, length, change.TimeZoneId ?? ending?.Timezone, change.Recurrence);
            body.StartTime = timing.StartTime;
            body.Timezone = timing.Timezone;
            body.Type = change.Recurrence is not null ? timing.Type : ending is not null ? 2 : null;
            body.Recurrence = timing.Recurrence;
            body.Duration ??= timing.Duration;
        }

        if (asked is not null)
        {
            await WithOptionsAsync(body, id, asked, cancellationToken).ConfigureAwait(false);
        }

        await PatchAsync(path, body, cancellationToken).ConfigureAwait(false);
        ZoomMeeting meeting = await GetMeetingAsync(id, cancellationToken).ConfigureAwait(false)
            ?? throw new BridgeException(ErrorCodes.BadRequest, "Zoom no longer has this meeting; it may have been deleted in Zoom.");
        return await DetailsAsync(meeting, Join(note, optionsNote), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends an update; one with nothing in it (an occurrence whose only change was options) is not sent.</summary>
    private async Task PatchAsync(string path, ZoomMeetingBody body, CancellationToken cancellationToken)
    {
        if (body is { Topic: null, Type: null, StartTime: null, Timezone: null, Duration: null, Recurrence: null, Settings: null, Password: null })
        {
            return;
        }

        using HttpResponseMessage response = await SendAsync(() => Json(HttpMethod.Patch, path, body), cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, "change the meeting", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Adds to an update only the options that were asked for, each with a configured policy on top; alternative hosts
    /// asked for as an empty list are removed. Zoom's update has no <c>default_password</c>: a passcode is turned on by
    /// sending one made here, and off by an empty one.
    /// </summary>
    private async Task<ZoomMeetingBody> WithOptionsAsync(ZoomMeetingBody body, string id, RequestedOptions asked, CancellationToken cancellationToken)
    {
        if (asked.WaitingRoom is not null || asked.AsksAlternativeHosts)
        {
            body.Settings = new ZoomMeetingSettings
            {
                WaitingRoom = asked.WaitingRoom is { } waitingRoom ? PolicyValues.Decide(_policies, PolicyValues.ZoomWaitingRoom, waitingRoom) : null,

                // An empty list is sent as "": Zoom's update then removes every alternative host.
                AlternativeHosts = asked.AlternativeHosts is { } hosts ? string.Join(';', hosts) : null,
            };
        }

        if (asked.RequirePasscode is { } requirePasscode)
        {
            bool wanted = PolicyValues.Decide(_policies, PolicyValues.ZoomRequirePasscode, requirePasscode);
            ZoomMeeting current = await GetMeetingAsync(id, cancellationToken).ConfigureAwait(false)
                ?? throw new BridgeException(ErrorCodes.BadRequest, "Zoom no longer has this meeting; it may have been deleted in Zoom.");
            bool has = !string.IsNullOrEmpty(current.Password);
            body.Password = wanted == has ? null : wanted ? NewPasscode() : string.Empty;
        }

        return body;
    }

    /// <summary>A passcode as Zoom takes them (at most 10 of <c>[a-zA-Z0-9@-_*]</c>), with letters and digits, for meetings that had none.</summary>
    private static string NewPasscode()
    {
        const string Letters = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";
        const string Digits = "23456789";
        while (true)
        {
            string passcode = System.Security.Cryptography.RandomNumberGenerator.GetString(Letters + Digits, 10);
            if (passcode.Any(char.IsAsciiDigit) && passcode.Any(char.IsAsciiLetter))
            {
                return passcode;
            }
        }
    }

    /// <summary>A sentence when a configured policy overrode what the request asked for, so that the user is not left guessing.</summary>
    private string? PolicyNote(RequestedOptions? asked)
    {
        var kept = new List<string>();
        if (asked?.WaitingRoom is { } waitingRoom && PolicyValues.Decide(_policies, PolicyValues.ZoomWaitingRoom, waitingRoom) != waitingRoom)
        {
            kept.Add(waitingRoom ? "the waiting room off" : "the waiting room on");
        }

        if (asked?.RequirePasscode is { } passcode && PolicyValues.Decide(_policies, PolicyValues.ZoomRequirePasscode, passcode) != passcode)
        {
            kept.Add(passcode ? "the passcode off" : "the passcode on");
        }

        return kept.Count == 0 ? null : $"Your organisation's policy keeps {string.Join(" and ", kept)} for Zoom meetings, whatever the meeting options ask.";
    }

    private static string? Join(params string?[] notes)
    {
        string joined = string.Join(" ", notes.Where(n => !string.IsNullOrEmpty(n)));
        return joined.Length == 0 ? null : joined;
    }

    public async Task CancelAsync(string meetingId, DateTimeOffset? occurrenceStart, CancellationToken cancellationToken)
    {
        string id = Id(meetingId);
        string path = $"meetings/{id}";
        if (occurrenceStart is { } occurrence)
        {
            // A series without fixed times has no occurrences in Zoom: the one link serves the rest, nothing to delete.
            ZoomMeeting series = await GetMeetingAsync(id, cancellationToken).ConfigureAwait(false)
                ?? throw new BridgeException(ErrorCodes.BadRequest, "Zoom no longer has this meeting; it may have been deleted in Zoom.");
            if (series.Occurrences is not { Count: > 0 } occurrences)
            {
                return;
            }

            // Zoom lists only the occurrences still on: one that is not there was cancelled already (this request
            // again, or the same occurrence cancelled twice), which is what was asked.
            if (occurrences.FirstOrDefault(o => !o.IsDeleted && Instant(o.StartTime) == occurrence.ToUniversalTime())?.OccurrenceId is not { } occurrenceId)
            {
                return;
            }

            path += "?occurrence_id=" + Uri.EscapeDataString(occurrenceId);
        }

        using HttpResponseMessage response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Delete, path), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            await EnsureSuccessAsync(response, "cancel the meeting", cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<MeetingDetails?> GetAsync(string meetingId, CancellationToken cancellationToken)
    {
        ZoomMeeting? meeting = await GetMeetingAsync(Id(meetingId), cancellationToken).ConfigureAwait(false);
        return meeting is null ? null : await DetailsAsync(meeting, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Zoom takes no idempotency key, so a create whose answer was lost is found by what it made: among the host's
    /// upcoming meetings, one created since the attempt with the same topic, start and length that no other request
    /// owns. The earliest such wins, so two lost attempts of one request resolve to one meeting.
    /// </summary>
    public async Task<MeetingDetails?> FindCreatedAsync(MeetingPlan plan, DateTimeOffset since, Func<string, bool> isTaken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(isTaken);
        string host = Uri.EscapeDataString(string.IsNullOrWhiteSpace(plan.ScheduleFor) ? "me" : plan.ScheduleFor.Trim());
        int minutes = (int)Math.Ceiling(plan.Duration.TotalMinutes);
        ZoomListedMeeting? best = null;
        DateTimeOffset bestCreated = DateTimeOffset.MaxValue;
        string? page = null;
        for (int pages = 0; pages < 10; pages++)
        {
            string path = $"users/{host}/meetings?type=upcoming&page_size=300" + (string.IsNullOrEmpty(page) ? string.Empty : "&next_page_token=" + Uri.EscapeDataString(page));
            using HttpResponseMessage response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, path), cancellationToken).ConfigureAwait(false);
            ZoomMeetingList list = await ReadAsync(response, ZoomJsonContext.Default.ZoomMeetingList, "look for a meeting whose answer was lost", cancellationToken).ConfigureAwait(false);
            foreach (ZoomListedMeeting candidate in list.Meetings ?? [])
            {
                string id = candidate.Id.ToString(CultureInfo.InvariantCulture);
                if (candidate.Topic == plan.Topic
                    && candidate.Duration == minutes
                    && Instant(candidate.StartTime) == plan.Start.ToUniversalTime()
                    && Instant(candidate.CreatedAt) is { } created && created >= since && created < bestCreated
                    && !isTaken(id))
                {
                    best = candidate;
                    bestCreated = created;
                }
            }

            page = list.NextPageToken;
            if (string.IsNullOrEmpty(page))
            {
                break;
            }
        }

        return best is null ? null : await GetAsync(best.Id.ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Zoom's id for the occurrence that starts at <paramref name="start"/>, or null when the series has no fixed occurrences.</summary>
    private async Task<string?> OccurrenceIdAsync(string id, DateTimeOffset start, CancellationToken cancellationToken)
    {
        ZoomMeeting meeting = await GetMeetingAsync(id, cancellationToken).ConfigureAwait(false)
            ?? throw new BridgeException(ErrorCodes.BadRequest, "Zoom no longer has this meeting; it may have been deleted in Zoom.");
        if (meeting.Occurrences is not { Count: > 0 } occurrences)
        {
            return null;
        }

        return occurrences.FirstOrDefault(o => !o.IsDeleted && Instant(o.StartTime) == start.ToUniversalTime())?.OccurrenceId
            ?? throw new BridgeException(ErrorCodes.BadRequest, $"The Zoom series has no occurrence at {start:yyyy-MM-dd HH:mm zzz}; it may have been moved or deleted already.");
    }

    private static DateTimeOffset? Instant(string? zoomTime) =>
        DateTimeOffset.TryParse(zoomTime, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset at) ? at : null;

    /// <summary>
    /// Zoom takes no idempotency key and may have made the meeting whatever went wrong (an error after the fact, a
    /// lost answer, a time-out). So a failed attempt is never simply repeated: the HttpClient's retries leave POSTs
    /// alone, and here, after the wait, the meetings made since the first attempt are searched first; only if none is
    /// this one is the create sent again.
    /// </summary>
    private async Task<MeetingDetails> CreateOnceAsync(MeetingPlan plan, ZoomMeetingBody body, string? note, Func<string, bool> isTaken, CancellationToken cancellationToken)
    {
        DateTimeOffset firstAttempt = _time.GetUtcNow();
        int attempts = 0;
        CreateAttempt outcome;
        try
        {
            outcome = await _createRetries.ExecuteAsync(
                async token =>
                {
                    if (attempts++ > 0 && await FindCreatedAsync(plan, firstAttempt - SearchSkew, isTaken, token).ConfigureAwait(false) is { } made)
                    {
                        return new CreateAttempt(null, made);
                    }

                    return new CreateAttempt(await SendOnceAsync(() => Json(HttpMethod.Post, "users/me/meetings", body), token).ConfigureAwait(false), null);
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsUnreachable(ex, cancellationToken))
        {
            throw Unreachable(ex);
        }

        using (outcome)
        {
            if (outcome.Found is { } found)
            {
                return found with { Note = note };
            }

            ZoomMeeting meeting = await ReadAsync(outcome.Response!, ZoomJsonContext.Default.ZoomMeeting, "schedule the meeting", cancellationToken).ConfigureAwait(false);
            return await DetailsAsync(meeting, note, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One try at a create: Zoom's answer, or the meeting an earlier try turned out to have made.</summary>
    private sealed class CreateAttempt(HttpResponseMessage? response, MeetingDetails? found) : IDisposable
    {
        public HttpResponseMessage? Response { get; } = response;

        public MeetingDetails? Found { get; } = found;

        // The retry disposes what it throws away, so a failed answer's connection is given back before the wait.
        public void Dispose() => Response?.Dispose();
    }

    /// <summary>
    /// The create's retries: what Microsoft.Extensions.Http.Resilience counts as transient (429, 408, 5xx, time-outs,
    /// broken connections), with the same backoff and Retry-After as the HttpClient's retries of the other calls.
    /// </summary>
    private static ResiliencePipeline<CreateAttempt> CreateRetries(ZoomRetryOptions retry, TimeProvider time) =>
        new ResiliencePipelineBuilder<CreateAttempt> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<CreateAttempt>
            {
                MaxRetryAttempts = retry.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = retry.BaseDelay,
                MaxDelay = retry.MaxDelay,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result is { Response: { } response }
                    ? HttpClientResiliencePredicates.IsTransient(Outcome.FromResult(response))
                    : args.Outcome.Exception is { } exception && HttpClientResiliencePredicates.IsTransient(Outcome.FromException<HttpResponseMessage>(exception))),
                DelayGenerator = args => ValueTask.FromResult(ZoomHttp.RetryAfter(args.Outcome.Result?.Response, retry.MaxDelay, time)),
            })
            .Build();

    /// <summary>Zoom's meeting ids are 64-bit numbers; anything else is refused before it reaches a URL.</summary>
    private static string Id(string meetingId) =>
        long.TryParse(meetingId, NumberStyles.None, CultureInfo.InvariantCulture, out long id) && id > 0
            ? id.ToString(CultureInfo.InvariantCulture)
            : throw new BridgeException(ErrorCodes.BadRequest, "That is not a Zoom meeting id.");

    private static (ZoomMeetingBody Body, string? Note) Body(string topic, DateTimeOffset start, TimeSpan duration, string? timeZoneId, Recurrence? recurrence)
    {
        TimeZoneInfo zone = timeZoneId is not null && TZConvert.TryGetTimeZoneInfo(timeZoneId, out TimeZoneInfo? found) ? found : TimeZoneInfo.Utc;
        ZoomRecurrencePlan? series = recurrence is null ? null : ZoomRecurrenceMapper.Map(recurrence, start, zone);
        DateTimeOffset? seriesEnd = recurrence?.EndDate is { } endDate ? new DateTimeOffset(endDate.Date.AddDays(1), zone.GetUtcOffset(endDate.Date)) : null;
        ZoomTime time = ZoomTimeZones.ToZoom(start, timeZoneId, seriesEnd);
        var body = new ZoomMeetingBody
        {
            Topic = topic.Length == 0 ? null : topic,
            Type = series?.MeetingType ?? 2,
            StartTime = time.StartTime,
            Timezone = time.TimeZone,
            Duration = duration > TimeSpan.Zero ? (int)Math.Ceiling(duration.TotalMinutes) : null,
            Recurrence = series?.Recurrence,
        };

        string? zoneNote = time.SentAsUtc && time.SourceZone is not null
            ? $"Zoom has no time zone like {time.SourceZone}; the meeting is at the right time but Zoom shows it in UTC."
            : null;
        string? note = string.Join(" ", new[] { series?.Note, zoneNote }.Where(n => n is not null));
        return (body, note.Length == 0 ? null : note);
    }

    private static HttpRequestMessage Json(HttpMethod method, string path, ZoomMeetingBody body) => new(method, path)
    {
        Content = JsonContent.Create(body, ZoomJsonContext.Default.ZoomMeetingBody),
    };

    /// <summary>How far Zoom's clock may run behind ours when judging which meetings an attempt made.</summary>
    private static readonly TimeSpan SearchSkew = TimeSpan.FromMinutes(2);

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, string action, CancellationToken cancellationToken)
    {
        await EnsureSuccessAsync(response, action, cancellationToken).ConfigureAwait(false);
        try
        {
            return await response.Content.ReadFromJsonAsync(type, cancellationToken).ConfigureAwait(false)
                ?? throw new BridgeException(ErrorCodes.Internal, $"Zoom's answer when asked to {action} was empty.");
        }
        catch (JsonException ex)
        {
            throw new BridgeException(ErrorCodes.Internal, $"Zoom's answer when asked to {action} could not be read.", ex);
        }
    }

    /// <summary>Turns Zoom's refusal into a sentence for the user; Zoom's own message names no secret.</summary>
    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string action, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        ZoomError? error = null;
        try
        {
            error = await response.Content.ReadFromJsonAsync(ZoomJsonContext.Default.ZoomError, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException)
        {
        }

        throw ZoomErrors.ToException(response.StatusCode, error, action);
    }

    private async Task<DateTimeOffset> CurrentStartAsync(string id, CancellationToken cancellationToken)
    {
        ZoomMeeting meeting = await GetMeetingAsync(id, cancellationToken).ConfigureAwait(false)
            ?? throw new BridgeException(ErrorCodes.BadRequest, "Zoom no longer has this meeting; it may have been deleted in Zoom.");
        return StartOf(meeting, null);
    }

    /// <summary>The meeting's start as Zoom has it; <paramref name="missing"/> is the bad-request sentence when Zoom has none, else it is Zoom's fault.</summary>
    private static DateTimeOffset StartOf(ZoomMeeting meeting, string? missing) =>
        DateTimeOffset.TryParse(meeting.StartTime, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset start)
            ? start
            : missing is null
                ? throw new BridgeException(ErrorCodes.Internal, "Zoom did not say when the meeting starts.")
                : throw new BridgeException(ErrorCodes.BadRequest, missing);

    /// <summary>The meeting when Zoom has it as a series (type 3 or 8), null when it is a single meeting already.</summary>
    private async Task<ZoomMeeting?> SeriesAsync(string id, CancellationToken cancellationToken)
    {
        ZoomMeeting meeting = await GetMeetingAsync(id, cancellationToken).ConfigureAwait(false)
            ?? throw new BridgeException(ErrorCodes.BadRequest, "Zoom no longer has this meeting; it may have been deleted in Zoom.");
        return meeting.Type is 3 or 8 ? meeting : null;
    }

    private async Task<ZoomMeeting?> GetMeetingAsync(string id, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, $"meetings/{id}"), cancellationToken).ConfigureAwait(false);
        return response.StatusCode == HttpStatusCode.NotFound
            ? null
            : await ReadAsync(response, ZoomJsonContext.Default.ZoomMeeting, "look up the meeting", cancellationToken).ConfigureAwait(false);
    }

    private async Task<MeetingDetails> DetailsAsync(ZoomMeeting meeting, string? note, CancellationToken cancellationToken)
    {
        string id = meeting.Id.ToString(CultureInfo.InvariantCulture);
        string joinUrl = meeting.JoinUrl ?? throw new BridgeException(ErrorCodes.Internal, "Zoom did not give the meeting a join link.");
        string invitation = $"Join the Zoom meeting:{Environment.NewLine}{joinUrl}";
        try
        {
            using HttpResponseMessage response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, $"meetings/{id}/invitation"), cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode && await response.Content.ReadFromJsonAsync(ZoomJsonContext.Default.ZoomInvitation, cancellationToken).ConfigureAwait(false) is { Invitation: { Length: > 0 } text })
            {
                invitation = text;
            }
        }
        catch (Exception ex) when (ex is BridgeException or HttpRequestException or JsonException or TimeoutRejectedException)
        {
            // Zoom's own wording is nicer, but the link alone lets everyone join.
        }

        List<string> dialIn = meeting.Settings?.GlobalDialInNumbers?
            .Where(n => !string.IsNullOrWhiteSpace(n.Number))
            .Select(n => string.IsNullOrWhiteSpace(n.City) ? $"{n.Number} ({n.CountryName})" : $"{n.Number} ({n.City}, {n.CountryName})")
            .ToList() ?? [];
        return new MeetingDetails(id, joinUrl, invitation, string.IsNullOrEmpty(meeting.Password) ? null : meeting.Password, meeting.Timezone, dialIn, note);
    }

    /// <summary>Sends through the client's retries; Zoom out of reach after them is one sentence for the user.</summary>
    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> request, CancellationToken cancellationToken)
    {
        try
        {
            return await SendOnceAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsUnreachable(ex, cancellationToken))
        {
            throw Unreachable(ex);
        }
    }

    /// <summary>
    /// Sends with a fresh token, and once more with a renewed one if Zoom says the token is no longer good. The
    /// client's retries happen inside each send; a connection that failed or timed out surfaces as it is.
    /// </summary>
    private async Task<HttpResponseMessage> SendOnceAsync(Func<HttpRequestMessage> request, CancellationToken cancellationToken)
    {
        for (int attempt = 0; ; attempt++)
        {
            bool renew = attempt > 0;
            using HttpRequestMessage message = request();
            message.RequestUri = new Uri(_api, message.RequestUri!.OriginalString);
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await _tokens.GetAccessTokenAsync(renew, cancellationToken).ConfigureAwait(false));
            HttpResponseMessage response = await _http.SendAsync(message, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.Unauthorized || renew)
            {
                return response;
            }

            response.Dispose();
        }
    }

    /// <summary>
    /// Zoom did not answer: a broken connection, an attempt that timed out, or the whole call outlasting the client's
    /// time-out (an answer that stalled). The caller's own cancellation is not one of them.
    /// </summary>
    private static bool IsUnreachable(Exception ex, CancellationToken cancellationToken) =>
        ex is HttpRequestException or TimeoutRejectedException
        || (ex is TaskCanceledException { InnerException: TimeoutException } && !cancellationToken.IsCancellationRequested);

    private static BridgeException Unreachable(Exception ex) =>
        new(ErrorCodes.Timeout, "Zoom could not be reached; the meeting service may be down or this computer offline. Try again.", ex);
}
