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

        MessageType? type = null;
        long id = 0;
        string? kind = null;
        ReadOnlyMemory<byte> body = default;
        BridgeError? error = null;
        var reader = new MessagePackReader(payload);
        try
        {
            if (reader.NextMessagePackType != MessagePackType.Array)
            {
                throw Invalid("A message must be a MessagePack array: type, id, kind, body, error.");
            }

            int count = reader.ReadArrayHeader();
            for (int i = 0; i < count; i++)
            {
                switch (i)
                {
                    case TypeIndex:
                        int code = reader.NextMessagePackType == MessagePackType.Integer ? reader.ReadInt32() : -1;
                        type = code is >= 0 and <= 3 ? (MessageType)code : throw Invalid("A message type must be 0 (request), 1 (response), 2 (event) or 3 (error).");
                        break;

                    case IdIndex:
                        id = reader.NextMessagePackType == MessagePackType.Integer ? reader.ReadInt64() : -1;
                        if (id < 0)
                        {
                            throw Invalid("A message id must be a whole number of zero or more.");
                        }

                        break;

                    case KindIndex:
                        if (!reader.TryReadNil())
                        {
                            kind = reader.NextMessagePackType == MessagePackType.String ? ReadKind(ref reader) : throw Invalid("A message kind must be a string.");
                            if (!IsValidKind(kind))
                            {
                                throw Invalid($"A message kind must be 1 to {BridgeProtocol.MaxKindLength} characters of a-z, 0-9, '.', '_' or '-'.");
                            }
                        }

                        break;

                    case BodyIndex:
                        if (!reader.TryReadNil())
                        {
                            int start = (int)reader.Consumed;
                            reader.Skip();
                            body = payload.Slice(start, (int)reader.Consumed - start);
                        }

                        break;

                    case ErrorIndex:
                        error = reader.TryReadNil() ? null : ReadError(ref reader);
                        break;

                    default:
                        reader.Skip();
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is MessagePackSerializationException or EndOfStreamException or OverflowException)
        {
            throw Invalid($"A message field has the wrong type (at byte {reader.Consumed}).");
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

    private static string? ReadKind(ref MessagePackReader reader)
    {
        if (reader.TryReadStringSpan(out ReadOnlySpan<byte> utf8))
        {
            foreach ((byte[] known, string kind) in KnownKinds)
            {
                if (utf8.SequenceEqual(known))
                {
                    return kind;
                }
            }

            return Encoding.UTF8.GetString(utf8.ToArray());
        }

        return reader.ReadString();
    }

    private static BridgeError ReadError(ref MessagePackReader reader)
    {
        if (reader.NextMessagePackType != MessagePackType.Array)
        {
            throw Invalid("An error must be an array of code and message.");
        }

        int count = reader.ReadArrayHeader();
        string? code = null;
        string? message = null;
        for (int i = 0; i < count; i++)
        {
            if (i < 2 && reader.NextMessagePackType is not (MessagePackType.String or MessagePackType.Nil))
            {
                throw Invalid("Error fields must be strings.");
            }

            switch (i)
            {
                case 0:
                    code = reader.ReadString();
                    break;
                case 1:
                    message = reader.ReadString();
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        return new BridgeError { Code = code ?? ErrorCodes.Internal, Message = message ?? string.Empty };
    }

    private static ProtocolViolationException Invalid(string sentence) => new(ErrorCodes.InvalidEnvelope, sentence, fatal: false);
}
