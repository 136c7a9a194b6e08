using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace ClientBridge.Wine.Tests;

/// <summary>
/// The Windows build of the agent, as a user meets it: <c>ClientBridge run</c> serving this user's pipe and
/// <c>ClientBridge status</c> from another process reaching it, over real Windows named pipes.
/// </summary>
[TestClass]
public sealed class AgentOverWindowsPipeTests
{
    private string _logs = null!;

    public TestContext TestContext { get; set; } = null!;

    /// <summary>The agent's log, kept with the run's results (WineEnvironment.LogsDirectory).</summary>
    [TestInitialize]
    public void CreateLogFolder() => _logs = WineEnvironment.Current.TestLogFolder(TestContext, "agent");

    [TestMethod]
    public async Task Status_from_another_process_reaches_the_agent_over_a_protected_Windows_pipe()
    {
        WineEnvironment wine = WineEnvironment.Current;
        await using AgentProcess agent = await AgentProcess.StartAsync(wine, _logs);
        Report($"agent: `run` to first answered `status`: {agent.TimeToReady.TotalMilliseconds:0} ms");

        // Each status is a new process: Wine and runtime start, connect, handshake, status request, reply.
        var rounds = new List<ProcessResult>();
        for (int i = 0; i < 3; i++)
        {
            ProcessResult round = await wine.StatusAsync("--json");
            Assert.AreEqual(0, round.ExitCode, round.Describe());
            rounds.Add(round);
        }

        double[] milliseconds = [.. rounds.Select(r => r.Elapsed.TotalMilliseconds).Order()];
        Report($"status --json round trip (whole process): {string.Join(", ", milliseconds.Select(m => m.ToString("0", CultureInfo.InvariantCulture)))} ms; median {milliseconds[1]:0} ms");
        Assert.IsLessThan(10_000, milliseconds[1], "`status` should answer within seconds once the agent runs.");

        ProcessResult status = rounds[^1];
        using JsonDocument document = JsonDocument.Parse(status.StandardOutput);
        JsonElement reply = document.RootElement;

        string endpoint = reply.GetProperty("endpoint").GetString()!;
        Assert.StartsWith("ClientBridge.S-1-5-", endpoint, $"Not a Windows pipe name of this user.\n{status.Describe()}");
        Assert.DoesNotContain("/", endpoint, "A path means the Unix socket code ran, not the Windows pipe.");
        string userSid = UserSidOf(endpoint);

        string[] clients = [.. reply.GetProperty("clientNames").EnumerateArray().Select(c => c.GetString()!)];
        CollectionAssert.Contains(clients, "ClientBridge-cli", status.Describe());

        string protection = reply.GetProperty("endpointProtection").GetString()!;
        Report($"endpointProtection: {protection}");
        Assert.IsTrue(
            Regex.IsMatch(protection, @"\(D;[^()]*;NU\)", RegexOptions.CultureInvariant),
            $"The pipe's ACL should deny the NETWORK group (NU): {protection}");
        Assert.IsTrue(
            Regex.IsMatch(protection, $@"\(A;[^()]*;{Regex.Escape(userSid)}\)", RegexOptions.CultureInvariant),
            $"The pipe's ACL should allow the user {userSid}: {protection}");

        // The same facts in the words a person reads.
        ProcessResult text = await wine.StatusAsync();
        Assert.AreEqual(0, text.ExitCode, text.Describe());
        Assert.Contains("is running", text.StandardOutput, text.Describe());
        Assert.Contains($"Endpoint:   {endpoint}", text.StandardOutput, text.Describe());
        Assert.IsFalse(agent.HasExited, $"The agent stopped while serving `status`.\n{agent.Output}");
    }

    [TestMethod]
    public async Task A_second_run_while_the_agent_runs_exits_5_saying_one_is_already_running()
    {
        WineEnvironment wine = WineEnvironment.Current;
        await using AgentProcess agent = await AgentProcess.StartAsync(wine, _logs);

        string otherLogs = WineEnvironment.Current.TestLogFolder(TestContext, "second-agent");
        ProcessResult second = await wine.RunWindowsAsync(wine.AgentExecutable, "run", "--log-dir", wine.ToWindowsPath(otherLogs));
        Report($"second `run`: exit {second.ExitCode} after {second.Elapsed.TotalMilliseconds:0} ms");
        Assert.AreEqual(5, second.ExitCode, second.Describe());
        Assert.Contains("already running", second.StandardError, second.Describe());

        // The first agent is unharmed.
        ProcessResult status = await wine.StatusAsync();
        Assert.AreEqual(0, status.ExitCode, status.Describe());
        Assert.IsFalse(agent.HasExited, agent.Output);
    }

    [TestMethod]
    public async Task Status_without_an_agent_exits_3_quickly()
    {
        WineEnvironment wine = WineEnvironment.Current;

        // A timeout far longer than a Wine process takes to start even on a loaded machine (2–6 s seen): answering
        // in under half of it can only mean the missing pipe was known at once, not waited out.
        ProcessResult shortWait = await wine.StatusAsync("--json", "--timeout", "30");
        Report($"status --json --timeout 30, no agent: exit {shortWait.ExitCode} after {shortWait.Elapsed.TotalMilliseconds:0} ms");
        Assert.AreEqual(3, shortWait.ExitCode, shortWait.Describe());
        Assert.Contains("\"agent_not_running\"", shortWait.StandardOutput, shortWait.Describe());
        Assert.IsLessThan(15_000, shortWait.Elapsed.TotalMilliseconds, $"With no pipe at all, `status` should answer at once, not wait out its timeout.\n{shortWait.Describe()}");

        // The default timeout tells the user the same sentence.
        ProcessResult plain = await wine.StatusAsync();
        Report($"status (default 5 s timeout), no agent: exit {plain.ExitCode} after {plain.Elapsed.TotalMilliseconds:0} ms");
        Assert.AreEqual(3, plain.ExitCode, plain.Describe());
        Assert.Contains("No agent is running", plain.StandardError, plain.Describe());
        Assert.Contains("ClientBridge run", plain.StandardError, plain.Describe());
    }

    [TestMethod]
    public async Task The_log_file_says_where_the_agent_listens_and_holds_no_message_contents()
    {
        WineEnvironment wine = WineEnvironment.Current;
        string endpoint;
        await using (AgentProcess agent = await AgentProcess.StartAsync(wine, _logs))
        {
            ProcessResult status = await wine.StatusAsync("--json");
            Assert.AreEqual(0, status.ExitCode, status.Describe());
            using JsonDocument document = JsonDocument.Parse(status.StandardOutput);
            endpoint = document.RootElement.GetProperty("endpoint").GetString()!;
        }

        string[] files = Directory.GetFiles(_logs, "agent-*.log");
        Assert.HasCount(1, files, $"Expected one log file in {_logs}: {string.Join(", ", Directory.GetFiles(_logs))}");
        string log = ProcessRunner.Normalize(await File.ReadAllTextAsync(files[0]));
        Report($"log {Path.GetFileName(files[0])}: {log.Split('\n').Length} lines");

        Assert.Contains($"listening on {endpoint}.", log, log);
        Assert.Contains("ClientBridge-cli connected", log, log);

        // The status reply and the client's hello stay out of the log: no bodies, no protocol fields.
        foreach (string content in new[] { "\"endpointProtection\"", "\"clientNames\"", "\"clientVersion\"", "\"uptimeSeconds\"", "D:P(" })
        {
            Assert.DoesNotContain(content, log, $"The log holds message contents ({content}):\n{log}");
        }
    }

    /// <summary>The SID inside <c>ClientBridge.&lt;SID&gt;.&lt;session&gt;</c>.</summary>
    private static string UserSidOf(string endpoint)
    {
        Match match = Regex.Match(endpoint, @"^ClientBridge\.(?<sid>S-1-5-[0-9-]+)\.[0-9]+$", RegexOptions.CultureInvariant);
        Assert.IsTrue(match.Success, $"The endpoint {endpoint} is not ClientBridge.<SID>.<session>.");
        return match.Groups["sid"].Value;
    }

    private void Report(FormattableString line) => WineEnvironment.Current.Report(TestContext, line);
}
