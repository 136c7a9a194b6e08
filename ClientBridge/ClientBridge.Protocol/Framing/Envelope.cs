using System;
using System.IO;
using System.Linq;
using System.Text;
using ClientBridge.Protocol.Wire;
using MessagePack;
using MessagePack.Formatters;

namespace ClientBridge.Protocol.Framing;

public enum MessageType
{
    /// <summary>Asks for a reply with the same id.</summary>
    Request,

    /// <summary>Answers the request with the same id: a body or an error.</summary>
    Response,

    /// <summary>Pushed by the agent to clients that subscribed to its kind; no id.</summary>
    Event,

    /// <summary>A complaint about the connection itself (a frame that could not be read); may carry no id.</summary>
    Error,
}

/// <summary>
/// One received message with its body still as raw MessagePack, so that the body is read exactly once,
/// straight into the type its kind calls for. Valid only until the next frame is read.
/// </summary>
public readonly struct IncomingMessage
{
    public IncomingMessage(MessageType type, long id, string? kind, ReadOnlyMemory<byte> body, BridgeError? error)
    {
        Type = type;
        Id = id;
        Kind = kind;
        Body = body;
        Error = error;
    }

    public MessageType Type { get; }

    public long Id { get; }

    public string? Kind { get; }

    /// <summary>The raw MessagePack of the body, empty when the message had none (or nil).</summary>
    public ReadOnlyMemory<byte> Body { get; }

    public BridgeError? Error { get; }

    /// <summary>Reads the body as <typeparamref name="T"/>; a missing body reads as <paramref name="whenMissing"/>.</summary>
    /// <exception cref="BridgeException">With <see cref="ErrorCodes.BadRequest"/> when the body does not fit.</exception>
    public T ReadBody<T>(IMessagePackFormatter<T> formatter, T? whenMissing = default)
    {
        if (formatter is null)
        {
            throw new ArgumentNullException(nameof(formatter));
        }

        if (Body.IsEmpty)
        {
            return whenMissing ?? throw new BridgeException(ErrorCodes.BadRequest, $"A '{Kind}' message needs a body.");
        }

        var reader = new MessagePackReader(Body);
        try
        {
            return formatter.Deserialize(ref reader, BridgeWire.Options)
                ?? whenMissing
                ?? throw new BridgeException(ErrorCodes.BadRequest, $"A '{Kind}' message needs a body.");
        }
        catch (Exception ex) when (ex is MessagePackSerializationException or EndOfStreamException or OverflowException or ArgumentException or InsufficientExecutionStackException)
        {
            // The sentence names the place, never a value, so it is safe to pass on and to log.
            throw new BridgeException(ErrorCodes.BadRequest, $"The body of a '{Kind}' message does not fit its schema (at byte {reader.Consumed} of {Body.Length}).", ex);
        }
    }
}

/// <summary>
/// Reads and writes the envelope around every message: a MessagePack array <c>[type, id, kind, body, error]</c>,
/// where type is 0–3 (<see cref="MessageType"/>), kind and body may be nil, and error (<c>[code, message]</c>) is
/// present on errors only. Elements past these are skipped, so that a newer peer can add some.
/// </summary>
public static class Envelope
{
    private const int TypeIndex = 0;
    private const int IdIndex = 1;
    private const int KindIndex = 2;
    private const int BodyIndex = 3;
    private const int ErrorIndex = 4;
    private const byte Nil = 0xC0;

    private static readonly string[] TypeNames = { "request", "response", "event", "error" };

    /// <summary>Every kind of the protocol as UTF-8, so that reading a known kind allocates no string per message.</summary>
    private static readonly (byte[] Utf8, string Kind)[] KnownKinds = typeof(MessageKinds)
        .GetFields()
        .Where(f => f.IsLiteral)
        .Select(f => (string)f.GetRawConstantValue()!)
        .Select(k => (Encoding.UTF8.GetBytes(k), k))
        .ToArray();

    /// <summary>Parses one frame's payload.</summary>
    /// <exception cref="ProtocolViolationException">Not MessagePack, invalid UTF-8 in a string, or not an envelope;
    /// <see cref="ErrorCodes.VersionMismatch"/> (fatal) for a JSON frame of protocol 1.</exception>
    public static IncomingMessage Parse(ReadOnlyMemory<byte> payload)
    {
        if (LegacyJson.Looks(payload.Span))
        {
            throw new ProtocolViolationException(ErrorCodes.VersionMismatch, LegacyJson.MismatchSentence(agentSide: true), fatal: true, peerSpeaksJson: true);
        }

        WireScanner.Validate(payload);

        // The scanner has proven the structure (lengths within the frame, nesting bounded), so only types are checked here.
        MessageType? type = null;
        long id = 0;
        string? kind = null;
        ReadOnlyMemory<byte> body = default;
        BridgeError? error = null;
        ReadOnlySpan<byte> data = payload.Span;
        int position = 0;
        try
        {
            ReadFields(payload, data, ref position, ref type, ref id, ref kind, ref body, ref error);
        }
        catch (FormatException)
        {
            throw Invalid($"The message is not valid MessagePack (at byte {position}).");
        }

        if (type is null)
        {
            throw Invalid("A message needs a type.");
        }

        if (type is MessageType.Request or MessageType.Response or MessageType.Event && kind is null)
        {
            throw Invalid($"A {TypeNames[(int)type.Value]} needs a kind.");
        }

        if (type is MessageType.Request or MessageType.Response && id == 0)
        {
            throw Invalid($"A {TypeNames[(int)type.Value]} needs a positive id.");
        }

        return new IncomingMessage(type.Value, id, kind, body, error);
    }

    public static bool IsValidKind(string? kind)
    {
        if (string.IsNullOrEmpty(kind) || kind!.Length > BridgeProtocol.MaxKindLength)
        {
            return false;
        }

        foreach (char c in kind)
        {
            if (!(c is >= 'a' and <= 'z' or >= '0' and <= '9' or '.' or '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    internal static void Write<T>(ref MessagePackWriter writer, MessageType type, long id, string? kind, T body, IMessagePackFormatter<T>? formatter, BridgeError? error)
    {
        writer.WriteArrayHeader(error is null ? BodyIndex + 1 : ErrorIndex + 1);
        writer.Write((int)type);
        writer.Write(id);
        writer.Write(kind);
        if (error is null && formatter is not null && body is not null)
        {
            formatter.Serialize(ref writer, body, BridgeWire.Options);
        }
        else
        {
            writer.WriteNil();
        }

        if (error is not null)
        {
            writer.WriteArrayHeader(2);
            writer.Write(error.Code);
            writer.Write(error.Message);
        }
    }

    private static void ReadFields(ReadOnlyMemory<byte> payload, ReadOnlySpan<byte> data, ref int position, ref MessageType? type, ref long id, ref string? kind, ref ReadOnlyMemory<byte> body, ref BridgeError? error)
    {
            WireToken envelope = WireToken.Read(data, ref position);
            if (envelope.Kind != WireTokenKind.Array)
            {
                throw Invalid("A message must be a MessagePack array: type, id, kind, body, error.");
            }

            for (long i = 0; i < envelope.Value; i++)
            {
                switch (i)
                {
                    case TypeIndex:
                        WireToken typeCode = WireToken.Read(data, ref position);
                        type = typeCode is { Kind: WireTokenKind.Integer, Overflow: false, Value: >= 0 and <= 3 }
                            ? (MessageType)typeCode.Value
                            : throw Invalid("A message type must be 0 (request), 1 (response), 2 (event) or 3 (error).");
                        break;

                    case IdIndex:
                        WireToken idToken = WireToken.Read(data, ref position);
                        id = idToken is { Kind: WireTokenKind.Integer, Overflow: false, Value: >= 0 }
                            ? idToken.Value
                            : throw Invalid("A message id must be a whole number of zero or more.");
                        break;

                    case KindIndex:
                        kind = ReadOptionalString(data, ref position, "A message kind must be a string.", known: true);
                        if (kind is not null && !IsValidKind(kind))
                        {
                            throw Invalid($"A message kind must be 1 to {BridgeProtocol.MaxKindLength} characters of a-z, 0-9, '.', '_' or '-'.");
                        }

                        break;

                    case BodyIndex:
                        int start = position;
                        WireToken.Skip(data, ref position);
                        if (data[start] != Nil)
                        {
                            body = payload.Slice(start, position - start);
                        }

                        break;

                    case ErrorIndex:
                        error = ReadError(data, ref position);
                        break;

                    default:
                        WireToken.Skip(data, ref position);
                        break;
                }
            }
    }

    private static string? ReadOptionalString(ReadOnlySpan<byte> data, ref int position, string complaint, bool known = false)
    {
        WireToken token = WireToken.Read(data, ref position);
        if (token.Kind == WireTokenKind.Nil)
        {
            return null;
        }

        if (token.Kind != WireTokenKind.String)
        {
            throw Invalid(complaint);
        }

        ReadOnlySpan<byte> utf8 = WireToken.Take(data, ref position, token.Value);
        if (known)
        {
            foreach ((byte[] bytes, string kind) in KnownKinds)
            {
                if (utf8.SequenceEqual(bytes))
                {
                    return kind;
                }
            }
        }

        return Encoding.UTF8.GetString(utf8.ToArray());
    }

    private static BridgeError? ReadError(ReadOnlySpan<byte> data, ref int position)
    {
        WireToken token = WireToken.Read(data, ref position);
        if (token.Kind == WireTokenKind.Nil)
        {
            return null;
        }

        if (token.Kind != WireTokenKind.Array)
        {
            throw Invalid("An error must be an array of code and message.");
        }

        string? code = null;
        string? message = null;
        for (long i = 0; i < token.Value; i++)
        {
            switch (i)
            {
                case 0:
                    code = ReadOptionalString(data, ref position, "Error fields must be strings.");
                    break;
                case 1:
                    message = ReadOptionalString(data, ref position, "Error fields must be strings.");
                    break;
                default:
                    WireToken.Skip(data, ref position);
                    break;
            }
        }

        return new BridgeError { Code = code ?? ErrorCodes.Internal, Message = message ?? string.Empty };
    }

    private static ProtocolViolationException Invalid(string sentence) => new(ErrorCodes.InvalidEnvelope, sentence, fatal: false);
}
