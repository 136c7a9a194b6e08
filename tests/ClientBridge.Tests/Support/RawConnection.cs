using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Pipes;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using ClientBridge.Protocol;
using ClientBridge.Protocol.Framing;

namespace ClientBridge.Tests.Support;

/// <summary>A bare pipe to the agent for sending exactly the bytes a test wants, well-formed or not.</summary>
internal sealed class RawConnection : IAsyncDisposable
{
    private readonly NamedPipeClientStream _pipe;
    private readonly FrameReader _reader;

    private RawConnection(NamedPipeClientStream pipe)
    {
        _pipe = pipe;
        _reader = new FrameReader(pipe);
    }

    public static async Task<RawConnection> ConnectAsync(BridgeEndpoint endpoint)
    {
        var pipe = new NamedPipeClientStream(".", endpoint.PipeName, PipeDirection.InOut, PipeOptions.Asynchronous | PipeOptions.CurrentUserOnly);
        await pipe.ConnectAsync(5000).ConfigureAwait(false);
        return new RawConnection(pipe);
    }

    public static byte[] Frame(byte[] payload)
    {
        var frame = new byte[4 + payload.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(frame, (uint)payload.Length);
        payload.CopyTo(frame, 4);
        return frame;
    }

    /// <summary>A JSON frame, as a client of protocol 1 sent them.</summary>
    public static byte[] Frame(string json) => Frame(Encoding.UTF8.GetBytes(json));

    public async Task SendAsync(byte[] bytes)
    {
        await _pipe.WriteAsync(bytes).ConfigureAwait(false);
        await _pipe.FlushAsync().ConfigureAwait(false);
    }

    public Task SendFrameAsync(byte[] payload) => SendAsync(Frame(payload));

    public async Task HelloAsync()
    {
        await SendFrameAsync(Pack.Hello()).ConfigureAwait(false);
        IncomingMessage? reply = await ReadAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        if (reply is not { Type: MessageType.Response, Error: null })
        {
            throw new InvalidOperationException("The agent did not welcome a valid hello.");
        }
    }

    /// <summary>The next frame's payload as it arrived, or null when the agent closed the connection.</summary>
    public async Task<byte[]?> ReadPayloadAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        ReadOnlyMemory<byte>? frame = await _reader.ReadFrameAsync(cts.Token).ConfigureAwait(false);
        return frame?.ToArray();
    }

    /// <summary>The next message, or null when the agent closed the connection.</summary>
    public async Task<IncomingMessage?> ReadAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            ReadOnlyMemory<byte>? frame = await _reader.ReadFrameAsync(cts.Token).ConfigureAwait(false);
            if (frame is null)
            {
                return null;
            }

            // Copy: the reader reuses its buffer, and the message outlives this call.
            return Envelope.Parse(frame.Value.ToArray());
        }
        catch (IOException)
        {
            return null;
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"Nothing arrived from the agent within {timeout.TotalSeconds} s.");
        }
    }

    /// <summary>Reads (and discards) until the agent hangs up; false when it has not within <paramref name="timeout"/>.</summary>
    public async Task<bool> IsClosedByAgentAsync(TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        try
        {
            while (DateTime.UtcNow < until)
            {
                if (await ReadAsync(until - DateTime.UtcNow).ConfigureAwait(false) is null)
                {
                    return true;
                }
            }
        }
        catch (TimeoutException)
        {
        }

        return false;
    }

    public async ValueTask DisposeAsync() => await _pipe.DisposeAsync().ConfigureAwait(false);
}
