using System;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

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
/// One received message with its body still as raw JSON, so that the body is parsed exactly once,
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

    /// <summary>The raw JSON of the body, empty when the message had none (or <c>null</c>).</summary>
    public ReadOnlyMemory<byte> Body { get; }

    public BridgeError? Error { get; }

    /// <summary>Parses the body as <typeparamref name="T"/>; a missing body reads as <paramref name="whenMissing"/>.</summary>
    /// <exception cref="BridgeException">With <see cref="ErrorCodes.BadRequest"/> when the body does not fit.</exception>
    public T ReadBody<T>(JsonTypeInfo<T> typeInfo, T? whenMissing = default)
    {
        if (Body.IsEmpty)
        {
            return whenMissing ?? throw new BridgeException(ErrorCodes.BadRequest, $"A '{Kind}' message needs a body.");
        }

        try
        {
            return JsonSerializer.Deserialize(Body.Span, typeInfo)
                ?? whenMissing
                ?? throw new BridgeException(ErrorCodes.BadRequest, $"A '{Kind}' message needs a body.");
        }
        catch (JsonException ex)
        {
            // The exception's path names a field, never its value, so it is safe to pass on.
            throw new BridgeException(ErrorCodes.BadRequest, $"The body of a '{Kind}' message does not fit its schema at {ex.Path ?? "$"}.", ex);
        }
    }
}

/// <summary>Reads and writes the JSON envelope around every message: <c>{"type","id","kind","body"|"error"}</c>.</summary>
public static class Envelope
{
    internal static readonly JsonWriterOptions WriterOptions = new()
    {
        // Subjects in any script stay readable and compact; the payload never reaches an HTML context.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly JsonEncodedText TypeName = JsonEncodedText.Encode("type");
    private static readonly JsonEncodedText IdName = JsonEncodedText.Encode("id");
    private static readonly JsonEncodedText KindName = JsonEncodedText.Encode("kind");
    private static readonly JsonEncodedText BodyName = JsonEncodedText.Encode("body");
    private static readonly JsonEncodedText ErrorName = JsonEncodedText.Encode("error");
    private static readonly JsonEncodedText CodeName = JsonEncodedText.Encode("code");
    private static readonly JsonEncodedText MessageName = JsonEncodedText.Encode("message");

    private static readonly JsonEncodedText[] TypeValues =
    {
        JsonEncodedText.Encode("request"),
        JsonEncodedText.Encode("response"),
        JsonEncodedText.Encode("event"),
        JsonEncodedText.Encode("error"),
    };

    /// <summary>Parses one frame's payload.</summary>
    /// <exception cref="ProtocolViolationException">Invalid UTF-8, invalid JSON, or JSON that is not an envelope.</exception>
    public static IncomingMessage Parse(ReadOnlyMemory<byte> payload)
    {
        ValidateUtf8(payload);

        MessageType? type = null;
        long id = 0;
        string? kind = null;
        ReadOnlyMemory<byte> body = default;
        BridgeError? error = null;

        var reader = new Utf8JsonReader(payload.Span, new JsonReaderOptions { MaxDepth = 64 });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw Invalid("A message must be a JSON object.");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals(TypeName.EncodedUtf8Bytes))
                {
                    type = ReadType(ref reader);
                }
                else if (reader.ValueTextEquals(IdName.EncodedUtf8Bytes))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out id) || id < 0)
                    {
                        throw Invalid("A message id must be a whole number of zero or more.");
                    }
                }
                else if (reader.ValueTextEquals(KindName.EncodedUtf8Bytes))
                {
                    reader.Read();
                    kind = reader.TokenType == JsonTokenType.String ? reader.GetString() : throw Invalid("A message kind must be a string.");
                    if (!IsValidKind(kind))
                    {
                        throw Invalid($"A message kind must be 1 to {BridgeProtocol.MaxKindLength} characters of a-z, 0-9, '.', '_' or '-'.");
                    }
                }
                else if (reader.ValueTextEquals(BodyName.EncodedUtf8Bytes))
                {
                    reader.Read();
                    int start = (int)reader.TokenStartIndex;
                    bool isNull = reader.TokenType == JsonTokenType.Null;
                    reader.Skip();
                    body = isNull ? default : payload.Slice(start, (int)reader.BytesConsumed - start);
                }
                else if (reader.ValueTextEquals(ErrorName.EncodedUtf8Bytes))
                {
                    error = ReadError(ref reader);
                }
                else
                {
                    // Unknown fields are skipped so that a newer peer can add some without breaking this one.
                    reader.Read();
                    reader.Skip();
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                throw Invalid("A message must be exactly one JSON object.");
            }
        }
        catch (JsonException ex)
        {
            throw new ProtocolViolationException(
                ErrorCodes.InvalidJson,
                $"The message is not valid JSON (byte {ex.BytePositionInLine ?? 0} of line {(ex.LineNumber ?? 0) + 1}).",
                fatal: false);
        }

        if (type is null)
        {
            throw Invalid("A message needs a \"type\".");
        }

        if (type is MessageType.Request or MessageType.Response or MessageType.Event && kind is null)
        {
            throw Invalid($"A {TypeValues[(int)type.Value]} needs a \"kind\".");
        }

        if (type is MessageType.Request or MessageType.Response && id == 0)
        {
            throw Invalid($"A {TypeValues[(int)type.Value]} needs a positive \"id\".");
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

    internal static void Write<T>(Utf8JsonWriter writer, MessageType type, long id, string? kind, T body, JsonTypeInfo<T>? bodyInfo, BridgeError? error)
    {
        writer.WriteStartObject();
        writer.WriteString(TypeName, TypeValues[(int)type]);
        if (id != 0)
        {
            writer.WriteNumber(IdName, id);
        }

        if (kind is not null)
        {
            writer.WriteString(KindName, kind);
        }

        if (error is not null)
        {
            writer.WriteStartObject(ErrorName);
            writer.WriteString(CodeName, error.Code);
            writer.WriteString(MessageName, error.Message);
            writer.WriteEndObject();
        }
        else if (bodyInfo is not null && body is not null)
        {
            writer.WritePropertyName(BodyName);
            JsonSerializer.Serialize(writer, body, bodyInfo);
        }

        writer.WriteEndObject();
    }

    private static MessageType ReadType(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
        {
            for (int i = 0; i < TypeValues.Length; i++)
            {
                if (reader.ValueTextEquals(TypeValues[i].EncodedUtf8Bytes))
                {
                    return (MessageType)i;
                }
            }
        }

        throw Invalid("A message type must be \"request\", \"response\", \"event\" or \"error\".");
    }

    private static BridgeError ReadError(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Invalid("An error must be an object with \"code\" and \"message\".");
        }

        string? code = null;
        string? message = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool isCode = reader.ValueTextEquals(CodeName.EncodedUtf8Bytes);
            bool isMessage = !isCode && reader.ValueTextEquals(MessageName.EncodedUtf8Bytes);
            reader.Read();
            if (isCode || isMessage)
            {
                string? value = reader.TokenType == JsonTokenType.String ? reader.GetString() : throw Invalid("Error fields must be strings.");
                if (isCode)
                {
                    code = value;
                }
                else
                {
                    message = value;
                }
            }
            else
            {
                reader.Skip();
            }
        }

        return new BridgeError { Code = code ?? ErrorCodes.Internal, Message = message ?? string.Empty };
    }

    private static void ValidateUtf8(ReadOnlyMemory<byte> payload)
    {
        if (!MemoryMarshal.TryGetArray(payload, out ArraySegment<byte> segment))
        {
            segment = new ArraySegment<byte>(payload.ToArray());
        }

        try
        {
            StrictUtf8.GetCharCount(segment.Array!, segment.Offset, segment.Count);
        }
        catch (DecoderFallbackException)
        {
            throw new ProtocolViolationException(ErrorCodes.InvalidUtf8, "The message is not valid UTF-8.", fatal: false);
        }
    }

    private static ProtocolViolationException Invalid(string sentence) => new(ErrorCodes.InvalidEnvelope, sentence, fatal: false);
}
