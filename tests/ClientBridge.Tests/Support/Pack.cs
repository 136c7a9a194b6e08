using System;
using System.Buffers;
using System.Text.Json;
using ClientBridge.Protocol;
using ClientBridge.Protocol.Framing;
using MessagePack;
using MessagePack.Formatters;

namespace ClientBridge.Tests.Support;

/// <summary>
/// Builds MessagePack payloads for tests that must send exactly the bytes they mean, well-formed or not: envelopes
/// by hand, bodies through the real formatters, and arbitrary structures written as JSON text for readability.
/// </summary>
internal static class Pack
{
    public delegate void Writing(ref MessagePackWriter writer);

    public static byte[] Write(Writing write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        write(ref writer);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>An envelope <c>[type, id, kind, body]</c> with the body's bytes spliced in as they are (nil when null).</summary>
    public static byte[] Envelope(MessageType type, long id, string? kind, byte[]? body) => Write((ref MessagePackWriter w) =>
    {
        w.WriteArrayHeader(4);
        w.Write((int)type);
        w.Write(id);
        w.Write(kind);
        if (body is null)
        {
            w.WriteNil();
        }
        else
        {
            w.WriteRaw(body);
        }
    });

    public static byte[] Request(long id, string? kind, byte[]? body = null) => Envelope(MessageType.Request, id, kind, body);

    public static byte[] Body<T>(T body, IMessagePackFormatter<T> formatter) => Write((ref MessagePackWriter w) => formatter.Serialize(ref w, body, BridgeWire.Options));

    public static byte[] Hello(long id = 1, int protocol = BridgeProtocol.Version) =>
        Request(id, MessageKinds.Hello, Body(new Hello { ProtocolVersion = protocol, MinProtocolVersion = protocol, ClientName = "raw" }, BridgeWire.Default.Hello));

    /// <summary>The MessagePack twin of a JSON text: objects become maps, arrays arrays, numbers integers or doubles.</summary>
    public static byte[] FromJson(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        return Write((ref MessagePackWriter w) => WriteElement(ref w, document.RootElement));
    }

    private static void WriteElement(ref MessagePackWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                int count = 0;
                foreach (JsonProperty unused in element.EnumerateObject())
                {
                    count++;
                }

                writer.WriteMapHeader(count);
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    writer.Write(property.Name);
                    WriteElement(ref writer, property.Value);
                }

                break;
            case JsonValueKind.Array:
                writer.WriteArrayHeader(element.GetArrayLength());
                foreach (JsonElement item in element.EnumerateArray())
                {
                    WriteElement(ref writer, item);
                }

                break;
            case JsonValueKind.String:
                writer.Write(element.GetString());
                break;
            case JsonValueKind.Number:
                if (element.TryGetInt64(out long whole))
                {
                    writer.Write(whole);
                }
                else
                {
                    writer.Write(element.GetDouble());
                }

                break;
            case JsonValueKind.True:
            case JsonValueKind.False:
                writer.Write(element.GetBoolean());
                break;
            default:
                writer.WriteNil();
                break;
        }
    }
}
