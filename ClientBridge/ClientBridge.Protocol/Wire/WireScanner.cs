using System;
using System.Runtime.InteropServices;
using System.Text;

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

        ReadOnlySpan<byte> data = payload.Span;
        int position = 0;
        Span<long> remaining = stackalloc long[maxDepth + 1];
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
                WireToken token = WireToken.Read(data, ref position);
                long left = data.Length - position;
                switch (token.Kind)
                {
                    case WireTokenKind.Array:
                        Push(token.Value, left, ref depth, remaining, maxDepth);
                        break;

                    case WireTokenKind.Map:
                        Push(2 * token.Value, left, ref depth, remaining, maxDepth);
                        break;

                    case WireTokenKind.String:
                        int start = position;
                        WireToken.Take(data, ref position, token.Value);
                        StrictUtf8.GetCharCount(bytes.Array!, bytes.Offset + start, (int)token.Value);
                        break;

                    case WireTokenKind.Binary or WireTokenKind.Extension:
                        WireToken.Take(data, ref position, token.Value);
                        break;
                }
            }
        }
        catch (DecoderFallbackException)
        {
            throw new ProtocolViolationException(ErrorCodes.InvalidUtf8, "A string in the message is not valid UTF-8.", fatal: false);
        }
        catch (FormatException)
        {
            throw Invalid($"The message is not valid MessagePack (at byte {position}).");
        }

        if (position != data.Length)
        {
            throw Invalid($"The message has {data.Length - position} bytes after its end.");
        }
    }

    private static void Push(long count, long bytesLeft, ref int depth, Span<long> remaining, int maxDepth)
    {
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

        remaining[++depth] = count;
    }

    private static ProtocolViolationException Invalid(string sentence) => new(ErrorCodes.InvalidMessagePack, sentence, fatal: false);
}
