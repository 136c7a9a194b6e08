using System.Runtime.Versioning;
using ClientBridge.Policies;
using Microsoft.Win32;

namespace ClientBridge.Windows;

/// <summary>Group Policy values: the machine's (HKLM) win over the user's (HKCU), as Windows policy precedence has it.</summary>
[SupportedOSPlatform("windows")]
public sealed class RegistryPolicySource : IPolicySource
{
    public object? Read(string valueName)
    {
        foreach (RegistryKey hive in new[] { Registry.LocalMachine, Registry.CurrentUser })
        {
            using RegistryKey? key = hive.OpenSubKey(PolicyValues.KeyPath);
            object? value = key?.GetValue(valueName);
            if (value is not null)
            {
                return value;
            }
        }

        return null;
    }
}
