namespace ClientBridge.Providers.Zoom;

/// <summary>
/// How the agent reaches Zoom and which app it signs in as, bound from configuration section
/// <c>ClientBridge:Zoom</c> (so <c>ClientBridge__Zoom__OAuthBaseUrl</c> and the like work as environment variables).
/// The base addresses are settings because ZoomGov accounts use other hosts.
/// </summary>
public sealed class ZoomAuthSettings
{
    public const string Section = "ClientBridge:Zoom";

    public string ApiBaseUrl { get; set; } = "https://api.zoom.us/v2";

    /// <summary>Where <c>/oauth/authorize</c>, <c>/oauth/token</c> and <c>/oauth/revoke</c> live.</summary>
    public string OAuthBaseUrl { get; set; } = "https://zoom.us";

    /// <summary>The Zoom app's client id: a public client (PKCE, no secret) for a person's own sign-in.</summary>
    public string? ClientId { get; set; }

    /// <summary>Server-to-Server OAuth only: with <see cref="AccountId"/>, the agent uses the account's credentials and no one signs in.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Server-to-Server OAuth only: the Zoom account whose service app this is.</summary>
    public string? AccountId { get; set; }

    /// <summary>True when both the secret and the account are set: the <c>account_credentials</c> grant, no browser.</summary>
    public bool IsServerToServer => !string.IsNullOrEmpty(ClientSecret) && !string.IsNullOrEmpty(AccountId);
}
