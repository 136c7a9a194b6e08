using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using ClientBridge.Protocol;
using ClientBridge.Protocol.Client;

namespace ClientBridge.Cli;

/// <summary><c>sign-in</c> and <c>sign-out</c>: the agent holds the tokens, so it does the signing in; this only asks it to.</summary>
public static class SignInCommand
{
    public static Command Create(string name, string description) => new(name, description)
    {
        new Option<string>("--provider") { Description = "The provider to sign in to or out of.", DefaultValueFactory = _ => "zoom" },
        new Option<bool>("--json") { Description = "Print the providers' states as JSON." },
    };

    /// <summary>Whether the agent has this provider and it takes an account, so that a browser will open.</summary>
    private static async Task<bool> NeedsBrowserAsync(BridgeClient client, string provider, CancellationToken cancellationToken)
    {
        SignInState state = await client.RequestAsync(MessageKinds.SignInState, Empty.Instance, BridgeWire.Default.Empty, BridgeWire.Default.SignInState, null, cancellationToken).ConfigureAwait(false);
        return state.Providers.Exists(p => string.Equals(p.Provider, provider, StringComparison.OrdinalIgnoreCase) && p.State != "not_required");
    }

    public static async Task<int> ExecuteAsync(BridgeEndpoint endpoint, string kind, ParseResult result, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        using BridgeClient client = AgentClient.Create(endpoint, TimeSpan.FromSeconds(30));

        var request = new SignInRequest { Provider = result.GetValue<string>("--provider")! };
        bool json = result.GetValue<bool>("--json");
        try
        {
            if (kind == MessageKinds.SignIn && await NeedsBrowserAsync(client, request.Provider, cancellationToken).ConfigureAwait(false))
            {
                await output.WriteLineAsync($"Finish signing in to {request.Provider} in the browser window that opens…").ConfigureAwait(false);
            }

            // Long enough for a person to find their password; the agent gives up on its own after five minutes.
            SignInState state = await client.RequestAsync(kind, request, BridgeWire.Default.SignInRequest, BridgeWire.Default.SignInState, TimeSpan.FromMinutes(6), cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync(json
                ? JsonSerializer.Serialize(state, BridgeJsonContext.Default.SignInState)
                : string.Join(Environment.NewLine, state.Providers.Select(p => $"{p.Provider}: {p.State.Replace('_', ' ')}{(p.IsDefault ? " (default)" : string.Empty)}"))).ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        catch (BridgeException ex)
        {
            await error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return ExitCodes.For(ex.Code);
        }
    }
}
