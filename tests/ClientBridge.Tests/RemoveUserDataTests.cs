using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using ClientBridge.Cli;
using ClientBridge.Hosting;
using ClientBridge.Protocol;
using ClientBridge.Scheduling;
using ClientBridge.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace ClientBridge.Tests;

/// <summary>
/// <c>ClientBridge remove-user-data</c> as the MSI runs it: the real executable, its folders moved to temp folders by
/// the same <c>ClientBridge__…</c> variables <c>run</c> binds, so that a test never touches the real user's data.
/// </summary>
[TestClass]
public sealed class RemoveUserDataTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [TestMethod]
    public async Task Everything_is_removed_links_are_removed_not_followed_and_a_second_run_finds_nothing()
    {
        using var temp = new TempFolders();
        string state = temp.New("state");
        string settings = temp.New("settings");
        string logs = temp.New("logs");
        string outside = temp.New("outside");
        Write(Path.Combine(settings, "settings.json"));
        Write(Path.Combine(state, "journal.json"));
        Write(Path.Combine(state, "zoom.tokens"));
        Write(Path.Combine(state, ".hidden"));
        Write(Path.Combine(state, "logs", "outlook-addin.log"));
        Write(Path.Combine(state, "logs", "old", "agent-20250101.log"));
        Write(Path.Combine(logs, "agent-20250102.log"));
        Write(Path.Combine(outside, "keep.txt"));
        Directory.CreateSymbolicLink(Path.Combine(state, "logs", "elsewhere"), outside);
        File.CreateSymbolicLink(Path.Combine(settings, "a-file-elsewhere"), Path.Combine(outside, "keep.txt"));
        BridgeEndpoint nowhere = TestAgent.NewEndpoint();
        var environment = Environment(state, settings, logs);

        var (code, output, error) = await AgentProcess.RunWithAsync(environment, Limit, "remove-user-data", "--pipe", nowhere.PipeName);

        Assert.AreEqual(ExitCodes.Ok, code, AgentProcess.Describe(output, error));
        CollectionAssert.AreEquivalent(new[] { $"Removed {settings}", $"Removed {state}", $"Removed {logs}" }, Lines(output), AgentProcess.Describe(output, error));
        Assert.AreEqual(string.Empty, error);
        Assert.IsFalse(Directory.Exists(state));
        Assert.IsFalse(Directory.Exists(settings));
        Assert.IsFalse(Directory.Exists(logs));
        Assert.IsTrue(File.Exists(Path.Combine(outside, "keep.txt")), "A link is removed as a link: the folder and file it points at are not ClientBridge's.");

        (code, output, error) = await AgentProcess.RunWithAsync(environment, Limit, "remove-user-data", "--pipe", nowhere.PipeName);

        Assert.AreEqual(ExitCodes.Ok, code, AgentProcess.Describe(output, error));
        Assert.AreEqual(RemoveUserDataCommand.NothingToRemove, output.Trim());
    }

    [TestMethod]
    public async Task A_running_agent_is_stopped_first_then_its_folders_are_removed()
    {
        using var temp = new TempFolders();
        string state = temp.New("state");
        string settings = temp.New("settings");
        Write(Path.Combine(settings, "settings.json"));
        BridgeEndpoint endpoint = TestAgent.NewEndpoint();
        var environment = Environment(state, settings, logs: null);
        using AgentProcess agent = await AgentProcess.StartAsync(endpoint, Path.Combine(state, "logs"), environment: environment);
        Assert.IsTrue(Directory.EnumerateFiles(Path.Combine(state, "logs")).Any(), "The agent holds its log open in the state folder.");

        var (code, output, error) = await AgentProcess.RunWithAsync(environment, Limit, "remove-user-data", "--pipe", endpoint.PipeName);

        Assert.AreEqual(ExitCodes.Ok, code, AgentProcess.Describe(output, error));
        string[] lines = Lines(output);
        Assert.AreEqual(StopCommand.Stopped, lines[0], "The agent goes before its files do.");
        Assert.IsTrue(agent.HasExited);
        CollectionAssert.IsSubsetOf(new[] { $"Removed {settings}", $"Removed {state}" }, lines);
        Assert.IsFalse(Directory.Exists(state));
        Assert.IsFalse(Directory.Exists(settings));
        Assert.IsFalse(File.Exists(SingleInstance.LockPathFor(endpoint)), "The single-instance lock is the agent's too.");
        TestAgent.Clean(endpoint);
    }

    [TestMethod]
    public async Task What_cannot_be_removed_is_named_with_the_reason_the_rest_goes_and_the_exit_code_is_1()
    {
        using var temp = new TempFolders();
        string state = temp.New("state");
        string settings = temp.New("settings");
        Write(Path.Combine(settings, "settings.json"));
        Write(Path.Combine(state, "journal.json"));
        Write(Path.Combine(state, "logs", "agent-20250101.log"));
        string locked = Path.Combine(state, "locked");
        string stuck = Path.Combine(locked, "stuck.txt");
        Write(stuck);
        BridgeEndpoint nowhere = TestAgent.NewEndpoint();
        var environment = Environment(state, settings, logs: null);
        int code;
        string output;
        string error;
        if (OperatingSystem.IsWindows())
        {
            // Windows: a file another program holds open without sharing delete, as a running Outlook would.
            using FileStream held = new(stuck, FileMode.Open, FileAccess.Read, FileShare.None);
            (code, output, error) = await AgentProcess.RunWithAsync(environment, Limit, "remove-user-data", "--pipe", nowhere.PipeName);
        }
        else
        {
            // Unix: a folder whose entries cannot be removed. Root ignores the mode, so the command then runs as nobody, owning the folders.
            File.SetUnixFileMode(locked, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            if (System.Environment.UserName == "root")
            {
                if (!OperatingSystem.IsLinux())
                {
                    Assert.Inconclusive("As root, this needs Linux's setpriv to run the command as another user.");
                }

                ChownToNobody(temp.Root);
                string[] asNobody = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "env", "HOME=/tmp", "DOTNET_CLI_TELEMETRY_OPTOUT=1", .. environment.Select(v => $"{v.Key}={v.Value}")];
                (code, output, error) = await AgentProcess.RunAsAsync(asNobody, Limit, "remove-user-data", "--pipe", nowhere.PipeName);
            }
            else
            {
                (code, output, error) = await AgentProcess.RunWithAsync(environment, Limit, "remove-user-data", "--pipe", nowhere.PipeName);
            }
        }

        Assert.AreEqual(ExitCodes.Failure, code, AgentProcess.Describe(output, error));
        string reason = OperatingSystem.IsWindows() ? "it is in use by another program" : "access is denied";
        Assert.AreEqual($"Could not remove {stuck}: {reason}.", error.Trim(), "One sentence for what stayed, none for the folders that stayed only because it did.");
        CollectionAssert.AreEqual(new[] { $"Removed {settings}" }, Lines(output));
        Assert.IsTrue(File.Exists(stuck));
        Assert.IsFalse(File.Exists(Path.Combine(state, "journal.json")), "Everything else in the folder is removed.");
        Assert.IsFalse(Directory.Exists(Path.Combine(state, "logs")));
        Assert.IsFalse(Directory.Exists(settings));
    }

    [TestMethod]
    public void The_folders_are_the_agents_own_each_listed_once()
    {
        string root = Path.Combine(Path.GetTempPath(), "cbt-rud-" + Guid.NewGuid().ToString("N")[..8]);
        BridgeEndpoint endpoint = BridgeEndpoint.ForUnix(Path.Combine(root, "state"));

        // As the tests' agents have it: settings beside the state, logs and the lock inside it.
        var together = new AgentSettings { StateDirectory = Path.Combine(root, "state"), SettingsDirectory = Path.Combine(root, "state") };
        var apart = new AgentSettings { StateDirectory = Path.Combine(root, "state"), SettingsDirectory = Path.Combine(root, "settings"), LogDirectory = Path.Combine(root, "logs") };

        if (!OperatingSystem.IsWindows())
        {
            CollectionAssert.AreEqual(new[] { Path.Combine(root, "state") }, RemoveUserDataCommand.Targets(together, endpoint).ToList());
            CollectionAssert.AreEqual(
                new[] { Path.Combine(root, "settings"), Path.Combine(root, "state"), Path.Combine(root, "logs") },
                RemoveUserDataCommand.Targets(apart, endpoint).ToList());
        }

        Assert.IsTrue(UserDataRemoval.IsWithin(Path.Combine(root, "a", "b"), Path.Combine(root, "a")));
        Assert.IsFalse(UserDataRemoval.IsWithin(Path.Combine(root, "ab"), Path.Combine(root, "a")), "A sibling whose name starts the same is not inside.");
    }

    [TestMethod]
    public void A_setting_pointing_at_a_profile_or_a_root_is_refused_rather_than_wiped()
    {
        // Only the check itself: a failing test here must not be able to delete anything.
        Assert.IsNotNull(UserDataRemoval.Guarded(Path.TrimEndingDirectorySeparator(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile))));
        Assert.IsNotNull(UserDataRemoval.Guarded(Path.TrimEndingDirectorySeparator(Path.GetPathRoot(Path.GetTempPath())!)));
        Assert.IsNotNull(UserDataRemoval.Guarded(Path.TrimEndingDirectorySeparator(Path.GetTempPath())));
        Assert.IsNull(UserDataRemoval.Guarded(Path.Combine(Path.GetTempPath(), "cbt-state")));
        Assert.IsNull(UserDataRemoval.Guarded(AgentPaths.StateDirectory()));
        Assert.IsNull(UserDataRemoval.Guarded(AgentPaths.SettingsDirectory()));
    }

    private static Dictionary<string, string> Environment(string state, string settings, string? logs)
    {
        var variables = new Dictionary<string, string>
        {
            ["ClientBridge__StateDirectory"] = state,
            ["ClientBridge__SettingsDirectory"] = settings,
        };
        if (logs is not null)
        {
            variables["ClientBridge__LogDirectory"] = logs;
        }

        return variables;
    }

    private static string[] Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static void Write(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "test");
    }

    private static void ChownToNobody(string folder)
    {
        using Process chown = Process.Start("chown", ["-R", "nobody:nogroup", folder]) ?? throw new InvalidOperationException("chown did not start.");
        chown.WaitForExit();
        Assert.AreEqual(0, chown.ExitCode, "chown -R nobody:nogroup");
    }

    /// <summary>Fresh folders under one temp folder, removed afterwards whatever a test left (modes restored first).</summary>
    private sealed class TempFolders : IDisposable
    {
        public string Root { get; } = Path.Combine(Path.GetTempPath(), "cbt-rud-" + Guid.NewGuid().ToString("N")[..8]);

        public string New(string name)
        {
            string path = Path.Combine(Root, name);
            Directory.CreateDirectory(path);
            return path;
        }

        public void Dispose()
        {
            if (!Directory.Exists(Root))
            {
                return;
            }

            if (!OperatingSystem.IsWindows())
            {
                foreach (string folder in Directory.EnumerateDirectories(Root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint }))
                {
                    File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                }
            }

            Directory.Delete(Root, recursive: true);
        }
    }
}
