using System;
using System.IO;
using System.Runtime.Versioning;
using System.Security;
using ClientBridge.Settings;
using Microsoft.Win32;

namespace ClientBridge.Windows;

/// <summary>The values the MSI wrote: a per-user install's (HKCU) before a per-machine install's (HKLM), value by value.</summary>
[SupportedOSPlatform("windows")]
public static class RegistryInstallDefaults
{
    public static InstallDefaults Read()
    {
        using RegistryKey? user = Open(Registry.CurrentUser);
        using RegistryKey? machine = Open(Registry.LocalMachine);
        return InstallDefaults.Read(InstallDefaults.FirstSet(name => Value(user, name), name => Value(machine, name)));
    }

    // An unreadable key counts as absent: the agent must start whatever the installer left behind.
    private static RegistryKey? Open(RegistryKey hive)
    {
        try
        {
            return hive.OpenSubKey(InstallDefaults.KeyPath);
        }
        catch (Exception ex) when (ex is SecurityException or UnauthorizedAccessException or IOException)
        {
            return null;
        }
    }

    private static object? Value(RegistryKey? key, string name)
    {
        try
        {
            return key?.GetValue(name);
        }
        catch (Exception ex) when (ex is SecurityException or UnauthorizedAccessException or IOException)
        {
            return null;
        }
    }
}
