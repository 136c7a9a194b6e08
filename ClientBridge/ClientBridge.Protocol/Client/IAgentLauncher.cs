using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;

namespace ClientBridge.Protocol.Client;

/// <summary>Starts the agent when a client finds none running.</summary>
public interface IAgentLauncher
{
    /// <exception cref="BridgeException"><see cref="ErrorCodes.AgentStartFailed"/> when the agent cannot be started.</exception>
    void Launch(BridgeEndpoint endpoint);
}

/// <summary>Starts the agent executable as a detached process with no console and no inherited standard streams.</summary>
public sealed class ProcessAgentLauncher : IAgentLauncher
{
    /// <summary>The console agent: what a person runs in a terminal, and the only agent of a development build.</summary>
    public static readonly string ExecutableName = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "ClientBridge.exe" : "ClientBridge";

    /// <summary>
    /// The same agent with the Windows (GUI) subsystem, which the installer makes beside <see cref="ExecutableName"/>
    /// and which the Run key and the Start menu start.
    /// </summary>
    public const string WindowlessExecutableName = "ClientBridgeW.exe";

    /// <summary>
    /// The agent's file names on this platform, the one to start first. On Windows that is
    /// <see cref="WindowlessExecutableName"/>: the shell ties the tray icon's GUID to the path of the executable that
    /// first showed it, so every way of starting the agent (the Run key, the Start menu, the add-in, the command line)
    /// must start the same file. <see cref="ExecutableName"/> is the fallback where there is no W (a development build).
    /// </summary>
    public static readonly IReadOnlyList<string> ExecutableNames = RuntimeInformation.IsOSPlatform(OSPlatform.Windows)
        ? new[] { WindowlessExecutableName, ExecutableName }
        : new[] { ExecutableName };

    private readonly string _executablePath;
    private readonly string? _extraArguments;

    public ProcessAgentLauncher(string executablePath, string? extraArguments = null)
    {
        _executablePath = executablePath ?? throw new ArgumentNullException(nameof(executablePath));
        _extraArguments = extraArguments;
    }

    public string ExecutablePath => _executablePath;

    /// <summary>
    /// Finds the agent: the path set in settings wins, as it is; otherwise the first of
    /// <paramref name="installDirectories"/> that holds one of <see cref="ExecutableNames"/>, the first name first.
    /// Null when none does.
    /// </summary>
    public static ProcessAgentLauncher? Locate(string? configuredPath, IEnumerable<string?> installDirectories) =>
        Locate(configuredPath, installDirectories, ExecutableNames);

    /// <summary><see cref="Locate(string, IEnumerable{string})"/> with the file names given, so that every platform's rule can be tested on any.</summary>
    public static ProcessAgentLauncher? Locate(string? configuredPath, IEnumerable<string?> installDirectories, IReadOnlyList<string> executableNames)
    {
        if (executableNames is null)
        {
            throw new ArgumentNullException(nameof(executableNames));
        }

        if (!string.IsNullOrWhiteSpace(configuredPath) && File.Exists(configuredPath))
        {
            return new ProcessAgentLauncher(configuredPath!);
        }

        foreach (string? directory in installDirectories ?? Array.Empty<string?>())
        {
            if (string.IsNullOrWhiteSpace(directory))
            {
                continue;
            }

            // The nearest folder wins; within it, the first name that is there.
            foreach (string name in executableNames)
            {
                string candidate = Path.Combine(directory, name);
                if (File.Exists(candidate))
                {
                    return new ProcessAgentLauncher(candidate);
                }
            }
        }

        return null;
    }

    public void Launch(BridgeEndpoint endpoint)
    {
        if (endpoint is null)
        {
            throw new ArgumentNullException(nameof(endpoint));
        }

        var start = new ProcessStartInfo(_executablePath)
        {
            UseShellExecute = false,
            CreateNoWindow = true,
            WorkingDirectory = Path.GetDirectoryName(_executablePath) ?? Environment.CurrentDirectory,

            // Redirected and closed at once: a detached agent must not hold the caller's console or pipes open.
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Arguments = $"run --background --pipe \"{endpoint.PipeName}\" {_extraArguments}".TrimEnd();

        try
        {
            using var process = Process.Start(start) ?? throw new BridgeException(ErrorCodes.AgentStartFailed, $"The agent at {_executablePath} did not start.");
            process.StandardInput.Close();
            process.StandardOutput.Close();
            process.StandardError.Close();
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            throw new BridgeException(ErrorCodes.AgentStartFailed, $"The agent at {_executablePath} could not be started: {ex.Message}", ex);
        }
    }
}
