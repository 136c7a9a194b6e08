using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using System.Xml.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace ClientBridge.Wine.Tests;

/// <summary>
/// The MSIs as an IT administrator uses them, run by Wine's msiexec in the shared prefix: a silent install with
/// the properties IT passes, the installed agent answering, an upgrade that remembers those properties and keeps
/// the user's settings, a downgrade refused, and an uninstall that leaves nothing of its own behind. Per machine
/// and per user. The MSIs are built once per class with the project's own command, the current version and the
/// next one (patch + 1), so that there is something to upgrade to.
/// </summary>
[TestClass]
public sealed class InstallerTests
{
    /// <summary>Both builds publish the agent and run wixl twice; a cold one takes about a minute.</summary>
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(20);

    private const int BuildOutputTailLines = 80;

    /// <summary>What IT passes on the command line (InstallDefaults.wxi); the Zoom client id makes Zoom a provider, so the running agent shows it read them.</summary>
    private static readonly string[] InstallProperties =
    [
        "DEFAULTPROVIDER=jitsi",
        "ZOOMAPIURL=https://api.zoomgov.com/v2",
        "ZOOMOAUTHURL=https://zoomgov.com",
        "ZOOMCLIENTID=wine-msi-client-id",
        "REMINDERMINUTES=10",
    ];

    private const string UserSettingsJson = "{\n  \"reminderMinutes\": 15\n}\n";

    private static string s_currentVersion = null!;
    private static string s_nextVersion = null!;
    private static string s_currentFolder = null!;
    private static string s_nextFolder = null!;
    private static string s_logFolder = null!;

    public TestContext TestContext { get; set; } = null!;

    [ClassInitialize]
    public static async Task BuildInstallersAsync(TestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        WineEnvironment wine = WineEnvironment.Current;
        if (!wine.UsesWine)
        {
            // On Windows these tests would install on the machine running them; they are for the Wine prefix only.
            return;
        }

        string root = wine.RepositoryRoot;
        s_currentVersion = ReadVersion(root);
        var version = Version.Parse(s_currentVersion);
        s_nextVersion = new Version(version.Major, version.Minor, Math.Max(version.Build, 0) + 1).ToString();
        s_currentFolder = Path.Combine(root, "artifacts", "installer");
        s_nextFolder = Path.Combine(root, ".artifacts", "installer-next");
        s_logFolder = Path.Combine(wine.LogsDirectory, nameof(InstallerTests), "msiexec");
        Directory.CreateDirectory(s_logFolder);

        await BuildAsync(wine, s_currentVersion, s_currentFolder);
        await BuildAsync(wine, s_nextVersion, s_nextFolder, $"-p:ProductVersion={s_nextVersion}", $"-p:InstallerOutputDir={s_nextFolder}");

        // The builds leave Wine idle for minutes; the run's one Wine session (WineEnvironment) does not end when idle.
        foreach (string line in wine.Timings.Where(l => l.StartsWith("Installer", StringComparison.Ordinal)))
        {
            context.WriteLine(line);
        }
    }

    [TestInitialize]
    public void RequireWine()
    {
        if (!WineEnvironment.Current.UsesWine)
        {
            Assert.Inconclusive("The installer tests install into the Wine prefix; on Windows they would install on this machine.");
        }
    }

    /// <summary>Whatever a failed test left: both versions of both flavours uninstalled (which also stops an installed agent), the user's settings removed.</summary>
    [TestCleanup]
    public async Task UninstallEverythingAsync()
    {
        if (!WineEnvironment.Current.UsesWine)
        {
            return;
        }

        await UninstallLeftoversAsync();
        DeleteFolder(InstalledProduct.For(MsiFlavour.PerUser, WineEnvironment.Current).SettingsFolder);
    }

    [TestMethod]
    public Task Per_machine_install_runs_upgrades_refuses_a_downgrade_and_uninstalls_cleanly() =>
        InstallUpgradeDowngradeUninstallAsync(MsiFlavour.PerMachine);

    [TestMethod]
    public Task Per_user_install_runs_upgrades_refuses_a_downgrade_and_uninstalls_cleanly() =>
        InstallUpgradeDowngradeUninstallAsync(MsiFlavour.PerUser);

    [TestMethod]
    public async Task Per_user_install_with_AUTOSTART_0_writes_no_Run_value_and_records_Autostart_0()
    {
        InstalledProduct product = InstalledProduct.For(MsiFlavour.PerUser, WineEnvironment.Current);
        await CleanStartAsync(product);

        MsiexecRun install = await MsiexecAsync(product, "install without autostart", "/i", product.Msi(s_currentFolder, s_currentVersion), "AUTOSTART=0");
        Msiexec.AssertExitCode(Msiexec.Success, install, "Installing with AUTOSTART=0");
        AssertFilesExist(product, install);
        await RegistryCheck.AssertValueAbsentAsync(product.Root, InstalledProduct.RunKey, InstalledProduct.RunValue, RegistryBits.Bits64);
        await RegistryCheck.AssertValueAsync(product.Root, InstalledProduct.DefaultsKey, "Autostart", "0", RegistryBits.Bits64);

        MsiexecRun uninstall = await MsiexecAsync(product, "uninstall", "/x", product.Msi(s_currentFolder, s_currentVersion));
        Msiexec.AssertExitCode(Msiexec.Success, uninstall, "Uninstalling");
        await AssertNothingLeftAsync(product, uninstall);
    }

    [TestMethod]
    public async Task Uninstall_with_REMOVEUSERDATA_1_also_removes_the_user_s_data_and_the_add_in_s_values()
    {
        InstalledProduct product = InstalledProduct.For(MsiFlavour.PerUser, WineEnvironment.Current);
        await CleanStartAsync(product);
        MsiexecRun install = await MsiexecAsync(product, "install before removing user data", "/i", product.Msi(s_currentFolder, s_currentVersion));
        Msiexec.AssertExitCode(Msiexec.Success, install, "Installing");

        // What a user accumulates: settings, the agent's state and logs, the add-in's values.
        Directory.CreateDirectory(product.SettingsFolder);
        await File.WriteAllTextAsync(product.SettingsFile, UserSettingsJson);
        string state = Path.Combine(product.UserProfile, "AppData", "Local", "ClientBridge");
        Directory.CreateDirectory(Path.Combine(state, "logs"));
        await File.WriteAllTextAsync(Path.Combine(state, "logs", "outlook-addin.log"), "a log line\n");
        await AddUserValueAsync(@"HKCU\Software\ClientBridge", "AgentPath", @"C:\Tools\ClientBridge.exe");
        await AddUserValueAsync(@"HKCU\Software\ClientBridge\Outlook", "SharedCalendars", "someone@example.org");

        MsiexecRun uninstall = await MsiexecAsync(product, "uninstall removing user data", "/x", product.Msi(s_currentFolder, s_currentVersion), "REMOVEUSERDATA=1");
        Msiexec.AssertExitCode(Msiexec.Success, uninstall, "Uninstalling with REMOVEUSERDATA=1");
        await AssertNothingLeftAsync(product, uninstall);
        Assert.IsFalse(Directory.Exists(product.SettingsFolder), $"{product.SettingsFolder} is still there.\n{uninstall.Describe()}");
        Assert.IsFalse(Directory.Exists(state), $"{state} is still there.\n{uninstall.Describe()}");
        await RegistryCheck.AssertKeyAbsentAsync("HKCU", @"Software\ClientBridge", RegistryBits.Bits64);
    }

    private static async Task AddUserValueAsync(string key, string name, string data)
    {
        ProcessResult added = await WineEnvironment.Current.RunWindowsAsync("reg", "add", key, "/v", name, "/t", "REG_SZ", "/d", data, "/f");
        Assert.AreEqual(0, added.ExitCode, $"reg add {key} /v {name} failed.\n{added.Describe()}");
    }

    private async Task InstallUpgradeDowngradeUninstallAsync(MsiFlavour flavour)
    {
        InstalledProduct product = InstalledProduct.For(flavour, WineEnvironment.Current);
        string currentMsi = product.Msi(s_currentFolder, s_currentVersion);
        string nextMsi = product.Msi(s_nextFolder, s_nextVersion);

        // 1. Nothing of an aborted run: no product, no defaults, no user settings, no agent.
        await CleanStartAsync(product);

        // 2. A silent install with IT's properties.
        MsiexecRun install = await MsiexecAsync(product, $"install {s_currentVersion}", "/i", currentMsi, [.. InstallProperties]);
        Msiexec.AssertExitCode(Msiexec.Success, install, $"Installing {Path.GetFileName(currentMsi)} with IT's properties");
        await AssertInstalledAsync(product, install, autostart: true);
        await AssertInstallDefaultsAsync(product);
        await AssertOneProductAsync(product, s_currentVersion, install);

        // 3. The installed agent starts, answers and stops.
        await RunInstalledAgentAsync(product);

        // 4. The user's own settings, which no install or upgrade may touch.
        Directory.CreateDirectory(product.SettingsFolder);
        await File.WriteAllTextAsync(product.SettingsFile, UserSettingsJson);
        byte[] settings = await File.ReadAllBytesAsync(product.SettingsFile);

        // 5. The next version, given no properties: one product remains, the properties are remembered.
        MsiexecRun upgrade = await MsiexecAsync(product, $"upgrade to {s_nextVersion}", "/i", nextMsi);
        Msiexec.AssertExitCode(Msiexec.Success, upgrade, $"Upgrading to {Path.GetFileName(nextMsi)}");
        await AssertOneProductAsync(product, s_nextVersion, upgrade);
        await AssertInstallDefaultsAsync(product);
        await AssertInstalledAsync(product, upgrade, autostart: true);
        CollectionAssert.AreEqual(settings, await File.ReadAllBytesAsync(product.SettingsFile), $"The upgrade changed {product.SettingsFile}.\n{upgrade.Describe()}");

        // 6. The older version is refused: a stale GPO assignment cannot roll a machine back.
        MsiexecRun downgrade = await MsiexecAsync(product, $"downgrade to {s_currentVersion}", "/i", currentMsi);
        Msiexec.AssertExitCode(Msiexec.InstallFailure, downgrade, $"Installing the older {Path.GetFileName(currentMsi)} over {s_nextVersion}");
        Assert.Contains("WIX_DOWNGRADE_DETECTED", downgrade.LogText, $"The log does not say a newer version was found.\n{downgrade.Describe()}");
        await AssertOneProductAsync(product, s_nextVersion, downgrade);
        AssertFilesExist(product, downgrade);

        // 7. Uninstall: everything the MSI wrote is gone, the user's settings stay.
        MsiexecRun uninstall = await MsiexecAsync(product, "uninstall", "/x", nextMsi);
        Msiexec.AssertExitCode(Msiexec.Success, uninstall, $"Uninstalling {Path.GetFileName(nextMsi)}");
        await AssertNothingLeftAsync(product, uninstall);
        Assert.IsTrue(File.Exists(product.SettingsFile), $"Uninstalling removed the user's {product.SettingsFile} (only REMOVEUSERDATA=1 may).\n{uninstall.Describe()}");
        CollectionAssert.AreEqual(settings, await File.ReadAllBytesAsync(product.SettingsFile), $"Uninstalling changed {product.SettingsFile}.\n{uninstall.Describe()}");
    }

    /// <summary>Leftovers of an aborted run uninstalled (exit codes ignored), the user's install defaults and settings deleted, and no agent answering on the user's endpoint.</summary>
    private async Task CleanStartAsync(InstalledProduct product)
    {
        var clock = Stopwatch.StartNew();
        await UninstallLeftoversAsync();
        await RegistryCheck.DeleteKeyAsync(@"HKCU\Software\ClientBridge");
        DeleteFolder(product.SettingsFolder);
        Assert.IsFalse(Directory.Exists(product.InstallFolder), $"{product.InstallFolder} is still there after uninstalling every version.");

        // One agent per user: an installed agent (started by wineboot from a leftover Run value) would hold the endpoint.
        ProcessResult status = await WineEnvironment.Current.StatusAsync("--timeout", "1");
        Assert.AreEqual(3, status.ExitCode, $"An agent is already running for the Wine user; the installed agent could not start.\n{status.Describe()}");
        Report($"clean start: {clock.Elapsed.TotalSeconds:0.0} s");
    }

    private static async Task UninstallLeftoversAsync()
    {
        WineEnvironment wine = WineEnvironment.Current;
        foreach (MsiFlavour flavour in Enum.GetValues<MsiFlavour>())
        {
            InstalledProduct product = InstalledProduct.For(flavour, wine);
            foreach (string msi in new[] { product.Msi(s_nextFolder, s_nextVersion), product.Msi(s_currentFolder, s_currentVersion) })
            {
                // Not installed is fine (Windows says 1605; Wine 8 says 0).
                await Msiexec.RunAsync("/x", msi, Path.Combine(s_logFolder, $"{product.FileSuffix}-leftovers.log"));
            }
        }
    }

    private async Task RunInstalledAgentAsync(InstalledProduct product)
    {
        // As the Run value and the shortcut start it, but the console build (ClientBridge.exe), whose errors can be read.
        await using AgentProcess agent = await AgentProcess.StartAsync(WineEnvironment.Current, product.AgentExecutable, inheritConfiguration: false, "run", "--background");
        Report($"installed agent (`run --background`) answering after {agent.TimeToReady.TotalMilliseconds:0} ms");

        ProcessResult status = await WineEnvironment.Current.RunWindowsAsync(product.AgentExecutable, "status", "--json");
        Assert.AreEqual(0, status.ExitCode, $"The installed `status --json` failed.\n{status.Describe()}\n--- agent output ---\n{agent.Output}");
        var providers = new Dictionary<string, bool>(StringComparer.OrdinalIgnoreCase);
        using (JsonDocument document = JsonDocument.Parse(status.StandardOutput))
        {
            foreach (JsonElement provider in document.RootElement.GetProperty("providers").EnumerateArray())
            {
                providers[provider.GetProperty("provider").GetString()!] = provider.GetProperty("isDefault").GetBoolean();
            }
        }

        // status shows the providers, not the reminder minutes. Zoom is offered only with a client id, which only
        // the MSI's Defaults gave: so the agent read them. Jitsi is also the built-in default, so being the
        // default proves only that the installed DEFAULTPROVIDER did not change it to something else.
        Assert.IsTrue(providers.ContainsKey("zoom"), $"Zoom is not offered: the agent did not read ZoomClientId from {product.Root}\\{InstalledProduct.DefaultsKey}.\n{status.Describe()}");
        Assert.IsTrue(providers.TryGetValue("jitsi", out bool jitsiIsDefault) && jitsiIsDefault, $"DEFAULTPROVIDER=jitsi did not make Jitsi the default.\n{status.Describe()}");

        var clock = Stopwatch.StartNew();
        ProcessResult stop = await WineEnvironment.Current.RunWindowsAsync(product.AgentExecutable, "stop", "--timeout", "10");
        if (stop.ExitCode == 2 && stop.StandardError.Contains("stop", StringComparison.OrdinalIgnoreCase))
        {
            // A build without the stop command: the agent is killed on disposal, as AgentProcess does.
            Report($"installed `stop` is not a command of this build (exit 2); the agent is killed instead");
            return;
        }

        Assert.AreEqual(0, stop.ExitCode, $"The installed `stop` failed.\n{stop.Describe()}\n--- agent output ---\n{agent.Output}");
        Assert.IsTrue(await agent.WaitForExitAsync(TimeSpan.FromSeconds(15)), $"`stop` said yes but the agent is still running.\n{stop.Describe()}\n--- agent output ---\n{agent.Output}");
        Report($"installed `stop`: exit 0, agent gone after {clock.Elapsed.TotalMilliseconds:0} ms");
        ProcessResult after = await WineEnvironment.Current.RunWindowsAsync(product.AgentExecutable, "status", "--timeout", "1");
        Assert.AreEqual(3, after.ExitCode, $"`status` still reaches an agent after `stop`.\n{after.Describe()}");
    }

    /// <summary>Files, the Outlook add-in's keys, the COM class, the autostart and the Start-menu entry.</summary>
    private static async Task AssertInstalledAsync(InstalledProduct product, MsiexecRun run, bool autostart)
    {
        AssertFilesExist(product, run);
        string root = product.Root;
        foreach (RegistryBits bits in Enum.GetValues<RegistryBits>())
        {
            // Outlook's add-in list. HKLM\Software is redirected for 32-bit processes, so the per-machine MSI writes
            // it in both views (32-bit Outlook reads Wow6432Node); HKCU\Software is shared, so per user one key
            // serves both views.
            await RegistryCheck.AssertValueAsync(root, InstalledProduct.AddinsKey, "LoadBehavior", "0x3", bits, "REG_DWORD");
            await RegistryCheck.AssertValueAsync(root, InstalledProduct.AddinsKey, "FriendlyName", InstalledProduct.Addin.FriendlyName, bits);
            await RegistryCheck.AssertValueAsync(root, InstalledProduct.AddinsKey, "Description", InstalledProduct.Addin.Description, bits);

            // The COM class, as regasm /codebase writes it, pointing at the installed DLL. Per user, Windows
            // redirects HKCU\Software\Classes\CLSID for 32-bit programs (to Software\Classes\Wow6432Node\CLSID);
            // Wine does not, so under Wine both views show the one 64-bit key here. tests/Installer.Tests proves
            // from the MSI's tables that the 32-bit component is there.
            string codeBase = $@"file:///{product.InstallFolderWindows}\OutlookAddin\OutlookPlugin.dll";
            await RegistryCheck.AssertValueAsync(root, InstalledProduct.ClassKey, string.Empty, InstalledProduct.Addin.ClassName, bits);
            await RegistryCheck.AssertValueAsync(root, InstalledProduct.InprocServerKey, string.Empty, "mscoree.dll", bits);
            await RegistryCheck.AssertValueAsync(root, InstalledProduct.InprocServerKey, "CodeBase", codeBase, bits);
            await RegistryCheck.AssertValueAsync(root, InstalledProduct.InprocServerKey, "Class", InstalledProduct.Addin.ClassName, bits);
            await RegistryCheck.AssertValueAsync(root, InstalledProduct.InprocServerKey, "RuntimeVersion", InstalledProduct.Addin.RuntimeVersion, bits);
            await RegistryCheck.AssertValueAsync(root, InstalledProduct.InprocServerKey, "ThreadingModel", "Both", bits);
            await RegistryCheck.AssertValueAsync(root, InstalledProduct.ClassKey + @"\ProgId", string.Empty, InstalledProduct.Addin.ProgId, bits);
        }

        await RegistryCheck.AssertValueAsync(root, InstalledProduct.ProgIdKey + @"\CLSID", string.Empty, InstalledProduct.Addin.ClassId, RegistryBits.Bits64);

        if (autostart)
        {
            await RegistryCheck.AssertValueAsync(root, InstalledProduct.RunKey, InstalledProduct.RunValue, $"\"{product.InstallFolderWindows}\\ClientBridgeW.exe\" run --background", RegistryBits.Bits64);
        }

        await RegistryCheck.AssertValueAsync(root, InstalledProduct.InstallerKey, "StartMenuEntry", "0x1", RegistryBits.Bits64, "REG_DWORD");
        Assert.IsTrue(File.Exists(product.StartMenuShortcut), $"No Start-menu shortcut {product.StartMenuShortcut}.\n{run.Describe()}");
    }

    /// <summary>The properties of the first install, as written then and as remembered by the upgrade.</summary>
    private static async Task AssertInstallDefaultsAsync(InstalledProduct product)
    {
        string root = product.Root;
        const string Key = InstalledProduct.DefaultsKey;
        await RegistryCheck.AssertValueAsync(root, Key, "DefaultProvider", "jitsi", RegistryBits.Bits64);
        await RegistryCheck.AssertValueAsync(root, Key, "ZoomApiBaseUrl", "https://api.zoomgov.com/v2", RegistryBits.Bits64);
        await RegistryCheck.AssertValueAsync(root, Key, "ZoomOAuthBaseUrl", "https://zoomgov.com", RegistryBits.Bits64);
        await RegistryCheck.AssertValueAsync(root, Key, "ZoomClientId", "wine-msi-client-id", RegistryBits.Bits64);
        await RegistryCheck.AssertValueAsync(root, Key, "ReminderMinutes", "10", RegistryBits.Bits64);
        await RegistryCheck.AssertValueAsync(root, Key, "Autostart", "1", RegistryBits.Bits64);
    }

    /// <summary>Exactly one Uninstall entry of this flavour, of <paramref name="version"/>.</summary>
    private static async Task AssertOneProductAsync(InstalledProduct product, string version, MsiexecRun run)
    {
        UninstallEntries entries = await RegistryCheck.UninstallEntriesAsync(product.ProductName);
        Assert.HasCount(1, entries.Matching, $"Expected one Uninstall entry named \"{product.ProductName}\".\n{entries.Listing}\n{run.Describe()}");
        Assert.AreEqual(version, entries.Matching[0].GetValueOrDefault("DisplayVersion"), $"The installed version is wrong.\n{entries.Listing}\n{run.Describe()}");
    }

    private static async Task AssertNothingLeftAsync(InstalledProduct product, MsiexecRun run)
    {
        // Wine's msi ignores RemoveFolder for the parent, so per user an empty Programs folder may stay; ours must go.
        Assert.IsFalse(Directory.Exists(product.InstallFolder), $"{product.InstallFolder} is still there: {Listing(product.InstallFolder)}\n{run.Describe()}");
        Assert.IsFalse(File.Exists(product.StartMenuShortcut), $"The shortcut {product.StartMenuShortcut} is still there.\n{run.Describe()}");

        string root = product.Root;
        foreach (RegistryBits bits in Enum.GetValues<RegistryBits>())
        {
            await RegistryCheck.AssertKeyAbsentAsync(root, InstalledProduct.AddinsKey, bits);
            await RegistryCheck.AssertKeyAbsentAsync(root, InstalledProduct.ClassKey, bits);
        }

        await RegistryCheck.AssertKeyAbsentAsync(root, InstalledProduct.ProgIdKey, RegistryBits.Bits64);
        await RegistryCheck.AssertValueAbsentAsync(root, InstalledProduct.RunKey, InstalledProduct.RunValue, RegistryBits.Bits64);
        await RegistryCheck.AssertKeyAbsentAsync(root, InstalledProduct.DefaultsKey, RegistryBits.Bits64);
        await RegistryCheck.AssertKeyAbsentAsync(root, InstalledProduct.InstallerKey, RegistryBits.Bits64);

        UninstallEntries entries = await RegistryCheck.UninstallEntriesAsync(product.ProductName);
        Assert.IsEmpty(entries.Matching, $"The Uninstall entry is still there.\n{entries.Listing}\n{run.Describe()}");
    }

    private static void AssertFilesExist(InstalledProduct product, MsiexecRun run)
    {
        foreach (string file in product.KeyFiles)
        {
            Assert.IsTrue(File.Exists(file), $"{file} was not installed. {product.InstallFolder} holds: {Listing(product.InstallFolder)}\n{run.Describe()}");
        }
    }

    private async Task<MsiexecRun> MsiexecAsync(InstalledProduct product, string step, string action, string msi, params string[] properties)
    {
        Assert.IsTrue(File.Exists(msi), $"{msi} was not built.");
        string log = Path.Combine(WineEnvironment.Current.TestLogFolder(TestContext, "msiexec"), $"{product.FileSuffix}-{step.Replace(' ', '-')}.log");
        MsiexecRun run = await Msiexec.RunAsync(action, msi, log, properties);
        Report($"{product.FileSuffix} {step}: msiexec {action} exit {run.Result.ExitCode} after {run.Result.Elapsed.TotalSeconds:0.0} s");
        return run;
    }

    /// <summary>The project's own command, its output in a file (the build servers it leaves running would keep a pipe of ours open).</summary>
    private static async Task BuildAsync(WineEnvironment wine, string version, string folder, params string[] properties)
    {
        string log = Path.Combine(s_logFolder, $"build-{version}.log");
        string? hostPath = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        string dotnet = !string.IsNullOrEmpty(hostPath) && File.Exists(hostPath) ? hostPath : "dotnet";
        var start = new ProcessStartInfo("/bin/sh")
        {
            WorkingDirectory = wine.RepositoryRoot,
            ArgumentList = { "-c", "exec \"$0\" \"$@\" </dev/null >\"$CLIENTBRIDGE_BUILD_LOG\" 2>&1", dotnet, "build", "-c", "Release", "Installer" },
        };
        foreach (string property in properties)
        {
            start.ArgumentList.Add(property);
        }

        start.Environment["CLIENTBRIDGE_BUILD_LOG"] = log;
        var clock = Stopwatch.StartNew();
        ProcessResult result = await ProcessRunner.RunAsync(start, BuildTimeout);
        string[] lines = File.Exists(log) ? ProcessRunner.Normalize(await File.ReadAllTextAsync(log)).Split('\n') : [];
        string tail = string.Join('\n', lines.Skip(Math.Max(0, lines.Length - BuildOutputTailLines)));
        string command = ProcessRunner.Describe(start);
        Assert.AreEqual(0, result.ExitCode, $"Building the MSIs ({version}) failed: `dotnet build -c Release Installer {string.Join(' ', properties)}` exited {result.ExitCode}.\n--- output (last {BuildOutputTailLines} lines; all in {log}) ---\n{tail}\n({command})");
        foreach (string suffix in new[] { "per-machine", "per-user" })
        {
            string msi = Path.Combine(folder, $"ClientBridge-{version}-{suffix}.msi");
            Assert.IsTrue(File.Exists(msi), $"The build left no {msi}.\n--- output ---\n{tail}");
        }

        wine.Record(string.Create(CultureInfo.InvariantCulture, $"Installer build {version} (dotnet build -c Release Installer{(properties.Length == 0 ? string.Empty : " " + string.Join(' ', properties))}): {clock.Elapsed.TotalSeconds:0.0} s"));
    }

    private static string ReadVersion(string root)
    {
        string props = Path.Combine(root, "Directory.Build.props");
        string? version = XDocument.Load(props).Descendants("Version").Select(e => e.Value.Trim()).FirstOrDefault();
        Assert.IsFalse(string.IsNullOrEmpty(version), $"No <Version> in {props}.");
        return version;
    }

    private static void DeleteFolder(string folder)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string Listing(string folder) =>
        Directory.Exists(folder)
            ? string.Join(", ", Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(folder, p)).Take(40))
            : "(no such folder)";

    private void Report(FormattableString line) => WineEnvironment.Current.Report(TestContext, line);
}
