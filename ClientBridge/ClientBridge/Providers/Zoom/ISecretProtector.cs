namespace ClientBridge.Providers.Zoom;

/// <summary>Encrypts secrets at rest for the current user (DPAPI on Windows); the token store's only platform seam.</summary>
public interface ISecretProtector
{
    byte[] Protect(byte[] plain);

    /// <summary>Throws <see cref="System.Security.Cryptography.CryptographicException"/> when the data was not protected by this user.</summary>
    byte[] Unprotect(byte[] protectedData);
}
