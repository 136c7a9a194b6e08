using System;
using System.Collections.Generic;
using System.Linq;

namespace ClientBridge.Policies;

/// <summary>
/// A policy that carries a value, read as PowerToys' gpo.h reads them: not configured (absent), enabled with a
/// valid value, or a wrong value (wrong registry type, out of range, blank), which is logged and ignored.
/// </summary>
public readonly record struct PolicyValue<T>(PolicyState State, T? Value)
{
    public bool IsSet => State == PolicyState.Enabled;
}

public static partial class PolicyValues
{
    /// <summary>REG_MULTI_SZ (or REG_SZ separated by <c>;</c> or <c>,</c>): the only meeting providers users may schedule with.</summary>
    public const string AllowedProviders = "AllowedProviders";

    /// <summary>REG_SZ: the provider a meeting is made with when the request names none (<c>zoom</c>, <c>jitsi</c>).</summary>
    public const string DefaultProvider = "DefaultProvider";

    /// <summary>DWORD 1/0: reminders before meetings with a link are shown, or never.</summary>
    public const string Reminders = "Reminders";

    /// <summary>DWORD <see cref="MinReminderMinutes"/>–<see cref="MaxReminderMinutes"/>: how many minutes before a meeting its reminder comes.</summary>
    public const string ReminderMinutes = "ReminderMinutes";

    /// <summary>DWORD <see cref="MinDaysAhead"/>–<see cref="MaxDaysAhead"/>: how many days of the calendar the agent is told about.</summary>
    public const string DaysAhead = "DaysAhead";

    public const int MinReminderMinutes = 1;
    public const int MaxReminderMinutes = 120;
    public const int MinDaysAhead = 1;
    public const int MaxDaysAhead = 365;

    /// <summary>A DWORD within <paramref name="min"/>..<paramref name="max"/>; another type or a number outside is a wrong value.</summary>
    public static PolicyValue<int> ReadNumber(IPolicySource source, string valueName, int min, int max)
    {
        ArgumentNullException.ThrowIfNull(source);
        return source.Read(valueName) switch
        {
            null => new(PolicyState.NotConfigured, 0),
            int i when i >= min && i <= max => new(PolicyState.Enabled, i),
            _ => new(PolicyState.WrongValue, 0),
        };
    }

    /// <summary>A REG_SZ that is not blank, trimmed; another type or a blank string is a wrong value.</summary>
    public static PolicyValue<string> ReadText(IPolicySource source, string valueName)
    {
        ArgumentNullException.ThrowIfNull(source);
        return source.Read(valueName) switch
        {
            null => new(PolicyState.NotConfigured, null),
            string s when !string.IsNullOrWhiteSpace(s) => new(PolicyState.Enabled, s.Trim()),
            _ => new(PolicyState.WrongValue, null),
        };
    }

    /// <summary>
    /// Provider names from a REG_MULTI_SZ or a REG_SZ list (<c>zoom;jitsi</c>), trimmed, each once (names compare ignoring case).
    /// A list with no name in it, or another type, is a wrong value: allowing nothing at all is not a choice an
    /// administrator makes by leaving a list empty.
    /// </summary>
    public static PolicyValue<IReadOnlyList<string>> ReadNames(IPolicySource source, string valueName)
    {
        ArgumentNullException.ThrowIfNull(source);
        object? value = source.Read(valueName);
        if (value is null)
        {
            return new(PolicyState.NotConfigured, null);
        }

        string[] names = [.. (SplitNames(value) ?? []).Distinct(StringComparer.OrdinalIgnoreCase)];
        return names.Length == 0 ? new(PolicyState.WrongValue, null) : new(PolicyState.Enabled, names);
    }

    /// <summary>
    /// A list of names as a registry value holds one: REG_MULTI_SZ, or REG_SZ separated by <c>;</c> or <c>,</c>;
    /// trimmed, blanks dropped. Null for a value of another type. Policies and the installer's defaults both read lists so.
    /// </summary>
    public static IEnumerable<string>? SplitNames(object value) => value switch
    {
        string[] many => many.SelectMany(Split),
        string one => Split(one),
        _ => null,
    };

    private static IEnumerable<string> Split(string? text) =>
        (text ?? string.Empty).Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
