using System;
using System.Buffers;

namespace ClientBridge.Protocol.Framing;

/// <summary>A reusable byte buffer that the MessagePack writer (and the legacy JSON answer) can write into.</summary>
internal sealed class GrowableBuffer : IBufferWriter<byte>
{
    private byte[] _array;

    public GrowableBuffer(int capacity) => _array = new byte[capacity];

    public int Count { get; private set; }

    public byte[] Array => _array;

    public void Advance(int count) => Count += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _array.AsMemory(Count);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _array.AsSpan(Count);
    }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_array.AsSpan(Count));
        Count += bytes.Length;
    }

    /// <summary>Drops everything written after <paramref name="count"/>.</summary>
    public void Truncate(int count) => Count = count;

    /// <summary>Empties the buffer, shrinking it if one large message had grown it far past its usual size.</summary>
    public void Clear(int shrinkAbove)
    {
        Count = 0;
        if (_array.Length > shrinkAbove)
        {
            _array = new byte[shrinkAbove];
        }
    }

    private void Ensure(int sizeHint)
    {
        int needed = Count + Math.Max(sizeHint, 256);
        if (needed > _array.Length)
        {
            System.Array.Resize(ref _array, Math.Max(needed, _array.Length * 2));
        }
    }
}
