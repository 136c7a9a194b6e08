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
            byte[] frame = RawConnection.Frame(RawConnection.HelloJson());
            await raw.SendAsync(frame.AsSpan(0, frame.Length / 2).ToArray());
        }

        await BridgeTests.WaitUntilAsync(() => _agent.Get<SessionRegistry>().Count == 1, Wait);
    }

    [TestMethod]
    public async Task Invalid_utf8_is_answered_with_an_error_and_the_connection_stays_usable()
    {
        await using RawConnection raw = await RawConnection.ConnectAsync(_agent.Endpoint);
        byte[] json = Encoding.UTF8.GetBytes("""{"type":"request","id":1,"kind":"ping","body":{"data":"XX"}}""");
        int at = Array.IndexOf(json, (byte)'X');
        json[at] = 0xC3;
        json[at + 1] = 0x28; // A lead byte followed by a byte that cannot continue it.

        await raw.SendAsync(RawConnection.Frame(json));

        IncomingMessage? error = await raw.ReadAsync(Wait);
        Assert.AreEqual(ErrorCodes.InvalidUtf8, error?.Error?.Code);
        await raw.HelloAsync();
    }

    [TestMethod]
    public async Task Invalid_json_is_answered_with_an_error_and_the_connection_stays_usable()
    {
        await using RawConnection raw = await RawConnection.ConnectAsync(_agent.Endpoint);

        await raw.SendFrameAsync("""{"type":"request","id":1,"kind":""");

        IncomingMessage? error = await raw.ReadAsync(Wait);
        Assert.AreEqual(ErrorCodes.InvalidJson, error?.Error?.Code);
        await raw.HelloAsync();
    }

    [TestMethod]
    [DataRow("[1,2,3]")]
    [DataRow("""{"id":1,"kind":"ping"}""")]
    [DataRow("""{"type":"request","kind":"ping"}""")]
    [DataRow("""{"type":"request","id":-5,"kind":"ping"}""")]
    [DataRow("""{"type":"request","id":1,"kind":"PING!"}""")]
    [DataRow("""{"type":"request","id":1,"kind":"ping"} {}""")]
    [DataRow("""{"type":"shout","id":1,"kind":"ping"}""")]
    public async Task Json_that_is_not_an_envelope_is_answered_with_an_error(string json)
    {
        await using RawConnection raw = await RawConnection.ConnectAsync(_agent.Endpoint);

        await raw.SendFrameAsync(json);

        IncomingMessage? error = await raw.ReadAsync(Wait);
        Assert.IsNotNull(error?.Error, json);
        Assert.IsTrue(error.Value.Error.Code is ErrorCodes.InvalidEnvelope or ErrorCodes.InvalidJson, error.Value.Error.Code);
        await raw.HelloAsync();
    }

    [TestMethod]
    public async Task A_request_before_hello_is_told_to_say_hello_first()
    {
        await using RawConnection raw = await RawConnection.ConnectAsync(_agent.Endpoint);

        await raw.SendFrameAsync("""{"type":"request","id":9,"kind":"status"}""");

        IncomingMessage? error = await raw.ReadAsync(Wait);
        Assert.AreEqual(9, error?.Id);
        Assert.AreEqual(ErrorCodes.HandshakeRequired, error?.Error?.Code);
    }

    [TestMethod]
    public async Task An_unknown_kind_and_a_kind_this_agent_does_not_offer_get_distinct_errors()
    {
        await using RawConnection raw = await RawConnection.ConnectAsync(_agent.Endpoint);
        await raw.HelloAsync();

        await raw.SendFrameAsync("""{"type":"request","id":2,"kind":"no.such.thing"}""");
        await raw.SendFrameAsync("""{"type":"request","id":3,"kind":"settings.open","body":{}}""");

        IncomingMessage? unknown = await raw.ReadAsync(Wait);
        IncomingMessage? notOffered = await raw.ReadAsync(Wait);
        Assert.AreEqual((2L, ErrorCodes.UnknownKind), (unknown!.Value.Id, unknown.Value.Error?.Code));
        Assert.AreEqual((3L, ErrorCodes.NotAvailable), (notOffered!.Value.Id, notOffered.Value.Error?.Code));
    }

    [TestMethod]
    public async Task A_body_of_the_wrong_shape_is_a_bad_request_naming_the_field()
    {
        await using RawConnection raw = await RawConnection.ConnectAsync(_agent.Endpoint);
        await raw.HelloAsync();

        await raw.SendFrameAsync("""{"type":"request","id":4,"kind":"calendar.snapshot","body":{"items":"not a list"}}""");

        IncomingMessage? error = await raw.ReadAsync(Wait);
        Assert.AreEqual(ErrorCodes.BadRequest, error?.Error?.Code);
        StringAssert.Contains(error!.Value.Error!.Message, "items");
    }

    [TestMethod]
    public async Task A_frame_that_never_finishes_is_dropped_after_the_frame_timeout()
    {
        await using RawConnection raw = await RawConnection.ConnectAsync(_agent.Endpoint);
        await raw.HelloAsync();
        byte[] frame = RawConnection.Frame("""{"type":"request","id":2,"kind":"ping"}""");

        await raw.SendAsync(frame.AsSpan(0, 10).ToArray());

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
            await raw.SendFrameAsync("not json");
        }

        Assert.IsTrue(await raw.IsClosedByAgentAsync(Wait));
    }

    [TestMethod]
    public async Task A_client_may_not_send_responses_or_events()
    {
        await using RawConnection raw = await RawConnection.ConnectAsync(_agent.Endpoint);
        await raw.HelloAsync();

        await raw.SendFrameAsync("""{"type":"event","kind":"calendar.changed","body":{}}""");

        IncomingMessage? error = await raw.ReadAsync(Wait);
        Assert.AreEqual(ErrorCodes.InvalidEnvelope, error?.Error?.Code);
    }
}
