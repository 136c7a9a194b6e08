using System;
using System.IO;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using ClientBridge.Windows;

namespace ClientBridge.Providers.Zoom;

/// <summary>
/// The tokens of one Zoom sign-in. <see cref="ToString"/> names no token, so a stray log line or exception text
/// cannot leak one.
/// </summary>
public sealed record ZoomTokens(string AccessToken, DateTimeOffset ExpiresAt, string? RefreshToken)
{
    public override string ToString() =>
        $"ZoomTokens {{ ExpiresAt = {ExpiresAt:u}, RefreshToken = {(RefreshToken is null ? "none" : "held")} }}";
}

/// <summary>
/// Keeps the Zoom sign-in across restarts, in one file under the agent's state directory: encrypted for the
/// current user when a protector is given (DPAPI on Windows), otherwise plain JSON in a file only the owner may
/// read or write (mode 0600), with <see cref="Warning"/> saying so. An encrypted file carries a SHA-256 of its blob,
/// so that a damaged file is refused as damaged before the protector sees it, and a whole one that the protector
/// refuses is known to be someone else's.
/// </summary>
/// <remarks>
/// Every save is durable before it is visible: the new contents go to a temporary file, which is flushed through
/// the operating system's cache and then renamed over the old file. The rename is the commit point, so after a
/// crash at any step the file holds either the complete old tokens or the complete new ones, never a torn or empty
/// file. Why that keeps a working refresh token through rotation is explained at <see cref="Save"/>.
/// </remarks>
public sealed class TokenStore
{
    public const string FileName = "zoom.tokens";

    /// <summary>The sentence to log once at start when tokens are not encrypted at rest.</summary>
    public const string UnencryptedWarning = "Zoom tokens are stored unencrypted, readable only by you.";

    private const string TemporarySuffix = ".new";

    /// <summary>
    /// The sentence for a file that is not whole: its checksum does not match, or what it decrypts to is not tokens.
    /// </summary>
    public const string DamagedProblem = "The stored Zoom sign-in is damaged; sign in again.";

    /// <summary>The sentence for a whole file that the protector (DPAPI) refuses to decrypt for this user.</summary>
    public const string ForeignProblem = "The stored Zoom sign-in cannot be decrypted by this user (it was encrypted for another user or on another machine); sign in again.";

    /// <summary>
    /// What an encrypted file begins with, before the SHA-256 of the encrypted blob and the blob itself. The checksum
    /// is checked before the blob reaches the protector, because a damaged blob must never reach a native parser:
    /// Wine's CryptUnprotectData dies with an access violation on a blob whose lengths were damaged (seen in the Wine
    /// sign-in tests), which would take the whole agent down at start.
    /// </summary>
    private static readonly byte[] EncryptedMagic = "CBZT1"u8.ToArray();

    private readonly object _gate = new();
    private readonly ISecretProtector? _protector;
    private ZoomTokens? _current;

    /// <param name="directory">The agent's state directory (created when missing, mode 0700 on Unix).</param>
    /// <param name="protector">Encrypts the file; null stores plain JSON readable only by the owner.</param>
    public TokenStore(string directory, ISecretProtector? protector)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        _protector = protector;
        FilePath = Path.Combine(directory, FileName);
        _current = Load();
    }

    /// <summary>DPAPI for the current user on Windows; elsewhere an owner-only plain file.</summary>
    public static TokenStore ForCurrentUser(string directory) =>
        new(directory, OperatingSystem.IsWindows() ? new DpapiProtector() : null);

    public string FilePath { get; }

    /// <summary><see cref="UnencryptedWarning"/> when the tokens are not encrypted at rest; null when they are.</summary>
    public string? Warning => _protector is null ? UnencryptedWarning : null;

    /// <summary>Why the stored tokens could not be read when the store was opened (damaged, or another user's); null when fine.</summary>
    public string? LoadProblem { get; private set; }

    /// <summary>The tokens on disk, or null when no one is signed in.</summary>
    public ZoomTokens? Current
    {
        get
        {
            lock (_gate)
            {
                return _current;
            }
        }
    }

    /// <summary>Test seam: called with "written", "flushed" and "renamed" as a save passes each step; throwing simulates a crash there.</summary>
    internal Action<string>? StepHook { get; set; }

    /// <summary>
    /// Writes the tokens durably, and only then makes them <see cref="Current"/>. Throws when the disk refuses, so
    /// that a caller never uses an access token whose refresh token is not safely stored.
    /// </summary>
    /// <remarks>
    /// Rotation safety. Zoom invalidates the old refresh token when it issues a new one, so the newest refresh token
    /// is the only thing that keeps the user signed in. The caller therefore saves what a refresh returned before it
    /// uses the new access token or returns. Within the save:
    /// <list type="bullet">
    /// <item>Crash before the rename (while writing or flushing the temporary file): the old file is untouched and
    /// still holds the previous refresh token; the torn temporary file is deleted when the store is next opened.
    /// The old token is all we have here and the best we can have: if the server's answer never reached the disk,
    /// it was never ours to keep.</item>
    /// <item>Crash after the rename: the new file is complete and flushed, so it holds the new refresh token.</item>
    /// </list>
    /// At no step is the file missing or partly written, and the previous refresh token is replaced only by a
    /// complete file that holds its successor. The in-memory <see cref="Current"/> changes last, after the rename.
    /// </remarks>
    public void Save(ZoomTokens tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        byte[] payload = JsonSerializer.SerializeToUtf8Bytes(
            new TokenFile(1, tokens.AccessToken, tokens.ExpiresAt, tokens.RefreshToken), TokenFileJsonContext.Default.TokenFile);
        if (_protector is not null)
        {
            byte[] plain = payload;
            payload = Seal(_protector.Protect(plain));
            CryptographicOperations.ZeroMemory(plain);
        }

        lock (_gate)
        {
            WriteDurably(payload);
            _current = tokens;
        }
    }

    /// <summary>Forgets the sign-in: the file is deleted.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            File.Delete(FilePath + TemporarySuffix);
            File.Delete(FilePath);
            _current = null;
            LoadProblem = null;
        }
    }

    private void WriteDurably(byte[] payload)
    {
        string temporary = FilePath + TemporarySuffix;

        // A leftover from an earlier crash may carry other permissions; the create mode applies only to a new file.
        File.Delete(temporary);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var file = new FileStream(temporary, options))
        {
            file.Write(payload);
            StepHook?.Invoke("written");
            file.Flush(flushToDisk: true);
        }

        StepHook?.Invoke("flushed");
        File.Move(temporary, FilePath, overwrite: true);
        StepHook?.Invoke("renamed");
    }

    private ZoomTokens? Load()
    {
        // Never authoritative: a save commits only by renaming it over the real file.
        File.Delete(FilePath + TemporarySuffix);
        if (!File.Exists(FilePath))
        {
            return null;
        }

        try
        {
            if (!OperatingSystem.IsWindows())
            {
                // Tighten a file that was copied in or restored with wider permissions.
                File.SetUnixFileMode(FilePath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            byte[] payload = File.ReadAllBytes(FilePath);
            if (_protector is not null)
            {
                if (Unseal(payload) is not { } blob)
                {
                    LoadProblem = DamagedProblem;
                    return null;
                }

                payload = _protector.Unprotect(blob);
            }

            TokenFile? file = JsonSerializer.Deserialize(payload, TokenFileJsonContext.Default.TokenFile);
            CryptographicOperations.ZeroMemory(payload);
            if (file is null || string.IsNullOrEmpty(file.AccessToken))
            {
                LoadProblem = DamagedProblem;
                return null;
            }

            return new ZoomTokens(file.AccessToken, file.ExpiresAt, string.IsNullOrEmpty(file.RefreshToken) ? null : file.RefreshToken);
        }
        catch (CryptographicException)
        {
            // The checksum matched, so the blob is whole: DPAPI refuses it for this user (or this purpose).
            LoadProblem = ForeignProblem;
        }
        catch (JsonException)
        {
            LoadProblem = DamagedProblem;
        }
        catch (IOException)
        {
            LoadProblem = "The stored Zoom sign-in cannot be read; sign in again.";
        }
        catch (UnauthorizedAccessException)
        {
            LoadProblem = "The stored Zoom sign-in cannot be read; sign in again.";
        }

        return null;
    }

    /// <summary>The encrypted blob with <see cref="EncryptedMagic"/> and its SHA-256 in front.</summary>
    private static byte[] Seal(byte[] blob)
    {
        byte[] sealedFile = new byte[EncryptedMagic.Length + SHA256.HashSizeInBytes + blob.Length];
        EncryptedMagic.CopyTo(sealedFile, 0);
        SHA256.HashData(blob, sealedFile.AsSpan(EncryptedMagic.Length, SHA256.HashSizeInBytes));
        blob.CopyTo(sealedFile, EncryptedMagic.Length + SHA256.HashSizeInBytes);
        return sealedFile;
    }

    /// <summary>The encrypted blob of a file <see cref="Seal"/> wrote, or null when the file is not that, whole.</summary>
    private static byte[]? Unseal(byte[] file)
    {
        int header = EncryptedMagic.Length + SHA256.HashSizeInBytes;
        if (file.Length <= header || !file.AsSpan(0, EncryptedMagic.Length).SequenceEqual(EncryptedMagic))
        {
            return null;
        }

        byte[] blob = file[header..];
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(blob, hash);
        return CryptographicOperations.FixedTimeEquals(hash, file.AsSpan(EncryptedMagic.Length, SHA256.HashSizeInBytes)) ? blob : null;
    }
}

internal sealed record TokenFile(int Version, string AccessToken, DateTimeOffset ExpiresAt, string? RefreshToken);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(TokenFile))]
internal sealed partial class TokenFileJsonContext : JsonSerializerContext
{
}
