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

        await outbox.SendAsync(MessageType.Request, 42, MessageKinds.ScheduleMeeting, request, BridgeJsonContext.Default.ScheduleMeetingRequest);
        stream.Position = 0;
        ReadOnlyMemory<byte>? frame = await new FrameReader(stream).ReadFrameAsync();
        IncomingMessage message = Envelope.Parse(frame!.Value);
        ScheduleMeetingRequest back = message.ReadBody(BridgeJsonContext.Default.ScheduleMeetingRequest);

        Assert.AreEqual((MessageType.Request, 42L, MessageKinds.ScheduleMeeting), (message.Type, message.Id, message.Kind));
        Assert.AreEqual(request.Topic, back.Topic);
        Assert.AreEqual(request.Start, back.Start);
        Assert.AreEqual(request.Start.Offset, back.Start.Offset, "The instant travels with its offset, never as a bare wall clock.");
        CollectionAssert.AreEqual(request.Recurrence.DaysOfWeek, back.Recurrence!.DaysOfWeek);
        StringAssert.Contains(Encoding.UTF8.GetString(frame.Value.Span), "\"Monday\"", "Enums travel as names.");
        StringAssert.Contains(Encoding.UTF8.GetString(frame.Value.Span), "Überblick 日本", "Text stays readable rather than escaped.");
    }

    [TestMethod]
    public void Unknown_fields_are_skipped_so_a_newer_peer_can_add_some()
    {
        IncomingMessage message = Parse("""{"future":{"a":[1,2]},"type":"request","id":3,"kind":"ping","body":{"data":"x","later":true},"trace":"t"}""");

        Assert.AreEqual("x", message.ReadBody(BridgeJsonContext.Default.Ping).Data);
    }

    [TestMethod]
    public void An_error_response_carries_its_code_and_sentence()
    {
        IncomingMessage message = Parse("""{"type":"response","id":7,"kind":"status","error":{"code":"not_available","message":"Not yet."}}""");

        Assert.AreEqual(ErrorCodes.NotAvailable, message.Error!.Code);
        Assert.AreEqual("Not yet.", message.Error.Message);
        Assert.IsTrue(message.Body.IsEmpty);
    }

    [TestMethod]
    public void A_stop_request_and_its_reply_round_trip_with_the_agents_process_id()
    {
        byte[] request = FrameOutbox.Encode(MessageType.Request, 4, MessageKinds.Stop, Empty.Instance, BridgeJsonContext.Default.Empty);
        byte[] reply = FrameOutbox.Encode(MessageType.Response, 4, MessageKinds.Stop, new StopReply { ProcessId = 4242 }, BridgeJsonContext.Default.StopReply);

        IncomingMessage asked = Envelope.Parse(request.AsMemory(BridgeProtocol.HeaderBytes));
        IncomingMessage answered = Envelope.Parse(reply.AsMemory(BridgeProtocol.HeaderBytes));

        Assert.AreEqual("agent.stop", asked.Kind);
        Assert.AreEqual(MessageType.Request, asked.Type);
        Assert.IsNotNull(asked.ReadBody(BridgeJsonContext.Default.Empty, Empty.Instance));
        Assert.AreEqual(4, answered.Id);
        Assert.AreEqual(4242, answered.ReadBody(BridgeJsonContext.Default.StopReply).ProcessId);
        StringAssert.Contains(Encoding.UTF8.GetString(reply), "\"processId\":4242");
    }

    [TestMethod]
    public void An_event_needs_no_id()
    {
        IncomingMessage message = Parse("""{"type":"event","kind":"calendar.changed","body":{"itemCount":2,"revision":9}}""");

        Assert.AreEqual(9, message.ReadBody(BridgeJsonContext.Default.CalendarChanged).Revision);
    }

    [TestMethod]
    [DataRow("""{"type":"request","id":1}""", ErrorCodes.InvalidEnvelope)]
    [DataRow("""{"type":"request","kind":"ping"}""", ErrorCodes.InvalidEnvelope)]
    [DataRow("""{"type":"request","id":1.5,"kind":"ping"}""", ErrorCodes.InvalidEnvelope)]
    [DataRow("""{"type":"request","id":"1","kind":"ping"}""", ErrorCodes.InvalidEnvelope)]
    [DataRow("""{"type":7,"id":1,"kind":"ping"}""", ErrorCodes.InvalidEnvelope)]
    [DataRow("""{"type":"request","id":1,"kind":"Ping"}""", ErrorCodes.InvalidEnvelope)]
    [DataRow("""{"type":"request","id":1,"kind":"ping"}x""", ErrorCodes.InvalidJson)]
    [DataRow("""{"type":"request",}""", ErrorCodes.InvalidJson)]
    [DataRow("\"just a string\"", ErrorCodes.InvalidEnvelope)]
    [DataRow("", ErrorCodes.InvalidJson)]
    public void Malformed_envelopes_are_refused_with_a_stable_code(string json, string code)
    {
        var error = Assert.ThrowsExactly<ProtocolViolationException>(() => Parse(json));

        Assert.AreEqual(code, error.Code, error.Message);
        Assert.IsFalse(error.IsFatal, "A whole frame with bad content leaves the framing intact.");
    }

    [TestMethod]
    public void Invalid_utf8_is_refused_even_where_json_would_not_look()
    {
        byte[] bytes = Encoding.UTF8.GetBytes("""{"type":"request","id":1,"kind":"ping","body":{"data":"ab"}}""");
        bytes[Array.IndexOf(bytes, (byte)'a')] = 0xFF;

        var error = Assert.ThrowsExactly<ProtocolViolationException>(() => Envelope.Parse(bytes));

        Assert.AreEqual(ErrorCodes.InvalidUtf8, error.Code);
    }

    [TestMethod]
    public void A_body_that_does_not_fit_names_the_field_but_not_its_value()
    {
        IncomingMessage message = Parse("""{"type":"request","id":1,"kind":"calendar.snapshot","body":{"items":[{"id":"a","start":"secret text"}]}}""");

        var error = Assert.ThrowsExactly<BridgeException>(() => message.ReadBody(BridgeJsonContext.Default.CalendarSnapshot));

        Assert.AreEqual(ErrorCodes.BadRequest, error.Code);
        StringAssert.Contains(error.Message, "start");
        Assert.DoesNotContain("secret text", error.Message);
    }

    [TestMethod]
    public void A_missing_body_is_allowed_only_where_a_default_exists()
    {
        IncomingMessage message = Parse("""{"type":"request","id":1,"kind":"status"}""");

        Assert.AreSame(Empty.Instance, message.ReadBody(BridgeJsonContext.Default.Empty, Empty.Instance));
        Assert.AreEqual(ErrorCodes.BadRequest, Assert.ThrowsExactly<BridgeException>(() => message.ReadBody(BridgeJsonContext.Default.Hello)).Code);
    }

    [TestMethod]
    public void An_outgoing_message_over_the_cap_is_refused_and_nothing_is_queued()
    {
        var stream = new MemoryStream();
        using var outbox = new FrameOutbox(stream, maxFrameBytes: 256);

        var error = Assert.ThrowsExactly<BridgeException>(() => outbox.Enqueue(MessageType.Request, 1, MessageKinds.Ping, new Ping { Data = new string('x', 300) }, BridgeJsonContext.Default.Ping));
        outbox.Enqueue(MessageType.Request, 2, MessageKinds.Ping, new Ping { Data = "small" }, BridgeJsonContext.Default.Ping);
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
        outbox.Enqueue(MessageType.Event, 0, MessageKinds.CalendarChangedEvent, new CalendarChanged(), BridgeJsonContext.Default.CalendarChanged);
        _ = outbox.FlushAsync(); // The write never completes, so everything after it waits.

        var error = Assert.ThrowsExactly<BridgeException>(() =>
        {
            for (int i = 0; i < 10_000; i++)
            {
                outbox.Enqueue(MessageType.Event, 0, MessageKinds.CalendarChangedEvent, new CalendarChanged { Revision = i }, BridgeJsonContext.Default.CalendarChanged);
            }
        });

        Assert.AreEqual(ErrorCodes.Disconnected, error.Code);
        StringAssert.Contains(error.Message, "stopped reading");
    }

    private static IncomingMessage Parse(string json) => Envelope.Parse(Encoding.UTF8.GetBytes(json));

    private sealed class NeverWritesStream : MemoryStream
    {
        public override Task WriteAsync(byte[] buffer, int offset, int count, System.Threading.CancellationToken cancellationToken) =>
            Task.Delay(System.Threading.Timeout.Infinite, cancellationToken);
    }
}
