using System;
using System.Buffers.Binary;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using MessagePack;
using MessagePack.Formatters;

namespace ClientBridge.Protocol.Framing;

/// <summary>
/// The sending half of a connection. Any thread may enqueue; frames enqueued while a write is in flight go
/// out together in the next write, so pipelined traffic costs one system call per batch rather than per frame.
/// A peer that stops reading is cut off once its unsent bytes pass a limit, instead of growing memory without end.
/// </summary>
public sealed class FrameOutbox : IDisposable
{
    // Start small (most connections send little) and shrink back here after a large message grew a buffer.
    private const int InitialBufferBytes = 4 * 1024;
    private const int SteadyBufferBytes = 64 * 1024;

    private readonly object _gate = new();
    private readonly Stream _stream;
    private readonly int _maxFrameBytes;
    private readonly int _maxPendingBytes;
    private GrowableBuffer _pending = new(InitialBufferBytes);
    private GrowableBuffer _spare = new(InitialBufferBytes);
    private bool _flushing;
    private bool _flushScheduled;
    private Exception? _failure;

    public FrameOutbox(Stream stream, int maxFrameBytes = BridgeProtocol.MaxFrameBytes, int maxPendingBytes = 4 * BridgeProtocol.MaxFrameBytes)
    {
        _stream = stream ?? throw new ArgumentNullException(nameof(stream));
        _maxFrameBytes = maxFrameBytes;
        _maxPendingBytes = Math.Max(maxPendingBytes, maxFrameBytes + BridgeProtocol.HeaderBytes);
    }

    /// <summary>Refuses further frames; the stream itself belongs to the connection.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _failure ??= new BridgeException(ErrorCodes.Disconnected, "The connection is closed.");
        }
    }

    /// <summary>Encodes one framed message for fan-out with <see cref="EnqueueEncoded"/>; events are serialized once for all subscribers.</summary>
    public static byte[] Encode<T>(MessageType type, long id, string? kind, T body, IMessagePackFormatter<T>? formatter, int maxFrameBytes = BridgeProtocol.MaxFrameBytes)
    {
        var buffer = new GrowableBuffer(1024);
        AppendFrame(buffer, type, id, kind, body, formatter, null, maxFrameBytes);
        var frame = new byte[buffer.Count];
        Buffer.BlockCopy(buffer.Array, 0, frame, 0, buffer.Count);
        return frame;
    }

    /// <summary>Adds a message to the next write without starting it.</summary>
    /// <exception cref="BridgeException"><see cref="ErrorCodes.FrameTooLarge"/> for a message over the cap (nothing is queued);
    /// <see cref="ErrorCodes.Disconnected"/> once the connection has failed or the peer has stopped reading.</exception>
    public void Enqueue<T>(MessageType type, long id, string? kind, T body, IMessagePackFormatter<T>? formatter) =>
        EnqueueCore(type, id, kind, body, formatter, null);

    public void EnqueueError(MessageType type, long id, string? kind, BridgeError error) =>
        EnqueueCore<object?>(type, id, kind, null, null, error ?? throw new ArgumentNullException(nameof(error)));

    public void EnqueueEncoded(byte[] frame)
    {
        lock (_gate)
        {
            ThrowIfFailed();
            _pending.Write(frame);
            CheckBacklog();
        }
    }

    /// <summary>
    /// Writes everything queued. When another caller's write is already in flight, that writer carries
    /// this caller's frames too and this returns at once; a failure then surfaces as a closed connection.
    /// </summary>
    public Task FlushAsync()
    {
        lock (_gate)
        {
            ThrowIfFailed();
            if (_flushing || _pending.Count == 0)
            {
                return Task.CompletedTask;
            }

            _flushing = true;
        }

        return WriteBatchesAsync();
    }

    /// <summary>
    /// <see cref="FlushAsync"/> blocking the calling thread, for a connection's own reader thread: a write that
    /// completes at once costs no task, and no asynchronous operation puts a Unix socket into non-blocking mode for
    /// good (its blocking reads would then wait through the socket engine's thread).
    /// </summary>
    public void Flush()
    {
        lock (_gate)
        {
            ThrowIfFailed();
            if (_flushing || _pending.Count == 0)
            {
                return;
            }

            _flushing = true;
        }

        while (true)
        {
            if (!TryTakeBatch(out GrowableBuffer batch))
            {
                return;
            }

            try
            {
                _stream.Write(batch.Array, 0, batch.Count);
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
            {
                throw WriteFailed(ex);
            }

            batch.Clear(SteadyBufferBytes);
        }
    }

    /// <summary>
    /// Writes what is queued soon, on a pool thread, instead of now. Callers issuing many messages at once use
    /// this so that their messages share one write; a caller with a lone message should flush directly, for latency.
    /// </summary>
    public void ScheduleFlush()
    {
        lock (_gate)
        {
            if (_flushing || _flushScheduled || _failure is not null || _pending.Count == 0)
            {
                return;
            }

            _flushScheduled = true;
        }

        ThreadPool.UnsafeQueueUserWorkItem(static state => ((FrameOutbox)state!).RunScheduledFlush(), this);
    }

    public Task SendAsync<T>(MessageType type, long id, string? kind, T body, IMessagePackFormatter<T>? formatter)
    {
        Enqueue(type, id, kind, body, formatter);
        return FlushAsync();
    }

    public Task SendErrorAsync(MessageType type, long id, string? kind, BridgeError error)
    {
        EnqueueError(type, id, kind, error);
        return FlushAsync();
    }

    private static void AppendFrame<T>(GrowableBuffer buffer, MessageType type, long id, string? kind, T body, IMessagePackFormatter<T>? formatter, BridgeError? error, int maxFrameBytes)
    {
        int headerAt = buffer.Count;
        buffer.GetSpan(BridgeProtocol.HeaderBytes);
        buffer.Advance(BridgeProtocol.HeaderBytes);
        try
        {
            var writer = new MessagePackWriter(buffer);
            Envelope.Write(ref writer, type, id, kind, body, formatter, error);
            writer.Flush();
        }
        catch
        {
            buffer.Truncate(headerAt);
            throw;
        }

        int length = buffer.Count - headerAt - BridgeProtocol.HeaderBytes;
        if (length > maxFrameBytes)
        {
            buffer.Truncate(headerAt);
            throw new BridgeException(ErrorCodes.FrameTooLarge, $"A '{kind}' message needs {length} bytes; the limit is {maxFrameBytes}.");
        }

        BinaryPrimitives.WriteUInt32LittleEndian(buffer.Array.AsSpan(headerAt, BridgeProtocol.HeaderBytes), (uint)length);
    }

    private void RunScheduledFlush()
    {
        lock (_gate)
        {
            _flushScheduled = false;
        }

        try
        {
            // A failure closes the connection, which fails the waiting requests; nothing else waits on this task.
            _ = FlushAsync().ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        catch (BridgeException)
        {
        }
    }

    private void EnqueueCore<T>(MessageType type, long id, string? kind, T body, IMessagePackFormatter<T>? formatter, BridgeError? error)
    {
        lock (_gate)
        {
            ThrowIfFailed();
            AppendFrame(_pending, type, id, kind, body, formatter, error, _maxFrameBytes);
            CheckBacklog();
        }
    }

    private void CheckBacklog()
    {
        if (_pending.Count > _maxPendingBytes)
        {
            _failure = new BridgeException(ErrorCodes.Disconnected, $"The peer stopped reading; more than {_maxPendingBytes} bytes were waiting for it.");
            _pending.Clear(SteadyBufferBytes);
            throw _failure;
        }
    }

    /// <summary>Swaps the pending frames out for writing; false (and the flush over) when none wait or the outbox failed.</summary>
    private bool TryTakeBatch(out GrowableBuffer batch)
    {
        lock (_gate)
        {
            if (_pending.Count == 0 || _failure is not null)
            {
                _flushing = false;
                batch = _spare;
                return false;
            }

            batch = _pending;
            _pending = _spare;
            _spare = batch;
            return true;
        }
    }

    /// <summary>The outbox's failure once a write failed: every later send and flush throws it.</summary>
    private Exception WriteFailed(Exception ex)
    {
        lock (_gate)
        {
            _failure ??= new BridgeException(ErrorCodes.Disconnected, "The connection closed while sending.", ex);
            _flushing = false;
            return _failure;
        }
    }

    private void ThrowIfFailed()
    {
        if (_failure is not null)
        {
            throw _failure as BridgeException ?? new BridgeException(ErrorCodes.Disconnected, "The connection is closed.", _failure);
        }
    }

    private async Task WriteBatchesAsync()
    {
        while (true)
        {
            if (!TryTakeBatch(out GrowableBuffer batch))
            {
                return;
            }

            try
            {
                await _stream.WriteAsync(batch.Array, 0, batch.Count).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
            {
                throw WriteFailed(ex);
            }

            batch.Clear(SteadyBufferBytes);
        }
    }
}
