using System;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ClientBridge.Hosting;

/// <summary>
/// The one way the agent is asked to exit: the tray's Quit and the <c>agent.stop</c> request (<c>ClientBridge stop</c>,
/// which the installer runs) both come here, so both stop the host the same orderly way and the log says who asked.
/// </summary>
public sealed partial class AgentShutdown(IHostApplicationLifetime lifetime, ILogger<AgentShutdown> logger)
{
    /// <summary>Stops the host (its services stop in order, the pipe closes); returns at once.</summary>
    public void Request(string requestedBy)
    {
        ArgumentNullException.ThrowIfNull(requestedBy);
        Log.Requested(logger, requestedBy);
        lifetime.StopApplication();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 730, Level = LogLevel.Information, Message = "Stopping: asked by {RequestedBy}.")]
        public static partial void Requested(ILogger logger, string requestedBy);
    }
}
