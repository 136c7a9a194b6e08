using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace ClientBridge.Settings;

/// <summary>
/// What the user chose, as <c>settings.json</c> holds it. Every value is optional: one that is absent (or that
/// was wrong and dropped) leaves the agent's own default. Preferences only: no calendar content ever goes here.
/// </summary>
public sealed class UserSettings
{
    /// <summary>The provider a meeting is made with when the request names none (<c>zoom</c>, <c>jitsi</c>).</summary>
    public string? DefaultProvider { get; set; }

    /// <summary>The providers the user wants offered; absent: all the agent has.</summary>
    public List<string>? AllowedProviders { get; set; }

    /// <summary>Defaults for new meetings.</summary>
    public UserMeetingDefaults? Meetings { get; set; }

    /// <summary>Reminders before meetings with a link: on unless turned off.</summary>
    public bool? Reminders { get; set; }

    /// <summary>Minutes before a meeting its reminder comes (1–120, default 5).</summary>
    public int? ReminderMinutes { get; set; }

    /// <summary>Days of the calendar the agent is told about (1–365, default 30).</summary>
    public int? DaysAhead { get; set; }
}

/// <summary>The user's defaults for new meetings; each absent one leaves the agent's default.</summary>
public sealed class UserMeetingDefaults
{
    public bool? WaitingRoom { get; set; }

    public bool? RequirePasscode { get; set; }

    public bool? JoinBeforeHost { get; set; }

    public bool? MuteUponEntry { get; set; }

    /// <summary>E-mail addresses of alternative hosts; an empty list: none.</summary>
    public List<string>? AlternativeHosts { get; set; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(UserSettings))]
internal sealed partial class SettingsJsonContext : JsonSerializerContext
{
}
