using System;
using System.Globalization;
using System.IO;
using Microsoft.Extensions.DependencyInjection;
using Serilog;
using Serilog.Events;

namespace ClientBridge.Logging;

/// <summary>Where and how the agent logs: a rolling file per user, the console when there is one, always through <see cref="Redaction"/>.</summary>
public static class AgentLogging
{
    /// <summary>
    /// <c>%LOCALAPPDATA%\ClientBridge\logs</c> on Windows; <c>$XDG_STATE_HOME/ClientBridge/logs</c> (or
    /// <c>~/.local/state/ClientBridge/logs</c>) elsewhere.
    /// </summary>
    public static string DefaultDirectory() => Path.Combine(Hosting.AgentPaths.StateDirectory(), "logs");

    /// <summary>
    /// Makes Serilog the host's logging (Serilog.Extensions.Hosting): every <see cref="Microsoft.Extensions.Logging.ILogger"/>
    /// the agent's services get writes through the redaction rule to the sinks below. The logger is made when the host
    /// first asks for it and flushed and closed with the host. The static <see cref="Log.Logger"/> is left alone: the
    /// agent never uses it, and tests run several agents in one process.
    /// </summary>
    /// <param name="directory">The folder for the rolling files, or null for none.</param>
    /// <param name="console">Also write to standard error (a console run, not a background one).</param>
    public static IServiceCollection AddAgentLogging(this IServiceCollection services, string? directory, bool console, LogEventLevel level)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.AddSerilog(configuration => Configure(configuration, directory, console, level), preserveStaticLogger: true);
    }

    private static void Configure(LoggerConfiguration configuration, string? directory, bool console, LogEventLevel level)
    {
        var redaction = new Redaction();
        configuration
            .MinimumLevel.Is(level)
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)

            // Polly (the Zoom client's retries) logs every attempt; only a retried or failed one, a warning, says anything.
            .MinimumLevel.Override("Polly", LogEventLevel.Warning)
            .Destructure.With(redaction)
            .Enrich.With(redaction);

        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
            configuration.WriteTo.File(
                Path.Combine(directory, "agent-.log"),
                rollingInterval: RollingInterval.Day,
                fileSizeLimitBytes: 10 * 1024 * 1024,
                rollOnFileSizeLimit: true,
                retainedFileCountLimit: 14,
                shared: true,
                formatProvider: CultureInfo.InvariantCulture,
                outputTemplate: "{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz} [{Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}");
        }

        if (console)
        {
            configuration.WriteTo.Console(
                standardErrorFromLevel: LogEventLevel.Verbose,
                formatProvider: CultureInfo.InvariantCulture,
                outputTemplate: "{Timestamp:HH:mm:ss} [{Level:u3}] {Message:lj}{NewLine}{Exception}");
        }
    }
}
