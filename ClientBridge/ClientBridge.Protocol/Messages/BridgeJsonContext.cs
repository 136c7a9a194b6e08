using System.Text.Json.Serialization;

namespace ClientBridge.Protocol;

/// <summary>
/// Source-generated JSON serializers for every message, for people and scripts: the command line's <c>--json</c>
/// output and the files it reads (<c>calendar push</c>). The pipe carries MessagePack (<see cref="BridgeWire"/>).
/// Names are camelCase; enums are written as names so that a script never sees a bare number.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    NumberHandling = JsonNumberHandling.Strict,
    AllowTrailingCommas = false,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow)]
[JsonSerializable(typeof(BridgeError))]
[JsonSerializable(typeof(Empty))]
[JsonSerializable(typeof(Hello))]
[JsonSerializable(typeof(Welcome))]
[JsonSerializable(typeof(Ping))]
[JsonSerializable(typeof(StatusReply))]
[JsonSerializable(typeof(SubscribeRequest))]
[JsonSerializable(typeof(SubscribeReply))]
[JsonSerializable(typeof(CalendarSnapshot))]
[JsonSerializable(typeof(CalendarDelta))]
[JsonSerializable(typeof(CalendarAck))]
[JsonSerializable(typeof(CalendarChanged))]
[JsonSerializable(typeof(ScheduleMeetingRequest))]
[JsonSerializable(typeof(UpdateMeetingRequest))]
[JsonSerializable(typeof(CancelMeetingRequest))]
[JsonSerializable(typeof(MeetingReply))]
[JsonSerializable(typeof(MeetingChanged))]
[JsonSerializable(typeof(SignInState))]
[JsonSerializable(typeof(SignInRequest))]
[JsonSerializable(typeof(OpenSettingsRequest))]
[JsonSerializable(typeof(MeetingOptions))]
[JsonSerializable(typeof(UpcomingRequest))]
[JsonSerializable(typeof(UpcomingReply))]
[JsonSerializable(typeof(StopReply))]
public sealed partial class BridgeJsonContext : JsonSerializerContext
{
}
