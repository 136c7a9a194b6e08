using System;
using System.Buffers.Binary;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Benchmarks;

/// <summary>Whole frames (each with its 4-byte header) that arrived together; <see cref="Count"/> is 0 at the end of the stream.</summary>
internal readonly record struct FrameBlock(ReadOnlyMemory<byte> Bytes, int Count);

/// <summary>
/// The bare baseline's framing: 4-byte little-endian length + payload, read in large chunks. It returns every whole
/// frame that is buffered as one block, so an echo can send them back in one write and a counter can count them
/// without copying. Knows nothing about JSON.
/// </summary>
internal sealed class FrameScanner
{
    private const int HeaderBytes = 4;
    private const int MaxPayloadBytes = 16 * 1024 * 1024;
    private const int MinFreeBytes = 4096;

    private readonly Stream _stream;
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    public FrameScanner(Stream stream) => _stream = stream;

    /// <summary>Waits until at least one whole frame is buffered. The block is valid until the next call.</summary>
    /// <exception cref="InvalidDataException">A bad length, or the stream ended inside a frame.</exception>
    public async ValueTask<FrameBlock> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            int needed = Scan(out int count, out int length);
            if (count > 0)
            {
                var block = new FrameBlock(new ReadOnlyMemory<byte>(_buffer, _start, length), count);
                _start += length;
                return block;
            }

            MakeRoom(needed);
            int read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
            if (read == 0)
            {
                return _start == _end ? default : throw new InvalidDataException("The stream ended in the middle of a frame.");
            }

            _end += read;
        }
    }

    /// <summary>Counts the whole frames from the start; returns the bytes the first incomplete frame needs in all.</summary>
    private int Scan(out int count, out int length)
    {
        count = 0;
        int position = _start;
        int needed = HeaderBytes;
        while (_end - position >= HeaderBytes)
        {
            uint declared = BinaryPrimitives.ReadUInt32LittleEndian(_buffer.AsSpan(position, HeaderBytes));
            if (declared is 0 or > MaxPayloadBytes)
            {
                throw new InvalidDataException($"A frame declared {declared} bytes.");
            }

            int frame = HeaderBytes + (int)declared;
            if (_end - position < frame)
            {
                needed = frame;
                break;
            }

            position += frame;
            count++;
        }

        length = position - _start;
        return needed;
    }

    private void MakeRoom(int needed)
    {
        int buffered = _end - _start;
        if (buffered == 0)
        {
            _start = _end = 0;
        }

        bool tooSmall = needed > _buffer.Length;
        if (!tooSmall && _buffer.Length - _end >= MinFreeBytes && _buffer.Length - _start >= needed)
        {
            return;
        }

        byte[] target = tooSmall ? new byte[Math.Max(needed, _buffer.Length * 2)] : _buffer;
        _buffer.AsSpan(_start, buffered).CopyTo(target);
        _buffer = target;
        _start = 0;
        _end = buffered;
    }
}
