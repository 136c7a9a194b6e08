using System;
using System.Runtime.InteropServices;
using System.Text;
using MessagePack;

namespace ClientBridge.Protocol.Wire;

/// <summary>
/// Checks a whole frame before anything reads it for meaning: exactly one MessagePack value, no array or map
/// declaring more elements than the bytes left could hold, nesting no deeper than <see cref="BridgeProtocol.MaxNestingDepth"/>,
/// and every string valid UTF-8. It walks iteratively with a fixed stack, so that no input can exhaust the thread's
/// stack or make it allocate; after it, the formatters (and MessagePack's recursive Skip) see only bounded input.
/// </summary>
internal static class WireScanner
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <exception cref="ProtocolViolationException">With <see cref="ErrorCodes.InvalidMessagePack"/> or <see cref="ErrorCodes.InvalidUtf8"/>.</exception>
    public static void Validate(ReadOnlyMemory<byte> payload, int maxDepth = BridgeProtocol.MaxNestingDepth)
    {
        if (!MemoryMarshal.TryGetArray(payload, out ArraySegment<byte> bytes))
        {
            bytes = new ArraySegment<byte>(payload.ToArray());
        }

        var reader = new MessagePackReader(payload);
        Span<int> remaining = stackalloc int[maxDepth + 1];
        int depth = 0;
        remaining[0] = 1;
        try
        {
            while (true)
            {
                if (remaining[depth] == 0)
                {
                    if (depth == 0)
                    {
                        break;
                    }

                    depth--;
                    continue;
                }

                remaining[depth]--;
                long left = payload.Length - reader.Consumed;
                switch (reader.NextMessagePackType)
                {
                    case MessagePackType.Array:
                        Push(reader.ReadArrayHeader(), left, ref depth, remaining, maxDepth);
                        break;

                    case MessagePackType.Map:
                        Push(2L * reader.ReadMapHeader(), left, ref depth, remaining, maxDepth);
                        break;

                    case MessagePackType.String:
                        if (!reader.TryReadNil())
                        {
                            long length = reader.ReadStringSequence()!.Value.Length;
                            int end = (int)reader.Consumed;
                            StrictUtf8.GetCharCount(bytes.Array!, bytes.Offset + end - (int)length, (int)length);
                        }

                        break;

                    default:
                        // Scalars, binary and extensions: no nesting, and their lengths are checked against the bytes left.
                        reader.Skip();
                        break;
                }
            }
        }
        catch (DecoderFallbackException)
        {
            throw new ProtocolViolationException(ErrorCodes.InvalidUtf8, "A string in the message is not valid UTF-8.", fatal: false);
        }
        catch (Exception ex) when (ex is not ProtocolViolationException)
        {
            // Whatever MessagePack's reader objects to (a cut-off value, a length past the end, a code it never uses,
            // a 32-bit length beyond int) means the same to the peer: this is not MessagePack.
            throw Invalid($"The message is not valid MessagePack (at byte {reader.Consumed}).");
        }

        if (!reader.End)
        {
            throw Invalid($"The message has {payload.Length - reader.Consumed} bytes after its end.");
        }
    }

    private static void Push(long count, long bytesLeft, ref int depth, Span<int> remaining, int maxDepth)
    {
        if (count < 0)
        {
            throw Invalid("An array or map declares more than 2^31 elements.");
        }

        // Every element takes at least one byte, so a count beyond the bytes left is a lie, refused before anything is allocated for it.
        if (count > bytesLeft)
        {
            throw Invalid($"An array or map declares {count} elements but only {bytesLeft} bytes follow.");
        }

        if (count == 0)
        {
            return;
        }

        if (depth == maxDepth)
        {
            throw Invalid($"The message nests deeper than {maxDepth} levels.");
        }

        remaining[++depth] = (int)count;
    }

    private static ProtocolViolationException Invalid(string sentence) => new(ErrorCodes.InvalidMessagePack, sentence, fatal: false);
}
