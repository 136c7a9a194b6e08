using System.Threading;
using System.Threading.Tasks;

namespace ClientBridge.Providers.Zoom;

/// <summary>The user's Zoom sign-in as the rest of the agent sees it: tokens for the provider, sign-in and sign-out for the pipe.</summary>
public sealed class ZoomSession(ZoomOAuth oauth) : IZoomTokenSource, IProviderSignIn
{
    public string Provider => ZoomProvider.ProviderName;

    public bool IsSignedIn => oauth.IsSignedIn;

    public Task<string> GetAccessTokenAsync(bool forceRefresh, CancellationToken cancellationToken) =>
        oauth.GetAccessTokenAsync(forceRefresh, cancellationToken);

    public Task SignInAsync(CancellationToken cancellationToken) =>
        oauth.IsServerToServer ? oauth.GetAccessTokenAsync(forceRefresh: true, cancellationToken) : oauth.SignInAsync(ZoomOAuth.DefaultSignInTimeout, cancellationToken);

    public Task SignOutAsync(CancellationToken cancellationToken) => oauth.SignOutAsync(cancellationToken);
}
