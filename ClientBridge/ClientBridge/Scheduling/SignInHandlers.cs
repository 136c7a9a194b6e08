using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ClientBridge.Protocol;
using ClientBridge.Providers;
using ClientBridge.Server;

namespace ClientBridge.Scheduling;

/// <summary>Signs in to or out of a provider for whichever client asked, and tells every subscriber the new state.</summary>
public sealed class SignInHandler(IEnumerable<IProviderSignIn> signIns, SchedulingService scheduling, EventHub events)
    : RequestHandler<SignInRequest, SignInState>(MessageKinds.SignIn, BridgeWire.Default.SignInRequest, BridgeWire.Default.SignInState)
{
    protected override async ValueTask<SignInState> HandleAsync(ClientSession session, SignInRequest request, CancellationToken cancellationToken) =>
        await SignIns.ChangeAsync(signIns, scheduling, events, request.Provider, (s, ct) => s.SignInAsync(ct), cancellationToken).ConfigureAwait(false);
}

public sealed class SignOutHandler(IEnumerable<IProviderSignIn> signIns, SchedulingService scheduling, EventHub events)
    : RequestHandler<SignInRequest, SignInState>(MessageKinds.SignOut, BridgeWire.Default.SignInRequest, BridgeWire.Default.SignInState)
{
    protected override async ValueTask<SignInState> HandleAsync(ClientSession session, SignInRequest request, CancellationToken cancellationToken) =>
        await SignIns.ChangeAsync(signIns, scheduling, events, request.Provider, (s, ct) => s.SignOutAsync(ct), cancellationToken).ConfigureAwait(false);
}

internal static class SignIns
{
    public static async Task<SignInState> ChangeAsync(
        IEnumerable<IProviderSignIn> signIns,
        SchedulingService scheduling,
        EventHub events,
        string provider,
        System.Func<IProviderSignIn, CancellationToken, Task> change,
        CancellationToken cancellationToken)
    {
        IProviderSignIn? signIn = signIns.FirstOrDefault(s => string.Equals(s.Provider, provider, System.StringComparison.OrdinalIgnoreCase));
        if (signIn is null)
        {
            bool known = scheduling.ProviderStates().Any(p => string.Equals(p.Provider, provider, System.StringComparison.OrdinalIgnoreCase));
            throw new BridgeException(
                ErrorCodes.BadRequest,
                known ? $"{provider} needs no sign-in." : $"'{provider}' is not a provider this agent has; Zoom is set up with ClientBridge__Zoom__ClientId (or a server-to-server app).");
        }

        await change(signIn, cancellationToken).ConfigureAwait(false);
        scheduling.SignInChanged();
        var state = new SignInState { Providers = [.. scheduling.ProviderStates()] };
        events.Publish(MessageKinds.SignInChangedEvent, state, BridgeWire.Default.SignInState);
        return state;
    }
}
