using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ClientBridge.Scheduling;
using Microsoft.Extensions.Configuration;

namespace ClientBridge.Settings;

/// <summary>
/// The agent's configuration, weakest first: what IT installed (<see cref="InstallDefaults"/>), then
/// <c>ClientBridge__…</c> environment variables. The user's <c>settings.json</c> and policies go on top of the
/// result in <see cref="EffectiveSettings.Resolve"/>.
/// </summary>
public static class AgentConfiguration
{
    private const string AllowedProvidersKey = AgentSettings.Section + ":" + nameof(AgentSettings.AllowedProviders);
    private const string DefaultProviderKey = AgentSettings.Section + ":" + nameof(AgentSettings.DefaultProvider);

    /// <summary>Adds the sources in order; <paramref name="environmentPrefix"/> lets tests use variables of their own.</summary>
    public static IConfigurationBuilder AddAgentSources(this IConfigurationBuilder builder, InstallDefaults installed, string? environmentPrefix = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(installed);
        builder.Add(new InstallDefaultsSource(installed));
        return builder.AddEnvironmentVariables(environmentPrefix);
    }

    /// <summary>
    /// The agent's configuration as <c>run</c> binds it, for every command that must agree with the agent on where
    /// this user's files are: what the MSI wrote (Windows only), then the environment, added to
    /// <paramref name="configuration"/> and bound.
    /// </summary>
    /// <exception cref="InvalidOperationException">A value (from an environment variable) that does not bind.</exception>
    public static AgentSettings BindForCurrentUser(ConfigurationManager configuration, out IReadOnlyList<string> wrongInstallDefaults)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        InstallDefaults installed = OperatingSystem.IsWindows() ? Windows.RegistryInstallDefaults.Read() : InstallDefaults.None;
        configuration.AddAgentSources(installed);
        return Bind(configuration, installed, out wrongInstallDefaults);
    }

    /// <summary>
    /// Binds <see cref="AgentSettings"/> and returns the install defaults that could not be used: those wrong in
    /// themselves, and those naming a provider the rest of the configuration does not give the agent.
    /// </summary>
    /// <exception cref="InvalidOperationException">A value (from an environment variable) that does not bind.</exception>
    public static AgentSettings Bind(IConfigurationRoot configuration, InstallDefaults installed, out IReadOnlyList<string> wrongInstallDefaults)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(installed);
        AgentSettings settings = configuration.GetSection(AgentSettings.Section).Get<AgentSettings>() ?? new AgentSettings();

        // The binder merges lists index by index across sources; a list set as an environment variable replaces IT's instead.
        IConfigurationProvider? listSource = configuration.Providers.LastOrDefault(p => p.GetChildKeys([], AllowedProvidersKey).Any());
        settings.AllowedProviders = listSource is null ? null : ListFrom(listSource);

        IReadOnlyList<string> dropped = InstallDefaults.Reconcile(
            settings,
            defaultProviderInstalled: configuration.Providers.LastOrDefault(p => p.TryGet(DefaultProviderKey, out _)) is InstallDefaultsProvider,
            allowedProvidersInstalled: listSource is InstallDefaultsProvider);
        wrongInstallDefaults = [.. installed.WrongValues.Concat(dropped).Distinct(StringComparer.Ordinal)];
        return settings;
    }

    private static List<string> ListFrom(IConfigurationProvider provider) =>
    [
        .. provider.GetChildKeys([], AllowedProvidersKey)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(index => (Index: int.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture, out int i) ? i : int.MaxValue, Key: index))
            .OrderBy(entry => entry.Index)
            .Select(entry => provider.TryGet(AllowedProvidersKey + ":" + entry.Key, out string? name) ? name : null)
            .Where(name => !string.IsNullOrWhiteSpace(name))
            .Select(name => name!.Trim()),
    ];

    private sealed class InstallDefaultsSource(InstallDefaults installed) : IConfigurationSource
    {
        public IConfigurationProvider Build(IConfigurationBuilder builder) => new InstallDefaultsProvider(installed);
    }

    /// <summary>A type of its own, so that <see cref="Bind"/> can tell which values came from the installer.</summary>
    private sealed class InstallDefaultsProvider : ConfigurationProvider
    {
        public InstallDefaultsProvider(InstallDefaults installed)
        {
            foreach (KeyValuePair<string, string?> pair in installed.Configuration)
            {
                Data[pair.Key] = pair.Value;
            }
        }
    }
}
