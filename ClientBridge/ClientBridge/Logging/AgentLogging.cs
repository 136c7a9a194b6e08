using System;
using System.IO;
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

    public static Serilog.Core.Logger Create(string? directory, bool console, LogEventLevel level)
    {
        var redaction = new Redaction();
        LoggerConfiguration configuration = new LoggerConfiguration()
            .MinimumLevel.Is(level)
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .Destructure.With(redaction)
            .Enrich.With(redaction);

        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
            configuration = configuration.WriteTo.File(
                Path.Combine(directory, "agent-.log"),
                rollingInterval: RollingInterval.Day,
                fileSizeLimitBytes: 10 * 1024 * 1024,
                rollOnFileSizeLimit: true,
                retainedFileCountLimit: 14,
                shared: true,
                formatProvider: System.Globalization.CultureInfo.InvariantCulture,
                outputTemplate: "{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz} [{Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}");
        }

        if (console)
        {
            configuration = configuration.WriteTo.Console(
                standardErrorFromLevel: LogEventLevel.Verbose,
                formatProvider: System.Globalization.CultureInfo.InvariantCulture,
                outputTemplate: "{Timestamp:HH:mm:ss} [{Level:u3}] {Message:lj}{NewLine}{Exception}");
        }

        return configuration.CreateLogger();
    }
}
