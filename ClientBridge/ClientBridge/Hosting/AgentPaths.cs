using System;
using System.IO;

namespace ClientBridge.Hosting;

/// <summary>Where the agent keeps its per-user files: logs, the scheduling journal, settings.</summary>
public static class AgentPaths
{
    /// <summary>
    /// <c>%LOCALAPPDATA%\ClientBridge</c> on Windows (local, not roaming: nothing here should follow the user to
    /// another machine); <c>$XDG_STATE_HOME/ClientBridge</c> (or <c>~/.local/state/ClientBridge</c>) elsewhere.
    /// </summary>
    public static string StateDirectory()
    {
        if (OperatingSystem.IsWindows())
        {
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "ClientBridge");
        }

        string? state = Environment.GetEnvironmentVariable("XDG_STATE_HOME");
        string root = !string.IsNullOrEmpty(state) && Path.IsPathRooted(state)
            ? state
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state");
        return Path.Combine(root, "ClientBridge");
    }

    /// <summary>
    /// Where <c>settings.json</c> lives: <c>%APPDATA%\ClientBridge</c> on Windows (roaming: preferences follow the
    /// user, and an update never touches them); <c>$XDG_CONFIG_HOME/ClientBridge</c> (or <c>~/.config/ClientBridge</c>) elsewhere.
    /// </summary>
    public static string SettingsDirectory()
    {
        if (OperatingSystem.IsWindows())
        {
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "ClientBridge");
        }

        string? config = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");
        string root = !string.IsNullOrEmpty(config) && Path.IsPathRooted(config)
            ? config
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
        return Path.Combine(root, "ClientBridge");
    }
}
