using System;
using System.Collections.Generic;
using System.IO.Pipes;

namespace ClientBridge.Protocol.Client;

public sealed class BridgeClientOptions
{
    /// <summary>The agent to reach; the current user's own by default.</summary>
    public BridgeEndpoint? Endpoint { get; set; }

    /// <summary>Names this client in the agent's status (for example <c>OutlookPlugin</c>); never user data.</summary>
    public string ClientName { get; set; } = "client";

    public string ClientVersion { get; set; } = typeof(BridgeClient).Assembly.GetName().Version?.ToString() ?? "0.0.0";

    public IList<string> Capabilities { get; } = new List<string>();

    /// <summary>Protocol version announced in the handshake; only tests of version negotiation change it.</summary>
    public int ProtocolVersion { get; set; } = BridgeProtocol.Version;

    public int MinProtocolVersion { get; set; } = BridgeProtocol.MinSupportedVersion;

    /// <summary>How long one attempt may take to reach a running agent and finish the handshake.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a request waits for its reply unless the call says otherwise.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Starts the agent when none answers; null to never start one (the command line's <c>status</c>).</summary>
    public IAgentLauncher? AgentLauncher { get; set; }

    /// <summary>How long a freshly started agent has to begin answering.</summary>
    public TimeSpan AgentStartTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Reconnect in the background after the agent goes away (the add-in and other long-lived clients).</summary>
    public bool KeepConnected { get; set; }

    /// <summary>Longest pause between reconnect attempts; short so that a restarted agent is found within a second.</summary>
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromMilliseconds(400);

    /// <summary>Event kinds to subscribe to on every connection.</summary>
    public IList<string> EventKinds { get; } = new List<string>();

    public int MaxFrameBytes { get; set; } = BridgeProtocol.MaxFrameBytes;

    /// <summary>
    /// Checks the connected pipe's server before anything is sent; throw <see cref="UnauthorizedAccessException"/>
    /// to refuse it. On .NET (Core) the client already insists that the server runs as the current user;
    /// .NET Framework lacks that option, so the add-in checks the pipe's owner here.
    /// </summary>
    public Action<PipeStream>? VerifyServer { get; set; }
}
