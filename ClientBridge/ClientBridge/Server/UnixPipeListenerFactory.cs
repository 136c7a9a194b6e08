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

    public void Prepare(BridgeEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        string directory = endpoint.SocketDirectory ?? throw new ArgumentException("A Unix socket path is required.", nameof(endpoint));
        Directory.CreateDirectory(directory, OwnerOnly);
        try
        {
            // Fails unless this user owns the folder: a folder planted by someone else is never used.
            File.SetUnixFileMode(directory, OwnerOnly);
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
