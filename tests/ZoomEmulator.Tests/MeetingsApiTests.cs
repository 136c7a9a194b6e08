using System;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace ZoomEmulator.Tests;

[TestClass]
public sealed class MeetingsApiTests
{
    private const string Scheduled = """
        {"topic":"Planning","type":2,"start_time":"2026-03-02T15:00:00Z","timezone":"Europe/Berlin","duration":45,
         "agenda":"Q2","settings":{"join_before_host":true,"waiting_room":false}}
        """;

    [TestMethod]
    public async Task Create_get_patch_delete_round_trip()
    {
        await using var server = await ZoomEmulatorServer.StartAsync();
        using var client = Http.Client(server, server.CreateAccessToken());

        using var created = await Http.PostAsync(client, "users/me/meetings", Scheduled);
        Assert.AreEqual(HttpStatusCode.Created, created.StatusCode);
        var meeting = await Http.ReadJsonAsync(created);
        var id = meeting.GetProperty("id").GetInt64();
        Assert.IsGreaterThan(9_999_999_999L, id, "IDs exceed 10 digits, as Zoom's can");
        var password = meeting.GetProperty("password").GetString()!;
        StringAssert.StartsWith(meeting.GetProperty("join_url").GetString(), $"https://zoom.example/j/{id}?pwd=");
        Assert.AreEqual("2026-03-02T15:00:00Z", meeting.GetProperty("start_time").GetString());
        Assert.AreEqual("Europe/Berlin", meeting.GetProperty("timezone").GetString());
        Assert.AreEqual(45, meeting.GetProperty("duration").GetInt32());
        Assert.AreEqual(2, meeting.GetProperty("type").GetInt32());
        Assert.IsFalse(string.IsNullOrEmpty(password));

        using (var got = await Http.GetAsync(client, $"meetings/{id}"))
        {
            Assert.AreEqual(HttpStatusCode.OK, got.StatusCode);
            Assert.AreEqual("Planning", (await Http.ReadJsonAsync(got)).GetProperty("topic").GetString());
        }

        using (var patched = await Http.PatchAsync(client, $"meetings/{id}", """{"topic":"Planning (moved)","start_time":"2026-03-02T10:00:00","duration":30}"""))
        {
            Assert.AreEqual(HttpStatusCode.NoContent, patched.StatusCode);
        }

        var stored = server.Meetings.Single();
        Assert.AreEqual("Planning (moved)", stored.Topic);
        Assert.AreEqual(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero), stored.StartTime, "a start_time without Z is Berlin wall time");
        Assert.AreEqual(30, stored.Duration);
        Assert.AreEqual("host@example.com", stored.HostUser);

        using (var invitation = await Http.GetAsync(client, $"meetings/{id}/invitation"))
        {
            Assert.AreEqual(HttpStatusCode.OK, invitation.StatusCode);
            StringAssert.Contains((await Http.ReadJsonAsync(invitation)).GetProperty("invitation").GetString(), stored.JoinUrl.ToString());
        }

        using (var deleted = await Http.DeleteAsync(client, $"meetings/{id}"))
        {
            Assert.AreEqual(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        using (var gone = await Http.GetAsync(client, $"meetings/{id}"))
        {
            Assert.AreEqual(HttpStatusCode.NotFound, gone.StatusCode);
            var error = await Http.ReadJsonAsync(gone);
            Assert.AreEqual(3001, error.GetProperty("code").GetInt32());
            StringAssert.StartsWith(error.GetProperty("message").GetString(), "Meeting does not exist: ");
        }

        using (var again = await Http.DeleteAsync(client, $"meetings/{id}"))
        {
            Assert.AreEqual(HttpStatusCode.NotFound, again.StatusCode);
        }

        Assert.IsEmpty(server.Meetings);
        Assert.IsEmpty(server.SchemaViolations);
        Assert.AreEqual(7, server.Requests.Count);
    }

    [TestMethod]
    public async Task Recurring_meeting_has_occurrences_that_can_be_changed_and_deleted_one_by_one()
    {
        await using var server = await ZoomEmulatorServer.StartAsync();
        using var client = Http.Client(server, server.CreateAccessToken());
        const string body = """
            {"topic":"Standup","type":8,"start_time":"2026-03-02T09:30:00","timezone":"America/New_York","duration":15,
             "recurrence":{"type":2,"repeat_interval":1,"weekly_days":"2,4","end_times":4}}
            """;

        using var created = await Http.PostAsync(client, "users/me/meetings", body);
        Assert.AreEqual(HttpStatusCode.Created, created.StatusCode);
        var meeting = await Http.ReadJsonAsync(created);
        var id = meeting.GetProperty("id").GetInt64();
        var occurrences = meeting.GetProperty("occurrences").EnumerateArray().ToList();
        Assert.HasCount(4, occurrences);
        Assert.AreEqual("2026-03-02T14:30:00Z", occurrences[0].GetProperty("start_time").GetString());
        Assert.AreEqual("2026-03-04T14:30:00Z", occurrences[1].GetProperty("start_time").GetString(), "weekly_days \"2,4\": Mondays and Wednesdays, as the spec's text allows");
        Assert.AreEqual("2026-03-09T13:30:00Z", occurrences[2].GetProperty("start_time").GetString(), "US DST starts on 8 March: same wall clock, one hour earlier in GMT");
        Assert.AreEqual(8, meeting.GetProperty("type").GetInt32());
        Assert.AreEqual(2, meeting.GetProperty("recurrence").GetProperty("type").GetInt32());

        var second = occurrences[1].GetProperty("occurrence_id").GetString();
        var third = occurrences[2].GetProperty("occurrence_id").GetString();
        using (var moved = await Http.PatchAsync(client, $"meetings/{id}?occurrence_id={second}", """{"start_time":"2026-03-10T14:00:00Z","duration":20}"""))
        {
            Assert.AreEqual(HttpStatusCode.NoContent, moved.StatusCode);
        }

        using (var deleted = await Http.DeleteAsync(client, $"meetings/{id}?occurrence_id={third}"))
        {
            Assert.AreEqual(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        using (var deletedAgain = await Http.DeleteAsync(client, $"meetings/{id}?occurrence_id={third}"))
        {
            Assert.AreEqual(HttpStatusCode.BadRequest, deletedAgain.StatusCode);
        }

        var stored = server.Meetings.Single();
        CollectionAssert.AreEqual(new[] { third }, stored.DeletedOccurrences.ToArray());
        var changed = stored.Occurrences.Single(o => o.OccurrenceId == second);
        Assert.AreEqual(new DateTimeOffset(2026, 3, 10, 14, 0, 0, TimeSpan.Zero), changed.StartTime);
        Assert.AreEqual(20, changed.Duration);
        StringAssert.Contains(stored.RecurrenceJson, "\"end_times\":4");

        using var got = await Http.GetAsync(client, $"meetings/{id}");
        Assert.HasCount(3, (await Http.ReadJsonAsync(got)).GetProperty("occurrences").EnumerateArray().ToList());
        Assert.IsEmpty(server.SchemaViolations);
    }

    [TestMethod]
    [DataRow("2026-07-01T09:00:00Z", "Asia/Tokyo", "2026-07-01T09:00:00Z", DisplayName = "Z is GMT whatever the timezone")]
    [DataRow("2026-07-01T09:00:00", "Asia/Tokyo", "2026-07-01T00:00:00Z", DisplayName = "no Z is local to timezone")]
    [DataRow("2026-07-01T09:00:00", "SST", "2026-06-30T22:00:00Z", DisplayName = "SST is Solomon Islands")]
    [DataRow("2026-07-01T09:00:00", "Asia/Manila", "2026-07-01T01:00:00Z", DisplayName = "Asia/Manila is accepted")]
    public async Task Start_time_is_read_as_zoom_reads_it(string startTime, string timezone, string expectedGmt)
    {
        await using var server = await ZoomEmulatorServer.StartAsync();
        using var client = Http.Client(server, server.CreateAccessToken());

        using var created = await Http.PostAsync(client, "users/me/meetings", $$"""{"topic":"t","type":2,"start_time":"{{startTime}}","timezone":"{{timezone}}"}""");

        Assert.AreEqual(HttpStatusCode.Created, created.StatusCode);
        Assert.AreEqual(expectedGmt, (await Http.ReadJsonAsync(created)).GetProperty("start_time").GetString());
        Assert.AreEqual(startTime, server.Meetings.Single().StartTimeAsSent);
        Assert.IsEmpty(server.SchemaViolations);
    }

    [TestMethod]
    public async Task A_delegate_schedules_for_another_host_and_the_profile_is_served()
    {
        await using var server = await ZoomEmulatorServer.StartAsync(new EmulatorOptions { UserEmail = "assistant@example.com" });
        using var client = Http.Client(server, server.CreateAccessToken());

        using var created = await Http.PostAsync(client, "users/me/meetings", """{"topic":"Board","type":2,"start_time":"2026-04-01T08:00:00Z","duration":60,"schedule_for":"boss@example.com"}""");
        Assert.AreEqual(HttpStatusCode.Created, created.StatusCode);
        var stored = server.Meetings.Single();
        Assert.AreEqual("boss@example.com", stored.HostUser);
        Assert.AreEqual("boss@example.com", stored.ScheduleFor);

        using var me = await Http.GetAsync(client, "users/me");
        Assert.AreEqual(HttpStatusCode.OK, me.StatusCode);
        Assert.AreEqual("assistant@example.com", (await Http.ReadJsonAsync(me)).GetProperty("email").GetString());
    }

    [TestMethod]
    [DataRow("""{"topic":"x","type":2,"duration":"60"}""", "body.duration: expected integer", DisplayName = "wrong type")]
    [DataRow("""{"topic":"x","type":5}""", "body.type: number 5 is not one of", DisplayName = "bad enum")]
    [DataRow("""{"topic":"x","type":8,"recurrence":{"repeat_interval":1}}""", "required property \"type\" is missing", DisplayName = "missing required")]
    [DataRow("""{"topic":"x","type":8,"start_time":"2026-03-02T09:00:00Z","recurrence":{"type":1,"end_times":51}}""", "end_times: 51 is outside 1..50", DisplayName = "end_times 51")]
    [DataRow("""{"topic":"x","type":2,"start_time":"2026-03-02T09:00:00","timezone":"Europe/Atlantis"}""", "is not a Zoom time zone ID", DisplayName = "unknown timezone")]
    [DataRow("""{"topic":"x","type":2,"start_time":"2026-03-02 09:00"}""", "is not a valid date-time", DisplayName = "bad date-time")]
    [DataRow("""{"topic":"x","type":2,"password":"12345678901"}""", "more than maxLength 10", DisplayName = "maxLength")]
    [DataRow("""{"topic":null}""", "null is not allowed", DisplayName = "null")]
    [DataRow("""{"topic":"x","type":8,"recurrence":{"type":2,"weekly_days":"2,9","end_times":2}}""", "weekly_days: string", DisplayName = "weekly_days outside 1-7")]
    [DataRow("""[1,2]""", "expected object", DisplayName = "not an object")]
    [DataRow("""{"topic":""", "body is not JSON", DisplayName = "not JSON")]
    public async Task A_body_that_breaks_the_spec_is_refused_and_recorded(string body, string expected)
    {
        await using var server = await ZoomEmulatorServer.StartAsync();
        using var client = Http.Client(server, server.CreateAccessToken());

        using var response = await Http.PostAsync(client, "users/me/meetings", body);

        Assert.AreEqual(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await Http.ReadJsonAsync(response);
        Assert.AreEqual(300, error.GetProperty("code").GetInt32());
        StringAssert.Contains(error.GetProperty("message").GetString(), expected);
        Assert.IsTrue(server.SchemaViolations.Any(v => v.Contains(expected, StringComparison.Ordinal)), string.Join("\n", server.SchemaViolations));
        StringAssert.StartsWith(server.SchemaViolations[0], "POST /v2/users/me/meetings: ");
        Assert.IsEmpty(server.Meetings);
    }

    [TestMethod]
    public async Task A_patch_body_is_checked_too_and_unknown_properties_are_ignored()
    {
        await using var server = await ZoomEmulatorServer.StartAsync();
        using var client = Http.Client(server, server.CreateAccessToken());
        using var created = await Http.PostAsync(client, "users/me/meetings", """{"topic":"x","type":2,"not_in_spec":true}""");
        Assert.AreEqual(HttpStatusCode.Created, created.StatusCode, "the spec does not forbid additional properties");
        var id = (await Http.ReadJsonAsync(created)).GetProperty("id").GetInt64();

        using var patched = await Http.PatchAsync(client, $"meetings/{id}", """{"settings":{"audio":"loud"}}""");

        Assert.AreEqual(HttpStatusCode.BadRequest, patched.StatusCode);
        Assert.HasCount(1, server.SchemaViolations);
        StringAssert.Contains(server.SchemaViolations[0], "body.settings.audio");
        StringAssert.StartsWith(server.SchemaViolations[0], $"PATCH /v2/meetings/{id}: ");
    }

    [TestMethod]
    public async Task Every_api_request_needs_a_valid_bearer_token()
    {
        await using var server = await ZoomEmulatorServer.StartAsync();
        using var anonymous = Http.Client(server, null);
        using var forged = Http.Client(server, "not-a-token");

        foreach (var client in new[] { anonymous, forged })
        {
            using var response = await Http.PostAsync(client, "users/me/meetings", """{"topic":"x"}""");
            Assert.AreEqual(HttpStatusCode.Unauthorized, response.StatusCode);
            var error = await Http.ReadJsonAsync(response);
            Assert.AreEqual(124, error.GetProperty("code").GetInt32());
            Assert.AreEqual("Invalid access token.", error.GetProperty("message").GetString());
        }

        Assert.IsEmpty(server.Meetings);
    }

    [TestMethod]
    public async Task An_access_token_stops_working_when_its_lifetime_is_over()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));
        await using var server = await ZoomEmulatorServer.StartAsync(new EmulatorOptions { TimeProvider = clock, AccessTokenLifetime = TimeSpan.FromSeconds(30) });
        using var client = Http.Client(server, server.CreateAccessToken());

        using (var fresh = await Http.GetAsync(client, "users/me"))
        {
            Assert.AreEqual(HttpStatusCode.OK, fresh.StatusCode);
        }

        clock.Advance(TimeSpan.FromSeconds(31));
        using var expired = await Http.GetAsync(client, "users/me");
        Assert.AreEqual(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.AreEqual(124, (await Http.ReadJsonAsync(expired)).GetProperty("code").GetInt32());
    }

    [TestMethod]
    public async Task Parallel_creates_each_make_one_meeting_and_the_record_is_bounded()
    {
        await using var server = await ZoomEmulatorServer.StartAsync(new EmulatorOptions { MaxRecordedRequests = 10 });
        using var client = Http.Client(server, server.CreateAccessToken());

        var responses = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            Http.PostAsync(client, "users/me/meetings", $$"""{"topic":"m{{i.ToString(CultureInfo.InvariantCulture)}}","type":2,"start_time":"2026-05-01T10:00:00Z"}""")));
        foreach (var response in responses)
        {
            Assert.AreEqual(HttpStatusCode.Created, response.StatusCode);
            response.Dispose();
        }

        Assert.HasCount(40, server.Meetings.Select(m => m.Id).Distinct().ToList());
        Assert.HasCount(10, server.Requests);
    }

    [TestMethod]
    public async Task The_daily_create_limit_answers_429_when_configured()
    {
        await using var server = await ZoomEmulatorServer.StartAsync(new EmulatorOptions { DailyCreateUpdateLimitPerHost = 2 });
        using var client = Http.Client(server, server.CreateAccessToken());
        for (var i = 0; i < 2; i++)
        {
            using var ok = await Http.PostAsync(client, "users/me/meetings", """{"topic":"x"}""");
            Assert.AreEqual(HttpStatusCode.Created, ok.StatusCode);
        }

        using var refused = await Http.PostAsync(client, "users/me/meetings", """{"topic":"x"}""");
        Assert.AreEqual((HttpStatusCode)429, refused.StatusCode);
        Assert.AreEqual(429, (await Http.ReadJsonAsync(refused)).GetProperty("code").GetInt32());
    }

    [TestMethod]
    public async Task Unknown_meeting_ids_are_404()
    {
        await using var server = await ZoomEmulatorServer.StartAsync();
        using var client = Http.Client(server, server.CreateAccessToken());
        foreach (var path in new[] { "meetings/12345678901", "meetings/abc" })
        {
            using var response = await Http.GetAsync(client, path);
            Assert.AreEqual(HttpStatusCode.NotFound, response.StatusCode);
            Assert.AreEqual(3001, (await Http.ReadJsonAsync(response)).GetProperty("code").GetInt32());
        }

        using var patch = await Http.PatchAsync(client, "meetings/12345678901", """{"topic":"y"}""");
        Assert.AreEqual(HttpStatusCode.NotFound, patch.StatusCode);
    }
}
