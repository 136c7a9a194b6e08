using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using ClientBridge.Hosting;
using ClientBridge.Logging;
using ClientBridge.Protocol;
using ClientBridge.Server;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Events;

namespace ClientBridge.Cli;

/// <summary><c>ClientBridge run</c>: serve the pipe until stopped.</summary>
public static class RunCommand
{
    public static async Task<int> ExecuteAsync(BridgeEndpoint endpoint, bool background, string? logDirectory, LogEventLevel level, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(error);
        using SingleInstance? instance = SingleInstance.TryAcquire(SingleInstance.LockPathFor(endpoint));
        if (instance is null)
        {
            await error.WriteLineAsync($"An agent is already running for this user on {endpoint}. 'ClientBridge status' shows it.").ConfigureAwait(false);
            return ExitCodes.AlreadyRunning;
        }

        Serilog.Core.Logger logger = AgentLogging.Create(logDirectory ?? AgentLogging.DefaultDirectory(), console: !background, level);
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Logging.AddSerilog(logger, dispose: true);
        builder.Services.AddBridgeAgent(new BridgeServerOptions { Endpoint = endpoint });

        using IHost host = builder.Build();
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
}
