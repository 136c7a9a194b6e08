using System.Collections.Generic;

namespace ClientBridge.Policies;

/// <summary>The registry shape a policy value has, as the ADMX template must write it.</summary>
public enum PolicyKind
{
    /// <summary>DWORD 1 (on) or 0 (off).</summary>
    Switch,

    /// <summary>DWORD within <see cref="PolicyDefinition.Min"/>..<see cref="PolicyDefinition.Max"/>.</summary>
    Number,

    /// <summary>REG_SZ.</summary>
    Text,

    /// <summary>REG_MULTI_SZ.</summary>
    TextList,
}

/// <summary>One value the agent reads under <see cref="PolicyValues.KeyPath"/>, with the shape it expects.</summary>
public sealed record PolicyDefinition(string Name, PolicyKind Kind, int Min = 0, int Max = 0)
{
    public static PolicyDefinition Switch(string name) => new(name, PolicyKind.Switch);

    public static PolicyDefinition Number(string name, int min, int max) => new(name, PolicyKind.Number, min, max);

    public static PolicyDefinition Text(string name) => new(name, PolicyKind.Text);

    public static PolicyDefinition TextList(string name) => new(name, PolicyKind.TextList);
}

public static partial class PolicyValues
{
    /// <summary>
    /// Every policy the agent reads, once, with its shape: the one list the Group Policy templates
    /// (<c>Installer/Policies</c>) are checked against, so a policy added here without a template, or a template
    /// for a value nobody reads, fails a test.
    /// </summary>
    public static IReadOnlyList<PolicyDefinition> All { get; } =
    [
        PolicyDefinition.Switch(VerifyPipeCallers),
        PolicyDefinition.TextList(AllowedPipeCallers),
        PolicyDefinition.Switch(ZoomWaitingRoom),
        PolicyDefinition.Switch(ZoomJoinBeforeHost),
        PolicyDefinition.Switch(ZoomMuteUponEntry),
        PolicyDefinition.Switch(ZoomRequirePasscode),
        PolicyDefinition.TextList(AllowedProviders),
        PolicyDefinition.Text(DefaultProvider),
        PolicyDefinition.Switch(Reminders),
        PolicyDefinition.Number(ReminderMinutes, MinReminderMinutes, MaxReminderMinutes),
        PolicyDefinition.Number(DaysAhead, MinDaysAhead, MaxDaysAhead),
    ];
}
