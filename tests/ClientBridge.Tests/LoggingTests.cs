using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using ClientBridge.Logging;
using ClientBridge.Protocol;
using ClientBridge.Protocol.Client;
using ClientBridge.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Serilog.Events;

namespace ClientBridge.Tests;

/// <summary>Nothing a user would call private reaches the agent's log file, at any level.</summary>
[TestClass]
public sealed class LoggingTests
{
    private const string SecretSubject = "Layoffs round 2 7f3c";
    private const string SecretAddress = "ceo.private@example.com";
    private const string SecretToken = "eyJhbGciOiJSUzI1NiJ9.secret-token-value";
    private const string SecretLink = "https://zoom.us/j/123456789?pwd=SuperSecretPass";

    private string _logs = null!;

    [TestInitialize]
    public void MakeFolder() => _logs = Path.Combine(Path.GetTempPath(), "cbt-log-" + Guid.NewGuid().ToString("N")[..8]);

    [TestCleanup]
    public void RemoveFolder()
    {
        if (Directory.Exists(_logs))
        {
            Directory.Delete(_logs, recursive: true);
        }
    }

    [TestMethod]
    public void Every_numbered_event_of_the_agent_has_a_number_of_its_own()
    {
        // An administrator filters the log by event id: two events under one number (the settings file's and the tray's
        // shared 700 to 703) make a filter show both.
        var numbered = typeof(AgentLogging).Assembly.GetTypes()
            .SelectMany(type => type.GetMethods(System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.DeclaredOnly))
            .Select(method => (Method: method.DeclaringType!.Name + "." + method.Name, Attribute: System.Reflection.CustomAttributeExtensions.GetCustomAttribute<LoggerMessageAttribute>(method)))
            .Where(x => x.Attribute is { EventId: >= 0 })
            .ToList();
        string[] shared = numbered
            .GroupBy(x => x.Attribute!.EventId)
            .Where(g => g.Count() > 1)
            .Select(g => g.Key + ": " + string.Join(", ", g.Select(x => x.Method)))
            .ToArray();

        Assert.IsGreaterThan(20, numbered.Count, "the agent's numbered events are found");
        Assert.IsEmpty(shared, string.Join("; ", shared));
    }

    [TestMethod]
    public async Task Calendar_contents_sent_through_the_agent_never_reach_its_log_even_at_verbose()
    {
        await using (TestAgent agent = await TestAgent.StartAsync(logging: l => l.Services.AddAgentLogging(_logs, console: false, LogEventLevel.Verbose)))
        {
            using BridgeClient plugin = agent.CreateClient("OutlookPlugin");
            var item = BridgeTests.Item("x", SecretSubject);
            item.Location = SecretLink;
            item.JoinUrl = SecretLink;
            item.Organizer = SecretAddress;
            item.Attendees = [SecretAddress];
            await plugin.RequestAsync(MessageKinds.CalendarSnapshot, new CalendarSnapshot { Items = [item] }, BridgeWire.Default.CalendarSnapshot, BridgeWire.Default.CalendarAck);
            await plugin.PingAsync(SecretToken);
            CalendarItem backwards = BridgeTests.Item("y", SecretSubject);
            backwards.End = backwards.Start.AddHours(-1);
            BridgeException refused = await Assert.ThrowsExactlyAsync<BridgeException>(() => plugin.RequestAsync(
                MessageKinds.CalendarDelta,
                new CalendarDelta { Upserted = [backwards] },
                BridgeWire.Default.CalendarDelta,
                BridgeWire.Default.CalendarAck));
            Assert.AreEqual(ErrorCodes.BadRequest, refused.Code);
            Assert.DoesNotContain(SecretSubject, refused.Message);
        }

        string log = ReadLog();
        StringAssert.Contains(log, "OutlookPlugin connected", "The log must be written at all, or this test proves nothing.");
        AssertNoSecrets(log);
    }

    [TestMethod]
    public void A_careless_log_call_is_redacted_by_the_rule()
    {
        using (ServiceProvider services = new ServiceCollection().AddAgentLogging(_logs, console: false, LogEventLevel.Verbose).BuildServiceProvider())
        {
            Microsoft.Extensions.Logging.ILogger logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Careless");
#pragma warning disable CA1848, CA1873 // The point is a careless call, as a future change might make.
            logger.LogInformation("Scheduling {Subject} for {Email} with {Token}", SecretSubject, SecretAddress, SecretToken);
            logger.LogInformation("Request {@Request}", new ScheduleMeetingRequest { Topic = SecretSubject, RequestId = "r1" });
            logger.LogInformation("Note {Text}", $"ask {SecretAddress} to open {SecretLink} with Bearer {SecretToken}");
#pragma warning restore CA1848, CA1873
        }

        string log = ReadLog();
        StringAssert.Contains(log, Redaction.Mask);
        StringAssert.Contains(log, "[ScheduleMeetingRequest]");
        AssertNoSecrets(log);
    }

    [TestMethod]
    public async Task Alternative_hosts_never_reach_the_log_neither_scheduled_nor_refused_nor_logged_carelessly()
    {
        const string Deputy = "deputy.hidden@example.com";
        const string NotAnAddress = "not-an-address-7Q2W";
        await using (TestAgent agent = await TestAgent.StartAsync(logging: l => l.Services.AddAgentLogging(_logs, console: false, LogEventLevel.Verbose)))
        {
            using BridgeClient plugin = agent.CreateClient("OutlookPlugin");
            ScheduleMeetingRequest request = SchedulingTests.Request("hosts");
            request.Options = new MeetingOptions { WaitingRoom = true, AlternativeHosts = [Deputy] };
            MeetingReply made = await plugin.RequestAsync(MessageKinds.ScheduleMeeting, request, BridgeWire.Default.ScheduleMeetingRequest, BridgeWire.Default.MeetingReply);
            Assert.IsNotNull(made.Note);
            request.RequestId = "refused";
            request.Options.AlternativeHosts = [NotAnAddress];
            await Assert.ThrowsExactlyAsync<BridgeException>(() => plugin.RequestAsync(MessageKinds.ScheduleMeeting, request, BridgeWire.Default.ScheduleMeetingRequest, BridgeWire.Default.MeetingReply));

            // A careless call, as a future change might make: the options by name, by ToString and destructured.
            var options = new Providers.RequestedOptions(true, null, [Deputy]);
            var plan = new Providers.MeetingPlan("t", DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5), null, null, null, options);
            Microsoft.Extensions.Logging.ILogger logger = agent.Get<ILoggerFactory>().CreateLogger("Careless");
#pragma warning disable CA1848, CA1873
            logger.LogInformation("Options {Options} {AlternativeHosts} {@Plan}", options, options.AlternativeHosts, plan);
#pragma warning restore CA1848, CA1873
        }

        string log = ReadLog();
        StringAssert.Contains(log, "Careless", "The log must be written at all, or this test proves nothing.");
        StringAssert.Contains(log, "addresses not shown");
        AssertNoSecrets(log);
        Assert.DoesNotContain("deputy.hidden", log);
        Assert.DoesNotContain(NotAnAddress, log);
    }

    [TestMethod]
    public void The_log_goes_to_the_users_own_folder()
    {
        string folder = AgentLogging.DefaultDirectory();

        string home = OperatingSystem.IsWindows()
            ? Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData)
            : Environment.GetEnvironmentVariable("XDG_STATE_HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        StringAssert.StartsWith(folder, home);
        StringAssert.EndsWith(folder, Path.Combine("ClientBridge", "logs"));
    }

    private static void AssertNoSecrets(string log)
    {
        foreach (string secret in new[] { SecretSubject, SecretAddress, SecretToken, "SuperSecretPass", "secret-token-value" })
        {
            Assert.DoesNotContain(secret, log, $"The log contains '{secret}'.");
        }
    }

    private string ReadLog()
    {
        string[] files = Directory.GetFiles(_logs, "agent-*.log");
        Assert.AreEqual(1, files.Length, "One rolling log file per day.");
        using var stream = new FileStream(files.Single(), FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return new StreamReader(stream).ReadToEnd();
    }
}
