using System.Text.Json.Serialization;

namespace ClientBridge.Protocol;

/// <summary>
/// Source-generated serializers for every message: no reflection, the same on net472 and net10.0.
/// Names are camelCase on the wire; enums travel as names so that a reordering can never change a meaning.
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
