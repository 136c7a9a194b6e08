using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;

namespace ZoomEmulator;

/// <summary>
/// Zoom's meetings API (/v2) and OAuth endpoints on 127.0.0.1, for tests. Every request body is checked against
/// Zoom's OpenAPI description; faults can be injected. Thread-safe.
/// </summary>
public sealed class ZoomEmulatorServer : IAsyncDisposable
{
    private const string PasswordAlphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private const long SmallestMeetingId = 10_000_000_000L;
    private static readonly string[] BodyTemplates = ["/users/{userId}/meetings", "/meetings/{meetingId}"];

    private readonly object gate = new();
    private readonly Random random;
    private readonly OpenApiValidator validator;
    private readonly HashSet<string> timezones;
    private readonly OAuthState oauth = new();
    private readonly Dictionary<long, MeetingState> meetings = [];
    private readonly Dictionary<(string Host, DateOnly Day), int> dailyWrites = [];
    private readonly Queue<RecordedRequest> requests = new();
    private readonly Queue<string> violations = new();
    private readonly CancellationTokenSource stopping = new();
    private WebApplication? app;
    private int disposed;

    private ZoomEmulatorServer(EmulatorOptions options)
    {
        Options = options;
        random = new Random(options.Seed);
        Faults = new FaultInjection(options.Seed + 1);
        validator = OpenApiValidator.Load(options.SpecPath);
        timezones = File.ReadLines(options.TimezonesPath)
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split('\t')[0].Trim())
            .Where(id => id.Length > 0 && id != "id")
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>http://127.0.0.1:{port}/v2</summary>
    public Uri ApiBaseUrl { get; private set; } = null!;

    /// <summary>http://127.0.0.1:{port} (/oauth/authorize, /oauth/token, /oauth/revoke)</summary>
    public Uri OAuthBaseUrl { get; private set; } = null!;

    public EmulatorOptions Options { get; }

    public FaultInjection Faults { get; }

    /// <summary>Every request, oldest first (at most <see cref="EmulatorOptions.MaxRecordedRequests"/>).</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get { lock (gate) { return [.. requests]; } }
    }

    /// <summary>Each request body that broke the spec or Zoom's documented rules, described.</summary>
    public IReadOnlyList<string> SchemaViolations
    {
        get { lock (gate) { return [.. violations]; } }
    }

    /// <summary>
    /// Every access and refresh token issued so far, oldest first, so that a test can look for them where they must
    /// not be (a token file on disk, a log).
    /// </summary>
    public IReadOnlyList<string> IssuedTokens
    {
        get { lock (gate) { return oauth.Issued(); } }
    }

    /// <summary>Live (not deleted) meetings.</summary>
    public IReadOnlyCollection<EmulatedMeeting> Meetings
    {
        get { lock (gate) { return [.. meetings.Values.OrderBy(m => m.CreatedAt).Select(m => m.Snapshot())]; } }
    }

    public static async Task<ZoomEmulatorServer> StartAsync(EmulatorOptions? options = null)
    {
        var server = new ZoomEmulatorServer(options ?? new EmulatorOptions());
        try
        {
            await server.RunAsync().ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>A valid access token for the configured user, as if an OAuth flow had happened.</summary>
    public string CreateAccessToken()
    {
        lock (gate)
        {
            return oauth.Issue(new OAuthState.Grant(), withRefresh: false, Now + Options.AccessTokenLifetime).Access;
        }
    }

    /// <summary>Stops the server (pending slow answers are cut off). Requests, Meetings and SchemaViolations stay readable. Safe to call twice.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        await stopping.CancelAsync().ConfigureAwait(false);
        if (app is not null)
        {
            await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
        }

        validator.Dispose();
        stopping.Dispose();
    }

    private DateTimeOffset Now => Options.TimeProvider.GetUtcNow();

    private async Task RunAsync()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        app = builder.Build();
        app.Run(HandleAsync);
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address).Port;
        OAuthBaseUrl = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        ApiBaseUrl = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/v2");
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        string body;
        using (var reader = new StreamReader(request.Body, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        }

        var path = request.Path.Value ?? "/";
        var query = request.QueryString.Value ?? string.Empty;
        var method = request.Method;

        if (path.StartsWith("/oauth/", StringComparison.Ordinal))
        {
            Reply oauthReply;
            lock (gate)
            {
                oauthReply = HandleOAuth(method, path, request.Query, body, request.Headers.Authorization);
            }

            Record(method, path, query, body, oauthReply.Status, null, false);
            await WriteAsync(context, oauthReply).ConfigureAwait(false);
            return;
        }

        if (!path.StartsWith("/v2/", StringComparison.Ordinal))
        {
            var notFound = Error(404, 404, "Not found.");
            Record(method, path, query, body, notFound.Status, null, false);
            await WriteAsync(context, notFound).ConfigureAwait(false);
            return;
        }

        var apiPath = path[3..];
        var (template, parameters) = Route(apiPath);
        var bodyErrors = ValidateBody(method, path, template, body, request.Query);
        var mutating = !HttpMethods.IsGet(method);
        var fault = Faults.Next(mutating);
        var after = fault?.Timing == FaultTiming.AfterHandling;
        if (fault is { } before && !after)
        {
            var (faultReply, aborted) = await ApplyFaultAsync(context, before.Kind).ConfigureAwait(false);
            if (faultReply is not null || aborted)
            {
                // Recorded before the abort, so a client that has seen the drop also finds it in Requests.
                Record(method, path, query, body, faultReply?.Status ?? 0, before.Kind, false);
                if (faultReply is not null)
                {
                    await WriteAsync(context, faultReply).ConfigureAwait(false);
                }
                else
                {
                    context.Abort();
                }

                return;
            }
        }

        Reply reply;
        lock (gate)
        {
            reply = HandleApi(method, template, parameters, request.Query, body, bodyErrors, request.Headers.Authorization);
        }

        if (fault is { } late && after)
        {
            var (faultReply, aborted) = await ApplyFaultAsync(context, late.Kind).ConfigureAwait(false);
            if (faultReply is not null || aborted)
            {
                // Recorded before the abort, so a client that has seen the drop also finds it in Requests.
                Record(method, path, query, body, faultReply?.Status ?? 0, late.Kind, true);
                if (faultReply is not null)
                {
                    await WriteAsync(context, faultReply).ConfigureAwait(false);
                }
                else
                {
                    context.Abort();
                }

                return;
            }
        }

        Record(method, path, query, body, reply.Status, fault?.Kind, after);
        await WriteAsync(context, reply).ConfigureAwait(false);
    }

    /// <summary>The reply to send instead, or whether to abort the connection; neither means go on (a slow answer waited).</summary>
    private async Task<(Reply? Reply, bool Aborted)> ApplyFaultAsync(HttpContext context, FaultKind kind)
    {
        switch (kind)
        {
            case FaultKind.TooManyRequests:
                return (Error(429, 429, "You have reached the maximum per-second rate limit for this API. Try again later.")
                    with { RetryAfter = Faults.NextRetryAfter(Now) }, false);
            case FaultKind.InternalServerError:
                return (Error(500, 500, "Internal server error."), false);
            case FaultKind.BadGateway:
                return (new Reply(502, null) { Text = "<html><body>502 Bad Gateway</body></html>" }, false);
            case FaultKind.ServiceUnavailable:
                return (new Reply(503, null) { Text = "<html><body>503 Service Unavailable</body></html>" }, false);
            case FaultKind.SlowResponse:
                using (var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping.Token))
                {
                    try
                    {
                        await Task.Delay(Faults.SlowResponseDelay, linked.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        return (null, true);
                    }
                }

                return (null, false);
            default:
                return (null, true);
        }
    }

    private List<string> ValidateBody(string method, string path, string? template, string body, IQueryCollection query)
    {
        var errors = new List<string>();
        if (template is null || !BodyTemplates.Contains(template))
        {
            return errors;
        }

        var schema = validator.RequestSchema(method, template, out var required);
        if (schema is null)
        {
            return errors;
        }

        if (string.IsNullOrWhiteSpace(body))
        {
            if (required)
            {
                errors.Add("request body is required");
            }
        }
        else
        {
            try
            {
                using var document = JsonDocument.Parse(body);
                validator.Validate(schema.Value, document.RootElement, "body", errors);
                if (document.RootElement.ValueKind == JsonValueKind.Object)
                {
                    CheckZoomRules(document.RootElement, errors);
                }
            }
            catch (JsonException exception)
            {
                errors.Add($"body is not JSON: {exception.Message}");
            }
        }

        if (errors.Count > 0)
        {
            lock (gate)
            {
                foreach (var error in errors)
                {
                    violations.Enqueue($"{method} {path}{(query.Count > 0 ? "?" + string.Join('&', query.Select(q => $"{q.Key}={q.Value}")) : string.Empty)}: {error}");
                    while (violations.Count > Options.MaxRecordedRequests)
                    {
                        violations.Dequeue();
                    }
                }
            }
        }

        return errors;
    }

    /// <summary>Rules from Zoom's documentation that the spec does not carry.</summary>
    private void CheckZoomRules(JsonElement body, List<string> errors)
    {
        if (body.TryGetProperty("timezone", out var zone) && zone.ValueKind == JsonValueKind.String && !timezones.Contains(zone.GetString()!))
        {
            errors.Add($"body.timezone: \"{zone.GetString()}\" is not a Zoom time zone ID");
        }

        if (body.TryGetProperty("recurrence", out var recurrence) && recurrence.ValueKind == JsonValueKind.Object)
        {
            if (recurrence.TryGetProperty("end_times", out var endTimes) && endTimes.ValueKind == JsonValueKind.Number
                && (!endTimes.TryGetInt64(out var times) || times < 1 || times > 50))
            {
                errors.Add($"body.recurrence.end_times: {endTimes.GetRawText()} is outside 1..50");
            }

            if (recurrence.TryGetProperty("end_times", out _) && recurrence.TryGetProperty("end_date_time", out _))
            {
                errors.Add("body.recurrence: end_times and end_date_time cannot be used together");
            }
        }
    }

    private static (string? Template, Dictionary<string, string> Parameters) Route(string apiPath)
    {
        var segments = apiPath.Trim('/').Split('/');
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        switch (segments)
        {
            case ["users", var user]:
                parameters["userId"] = Uri.UnescapeDataString(user);
                return ("/users/{userId}", parameters);
            case ["users", var user, "meetings"]:
                parameters["userId"] = Uri.UnescapeDataString(user);
                return ("/users/{userId}/meetings", parameters);
            case ["meetings", var meeting]:
                parameters["meetingId"] = Uri.UnescapeDataString(meeting);
                return ("/meetings/{meetingId}", parameters);
            case ["meetings", var meeting, "invitation"]:
                parameters["meetingId"] = Uri.UnescapeDataString(meeting);
                return ("/meetings/{meetingId}/invitation", parameters);
            default:
                return (null, parameters);
        }
    }

    private Reply HandleApi(
        string method, string? template, Dictionary<string, string> parameters, IQueryCollection query, string body,
        List<string> bodyErrors, StringValues authorization)
    {
        var header = authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : string.Empty;
        switch (token.Length == 0 ? OAuthState.TokenCheck.Unknown : oauth.CheckAccess(token, Now))
        {
            case OAuthState.TokenCheck.Unknown:
                return Error(401, 124, "Invalid access token.");
            case OAuthState.TokenCheck.Expired:
                return Error(401, 124, "Access token is expired.");
            default:
                break;
        }

        if (bodyErrors.Count > 0)
        {
            return Error(400, 300, string.Join("; ", bodyErrors));
        }

        try
        {
            return (method, template) switch
            {
                ("POST", "/users/{userId}/meetings") => CreateMeeting(parameters["userId"], body),
                ("GET", "/users/{userId}/meetings") => ListMeetings(parameters["userId"]),
                ("GET", "/users/{userId}") => GetUser(parameters["userId"]),
                ("GET", "/meetings/{meetingId}") => WithMeeting(parameters["meetingId"], m => GetMeeting(m, query)),
                ("PATCH", "/meetings/{meetingId}") => WithMeeting(parameters["meetingId"], m => UpdateMeeting(m, query, body)),
                ("DELETE", "/meetings/{meetingId}") => WithMeeting(parameters["meetingId"], m => DeleteMeeting(m, query)),
                ("GET", "/meetings/{meetingId}/invitation") => WithMeeting(parameters["meetingId"], Invitation),
                (_, null) => Error(404, 404, "Not found."),
                _ => Error(405, 405, $"Method {method} is not allowed here."),
            };
        }
        catch (Exception exception) when (exception is InvalidOperationException or FormatException or OverflowException)
        {
            return Error(400, 300, $"Invalid field: {exception.Message}");
        }
    }

    private string? ResolveUser(string userId)
    {
        if (userId == "me" || userId == Options.UserId || string.Equals(userId, Options.UserEmail, StringComparison.OrdinalIgnoreCase))
        {
            return Options.UserEmail;
        }

        return userId.Contains('@', StringComparison.Ordinal) ? userId : null;
    }

    private Reply CreateMeeting(string userId, string body)
    {
        if (ResolveUser(userId) is not { } user)
        {
            return Error(404, 1001, $"User does not exist: {userId}.");
        }

        var json = string.IsNullOrWhiteSpace(body) ? [] : JsonNode.Parse(body)!.AsObject();
        var scheduleFor = (json["schedule_for"] as JsonValue)?.GetValue<string>();
        var host = string.IsNullOrEmpty(scheduleFor) ? user : scheduleFor;
        if (OverDailyLimit(host))
        {
            return DailyLimitError();
        }

        long id;
        do
        {
            id = SmallestMeetingId + random.NextInt64(89_999_999_999L);
        }
        while (meetings.ContainsKey(id));

        var meeting = new MeetingState
        {
            Id = id,
            HostUser = host,
            Password = (json["password"] as JsonValue)?.GetValue<string>() ?? RandomText(6),
            PasswordToken = RandomText(32),
            CreatedAt = Now,
        };
        if (meeting.Apply(json, Options.UserTimezone, Now) is { } refusal)
        {
            return Error(400, 300, refusal);
        }

        meetings[id] = meeting;
        return Json(201, meeting.ToJson(Options.UserId, null));
    }

    private Reply ListMeetings(string userId)
    {
        if (ResolveUser(userId) is not { } user)
        {
            return Error(404, 1001, $"User does not exist: {userId}.");
        }

        var list = new JsonArray();
        foreach (var meeting in meetings.Values.Where(m => string.Equals(m.HostUser, user, StringComparison.OrdinalIgnoreCase)))
        {
            list.Add(meeting.ToJson(Options.UserId, null));
        }

        return Json(200, new JsonObject { ["page_size"] = 300, ["total_records"] = list.Count, ["next_page_token"] = string.Empty, ["meetings"] = list });
    }

    private Reply GetUser(string userId)
    {
        if (userId != "me" && userId != Options.UserId && !string.Equals(userId, Options.UserEmail, StringComparison.OrdinalIgnoreCase))
        {
            return Error(404, 1001, $"User does not exist: {userId}.");
        }

        return Json(200, new JsonObject
        {
            ["id"] = Options.UserId,
            ["first_name"] = "Emulated",
            ["last_name"] = "Host",
            ["display_name"] = "Emulated Host",
            ["email"] = Options.UserEmail,
            ["type"] = 2,
            ["role_name"] = "Owner",
            ["pmi"] = 5_551_234_567L,
            ["use_pmi"] = false,
            ["timezone"] = Options.UserTimezone,
            ["verified"] = 1,
            ["account_id"] = Options.AccountId,
            ["status"] = "active",
            ["language"] = "en-US",
            ["created_at"] = "2020-01-01T00:00:00Z",
        });
    }

    private Reply WithMeeting(string meetingId, Func<MeetingState, Reply> action) =>
        long.TryParse(meetingId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && meetings.TryGetValue(id, out var meeting)
            ? action(meeting)
            : Error(404, 3001, $"Meeting does not exist: {meetingId}.");

    private Reply GetMeeting(MeetingState meeting, IQueryCollection query)
    {
        var occurrenceId = query["occurrence_id"].ToString();
        if (occurrenceId.Length > 0 && !meeting.Occurrences().Any(o => o.OccurrenceId == occurrenceId && !o.Deleted))
        {
            return Error(400, 3000, $"Invalid occurrence_id: {occurrenceId}.");
        }

        return Json(200, meeting.ToJson(Options.UserId, occurrenceId.Length > 0 ? occurrenceId : null));
    }

    private Reply UpdateMeeting(MeetingState meeting, IQueryCollection query, string body)
    {
        if (OverDailyLimit(meeting.HostUser))
        {
            return DailyLimitError();
        }

        var json = string.IsNullOrWhiteSpace(body) ? [] : JsonNode.Parse(body)!.AsObject();
        var occurrenceId = query["occurrence_id"].ToString();
        if (occurrenceId.Length > 0)
        {
            var occurrence = meeting.Occurrences().FirstOrDefault(o => o.OccurrenceId == occurrenceId && !o.Deleted);
            if (occurrence is null)
            {
                return Error(400, 3000, $"Invalid occurrence_id: {occurrenceId}.");
            }

            var start = occurrence.StartTime;
            if (json["start_time"] is JsonValue startText && ZoomDateTime.TryParse(startText.GetValue<string>(), out var wall, out var isUtc))
            {
                var zone = (json["timezone"] as JsonValue)?.GetValue<string>() ?? meeting.Timezone;
                start = isUtc ? new DateTimeOffset(DateTime.SpecifyKind(wall, DateTimeKind.Utc)) : ZoomDateTime.ToInstant(wall, ZoomDateTime.FindZone(zone));
            }

            var duration = (json["duration"] as JsonValue)?.GetValue<int>() ?? occurrence.Duration;
            meeting.OccurrenceOverrides[occurrenceId] = (start, duration);
            return new Reply(204, null);
        }

        var refusal = meeting.Apply(json, Options.UserTimezone, Now);
        return refusal is null ? new Reply(204, null) : Error(400, 300, refusal);
    }

    private Reply DeleteMeeting(MeetingState meeting, IQueryCollection query)
    {
        var occurrenceId = query["occurrence_id"].ToString();
        if (occurrenceId.Length == 0)
        {
            meetings.Remove(meeting.Id);
            return new Reply(204, null);
        }

        if (!meeting.Occurrences().Any(o => o.OccurrenceId == occurrenceId && !o.Deleted))
        {
            return Error(400, 3000, $"Invalid occurrence_id: {occurrenceId}.");
        }

        meeting.DeletedOccurrences.Add(occurrenceId);
        return new Reply(204, null);
    }

    private Reply Invitation(MeetingState meeting)
    {
        var when = meeting.Type == 3 || meeting.StartTime is null
            ? "Time: This is a recurring meeting Meet anytime"
            : $"Time: {ZoomDateTime.Format(meeting.StartTime.Value)} {meeting.Timezone}";
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"{Options.UserEmail} is inviting you to a scheduled Zoom meeting.\r\n\r\n")
            .Append(CultureInfo.InvariantCulture, $"Topic: {meeting.Topic}\r\n{when}\r\n\r\n")
            .Append(CultureInfo.InvariantCulture, $"Join Zoom Meeting\r\n{meeting.JoinUrl}\r\n\r\n")
            .Append(CultureInfo.InvariantCulture, $"Meeting ID: {meeting.Id.ToString(CultureInfo.InvariantCulture)}\r\nPasscode: {meeting.Password}\r\n")
            .ToString();
        return Json(200, new JsonObject { ["invitation"] = text });
    }

    private bool OverDailyLimit(string host)
    {
        if (Options.DailyCreateUpdateLimitPerHost is not { } limit)
        {
            return false;
        }

        var key = (host.ToUpperInvariant(), DateOnly.FromDateTime(Now.UtcDateTime));
        var used = dailyWrites.GetValueOrDefault(key);
        if (used >= limit)
        {
            return true;
        }

        dailyWrites[key] = used + 1;
        return false;
    }

    private Reply DailyLimitError() => Error(
        429,
        429,
        $"You have exceeded the daily rate limit ({Options.DailyCreateUpdateLimitPerHost}) of Meeting Create/Update API requests permitted for this particular user. You may resume these requests at GMT 00:00:00.");

    private Reply HandleOAuth(string method, string path, IQueryCollection query, string body, StringValues authorization)
    {
        var form = HttpMethods.IsPost(method) ? QueryHelpers.ParseQuery(body) : [];
        string Field(string name) => form.TryGetValue(name, out var value) && value.Count > 0 ? value.ToString() : query[name].ToString();

        switch (method, path)
        {
            case ("GET", "/oauth/authorize"):
                return Authorize(query);
            case ("POST", "/oauth/token"):
                return Token(Field, authorization);
            case ("POST", "/oauth/revoke"):
                var token = Field("token");
                return oauth.Revoke(token)
                    ? Json(200, new JsonObject { ["status"] = "success" })
                    : OAuthError(400, "invalid_request", "Invalid Token!");
            default:
                return Error(404, 404, "Not found.");
        }
    }

    private Reply Authorize(IQueryCollection query)
    {
        var redirectUri = query["redirect_uri"].ToString();
        if (query["client_id"].ToString() != Options.ClientId)
        {
            return OAuthError(400, "invalid_client", "Invalid client_id.");
        }

        if (query["response_type"].ToString() != "code" || !Uri.TryCreate(redirectUri, UriKind.Absolute, out _))
        {
            return OAuthError(400, "invalid_request", "response_type=code and an absolute redirect_uri are required.");
        }

        var challenge = query["code_challenge"].ToString();
        var challengeMethod = query["code_challenge_method"].ToString();
        if (challenge.Length > 0 && challengeMethod is not ("S256" or ""))
        {
            return OAuthError(400, "invalid_request", "Only code_challenge_method=S256 is supported.");
        }

        var code = oauth.AddCode(Options.ClientId, redirectUri, challenge.Length > 0 ? challenge : null, Now + Options.AuthorizationCodeLifetime);
        var location = QueryHelpers.AddQueryString(redirectUri, "code", code);
        var state = query["state"].ToString();
        if (state.Length > 0)
        {
            location = QueryHelpers.AddQueryString(location, "state", state);
        }

        return new Reply(302, null) { Location = location };
    }

    private Reply Token(Func<string, string> field, StringValues authorization)
    {
        var (basicId, basicSecret) = ParseBasic(authorization.ToString());
        var clientId = basicId ?? field("client_id");
        var clientSecret = basicSecret ?? field("client_secret");
        if (clientId.Length > 0 && clientId != Options.ClientId)
        {
            return OAuthError(401, "invalid_client", "Invalid client_id or client_secret");
        }

        if (clientSecret.Length > 0 && clientSecret != Options.ClientSecret)
        {
            return OAuthError(401, "invalid_client", "Invalid client_id or client_secret");
        }

        switch (field("grant_type"))
        {
            case "authorization_code":
                var pending = oauth.TakeCode(field("code"), Now);
                if (pending is null)
                {
                    return OAuthError(400, "invalid_grant", "Invalid authorization code " + field("code"));
                }

                if (pending.RedirectUri != field("redirect_uri"))
                {
                    return OAuthError(400, "invalid_grant", "Redirect URI mismatch.");
                }

                if (pending.Challenge is null ? clientSecret.Length == 0 : OAuthState.S256(field("code_verifier")) != pending.Challenge)
                {
                    return OAuthError(400, "invalid_grant", pending.Challenge is null ? "Invalid client_id or client_secret" : "Invalid code_verifier.");
                }

                return IssueTokens(new OAuthState.Grant(), withRefresh: true);
            case "refresh_token":
                var grant = oauth.FindRefresh(field("refresh_token"));
                return grant is null ? OAuthError(400, "invalid_grant", "Invalid Token!") : IssueTokens(grant, withRefresh: true);
            case "account_credentials":
                if (basicId is null || basicSecret != Options.ClientSecret)
                {
                    return OAuthError(401, "invalid_client", "Invalid client_id or client_secret");
                }

                if (field("account_id") != Options.AccountId)
                {
                    return OAuthError(400, "invalid_request", "Invalid account_id.");
                }

                return IssueTokens(new OAuthState.Grant(), withRefresh: false);
            default:
                return OAuthError(400, "unsupported_grant_type", "Unsupported grant type");
        }
    }

    private Reply IssueTokens(OAuthState.Grant grant, bool withRefresh)
    {
        var (access, refresh) = oauth.Issue(grant, withRefresh, Now + Options.AccessTokenLifetime);
        var json = new JsonObject
        {
            ["access_token"] = access,
            ["token_type"] = "bearer",
            ["expires_in"] = (long)Math.Max(0, Options.AccessTokenLifetime.TotalSeconds),
            ["scope"] = Options.Scope,
        };
        if (refresh is not null)
        {
            json["refresh_token"] = refresh;
        }

        return Json(200, json);
    }

    private static (string? Id, string? Secret) ParseBasic(string header)
    {
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return (null, null);
        }

        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? (decoded, string.Empty) : (decoded[..colon], decoded[(colon + 1)..]);
        }
        catch (FormatException)
        {
            return (null, null);
        }
    }

    private string RandomText(int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = PasswordAlphabet[random.Next(PasswordAlphabet.Length)];
        }

        return new string(chars);
    }

    private void Record(string method, string path, string query, string body, int status, FaultKind? fault, bool afterHandling)
    {
        var entry = new RecordedRequest(Now, method, path, query, body, status, fault, afterHandling);
        lock (gate)
        {
            requests.Enqueue(entry);
            while (requests.Count > Options.MaxRecordedRequests)
            {
                requests.Dequeue();
            }
        }
    }

    private static Reply Error(int status, int code, string message) =>
        Json(status, new JsonObject { ["code"] = code, ["message"] = message });

    private static Reply OAuthError(int status, string error, string reason) =>
        Json(status, new JsonObject { ["reason"] = reason, ["error"] = error });

    private static Reply Json(int status, JsonNode body) => new(status, body);

    private static async Task WriteAsync(HttpContext context, Reply reply)
    {
        var response = context.Response;
        response.StatusCode = reply.Status;
        if (reply.RetryAfter is not null)
        {
            response.Headers.RetryAfter = reply.RetryAfter;
        }

        if (reply.Location is not null)
        {
            response.Headers.Location = reply.Location;
        }

        if (reply.Body is not null)
        {
            response.ContentType = "application/json;charset=UTF-8";
            await response.WriteAsync(reply.Body.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
        }
        else if (reply.Text is not null)
        {
            response.ContentType = "text/html";
            await response.WriteAsync(reply.Text, context.RequestAborted).ConfigureAwait(false);
        }
    }

    private sealed record Reply(int Status, JsonNode? Body)
    {
        public string? Text { get; init; }
        public string? RetryAfter { get; init; }
        public string? Location { get; init; }
    }
}
