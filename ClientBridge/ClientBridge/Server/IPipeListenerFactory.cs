using System.IO.Pipes;
using ClientBridge.Protocol;

namespace ClientBridge.Server;

/// <summary>Creates the server end of the pipe with the platform's protections.</summary>
public interface IPipeListenerFactory
{
    /// <summary>Prepares the endpoint once before the first listener (creates the private socket folder on Unix).</summary>
    void Prepare(BridgeEndpoint endpoint);

    NamedPipeServerStream Create(BridgeEndpoint endpoint);

    /// <summary>A description of the protection in force (an SDDL string on Windows, the folder mode elsewhere) for <c>status</c>.</summary>
    string DescribeProtection(BridgeEndpoint endpoint);
}

/// <summary>Decides whether a connected process may talk to the agent.</summary>
public interface IConnectionAuthorizer
{
    /// <summary>Null to accept; otherwise the error sent to the peer before it is dropped.</summary>
    BridgeError? Authorize(NamedPipeServerStream pipe);
}

/// <summary>Accepts every connection that the pipe itself let through (Unix: the socket's owner and peer checks).</summary>
public sealed class AllowAllAuthorizer : IConnectionAuthorizer
{
    public static readonly AllowAllAuthorizer Instance = new();

    public BridgeError? Authorize(NamedPipeServerStream pipe) => null;
}
