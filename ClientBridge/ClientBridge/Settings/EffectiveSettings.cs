using System;
using System.Collections.Generic;
using System.Linq;
using ClientBridge.Policies;
using ClientBridge.Providers.Zoom;
using ClientBridge.Scheduling;

namespace ClientBridge.Settings;

/// <summary>One value as the agent uses it, and whether a policy set it (the UI shows it locked, the user cannot change it).</summary>
public readonly record struct Effective<T>(T Value, bool Locked);

/// <summary>Where the agent's effective settings come from: the tray, scheduling and reminders ask it each time.</summary>
public interface IEffectiveSettings
{
    EffectiveSettings Current { get; }
}

/// <summary>A fixed set, for tests and for callers that have no settings file.</summary>
public sealed class FixedSettings(EffectiveSettings settings) : IEffectiveSettings
{
    public EffectiveSettings Current { get; } = settings;
}

/// <summary>
/// The settings the agent acts on: a policy (HKLM, then HKCU) always wins; then the user's settings file; then the
/// agent's configuration (<see cref="AgentSettings"/>: environment variables over what IT installed, see
/// <see cref="AgentConfiguration"/>); then the built-in defaults.
/// Each value says whether a policy locked it. Policies with a wrong value are listed by name and ignored.
/// </summary>
public sealed class EffectiveSettings
{
    public const int DefaultReminderMinutes = 5;
    public const int DefaultDaysAhead = 30;

    public required Effective<string> DefaultProvider { get; init; }

    /// <summary>The providers meetings may be made with; null: every one the agent has.</summary>
    public required Effective<IReadOnlyList<string>?> AllowedProviders { get; init; }

    public required Effective<bool> WaitingRoom { get; init; }

    public required Effective<bool> RequirePasscode { get; init; }

    public required Effective<bool> JoinBeforeHost { get; init; }

    public required Effective<bool> MuteUponEntry { get; init; }

    /// <summary>Semicolon-separated addresses, as Zoom takes them; null: none.</summary>
    public required Effective<string?> AlternativeHosts { get; init; }

    public required Effective<bool> Reminders { get; init; }

    public required Effective<int> ReminderMinutes { get; init; }

    public required Effective<int> DaysAhead { get; init; }

    /// <summary>Policy values that were present but wrong (type, range, blank) and so were ignored.</summary>
    public IReadOnlyList<string> WrongPolicies { get; init; } = [];

    /// <summary>Whether meetings may be made with <paramref name="provider"/> (names compare ignoring case).</summary>
    public bool IsAllowed(string provider) =>
        AllowedProviders.Value is not { } allowed || allowed.Contains(provider, StringComparer.OrdinalIgnoreCase);

    /// <summary>The Zoom meeting defaults these settings give (the provider puts the Zoom policies on top again per meeting).</summary>
    public ZoomMeetingDefaults ZoomMeetings() => new()
    {
        WaitingRoom = WaitingRoom.Value,
        RequirePasscode = RequirePasscode.Value,
        JoinBeforeHost = JoinBeforeHost.Value,
        MuteUponEntry = MuteUponEntry.Value,
        AlternativeHosts = AlternativeHosts.Value,
    };

    public static EffectiveSettings Resolve(AgentSettings agent, UserSettings user, IPolicySource policies)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(policies);
        var wrong = new List<string>();
        UserMeetingDefaults meetings = user.Meetings ?? new UserMeetingDefaults();
        ZoomMeetingDefaults configured = agent.ZoomMeetings;

        PolicyValue<IReadOnlyList<string>> allowedPolicy = Note(PolicyValues.ReadNames(policies, PolicyValues.AllowedProviders), PolicyValues.AllowedProviders, wrong);
        Effective<IReadOnlyList<string>?> allowed = allowedPolicy.IsSet
            ? new(allowedPolicy.Value, true)
            : new(user.AllowedProviders is { Count: > 0 } list ? list : Listed(agent.AllowedProviders), false);

        PolicyValue<string> defaultPolicy = Note(PolicyValues.ReadText(policies, PolicyValues.DefaultProvider), PolicyValues.DefaultProvider, wrong);
        if (defaultPolicy.IsSet && allowedPolicy.IsSet && !allowedPolicy.Value!.Contains(defaultPolicy.Value!, StringComparer.OrdinalIgnoreCase))
        {
            // Two policies that contradict each other: the list of allowed providers is the stronger statement.
            wrong.Add(PolicyValues.DefaultProvider);
            defaultPolicy = new(PolicyState.WrongValue, null);
        }

        Effective<string> defaultProvider = defaultPolicy.IsSet
            ? new(defaultPolicy.Value!, true)
            : new(user.DefaultProvider?.Trim() ?? agent.DefaultProvider, false);

        PolicyValue<int> minutes = Note(PolicyValues.ReadNumber(policies, PolicyValues.ReminderMinutes, PolicyValues.MinReminderMinutes, PolicyValues.MaxReminderMinutes), PolicyValues.ReminderMinutes, wrong);
        PolicyValue<int> days = Note(PolicyValues.ReadNumber(policies, PolicyValues.DaysAhead, PolicyValues.MinDaysAhead, PolicyValues.MaxDaysAhead), PolicyValues.DaysAhead, wrong);

        return new EffectiveSettings
        {
            DefaultProvider = defaultProvider,
            AllowedProviders = allowed,
            WaitingRoom = Switch(policies, PolicyValues.ZoomWaitingRoom, meetings.WaitingRoom ?? configured.WaitingRoom, wrong),
            RequirePasscode = Switch(policies, PolicyValues.ZoomRequirePasscode, meetings.RequirePasscode ?? configured.RequirePasscode, wrong),
            JoinBeforeHost = Switch(policies, PolicyValues.ZoomJoinBeforeHost, meetings.JoinBeforeHost ?? configured.JoinBeforeHost, wrong),
            MuteUponEntry = Switch(policies, PolicyValues.ZoomMuteUponEntry, meetings.MuteUponEntry ?? configured.MuteUponEntry, wrong),
            AlternativeHosts = new(
                meetings.AlternativeHosts is { } hosts ? (hosts.Count == 0 ? null : string.Join(';', hosts.Select(h => h.Trim()))) : configured.AlternativeHosts,
                false),
            Reminders = Switch(policies, PolicyValues.Reminders, user.Reminders ?? true, wrong),
            ReminderMinutes = minutes.IsSet ? new(minutes.Value, true) : new(user.ReminderMinutes ?? Minutes(agent.ReminderMinutes) ?? DefaultReminderMinutes, false),
            DaysAhead = days.IsSet ? new(days.Value, true) : new(user.DaysAhead ?? DefaultDaysAhead, false),
            WrongPolicies = wrong,
        };
    }

    /// <summary>The agent's own list (install defaults, environment) without blanks; none left means every provider.</summary>
    private static List<string>? Listed(List<string>? names) =>
        names?.Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => n.Trim()).ToList() is { Count: > 0 } list ? list : null;

    /// <summary>The agent's configured minutes when in the range the settings file and policy also keep to.</summary>
    private static int? Minutes(int? minutes) =>
        minutes is >= PolicyValues.MinReminderMinutes and <= PolicyValues.MaxReminderMinutes ? minutes : null;

    private static Effective<bool> Switch(IPolicySource policies, string name, bool userChoice, List<string> wrong) =>
        PolicyValues.ReadSwitch(policies, name) switch
        {
            PolicyState.Enabled => new(true, true),
            PolicyState.Disabled => new(false, true),
            PolicyState.WrongValue => Wrong(name, userChoice, wrong),
            _ => new(userChoice, false),
        };

    private static Effective<bool> Wrong(string name, bool userChoice, List<string> wrong)
    {
        wrong.Add(name);
        return new(userChoice, false);
    }

    private static PolicyValue<T> Note<T>(PolicyValue<T> value, string name, List<string> wrong)
    {
        if (value.State == PolicyState.WrongValue)
        {
            wrong.Add(name);
        }

        return value;
    }
}
