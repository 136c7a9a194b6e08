using System;
using System.IO;
using System.Linq;
using ClientBridge.Protocol.Client;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace ClientBridge.Tests;

/// <summary>
/// Which agent executable the add-in and the command line start: on Windows the one the Run key and the Start menu
/// start (ClientBridgeW.exe), so that one path owns the tray icon's GUID; ClientBridge.exe only where no W exists.
/// The rule is checked with real files in real folders, for the Windows names on any platform.
/// </summary>
[TestClass]
public sealed class AgentLauncherTests
{
    private static readonly string[] WindowsNames = [ProcessAgentLauncher.WindowlessExecutableName, "ClientBridge.exe"];

    private string _root = null!;

    [TestInitialize]
    public void MakeFolders() => _root = Directory.CreateTempSubdirectory("cbt-launcher-").FullName;

    [TestCleanup]
    public void RemoveFolders() => Directory.Delete(_root, recursive: true);

    [TestMethod]
    public void An_installed_agent_is_started_as_ClientBridgeW_exe_like_the_Run_key_does()
    {
        string install = Folder("ClientBridge");
        Touch(install, "ClientBridge.exe");
        Touch(install, "ClientBridgeW.exe");

        // The MSI layout: the add-in in OutlookAddin\ below the agent.
        ProcessAgentLauncher? launcher = ProcessAgentLauncher.Locate(null, [Folder(Path.Combine("ClientBridge", "OutlookAddin")), install], WindowsNames);

        Assert.AreEqual(Path.Combine(install, "ClientBridgeW.exe"), launcher?.ExecutablePath);
    }

    [TestMethod]
    public void A_development_build_without_the_W_executable_starts_ClientBridge_exe()
    {
        string build = Folder("bin");
        Touch(build, "ClientBridge.exe");

        Assert.AreEqual(Path.Combine(build, "ClientBridge.exe"), ProcessAgentLauncher.Locate(null, [build], WindowsNames)?.ExecutablePath);
    }

    [TestMethod]
    public void The_nearest_folder_wins_over_a_W_executable_further_away()
    {
        string near = Folder("near");
        string far = Folder("far");
        Touch(near, "ClientBridge.exe");
        Touch(far, "ClientBridgeW.exe");

        Assert.AreEqual(Path.Combine(near, "ClientBridge.exe"), ProcessAgentLauncher.Locate(null, [near, far], WindowsNames)?.ExecutablePath);
    }

    [TestMethod]
    public void A_configured_path_that_exists_is_used_as_it_is_and_one_that_does_not_is_ignored()
    {
        string install = Folder("install");
        Touch(install, "ClientBridgeW.exe");
        string tools = Folder("tools");
        string configured = Touch(tools, "ClientBridge.exe");

        Assert.AreEqual(configured, ProcessAgentLauncher.Locate(configured, [install], WindowsNames)?.ExecutablePath);
        Assert.AreEqual(
            Path.Combine(install, "ClientBridgeW.exe"),
            ProcessAgentLauncher.Locate(Path.Combine(tools, "gone.exe"), [install], WindowsNames)?.ExecutablePath);
    }

    [TestMethod]
    public void No_agent_anywhere_gives_no_launcher()
    {
        Assert.IsNull(ProcessAgentLauncher.Locate(null, [Folder("empty"), null, string.Empty], WindowsNames));
    }

    [TestMethod]
    public void This_platform_names_the_W_executable_first_on_Windows_and_the_console_agent_alone_elsewhere()
    {
        if (OperatingSystem.IsWindows())
        {
            CollectionAssert.AreEqual(WindowsNames, ProcessAgentLauncher.ExecutableNames.ToArray());
        }
        else
        {
            CollectionAssert.AreEqual(new[] { "ClientBridge" }, ProcessAgentLauncher.ExecutableNames.ToArray());
        }
    }

    private string Folder(string relative) => Directory.CreateDirectory(Path.Combine(_root, relative)).FullName;

    private static string Touch(string folder, string name)
    {
        string path = Path.Combine(folder, name);
        File.WriteAllBytes(path, [0x4D, 0x5A]);
        return path;
    }
}
