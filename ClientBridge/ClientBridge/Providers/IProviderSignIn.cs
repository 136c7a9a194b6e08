using System.Threading;
using System.Threading.Tasks;

namespace ClientBridge.Providers;

/// <summary>A provider that needs an account: how the agent signs the user in and out.</summary>
public interface IProviderSignIn
{
    string Provider { get; }

    /// <summary>Opens the system browser and returns once the user has signed in.</summary>
    /// <exception cref="Protocol.BridgeException">When the sign-in failed, was refused or timed out; the message says which.</exception>
    Task SignInAsync(CancellationToken cancellationToken);

    /// <summary>Revokes the tokens where the provider allows it, and deletes them.</summary>
    Task SignOutAsync(CancellationToken cancellationToken);
}
