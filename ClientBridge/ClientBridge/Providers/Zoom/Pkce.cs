using System;
using System.Security.Cryptography;
using System.Text;

namespace ClientBridge.Providers.Zoom;

/// <summary>Proof Key for Code Exchange (RFC 7636) with the S256 method, and the random <c>state</c> of a sign-in.</summary>
public static class Pkce
{
    /// <summary>32 random bytes, base64url: 43 characters, the shortest verifier RFC 7636 allows, with 256 bits of entropy.</summary>
    public static string CreateVerifier() => Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>BASE64URL(SHA256(ASCII(verifier))), as RFC 7636 section 4.2 defines for S256.</summary>
    public static string Challenge(string verifier)
    {
        ArgumentException.ThrowIfNullOrEmpty(verifier);
        return Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
    }

    /// <summary>An unguessable value that ties the redirect to the sign-in this agent started.</summary>
    public static string CreateState() => Base64Url(RandomNumberGenerator.GetBytes(24));

    /// <summary>Base64 with the URL-safe alphabet and no padding (RFC 7636 appendix A).</summary>
    public static string Base64Url(ReadOnlySpan<byte> data) =>
        Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
