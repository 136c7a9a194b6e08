using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;

namespace ZoomEmulator;

/// <summary>Authorization codes, grants and tokens; guarded by the server's lock.</summary>
internal sealed class OAuthState
{
    private readonly Dictionary<string, PendingCode> codes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AccessToken> accessTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Grant> refreshTokens = new(StringComparer.Ordinal);
    private readonly List<string> issued = [];

    public sealed record PendingCode(string ClientId, string RedirectUri, string? Challenge, DateTimeOffset Expires);

    public sealed class Grant
    {
        public string? CurrentRefreshToken { get; set; }
        public bool Revoked { get; set; }
        public List<string> AccessTokens { get; } = [];
    }

    public sealed record AccessToken(Grant Grant, DateTimeOffset Expires);

    public enum TokenCheck
    {
        Valid,
        Unknown,
        Expired,
    }

    public static string NewSecret() => Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string S256(string verifier) => Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    public string AddCode(string clientId, string redirectUri, string? challenge, DateTimeOffset expires)
    {
        var code = NewSecret();
        codes[code] = new PendingCode(clientId, redirectUri, challenge, expires);
        return code;
    }

    /// <summary>Codes are single use: taking one removes it, whatever the outcome.</summary>
    public PendingCode? TakeCode(string code, DateTimeOffset now)
    {
        if (!codes.Remove(code, out var pending))
        {
            return null;
        }

        return pending.Expires > now ? pending : null;
    }

    public (string Access, string? Refresh) Issue(Grant grant, bool withRefresh, DateTimeOffset expires)
    {
        var access = NewSecret();
        accessTokens[access] = new AccessToken(grant, expires);
        grant.AccessTokens.Add(access);
        issued.Add(access);
        if (!withRefresh)
        {
            return (access, null);
        }

        if (grant.CurrentRefreshToken is { } old)
        {
            refreshTokens.Remove(old);
        }

        var refresh = NewSecret();
        grant.CurrentRefreshToken = refresh;
        issued.Add(refresh);
        refreshTokens[refresh] = grant;
        return (access, refresh);
    }

    /// <summary>Every token issued so far, access and refresh, oldest first.</summary>
    public IReadOnlyList<string> Issued() => [.. issued];

    /// <summary>The grant of a current refresh token; an old (rotated) or revoked one gives null.</summary>
    public Grant? FindRefresh(string token) =>
        refreshTokens.TryGetValue(token, out var grant) && !grant.Revoked && grant.CurrentRefreshToken == token ? grant : null;

    public TokenCheck CheckAccess(string token, DateTimeOffset now)
    {
        if (!accessTokens.TryGetValue(token, out var access) || access.Grant.Revoked)
        {
            return TokenCheck.Unknown;
        }

        return access.Expires > now ? TokenCheck.Valid : TokenCheck.Expired;
    }

    /// <summary>Revoking either token of a grant ends the whole grant.</summary>
    public bool Revoke(string token)
    {
        Grant? grant = null;
        if (accessTokens.TryGetValue(token, out var access))
        {
            grant = access.Grant;
        }
        else if (refreshTokens.TryGetValue(token, out var byRefresh))
        {
            grant = byRefresh;
        }

        if (grant is null)
        {
            return false;
        }

        grant.Revoked = true;
        foreach (var issued in grant.AccessTokens)
        {
            accessTokens.Remove(issued);
        }

        if (grant.CurrentRefreshToken is { } refresh)
        {
            refreshTokens.Remove(refresh);
        }

        return true;
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
