using System;
using System.Collections.Generic;
using System.IO;

namespace ClientBridge.Policies;

/// <summary>
/// Which processes may use the pipe, after the pipe's ACL has already limited it to the current user.
/// Allowed: programs in the agent's own folder (its command line), Outlook (which hosts the add-in, installed
/// in many places by MSI and Click-to-Run alike, so matched by file name), and programs an administrator lists.
/// This narrows casual misuse by the user's other programs; it is not a boundary against code running as the
/// same user, which could as well inject into Outlook.
/// </summary>
public sealed class CallerPolicy
{
    public const string OutlookImageName = "OUTLOOK.EXE";

    private readonly string _agentDirectory;
    private readonly IReadOnlyList<string> _extraAllowed;

    public CallerPolicy(bool enabled, string agentDirectory, IReadOnlyList<string> extraAllowed)
    {
        Enabled = enabled;
        _agentDirectory = Path.TrimEndingDirectorySeparator(agentDirectory ?? throw new ArgumentNullException(nameof(agentDirectory)));
        _extraAllowed = extraAllowed ?? Array.Empty<string>();
    }

    public bool Enabled { get; }

    /// <summary>Reads the policy: on unless an administrator turned it off; a wrong value keeps it on.</summary>
    public static CallerPolicy FromPolicies(IPolicySource policies, string agentDirectory) =>
        new(
            PolicyValues.ReadSwitch(policies, PolicyValues.VerifyPipeCallers) != PolicyState.Disabled,
            agentDirectory,
            PolicyValues.ReadList(policies, PolicyValues.AllowedPipeCallers));

    /// <summary>Whether a caller whose executable is at <paramref name="imagePath"/> (Windows path, null when unknown) may connect.</summary>
    public bool IsAllowed(string? imagePath)
    {
        if (!Enabled)
        {
            return true;
        }

        if (string.IsNullOrWhiteSpace(imagePath))
        {
            return false;
        }

        string fileName = WindowsFileName(imagePath);
        string? directory = WindowsDirectory(imagePath);
        if (string.Equals(fileName, OutlookImageName, StringComparison.OrdinalIgnoreCase)
            || (directory is not null && string.Equals(directory, WindowsTrim(_agentDirectory), StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }

        foreach (string allowed in _extraAllowed)
        {
            bool isPath = allowed.Contains('\\', StringComparison.Ordinal) || allowed.Contains('/', StringComparison.Ordinal);
            if (isPath ? string.Equals(WindowsTrim(allowed), WindowsTrim(imagePath), StringComparison.OrdinalIgnoreCase)
                       : string.Equals(allowed.Trim(), fileName, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    // Caller paths are Windows paths even when these rules are tested on Linux, so split on both separators.
    private static string WindowsFileName(string path)
    {
        int cut = path.LastIndexOfAny(['\\', '/']);
        return cut < 0 ? path : path[(cut + 1)..];
    }

    private static string? WindowsDirectory(string path)
    {
        int cut = path.LastIndexOfAny(['\\', '/']);
        return cut <= 0 ? null : WindowsTrim(path[..cut]);
    }

    private static string WindowsTrim(string path) => path.Trim().Replace('/', '\\').TrimEnd('\\');
}
