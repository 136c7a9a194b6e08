using System;
using System.IO;
using System.Runtime.Versioning;
using System.Security;
using ClientBridge.Hosting;
using Microsoft.Win32;

namespace ClientBridge.Windows;

/// <summary>
/// The user's own values under <c>HKCU\Software\ClientBridge</c> for <c>remove-user-data</c>: the add-in's
/// (<c>AgentPath</c>, <c>Outlook\SharedCalendars</c>, …), everything but what the per-user MSI wrote.
/// </summary>
[SupportedOSPlatform("windows")]
internal static class RegistryUserData
{
    /// <summary>The add-in's per-user key (<c>AgentConnection.SettingsKey</c> in OutlookPlugin).</summary>
    public const string KeyPath = @"Software\ClientBridge";

    private const string Shown = @"HKCU\" + KeyPath;

    /// <summary>
    /// The MSI's own subkeys (<see cref="Settings.InstallDefaults.KeyPath"/>, and <c>Installer</c>: its key paths in
    /// Installer/Agent.wxi). It removes them itself right after this runs, and keeps them when an uninstall is rolled back.
    /// </summary>
    private static readonly string[] InstallerOwned = [Settings.InstallDefaults.KeyPath[(KeyPath.Length + 1)..], "Installer"];

    public static void Remove(UserDataRemoval removal)
    {
        ArgumentNullException.ThrowIfNull(removal);
        bool empty;
        try
        {
            using RegistryKey? key = Registry.CurrentUser.OpenSubKey(KeyPath, writable: true);
            if (key is null)
            {
                return;
            }

            foreach (string name in key.GetValueNames())
            {
                string shown = $"{Shown} value {(name.Length == 0 ? "(default)" : name)}";
                Try(removal, shown, () => key.DeleteValue(name, throwOnMissingValue: false));
            }

            foreach (string name in key.GetSubKeyNames())
            {
                if (Array.Exists(InstallerOwned, owned => owned.Equals(name, StringComparison.OrdinalIgnoreCase)))
                {
                    continue;
                }

                Try(removal, $@"{Shown}\{name}", () => key.DeleteSubKeyTree(name, throwOnMissingSubKey: false));
            }

            empty = key.ValueCount == 0 && key.SubKeyCount == 0;
        }
        catch (Exception ex) when (ex is SecurityException or UnauthorizedAccessException or IOException)
        {
            removal.Fail(Shown, Why(ex));
            return;
        }

        if (empty)
        {
            // Nothing of the MSI's is there either (a per-machine install keeps its defaults in HKLM): no empty key is left behind.
            Try(removal, Shown, () => Registry.CurrentUser.DeleteSubKey(KeyPath, throwOnMissingSubKey: false));
        }
    }

    private static void Try(UserDataRemoval removal, string shown, Action remove)
    {
        try
        {
            remove();
            removal.Record(shown);
        }
        catch (Exception ex) when (ex is SecurityException or UnauthorizedAccessException or IOException)
        {
            removal.Fail(shown, Why(ex));
        }
    }

    private static string Why(Exception ex) => ex is IOException ? ex.Message.TrimEnd('.', ' ') : "access is denied";
}
