using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using ClientBridge.Protocol;
using ClientBridge.Protocol.Client;

namespace ClientBridge.Cli;

/// <summary><c>ClientBridge status</c>: connect as a client and print the agent's state.</summary>
public static class StatusCommand
{
    public const string ClientName = AgentClient.ClientName;

    public static Task<int> ExecuteAsync(BridgeEndpoint endpoint, bool json, TimeSpan timeout, TextWriter output, TextWriter error, CancellationToken cancellationToken) =>
        AgentClient.QueryAsync(endpoint, timeout, (client, ct) => client.GetStatusAsync(ct), BridgeJsonContext.Default.StatusReply, Describe, json, output, error, cancellationToken);

    public static string Describe(StatusReply status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var uptime = TimeSpan.FromSeconds(status.UptimeSeconds);
        string clients = status.ClientNames.Count == 0 ? string.Empty : $" ({string.Join(", ", status.ClientNames)})";
        string calendar = status.CalendarUpdatedAt is { } at
            ? string.Create(CultureInfo.InvariantCulture, $"{status.CalendarItems} items, updated {at.ToLocalTime():yyyy-MM-dd HH:mm:ss}")
            : "nothing received from Outlook yet";
        string providers = status.Providers.Count == 0
            ? "none"
            : string.Join(", ", status.Providers.ConvertAll(p => $"{p.Provider} ({p.State.Replace('_', ' ')}{(p.IsDefault ? ", default" : string.Empty)})"));
        return string.Create(CultureInfo.InvariantCulture, $"""
            ClientBridge agent {status.AgentVersion} is running (process {status.ProcessId}, up {(int)uptime.TotalHours}h {uptime.Minutes}m {uptime.Seconds}s).
              Endpoint:   {status.Endpoint}
              Protection: {status.EndpointProtection}
              Protocol:   {status.ProtocolVersion}
              Clients:    {status.ConnectedClients}{clients}
              Calendar:   {calendar}
              Providers:  {providers}
            """) + string.Concat(status.Warnings.Select(w => Environment.NewLine + "  Warning:    " + w));
    }
}
