using System;
using System.IO;
using System.Runtime.Versioning;
using System.Threading.Tasks;
using ClientBridge.Cli;
using ClientBridge.Protocol.Client;
using ClientBridge.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace ClientBridge.Tests;

/// <summary>Only the agent's own user reaches it; everyone else is refused, and the agent goes on serving its user.</summary>
[TestClass]
[UnsupportedOSPlatform("windows")]
[OSCondition(OperatingSystems.Linux | OperatingSystems.OSX)]
public sealed class AccessTests
{
    private static readonly string[] AsNobody = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "env", "HOME=/tmp", "DOTNET_CLI_TELEMETRY_OPTOUT=1"];

    [TestMethod]
    [RunsAsRootOnLinux]
    public async Task A_client_running_as_another_user_is_refused()
    {
        await using TestAgent agent = await TestAgent.StartAsync();
        using BridgeClient owner = agent.CreateClient("owner");
        await owner.PingAsync();

        var (code, output, error) = await AgentProcess.RunAsAsync(AsNobody, TimeSpan.FromSeconds(30), "status", "--pipe", agent.Endpoint.PipeName, "--timeout", "2");

        Assert.AreEqual(ExitCodes.Refused, code, AgentProcess.Describe(output, error));
        StringAssert.Contains(error, "another user");
        Assert.AreEqual("still mine", (await owner.PingAsync("still mine")).Data);
        Assert.AreEqual(1, (await owner.GetStatusAsync()).ConnectedClients);
    }

    [TestMethod]
    [RunsAsRootOnLinux]
    public async Task Even_with_the_socket_left_open_to_all_the_agent_itself_refuses_another_user()
    {
        var logs = new ListLoggerProvider();
        await using TestAgent agent = await TestAgent.StartAsync(logging: l => l.AddProvider(logs));
        using BridgeClient owner = agent.CreateClient("owner");
        await owner.PingAsync();
        File.SetUnixFileMode(agent.Directory, (UnixFileMode)0b111_111_111);
        File.SetUnixFileMode(agent.Endpoint.PipeName, (UnixFileMode)0b111_111_111);

        var (code, output, error) = await AgentProcess.RunAsAsync(AsNobody, TimeSpan.FromSeconds(30), "status", "--pipe", agent.Endpoint.PipeName, "--timeout", "2");

        Assert.AreEqual(ExitCodes.Refused, code, AgentProcess.Describe(output, error));
        await BridgeTests.WaitUntilAsync(() => logs.Contains("Refused a connection from another user."), TimeSpan.FromSeconds(5));
        Assert.AreEqual("still mine", (await owner.PingAsync("still mine")).Data);
    }

    [TestMethod]
    public async Task The_socket_folder_is_private_to_the_user()
    {
        await using TestAgent agent = await TestAgent.StartAsync();

        UnixFileMode mode = File.GetUnixFileMode(agent.Directory);

        Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, mode);
    }

    [TestMethod]
    public async Task A_socket_in_a_folder_others_use_is_refused_and_the_folder_keeps_its_mode()
    {
        // As /tmp is: everyone may write, only owners delete. `run --pipe /tmp/agent.sock` once made /tmp private.
        string shared = Path.Combine(Path.GetTempPath(), "cbt-shared-" + Guid.NewGuid().ToString("N")[..8]);
        var sticky = (UnixFileMode)0b1_111_111_111;
        Directory.CreateDirectory(shared);
        File.SetUnixFileMode(shared, sticky);
        try
        {
            var (code, output, error) = await AgentProcess.RunAsync(TimeSpan.FromSeconds(30), "run", "--pipe", Path.Combine(shared, "agent.sock"), "--log-dir", Path.Combine(shared, "logs"));

            Assert.AreEqual(ExitCodes.Refused, code, AgentProcess.Describe(output, error));
            StringAssert.Contains(error, $"The socket folder {shared} is open to other users (mode 1777)");
            StringAssert.Contains(error, "--pipe");
            Assert.AreEqual(sticky, File.GetUnixFileMode(shared), "The agent changed the mode of a folder it did not make.");
            Assert.IsFalse(File.Exists(Path.Combine(shared, "agent.sock")));
        }
        finally
        {
            Directory.Delete(shared, recursive: true);
        }
    }
}
