using System.Runtime.Versioning;
using System.Security.Cryptography;
using ClientBridge.Providers.Zoom;

namespace ClientBridge.Windows;

/// <summary>DPAPI for the current user: only this Windows account (on this machine, or with its roaming keys) can decrypt.</summary>
[SupportedOSPlatform("windows")]
public sealed class DpapiProtector : ISecretProtector
{
    /// <summary>Ties the blobs to this purpose, so another program's DPAPI data is not mistaken for tokens.</summary>
    private static readonly byte[] Entropy = "ClientBridge.Zoom.Tokens.v1"u8.ToArray();

    public byte[] Protect(byte[] plain) => ProtectedData.Protect(plain, Entropy, DataProtectionScope.CurrentUser);

    public byte[] Unprotect(byte[] protectedData) => ProtectedData.Unprotect(protectedData, Entropy, DataProtectionScope.CurrentUser);
}
