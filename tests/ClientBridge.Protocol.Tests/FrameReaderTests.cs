using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using ClientBridge.Protocol;
using ClientBridge.Protocol.Framing;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace ClientBridge.Protocol.Tests;

[TestClass]
public sealed class FrameReaderTests
{
    [TestMethod]
    public async Task Frames_arriving_a_byte_at_a_time_are_reassembled()
    {
        byte[] stream = Concat(Frame("first"), Frame("second"));
        var reader = new FrameReader(new TrickleStream(stream, chunk: 1));

        Assert.AreEqual("first", Text(await reader.ReadFrameAsync()));
        Assert.AreEqual("second", Text(await reader.ReadFrameAsync()));
        Assert.IsNull(await reader.ReadFrameAsync());
    }

    [TestMethod]
    public async Task Many_frames_in_one_read_come_out_without_further_reads()
    {
        byte[] stream = Concat(Enumerable.Range(0, 50).Select(i => Frame($"f{i}")).ToArray());
        var source = new TrickleStream(stream, chunk: stream.Length);
        var reader = new FrameReader(source);

        Assert.AreEqual("f0", Text(await reader.ReadFrameAsync()));
        int buffered = 1;
        while (reader.TryReadBufferedFrame(out ReadOnlyMemory<byte> frame))
        {
            Assert.AreEqual($"f{buffered++}", Encoding.UTF8.GetString(frame.Span));
        }

        Assert.AreEqual(50, buffered);
        Assert.AreEqual(1, source.Reads);
    }

    [TestMethod]
    public async Task A_frame_larger_than_the_buffer_grows_it_and_arrives_whole()
    {
        string big = new('x', 200_000);
        var reader = new FrameReader(new TrickleStream(Concat(Frame(big), Frame("after")), chunk: 7_000));

        Assert.AreEqual(big, Text(await reader.ReadFrameAsync()));
        Assert.AreEqual("after", Text(await reader.ReadFrameAsync()));
    }

    [TestMethod]
    public async Task A_length_over_the_cap_is_refused_from_the_header_alone()
    {
        var header = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 1025);
        var reader = new FrameReader(new MemoryStream(header), maxFrameBytes: 1024);

        var error = await Assert.ThrowsExactlyAsync<ProtocolViolationException>(async () => await reader.ReadFrameAsync());

        Assert.AreEqual(ErrorCodes.FrameTooLarge, error.Code);
        Assert.IsTrue(error.IsFatal);
    }

    [TestMethod]
    public async Task A_frame_cut_off_by_the_end_of_the_stream_is_an_error_not_a_frame()
    {
        byte[] frame = Frame("complete frame");
        var reader = new FrameReader(new MemoryStream(frame[..^3]));

        var error = await Assert.ThrowsExactlyAsync<ProtocolViolationException>(async () => await reader.ReadFrameAsync());

        Assert.IsTrue(error.IsFatal);
        StringAssert.Contains(error.Message, "middle of a frame");
    }

    [TestMethod]
    public async Task A_zero_length_frame_is_refused()
    {
        var reader = new FrameReader(new MemoryStream(new byte[4]));

        var error = await Assert.ThrowsExactlyAsync<ProtocolViolationException>(async () => await reader.ReadFrameAsync());

        Assert.IsTrue(error.IsFatal);
    }

    [TestMethod]
    public async Task The_age_of_an_unfinished_frame_is_visible_to_a_watchdog()
    {
        byte[] frame = Frame("never finished");
        var source = new StallingStream(frame[..6]);
        var reader = new FrameReader(source);
        Assert.AreEqual(TimeSpan.Zero, reader.PartialFrameAge);

        ValueTask<ReadOnlyMemory<byte>?> pending = reader.ReadFrameAsync(source.Cancel.Token);
        await Task.Delay(60);

        Assert.IsGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(50), reader.PartialFrameAge);
        await source.Cancel.CancelAsync();
        await Assert.ThrowsAsync<OperationCanceledException>(async () => await pending);
    }

    internal static byte[] Frame(string text)
    {
        byte[] payload = Encoding.UTF8.GetBytes(text);
        var frame = new byte[4 + payload.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(frame, (uint)payload.Length);
        payload.CopyTo(frame, 4);
        return frame;
    }

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    private static string Text(ReadOnlyMemory<byte>? frame) => frame is { } f ? Encoding.UTF8.GetString(f.Span) : "<end>";

    /// <summary>Hands out at most <c>chunk</c> bytes per read, as a pipe under load does.</summary>
    private sealed class TrickleStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public int Reads { get; private set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            Reads++;
            return base.Read(buffer, offset, Math.Min(count, chunk));
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer, offset, count));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Reads++;
            return base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
        }
    }

    /// <summary>Gives some bytes, then waits forever (until cancelled): a peer that stopped mid-frame.</summary>
    private sealed class StallingStream(byte[] first) : Stream
    {
        private bool _gave;

        public CancellationTokenSource Cancel { get; } = new();

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            if (!_gave)
            {
                _gave = true;
                first.CopyTo(buffer, offset);
                return first.Length;
            }

            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
