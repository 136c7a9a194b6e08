using System;

namespace ClientBridge.Windows.Tray;

/// <summary>
/// The tray's settings, bound from configuration section <c>ClientBridge:Tray</c> (environment variables
/// <c>ClientBridge__Tray__Enabled=false</c>, <c>ClientBridge__Tray__OpenMenuAfter=00:00:03</c>).
/// </summary>
public sealed class TrayOptions
{
    public const string Section = "ClientBridge:Tray";

    /// <summary>Show the notification icon (Windows only). False for an agent that should stay invisible.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// A test hook: opens the popup menu once, as a right-click would, this long after the icon was added and once a
    /// calendar has arrived (or a minute later without one). Used by the Wine test that captures the menu; unset in
    /// normal use.
    /// </summary>
    public TimeSpan? OpenMenuAfter { get; set; }
}
