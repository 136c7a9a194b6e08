using System;
using System.Globalization;
using System.IO;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace ClientBridge.Wine.Tests;

/// <summary>
/// Which programs may use the pipe: the agent's own folder, Outlook, and what policy allows. A program elsewhere is
/// played by a copy of the published agent in another folder, so its executable path is not the agent's.
/// </summary>
[TestClass]
public sealed class CallerPolicyTests
{
    private const string RefusalText = "may not use the ClientBridge agent";

    private string _work = null!;
    private string _logs = null!;

    public TestContext TestContext { get; set; } = null!;

    [TestInitialize]
    public async Task StartWithoutPoliciesAsync()
    {
        _work = WineEnvironment.NewTempDirectory("caller-policy");
        _logs = WineEnvironment.Current.TestLogFolder(TestContext, "agent");
        await WineEnvironment.Current.ClearUserPoliciesAsync();
    }

    [TestCleanup]
    public async Task RemovePoliciesAsync()
    {
        await WineEnvironment.Current.ClearUserPoliciesAsync();
        WineEnvironment.DeleteTempDirectory(_work);
    }

    [TestMethod]
    public async Task A_copy_of_the_agent_elsewhere_is_refused_until_policy_turns_the_check_off()
    {
        WineEnvironment wine = WineEnvironment.Current;
        string stranger = CopyPublishedAgent(Path.Combine(_work, "elsewhere"));

        await using (AgentProcess agent = await AgentProcess.StartAsync(wine, _logs))
        {
            ProcessResult refused = await wine.RunWindowsAsync(stranger, "status");
            Report($"copy elsewhere, no policy: exit {refused.ExitCode} after {refused.Elapsed.TotalMilliseconds:0} ms");
            Assert.AreEqual(4, refused.ExitCode, refused.Describe());
            Assert.Contains(RefusalText, refused.StandardError, refused.Describe());

            ProcessResult refusedJson = await wine.RunWindowsAsync(stranger, "status", "--json");
            Assert.AreEqual(4, refusedJson.ExitCode, refusedJson.Describe());
            Assert.Contains("\"caller_refused\"", refusedJson.StandardOutput, refusedJson.Describe());

            // The agent's own tools are still welcome.
            ProcessResult own = await wine.StatusAsync();
            Assert.AreEqual(0, own.ExitCode, own.Describe());
        }

        string log = ProcessRunner.Normalize(await File.ReadAllTextAsync(Directory.GetFiles(_logs, "agent-*.log")[0]));
        Assert.Contains("Refused a pipe connection from process", log, log);

        // The agent reads policy when it starts, so an administrator's change counts from the next start.
        await wine.SetUserPolicyAsync("VerifyPipeCallers", "REG_DWORD", "0");
        await using (AgentProcess agent = await AgentProcess.StartAsync(wine, _logs))
        {
            ProcessResult accepted = await wine.RunWindowsAsync(stranger, "status");
            Report($"copy elsewhere, VerifyPipeCallers=0: exit {accepted.ExitCode} after {accepted.Elapsed.TotalMilliseconds:0} ms");
            Assert.AreEqual(0, accepted.ExitCode, accepted.Describe());
            Assert.Contains("is running", accepted.StandardOutput, accepted.Describe());
        }
    }

    [TestMethod]
    public async Task AllowedPipeCallers_admits_the_listed_path_and_file_name_and_nothing_else()
    {
        WineEnvironment wine = WineEnvironment.Current;
        string folder = Path.Combine(_work, "tools");
        string byPath = CopyPublishedAgent(folder);
        string byName = Path.Combine(folder, "PartnerTool.exe");
        string unlisted = Path.Combine(folder, "Stranger.exe");

        // The apphost finds ClientBridge.dll by the name built into it, so a renamed copy runs the same CLI.
        File.Copy(byPath, byName);
        File.Copy(byPath, unlisted);

        // REG_MULTI_SZ: reg.exe separates the strings with \0.
        await wine.SetUserPolicyAsync("AllowedPipeCallers", "REG_MULTI_SZ", $@"{wine.ToWindowsPath(byPath)}\0PartnerTool.exe");
        await using AgentProcess agent = await AgentProcess.StartAsync(wine, _logs);

        ProcessResult listedPath = await wine.RunWindowsAsync(byPath, "status");
        Assert.AreEqual(0, listedPath.ExitCode, listedPath.Describe());

        ProcessResult listedName = await wine.RunWindowsAsync(byName, "status");
        Assert.AreEqual(0, listedName.ExitCode, listedName.Describe());

        ProcessResult notListed = await wine.RunWindowsAsync(unlisted, "status");
        Report($"AllowedPipeCallers: listed path exit {listedPath.ExitCode}, listed name exit {listedName.ExitCode}, unlisted exit {notListed.ExitCode}");
        Assert.AreEqual(4, notListed.ExitCode, notListed.Describe());
        Assert.Contains(RefusalText, notListed.StandardError, notListed.Describe());
    }

    private string CopyPublishedAgent(string destination)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        string copy = PublishedAgentCopy.Make(destination);
        Report($"copied the published agent to {destination} in {clock.Elapsed.TotalMilliseconds:0} ms");
        return copy;
    }

    private void Report(FormattableString line) => WineEnvironment.Current.Report(TestContext, line);
}
