using System;
using System.IO;
using ClientBridge.Protocol;
using ClientBridge.Protocol.Client;

namespace ClientBridge.Cli;

/// <summary>The client the commands that act (schedule, sign-in, …) use: it starts the agent installed beside this executable when none runs.</summary>
public static class AgentClient
{
    public const string ClientName = "ClientBridge-cli";

    public static BridgeClient Create(BridgeEndpoint endpoint, TimeSpan requestTimeout)
    {
        string agent = Path.Combine(AppContext.BaseDirectory, ProcessAgentLauncher.ExecutableName);
        return new BridgeClient(new BridgeClientOptions
        {
            Endpoint = endpoint,
            ClientName = ClientName,
            ClientVersion = Server.AgentInfo.CurrentVersion,
            RequestTimeout = requestTimeout,
            ConnectTimeout = TimeSpan.FromSeconds(2),
            AgentLauncher = File.Exists(agent) ? new ProcessAgentLauncher(agent) : null,
        });
    }
}
