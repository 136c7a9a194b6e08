using System;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using ClientBridge.Protocol;
using ClientBridge.Protocol.Framing;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace ClientBridge.Protocol.Tests;

[TestClass]
public sealed class EndpointAndMessageTests
{
    [TestMethod]
    public void Each_user_and_each_session_gets_its_own_pipe()
    {
        const string Alice = "S-1-5-21-1004336348-1177238915-682003330-1001";
        const string Bob = "S-1-5-21-1004336348-1177238915-682003330-1002";

        string[] names = [.. new[] { BridgeEndpoint.ForWindows(Alice, 1), BridgeEndpoint.ForWindows(Alice, 2), BridgeEndpoint.ForWindows(Bob, 1) }.Select(e => e.PipeName)];

        Assert.AreEqual(3, names.Distinct().Count());
        Assert.AreEqual($"ClientBridge.{Alice}.1", names[0]);
        Assert.IsFalse(BridgeEndpoint.ForWindows(Alice, 1).IsUnixSocket);
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("alice")]
    [DataRow(@"S-1-5\..\evil")]
    public void A_pipe_name_is_never_built_from_something_that_is_not_a_sid(string sid)
    {
        Assert.ThrowsExactly<ArgumentException>(() => BridgeEndpoint.ForWindows(sid, 1));
    }

    [TestMethod]
    public void The_unix_socket_lives_in_the_users_runtime_folder_or_a_private_temp_folder()
    {
        Assert.AreEqual("/run/user/1000/ClientBridge", BridgeEndpoint.DefaultSocketDirectory("/run/user/1000", "/tmp/", "alice"));
        Assert.AreEqual("/tmp/ClientBridge-alice", BridgeEndpoint.DefaultSocketDirectory(null, "/tmp/", "alice"));
        Assert.AreEqual("/tmp/ClientBridge-a_b", BridgeEndpoint.DefaultSocketDirectory("relative", "/tmp/", "a/b"));
    }

    [TestMethod]
    public void An_explicit_endpoint_is_a_socket_path_when_absolute_and_a_pipe_name_otherwise()
    {
        Assert.IsTrue(BridgeEndpoint.Parse("/tmp/x/bridge.sock").IsUnixSocket);
        Assert.IsFalse(BridgeEndpoint.Parse("ClientBridge.test").IsUnixSocket);
        Assert.ThrowsExactly<ArgumentException>(() => BridgeEndpoint.Parse(@"..\pipe"));
        Assert.ThrowsExactly<ArgumentException>(() => BridgeEndpoint.Parse(" "));
    }

    [TestMethod]
    public void Every_message_type_has_a_generated_serializer_and_round_trips()
    {
        Type[] messageTypes = [.. typeof(IBridgeMessage).Assembly.GetTypes().Where(t => typeof(IBridgeMessage).IsAssignableFrom(t) && t.IsClass)];

        foreach (Type type in messageTypes)
        {
            var info = BridgeJsonContext.Default.GetTypeInfo(type);
            Assert.IsNotNull(info, $"{type.Name} has no source-generated serializer.");
            object instance = Activator.CreateInstance(type)!;
            string json = JsonSerializer.Serialize(instance, info);
            Assert.AreEqual(json, JsonSerializer.Serialize(JsonSerializer.Deserialize(json, info), info), type.Name);
        }

        Assert.IsGreaterThanOrEqualTo(20, messageTypes.Length);
    }

    [TestMethod]
    public void Every_message_kind_is_a_valid_kind_and_unique()
    {
        string[] kinds = [.. typeof(MessageKinds).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetRawConstantValue()!)];

        Assert.IsTrue(kinds.All(Envelope.IsValidKind));
        Assert.AreEqual(kinds.Length, kinds.Distinct().Count());
        CollectionAssert.IsSubsetOf(new[] { "calendar.snapshot", "calendar.delta", "meeting.schedule", "meeting.update", "meeting.cancel", "status", "signin.state", "settings.open", "agent.stop" }, kinds);
    }
}
