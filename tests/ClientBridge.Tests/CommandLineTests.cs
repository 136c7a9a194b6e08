using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using ClientBridge.Cli;
using ClientBridge.Protocol;
using ClientBridge.Protocol.Client;
using ClientBridge.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace ClientBridge.Tests;

/// <summary>The <c>ClientBridge</c> command as people and scripts use it: the real executable, its output and exit codes.</summary>
[TestClass]
public sealed class CommandLineTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [TestMethod]
    public async Task Without_a_command_the_agent_runs()
    {
        BridgeEndpoint endpoint = TestAgent.NewEndpoint();
        string logs = Path.Combine(Path.GetTempPath(), "cbt-logs-" + Guid.NewGuid().ToString("N")[..8]);

        using AgentProcess agent = await AgentProcess.StartAsync(endpoint, logs, command: null);

        Assert.IsFalse(agent.HasExited);
        agent.Kill();
        TestAgent.Clean(endpoint);
    }

    [TestMethod]
    public async Task Status_of_a_running_agent_prints_its_state_and_exits_0()
    {
        await using TestAgent agent = await TestAgent.StartAsync();

        var (code, output, error) = await AgentProcess.RunAsync(Limit, "status", "--pipe", agent.Endpoint.PipeName);

        Assert.AreEqual(ExitCodes.Ok, code, AgentProcess.Describe(output, error));
        StringAssert.Contains(output, "ClientBridge agent");
        StringAssert.Contains(output, "is running");
        StringAssert.Contains(output, agent.Endpoint.PipeName);
    }

    [TestMethod]
    public async Task Status_says_when_Outlook_does_not_trust_the_addin()
    {
        await using TestAgent agent = await TestAgent.StartAsync();
        using BridgeClient addin = agent.CreateClient("OutlookPlugin", o => o.Capabilities.Add(BridgeProtocol.OutlookUntrustedCapability));
        await addin.PingAsync("hello");

        var (code, output, error) = await AgentProcess.RunAsync(Limit, "status", "--pipe", agent.Endpoint.PipeName);

        Assert.AreEqual(ExitCodes.Ok, code, AgentProcess.Describe(output, error));
        StringAssert.Contains(output, "Warning:    Outlook does not trust the ClientBridge add-in");
        StringAssert.Contains(output, "Programmatic Security");
    }

    [TestMethod]
    public async Task Status_json_is_one_parseable_object_for_scripts()
    {
        await using TestAgent agent = await TestAgent.StartAsync();

        var (code, output, error) = await AgentProcess.RunAsync(Limit, "status", "--json", "--pipe", agent.Endpoint.PipeName);

        Assert.AreEqual(ExitCodes.Ok, code, AgentProcess.Describe(output, error));
        StatusReply status = JsonSerializer.Deserialize(output, BridgeJsonContext.Default.StatusReply)!;
        Assert.AreEqual(agent.Endpoint.PipeName, status.Endpoint);
        Assert.AreEqual(Environment.ProcessId, status.ProcessId);
        CollectionAssert.Contains(status.ClientNames, StatusCommand.ClientName);
    }

    [TestMethod]
    public async Task Status_with_no_agent_says_so_and_exits_3()
    {
        BridgeEndpoint nowhere = TestAgent.NewEndpoint();

        var (code, output, error) = await AgentProcess.RunAsync(Limit, "status", "--pipe", nowhere.PipeName, "--timeout", "0.5");
        var (jsonCode, json, _) = await AgentProcess.RunAsync(Limit, "status", "--json", "--pipe", nowhere.PipeName, "--timeout", "0.5");

        Assert.AreEqual(ExitCodes.AgentNotRunning, code, AgentProcess.Describe(output, error));
        StringAssert.Contains(error, "No agent is running");
        StringAssert.Contains(error, "ClientBridge run");
        Assert.AreEqual(ExitCodes.AgentNotRunning, jsonCode);
        using JsonDocument problem = JsonDocument.Parse(json);
        Assert.AreEqual(ErrorCodes.AgentNotRunning, problem.RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    [TestMethod]
    public async Task Stop_ends_the_running_agent_and_exits_0_once_it_has_gone()
    {
        BridgeEndpoint endpoint = TestAgent.NewEndpoint();
        string logs = Path.Combine(Path.GetTempPath(), "cbt-logs-" + Guid.NewGuid().ToString("N")[..8]);
        using AgentProcess agent = await AgentProcess.StartAsync(endpoint, logs);

        var (code, output, error) = await AgentProcess.RunAsync(Limit, "stop", "--pipe", endpoint.PipeName);

        Assert.AreEqual(ExitCodes.Ok, code, AgentProcess.Describe(output, error));
        Assert.AreEqual(StopCommand.Stopped, output.Trim());
        Assert.IsTrue(agent.HasExited, "'stop' returns only once the agent's process has exited, so the installer can replace its files.");
        var (statusCode, _, _) = await AgentProcess.RunAsync(Limit, "status", "--pipe", endpoint.PipeName, "--timeout", "0.5");
        Assert.AreEqual(ExitCodes.AgentNotRunning, statusCode);
        string log = string.Concat(Directory.GetFiles(logs).Select(f => File.ReadAllText(f)));
        StringAssert.Contains(log, "asked by agent.stop", "The agent stopped through its orderly shutdown, not a kill.");
        TestAgent.Clean(endpoint);
        Directory.Delete(logs, recursive: true);
    }

    [TestMethod]
    public async Task Stop_with_no_agent_says_so_quickly_and_exits_3()
    {
        BridgeEndpoint nowhere = TestAgent.NewEndpoint();
        var clock = Stopwatch.StartNew();

        // A timeout far longer than a process start on a loaded machine: under half of it means nothing was waited out.
        var (code, output, error) = await AgentProcess.RunAsync(Limit, "stop", "--pipe", nowhere.PipeName, "--timeout", "30");

        Assert.AreEqual(ExitCodes.AgentNotRunning, code, AgentProcess.Describe(output, error));
        Assert.AreEqual(StopCommand.NoneRunning, output.Trim());
        Assert.IsLessThan(15_000, clock.ElapsedMilliseconds, "No agent means no waiting for the timeout.");
    }

    [TestMethod]
    public async Task A_second_agent_for_the_same_user_refuses_to_start_and_exits_5()
    {
        BridgeEndpoint endpoint = TestAgent.NewEndpoint();
        string logs = Path.Combine(Path.GetTempPath(), "cbt-logs-" + Guid.NewGuid().ToString("N")[..8]);
        using AgentProcess first = await AgentProcess.StartAsync(endpoint, logs);

        var (code, output, error) = await AgentProcess.RunAsync(Limit, "run", "--pipe", endpoint.PipeName, "--log-dir", logs);

        Assert.AreEqual(ExitCodes.AlreadyRunning, code, AgentProcess.Describe(output, error));
        StringAssert.Contains(error, "already running");
        var (statusCode, _, _) = await AgentProcess.RunAsync(Limit, "status", "--pipe", endpoint.PipeName);
        Assert.AreEqual(ExitCodes.Ok, statusCode, "The first agent must keep serving.");
        first.Kill();
        TestAgent.Clean(endpoint);
    }

    [TestMethod]
    [DataRow("frobnicate")]
    [DataRow("status", "--timeout", "soon")]
    [DataRow("status", "--timeout", "-1")]
    [DataRow("status", "--pipe", "relative/socket")]
    [DataRow("status", "--no-such-option")]
    [DataRow("run", "--log-level", "chatty")]
    public async Task A_wrong_command_line_is_explained_and_exits_2(params string[] args)
    {
        var (code, output, error) = await AgentProcess.RunAsync(Limit, args);

        Assert.AreEqual(ExitCodes.Usage, code, AgentProcess.Describe(output, error));
        Assert.IsFalse(string.IsNullOrWhiteSpace(error), "A usage error must say what was wrong.");
        Assert.DoesNotContain("Exception", error, "A usage error is a sentence, not a stack trace.");
        Assert.DoesNotContain("(Parameter", error);
    }

    [TestMethod]
    public async Task Help_lists_the_commands()
    {
        var (code, output, _) = await AgentProcess.RunAsync(Limit, "--help");

        Assert.AreEqual(ExitCodes.Ok, code);
        StringAssert.Contains(output, "run");
        StringAssert.Contains(output, "status");
        StringAssert.Contains(output, "stop");
        StringAssert.Contains(output, "remove-user-data", "A command for IT and people, not hidden.");
    }
}
