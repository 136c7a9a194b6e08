using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ClientBridge.Providers;
using ClientBridge.Providers.Zoom;
using ClientBridge.Scheduling;

namespace ClientBridge.Settings;

/// <summary>
/// What IT chose when installing (silent MSI properties), as configuration: stronger than the built-in defaults,
/// weaker than environment variables, the user's <c>settings.json</c> and policies. A value that is present but
/// unusable is left out and named in <see cref="WrongValues"/> (never its data), so that a typo in a deployment
/// never stops the agent.
/// </summary>
public sealed class InstallDefaults
{
    // The MSI writes these (Installer/); the WiX sources use the same key and value names.
    public const string KeyPath = @"Software\ClientBridge\Defaults";

    /// <summary>REG_SZ: <c>zoom</c> or <c>jitsi</c>.</summary>
    public const string DefaultProvider = "DefaultProvider";

    /// <summary>REG_SZ (names separated by <c>;</c> or <c>,</c>) or REG_MULTI_SZ.</summary>
    public const string AllowedProviders = "AllowedProviders";

    /// <summary>REG_SZ: an absolute http(s) address, for ZoomGov.</summary>
    public const string ZoomApiBaseUrl = "ZoomApiBaseUrl";

    /// <summary>REG_SZ: an absolute http(s) address, for ZoomGov.</summary>
    public const string ZoomOAuthBaseUrl = "ZoomOAuthBaseUrl";

    /// <summary>REG_SZ: the Zoom app's public client id.</summary>
    public const string ZoomClientId = "ZoomClientId";

    /// <summary>REG_SZ number or DWORD, <see cref="Policies.PolicyValues.MinReminderMinutes"/>–<see cref="Policies.PolicyValues.MaxReminderMinutes"/>.</summary>
    public const string ReminderMinutes = "ReminderMinutes";

    /// <summary>DWORD 1/0, kept there only so that an upgrade remembers it; the agent never reads it.</summary>
    public const string Autostart = "Autostart";

    // Zoom client ids are short tokens; anything this long is not one.
    private const int MaxClientIdLength = 256;

    private static readonly string[] KnownProviders = [JitsiProvider.ProviderName, ZoomProvider.ProviderName];

    private InstallDefaults(IReadOnlyDictionary<string, string?> configuration, IReadOnlyList<string> wrong)
    {
        Configuration = configuration;
        WrongValues = wrong;
    }

    /// <summary>Nothing installed: Linux, macOS, or an MSI given no properties.</summary>
    public static InstallDefaults None { get; } = new(new Dictionary<string, string?>(), []);

    /// <summary>Configuration keys (<c>ClientBridge:DefaultProvider</c>, <c>ClientBridge:AllowedProviders:0</c>, …) and their values.</summary>
    public IReadOnlyDictionary<string, string?> Configuration { get; }

    /// <summary>Names of the values that were present but unusable, and so were ignored.</summary>
    public IReadOnlyList<string> WrongValues { get; }

    /// <summary>
    /// Reads each value through <paramref name="read"/> (a registry value as .NET returns it: string, string[], int, …;
    /// null when absent). An empty string is "not set": the MSI writes one for every property IT left out.
    /// </summary>
    public static InstallDefaults Read(Func<string, object?> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var wrong = new List<string>();

        string? provider = Take(read, DefaultProvider, wrong, raw => raw is string s ? Known(s) : null);
        string[]? allowed = Take(read, AllowedProviders, wrong, Names);
        if (provider is not null && allowed is not null && !allowed.Contains(provider, StringComparer.Ordinal))
        {
            // As with the policies: a default the allowed list forbids contradicts it, and the list is the stronger statement.
            wrong.Add(DefaultProvider);
            provider = null;
        }

        Put(values, "ClientBridge:DefaultProvider", provider);
        for (int i = 0; i < (allowed?.Length ?? 0); i++)
        {
            values[string.Create(CultureInfo.InvariantCulture, $"ClientBridge:AllowedProviders:{i}")] = allowed![i];
        }

        Put(values, "ClientBridge:Zoom:ApiBaseUrl", Take(read, ZoomApiBaseUrl, wrong, WebAddress));
        Put(values, "ClientBridge:Zoom:OAuthBaseUrl", Take(read, ZoomOAuthBaseUrl, wrong, WebAddress));
        Put(values, "ClientBridge:Zoom:ClientId", Take(read, ZoomClientId, wrong, ClientId));
        Put(values, "ClientBridge:ReminderMinutes", Take<int?>(read, ReminderMinutes, wrong, Minutes)?.ToString(CultureInfo.InvariantCulture));
        return new InstallDefaults(values, wrong);
    }

    /// <summary>
    /// Reads each value from the first source that sets it (a per-user install's HKCU before a per-machine
    /// install's HKLM); an empty value falls through, as it means IT gave no property there.
    /// </summary>
    public static Func<string, object?> FirstSet(params Func<string, object?>[] sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        return name => sources.Select(source => source(name)).FirstOrDefault(value => !IsUnset(value));
    }

    private static bool IsUnset(object? value) => value switch
    {
        null => true,
        string s => string.IsNullOrWhiteSpace(s),
        string[] many => many.All(string.IsNullOrWhiteSpace),
        _ => false,
    };

    /// <summary>The value parsed, or null: not set (nothing noted) or wrong (its name noted).</summary>
    private static T? Take<T>(Func<string, object?> read, string name, List<string> wrong, Func<object, T?> parse)
    {
        object? raw = read(name);
        if (IsUnset(raw))
        {
            return default;
        }

        T? value = parse(raw!);
        if (value is null)
        {
            wrong.Add(name);
        }

        return value;
    }

    private static void Put(Dictionary<string, string?> values, string key, string? value)
    {
        if (value is not null)
        {
            values[key] = value;
        }
    }

    private static string? Known(string name) =>
        Array.Find(KnownProviders, known => string.Equals(known, name.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>Every name known, each once; one unknown name spoils the list, as allowing part of a mistyped list would surprise whoever wrote it.</summary>
    private static string[]? Names(object raw)
    {
        if (Policies.PolicyValues.SplitNames(raw) is not { } parts)
        {
            return null;
        }

        string?[] names = [.. parts.Select(Known)];
        return names.Length == 0 || names.Any(n => n is null) ? null : [.. names.OfType<string>().Distinct(StringComparer.Ordinal)];
    }

    private static string? WebAddress(object raw) =>
        raw is string text
        && Uri.TryCreate(text.Trim(), UriKind.Absolute, out Uri? uri)
        && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
        && uri.Host.Length > 0
        && uri.UserInfo.Length == 0
            ? text.Trim()
            : null;

    private static string? ClientId(object raw) =>
        raw is string text && text.Trim() is { Length: > 0 and <= MaxClientIdLength } id && !id.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))
            ? id
            : null;

    private static int? Minutes(object raw)
    {
        int? minutes = raw switch
        {
            int dword => dword,
            string text when int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int parsed) => parsed,
            _ => null,
        };

        return minutes is >= Policies.PolicyValues.MinReminderMinutes and <= Policies.PolicyValues.MaxReminderMinutes ? minutes : null;
    }

    /// <summary>
    /// What is left out once the whole configuration is known: an install default naming a provider this agent
    /// will not have (Zoom without a client id from anywhere), which would otherwise stop the agent from starting
    /// or leave no provider allowed. Returns the names of the values dropped.
    /// </summary>
    internal static IReadOnlyList<string> Reconcile(AgentSettings settings, bool defaultProviderInstalled, bool allowedProvidersInstalled)
    {
        var dropped = new List<string>();
        if (defaultProviderInstalled && !settings.Offers(settings.DefaultProvider))
        {
            dropped.Add(DefaultProvider);
            settings.DefaultProvider = new AgentSettings().DefaultProvider;
        }

        if (allowedProvidersInstalled && settings.AllowedProviders is { } allowed && !allowed.Any(settings.Offers))
        {
            dropped.Add(AllowedProviders);
            settings.AllowedProviders = null;
        }

        return dropped;
    }
}
