using System;
using System.IO;
using System.Runtime.InteropServices;

namespace ClientBridge.Protocol;

/// <summary>
/// Where the agent listens. On Windows a pipe name unique to the user (by SID) and the Windows session, so that
/// two users on one terminal server, or one user in two sessions, each reach their own agent. Elsewhere a Unix
/// socket in a directory only the user can open.
/// </summary>
public sealed class BridgeEndpoint
{
    /// <summary>Prefix of every pipe name and socket folder.</summary>
    public const string Prefix = "ClientBridge";

    private static readonly char[] SidForbidden = { '\\', '/', ':' };
    private static readonly char[] PathSeparators = { '\\', '/' };

    private BridgeEndpoint(string pipeName, bool isUnixSocket)
    {
        PipeName = pipeName;
        IsUnixSocket = isUnixSocket;
    }

    /// <summary>What <see cref="System.IO.Pipes.NamedPipeServerStream"/> and its client take: a pipe name, or an absolute socket path.</summary>
    public string PipeName { get; }

    public bool IsUnixSocket { get; }

    /// <summary>The folder holding the socket, which the agent creates for its user alone; null on Windows.</summary>
    public string? SocketDirectory => IsUnixSocket ? Path.GetDirectoryName(PipeName) : null;

    /// <summary>The endpoint of the current user's agent in the current session.</summary>
    public static BridgeEndpoint ForCurrentUser()
    {
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            using var identity = System.Security.Principal.WindowsIdentity.GetCurrent();
            int session;
            using (var process = System.Diagnostics.Process.GetCurrentProcess())
            {
                session = process.SessionId;
            }

            return ForWindows(identity.User!.Value, session);
        }

        return ForUnix(DefaultSocketDirectory(Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR"), Path.GetTempPath(), Environment.UserName));
    }

    public static BridgeEndpoint ForWindows(string userSid, int sessionId)
    {
        if (string.IsNullOrEmpty(userSid) || !userSid.StartsWith("S-", StringComparison.Ordinal) || userSid.IndexOfAny(SidForbidden) >= 0)
        {
            throw new ArgumentException("A Windows security identifier such as S-1-5-21-…-1001 is required.", nameof(userSid));
        }

        if (sessionId < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sessionId));
        }

        return new BridgeEndpoint($"{Prefix}.{userSid}.{sessionId}", isUnixSocket: false);
    }

    public static BridgeEndpoint ForUnix(string directory)
    {
        if (string.IsNullOrEmpty(directory) || !Path.IsPathRooted(directory))
        {
            throw new ArgumentException("An absolute directory is required.", nameof(directory));
        }

        return new BridgeEndpoint(Path.Combine(directory, "bridge.sock"), isUnixSocket: true);
    }

    /// <summary>An explicit endpoint (the <c>--pipe</c> option, tests): an absolute path is a Unix socket, anything else a pipe name.</summary>
    public static BridgeEndpoint Parse(string nameOrPath)
    {
        if (string.IsNullOrWhiteSpace(nameOrPath))
        {
            throw new ArgumentException("A pipe name or socket path is required.", nameof(nameOrPath));
        }

        bool isPath = nameOrPath.StartsWith("/", StringComparison.Ordinal);
        if (!isPath && nameOrPath.IndexOfAny(PathSeparators) >= 0)
        {
            throw new ArgumentException($"'{nameOrPath}' is neither a pipe name nor an absolute socket path.", nameof(nameOrPath));
        }

        return new BridgeEndpoint(nameOrPath, isUnixSocket: isPath);
    }

    /// <summary>
    /// <c>$XDG_RUNTIME_DIR/ClientBridge</c> where the session has one (already private to the user),
    /// else a per-user folder under the temp directory that the agent creates with mode 0700.
    /// </summary>
    public static string DefaultSocketDirectory(string? xdgRuntimeDir, string tempPath, string userName)
    {
        if (!string.IsNullOrEmpty(xdgRuntimeDir) && Path.IsPathRooted(xdgRuntimeDir))
        {
            return Path.Combine(xdgRuntimeDir, Prefix);
        }

        string safeUser = string.IsNullOrEmpty(userName) ? "user" : userName.Replace('/', '_');
        return Path.Combine(tempPath, $"{Prefix}-{safeUser}");
    }

    public override string ToString() => PipeName;
}
