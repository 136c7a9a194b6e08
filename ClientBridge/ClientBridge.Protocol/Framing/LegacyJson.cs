using System;
using System.Buffers.Binary;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ClientBridge.Protocol.Framing;

/// <summary>
/// Protocol 1 spoke JSON in the same frames. A peer of that version cannot read MessagePack, so each end recognises
/// its frames (a JSON object starts with <c>{</c>, which no MessagePack envelope does) and says plainly that the
/// versions do not match: the agent answers in JSON, the client turns the old agent's JSON complaint into the sentence.
/// </summary>
public static class LegacyJson
{
    private const byte OpenBrace = (byte)'{';

    public static bool Looks(ReadOnlySpan<byte> payload) => !payload.IsEmpty && payload[0] == OpenBrace;

    /// <summary>The sentence for a peer that sent JSON, from the side that received it.</summary>
    public static string MismatchSentence(bool agentSide) => agentSide
        ? $"The client speaks bridge protocol {BridgeProtocol.LastJsonVersion} (JSON), but this agent speaks {BridgeProtocol.MinSupportedVersion}–{BridgeProtocol.Version} (MessagePack). Install matching versions of the add-in and the agent."
        : $"The agent speaks bridge protocol {BridgeProtocol.LastJsonVersion} (JSON), but this client speaks {BridgeProtocol.MinSupportedVersion}–{BridgeProtocol.Version} (MessagePack). Install matching versions of the add-in and the agent.";

    /// <summary>A whole frame (length prefix and JSON envelope) carrying an error as protocol 1 wrote it: <c>{"type":"error","error":{…}}</c>.</summary>
    public static byte[] EncodeError(BridgeError error)
    {
        if (error is null)
        {
            throw new ArgumentNullException(nameof(error));
        }

        var buffer = new GrowableBuffer(256);
        buffer.GetSpan(BridgeProtocol.HeaderBytes);
        buffer.Advance(BridgeProtocol.HeaderBytes);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("type", "error");
            writer.WriteStartObject("error");
            writer.WriteString("code", error.Code);
            writer.WriteString("message", error.Message);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        var frame = new byte[buffer.Count];
        Buffer.BlockCopy(buffer.Array, 0, frame, 0, buffer.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(frame, (uint)(frame.Length - BridgeProtocol.HeaderBytes));
        return frame;
    }
}
