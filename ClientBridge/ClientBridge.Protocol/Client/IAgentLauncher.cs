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
    /// <summary>File name of the agent executable on this platform.</summary>
    public static readonly string ExecutableName = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "ClientBridge.exe" : "ClientBridge";

    private readonly string _executablePath;
    private readonly string? _extraArguments;

    /// <param name="extraArguments">Appended to the agent's command line, already quoted (for example <c>--log-dir "C:\Logs"</c>).</param>
    public ProcessAgentLauncher(string executablePath, string? extraArguments = null)
    {
        _executablePath = executablePath ?? throw new ArgumentNullException(nameof(executablePath));
        _extraArguments = extraArguments;
    }

    public string ExecutablePath => _executablePath;

    /// <summary>
    /// Finds the agent: the path set in settings wins; otherwise the first of <paramref name="installDirectories"/>
    /// that holds the executable. Null when none does.
    /// </summary>
    public static ProcessAgentLauncher? Locate(string? configuredPath, IEnumerable<string?> installDirectories)
    {
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

            string candidate = Path.Combine(directory, ExecutableName);
            if (File.Exists(candidate))
            {
                return new ProcessAgentLauncher(candidate);
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
