using System;
using System.Collections.Generic;
using System.Text.Json.Serialization;
using ClientBridge.Scheduling;

namespace ClientBridge.Providers.Zoom;

/// <summary>The body of Zoom's create and update meeting calls, with the names Zoom's API description gives them.</summary>
public sealed class ZoomMeetingBody
{
    [JsonPropertyName("topic")]
    public string? Topic { get; set; }

    /// <summary>2 scheduled, 3 recurring with no fixed time, 8 recurring with fixed times.</summary>
    [JsonPropertyName("type")]
    public int? Type { get; set; }

    /// <summary><c>yyyy-MM-ddTHH:mm:ssZ</c> in GMT, or local to <see cref="Timezone"/> without the Z; see <see cref="ZoomTimeZones"/>.</summary>
    [JsonPropertyName("start_time")]
    public string? StartTime { get; set; }

    [JsonPropertyName("timezone")]
    public string? Timezone { get; set; }

    [JsonPropertyName("duration")]
    public int? Duration { get; set; }

    [JsonPropertyName("recurrence")]
    public ZoomRecurrence? Recurrence { get; set; }

    [JsonPropertyName("schedule_for")]
    public string? ScheduleFor { get; set; }

    /// <summary>Asks Zoom to give the meeting a passcode made by the user's Zoom settings.</summary>
    [JsonPropertyName("default_password")]
    public bool? DefaultPassword { get; set; }

    /// <summary>On update only: a new passcode, or empty to remove it (Zoom's update takes no <c>default_password</c>). Never logged.</summary>
    [JsonPropertyName("password")]
    public string? Password { get; set; }

    [JsonPropertyName("settings")]
    public ZoomMeetingSettings? Settings { get; set; }
}

public sealed class ZoomMeetingSettings
{
    [JsonPropertyName("waiting_room")]
    public bool? WaitingRoom { get; set; }

    [JsonPropertyName("join_before_host")]
    public bool? JoinBeforeHost { get; set; }

    [JsonPropertyName("mute_upon_entry")]
    public bool? MuteUponEntry { get; set; }

    /// <summary>Semicolon-separated e-mail addresses, as Zoom takes them; on update, empty removes every alternative host.</summary>
    [JsonPropertyName("alternative_hosts")]
    public string? AlternativeHosts { get; set; }

    [JsonPropertyName("global_dial_in_numbers")]
    public List<ZoomDialIn>? GlobalDialInNumbers { get; set; }
}

public sealed class ZoomDialIn
{
    [JsonPropertyName("number")]
    public string? Number { get; set; }

    [JsonPropertyName("country_name")]
    public string? CountryName { get; set; }

    [JsonPropertyName("city")]
    public string? City { get; set; }
}

/// <summary>What Zoom answers about a meeting; only the fields the agent uses.</summary>
public sealed class ZoomMeeting
{
    [JsonPropertyName("id")]
    public long Id { get; set; }

    [JsonPropertyName("join_url")]
    public string? JoinUrl { get; set; }

    [JsonPropertyName("password")]
    public string? Password { get; set; }

    [JsonPropertyName("timezone")]
    public string? Timezone { get; set; }

    [JsonPropertyName("start_time")]
    public string? StartTime { get; set; }

    [JsonPropertyName("duration")]
    public int? Duration { get; set; }

    [JsonPropertyName("type")]
    public int Type { get; set; }

    [JsonPropertyName("occurrences")]
    public List<ZoomOccurrence>? Occurrences { get; set; }

    [JsonPropertyName("settings")]
    public ZoomMeetingSettings? Settings { get; set; }
}

/// <summary>One page of a host's meetings.</summary>
public sealed class ZoomMeetingList
{
    [JsonPropertyName("meetings")]
    public List<ZoomListedMeeting>? Meetings { get; set; }

    [JsonPropertyName("next_page_token")]
    public string? NextPageToken { get; set; }
}

public sealed class ZoomListedMeeting
{
    [JsonPropertyName("id")]
    public long Id { get; set; }

    [JsonPropertyName("topic")]
    public string? Topic { get; set; }

    [JsonPropertyName("start_time")]
    public string? StartTime { get; set; }

    [JsonPropertyName("duration")]
    public int Duration { get; set; }

    [JsonPropertyName("created_at")]
    public string? CreatedAt { get; set; }
}

public sealed class ZoomOccurrence
{
    [JsonPropertyName("occurrence_id")]
    public string? OccurrenceId { get; set; }

    [JsonPropertyName("start_time")]
    public string? StartTime { get; set; }

    /// <summary>"available", or for one cancelled, "deleted" where Zoom lists it at all (the emulator does not).</summary>
    [JsonPropertyName("status")]
    public string? Status { get; set; }

    [JsonIgnore]
    public bool IsDeleted => string.Equals(Status, "deleted", StringComparison.OrdinalIgnoreCase);
}

public sealed class ZoomInvitation
{
    [JsonPropertyName("invitation")]
    public string? Invitation { get; set; }
}

/// <summary>Zoom's error body: <c>{ "code": n, "message": "…" }</c>.</summary>
public sealed class ZoomError
{
    [JsonPropertyName("code")]
    public int Code { get; set; }

    [JsonPropertyName("message")]
    public string? Message { get; set; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ZoomMeetingBody))]
[JsonSerializable(typeof(ZoomMeeting))]
[JsonSerializable(typeof(ZoomInvitation))]
[JsonSerializable(typeof(ZoomMeetingList))]
[JsonSerializable(typeof(ZoomError))]
internal sealed partial class ZoomJsonContext : JsonSerializerContext
{
}
