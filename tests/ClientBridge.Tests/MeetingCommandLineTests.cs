using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using ClientBridge.Cli;
using ClientBridge.Protocol;
using ClientBridge.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TimeZoneConverter;

namespace ClientBridge.Tests;

/// <summary><c>schedule</c>, <c>update</c>, <c>cancel</c> as a person or a script runs them: the real executable, which starts the agent itself.</summary>
[TestClass]
public sealed class MeetingCommandLineTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    private BridgeEndpoint _endpoint = null!;
    private string _state = null!;
    private Dictionary<string, string> _environment = null!;

    [TestInitialize]
    public void Prepare()
    {
        _endpoint = TestAgent.NewEndpoint();
        _state = Path.Combine(Path.GetTempPath(), "cbt-state-" + Guid.NewGuid().ToString("N")[..8]);
        _environment = new() { ["ClientBridge__StateDirectory"] = _state };
    }

    [TestCleanup]
    public async Task StopTheAgentTheCommandStarted()
    {
        await StopAgentAsync();
        TestAgent.Clean(_endpoint);
        if (Directory.Exists(_state))
        {
            Directory.Delete(_state, recursive: true);
        }
    }

    [TestMethod]
    public async Task One_command_on_a_fresh_machine_schedules_a_meeting_and_prints_how_to_join()
    {
        var (code, output, error) = await Run("schedule", "--subject", "Team sync", "--start", "2026-11-23T09:00", "--duration", "30", "--time-zone", "W. Europe Standard Time");

        Assert.AreEqual(ExitCodes.Ok, code, AgentProcess.Describe(output, error));
        StringAssert.Contains(output, "Scheduled a jitsi meeting.");
        StringAssert.Contains(output, "Join:       https://meet.jit.si/ClientBridge-");
    }

    [TestMethod]
    public async Task Json_output_and_a_retried_request_id_give_the_same_meeting()
    {
        string[] args = ["schedule", "--subject", "Retro", "--start", "2026-11-23T15:00Z", "--end", "2026-11-23T15:45Z", "--request-id", "cli-1", "--json"];

        var first = await Run(args);
        var second = await Run(args);

        Assert.AreEqual(ExitCodes.Ok, first.ExitCode, AgentProcess.Describe(first.Output, first.Error));
        MeetingReply one = JsonSerializer.Deserialize(first.Output, BridgeJsonContext.Default.MeetingReply)!;
        MeetingReply two = JsonSerializer.Deserialize(second.Output, BridgeJsonContext.Default.MeetingReply)!;
        Assert.AreEqual("jitsi", one.Provider);
        Assert.AreEqual(one.MeetingId, two.MeetingId);
        Assert.AreEqual(one.JoinUrl, two.JoinUrl);
    }

    [TestMethod]
    public async Task A_meeting_can_be_updated_and_cancelled_from_the_command_line()
    {
        var made = await Run("schedule", "--subject", "Plan", "--start", "2026-11-23T09:00Z", "--json");
        MeetingReply meeting = JsonSerializer.Deserialize(made.Output, BridgeJsonContext.Default.MeetingReply)!;

        var updated = await Run("update", "--meeting-id", meeting.MeetingId, "--provider", "jitsi", "--start", "2026-11-24T09:00Z", "--duration", "60", "--json");
        var cancelled = await Run("cancel", "--meeting-id", meeting.MeetingId, "--provider", "jitsi");

        Assert.AreEqual(ExitCodes.Ok, updated.ExitCode, AgentProcess.Describe(updated.Output, updated.Error));
        Assert.AreEqual(meeting.JoinUrl, JsonSerializer.Deserialize(updated.Output, BridgeJsonContext.Default.MeetingReply)!.JoinUrl, "A Jitsi link survives any change.");
        Assert.AreEqual(ExitCodes.Ok, cancelled.ExitCode, AgentProcess.Describe(cancelled.Output, cancelled.Error));
        StringAssert.Contains(cancelled.Output, "is cancelled");
    }

    [TestMethod]
    public async Task Zoom_end_to_end_from_the_command_line_through_the_agent_to_zoom()
    {
        await using ZoomEmulator.ZoomEmulatorServer zoom = await ZoomEmulator.ZoomEmulatorServer.StartAsync();
        _environment["ClientBridge__Zoom__ApiBaseUrl"] = zoom.ApiBaseUrl.AbsoluteUri;
        _environment["ClientBridge__Zoom__OAuthBaseUrl"] = zoom.OAuthBaseUrl.AbsoluteUri;
        _environment["ClientBridge__Zoom__ClientId"] = zoom.Options.ClientId;
        _environment["ClientBridge__Zoom__ClientSecret"] = zoom.Options.ClientSecret;
        _environment["ClientBridge__Zoom__AccountId"] = zoom.Options.AccountId;

        var made = await Run("schedule", "--provider", "zoom", "--subject", "Board call", "--start", "2026-12-01T09:00", "--duration", "50", "--time-zone", "W. Europe Standard Time", "--for", "owner@example.com", "--waiting-room", "off", "--alt-host", "deputy@example.com", "--json");
        Assert.AreEqual(ExitCodes.Ok, made.ExitCode, AgentProcess.Describe(made.Output, made.Error));
        MeetingReply meeting = JsonSerializer.Deserialize(made.Output, BridgeJsonContext.Default.MeetingReply)!;
        string? createdSettings = zoom.Meetings.Single().SettingsJson;
        var moved = await Run("update", "--provider", "zoom", "--meeting-id", meeting.MeetingId, "--start", "2026-12-02T14:30", "--time-zone", "W. Europe Standard Time", "--alt-host", "second@example.com", "--json");
        ZoomEmulator.EmulatedMeeting atZoom = zoom.Meetings.Single();
        var cancelled = await Run("cancel", "--provider", "zoom", "--meeting-id", meeting.MeetingId);

        Assert.AreEqual("zoom", meeting.Provider);
        Assert.AreEqual(atZoom.JoinUrl.AbsoluteUri, meeting.JoinUrl);
        Assert.AreEqual("owner@example.com", atZoom.ScheduleFor);
        StringAssert.Contains(createdSettings, "\"waiting_room\":false");
        StringAssert.Contains(createdSettings, "\"alternative_hosts\":\"deputy@example.com\"");
        StringAssert.Contains(atZoom.SettingsJson, "\"alternative_hosts\":\"second@example.com\"");
        StringAssert.Contains(atZoom.SettingsJson, "\"waiting_room\":false", "Not asked again, so kept.");
        Assert.AreEqual(ExitCodes.Ok, moved.ExitCode, AgentProcess.Describe(moved.Output, moved.Error));
        Assert.AreEqual(new DateTimeOffset(2026, 12, 2, 13, 30, 0, TimeSpan.Zero), atZoom.StartTime);
        Assert.AreEqual(50, atZoom.Duration);
        Assert.AreEqual(ExitCodes.Ok, cancelled.ExitCode, AgentProcess.Describe(cancelled.Output, cancelled.Error));
        Assert.AreEqual(0, zoom.Meetings.Count);
        Assert.AreEqual(0, zoom.SchemaViolations.Count, string.Join(" | ", zoom.SchemaViolations));
    }

    [TestMethod]
    public async Task No_file_the_agent_writes_holds_a_subject_an_address_or_a_secret()
    {
        const string Subject = "Merger talks 5QX2";
        const string NewSubject = "Layoff list 8ZK1";
        const string Owner = "ceo.hidden@example.com";
        const string Deputy = "deputy.hidden@example.com";
        const string Secret = "client-secret-9WQ3";
        await using ZoomEmulator.ZoomEmulatorServer zoom = await ZoomEmulator.ZoomEmulatorServer.StartAsync(new ZoomEmulator.EmulatorOptions { ClientSecret = Secret });
        _environment["ClientBridge__Zoom__ApiBaseUrl"] = zoom.ApiBaseUrl.AbsoluteUri;
        _environment["ClientBridge__Zoom__OAuthBaseUrl"] = zoom.OAuthBaseUrl.AbsoluteUri;
        _environment["ClientBridge__Zoom__ClientId"] = zoom.Options.ClientId;
        _environment["ClientBridge__Zoom__ClientSecret"] = Secret;
        _environment["ClientBridge__Zoom__AccountId"] = zoom.Options.AccountId;

        var signedIn = await Run("sign-in", "--provider", "zoom");
        var made = await Run("schedule", "--provider", "zoom", "--subject", Subject, "--start", "2026-12-01T09:00Z", "--for", Owner, "--alt-host", Deputy, "--json");
        MeetingReply meeting = JsonSerializer.Deserialize(made.Output, BridgeJsonContext.Default.MeetingReply)!;
        var updated = await Run("update", "--provider", "zoom", "--meeting-id", meeting.MeetingId, "--subject", NewSubject, "--alt-host", Deputy);
        var jitsi = await Run("schedule", "--subject", Subject, "--start", "2026-12-01T09:00Z");
        var cancelled = await Run("cancel", "--provider", "zoom", "--meeting-id", meeting.MeetingId);
        await StopAgentAsync(); // So that every log line is on disk.

        foreach (var step in new[] { signedIn, made, updated, jitsi, cancelled })
        {
            Assert.AreEqual(ExitCodes.Ok, step.ExitCode, AgentProcess.Describe(step.Output, step.Error));
        }

        string[] files = Directory.GetFiles(_state, "*", SearchOption.AllDirectories);
        Assert.IsTrue(files.Any(f => f.EndsWith(".log", StringComparison.Ordinal)), "The agent must have logged, or this proves nothing.");
        foreach (string file in files)
        {
            string text = await File.ReadAllTextAsync(file);
            foreach (string marker in new[] { Subject, NewSubject, Owner, Deputy, Secret, "Bearer " })
            {
                Assert.DoesNotContain(marker, text, $"{Path.GetFileName(file)} holds '{marker}'.");
            }
        }
    }

    [TestMethod]
    public async Task A_series_given_as_an_rrule_is_scheduled_and_a_bad_rule_is_explained()
    {
        var series = await Run("schedule", "--subject", "Standup", "--start", "2026-11-23T09:00", "--time-zone", "Europe/Berlin", "--recurrence", "FREQ=WEEKLY;BYDAY=MO,TH;COUNT=10", "--json");
        var bad = await Run("schedule", "--subject", "Standup", "--start", "2026-11-23T09:00", "--recurrence", "FREQ=HOURLY");

        Assert.AreEqual(ExitCodes.Ok, series.ExitCode, AgentProcess.Describe(series.Output, series.Error));
        Assert.AreEqual(ExitCodes.Usage, bad.ExitCode, AgentProcess.Describe(bad.Output, bad.Error));
        StringAssert.StartsWith(bad.Error, "--recurrence:");
    }

    [TestMethod]
    [DataRow("--time-zone", "Mars Standard Time", "neither a Windows time zone id")]
    [DataRow("--end", "2026-11-23T08:00", "--end must be after --start")]
    [DataRow("--start", "tomorrow-ish", "is not a date and time")]
    [DataRow("--duration", "0", "1 minute to 24 hours")]
    [DataRow("--provider", "webex", "not a meeting provider")]
    [DataRow("--waiting-room", "maybe", "--waiting-room takes on or off")]
    [DataRow("--passcode", "yes", "--passcode takes on or off")]
    [DataRow("--alt-host", "deputy", "not an e-mail address")]
    public async Task A_value_that_cannot_be_used_is_one_sentence_and_exit_2(string option, string value, string expected)
    {
        var args = new List<string> { "schedule", "--subject", "x", "--start", "2026-11-23T09:00", "--time-zone", "UTC" };
        int at = args.IndexOf(option);
        if (at >= 0)
        {
            args[at + 1] = value;
        }
        else
        {
            args.AddRange([option, value]);
        }

        var (code, output, error) = await Run([.. args]);

        Assert.AreEqual(ExitCodes.Usage, code, AgentProcess.Describe(output, error));
        StringAssert.Contains(error, expected);
        Assert.DoesNotContain("   at ", error, "No stack trace.");
    }

    [TestMethod]
    public void Meeting_option_flags_become_the_requests_options_and_none_leaves_the_defaults()
    {
        ParseResult schedule = MeetingCommandOptions.ScheduleCommand().Parse(
            ["--subject", "x", "--start", "2026-11-23T09:00Z", "--waiting-room", "off", "--passcode", "ON", "--alt-host", "a@example.com", "--alt-host", "b@example.com"]);
        ParseResult update = MeetingCommandOptions.UpdateCommand().Parse(["--meeting-id", "1", "--alt-host", "c@example.com"]);
        ParseResult plain = MeetingCommandOptions.UpdateCommand().Parse(["--meeting-id", "1", "--subject", "y"]);
        ParseResult wrong = MeetingCommandOptions.UpdateCommand().Parse(["--meeting-id", "1", "--passcode", "sometimes"]);

        Assert.AreEqual(0, schedule.Errors.Count, string.Join(" ", schedule.Errors.Select(e => e.Message)));
        MeetingOptions scheduled = MeetingCommandOptions.ScheduleRequest(schedule).Options!;
        Assert.IsFalse(scheduled.WaitingRoom);
        Assert.IsTrue(scheduled.RequirePasscode);
        CollectionAssert.AreEqual(new[] { "a@example.com", "b@example.com" }, scheduled.AlternativeHosts);
        MeetingOptions updated = MeetingCommandOptions.UpdateRequest(update).Options!;
        Assert.IsNull(updated.WaitingRoom, "Not given: the meeting keeps what it has.");
        Assert.IsNull(updated.RequirePasscode);
        CollectionAssert.AreEqual(new[] { "c@example.com" }, updated.AlternativeHosts);
        Assert.IsNull(MeetingCommandOptions.UpdateRequest(plain).Options);
        UsageException usage = Assert.ThrowsExactly<UsageException>(() => MeetingCommandOptions.UpdateRequest(wrong));
        Assert.AreEqual("--passcode takes on or off, not 'sometimes'.", usage.Message);
    }

    [TestMethod]
    public void No_recurrence_and_no_alt_hosts_become_the_update_and_clash_with_their_opposites()
    {
        UpdateMeetingRequest single = MeetingCommandOptions.UpdateRequest(MeetingCommandOptions.UpdateCommand().Parse(
            ["--meeting-id", "1", "--start", "2026-11-23T09:00Z", "--no-recurrence"]));
        UpdateMeetingRequest cleared = MeetingCommandOptions.UpdateRequest(MeetingCommandOptions.UpdateCommand().Parse(["--meeting-id", "1", "--no-alt-hosts"]));
        UpdateMeetingRequest plain = MeetingCommandOptions.UpdateRequest(MeetingCommandOptions.UpdateCommand().Parse(["--meeting-id", "1", "--waiting-room", "on"]));
        ParseResult both = MeetingCommandOptions.UpdateCommand().Parse(["--meeting-id", "1", "--start", "2026-11-23T09:00Z", "--no-recurrence", "--recurrence", "FREQ=DAILY;COUNT=3"]);
        ParseResult hosts = MeetingCommandOptions.UpdateCommand().Parse(["--meeting-id", "1", "--no-alt-hosts", "--alt-host", "a@example.com"]);

        Assert.IsTrue(single.RecurrenceRemoved);
        Assert.IsNull(single.Recurrence);
        Assert.IsNull(single.Options);
        Assert.IsFalse(cleared.RecurrenceRemoved);
        Assert.IsNotNull(cleared.Options!.AlternativeHosts);
        Assert.IsEmpty(cleared.Options.AlternativeHosts, "An empty list removes every alternative host.");
        Assert.IsNull(plain.Options!.AlternativeHosts, "Hosts not mentioned stay as they are.");
        Assert.AreEqual("Give --recurrence or --no-recurrence, not both.", Assert.ThrowsExactly<UsageException>(() => MeetingCommandOptions.UpdateRequest(both)).Message);
        Assert.AreEqual("Give --alt-host or --no-alt-hosts, not both.", Assert.ThrowsExactly<UsageException>(() => MeetingCommandOptions.UpdateRequest(hosts)).Message);
    }

    [TestMethod]
    public async Task No_recurrence_with_a_recurrence_is_a_usage_error_with_exit_2()
    {
        var (code, output, error) = await Run("update", "--meeting-id", "1", "--provider", "jitsi", "--start", "2026-11-23T09:00Z", "--no-recurrence", "--recurrence", "FREQ=DAILY;COUNT=3");

        Assert.AreEqual(ExitCodes.Usage, code, AgentProcess.Describe(output, error));
        StringAssert.Contains(error, "not both");
        Assert.DoesNotContain("   at ", error, "No stack trace.");
    }

    [TestMethod]
    public void A_wall_clock_is_read_in_the_meetings_zone_and_an_offset_is_taken_as_given()
    {
        TimeZoneInfo berlin = TZConvert.GetTimeZoneInfo("W. Europe Standard Time");

        Assert.AreEqual(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero), MeetingCommands.ParseTime("2026-11-23T09:00", berlin, "--start").ToUniversalTime());
        Assert.AreEqual(new DateTimeOffset(2026, 7, 1, 7, 0, 0, TimeSpan.Zero), MeetingCommands.ParseTime("2026-07-01T09:00", berlin, "--start").ToUniversalTime());
        Assert.AreEqual(new DateTimeOffset(2026, 11, 23, 14, 0, 0, TimeSpan.Zero), MeetingCommands.ParseTime("2026-11-23T09:00-05:00", berlin, "--start").ToUniversalTime());
        Assert.AreEqual(TimeSpan.FromHours(2), MeetingCommands.ParseTime("2026-10-25T02:30", berlin, "--start").Offset, "The repeated autumn hour is read as the first, still summer time.");
        Assert.ThrowsExactly<UsageException>(() => MeetingCommands.ParseTime("2026-03-29T02:30", berlin, "--start"));
    }

    private async Task StopAgentAsync()
    {
        var (code, output, _) = await AgentProcess.RunAsync(Limit, "status", "--json", "--pipe", _endpoint.PipeName, "--timeout", "1");
        if (code == ExitCodes.Ok)
        {
            int pid = JsonSerializer.Deserialize(output, BridgeJsonContext.Default.StatusReply)!.ProcessId;
            using Process agent = Process.GetProcessById(pid);
            agent.Kill();
            await agent.WaitForExitAsync();
        }
    }

    private Task<(int ExitCode, string Output, string Error)> Run(params string[] args) =>
        AgentProcess.RunWithAsync(_environment, Limit, [.. args, "--pipe", _endpoint.PipeName]);
}
