using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using ClientBridge.Hosting;
using ClientBridge.Logging;
using ClientBridge.Protocol;
using ClientBridge.Scheduling;
using ClientBridge.Server;
using ClientBridge.Settings;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serilog.Events;

namespace ClientBridge.Cli;

/// <summary><c>ClientBridge run</c>: serve the pipe until stopped.</summary>
public static partial class RunCommand
{
    public static async Task<int> ExecuteAsync(BridgeEndpoint endpoint, bool background, string? logDirectory, LogEventLevel level, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(error);
        if (endpoint.IsUnixSocket && !OperatingSystem.IsWindows())
        {
            // Before the lock file goes beside the socket: a folder others use gets nothing of ours, not even that.
            try
            {
                new UnixPipeListenerFactory().Prepare(endpoint);
            }
            catch (BridgeException ex)
            {
                await error.WriteLineAsync($"The agent could not start: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.For(ex.Code);
            }
        }

        using SingleInstance? instance = SingleInstance.TryAcquire(SingleInstance.LockPathFor(endpoint));
        if (instance is null)
        {
            await error.WriteLineAsync($"An agent is already running for this user on {endpoint}. 'ClientBridge status' shows it.").ConfigureAwait(false);
            return ExitCodes.AlreadyRunning;
        }

        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        AgentSettings settings;
        IReadOnlyList<string> wrongInstallDefaults;
        try
        {
            settings = AgentConfiguration.BindForCurrentUser(builder.Configuration, out wrongInstallDefaults);
        }
        catch (InvalidOperationException ex)
        {
            await error.WriteLineAsync($"A ClientBridge setting is not valid: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        // Logs live with the rest of the agent's state unless told otherwise; the tray's "Open the log folder" asks the same settings.
        settings.LogDirectory = logDirectory ?? settings.LogDirectory;
        string logs = settings.Logs();
        builder.Services.AddAgentLogging(logs, console: !background, level);
        try
        {
            builder.Services.AddBridgeAgent(new BridgeServerOptions { Endpoint = endpoint }, settings);
        }
        catch (ArgumentException ex)
        {
            await error.WriteLineAsync($"A ClientBridge setting is not valid: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        using IHost host = builder.Build();
        if (wrongInstallDefaults.Count > 0)
        {
            InstallDefaultsLog.Ignored(host.Services.GetRequiredService<ILoggerFactory>().CreateLogger<InstallDefaults>(), string.Join(", ", wrongInstallDefaults), InstallDefaults.KeyPath);
        }

        try
        {
            await host.RunAsync(cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        catch (BridgeException ex)
        {
            await error.WriteLineAsync($"The agent could not start: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.For(ex.Code);
        }
        catch (IOException ex)
        {
            await error.WriteLineAsync($"The agent could not open {endpoint}: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
    }

    private static partial class InstallDefaultsLog
    {
        [LoggerMessage(EventId = 815, Level = LogLevel.Warning, Message = "Install defaults {Names} under {Key} are not values the agent can use; they are ignored.")]
        public static partial void Ignored(Microsoft.Extensions.Logging.ILogger logger, string names, string key);
    }
}
