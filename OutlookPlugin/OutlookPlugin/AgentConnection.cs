using System;
using System.IO;
using System.IO.Pipes;
using System.Security.AccessControl;
using System.Security.Principal;
using ClientBridge.Protocol.Client;
using Microsoft.Win32;

namespace OutlookPlugin;

/// <summary>
/// The add-in's one connection to the agent: connects lazily, starts the agent when it is not running, and stays
/// connected across agent restarts. All waiting happens off Outlook's UI thread.
/// </summary>
public static class AgentConnection
{
    /// <summary>Per-user settings key; <c>AgentPath</c> (REG_SZ) points at a non-default agent executable.</summary>
    public const string SettingsKey = @"Software\ClientBridge";

    public const string AgentPathValue = "AgentPath";

    public static BridgeClient Create(string addInVersion)
    {
        var options = new BridgeClientOptions
        {
            ClientName = "OutlookPlugin",
            ClientVersion = addInVersion,
            KeepConnected = true,
            AgentLauncher = ProcessAgentLauncher.Locate(ConfiguredAgentPath(), AgentFolders()),
            VerifyServer = VerifyServerIsCurrentUser,
        };
        foreach (string kind in OutlookPlugin.Core.Addin.AddinHost.EventKinds)
        {
            options.EventKinds.Add(kind);
        }

        return new BridgeClient(options);
    }

    /// <summary>
    /// The MSI installs the add-in in OutlookAddin\ below the agent (each has its own System.Text.Json and friends);
    /// a development layout has them side by side. In either, <see cref="ProcessAgentLauncher.Locate(string, System.Collections.Generic.IEnumerable{string})"/>
    /// takes ClientBridgeW.exe before ClientBridge.exe, so the add-in starts the same file as the Run key and the tray
    /// icon keeps one owner.
    /// </summary>
    private static string?[] AgentFolders()
    {
        string? addinFolder = Path.GetDirectoryName(typeof(AgentConnection).Assembly.Location);
        return new[] { addinFolder, addinFolder is null ? null : Path.GetDirectoryName(addinFolder) };
    }

    private static string? ConfiguredAgentPath()
    {
        using RegistryKey? key = Registry.CurrentUser.OpenSubKey(SettingsKey);
        return key?.GetValue(AgentPathValue) as string;
    }

    /// <summary>
    /// .NET Framework has no PipeOptions.CurrentUserOnly, so the add-in checks the pipe's owner itself: a pipe
    /// created first by another account (squatting on the name) is refused before anything is sent to it.
    /// </summary>
    private static void VerifyServerIsCurrentUser(PipeStream pipe)
    {
        using WindowsIdentity me = WindowsIdentity.GetCurrent();
        IdentityReference? owner = pipe.GetAccessControl().GetOwner(typeof(SecurityIdentifier));

        // The agent sets its token's default owner, which is the user, or the Administrators group when elevated.
        if (owner is null || !(owner.Equals(me.User) || owner.Equals(me.Owner)))
        {
            throw new UnauthorizedAccessException("The agent's pipe is owned by another account.");
        }
    }
}
