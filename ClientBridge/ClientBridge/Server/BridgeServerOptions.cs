using System;
using ClientBridge.Protocol;

namespace ClientBridge.Server;

public sealed class BridgeServerOptions
{
    public required BridgeEndpoint Endpoint { get; init; }

    /// <summary>Connections served at once; one more is told <c>too_many_clients</c> and closed.</summary>
    public int MaxClients { get; init; } = 64;

    /// <summary>A frame begun but not finished within this time is a stalled or hostile peer, and is dropped.</summary>
    public TimeSpan FrameTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A connection that has not said hello within this time is dropped.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public int MaxFrameBytes { get; init; } = BridgeProtocol.MaxFrameBytes;

    /// <summary>Unreadable frames in a row after which a connection is dropped rather than answered again.</summary>
    public int MaxConsecutiveBadFrames { get; init; } = 16;

    /// <summary>Listeners waiting at once, so that a burst of clients connecting together is not queued behind one.</summary>
    public int AcceptLoops { get; init; } = 2;
}
