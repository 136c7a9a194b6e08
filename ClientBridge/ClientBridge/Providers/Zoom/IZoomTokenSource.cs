using System.Threading;
using System.Threading.Tasks;

namespace ClientBridge.Providers.Zoom;

/// <summary>Access tokens for Zoom's API: from the user's sign-in (OAuth with PKCE) or the organisation's server-to-server app.</summary>
public interface IZoomTokenSource
{
    bool IsSignedIn { get; }

    /// <param name="forceRefresh">True after Zoom refused the last token (a 401): renew even if it has not expired.</param>
    /// <exception cref="Protocol.BridgeException">When no token can be had: not signed in, or the sign-in was revoked.</exception>
    Task<string> GetAccessTokenAsync(bool forceRefresh, CancellationToken cancellationToken);
}
