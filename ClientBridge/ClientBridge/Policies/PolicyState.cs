using System;
using System.Collections.Generic;

namespace ClientBridge.Policies;

/// <summary>What Group Policy says about a switch: not configured, on, off, or a value no template writes.</summary>
public enum PolicyState
{
    NotConfigured,
    Enabled,
    Disabled,
    WrongValue,
}

/// <summary>Reads raw policy values (HKLM first, then HKCU on Windows); null when neither holds the value.</summary>
public interface IPolicySource
{
    object? Read(string valueName);
}

/// <summary>No policies: Linux, macOS, and tests that do not set any.</summary>
public sealed class NoPolicies : IPolicySource
{
    public static readonly NoPolicies Instance = new();

    public object? Read(string valueName) => null;
}

/// <summary>Turns raw registry values into decisions; the same rules on every platform.</summary>
public static partial class PolicyValues
{
    /// <summary>Registry key (under HKLM and HKCU) written by the ADMX templates.</summary>
    public const string KeyPath = @"Software\Policies\ClientBridge";

    /// <summary>DWORD: 1 checks that only the agent's own programs and Outlook use the pipe (the default), 0 allows any process of the user.</summary>
    public const string VerifyPipeCallers = "VerifyPipeCallers";

    /// <summary>REG_MULTI_SZ: further programs (full paths or file names) allowed on the pipe.</summary>
    public const string AllowedPipeCallers = "AllowedPipeCallers";

    /// <summary>DWORD 1/0: new Zoom meetings have a waiting room, or not, whatever the user chose.</summary>
    public const string ZoomWaitingRoom = "ZoomWaitingRoom";

    /// <summary>DWORD 1/0: participants may join before the host, or not.</summary>
    public const string ZoomJoinBeforeHost = "ZoomJoinBeforeHost";

    /// <summary>DWORD 1/0: participants are muted when they join, or not.</summary>
    public const string ZoomMuteUponEntry = "ZoomMuteUponEntry";

    /// <summary>DWORD 1/0: new Zoom meetings get a passcode, or not.</summary>
    public const string ZoomRequirePasscode = "ZoomRequirePasscode";

    public static PolicyState ReadSwitch(IPolicySource source, string valueName)
    {
        ArgumentNullException.ThrowIfNull(source);
        return source.Read(valueName) switch
        {
            null => PolicyState.NotConfigured,
            int i when i == 1 => PolicyState.Enabled,
            int i when i == 0 => PolicyState.Disabled,
            _ => PolicyState.WrongValue,
        };
    }

    /// <summary>A policy's on or off where it is configured with a valid value; otherwise the user's own choice.</summary>
    public static bool Decide(IPolicySource source, string valueName, bool userChoice) => ReadSwitch(source, valueName) switch
    {
        PolicyState.Enabled => true,
        PolicyState.Disabled => false,
        _ => userChoice,
    };

    /// <summary>A string list; a single string counts as a list of one, anything else as none.</summary>
    public static IReadOnlyList<string> ReadList(IPolicySource source, string valueName)
    {
        ArgumentNullException.ThrowIfNull(source);
        return source.Read(valueName) switch
        {
            string[] many => Array.FindAll(many, s => !string.IsNullOrWhiteSpace(s)),
            string one when !string.IsNullOrWhiteSpace(one) => new[] { one },
            _ => Array.Empty<string>(),
        };
    }
}
