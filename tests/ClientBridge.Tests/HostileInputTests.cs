using System;
using System.Buffers.Binary;
using System.Text;
using System.Threading.Tasks;
using ClientBridge.Protocol;
using ClientBridge.Protocol.Client;
using ClientBridge.Protocol.Framing;
using ClientBridge.Server;
using ClientBridge.Tests.Support;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace ClientBridge.Tests;

/// <summary>
/// Whatever another process sends, the agent answers with an error or hangs up on that one connection,
/// and a well-behaved client connected all along keeps getting answers.
/// </summary>
[TestClass]
public sealed class HostileInputTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    private TestAgent _agent = null!;
    private BridgeClient _bystander = null!;

    [TestInitialize]
    public async Task StartAgent()
    {
        _agent = await TestAgent.StartAsync(e => new BridgeServerOptions
        {
            Endpoint = e,
            FrameTimeout = TimeSpan.FromMilliseconds(400),
            HandshakeTimeout = TimeSpan.FromSeconds(2),
            MaxConsecutiveBadFrames = 4,
        });
        _bystander = _agent.CreateClient("bystander");
        await _bystander.PingAsync();
    }

    [TestCleanup]
    public async Task StopAgent()
    {
        // Every test ends by proving that the misbehaving peer harmed no one else.
        Assert.AreEqual("still here", (await _bystander.PingAsync("still here")).Data);
        _bystander.Dispose();
        await _agent.DisposeAsync();
    }

    [TestMethod]
    public async Task Random_bytes_are_refused_and_the_connection_dropped()
    {
        await using RawConnection raw = await RawConnection.ConnectAsync(_agent.Endpoint);
        var noise = new byte[4096];
        new Random(7).NextBytes(noise);
        noise[3] = 0xF0; // A length prefix far over the cap, as random bytes almost always are.

        await raw.SendAsync(noise);

        IncomingMessage? error = await raw.ReadAsync(Wait);
        Assert.AreEqual(ErrorCodes.FrameTooLarge, error?.Error?.Code);
        Assert.IsTrue(await raw.IsClosedByAgentAsync(Wait));
    }

    [TestMethod]
    public async Task A_length_over_the_cap_is_refused_before_any_of_it_is_read()
    {
        await using RawConnection raw = await RawConnection.ConnectAsync(_agent.Endpoint);
        var header = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(header, BridgeProtocol.MaxFrameBytes + 1);

        await raw.SendAsync(header);

        IncomingMessage? error = await raw.ReadAsync(Wait);
        Assert.AreEqual(MessageType.Error, error?.Type);
        Assert.AreEqual(ErrorCodes.FrameTooLarge, error?.Error?.Code);
        StringAssert.Contains(error!.Value.Error!.Message, BridgeProtocol.MaxFrameBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.IsTrue(await raw.IsClosedByAgentAsync(Wait));
    }

    [TestMethod]
    public async Task A_truncated_frame_followed_by_hanging_up_harms_no_one()
    {
        await using (RawConnection raw = await RawConnection.ConnectAsync(_agent.Endpoint))
        {
            byte[] frame = RawConnection.Frame(Pack.Hello());
            await raw.SendAsync(frame.AsSpan(0, frame.Length / 2).ToArray());
        }

        await BridgeTests.WaitUntilAsync(() => _agent.Get<SessionRegistry>().Count == 1, Wait);
    }

    [TestMethod]
    public async Task Invalid_utf8_is_answered_with_an_error_and_the_connection_stays_usable()
    {
        await using RawConnection raw = await RawConnection.ConnectAsync(_agent.Endpoint);
        byte[] payload = Pack.Request(1, MessageKinds.Ping, Pack.Body(new Ping { Data = "XX" }, BridgeWire.Default.Ping));
        int at = Array.IndexOf(payload, (byte)'X');
        payload[at] = 0xC3;
        payload[at + 1] = 0x28; // A lead byte followed by a byte that cannot continue it.

        await raw.SendAsync(RawConnection.Frame(payload));

        IncomingMessage? error = await raw.ReadAsync(Wait);
        Assert.AreEqual(ErrorCodes.InvalidUtf8, error?.Error?.Code);
        await raw.HelloAsync();
    }

    [TestMethod]
    public async Task Truncated_messagepack_is_answered_with_an_error_and_the_connection_stays_usable()
    {
        await using RawConnection raw = await RawConnection.ConnectAsync(_agent.Endpoint);
        byte[] whole = Pack.Request(1, MessageKinds.Ping, Pack.Body(new Ping { Data = "a string cut short" }, BridgeWire.Default.Ping));

        await raw.SendFrameAsync(whole[..^5]);

        IncomingMessage? error = await raw.ReadAsync(Wait);
        Assert.AreEqual(ErrorCodes.InvalidMessagePack, error?.Error?.Code);
        await raw.HelloAsync();
    }

    [TestMethod]
    [DataRow("""[1,2,3]""")]
    [DataRow("""{"type":"request","id":1,"kind":"ping"}""")]
    [DataRow("""[0]""")]
    [DataRow("""[0,1]""")]
    [DataRow("""[0,-5,"ping"]""")]
    [DataRow("""[0,1,"PING!"]""")]
    [DataRow("""[0,"1","ping"]""")]
    [DataRow("""[0,1.5,"ping"]""")]
    [DataRow("""[9,1,"ping"]""")]
    [DataRow("""[0,1,"ping",null,"not an error"]""")]
    [DataRow("\"just text\"")]
    public async Task Messagepack_that_is_not_an_envelope_is_answered_with_an_error(string shape)
    {
        await using RawConnection raw = await RawConnection.ConnectAsync(_agent.Endpoint);

        await raw.SendFrameAsync(Pack.FromJson(shape));

        IncomingMessage? error = await raw.ReadAsync(Wait);
        Assert.IsNotNull(error?.Error, shape);
        Assert.AreEqual(ErrorCodes.InvalidEnvelope, error.Value.Error.Code, shape);
        await raw.HelloAsync();
    }

    [TestMethod]
    [DataRow("dd7fffffff00", DisplayName = "array of 2^31-1 elements in 6 bytes")]
    [DataRow("dd8000000000", DisplayName = "array of 2^31 elements in 6 bytes")]
    [DataRow("df7fffffffc0c0", DisplayName = "map of 2^31-1 pairs")]
    [DataRow("dbffffffff61", DisplayName = "string of 4 GiB holding one byte")]
    [DataRow("c6ffffffff00", DisplayName = "binary of 4 GiB holding one byte")]
    [DataRow("9400a170", DisplayName = "envelope of 4 elements holding 2")]
    [DataRow("940001a470696e6795c0c0", DisplayName = "body of 5 members holding 2")]
    [DataRow("940001a470696e67c9ffffffff01", DisplayName = "extension declaring 4 GiB")]
    [DataRow("940001a470696e6791a1", DisplayName = "string cut off after its header")]
    [DataRow("940001a470696e67c1", DisplayName = "the byte MessagePack never uses")]
    [DataRow("940001a470696e67c0c0", DisplayName = "a second value after the envelope")]
    public async Task A_value_that_declares_more_than_the_frame_holds_is_refused_without_harm(string hex)
    {
        await using RawConnection raw = await RawConnection.ConnectAsync(_agent.Endpoint);
        await raw.HelloAsync();

        await raw.SendFrameAsync(Convert.FromHexString(hex));

        IncomingMessage? error = await raw.ReadAsync(Wait);
        Assert.AreEqual(ErrorCodes.InvalidMessagePack, error?.Error?.Code, hex);
        Assert.AreEqual("usable", (await RoundTripPingAsync(raw, 50, "usable")).Data);
    }

    [TestMethod]
    public async Task Nesting_a_million_levels_deep_is_refused_without_a_stack_overflow()
    {
        await using RawConnection raw = await RawConnection.ConnectAsync(_agent.Endpoint);
        await raw.HelloAsync();
        byte[] envelope = Pack.Request(7, MessageKinds.Ping);
        var deep = new byte[envelope.Length - 1 + 1_000_000 + 1];
        envelope.AsSpan(0, envelope.Length - 1).CopyTo(deep); // Every byte after the kind: the body, as arrays of one array.
        deep.AsSpan(envelope.Length - 1, 1_000_000).Fill(0x91);
        deep[^1] = 0xC0;

        await raw.SendFrameAsync(deep);

        IncomingMessage? error = await raw.ReadAsync(Wait);
        Assert.AreEqual(ErrorCodes.InvalidMessagePack, error?.Error?.Code);
        StringAssert.Contains(error!.Value.Error!.Message, BridgeProtocol.MaxNestingDepth.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.AreEqual("alive", (await RoundTripPingAsync(raw, 8, "alive")).Data);
    }

    [TestMethod]
    [DataRow("""["not a date",[0,0],[]]""", DisplayName = "a string where a time goes")]
    [DataRow("""[[0,0],[0,0],"not a list"]""", DisplayName = "a string where the items go")]
    [DataRow("""[[0,0],[0,0],[null]]""", DisplayName = "a nil item")]
    [DataRow("""[[0,0],[0,0],[[1,2,3]]]""", DisplayName = "numbers where the id and subject go")]
    [DataRow("""[[0,900],[0,0],[]]""", DisplayName = "an offset of 15 hours")]
    [DataRow("""[[9223372036854775807,0],[0,0],[]]""", DisplayName = "a time past the last date")]
    [DataRow("""[{"windowStart":1},[0,0],[]]""", DisplayName = "a map where a time goes")]
    public async Task A_body_with_wrong_types_is_a_bad_request_that_repeats_none_of_it(string body)
    {
        await using RawConnection raw = await RawConnection.ConnectAsync(_agent.Endpoint);
        await raw.HelloAsync();

        await raw.SendFrameAsync(Pack.Request(4, MessageKinds.CalendarSnapshot, Pack.FromJson(body)));

        IncomingMessage? error = await raw.ReadAsync(Wait);
        Assert.AreEqual((4L, ErrorCodes.BadRequest), (error?.Id ?? 0, error?.Error?.Code), body);
        StringAssert.Contains(error!.Value.Error!.Message, MessageKinds.CalendarSnapshot);
        Assert.DoesNotContain("not a", error.Value.Error.Message);
    }

    [TestMethod]
    public async Task A_client_of_the_json_protocol_is_told_in_json_that_the_versions_do_not_match()
    {
        await using RawConnection raw = await RawConnection.ConnectAsync(_agent.Endpoint);

        await raw.SendAsync(RawConnection.Frame("""{"type":"request","id":1,"kind":"hello","body":{"protocolVersion":1,"minProtocolVersion":1,"clientName":"OutlookPlugin"}}"""));

        byte[]? answer = await raw.ReadPayloadAsync(Wait);
        using var json = System.Text.Json.JsonDocument.Parse(answer);
        Assert.AreEqual("error", json.RootElement.GetProperty("type").GetString());
        System.Text.Json.JsonElement error = json.RootElement.GetProperty("error");
        Assert.AreEqual(ErrorCodes.VersionMismatch, error.GetProperty("code").GetString());
        StringAssert.Contains(error.GetProperty("message").GetString(), "Install matching versions");
        Assert.IsTrue(await raw.IsClosedByAgentAsync(Wait));
    }

    [TestMethod]
    public async Task A_request_before_hello_is_told_to_say_hello_first()
    {
        await using RawConnection raw = await RawConnection.ConnectAsync(_agent.Endpoint);

        await raw.SendFrameAsync(Pack.Request(9, MessageKinds.Status));

        IncomingMessage? error = await raw.ReadAsync(Wait);
        Assert.AreEqual(9, error?.Id);
        Assert.AreEqual(ErrorCodes.HandshakeRequired, error?.Error?.Code);
    }

    [TestMethod]
    public async Task An_unknown_kind_and_a_kind_this_agent_does_not_offer_get_distinct_errors()
    {
        await using RawConnection raw = await RawConnection.ConnectAsync(_agent.Endpoint);
        await raw.HelloAsync();

        await raw.SendFrameAsync(Pack.Request(2, "no.such.thing"));
        await raw.SendFrameAsync(Pack.Request(3, MessageKinds.OpenSettings, Pack.FromJson("[]")));

        IncomingMessage? unknown = await raw.ReadAsync(Wait);
        IncomingMessage? notOffered = await raw.ReadAsync(Wait);
        Assert.AreEqual((2L, ErrorCodes.UnknownKind), (unknown!.Value.Id, unknown.Value.Error?.Code));
        Assert.AreEqual((3L, ErrorCodes.NotAvailable), (notOffered!.Value.Id, notOffered.Value.Error?.Code));
    }

    [TestMethod]
    public async Task A_body_of_the_wrong_shape_is_a_bad_request_naming_the_kind()
    {
        await using RawConnection raw = await RawConnection.ConnectAsync(_agent.Endpoint);
        await raw.HelloAsync();

        await raw.SendFrameAsync(Pack.Request(4, MessageKinds.CalendarSnapshot, Pack.FromJson("\"not a snapshot\"")));

        IncomingMessage? error = await raw.ReadAsync(Wait);
        Assert.AreEqual(ErrorCodes.BadRequest, error?.Error?.Code);
        StringAssert.Contains(error!.Value.Error!.Message, MessageKinds.CalendarSnapshot);
    }

    [TestMethod]
    public async Task A_frame_that_never_finishes_is_dropped_after_the_frame_timeout()
    {
        await using RawConnection raw = await RawConnection.ConnectAsync(_agent.Endpoint);
        await raw.HelloAsync();
        byte[] frame = RawConnection.Frame(Pack.Request(2, MessageKinds.Ping));

        await raw.SendAsync(frame.AsSpan(0, 7).ToArray());

        IncomingMessage? error = await raw.ReadAsync(Wait);
        Assert.AreEqual(ErrorCodes.FrameTimeout, error?.Error?.Code);
        Assert.IsTrue(await raw.IsClosedByAgentAsync(Wait));
    }

    [TestMethod]
    public async Task A_connection_that_never_says_hello_is_dropped()
    {
        await using RawConnection raw = await RawConnection.ConnectAsync(_agent.Endpoint);

        IncomingMessage? error = await raw.ReadAsync(Wait);

        Assert.AreEqual(ErrorCodes.HandshakeRequired, error?.Error?.Code);
        Assert.IsTrue(await raw.IsClosedByAgentAsync(Wait));
    }

    [TestMethod]
    public async Task An_empty_frame_is_refused_and_the_connection_dropped()
    {
        await using RawConnection raw = await RawConnection.ConnectAsync(_agent.Endpoint);

        await raw.SendAsync(new byte[4]);

        IncomingMessage? error = await raw.ReadAsync(Wait);
        Assert.AreEqual(ErrorCodes.InvalidEnvelope, error?.Error?.Code);
        Assert.IsTrue(await raw.IsClosedByAgentAsync(Wait));
    }

    [TestMethod]
    public async Task A_peer_that_only_sends_garbage_is_dropped_after_a_few_errors()
    {
        await using RawConnection raw = await RawConnection.ConnectAsync(_agent.Endpoint);

        for (int i = 0; i < 4; i++)
        {
            await raw.SendFrameAsync(Encoding.UTF8.GetBytes("not messagepack"));
        }

        Assert.IsTrue(await raw.IsClosedByAgentAsync(Wait));
    }

    [TestMethod]
    public async Task A_client_may_not_send_responses_or_events()
    {
        await using RawConnection raw = await RawConnection.ConnectAsync(_agent.Endpoint);
        await raw.HelloAsync();

        await raw.SendFrameAsync(Pack.Envelope(MessageType.Event, 0, MessageKinds.CalendarChangedEvent, Pack.FromJson("[]")));

        IncomingMessage? error = await raw.ReadAsync(Wait);
        Assert.AreEqual(ErrorCodes.InvalidEnvelope, error?.Error?.Code);
    }

    private static async Task<Ping> RoundTripPingAsync(RawConnection raw, long id, string data)
    {
        await raw.SendFrameAsync(Pack.Request(id, MessageKinds.Ping, Pack.Body(new Ping { Data = data }, BridgeWire.Default.Ping)));
        IncomingMessage? reply = await raw.ReadAsync(Wait);
        Assert.AreEqual((id, (string?)null), (reply?.Id ?? 0, reply?.Error?.Code));
        return reply!.Value.ReadBody(BridgeWire.Default.Ping);
    }
}
