using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ClientBridge.Protocol;
using ClientBridge.Protocol.Framing;
using MessagePack.Formatters;
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
    public void Every_message_type_has_a_generated_formatter_that_keeps_every_member()
    {
        Type[] messageTypes = [.. typeof(IBridgeMessage).Assembly.GetTypes().Where(t => typeof(IBridgeMessage).IsAssignableFrom(t) && t.IsClass)];
        MethodInfo roundTrip = typeof(EndpointAndMessageTests).GetMethod(nameof(RoundTrip), BindingFlags.NonPublic | BindingFlags.Static)!;

        foreach (Type type in messageTypes)
        {
            PropertyInfo? formatter = typeof(BridgeWire).GetProperty(type.Name);
            Assert.IsNotNull(formatter, $"{type.Name} has no generated formatter on BridgeWire.");
            object filled = Fill(type, depth: 0);
            object back = roundTrip.MakeGenericMethod(type).Invoke(null, [filled, formatter.GetValue(BridgeWire.Default)])!;

            // The JSON rendering (the command line's) compares every member, nested ones included.
            JsonTypeInfo info = BridgeJsonContext.Default.GetTypeInfo(type)!;
            Assert.AreEqual(JsonSerializer.Serialize(filled, info), JsonSerializer.Serialize(back, info), type.Name);
        }

        Assert.IsGreaterThanOrEqualTo(20, messageTypes.Length);
        Assert.IsFalse(
            AppDomain.CurrentDomain.GetAssemblies().Any(a => a.IsDynamic && a.FullName!.Contains("MessagePack", StringComparison.Ordinal)),
            "Nothing was generated at run time: no MessagePack dynamic assembly exists.");
    }

    private static T RoundTrip<T>(T value, IMessagePackFormatter<T> formatter)
    {
        byte[] frame = FrameOutbox.Encode(MessageType.Response, 1, MessageKinds.Ping, value, formatter);
        return Envelope.Parse(frame.AsMemory(BridgeProtocol.HeaderBytes)).ReadBody(formatter);
    }

    /// <summary>An instance with every member set to something other than its default, so that a member lost on the way shows.</summary>
    private static object Fill(Type type, int depth)
    {
        object instance = Activator.CreateInstance(type)!;
        int n = 0;
        foreach (PropertyInfo property in type.GetProperties().Where(p => p.CanWrite))
        {
            n++;
            object? value = Value(property.PropertyType, n, depth);
            if (value is not null)
            {
                property.SetValue(instance, value);
            }
        }

        return instance;
    }

    private static object? Value(Type type, int n, int depth)
    {
        Type plain = Nullable.GetUnderlyingType(type) ?? type;
        if (plain == typeof(string))
        {
            return $"v{n} ü 日";
        }

        if (plain == typeof(int))
        {
            return 1000 + n;
        }

        if (plain == typeof(long))
        {
            return 5_000_000_000L + n;
        }

        if (plain == typeof(bool))
        {
            return true;
        }

        if (plain == typeof(double))
        {
            return 0.5 + n;
        }

        if (plain == typeof(DateTimeOffset))
        {
            return new DateTimeOffset(2026, 3, 29, 2, 30, n % 60, 123, TimeSpan.FromMinutes(330));
        }

        if (plain == typeof(DateTime))
        {
            return new DateTime(2027, 1, 31, 0, 0, 0, DateTimeKind.Unspecified);
        }

        if (plain.IsEnum)
        {
            return Enum.GetValues(plain).GetValue(Enum.GetValues(plain).Length - 1);
        }

        if (plain.IsGenericType && plain.GetGenericTypeDefinition() == typeof(List<>))
        {
            var list = (System.Collections.IList)Activator.CreateInstance(plain)!;
            object? element = depth < 2 ? Value(plain.GetGenericArguments()[0], n, depth + 1) : null;
            if (element is not null)
            {
                list.Add(element);
                list.Add(Value(plain.GetGenericArguments()[0], n + 1, depth + 1));
            }

            return list;
        }

        return typeof(IBridgeMessage).IsAssignableFrom(plain) && depth < 2 ? Fill(plain, depth + 1) : null;
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
