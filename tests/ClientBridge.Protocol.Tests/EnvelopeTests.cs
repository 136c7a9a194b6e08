using System;
using System.IO;
using System.Text;
using System.Threading.Tasks;
using ClientBridge.Protocol;
using ClientBridge.Protocol.Framing;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace ClientBridge.Protocol.Tests;

[TestClass]
public sealed class EnvelopeTests
{
    [TestMethod]
    public async Task What_the_outbox_writes_the_parser_reads_back()
    {
        var stream = new MemoryStream();
        using var outbox = new FrameOutbox(stream);
        var request = new ScheduleMeetingRequest
        {
            RequestId = "6f1c",
            AppointmentId = "AAMk",
            Topic = "Planung Q3 – Überblick 日本",
            Start = new DateTimeOffset(2026, 3, 29, 1, 30, 0, TimeSpan.FromHours(1)),
            DurationMinutes = 45,
            TimeZoneId = "W. Europe Standard Time",
            Recurrence = new Recurrence { Pattern = "weekly", DaysOfWeek = [DayOfWeek.Monday, DayOfWeek.Thursday], Occurrences = 10 },
        };

        await outbox.SendAsync(MessageType.Request, 42, MessageKinds.ScheduleMeeting, request, BridgeWire.Default.ScheduleMeetingRequest);
        stream.Position = 0;
        ReadOnlyMemory<byte>? frame = await new FrameReader(stream).ReadFrameAsync();
        IncomingMessage message = Envelope.Parse(frame!.Value);
        ScheduleMeetingRequest back = message.ReadBody(BridgeWire.Default.ScheduleMeetingRequest);

        Assert.AreEqual((MessageType.Request, 42L, MessageKinds.ScheduleMeeting), (message.Type, message.Id, message.Kind));
        Assert.AreEqual(request.Topic, back.Topic);
        Assert.AreEqual(request.Start, back.Start);
        Assert.AreEqual(request.Start.Offset, back.Start.Offset, "The instant travels with its offset, never as a bare wall clock.");
        CollectionAssert.AreEqual(request.Recurrence.DaysOfWeek, back.Recurrence!.DaysOfWeek);
        Assert.AreEqual(request.Recurrence.Occurrences, back.Recurrence.Occurrences);
        Assert.IsNull(back.ScheduleFor, "A nil stays null.");
        StringAssert.Contains(Encoding.UTF8.GetString(frame.Value.Span), "Überblick 日本", "Strings travel as UTF-8, never escaped.");
    }

    [TestMethod]
    public void Elements_a_newer_peer_appends_are_skipped()
    {
        // [request, 3, "ping", ["x", true, {"a":[1,2]}], nil, "trace"]: a body member and an envelope element this build does not know.
        IncomingMessage message = Envelope.Parse(Convert.FromHexString("96" + "00" + "03" + "a470696e67" + "93a178c381a1619201" + "02" + "c0" + "a57472616365"));

        Assert.AreEqual("x", message.ReadBody(BridgeWire.Default.Ping).Data);
    }

    [TestMethod]
    public void An_error_response_carries_its_code_and_sentence()
    {
        var stream = new MemoryStream();
        using (var outbox = new FrameOutbox(stream))
        {
            outbox.SendErrorAsync(MessageType.Response, 7, MessageKinds.Status, new BridgeError { Code = ErrorCodes.NotAvailable, Message = "Not yet." }).GetAwaiter().GetResult();
        }

        IncomingMessage message = Envelope.Parse(stream.ToArray().AsMemory(BridgeProtocol.HeaderBytes));

        Assert.AreEqual(ErrorCodes.NotAvailable, message.Error!.Code);
        Assert.AreEqual("Not yet.", message.Error.Message);
        Assert.IsTrue(message.Body.IsEmpty);
    }

    [TestMethod]
    public void A_stop_request_and_its_reply_round_trip_with_the_agents_process_id()
    {
        byte[] request = FrameOutbox.Encode(MessageType.Request, 4, MessageKinds.Stop, Empty.Instance, BridgeWire.Default.Empty);
        byte[] reply = FrameOutbox.Encode(MessageType.Response, 4, MessageKinds.Stop, new StopReply { ProcessId = 4242 }, BridgeWire.Default.StopReply);

        IncomingMessage asked = Envelope.Parse(request.AsMemory(BridgeProtocol.HeaderBytes));
        IncomingMessage answered = Envelope.Parse(reply.AsMemory(BridgeProtocol.HeaderBytes));

        Assert.AreEqual("agent.stop", asked.Kind);
        Assert.AreEqual(MessageType.Request, asked.Type);
        Assert.IsNotNull(asked.ReadBody(BridgeWire.Default.Empty, Empty.Instance));
        Assert.AreEqual(4, answered.Id);
        Assert.AreEqual(4242, answered.ReadBody(BridgeWire.Default.StopReply).ProcessId);
        Assert.AreEqual(4 + 18, reply.Length, "[1, 4, \"agent.stop\", [4242]]: 18 bytes where protocol 1's JSON took 71.");
    }

    [TestMethod]
    public void An_event_needs_no_id()
    {
        // [event, 0, "calendar.changed", [2, 9]]
        IncomingMessage message = Envelope.Parse(Convert.FromHexString("94" + "02" + "00" + "b0" + Convert.ToHexString(Encoding.ASCII.GetBytes("calendar.changed")) + "920209"));

        Assert.AreEqual(9, message.ReadBody(BridgeWire.Default.CalendarChanged).Revision);
    }

    [TestMethod]
    [DataRow("920001", ErrorCodes.InvalidEnvelope, DisplayName = "no kind")]
    [DataRow("9300c0a470696e67", ErrorCodes.InvalidEnvelope, DisplayName = "no id")]
    [DataRow("9300cb3ff8000000000000a470696e67", ErrorCodes.InvalidEnvelope, DisplayName = "an id of 1.5")]
    [DataRow("9300a131a470696e67", ErrorCodes.InvalidEnvelope, DisplayName = "an id as a string")]
    [DataRow("9300ffa470696e67", ErrorCodes.InvalidEnvelope, DisplayName = "a negative id")]
    [DataRow("930701a470696e67", ErrorCodes.InvalidEnvelope, DisplayName = "type 7")]
    [DataRow("930001a450696e67", ErrorCodes.InvalidEnvelope, DisplayName = "kind 'Ping'")]
    [DataRow("93000101", ErrorCodes.InvalidEnvelope, DisplayName = "kind as a number")]
    [DataRow("940001a470696e67c0a3616263", ErrorCodes.InvalidMessagePack, DisplayName = "a second value after the envelope")]
    [DataRow("9400", ErrorCodes.InvalidMessagePack, DisplayName = "an array of 4 holding 1")]
    [DataRow("950001a470696e67c0a3616263", ErrorCodes.InvalidEnvelope, DisplayName = "an error that is a string")]
    [DataRow("a3616263", ErrorCodes.InvalidEnvelope, DisplayName = "just a string")]
    [DataRow("81a474797065a772657175657374", ErrorCodes.InvalidEnvelope, DisplayName = "a map instead of an array")]
    [DataRow("", ErrorCodes.InvalidMessagePack, DisplayName = "nothing")]
    [DataRow("c1", ErrorCodes.InvalidMessagePack, DisplayName = "the byte MessagePack never uses")]
    public void Malformed_envelopes_are_refused_with_a_stable_code(string hex, string code)
    {
        var error = Assert.ThrowsExactly<ProtocolViolationException>(() => Envelope.Parse(Convert.FromHexString(hex)));

        Assert.AreEqual(code, error.Code, error.Message);
        Assert.IsFalse(error.IsFatal, "A whole frame with bad content leaves the framing intact.");
    }

    [TestMethod]
    public void Invalid_utf8_in_any_string_is_refused_even_one_nobody_reads()
    {
        // [request, 1, "ping", [nil, "a\xFF"]]: the second body member is unknown to this build, and still checked.
        var error = Assert.ThrowsExactly<ProtocolViolationException>(() => Envelope.Parse(Convert.FromHexString("940001a470696e6792c0a261ff")));

        Assert.AreEqual(ErrorCodes.InvalidUtf8, error.Code);
    }

    [TestMethod]
    public void A_json_frame_from_a_protocol_1_peer_is_a_version_mismatch_with_a_sentence()
    {
        var error = Assert.ThrowsExactly<ProtocolViolationException>(() => Envelope.Parse(Encoding.UTF8.GetBytes("""{"type":"request","id":1,"kind":"hello"}""")));

        Assert.AreEqual(ErrorCodes.VersionMismatch, error.Code);
        Assert.IsTrue(error.PeerSpeaksJson && error.IsFatal);
        StringAssert.Contains(error.Message, "protocol 1 (JSON)");
        byte[] answer = LegacyJson.EncodeError(error.ToError());
        using var json = System.Text.Json.JsonDocument.Parse(answer.AsMemory(BridgeProtocol.HeaderBytes));
        Assert.AreEqual(ErrorCodes.VersionMismatch, json.RootElement.GetProperty("error").GetProperty("code").GetString(), "A protocol-1 peer reads the answer as it reads any error.");
        Assert.AreEqual(answer.Length - BridgeProtocol.HeaderBytes, (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(answer));
    }

    [TestMethod]
    [DataRow("dd80000000", DisplayName = "array of 2^31")]
    [DataRow("dd7fffffff", DisplayName = "array of 2^31-1")]
    [DataRow("dfffffffff", DisplayName = "map of 2^32-1 pairs")]
    [DataRow("dbffffffff", DisplayName = "string of 4 GiB")]
    [DataRow("c6ffffffff", DisplayName = "binary of 4 GiB")]
    public void A_declared_length_far_beyond_a_small_frame_allocates_nothing_for_it(string header)
    {
        // [request, 1, "calendar.snapshot", [[0,0],[0,0], <header> …]]: the items list claims billions of entries in a 40-byte frame.
        byte[] frame = Convert.FromHexString("940001b1" + Convert.ToHexString(Encoding.ASCII.GetBytes("calendar.snapshot")) + "93920000920000" + header + "c0");
        _ = Assert.ThrowsExactly<ProtocolViolationException>(() => Envelope.Parse(frame)); // Warm up: the first exception loads its resources.

        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.ThrowsExactly<ProtocolViolationException>(() => Envelope.Parse(frame));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.AreEqual(ErrorCodes.InvalidMessagePack, error.Code);
        Assert.IsLessThan(64 * 1024, allocated, $"{allocated} bytes allocated for a {frame.Length}-byte frame.");
    }

    [TestMethod]
    public void A_formatter_handed_a_lying_list_length_directly_allocates_only_what_arrives()
    {
        // Past the scanner: the generated list reader must not trust a count either. [[0,0],[0,0], array of 2^31-1 …]
        byte[] body = Convert.FromHexString("93920000920000dd7fffffffc0");
        var message = new IncomingMessage(MessageType.Request, 1, MessageKinds.CalendarSnapshot, body, null);
        _ = Assert.ThrowsExactly<BridgeException>(() => message.ReadBody(BridgeWire.Default.CalendarSnapshot));

        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.ThrowsExactly<BridgeException>(() => message.ReadBody(BridgeWire.Default.CalendarSnapshot));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.AreEqual(ErrorCodes.BadRequest, error.Code);
        Assert.IsLessThan(64 * 1024, allocated, $"{allocated} bytes allocated.");
    }

    [TestMethod]
    public void Nesting_deeper_than_the_limit_is_refused_without_recursion()
    {
        byte[] deep = new byte[8 + 1_000_000 + 1];
        Convert.FromHexString("940001a470696e67").CopyTo(deep, 0); // [request, 1, "ping"… then the body:
        deep.AsSpan(8, 1_000_000).Fill(0x91); // a million arrays, each holding the next
        deep[^1] = 0xC0;

        var error = Assert.ThrowsExactly<ProtocolViolationException>(() => Envelope.Parse(deep));

        Assert.AreEqual(ErrorCodes.InvalidMessagePack, error.Code);
        StringAssert.Contains(error.Message, $"deeper than {BridgeProtocol.MaxNestingDepth}");
    }

    [TestMethod]
    public void A_body_that_does_not_fit_names_the_kind_but_not_the_value()
    {
        // ["secret text" where a time goes, [0, 0], []]
        byte[] body = Convert.FromHexString("93ab" + Convert.ToHexString(Encoding.ASCII.GetBytes("secret text")) + "92000090");
        var message = new IncomingMessage(MessageType.Request, 1, MessageKinds.CalendarSnapshot, body, null);

        var error = Assert.ThrowsExactly<BridgeException>(() => message.ReadBody(BridgeWire.Default.CalendarSnapshot));

        Assert.AreEqual(ErrorCodes.BadRequest, error.Code);
        StringAssert.Contains(error.Message, MessageKinds.CalendarSnapshot);
        Assert.DoesNotContain("secret text", error.Message);
    }

    [TestMethod]
    public void A_missing_body_is_allowed_only_where_a_default_exists()
    {
        IncomingMessage message = Envelope.Parse(Convert.FromHexString("940001a6" + Convert.ToHexString(Encoding.ASCII.GetBytes("status")) + "c0"));

        Assert.AreSame(Empty.Instance, message.ReadBody(BridgeWire.Default.Empty, Empty.Instance));
        Assert.AreEqual(ErrorCodes.BadRequest, Assert.ThrowsExactly<BridgeException>(() => message.ReadBody(BridgeWire.Default.Hello)).Code);
    }

    [TestMethod]
    public void An_outgoing_message_over_the_cap_is_refused_and_nothing_is_queued()
    {
        var stream = new MemoryStream();
        using var outbox = new FrameOutbox(stream, maxFrameBytes: 256);

        var error = Assert.ThrowsExactly<BridgeException>(() => outbox.Enqueue(MessageType.Request, 1, MessageKinds.Ping, new Ping { Data = new string('x', 300) }, BridgeWire.Default.Ping));
        outbox.Enqueue(MessageType.Request, 2, MessageKinds.Ping, new Ping { Data = "small" }, BridgeWire.Default.Ping);
        outbox.FlushAsync().GetAwaiter().GetResult();

        Assert.AreEqual(ErrorCodes.FrameTooLarge, error.Code);
        stream.Position = 0;
        IncomingMessage only = Envelope.Parse(new FrameReader(stream).ReadFrameAsync().AsTask().Result!.Value.ToArray());
        Assert.AreEqual(2, only.Id);
        Assert.AreEqual(stream.Length, stream.Position, "Only the small message was written.");
    }

    [TestMethod]
    public void A_peer_that_stops_reading_is_cut_off_instead_of_filling_memory()
    {
        using var outbox = new FrameOutbox(new NeverWritesStream(), maxFrameBytes: 1024, maxPendingBytes: 8 * 1024);
        outbox.Enqueue(MessageType.Event, 0, MessageKinds.CalendarChangedEvent, new CalendarChanged(), BridgeWire.Default.CalendarChanged);
        _ = outbox.FlushAsync(); // The write never completes, so everything after it waits.

        var error = Assert.ThrowsExactly<BridgeException>(() =>
        {
            for (int i = 0; i < 10_000; i++)
            {
                outbox.Enqueue(MessageType.Event, 0, MessageKinds.CalendarChangedEvent, new CalendarChanged { Revision = i }, BridgeWire.Default.CalendarChanged);
            }
        });

        Assert.AreEqual(ErrorCodes.Disconnected, error.Code);
        StringAssert.Contains(error.Message, "stopped reading");
    }

    private sealed class NeverWritesStream : MemoryStream
    {
        public override Task WriteAsync(byte[] buffer, int offset, int count, System.Threading.CancellationToken cancellationToken) =>
            Task.Delay(System.Threading.Timeout.Infinite, cancellationToken);
    }
}
