using System;
using System.Buffers.Binary;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace ClientBridge.Protocol.Framing;

/// <summary>
/// Splits a byte stream into length-prefixed frames. Reads in large chunks so that many small pipelined
/// frames cost one system call, and refuses a length over the cap before buffering any of its payload.
/// </summary>
/// <remarks>Not thread-safe: one reader loop per connection.</remarks>
public sealed class FrameReader
{
    // Small to start with, because an idle connection (the add-in's, all day) should cost little; it grows for big frames.
    private const int MinBufferBytes = 8 * 1024;

    private readonly Stream _stream;
    private readonly int _maxFrameBytes;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private long _partialSince;

    public FrameReader(Stream stream, int maxFrameBytes = BridgeProtocol.MaxFrameBytes)
    {
        if (maxFrameBytes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxFrameBytes));
        }

        _stream = stream ?? throw new ArgumentNullException(nameof(stream));
        _maxFrameBytes = maxFrameBytes;
        _buffer = new byte[MinBufferBytes];
    }

    /// <summary>
    /// How long the frame now being received has been incomplete, or <see cref="TimeSpan.Zero"/> between frames.
    /// Read from another thread by the server's watchdog, which drops peers that start a frame and never finish it.
    /// </summary>
    public TimeSpan PartialFrameAge
    {
        get
        {
            long since = Volatile.Read(ref _partialSince);
            return since == 0 ? TimeSpan.Zero : TimeSpan.FromSeconds((Stopwatch.GetTimestamp() - since) / (double)Stopwatch.Frequency);
        }
    }

    /// <summary>
    /// Returns the next frame's payload, or <c>null</c> when the peer closed the stream between frames.
    /// The memory is valid only until the next call.
    /// </summary>
    /// <exception cref="ProtocolViolationException">A length over the cap, a zero length, or the stream ending inside a frame.</exception>
    public async ValueTask<ReadOnlyMemory<byte>?> ReadFrameAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (TryTakeFrame(out ReadOnlyMemory<byte> payload, out int needed))
            {
                return payload;
            }

            MakeRoomFor(needed);
            int read = await _stream.ReadAsync(_buffer, _end, _buffer.Length - _end, cancellationToken).ConfigureAwait(false);
            if (!Received(read))
            {
                return null;
            }
        }
    }

    /// <summary>
    /// <see cref="ReadFrameAsync"/> blocking the calling thread: for a reader with a thread of its own, which the
    /// kernel wakes itself when bytes arrive, with no hand-off through the socket engine's thread and the pool.
    /// Closing the stream ends the wait.
    /// </summary>
    public ReadOnlyMemory<byte>? ReadFrame()
    {
        while (true)
        {
            if (TryTakeFrame(out ReadOnlyMemory<byte> payload, out int needed))
            {
                return payload;
            }

            MakeRoomFor(needed);
            int read = _stream.Read(_buffer, _end, _buffer.Length - _end);
            if (!Received(read))
            {
                return null;
            }
        }
    }

    /// <summary>
    /// Takes in <paramref name="read"/> bytes just read into the buffer; false when the stream ended between frames.
    /// </summary>
    /// <exception cref="ProtocolViolationException">The stream ended inside a frame.</exception>
    private bool Received(int read)
    {
        if (read == 0)
        {
            if (_end == _start)
            {
                return false;
            }

            throw new ProtocolViolationException(ErrorCodes.InvalidEnvelope, "The connection closed in the middle of a frame.", fatal: true);
        }

        if (_end == _start)
        {
            Volatile.Write(ref _partialSince, Stopwatch.GetTimestamp());
        }

        _end += read;
        return true;
    }

    /// <summary>
    /// Returns the next frame only when it has already arrived in full; never waits. Lets a reader answer
    /// every frame of one read before writing, so that replies to pipelined requests share a write.
    /// </summary>
    public bool TryReadBufferedFrame(out ReadOnlyMemory<byte> payload) => TryTakeFrame(out payload, out _);

    private bool TryTakeFrame(out ReadOnlyMemory<byte> payload, out int needed)
    {
        payload = default;
        int available = _end - _start;
        if (available < BridgeProtocol.HeaderBytes)
        {
            needed = MinBufferBytes;
            return false;
        }

        uint declared = BinaryPrimitives.ReadUInt32LittleEndian(_buffer.AsSpan(_start, BridgeProtocol.HeaderBytes));
        if (declared == 0 || declared > (uint)_maxFrameBytes)
        {
            throw new ProtocolViolationException(
                declared == 0 ? ErrorCodes.InvalidEnvelope : ErrorCodes.FrameTooLarge,
                declared == 0
                    ? "A frame declared an empty payload."
                    : $"A frame declared {declared} bytes; the limit is {_maxFrameBytes}.",
                fatal: true);
        }

        needed = BridgeProtocol.HeaderBytes + (int)declared;
        if (available < needed)
        {
            return false;
        }

        payload = new ReadOnlyMemory<byte>(_buffer, _start + BridgeProtocol.HeaderBytes, (int)declared);
        _start += needed;
        Volatile.Write(ref _partialSince, _start == _end ? 0 : Stopwatch.GetTimestamp());
        return true;
    }

    /// <summary>Ensures the buffer can hold <paramref name="bytes"/> from the current start, compacting or growing it.</summary>
    private void MakeRoomFor(int bytes)
    {
        int available = _end - _start;
        if (_buffer.Length - _start >= bytes && _end < _buffer.Length)
        {
            return;
        }

        byte[] target = _buffer;
        if (bytes > _buffer.Length)
        {
            // Grow in steps so that a large snapshot is not copied once per read.
            int size = _buffer.Length;
            while (size < bytes)
            {
                size = Math.Min(size * 2, BridgeProtocol.HeaderBytes + _maxFrameBytes);
            }

            target = new byte[size];
        }
        else if (bytes <= MinBufferBytes && _buffer.Length > MinBufferBytes * 4 && available < MinBufferBytes)
        {
            // Give a large buffer back once the big frame that needed it has gone.
            target = new byte[MinBufferBytes];
        }

        Buffer.BlockCopy(_buffer, _start, target, 0, available);
        _buffer = target;
        _start = 0;
        _end = available;
    }
}
