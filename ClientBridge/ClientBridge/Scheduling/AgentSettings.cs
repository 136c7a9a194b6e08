using System;
using System.Collections.Generic;
using ClientBridge.Providers;

namespace ClientBridge.Scheduling;

/// <summary>
/// The agent's settings, bound from configuration section <c>ClientBridge</c>, so environment variables such as
/// <c>ClientBridge__DefaultProvider</c> and <c>ClientBridge__Jitsi__BaseUrl</c> work as .NET configuration does.
/// </summary>
public sealed class AgentSettings
{
    public const string Section = "ClientBridge";

    /// <summary><c>jitsi</c> on a fresh install, so that meetings work before anyone signs in anywhere.</summary>
    public string DefaultProvider { get; set; } = JitsiProvider.ProviderName;

    /// <summary>The providers meetings may be made with unless the user's settings or a policy say otherwise; null: every one the agent has.</summary>
    public List<string>? AllowedProviders { get; set; }

    /// <summary>Minutes before a meeting its reminder comes unless the user's settings or a policy say otherwise; null: the built-in 5.</summary>
    public int? ReminderMinutes { get; set; }

    public JitsiOptions Jitsi { get; set; } = new();

    /// <summary>Zoom's addresses and app credentials (<c>ClientBridge__Zoom__ClientId</c>, …); Zoom is offered once a client id is set.</summary>
    public Providers.Zoom.ZoomAuthSettings Zoom { get; set; } = new();

    /// <summary>Defaults for new Zoom meetings (<c>ClientBridge__ZoomMeetings__WaitingRoom</c>, …).</summary>
    public Providers.Zoom.ZoomMeetingDefaults ZoomMeetings { get; set; } = new();

    /// <summary>How hard to retry Zoom (<c>ClientBridge__ZoomRetry__MaxRetries</c>, …).</summary>
    public Providers.Zoom.ZoomRetryOptions ZoomRetry { get; set; } = new();

    /// <summary>How the agent keeps trying a cancellation the provider could not take (<c>ClientBridge__CancelRetry__FirstDelay</c>, …).</summary>
    public CancelRetryOptions CancelRetry { get; set; } = new();

    /// <summary>Whether the agent will have <paramref name="provider"/>: Jitsi always, Zoom once a client id is set.</summary>
    public bool Offers(string provider) =>
        string.Equals(provider, JitsiProvider.ProviderName, StringComparison.OrdinalIgnoreCase)
        || (string.Equals(provider, Providers.Zoom.ZoomProvider.ProviderName, StringComparison.OrdinalIgnoreCase) && !string.IsNullOrWhiteSpace(Zoom.ClientId));

    /// <summary>Where the journal and logs live; the user's local app data when not set.</summary>
    public string? StateDirectory { get; set; }

    /// <summary>The one answer to where the state is: the given folder, else the user's local app data.</summary>
    public string State() => StateDirectory ?? Hosting.AgentPaths.StateDirectory();

    /// <summary>Where the logs go when not beside the state (<c>run --log-dir</c>).</summary>
    public string? LogDirectory { get; set; }

    /// <summary>The one answer to where the logs are: the given folder, else with the rest of the state.</summary>
    public string Logs() =>
        LogDirectory ?? (StateDirectory is { } state ? System.IO.Path.Combine(state, "logs") : Logging.AgentLogging.DefaultDirectory());

    /// <summary>Where <c>settings.json</c> lives; the user's roaming app data (or <c>~/.config</c>) when not set.</summary>
    public string? SettingsDirectory { get; set; }

    /// <summary>The one answer to where <c>settings.json</c> is: the given folder, else the user's roaming app data.</summary>
    public string Settings() => SettingsDirectory ?? Hosting.AgentPaths.SettingsDirectory();
}
