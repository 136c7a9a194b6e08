using System;
using System.IO;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;
using ClientBridge.Protocol;
using ClientBridge.Protocol.Client;

namespace ClientBridge.Cli;

/// <summary>
/// The client the commands that act (schedule, sign-in, …) use: it starts the agent installed beside this executable
/// when none runs, ClientBridgeW.exe where there is one, as the add-in and the Run key do (one path owns the tray icon).
/// </summary>
public static class AgentClient
{
    public const string ClientName = "ClientBridge-cli";

    private static readonly TimeSpan MaxConnectTimeout = TimeSpan.FromSeconds(10);

    public static BridgeClient Create(BridgeEndpoint endpoint, TimeSpan requestTimeout)
    {
        return new BridgeClient(new BridgeClientOptions
        {
            Endpoint = endpoint,
            ClientName = ClientName,
            ClientVersion = Server.AgentInfo.CurrentVersion,
            RequestTimeout = requestTimeout,

            // Connecting includes the hello; a running agent on a busy machine (a logon, a build) can take more than a
            // second or two to answer it, and a missing agent is known at once without waiting (no pipe, no socket).
            ConnectTimeout = requestTimeout < MaxConnectTimeout ? requestTimeout : MaxConnectTimeout,
            AgentLauncher = ProcessAgentLauncher.Locate(configuredPath: null, [AppContext.BaseDirectory]),
        });
    }

    /// <summary>A client of the agent already running, which never starts one (status, upcoming, stop): none running is an answer.</summary>
    public static BridgeClient ForRunningAgent(BridgeEndpoint endpoint, TimeSpan timeout) => new(new BridgeClientOptions
    {
        Endpoint = endpoint,
        ClientName = ClientName,
        ClientVersion = Server.AgentInfo.CurrentVersion,
        ConnectTimeout = timeout,
        RequestTimeout = timeout,
    });

    /// <summary>
    /// The read-only commands (status, upcoming): ask the running agent once, never start one, and print the answer as
    /// text or JSON. A failure is one sentence on standard error (and an <c>error</c> object with <c>--json</c>), with
    /// the exit code that goes with it: none running is 3.
    /// </summary>
    public static async Task<int> QueryAsync<T>(
        BridgeEndpoint endpoint,
        TimeSpan timeout,
        Func<BridgeClient, CancellationToken, Task<T>> ask,
        JsonTypeInfo<T> typeInfo,
        Func<T, string> describe,
        bool json,
        TextWriter output,
        TextWriter error,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(ask);
        ArgumentNullException.ThrowIfNull(describe);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        using BridgeClient client = ForRunningAgent(endpoint, timeout);
        try
        {
            T reply = await ask(client, cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync(json ? JsonSerializer.Serialize(reply, typeInfo) : describe(reply)).ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        catch (BridgeException ex)
        {
            if (json)
            {
                var problem = new BridgeError { Code = ex.Code, Message = ex.Message };
                await output.WriteLineAsync($"{{\"error\":{JsonSerializer.Serialize(problem, BridgeJsonContext.Default.BridgeError)}}}").ConfigureAwait(false);
            }

            await error.WriteLineAsync(ex.Code == ErrorCodes.AgentNotRunning
                ? $"No agent is running for this user ({endpoint}). Start it with 'ClientBridge run'."
                : ex.Message).ConfigureAwait(false);
            return ExitCodes.For(ex.Code);
        }
    }
}
