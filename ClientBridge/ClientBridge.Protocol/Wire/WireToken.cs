using System;
using System.Buffers.Binary;

namespace ClientBridge.Protocol.Wire;

internal enum WireTokenKind
{
    Nil,
    Boolean,
    Integer,
    Float,
    String,
    Binary,
    Extension,
    Array,
    Map,
}

/// <summary>
/// One MessagePack header read straight from a span: the frame scanner and the envelope use this instead of
/// MessagePackReader, whose sequence-based reads cost more than the whole of a small frame's other work.
/// </summary>
internal readonly struct WireToken
{
    private WireToken(WireTokenKind kind, long value, bool overflow = false)
    {
        Kind = kind;
        Value = value;
        Overflow = overflow;
    }

    public WireTokenKind Kind { get; }

    /// <summary>An integer's value, a string's, binary's or extension's byte length, an array's or map's element count.</summary>
    public long Value { get; }

    /// <summary>An unsigned 64-bit integer beyond <see cref="long.MaxValue"/>.</summary>
    public bool Overflow { get; }

    /// <summary>
    /// Reads the header at <paramref name="position"/> and moves past it; a scalar is consumed whole, a string's,
    /// binary's or extension's payload is not (the caller skips <see cref="Value"/> bytes).
    /// </summary>
    /// <exception cref="FormatException">The header is cut off, or uses the one code MessagePack never uses (0xC1).</exception>
    public static WireToken Read(ReadOnlySpan<byte> data, ref int position)
    {
        byte code = Take(data, ref position, 1)[0];
        switch (code)
        {
            case <= 0x7F:
                return new WireToken(WireTokenKind.Integer, code);
            case <= 0x8F:
                return new WireToken(WireTokenKind.Map, code & 0x0F);
            case <= 0x9F:
                return new WireToken(WireTokenKind.Array, code & 0x0F);
            case <= 0xBF:
                return new WireToken(WireTokenKind.String, code & 0x1F);
            case >= 0xE0:
                return new WireToken(WireTokenKind.Integer, (sbyte)code);
        }

        switch (code)
        {
            case 0xC0: return new WireToken(WireTokenKind.Nil, 0);
            case 0xC2: return new WireToken(WireTokenKind.Boolean, 0);
            case 0xC3: return new WireToken(WireTokenKind.Boolean, 1);
            case 0xC4: return new WireToken(WireTokenKind.Binary, Take(data, ref position, 1)[0]);
            case 0xC5: return new WireToken(WireTokenKind.Binary, BinaryPrimitives.ReadUInt16BigEndian(Take(data, ref position, 2)));
            case 0xC6: return new WireToken(WireTokenKind.Binary, BinaryPrimitives.ReadUInt32BigEndian(Take(data, ref position, 4)));
            case 0xC7: return Extension(Take(data, ref position, 1)[0], data, ref position);
            case 0xC8: return Extension(BinaryPrimitives.ReadUInt16BigEndian(Take(data, ref position, 2)), data, ref position);
            case 0xC9: return Extension(BinaryPrimitives.ReadUInt32BigEndian(Take(data, ref position, 4)), data, ref position);
            case 0xCA: Take(data, ref position, 4); return new WireToken(WireTokenKind.Float, 0);
            case 0xCB: Take(data, ref position, 8); return new WireToken(WireTokenKind.Float, 0);
            case 0xCC: return new WireToken(WireTokenKind.Integer, Take(data, ref position, 1)[0]);
            case 0xCD: return new WireToken(WireTokenKind.Integer, BinaryPrimitives.ReadUInt16BigEndian(Take(data, ref position, 2)));
            case 0xCE: return new WireToken(WireTokenKind.Integer, BinaryPrimitives.ReadUInt32BigEndian(Take(data, ref position, 4)));
            case 0xCF:
                ulong big = BinaryPrimitives.ReadUInt64BigEndian(Take(data, ref position, 8));
                return big > long.MaxValue ? new WireToken(WireTokenKind.Integer, 0, overflow: true) : new WireToken(WireTokenKind.Integer, (long)big);
            case 0xD0: return new WireToken(WireTokenKind.Integer, (sbyte)Take(data, ref position, 1)[0]);
            case 0xD1: return new WireToken(WireTokenKind.Integer, BinaryPrimitives.ReadInt16BigEndian(Take(data, ref position, 2)));
            case 0xD2: return new WireToken(WireTokenKind.Integer, BinaryPrimitives.ReadInt32BigEndian(Take(data, ref position, 4)));
            case 0xD3: return new WireToken(WireTokenKind.Integer, BinaryPrimitives.ReadInt64BigEndian(Take(data, ref position, 8)));
            case 0xD4: return Extension(1, data, ref position);
            case 0xD5: return Extension(2, data, ref position);
            case 0xD6: return Extension(4, data, ref position);
            case 0xD7: return Extension(8, data, ref position);
            case 0xD8: return Extension(16, data, ref position);
            case 0xD9: return new WireToken(WireTokenKind.String, Take(data, ref position, 1)[0]);
            case 0xDA: return new WireToken(WireTokenKind.String, BinaryPrimitives.ReadUInt16BigEndian(Take(data, ref position, 2)));
            case 0xDB: return new WireToken(WireTokenKind.String, BinaryPrimitives.ReadUInt32BigEndian(Take(data, ref position, 4)));
            case 0xDC: return new WireToken(WireTokenKind.Array, BinaryPrimitives.ReadUInt16BigEndian(Take(data, ref position, 2)));
            case 0xDD: return new WireToken(WireTokenKind.Array, BinaryPrimitives.ReadUInt32BigEndian(Take(data, ref position, 4)));
            case 0xDE: return new WireToken(WireTokenKind.Map, BinaryPrimitives.ReadUInt16BigEndian(Take(data, ref position, 2)));
            case 0xDF: return new WireToken(WireTokenKind.Map, BinaryPrimitives.ReadUInt32BigEndian(Take(data, ref position, 4)));
            default: throw new FormatException("0xC1 is not a MessagePack code.");
        }
    }

    /// <summary>Moves past one whole value, nested ones included, without recursion: a count of values still to pass.</summary>
    public static void Skip(ReadOnlySpan<byte> data, ref int position)
    {
        long pending = 1;
        while (pending > 0)
        {
            pending--;
            WireToken token = Read(data, ref position);
            switch (token.Kind)
            {
                case WireTokenKind.Array:
                    pending += token.Value;
                    break;
                case WireTokenKind.Map:
                    pending += 2 * token.Value;
                    break;
                case WireTokenKind.String or WireTokenKind.Binary or WireTokenKind.Extension:
                    Take(data, ref position, token.Value);
                    break;
            }
        }
    }

    /// <summary>The next <paramref name="length"/> bytes, refusing to run past the end.</summary>
    public static ReadOnlySpan<byte> Take(ReadOnlySpan<byte> data, ref int position, long length)
    {
        if (length > data.Length - position)
        {
            throw new FormatException("A value runs past the end of the frame.");
        }

        ReadOnlySpan<byte> taken = data.Slice(position, (int)length);
        position += (int)length;
        return taken;
    }

    private static WireToken Extension(long length, ReadOnlySpan<byte> data, ref int position)
    {
        Take(data, ref position, 1); // The extension's type code.
        return new WireToken(WireTokenKind.Extension, length);
    }
}
