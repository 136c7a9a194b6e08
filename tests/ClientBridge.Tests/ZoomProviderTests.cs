using System;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using ClientBridge.Protocol;
using ClientBridge.Providers;
using ClientBridge.Providers.Zoom;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using ZoomEmulator;

namespace ClientBridge.Tests;

/// <summary>The Zoom provider against the Zoom emulator, which checks every request against Zoom's published API description.</summary>
[TestClass]
public sealed class ZoomProviderTests
{
    private static readonly DateTimeOffset NineInBerlin = new(2026, 12, 1, 9, 0, 0, TimeSpan.FromHours(1));

    private ZoomEmulatorServer _zoom = null!;
    private ServiceProvider _services = null!;
    private HttpClient _http = null!;
    private EmulatorTokens _tokens = null!;
    private ZoomProvider _provider = null!;

    public TestContext TestContext { get; set; } = null!;

    [TestInitialize]
    public async Task Start()
    {
        _zoom = await ZoomEmulatorServer.StartAsync();

        // The client the agent makes, with its retries: the provider relies on it for look-ups, updates and cancels.
        _services = new ServiceCollection().AddZoomHttpClients(FastRetries).BuildServiceProvider();
        _http = _services.GetRequiredService<IHttpClientFactory>().CreateClient(ZoomHttp.ApiClient);
        _tokens = new EmulatorTokens(_zoom);
        _provider = new ZoomProvider(_http, _zoom.ApiBaseUrl, _tokens, new ZoomMeetingDefaults { WaitingRoom = true }, FastRetries);
    }

    [TestCleanup]
    public async Task Stop()
    {
        Assert.AreEqual(0, _zoom.SchemaViolations.Count, "Zoom would have refused: " + string.Join(" | ", _zoom.SchemaViolations));
        _http.Dispose();
        await _services.DisposeAsync();
        await _zoom.DisposeAsync();
    }

    private static ZoomRetryOptions FastRetries => new() { BaseDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromSeconds(3), AttemptTimeout = TimeSpan.FromSeconds(5) };

    [TestMethod]
    public async Task A_meeting_lands_at_the_same_instant_in_zoom_as_in_outlook()
    {
        MeetingDetails made = await _provider.CreateAsync(Plan("Quarterly review", NineInBerlin, "W. Europe Standard Time"), "r1", _ => false, CancellationToken.None);

        EmulatedMeeting meeting = _zoom.Meetings.Single();
        Assert.AreEqual(NineInBerlin.UtcDateTime, meeting.StartTime!.Value.UtcDateTime);
        Assert.AreEqual(45, meeting.Duration);
        Assert.AreEqual(2, meeting.Type);
        Assert.AreEqual("Quarterly review", meeting.Topic);
        Assert.AreEqual(meeting.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), made.MeetingId);
        Assert.AreEqual(meeting.JoinUrl.AbsoluteUri, made.JoinUrl);
        Assert.AreEqual(meeting.Password, made.Passcode);
        Assert.IsFalse(string.IsNullOrWhiteSpace(made.InvitationText));
        StringAssert.Contains(meeting.SettingsJson, "\"waiting_room\":true");
        StringAssert.Contains(_zoom.Requests.First(r => r.Method == "POST").Body, "\"default_password\":true", "A passcode is asked for by default.");
    }

    [TestMethod]
    [DataRow("Pacific Standard Time", 2026, 3, 8, 3, 30)]
    [DataRow("AUS Eastern Standard Time", 2026, 10, 4, 3, 0)]
    [DataRow("Myanmar Standard Time", 2026, 6, 1, 9, 0)]
    [DataRow("Europe/Berlin", 2026, 10, 25, 2, 30)]
    public async Task Around_clock_changes_and_in_zones_zoom_lacks_the_instant_is_kept(string zone, int y, int mo, int d, int h, int mi)
    {
        TimeZoneInfo info = TimeZoneConverter.TZConvert.GetTimeZoneInfo(zone);
        var wall = new DateTime(y, mo, d, h, mi, 0);
        DateTimeOffset start = new(wall, info.IsAmbiguousTime(wall) ? info.GetAmbiguousTimeOffsets(wall).Max() : info.GetUtcOffset(wall));

        await _provider.CreateAsync(Plan("t", start, zone), "r", _ => false, CancellationToken.None);

        Assert.AreEqual(start.UtcDateTime, _zoom.Meetings.Single().StartTime!.Value.UtcDateTime);
    }

    [TestMethod]
    public async Task A_delegate_schedules_for_the_calendar_owner()
    {
        MeetingPlan plan = Plan("For the boss", NineInBerlin, "W. Europe Standard Time") with { ScheduleFor = "owner@example.com" };

        await _provider.CreateAsync(plan, "r", _ => false, CancellationToken.None);

        Assert.AreEqual("owner@example.com", _zoom.Meetings.Single().ScheduleFor);
    }

    [TestMethod]
    public async Task A_weekly_series_has_fixed_times_and_a_yearly_one_gets_one_link_with_a_note()
    {
        var weekly = new Recurrence { Pattern = "weekly", DaysOfWeek = [DayOfWeek.Monday, DayOfWeek.Thursday], Occurrences = 10 };
        var yearly = new Recurrence { Pattern = "yearly", DayOfMonth = 1, MonthOfYear = 12, Occurrences = 5 };

        MeetingDetails weeklyMade = await _provider.CreateAsync(Plan("Standup", NineInBerlin, "W. Europe Standard Time") with { Recurrence = weekly }, "w", _ => false, CancellationToken.None);
        MeetingDetails yearlyMade = await _provider.CreateAsync(Plan("Anniversary", NineInBerlin, "W. Europe Standard Time") with { Recurrence = yearly }, "y", _ => false, CancellationToken.None);

        EmulatedMeeting weeklyMeeting = _zoom.Meetings.Single(m => m.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) == weeklyMade.MeetingId);
        EmulatedMeeting yearlyMeeting = _zoom.Meetings.Single(m => m.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) == yearlyMade.MeetingId);
        Assert.AreEqual(8, weeklyMeeting.Type);
        StringAssert.Contains(weeklyMeeting.RecurrenceJson, "\"weekly_days\":\"2,5\"");
        Assert.IsNull(weeklyMade.Note);
        Assert.AreEqual(3, yearlyMeeting.Type);
        StringAssert.Contains(yearlyMade.Note, "yearly");
    }

    [TestMethod]
    public async Task Moving_a_meeting_or_only_its_zone_keeps_zoom_at_the_right_instant()
    {
        MeetingDetails made = await _provider.CreateAsync(Plan("Move me", NineInBerlin, "W. Europe Standard Time"), "r", _ => false, CancellationToken.None);
        DateTimeOffset later = NineInBerlin.AddDays(1).AddHours(2);

        await _provider.UpdateAsync(made.MeetingId, new MeetingChange(Start: later, TimeZoneId: "W. Europe Standard Time"), CancellationToken.None);
        EmulatedMeeting moved = _zoom.Meetings.Single();
        await _provider.UpdateAsync(made.MeetingId, new MeetingChange(TimeZoneId: "Eastern Standard Time"), CancellationToken.None);
        EmulatedMeeting rezoned = _zoom.Meetings.Single();

        Assert.AreEqual(later.UtcDateTime, moved.StartTime!.Value.UtcDateTime);
        Assert.AreEqual("Move me", moved.Topic, "What the update did not name stays.");
        Assert.AreEqual(later.UtcDateTime, rezoned.StartTime!.Value.UtcDateTime, "A new zone alone must not shift the meeting.");
        Assert.AreEqual("America/New_York", rezoned.Timezone);
    }

    [TestMethod]
    public async Task One_occurrence_of_a_series_is_moved_or_deleted_alone()
    {
        var weekly = new Recurrence { Pattern = "weekly", DaysOfWeek = [DayOfWeek.Tuesday], Occurrences = 6 };
        MeetingDetails series = await _provider.CreateAsync(Plan("Weekly", NineInBerlin, "W. Europe Standard Time") with { Recurrence = weekly }, "s", _ => false, CancellationToken.None);
        DateTimeOffset second = NineInBerlin.AddDays(7);
        DateTimeOffset third = NineInBerlin.AddDays(14);

        await _provider.UpdateAsync(series.MeetingId, new MeetingChange(Start: second.AddHours(3), TimeZoneId: "W. Europe Standard Time", Occurrence: second), CancellationToken.None);
        await _provider.CancelAsync(series.MeetingId, third, CancellationToken.None);

        EmulatedMeeting meeting = _zoom.Meetings.Single();
        Assert.AreEqual(NineInBerlin.UtcDateTime, meeting.StartTime!.Value.UtcDateTime, "The series itself does not move.");
        Assert.IsTrue(meeting.Occurrences.Any(o => o.StartTime == second.AddHours(3).ToUniversalTime() && !o.Deleted), "The second occurrence moved three hours.");
        Assert.IsTrue(meeting.Occurrences.Any(o => o.StartTime == third.ToUniversalTime() && o.Deleted), "The third occurrence is deleted.");
        Assert.AreEqual(5, meeting.Occurrences.Count(o => !o.Deleted));
    }

    [TestMethod]
    public async Task A_series_zoom_keeps_without_fixed_times_keeps_its_link_when_one_occurrence_changes()
    {
        var yearly = new Recurrence { Pattern = "yearly", DayOfMonth = 1, MonthOfYear = 12, Occurrences = 3 };
        MeetingDetails series = await _provider.CreateAsync(Plan("Yearly", NineInBerlin, "W. Europe Standard Time") with { Recurrence = yearly }, "y", _ => false, CancellationToken.None);

        MeetingDetails moved = await _provider.UpdateAsync(series.MeetingId, new MeetingChange(Start: NineInBerlin.AddYears(1).AddHours(1), Occurrence: NineInBerlin.AddYears(1)), CancellationToken.None);
        await _provider.CancelAsync(series.MeetingId, NineInBerlin.AddYears(2), CancellationToken.None);

        Assert.AreEqual(series.JoinUrl, moved.JoinUrl);
        StringAssert.Contains(moved.Note, "cannot be moved");
        Assert.AreEqual(1, _zoom.Meetings.Count, "The series stays.");
    }

    [TestMethod]
    public async Task A_cancelled_meeting_is_gone_and_cancelling_again_is_no_error()
    {
        MeetingDetails made = await _provider.CreateAsync(Plan("Cancel me", NineInBerlin, null), "r", _ => false, CancellationToken.None);

        await _provider.CancelAsync(made.MeetingId, null, CancellationToken.None);
        await _provider.CancelAsync(made.MeetingId, null, CancellationToken.None);

        Assert.AreEqual(0, _zoom.Meetings.Count);
        Assert.IsNull(await _provider.GetAsync(made.MeetingId, CancellationToken.None));
    }

    [TestMethod]
    public async Task A_create_is_retried_when_zoom_says_it_made_nothing_and_retry_after_is_honoured()
    {
        _zoom.Faults.RetryAfterSeconds = 1;
        _zoom.Faults.FailNext(1, FaultKind.TooManyRequests);
        _zoom.Faults.FailNext(1, FaultKind.ServiceUnavailable);
        var clock = Stopwatch.StartNew();

        await _provider.CreateAsync(Plan("Busy Zoom", NineInBerlin, null), "r", _ => false, CancellationToken.None);

        Assert.AreEqual(1, _zoom.Meetings.Count);
        Assert.IsGreaterThanOrEqualTo(TimeSpan.FromSeconds(0.9), clock.Elapsed, "Retry-After: 1 must be waited out.");
    }

    [TestMethod]
    [DataRow(FaultKind.InternalServerError, FaultTiming.BeforeHandling, 2)]
    [DataRow(FaultKind.InternalServerError, FaultTiming.AfterHandling, 1)]
    [DataRow(FaultKind.ServiceUnavailable, FaultTiming.AfterHandling, 1)]
    [DataRow(FaultKind.TooManyRequests, FaultTiming.AfterHandling, 1)]
    [DataRow(FaultKind.DropConnection, FaultTiming.BeforeHandling, 2)]
    [DataRow(FaultKind.DropAfterCreate, FaultTiming.AfterHandling, 1)]
    public async Task A_failed_create_is_looked_for_before_it_is_sent_again_so_there_is_one_meeting(FaultKind fault, FaultTiming timing, int expectedPosts)
    {
        _zoom.Faults.RetryAfterSeconds = 0;
        _zoom.Faults.FailNext(1, fault, timing);

        MeetingDetails made = await _provider.CreateAsync(Plan("Maybe made", NineInBerlin, null), "r", _ => false, CancellationToken.None);

        int posts = _zoom.Requests.Count(r => r.Method == "POST" && r.Path.EndsWith("/meetings", StringComparison.Ordinal));
        Assert.AreEqual(1, _zoom.Meetings.Count, "Exactly one meeting, whether or not the failed attempt made it.");
        Assert.AreEqual(_zoom.Meetings.Single().Id.ToString(System.Globalization.CultureInfo.InvariantCulture), made.MeetingId);
        Assert.AreEqual(expectedPosts, posts, "A create is sent again only when the search found nothing.");
    }

    [TestMethod]
    public async Task The_agents_zoom_client_retries_a_lookup_but_never_sends_a_create_twice_by_itself()
    {
        string token = _zoom.CreateAccessToken();
        _zoom.Faults.RetryAfterSeconds = 0;
        _zoom.Faults.FailNext(1, FaultKind.InternalServerError, FaultTiming.AfterHandling);
        using (var create = new HttpRequestMessage(HttpMethod.Post, new Uri(_zoom.ApiBaseUrl.AbsoluteUri.TrimEnd('/') + "/users/me/meetings")))
        {
            create.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            create.Content = new StringContent("""{"topic":"Once","type":2,"start_time":"2026-12-01T08:00:00Z","duration":30}""", System.Text.Encoding.UTF8, "application/json");
            using HttpResponseMessage refused = await _http.SendAsync(create, TestContext.CancellationToken);
            Assert.AreEqual(System.Net.HttpStatusCode.InternalServerError, refused.StatusCode, "The failed create comes back to the provider as it is.");
        }

        Assert.AreEqual(1, _zoom.Requests.Count(r => r.Method == "POST"), "The transport never sends a create again.");
        Assert.AreEqual(1, _zoom.Meetings.Count, "Zoom made it before it failed: one meeting, which the provider's search finds.");

        string id = _zoom.Meetings.Single().Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _zoom.Faults.FailNext(1, FaultKind.ServiceUnavailable);
        _zoom.Faults.FailNext(1, FaultKind.DropConnection);
        using (var lookup = new HttpRequestMessage(HttpMethod.Get, new Uri(_zoom.ApiBaseUrl.AbsoluteUri.TrimEnd('/') + "/meetings/" + id)))
        {
            lookup.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            using HttpResponseMessage found = await _http.SendAsync(lookup, TestContext.CancellationToken);
            Assert.AreEqual(System.Net.HttpStatusCode.OK, found.StatusCode, "A look-up rides out a 503 and a dropped connection.");
        }

        Assert.AreEqual(3, _zoom.Requests.Count(r => r.Method == "GET"));
    }

    [TestMethod]
    public async Task A_meeting_another_request_owns_is_never_taken_for_this_one()
    {
        MeetingDetails other = await _provider.CreateAsync(Plan("Same slot", NineInBerlin, null), "other", _ => false, CancellationToken.None);
        _zoom.Faults.FailNext(1, FaultKind.DropConnection);

        MeetingDetails mine = await _provider.CreateAsync(Plan("Same slot", NineInBerlin, null), "mine", id => id == other.MeetingId, CancellationToken.None);

        Assert.AreNotEqual(other.MeetingId, mine.MeetingId);
        Assert.AreEqual(2, _zoom.Meetings.Count);
    }

    [TestMethod]
    public async Task Updates_and_lookups_ride_out_server_errors_and_broken_connections()
    {
        MeetingDetails made = await _provider.CreateAsync(Plan("Flaky", NineInBerlin, null), "r", _ => false, CancellationToken.None);
        _zoom.Faults.FailNext(1, FaultKind.InternalServerError);
        _zoom.Faults.FailNext(1, FaultKind.DropConnection);
        _zoom.Faults.FailNext(1, FaultKind.BadGateway);

        MeetingDetails updated = await _provider.UpdateAsync(made.MeetingId, new MeetingChange(Topic: "Still here"), CancellationToken.None);

        Assert.AreEqual("Still here", _zoom.Meetings.Single().Topic);
        Assert.AreEqual(made.JoinUrl, updated.JoinUrl, "The link survives the change.");
    }

    [TestMethod]
    public async Task A_token_zoom_refuses_is_renewed_once_and_the_call_goes_through()
    {
        _tokens.NextIsBad = true;

        await _provider.CreateAsync(Plan("After renewal", NineInBerlin, null), "r", _ => false, CancellationToken.None);

        Assert.AreEqual(1, _tokens.ForcedRefreshes);
        Assert.AreEqual(1, _zoom.Meetings.Count);
    }

    [TestMethod]
    public async Task A_meeting_id_that_is_not_zooms_never_reaches_a_url()
    {
        BridgeException error = await Assert.ThrowsExactlyAsync<BridgeException>(() => _provider.CancelAsync("../users/me", null, CancellationToken.None));

        Assert.AreEqual(ErrorCodes.BadRequest, error.Code);
        Assert.AreEqual(0, _zoom.Requests.Count);
    }

    [TestMethod]
    public async Task Meeting_options_override_the_users_defaults_when_zoom_makes_the_meeting()
    {
        var options = new RequestedOptions(WaitingRoom: false, RequirePasscode: false, AlternativeHosts: ["deputy@example.com", "second@example.org"]);

        MeetingDetails made = await _provider.CreateAsync(Plan("With options", NineInBerlin, null) with { Options = options }, "r", _ => false, CancellationToken.None);

        EmulatedMeeting meeting = _zoom.Meetings.Single();
        StringAssert.Contains(meeting.SettingsJson, "\"waiting_room\":false", "The request turned off the default waiting room.");
        StringAssert.Contains(meeting.SettingsJson, "\"alternative_hosts\":\"deputy@example.com;second@example.org\"");
        StringAssert.Contains(_zoom.Requests.Single(r => r.Method == "POST").Body, "\"default_password\":false");
        Assert.IsNull(made.Note, "Nothing was overruled.");
    }

    [TestMethod]
    public async Task An_update_sends_only_the_options_it_asks_for()
    {
        MeetingDetails made = await _provider.CreateAsync(Plan("Options later", NineInBerlin, null), "r", _ => false, CancellationToken.None);

        await _provider.UpdateAsync(made.MeetingId, new MeetingChange(Options: new RequestedOptions(AlternativeHosts: ["deputy@example.com"])), CancellationToken.None);
        string hostsOnly = _zoom.Requests.Last(r => r.Method == "PATCH").Body;
        MeetingDetails open = await _provider.UpdateAsync(made.MeetingId, new MeetingChange(Options: new RequestedOptions(RequirePasscode: false)), CancellationToken.None);
        string openBody = _zoom.Requests.Last(r => r.Method == "PATCH").Body;
        MeetingDetails closed = await _provider.UpdateAsync(made.MeetingId, new MeetingChange(Topic: "Closed again", Options: new RequestedOptions(RequirePasscode: true, WaitingRoom: false)), CancellationToken.None);

        StringAssert.Contains(hostsOnly, "\"alternative_hosts\":\"deputy@example.com\"");
        Assert.DoesNotContain("waiting_room", hostsOnly, "Not asked for, so not sent.");
        Assert.DoesNotContain("password", hostsOnly);
        StringAssert.Contains(openBody, "\"password\":\"\"", "Zoom's update removes a passcode when given an empty one.");
        Assert.DoesNotContain("settings", openBody);
        Assert.IsNull(open.Passcode);
        Assert.IsFalse(string.IsNullOrEmpty(closed.Passcode), "Turned back on, the meeting has a passcode again.");
        EmulatedMeeting meeting = _zoom.Meetings.Single();
        Assert.AreEqual(closed.Passcode, meeting.Password);
        Assert.AreEqual("Closed again", meeting.Topic);
        StringAssert.Contains(meeting.SettingsJson, "\"waiting_room\":false");
        StringAssert.Contains(meeting.SettingsJson, "\"alternative_hosts\":\"deputy@example.com\"", "Hosts set earlier stay.");
    }

    [TestMethod]
    public async Task A_configured_policy_beats_what_a_meeting_asks_for_on_create_and_on_update()
    {
        var policies = new PolicyTests.Policies((ClientBridge.Policies.PolicyValues.ZoomWaitingRoom, 1), (ClientBridge.Policies.PolicyValues.ZoomRequirePasscode, 1));
        var provider = new ZoomProvider(_http, _zoom.ApiBaseUrl, _tokens, new ZoomMeetingDefaults { WaitingRoom = false, RequirePasscode = false }, FastRetries, policies);

        MeetingDetails made = await provider.CreateAsync(Plan("Locked", NineInBerlin, null) with { Options = new RequestedOptions(WaitingRoom: false, RequirePasscode: false) }, "r", _ => false, CancellationToken.None);
        MeetingDetails updated = await provider.UpdateAsync(made.MeetingId, new MeetingChange(Options: new RequestedOptions(WaitingRoom: false)), CancellationToken.None);

        StringAssert.Contains(_zoom.Requests.Single(r => r.Method == "POST").Body, "\"default_password\":true");
        StringAssert.Contains(_zoom.Requests.Single(r => r.Method == "PATCH").Body, "\"waiting_room\":true");
        StringAssert.Contains(_zoom.Meetings.Single().SettingsJson, "\"waiting_room\":true");
        StringAssert.Contains(made.Note, "policy keeps the waiting room on and the passcode on");
        StringAssert.Contains(updated.Note, "policy keeps the waiting room on");
    }

    [TestMethod]
    public async Task Options_given_with_one_occurrence_change_the_series_and_say_so()
    {
        var weekly = new Recurrence { Pattern = "weekly", DaysOfWeek = [DayOfWeek.Tuesday], Occurrences = 4 };
        MeetingDetails series = await _provider.CreateAsync(Plan("Weekly", NineInBerlin, "W. Europe Standard Time") with { Recurrence = weekly }, "s", _ => false, CancellationToken.None);

        MeetingDetails changed = await _provider.UpdateAsync(series.MeetingId, new MeetingChange(Occurrence: NineInBerlin.AddDays(7), Options: new RequestedOptions(AlternativeHosts: ["deputy@example.com"])), CancellationToken.None);

        StringAssert.Contains(_zoom.Meetings.Single().SettingsJson, "deputy@example.com");
        Assert.AreEqual(1, _zoom.Requests.Count(r => r.Method == "PATCH"), "The occurrence itself had nothing to change.");
        StringAssert.Contains(changed.Note, "whole series");
    }

    [TestMethod]
    public async Task A_series_that_stops_repeating_becomes_a_scheduled_meeting_in_zoom()
    {
        var weekly = new Recurrence { Pattern = "weekly", DaysOfWeek = [DayOfWeek.Tuesday], Occurrences = 4 };
        MeetingDetails made = await _provider.CreateAsync(Plan("Weekly", NineInBerlin, "W. Europe Standard Time") with { Recurrence = weekly }, "s", _ => false, CancellationToken.None);
        Assert.AreEqual(8, _zoom.Meetings.Single().Type);
        DateTimeOffset single = NineInBerlin.AddDays(7).AddHours(1);

        MeetingDetails changed = await _provider.UpdateAsync(made.MeetingId, new MeetingChange(Start: single, RecurrenceRemoved: true), CancellationToken.None);

        EmulatedMeeting meeting = _zoom.Meetings.Single();
        string patch = _zoom.Requests.Single(r => r.Method == "PATCH").Body;
        Assert.AreEqual(2, meeting.Type);
        Assert.AreEqual(single.UtcDateTime, meeting.StartTime!.Value.UtcDateTime);
        Assert.AreEqual(45, meeting.Duration, "The length Zoom had is sent along, not lost.");
        Assert.AreEqual("Europe/Berlin", meeting.Timezone, "The meeting's own zone is kept when the update names none.");
        Assert.IsNull(meeting.RecurrenceJson);
        Assert.AreEqual(0, meeting.Occurrences.Count);
        StringAssert.Contains(patch, "\"type\":2");
        StringAssert.Contains(patch, "\"start_time\":");
        StringAssert.Contains(patch, "\"duration\":45");
        StringAssert.Contains(patch, "\"timezone\":\"Europe/Berlin\"");
        Assert.DoesNotContain("recurrence", patch);
        Assert.AreEqual(made.JoinUrl, changed.JoinUrl, "The link stays the same.");
    }

    [TestMethod]
    public async Task A_series_without_fixed_times_needs_the_start_to_become_single_and_a_single_meeting_is_left_alone()
    {
        var yearly = new Recurrence { Pattern = "yearly", DayOfMonth = 1, MonthOfYear = 12, Occurrences = 5 };
        MeetingDetails series = await _provider.CreateAsync(Plan("Anniversary", NineInBerlin, "W. Europe Standard Time") with { Recurrence = yearly }, "y", _ => false, CancellationToken.None);
        MeetingDetails plain = await _provider.CreateAsync(Plan("Plain", NineInBerlin, "W. Europe Standard Time"), "p", _ => false, CancellationToken.None);

        BridgeException noStart = await Assert.ThrowsExactlyAsync<BridgeException>(() => _provider.UpdateAsync(series.MeetingId, new MeetingChange(RecurrenceRemoved: true), CancellationToken.None));
        await _provider.UpdateAsync(series.MeetingId, new MeetingChange(Start: NineInBerlin, TimeZoneId: "W. Europe Standard Time", RecurrenceRemoved: true), CancellationToken.None);
        int patches = _zoom.Requests.Count(r => r.Method == "PATCH");
        await _provider.UpdateAsync(plain.MeetingId, new MeetingChange(RecurrenceRemoved: true), CancellationToken.None);

        Assert.AreEqual(ErrorCodes.BadRequest, noStart.Code);
        EmulatedMeeting made = _zoom.Meetings.Single(m => m.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) == series.MeetingId);
        Assert.AreEqual(2, made.Type);
        Assert.AreEqual(NineInBerlin.UtcDateTime, made.StartTime!.Value.UtcDateTime);
        Assert.AreEqual(patches, _zoom.Requests.Count(r => r.Method == "PATCH"), "A meeting that is single already has nothing to change.");
    }

    [TestMethod]
    public async Task An_empty_host_list_clears_the_alternative_hosts_and_none_leaves_them()
    {
        MeetingDetails made = await _provider.CreateAsync(Plan("Hosted", NineInBerlin, null) with { Options = new RequestedOptions(AlternativeHosts: ["deputy@example.com"]) }, "r", _ => false, CancellationToken.None);

        await _provider.UpdateAsync(made.MeetingId, new MeetingChange(Options: new RequestedOptions(WaitingRoom: false)), CancellationToken.None);
        string untouched = _zoom.Requests.Last(r => r.Method == "PATCH").Body;
        string? stillHosted = _zoom.Meetings.Single().SettingsJson;
        await _provider.UpdateAsync(made.MeetingId, new MeetingChange(Options: new RequestedOptions(AlternativeHosts: [])), CancellationToken.None);
        string cleared = _zoom.Requests.Last(r => r.Method == "PATCH").Body;

        Assert.DoesNotContain("alternative_hosts", untouched, "Hosts not asked about are not sent.");
        StringAssert.Contains(stillHosted, "\"alternative_hosts\":\"deputy@example.com\"");
        StringAssert.Contains(cleared, "\"alternative_hosts\":\"\"");
        Assert.DoesNotContain("waiting_room", cleared);
        StringAssert.Contains(_zoom.Meetings.Single().SettingsJson, "\"alternative_hosts\":\"\"");
    }

    [TestMethod]
    public async Task A_new_meeting_asked_for_no_hosts_gets_none_not_even_the_users_default_ones()
    {
        var provider = new ZoomProvider(_http, _zoom.ApiBaseUrl, _tokens, new ZoomMeetingDefaults { AlternativeHosts = "usual@example.com" }, FastRetries);

        await provider.CreateAsync(Plan("Defaults", NineInBerlin, null), "d", _ => false, CancellationToken.None);
        await provider.CreateAsync(Plan("None", NineInBerlin, null) with { Options = new RequestedOptions(AlternativeHosts: []) }, "n", _ => false, CancellationToken.None);

        string[] posts = [.. _zoom.Requests.Where(r => r.Method == "POST").Select(r => r.Body)];
        StringAssert.Contains(posts[0], "\"alternative_hosts\":\"usual@example.com\"");
        Assert.DoesNotContain("alternative_hosts", posts[1]);
    }

    private static MeetingPlan Plan(string topic, DateTimeOffset start, string? zone) =>
        new(topic, start, TimeSpan.FromMinutes(45), zone, null, null);

    /// <summary>Tokens the emulator itself issues; <see cref="NextIsBad"/> hands out one it will refuse.</summary>
    private sealed class EmulatorTokens(ZoomEmulatorServer zoom) : IZoomTokenSource
    {
        public bool NextIsBad { get; set; }

        public int ForcedRefreshes { get; private set; }

        public bool IsSignedIn => true;

        public Task<string> GetAccessTokenAsync(bool forceRefresh, CancellationToken cancellationToken)
        {
            if (forceRefresh)
            {
                ForcedRefreshes++;
            }

            if (NextIsBad)
            {
                NextIsBad = false;
                return Task.FromResult("expired-or-revoked");
            }

            return Task.FromResult(zoom.CreateAccessToken());
        }
    }
}
