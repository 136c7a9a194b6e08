using System;

namespace ClientBridge.Protocol;

/// <summary>A failure with a stable <see cref="ErrorCodes">code</see> and a sentence fit to show a person.</summary>
public class BridgeException : Exception
{
    public BridgeException(string code, string message)
        : base(message)
    {
        Code = code;
    }

    public BridgeException(string code, string message, Exception? innerException)
        : base(message, innerException)
    {
        Code = code;
    }

    public BridgeException()
        : this(ErrorCodes.Internal, "The bridge failed.")
    {
    }

    public BridgeException(string message)
        : this(ErrorCodes.Internal, message)
    {
    }

    public BridgeException(string message, Exception? innerException)
        : this(ErrorCodes.Internal, message, innerException)
    {
    }

    public string Code { get; }

    public BridgeError ToError() => new() { Code = Code, Message = Message };
}

/// <summary>Raised for bytes that do not make a valid frame or envelope.</summary>
public sealed class ProtocolViolationException : BridgeException
{
    public ProtocolViolationException(string code, string message, bool fatal)
        : base(code, message)
    {
        IsFatal = fatal;
    }

    public ProtocolViolationException(string code, string message, bool fatal, bool peerSpeaksJson)
        : this(code, message, fatal)
    {
        PeerSpeaksJson = peerSpeaksJson;
    }

    public ProtocolViolationException()
        : this(ErrorCodes.InvalidEnvelope, "The message is not valid.", fatal: false)
    {
    }

    public ProtocolViolationException(string message)
        : this(ErrorCodes.InvalidEnvelope, message, fatal: false)
    {
    }

    public ProtocolViolationException(string message, Exception? innerException)
        : base(ErrorCodes.InvalidEnvelope, message, innerException)
    {
    }

    /// <summary>True when frame boundaries are lost and the connection cannot continue.</summary>
    public bool IsFatal { get; }

    /// <summary>
    /// The frame was JSON: a peer of protocol 1, from before the wire became MessagePack. It can read only a JSON
    /// answer, so the agent tells it about the mismatch in its own format (<see cref="Framing.LegacyJson"/>).
    /// </summary>
    public bool PeerSpeaksJson { get; }
}
