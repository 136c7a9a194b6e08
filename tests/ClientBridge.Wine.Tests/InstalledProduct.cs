using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using OutlookPlugin.Tests.Addin;

namespace ClientBridge.Wine.Tests;

/// <summary>The two MSIs built from Installer/ (Scope.wxi): one for the machine, one for the user who installs it.</summary>
public enum MsiFlavour
{
    PerMachine,
    PerUser,
}

/// <summary>Which registry view <c>reg</c> reads: what a 64-bit or a 32-bit program (Outlook of either bitness) sees.</summary>
internal enum RegistryBits
{
    Bits64 = 64,
    Bits32 = 32,
}

/// <summary>
/// What one flavour of the MSI installs and where, in the Wine prefix, as Installer/*.wxs and *.wxi say: the folder,
/// the registry root, the product name in the Uninstall list, the Start-menu shortcut.
/// </summary>
internal sealed class InstalledProduct
{
    /// <summary>The add-in's identity read from the built OutlookPlugin.dll, the file the MSI installs, rather than written here again.</summary>
    public static readonly AddinFacts Addin = AddinFacts.Read();

    public static readonly string AddinsKey = @"Software\Microsoft\Office\Outlook\Addins\" + Addin.ProgId;
    public static readonly string ClassKey = @"Software\Classes\CLSID\" + Addin.ClassId;
    public static readonly string InprocServerKey = ClassKey + @"\InprocServer32";
    public static readonly string ProgIdKey = @"Software\Classes\" + Addin.ProgId;
    public const string RunKey = @"Software\Microsoft\Windows\CurrentVersion\Run";
    public const string RunValue = "ClientBridge";
    public const string DefaultsKey = ClientBridge.Settings.InstallDefaults.KeyPath;
    public const string InstallerKey = @"Software\ClientBridge\Installer";
    public const string UninstallKey = @"Software\Microsoft\Windows\CurrentVersion\Uninstall";

    private InstalledProduct(MsiFlavour flavour, string prefix, string userName)
    {
        Flavour = flavour;
        string user = Path.Combine(prefix, "drive_c", "users", userName);
        UserProfile = user;
        if (flavour == MsiFlavour.PerMachine)
        {
            FileSuffix = "per-machine";
            ProductName = "ClientBridge video meetings";
            Root = "HKLM";
            InstallFolder = Path.Combine(prefix, "drive_c", "Program Files", "ClientBridge");
            InstallFolderWindows = @"C:\Program Files\ClientBridge";
        }
        else
        {
            FileSuffix = "per-user";
            ProductName = "ClientBridge video meetings (this user)";
            Root = "HKCU";
            InstallFolder = Path.Combine(user, "AppData", "Local", "Programs", "ClientBridge");
            InstallFolderWindows = $@"C:\users\{userName}\AppData\Local\Programs\ClientBridge";
        }

        // Windows puts a per-machine install's shortcut (ALLUSERS=1) in the all-users Start menu
        // (C:\ProgramData\Microsoft\Windows\Start Menu\Programs). Wine 8's msi resolves ProgramMenuFolder to the
        // installing user's Start menu whatever ALLUSERS says (its log: "ProgramMenuFolder = C:\users\<user>\AppData\Roaming\…"),
        // so under Wine both flavours' shortcuts land here.
        StartMenuShortcut = Path.Combine(user, "AppData", "Roaming", "Microsoft", "Windows", "Start Menu", "Programs", "ClientBridge.lnk");
        SettingsFolder = Path.Combine(user, "AppData", "Roaming", "ClientBridge");
    }

    public MsiFlavour Flavour { get; }

    /// <summary><c>per-machine</c> or <c>per-user</c>, as the MSI's file name ends.</summary>
    public string FileSuffix { get; }

    /// <summary>The DisplayName of its Uninstall entry (Scope.wxi).</summary>
    public string ProductName { get; }

    /// <summary>HKLM or HKCU: where every key of this flavour goes.</summary>
    public string Root { get; }

    /// <summary>The Wine user's profile folder (host path): <c>drive_c/users/&lt;Unix user name&gt;</c>.</summary>
    public string UserProfile { get; }

    /// <summary>INSTALLFOLDER as a host path.</summary>
    public string InstallFolder { get; }

    /// <summary>INSTALLFOLDER as Windows programs (and the registry values) spell it.</summary>
    public string InstallFolderWindows { get; }

    public string StartMenuShortcut { get; }

    /// <summary>The user's settings folder (AgentPaths.SettingsDirectory: %APPDATA%\ClientBridge), host path.</summary>
    public string SettingsFolder { get; }

    public string SettingsFile => Path.Combine(SettingsFolder, "settings.json");

    public string AgentExecutable => Path.Combine(InstallFolder, "ClientBridge.exe");

    public string WindowsAgentExecutable => Path.Combine(InstallFolder, "ClientBridgeW.exe");

    public string AddinAssembly => Path.Combine(InstallFolder, "OutlookAddin", "OutlookPlugin.dll");

    /// <summary>The files an administrator would look for after an install.</summary>
    public IReadOnlyList<string> KeyFiles => [AgentExecutable, WindowsAgentExecutable, AddinAssembly];

    public static InstalledProduct For(MsiFlavour flavour, WineEnvironment wine)
    {
        ArgumentNullException.ThrowIfNull(wine);

        // The prefix WineEnvironment gives every Windows program it starts.
        if (!wine.WindowsProcess("cmd").Environment.TryGetValue("WINEPREFIX", out string? prefix) || string.IsNullOrEmpty(prefix))
        {
            throw new InvalidOperationException("The Wine environment sets no WINEPREFIX: the installer tests need Wine.");
        }

        // Wine names the profile folder after the Unix user.
        string userName = Environment.UserName;
        string profile = Path.Combine(prefix, "drive_c", "users", userName);
        Assert.IsTrue(Directory.Exists(profile), $"No Wine profile folder {profile} for the Unix user {userName}: {string.Join(", ", Directory.GetDirectories(Path.Combine(prefix, "drive_c", "users")))}");
        return new InstalledProduct(flavour, prefix, userName);
    }

    public string Msi(string folder, string version) => Path.Combine(folder, $"ClientBridge-{version}-{FileSuffix}.msi");
}

/// <summary><c>reg query</c> through Wine (or Windows), its output parsed, with assertions that quote it on failure.</summary>
internal static partial class RegistryCheck
{
    public static async Task<RegQuery> QueryAsync(string key, string? valueName, RegistryBits bits, bool recurse = false)
    {
        List<string> arguments = ["query", key];
        if (valueName == string.Empty)
        {
            arguments.Add("/ve");
        }
        else if (valueName is not null)
        {
            arguments.AddRange(["/v", valueName]);
        }

        if (recurse)
        {
            arguments.Add("/s");
        }

        arguments.Add(bits == RegistryBits.Bits64 ? "/reg:64" : "/reg:32");
        ProcessResult result = await WineEnvironment.Current.RunWindowsAsync("reg", [.. arguments]);
        return new RegQuery(result, Parse(result.StandardOutput));
    }

    /// <summary>The value holds <paramref name="expected"/> as <c>reg</c> prints it (DWORDs as <c>0x3</c>); <c>""</c> as the name is the key's default value.</summary>
    public static async Task AssertValueAsync(string root, string key, string name, string expected, RegistryBits bits, string type = "REG_SZ")
    {
        RegQuery query = await QueryAsync($@"{root}\{key}", name, bits);
        Assert.AreEqual(0, query.Result.ExitCode, $"{Describe(root, key, name, bits)} is missing.\n{query.Result.Describe()}");
        RegValue? value = query.Values(root, key).FirstOrDefault(v => IsName(v, name));
        Assert.IsNotNull(value, $"{Describe(root, key, name, bits)}: no such value in the output.\n{query.Result.Describe()}");
        Assert.AreEqual(type, value.Type, $"{Describe(root, key, name, bits)} has the wrong type.\n{query.Result.Describe()}");
        Assert.AreEqual(expected, value.Data, $"{Describe(root, key, name, bits)} has the wrong data.\n{query.Result.Describe()}");
    }

    public static async Task AssertKeyAbsentAsync(string root, string key, RegistryBits bits)
    {
        RegQuery query = await QueryAsync($@"{root}\{key}", null, bits);
        Assert.IsTrue(query.IsNotFound, $@"{root}\{key} ({(int)bits}-bit view) should not exist.{Environment.NewLine}{query.Result.Describe()}");
    }

    /// <summary>The value is gone; so may be its key.</summary>
    public static async Task AssertValueAbsentAsync(string root, string key, string name, RegistryBits bits)
    {
        RegQuery query = await QueryAsync($@"{root}\{key}", name, bits);
        Assert.IsTrue(query.IsNotFound, $"{Describe(root, key, name, bits)} should not exist.\n{query.Result.Describe()}");
    }

    /// <summary><c>reg delete /f</c>; nothing to delete is fine, but the key must be gone afterwards.</summary>
    public static async Task DeleteKeyAsync(string key)
    {
        ProcessResult deleted = await WineEnvironment.Current.RunWindowsAsync("reg", "delete", key, "/f");
        RegQuery query = await QueryAsync(key, null, RegistryBits.Bits64);
        Assert.IsTrue(query.IsNotFound, $"{key} is still there after deleting it.\n{deleted.Describe()}\n{query.Result.Describe()}");
    }

    /// <summary>The Uninstall entries (HKLM and HKCU, 64-bit view) whose DisplayName is <paramref name="productName"/>, with all their values.</summary>
    public static async Task<UninstallEntries> UninstallEntriesAsync(string productName)
    {
        var found = new List<IReadOnlyDictionary<string, string>>();
        var output = new StringBuilder();
        foreach (string root in new[] { "HKLM", "HKCU" })
        {
            RegQuery query = await QueryAsync($@"{root}\{InstalledProduct.UninstallKey}", null, RegistryBits.Bits64, recurse: true);
            if (query.IsNotFound)
            {
                continue;
            }

            Assert.AreEqual(0, query.Result.ExitCode, $"Listing the Uninstall entries failed.\n{query.Result.Describe()}");
            foreach (IGrouping<string, RegValue> entry in query.AllValues.GroupBy(v => v.Key, StringComparer.OrdinalIgnoreCase))
            {
                var values = entry.ToDictionary(v => v.Name, v => v.Data, StringComparer.OrdinalIgnoreCase);
                if (values.TryGetValue("DisplayName", out string? name) && name.Contains("ClientBridge", StringComparison.OrdinalIgnoreCase))
                {
                    output.AppendLine(entry.Key);
                    foreach (RegValue value in entry)
                    {
                        output.AppendLine(CultureInfo.InvariantCulture, $"    {value.Name} = {value.Data}");
                    }
                }

                if (string.Equals(name, productName, StringComparison.Ordinal))
                {
                    found.Add(values);
                }
            }
        }

        return new UninstallEntries(found, output.Length == 0 ? "(no ClientBridge entries)" : output.ToString());
    }

    private static bool IsName(RegValue value, string name) =>
        name.Length == 0 ? value.Name.StartsWith('(') : string.Equals(value.Name, name, StringComparison.OrdinalIgnoreCase);

    private static string Describe(string root, string key, string name, RegistryBits bits) =>
        $@"{root}\{key} {(name.Length == 0 ? "(default value)" : name)} ({(int)bits}-bit view)";

    /// <summary>
    /// reg's listing: a key's full name on a line of its own, then its values indented, name, type and data
    /// separated by four spaces (Windows and Wine alike). An empty string value ends after its type.
    /// </summary>
    private static List<RegValue> Parse(string output)
    {
        var values = new List<RegValue>();
        string key = string.Empty;
        foreach (string line in output.Split('\n'))
        {
            if (line.StartsWith("HKEY_", StringComparison.OrdinalIgnoreCase))
            {
                key = line.Trim();
                continue;
            }

            Match match = ValueLine().Match(line);
            if (match.Success)
            {
                values.Add(new RegValue(key, match.Groups["name"].Value, match.Groups["type"].Value, match.Groups["data"].Value));
            }
        }

        return values;
    }

    [GeneratedRegex(@"^ {4}(?<name>.*?) {4}(?<type>REG_[A-Z_]+)(?: {4}(?<data>.*?))?\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex ValueLine();
}

/// <summary>One value as <c>reg query</c> printed it, under the full key name it printed (HKEY_LOCAL_MACHINE\…).</summary>
internal sealed record RegValue(string Key, string Name, string Type, string Data);

internal sealed record RegQuery(ProcessResult Result, IReadOnlyList<RegValue> AllValues)
{
    /// <summary>Exit 1 with "unable to find" (Windows: "ERROR: The system was unable to find…"; Wine: "reg: Unable to find…").</summary>
    public bool IsNotFound =>
        Result.ExitCode == 1
        && (Result.StandardError + Result.StandardOutput).Contains("unable to find", StringComparison.OrdinalIgnoreCase);

    /// <summary>The values printed for exactly this key (not its subkeys).</summary>
    public IEnumerable<RegValue> Values(string root, string key)
    {
        string full = (root.ToUpperInvariant() switch
        {
            "HKLM" => "HKEY_LOCAL_MACHINE",
            "HKCU" => "HKEY_CURRENT_USER",
            _ => root,
        }) + @"\" + key;
        return AllValues.Where(v => string.Equals(v.Key, full, StringComparison.OrdinalIgnoreCase));
    }
}

internal sealed record UninstallEntries(IReadOnlyList<IReadOnlyDictionary<string, string>> Matching, string Listing);

/// <summary><c>msiexec</c> through Wine with a verbose log, and its exit code judged the way Wine reports it.</summary>
internal static class Msiexec
{
    public const int Success = 0;

    /// <summary>ERROR_INSTALL_FAILURE: what a refused downgrade (and any failed install) exits with.</summary>
    public const int InstallFailure = 1603;

    /// <summary>Generous: a cold Wine plus an MSI of ~70 MB of files; seen at 1–6 s.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    private const int LogTailLines = 40;

    public static async Task<MsiexecRun> RunAsync(string action, string msi, string log, params string[] properties)
    {
        WineEnvironment wine = WineEnvironment.Current;
        if (File.Exists(log))
        {
            File.Delete(log);
        }

        ProcessStartInfo start = wine.WindowsProcess("msiexec", [action, wine.ToWindowsPath(msi), "/qn", "/l*v", wine.ToWindowsPath(log), .. properties]);
        ProcessResult result = await wine.RunWindowsAsync(start, Timeout);
        return new MsiexecRun(result, log);
    }

    /// <summary>
    /// The exit code is <paramref name="windowsCode"/>, or, under Wine, that code cut to 8 bits (Wine passes a
    /// Windows process's exit code to Linux, which keeps the low byte: 1603 reads as 67).
    /// </summary>
    public static void AssertExitCode(int windowsCode, MsiexecRun run, string what)
    {
        ArgumentNullException.ThrowIfNull(run);
        int cut = windowsCode & 0xFF;
        bool matches = run.Result.ExitCode == windowsCode || (WineEnvironment.Current.UsesWine && run.Result.ExitCode == cut);
        string expected = windowsCode == cut ? $"{windowsCode}" : $"{windowsCode} (under Wine {cut}: Wine cuts exit codes to 8 bits)";
        Assert.IsTrue(matches, $"{what}: msiexec should exit {expected}, but exited {run.Result.ExitCode}.\n{run.Describe()}");
    }

    public static string Tail(string log)
    {
        if (!File.Exists(log))
        {
            return $"(no log at {log})";
        }

        // Wine writes the log as ANSI text; Windows too unless told otherwise. Either reads as UTF-8 well enough.
        string[] lines = ProcessRunner.Normalize(File.ReadAllText(log)).Split('\n');
        return string.Join('\n', lines.Skip(Math.Max(0, lines.Length - LogTailLines)));
    }
}

internal sealed record MsiexecRun(ProcessResult Result, string Log)
{
    public string LogText => File.Exists(Log) ? File.ReadAllText(Log) : string.Empty;

    public string Describe() => $"{Result.Describe()}\n--- msiexec log {Log} (last lines) ---\n{Msiexec.Tail(Log)}";
}
