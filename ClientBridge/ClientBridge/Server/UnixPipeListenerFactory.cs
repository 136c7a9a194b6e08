using System;
using System.IO;
using System.IO.Pipes;
using System.Runtime.Versioning;
using ClientBridge.Protocol;

namespace ClientBridge.Server;

/// <summary>
/// A Unix domain socket in a folder only its owner can enter (mode 0700), served with
/// <see cref="PipeOptions.CurrentUserOnly"/> so that .NET also refuses a peer whose uid differs.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class UnixPipeListenerFactory : IPipeListenerFactory
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>
    /// Makes the socket's folder, private to this user, or checks that the one there already is. A folder that was
    /// already there is never changed: `--pipe /tmp/agent.sock` must not turn /tmp (or any folder other people use)
    /// into this user's own, so a folder open to others is refused with a sentence instead.
    /// </summary>
    public void Prepare(BridgeEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        string directory = endpoint.SocketDirectory ?? throw new ArgumentException("A Unix socket path is required.", nameof(endpoint));
        if (!Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory, OwnerOnly);
            try
            {
                // The umask may have taken bits away, never added them; this also fails if another user made the
                // folder in the meantime (a folder planted by someone else is never used).
                File.SetUnixFileMode(directory, OwnerOnly);
            }
            catch (UnauthorizedAccessException ex)
            {
                throw new BridgeException(ErrorCodes.AccessDenied, $"The socket folder {directory} belongs to another user; remove it or choose another with --pipe.", ex);
            }

            return;
        }

        UnixFileMode mode = File.GetUnixFileMode(directory);
        if ((mode & ~OwnerOnly) != 0)
        {
            throw new BridgeException(
                ErrorCodes.AccessDenied,
                $"The socket folder {directory} is open to other users (mode {Convert.ToString((int)mode, 8)}), and the agent changes no folder it did not make: "
                + "choose a socket path in a folder of its own with --pipe (the agent makes that folder, private), or make this folder private with chmod 700.");
        }

        try
        {
            // Closed to others, but whose? Only its owner (or root) may list it, and only its owner set its mode.
            _ = Directory.GetFileSystemEntries(directory);
            if (mode != OwnerOnly)
            {
                File.SetUnixFileMode(directory, OwnerOnly);
            }
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new BridgeException(ErrorCodes.AccessDenied, $"The socket folder {directory} belongs to another user; remove it or choose another with --pipe.", ex);
        }
    }

    public NamedPipeServerStream Create(BridgeEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return new NamedPipeServerStream(
            endpoint.PipeName,
            PipeDirection.InOut,
            NamedPipeServerStream.MaxAllowedServerInstances,
            PipeTransmissionMode.Byte,
            PipeOptions.Asynchronous | PipeOptions.CurrentUserOnly);
    }

    public string DescribeProtection(BridgeEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        string? directory = endpoint.SocketDirectory;
        return directory is null ? "none" : $"folder mode {Convert.ToString((int)File.GetUnixFileMode(directory), 8)}, peer uid checked";
    }
}
