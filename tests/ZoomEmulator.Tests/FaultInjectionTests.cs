using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace ZoomEmulator.Tests;

[TestClass]
public sealed class FaultInjectionTests
{
    private const string Body = """{"topic":"Faulty","type":2,"start_time":"2026-06-01T12:00:00Z","duration":30}""";

    [TestMethod]
    [DataRow(FaultKind.InternalServerError, 500)]
    [DataRow(FaultKind.BadGateway, 502)]
    [DataRow(FaultKind.ServiceUnavailable, 503)]
    public async Task A_planned_server_error_is_answered_and_nothing_is_created(FaultKind kind, int status)
    {
        await using var server = await ZoomEmulatorServer.StartAsync();
        using var client = Http.Client(server, server.CreateAccessToken());
        server.Faults.FailNext(1, kind);

        using var failed = await Http.PostAsync(client, "users/me/meetings", Body);
        Assert.AreEqual(status, (int)failed.StatusCode);
        Assert.IsEmpty(server.Meetings);
        var record = server.Requests.Single();
        Assert.AreEqual(kind, record.Fault);
        Assert.AreEqual(status, record.Status);

        using var next = await Http.PostAsync(client, "users/me/meetings", Body);
        Assert.AreEqual(HttpStatusCode.Created, next.StatusCode, "only the planned number of requests fail");
    }

    [TestMethod]
    public async Task Too_many_requests_alternates_retry_after_seconds_and_http_date()
    {
        await using var server = await ZoomEmulatorServer.StartAsync();
        using var client = Http.Client(server, server.CreateAccessToken());
        server.Faults.RetryAfterSeconds = 7;
        server.Faults.FailNext(2, FaultKind.TooManyRequests);

        using var first = await Http.GetAsync(client, "users/me");
        using var second = await Http.GetAsync(client, "users/me");

        Assert.AreEqual((HttpStatusCode)429, first.StatusCode);
        Assert.AreEqual(TimeSpan.FromSeconds(7), first.Headers.RetryAfter!.Delta);
        Assert.AreEqual((HttpStatusCode)429, second.StatusCode);
        Assert.IsNotNull(second.Headers.RetryAfter!.Date);
        Assert.IsNull(second.Headers.RetryAfter.Delta);
        Assert.AreEqual(429, (await Http.ReadJsonAsync(first)).GetProperty("code").GetInt32());
    }

    [TestMethod]
    public async Task A_slow_answer_waits_the_configured_delay_and_outlasts_a_shorter_client_timeout()
    {
        await using var server = await ZoomEmulatorServer.StartAsync();
        server.Faults.SlowResponseDelay = TimeSpan.FromMilliseconds(400);
        server.Faults.FailNext(1, FaultKind.SlowResponse);
        using var patient = Http.Client(server, server.CreateAccessToken());

        var watch = Stopwatch.StartNew();
        using var slow = await Http.PostAsync(patient, "users/me/meetings", Body);
        watch.Stop();
        Assert.AreEqual(HttpStatusCode.Created, slow.StatusCode, "a slow answer is still an answer");
        Assert.IsGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(390), watch.Elapsed);

        server.Faults.SlowResponseDelay = TimeSpan.FromMinutes(5);
        server.Faults.FailNext(1, FaultKind.SlowResponse);
        using var impatient = Http.Client(server, server.CreateAccessToken());
        impatient.Timeout = TimeSpan.FromMilliseconds(200);
        await Assert.ThrowsAsync<TaskCanceledException>(() => Http.GetAsync(impatient, "users/me"));

        await server.DisposeAsync(); // waits for the abandoned request to finish, so its record is there
        var abandoned = server.Requests[^1];
        Assert.AreEqual(FaultKind.SlowResponse, abandoned.Fault);
        Assert.AreEqual(0, abandoned.Status);
    }

    [TestMethod]
    public async Task A_dropped_connection_before_handling_creates_nothing()
    {
        await using var server = await ZoomEmulatorServer.StartAsync();
        using var client = Http.Client(server, server.CreateAccessToken());
        server.Faults.FailNext(1, FaultKind.DropConnection);

        await Assert.ThrowsAsync<HttpRequestException>(() => Http.PostAsync(client, "users/me/meetings", Body));

        Assert.IsEmpty(server.Meetings);
        var record = server.Requests.Single();
        Assert.AreEqual(0, record.Status);
        Assert.AreEqual(FaultKind.DropConnection, record.Fault);
        Assert.IsFalse(record.FaultAfterHandling);
    }

    [TestMethod]
    public async Task Drop_after_create_leaves_the_meeting_created_while_the_client_sees_a_dropped_connection()
    {
        await using var server = await ZoomEmulatorServer.StartAsync();
        using var client = Http.Client(server, server.CreateAccessToken());
        server.Faults.FailNext(1, FaultKind.DropAfterCreate);

        await Assert.ThrowsAsync<HttpRequestException>(() => Http.PostAsync(client, "users/me/meetings", Body));

        var meeting = server.Meetings.Single();
        Assert.AreEqual("Faulty", meeting.Topic);
        var record = server.Requests.Single();
        Assert.AreEqual(FaultKind.DropAfterCreate, record.Fault);
        Assert.IsTrue(record.FaultAfterHandling);
        Assert.AreEqual(0, record.Status);
    }

    [TestMethod]
    public async Task Drop_after_create_on_a_reused_connection_is_not_hidden_by_a_client_retry()
    {
        await using var server = await ZoomEmulatorServer.StartAsync();
        using var client = Http.Client(server, server.CreateAccessToken());
        using (var warm = await Http.GetAsync(client, "users/me"))
        {
            Assert.AreEqual(HttpStatusCode.OK, warm.StatusCode);
        }

        server.Faults.FailNext(1, FaultKind.DropAfterCreate);
        await Assert.ThrowsAsync<HttpRequestException>(() => Http.PostAsync(client, "users/me/meetings", Body));

        Assert.HasCount(1, server.Meetings);
        Assert.HasCount(2, server.Requests);
    }

    [TestMethod]
    public async Task A_server_error_after_handling_still_makes_the_change()
    {
        await using var server = await ZoomEmulatorServer.StartAsync();
        using var client = Http.Client(server, server.CreateAccessToken());
        server.Faults.FailNext(1, FaultKind.BadGateway, FaultTiming.AfterHandling);

        using var failed = await Http.PostAsync(client, "users/me/meetings", Body);

        Assert.AreEqual(HttpStatusCode.BadGateway, failed.StatusCode);
        Assert.HasCount(1, server.Meetings);
    }

    [TestMethod]
    public async Task A_failure_rate_of_one_fails_every_request_with_the_chosen_kinds()
    {
        await using var server = await ZoomEmulatorServer.StartAsync();
        using var client = Http.Client(server, server.CreateAccessToken());
        server.Faults.RandomKinds = [FaultKind.InternalServerError, FaultKind.ServiceUnavailable];
        server.Faults.FailureRate = 1;

        for (var i = 0; i < 20; i++)
        {
            using var response = await Http.GetAsync(client, "users/me");
            Assert.IsTrue(response.StatusCode is HttpStatusCode.InternalServerError or HttpStatusCode.ServiceUnavailable, response.StatusCode.ToString());
        }

        var kinds = server.Requests.Select(r => r.Fault).Distinct().ToList();
        Assert.HasCount(2, kinds, "both kinds are chosen over 20 tries");

        server.Faults.Clear();
        using var healthy = await Http.GetAsync(client, "users/me");
        Assert.AreEqual(HttpStatusCode.OK, healthy.StatusCode);
    }

    [TestMethod]
    public async Task The_same_seed_fails_the_same_requests()
    {
        var first = await FailurePatternAsync(seed: 7);
        var second = await FailurePatternAsync(seed: 7);

        Assert.AreEqual(first, second);
        Assert.Contains('F', first);
        Assert.Contains('.', first);
    }

    [TestMethod]
    public async Task Random_faults_on_creates_strike_before_or_after_creation()
    {
        await using var server = await ZoomEmulatorServer.StartAsync(new EmulatorOptions { Seed = 3 });
        using var client = Http.Client(server, server.CreateAccessToken());
        server.Faults.RandomKinds = [FaultKind.InternalServerError];
        server.Faults.AfterHandlingProbability = 0.5;
        server.Faults.FailureRate = 1;

        for (var i = 0; i < 20; i++)
        {
            using var response = await Http.PostAsync(client, "users/me/meetings", Body);
            Assert.AreEqual(HttpStatusCode.InternalServerError, response.StatusCode);
        }

        var after = server.Requests.Count(r => r.FaultAfterHandling);
        Assert.AreEqual(after, server.Meetings.Count, "exactly the faults after handling left a meeting behind");
        Assert.IsTrue(after is > 0 and < 20, after.ToString(CultureInfo.InvariantCulture));
    }

    private static async Task<string> FailurePatternAsync(int seed)
    {
        await using var server = await ZoomEmulatorServer.StartAsync(new EmulatorOptions { Seed = seed });
        using var client = Http.Client(server, server.CreateAccessToken());
        server.Faults.RandomKinds = [FaultKind.ServiceUnavailable];
        server.Faults.FailureRate = 0.5;
        var pattern = new char[30];
        for (var i = 0; i < pattern.Length; i++)
        {
            using var response = await Http.GetAsync(client, "users/me");
            pattern[i] = response.IsSuccessStatusCode ? '.' : 'F';
        }

        return new string(pattern);
    }
}
