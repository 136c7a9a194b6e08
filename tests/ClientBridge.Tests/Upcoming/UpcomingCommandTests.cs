using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using ClientBridge.Cli;
using ClientBridge.Protocol;
using ClientBridge.Protocol.Client;
using ClientBridge.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace ClientBridge.Tests.Upcoming;

/// <summary><c>ClientBridge upcoming</c> over a real pipe against an in-process agent fed a snapshot (the real clock: meetings are placed around it).</summary>
[TestClass]
public sealed class UpcomingCommandTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [TestMethod]
    public async Task Upcoming_prints_the_menu_model_of_the_agent()
    {
        await using TestAgent agent = await TestAgent.StartAsync();
        await PushAsync(agent);
        using var output = new StringWriter();
        using var error = new StringWriter();

        int code = await UpcomingCommand.ExecuteAsync(agent.Endpoint, json: false, TimeSpan.FromSeconds(10), output, error, CancellationToken.None);

        string text = output.ToString();
        Assert.AreEqual(ExitCodes.Ok, code, error.ToString());
        StringAssert.StartsWith(text, "Jitsi: ready (no sign-in needed)");
        StringAssert.Contains(text, "Now:");
        StringAssert.Contains(text, "  Design review");
        StringAssert.Contains(text, "Join  -> https://meet.jit.si/ClientBridge-test");
        StringAssert.Contains(text, "Next:");
        StringAssert.Contains(text, "  Budget");
        Assert.IsFalse(text.Contains("Skipped", StringComparison.Ordinal), "declined meetings are hidden");
        StringAssert.Contains(text, "Schedule a meeting now");
        StringAssert.Contains(text, "Quit");
        StringAssert.Contains(text, "Tooltip: ClientBridge | Now: Design review until");
    }

    [TestMethod]
    public async Task Upcoming_json_is_the_reply_for_scripts_from_the_real_executable()
    {
        await using TestAgent agent = await TestAgent.StartAsync();
        await PushAsync(agent);

        var (code, output, error) = await AgentProcess.RunAsync(Limit, "upcoming", "--json", "--pipe", agent.Endpoint.PipeName);

        Assert.AreEqual(ExitCodes.Ok, code, AgentProcess.Describe(output, error));
        UpcomingReply reply = JsonSerializer.Deserialize(output, BridgeJsonContext.Default.UpcomingReply)!;
        UpcomingMeeting now = reply.Meetings.Single(m => m.Section == UpcomingSection.Now);
        Assert.AreEqual(("Design review", "https://meet.jit.si/ClientBridge-test"), (now.Subject, now.JoinUrl));
        Assert.AreEqual("Budget", reply.Meetings.Single(m => m.Section == UpcomingSection.Next).Subject);
        Assert.AreEqual(1, reply.DeclinedHidden);
        Assert.IsTrue(reply.Tooltip.Length <= 127);
        Assert.IsTrue(reply.Menu.Count > 5);
        Assert.IsTrue(reply.CalendarRevision > 0);
        StringAssert.Contains(output, "\"section\":\"Now\"", "enums travel as names");
    }

    [TestMethod]
    public async Task Upcoming_with_no_agent_says_so_and_exits_3()
    {
        BridgeEndpoint nowhere = TestAgent.NewEndpoint();

        var (code, output, error) = await AgentProcess.RunAsync(Limit, "upcoming", "--pipe", nowhere.PipeName, "--timeout", "0.5");
        var (jsonCode, json, _) = await AgentProcess.RunAsync(Limit, "upcoming", "--json", "--pipe", nowhere.PipeName, "--timeout", "0.5");

        Assert.AreEqual(ExitCodes.AgentNotRunning, code, AgentProcess.Describe(output, error));
        StringAssert.Contains(error, "No agent is running");
        Assert.AreEqual(ExitCodes.AgentNotRunning, jsonCode);
        using JsonDocument problem = JsonDocument.Parse(json);
        Assert.AreEqual(ErrorCodes.AgentNotRunning, problem.RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    [TestMethod]
    public async Task A_delta_shows_in_the_next_answer()
    {
        await using TestAgent agent = await TestAgent.StartAsync();
        await PushAsync(agent);
        using BridgeClient plugin = agent.CreateClient("OutlookPlugin");
        DateTimeOffset soon = Minute(DateTimeOffset.Now).AddMinutes(30);

        await plugin.RequestAsync(
            MessageKinds.CalendarDelta,
            new CalendarDelta { Upserted = [new CalendarItem { Id = "soon", Subject = "Sooner", Start = soon, End = soon.AddMinutes(15), Response = ResponseStatus.Accepted }] },
            BridgeWire.Default.CalendarDelta,
            BridgeWire.Default.CalendarAck);
        UpcomingReply reply = await plugin.RequestAsync(MessageKinds.UpcomingGet, new UpcomingRequest { MeetingsOnly = true }, BridgeWire.Default.UpcomingRequest, BridgeWire.Default.UpcomingReply);

        Assert.AreEqual("Sooner", reply.Meetings.Single(m => m.Section == UpcomingSection.Next).Subject);
        Assert.AreEqual(0, reply.Menu.Count, "meetings only");
    }

    private static async Task PushAsync(TestAgent agent)
    {
        DateTimeOffset now = Minute(DateTimeOffset.Now);
        using BridgeClient plugin = agent.CreateClient("OutlookPlugin");
        await plugin.RequestAsync(
            MessageKinds.CalendarSnapshot,
            new CalendarSnapshot
            {
                WindowStart = now.AddHours(-1),
                WindowEnd = now.AddDays(30),
                Items =
                [
                    new CalendarItem { Id = "now", Subject = "Design review", Start = now.AddMinutes(-10), End = now.AddMinutes(50), JoinUrl = "https://meet.jit.si/ClientBridge-test", Response = ResponseStatus.Organized },
                    new CalendarItem { Id = "next", Subject = "Budget", Start = now.AddHours(2), End = now.AddHours(3), Response = ResponseStatus.Accepted },
                    new CalendarItem { Id = "declined", Subject = "Skipped", Start = now.AddMinutes(40), End = now.AddHours(1), Response = ResponseStatus.Declined },
                    new CalendarItem { Id = "old", Subject = "Over", Start = now.AddHours(-3), End = now.AddHours(-2), Response = ResponseStatus.Accepted },
                ],
            },
            BridgeWire.Default.CalendarSnapshot,
            BridgeWire.Default.CalendarAck);
    }

    private static DateTimeOffset Minute(DateTimeOffset t) => new(t.Year, t.Month, t.Day, t.Hour, t.Minute, 0, t.Offset);
}
