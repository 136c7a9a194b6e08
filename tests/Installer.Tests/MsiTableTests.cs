using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using ClientBridge.Settings;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using OutlookPlugin.Tests.Addin;

namespace Installer.Tests;

/// <summary>
/// The built MSIs, table by table, against what the add-in and the agent really are: a CLSID in the wrong view or
/// a missing Addins key and Outlook silently never loads the add-in, so these are compared with the built DLL.
/// </summary>
[TestClass]
public sealed class MsiTableTests
{
    private const string AddinsKeyPrefix = @"Software\Microsoft\Office\Outlook\Addins\";

    [TestMethod]
    [DataRow(Flavour.PerMachine)]
    [DataRow(Flavour.PerUser)]
    public void The_com_class_is_registered_exactly_as_the_built_add_in_declares_it_in_both_registry_views(Flavour flavour)
    {
        MsiPackage msi = BuiltInstallers.Get(flavour);
        AddinFacts facts = AddinFacts.Read();
        string root = RootOf(flavour);
        string codeBase = $"file:///[#{AddinDllFileKey(msi)}]";
        string clsidKey = $@"Software\Classes\CLSID\{facts.ClassId}";
        string versionKey = $@"{clsidKey}\InprocServer32\{AssemblyVersion(facts)}";

        // regasm /codebase's layout (FACTS §6.6), every value taken from the DLL rather than from the WiX sources.
        string[] expected =
        [
            Row(root, clsidKey, string.Empty, facts.ClassName),
            Row(root, $@"{clsidKey}\InprocServer32", string.Empty, "mscoree.dll"),
            Row(root, $@"{clsidKey}\InprocServer32", "ThreadingModel", "Both"),
            Row(root, $@"{clsidKey}\InprocServer32", "Class", facts.ClassName),
            Row(root, $@"{clsidKey}\InprocServer32", "Assembly", facts.AssemblyFullName),
            Row(root, $@"{clsidKey}\InprocServer32", "RuntimeVersion", facts.RuntimeVersion),
            Row(root, $@"{clsidKey}\InprocServer32", "CodeBase", codeBase),
            Row(root, versionKey, "Class", facts.ClassName),
            Row(root, versionKey, "Assembly", facts.AssemblyFullName),
            Row(root, versionKey, "RuntimeVersion", facts.RuntimeVersion),
            Row(root, versionKey, "CodeBase", codeBase),
            Row(root, $@"{clsidKey}\ProgId", string.Empty, facts.ProgId),
            Row(root, $@"Software\Classes\{facts.ProgId}", string.Empty, facts.ClassName),
            Row(root, $@"Software\Classes\{facts.ProgId}\CLSID", string.Empty, facts.ClassId),
        ];

        Dictionary<bool, string[]> byView = RowsByView(msi, r =>
            r["Key"].StartsWith(clsidKey, StringComparison.OrdinalIgnoreCase)
            || r["Key"].StartsWith($@"Software\Classes\{facts.ProgId}", StringComparison.OrdinalIgnoreCase));

        // 64-bit Outlook reads only the 64-bit view of Classes\CLSID, 32-bit Outlook only the 32-bit one (FACTS §6.7).
        Assert.IsTrue(byView.ContainsKey(true), $"{Path.GetFileName(msi.Path)} registers the COM class in no 64-bit component: 64-bit Outlook would not find it.");
        Assert.IsTrue(byView.ContainsKey(false), $"{Path.GetFileName(msi.Path)} registers the COM class in no 32-bit component: 32-bit Outlook would not find it.");
        foreach ((bool is64Bit, string[] actual) in byView)
        {
            CollectionAssert.AreEquivalent(expected, actual, $"The {(is64Bit ? "64" : "32")}-bit view's registration differs from the add-in's.\nExpected:\n{string.Join('\n', expected.Order())}\nActual:\n{string.Join('\n', actual.Order())}");
        }
    }

    [TestMethod]
    [DataRow(Flavour.PerMachine)]
    [DataRow(Flavour.PerUser)]
    public void Outlook_finds_the_add_in_under_its_ProgID_with_load_at_startup_in_every_view_it_reads(Flavour flavour)
    {
        MsiPackage msi = BuiltInstallers.Get(flavour);
        AddinFacts facts = AddinFacts.Read();
        string root = RootOf(flavour);
        string key = AddinsKeyPrefix + facts.ProgId;
        string[] expected =
        [
            Row(root, key, "FriendlyName", facts.FriendlyName),
            Row(root, key, "Description", facts.Description),
            Row(root, key, "LoadBehavior", "#3"),
        ];

        Dictionary<bool, string[]> byView = RowsByView(msi, r => r["Key"].StartsWith(AddinsKeyPrefix, StringComparison.OrdinalIgnoreCase));

        // HKLM\Software is redirected for 32-bit Outlook; HKCU\Software is one key both bitnesses read (FACTS §6.7).
        bool[] views = flavour == Flavour.PerMachine ? [true, false] : [true];
        CollectionAssert.AreEquivalent(views, byView.Keys.ToArray(), $"{Path.GetFileName(msi.Path)} writes the Addins key in the wrong views: {string.Join(", ", byView.Keys.Select(v => v ? "64-bit" : "32-bit"))}.");
        foreach ((bool is64Bit, string[] actual) in byView)
        {
            CollectionAssert.AreEquivalent(expected, actual, $"The {(is64Bit ? "64" : "32")}-bit Addins key is not the add-in's:\n{string.Join('\n', actual)}");
        }
    }

    [TestMethod]
    [DataRow(Flavour.PerMachine)]
    [DataRow(Flavour.PerUser)]
    public void Every_file_the_add_in_needs_is_installed_beside_it_and_the_agent_needs_no_runtime(Flavour flavour)
    {
        MsiPackage msi = BuiltInstallers.Get(flavour);
        ILookup<string, string> filesByComponent = msi.Rows("File").ToLookup(f => f["Component_"], f => LongName(f["FileName"]));
        string addinFolder = Path.GetDirectoryName(AddinFacts.AssemblyPath())!;
        string[] addinDlls = Directory.GetFiles(addinFolder, "*.dll").Select(Path.GetFileName).OfType<string>().ToArray();

        CollectionAssert.AreEquivalent(addinDlls, filesByComponent["AddinFiles"].ToArray(), $"The add-in folder of the MSI differs from the add-in's build output {addinFolder}.");

        // Self-contained: the runtime travels with the agent (no .NET prerequisite on the machine).
        string[] agent = filesByComponent["AgentFiles"].ToArray();
        foreach (string required in new[] { "ClientBridge.exe", "ClientBridgeW.exe", "ClientBridge.dll", "hostfxr.dll", "hostpolicy.dll", "coreclr.dll", "System.Private.CoreLib.dll" })
        {
            Assert.Contains(required, agent, $"The agent's files in {Path.GetFileName(msi.Path)} lack {required}.");
        }

        string[] symbols = msi.Rows("File").Select(f => LongName(f["FileName"])).Where(n => n.EndsWith(".pdb", StringComparison.OrdinalIgnoreCase)).ToArray();
        Assert.IsEmpty(symbols, $"Debug symbols are installed: {string.Join(", ", symbols)}");
    }

    [TestMethod]
    [DataRow(Flavour.PerMachine)]
    [DataRow(Flavour.PerUser)]
    public void A_newer_build_replaces_this_one_and_an_older_one_is_refused(Flavour flavour)
    {
        MsiPackage msi = BuiltInstallers.Get(flavour);
        string upgradeCode = msi.Property("UpgradeCode");
        string version = msi.Property("ProductVersion");
        Assert.AreEqual(BuiltInstallers.ProductVersion, version);
        IReadOnlyList<IReadOnlyDictionary<string, string>> upgrade = msi.Rows("Upgrade");

        // Older versions of the same product: found, and removed by RemoveExistingProducts.
        IReadOnlyDictionary<string, string> older = upgrade.Single(r => r["ActionProperty"] == "WIX_UPGRADE_DETECTED");
        Assert.AreEqual(upgradeCode, older["UpgradeCode"]);
        Assert.AreEqual(version, older["VersionMax"]);
        Assert.AreEqual(0, int.Parse(older["Attributes"], System.Globalization.CultureInfo.InvariantCulture) & 2, "Older versions must be removed, not only detected.");

        // Newer versions: only detected, and the launch condition stops the install with a message.
        IReadOnlyDictionary<string, string> newer = upgrade.Single(r => r["ActionProperty"] == "WIX_DOWNGRADE_DETECTED");
        Assert.AreEqual(version, newer["VersionMin"]);
        Assert.AreEqual(2, int.Parse(newer["Attributes"], System.Globalization.CultureInfo.InvariantCulture) & 2, "Newer versions must only be detected.");
        IReadOnlyDictionary<string, string> refusal = msi.Rows("LaunchCondition").Single(r => r["Condition"] == "NOT WIX_DOWNGRADE_DETECTED");
        Assert.Contains("newer version", refusal["Description"]);

        Assert.IsTrue(msi.Rows("InstallExecuteSequence").Any(r => r["Action"] == "RemoveExistingProducts"), "No RemoveExistingProducts: an upgrade would leave two products installed.");

        // The two flavours are separate products, so one machine may hold both without one upgrading the other.
        Flavour other = flavour == Flavour.PerMachine ? Flavour.PerUser : Flavour.PerMachine;
        Assert.AreNotEqual(BuiltInstallers.Get(other).Property("UpgradeCode"), upgradeCode);
        Assert.AreEqual(flavour == Flavour.PerMachine ? "1" : string.Empty, msi.Property("ALLUSERS"), "Per machine installs for all users; per user must not ask for an administrator.");
    }

    [TestMethod]
    [DataRow(Flavour.PerMachine)]
    [DataRow(Flavour.PerUser)]
    public void Every_default_the_agent_reads_is_a_silent_property_that_reaches_an_elevated_install(Flavour flavour)
    {
        MsiPackage msi = BuiltInstallers.Get(flavour);
        string[] agentReads = typeof(InstallDefaults).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.Name != nameof(InstallDefaults.KeyPath))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToArray();
        IReadOnlyDictionary<string, string>[] written = msi.Rows("Registry")
            .Where(r => r["Key"] == InstallDefaults.KeyPath && r["Root"] == RootOf(flavour))
            .ToArray();

        CollectionAssert.AreEquivalent(agentReads, written.Select(r => r["Name"]).ToArray(), $"The MSI writes other defaults under {InstallDefaults.KeyPath} than the agent reads.");

        string[] secure = msi.Property("SecureCustomProperties").Split(';');
        foreach (IReadOnlyDictionary<string, string> value in written)
        {
            // Each value is a public property as typed on the msiexec line...
            string property = value["Value"].Trim('[', ']');
            Assert.AreEqual($"[{property}]", value["Value"], $"{value["Name"]} is not written from a property.");
            Assert.AreEqual(property.ToUpperInvariant(), property, $"{property} is not a public (upper-case) property.");

            // ...that Windows Installer passes to the elevated part of a per-machine install...
            Assert.Contains(property, secure, $"{property} is not in SecureCustomProperties: an elevated install would drop it.");

            // ...and that a major upgrade remembers when the command line does not repeat it.
            Assert.IsTrue(
                msi.Rows("AppSearch").Any(a => a["Property"] == property),
                $"{property} is not read back before an upgrade: the upgrade would forget it.");
        }

        Assert.Contains("REMOVEUSERDATA", secure);
    }

    [TestMethod]
    [DataRow(Flavour.PerMachine)]
    [DataRow(Flavour.PerUser)]
    public void The_agent_starts_at_sign_in_without_a_console_and_is_asked_to_quit_before_its_files_change(Flavour flavour)
    {
        MsiPackage msi = BuiltInstallers.Get(flavour);
        string windowlessAgent = msi.Rows("File").Single(f => LongName(f["FileName"]) == "ClientBridgeW.exe")["File"];

        IReadOnlyDictionary<string, string> run = msi.Rows("Registry").Single(r => r["Key"] == @"Software\Microsoft\Windows\CurrentVersion\Run");
        Assert.AreEqual(RootOf(flavour), run["Root"]);
        Assert.AreEqual($"\"[#{windowlessAgent}]\" run --background", run["Value"]);

        // In a feature of its own, which AUTOSTART=0 leaves out by lowering INSTALLLEVEL below its level.
        string autostartFeature = msi.Rows("FeatureComponents").Single(r => r["Component_"] == run["Component_"])["Feature_"];
        int level = int.Parse(msi.Rows("Feature").Single(r => r["Feature"] == autostartFeature)["Level"], System.Globalization.CultureInfo.InvariantCulture);
        Assert.AreEqual(msi.Property("INSTALLLEVEL"), level.ToString(System.Globalization.CultureInfo.InvariantCulture));
        IReadOnlyDictionary<string, string> leaveOut = msi.Rows("CustomAction").Single(a => a["Source"] == "INSTALLLEVEL");
        Assert.IsLessThan(level, int.Parse(leaveOut["Target"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.AreEqual("AUTOSTART = \"0\"", Sequence(msi, leaveOut["Action"])["Condition"]);
        Assert.IsLessThan(int.Parse(Sequence(msi, "CostFinalize")["Sequence"], System.Globalization.CultureInfo.InvariantCulture), int.Parse(Sequence(msi, leaveOut["Action"])["Sequence"], System.Globalization.CultureInfo.InvariantCulture));

        IReadOnlyDictionary<string, string> shortcut = msi.Rows("Shortcut").Single();
        Assert.AreEqual("ProgramMenuFolder", shortcut["Directory_"]);
        Assert.AreEqual($"[#{windowlessAgent}]", shortcut["Target"]);

        // The agent holds its files open: it is stopped before InstallValidate looks for files in use.
        IReadOnlyDictionary<string, string> stop = msi.Rows("CustomAction").Single(a => a["Target"] == "stop");
        Assert.AreEqual(windowlessAgent, stop["Source"]);
        Assert.IsLessThan(int.Parse(Sequence(msi, "InstallValidate")["Sequence"], System.Globalization.CultureInfo.InvariantCulture), int.Parse(Sequence(msi, stop["Action"])["Sequence"], System.Globalization.CultureInfo.InvariantCulture));

        // User data goes only when asked, and never during an upgrade.
        IReadOnlyDictionary<string, string> removeData = msi.Rows("CustomAction").Single(a => a["Target"] == "remove-user-data");
        string condition = Sequence(msi, removeData["Action"])["Condition"];
        Assert.Contains("REMOVEUSERDATA = \"1\"", condition);
        Assert.Contains("NOT UPGRADINGPRODUCTCODE", condition);
        Assert.Contains("REMOVE = \"ALL\"", condition);
    }

    [TestMethod]
    public void The_windowless_agent_is_the_agent_s_own_apphost_with_only_the_subsystem_changed()
    {
        string payload = Path.Combine(BuiltInstallers.RepositoryRoot, "Installer", "obj", "payload", "agent");
        byte[] console = File.ReadAllBytes(Path.Combine(payload, "ClientBridge.exe"));
        byte[] windowless = File.ReadAllBytes(Path.Combine(payload, "ClientBridgeW.exe"));

        // PE: e_lfanew at 0x3C; the optional header follows the signature and the 20-byte file header; Subsystem at 68.
        int subsystem = BitConverter.ToInt32(console, 0x3C) + 4 + 20 + 68;
        Assert.AreEqual(3, BitConverter.ToUInt16(console, subsystem), "ClientBridge.exe should be a console program (IMAGE_SUBSYSTEM_WINDOWS_CUI).");
        Assert.AreEqual(2, BitConverter.ToUInt16(windowless, subsystem), "ClientBridgeW.exe should open no console (IMAGE_SUBSYSTEM_WINDOWS_GUI).");
        Assert.HasCount(console.Length, windowless);
        int[] differing = Enumerable.Range(0, console.Length).Where(i => console[i] != windowless[i]).ToArray();
        CollectionAssert.IsSubsetOf(differing, new[] { subsystem, subsystem + 1 }, "ClientBridgeW.exe differs from ClientBridge.exe beyond the subsystem field.");
    }

    private static string RootOf(Flavour flavour) => flavour == Flavour.PerMachine ? BuiltInstallers.LocalMachineRoot : BuiltInstallers.CurrentUserRoot;

    private static string Row(string root, string key, string name, string value) => $"{root} {key} [{name}] = {value}";

    /// <summary>Registry rows matching <paramref name="filter"/>, grouped by the bitness of the component that writes them.</summary>
    private static Dictionary<bool, string[]> RowsByView(MsiPackage msi, Func<IReadOnlyDictionary<string, string>, bool> filter)
    {
        Dictionary<string, bool> is64Bit = msi.Rows("Component").ToDictionary(
            c => c["Component"],
            c => (int.Parse(c["Attributes"], System.Globalization.CultureInfo.InvariantCulture) & BuiltInstallers.Component64Bit) != 0);
        return msi.Rows("Registry").Where(filter)
            .GroupBy(r => is64Bit[r["Component_"]])
            .ToDictionary(g => g.Key, g => g.Select(r => Row(r["Root"], r["Key"], r["Name"], r["Value"])).ToArray());
    }

    private static IReadOnlyDictionary<string, string> Sequence(MsiPackage msi, string action) =>
        msi.Rows("InstallExecuteSequence").Single(r => r["Action"] == action);

    private static string AddinDllFileKey(MsiPackage msi) =>
        msi.Rows("File").Single(f => f["Component_"] == "AddinFiles" && LongName(f["FileName"]) == Path.GetFileName(AddinFacts.AssemblyPath()))["File"];

    /// <summary>File.FileName holds "SHORT~1.DLL|LongName.dll" when the long name is not a valid 8.3 name.</summary>
    private static string LongName(string fileName) => fileName.Contains('|', StringComparison.Ordinal) ? fileName[(fileName.IndexOf('|', StringComparison.Ordinal) + 1)..] : fileName;

    /// <summary>The InprocServer32 subkey regasm names after the assembly's version.</summary>
    private static string AssemblyVersion(AddinFacts facts) =>
        facts.AssemblyFullName.Split(", ").Single(p => p.StartsWith("Version=", StringComparison.Ordinal))["Version=".Length..];
}
