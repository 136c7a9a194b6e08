using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using ClientBridge.Hosting;
using ClientBridge.Protocol;
using ClientBridge.Scheduling;
using ClientBridge.Settings;
using Microsoft.Extensions.Configuration;

namespace ClientBridge.Cli;

/// <summary>
/// <c>ClientBridge remove-user-data</c>: removes what the agent and the add-in keep for the current user (settings,
/// the meeting journal, the Zoom sign-in, logs, the add-in's registry values) and nothing else. The MSI runs it when
/// IT uninstalls with REMOVEUSERDATA=1, and fails the uninstall on a non-zero exit, so whatever stays is named.
/// </summary>
public static class RemoveUserDataCommand
{
    public const string NothingToRemove = "Nothing to remove.";

    public static async Task<int> ExecuteAsync(BridgeEndpoint endpoint, TimeSpan timeout, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);

        // The folders exactly as `run` finds them, environment overrides and all.
        AgentSettings settings;
        try
        {
            using var configuration = new ConfigurationManager();
            settings = AgentConfiguration.BindForCurrentUser(configuration, out _);
        }
        catch (InvalidOperationException ex)
        {
            await error.WriteLineAsync($"A ClientBridge setting is not valid, so nothing was removed: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        // A running agent holds its log and journal open and would write them again: it goes first.
        StopResult stop = await StopCommand.StopAsync(endpoint, timeout, cancellationToken).ConfigureAwait(false);
        if (stop.ExitCode == ExitCodes.Ok)
        {
            await output.WriteLineAsync(stop.Message).ConfigureAwait(false);
        }
        else if (stop.ExitCode != ExitCodes.AgentNotRunning)
        {
            await error.WriteLineAsync($"Nothing was removed because this user's agent could not be stopped: {stop.Message}").ConfigureAwait(false);
            return stop.ExitCode;
        }

        var removal = new UserDataRemoval();
        foreach (string path in Targets(settings, endpoint))
        {
            removal.Remove(path);
        }

        if (OperatingSystem.IsWindows())
        {
            Windows.RegistryUserData.Remove(removal);
        }

        foreach (string removed in removal.Removed)
        {
            await output.WriteLineAsync($"Removed {removed}").ConfigureAwait(false);
        }

        foreach (string failure in removal.Failures)
        {
            await error.WriteLineAsync(failure).ConfigureAwait(false);
        }

        if (removal.Removed.Count == 0 && removal.Failures.Count == 0)
        {
            await output.WriteLineAsync(NothingToRemove).ConfigureAwait(false);
        }

        return removal.Failures.Count == 0 ? ExitCodes.Ok : ExitCodes.Failure;
    }

    /// <summary>
    /// This user's files and folders, each once: the settings folder, the state folder (journal, Zoom tokens, logs,
    /// and with the default folders the add-in's log and the single-instance lock), the log folder when it is
    /// elsewhere, and the lock when it is elsewhere (beside the socket on Unix).
    /// </summary>
    internal static IReadOnlyList<string> Targets(AgentSettings settings, BridgeEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return UserDataRemoval.Distinct([settings.Settings(), settings.State(), settings.Logs(), SingleInstance.LockPathFor(endpoint)]);
    }
}
