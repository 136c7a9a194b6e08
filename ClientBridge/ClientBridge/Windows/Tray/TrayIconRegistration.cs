namespace ClientBridge.Windows.Tray;

/// <summary>How the shell knows the agent's notification icon.</summary>
public enum TrayIconIdentity
{
    /// <summary>By the fixed GUID (NIF_GUID), so that the shell keeps the user's "always show" choice across runs.</summary>
    ByGuid,

    /// <summary>By the window and the icon's id (no NIF_GUID): the shell forgets the user's choice, but never refuses it for its path.</summary>
    ByWindowAndId,
}

/// <summary>What the tray does next.</summary>
public enum TrayIconStep
{
    /// <summary>Add the icon (Shell_NotifyIcon NIM_ADD) with <see cref="TrayIconDecision.Identity"/>, then report with <see cref="TrayIconRegistration.AfterAdd"/>.</summary>
    Add,

    /// <summary>The icon is in the notification area; nothing to do until the taskbar is re-created.</summary>
    Shown,

    /// <summary>Nothing can be added now; try again when the shell broadcasts TaskbarCreated.</summary>
    WaitForTaskbar,
}

/// <summary>Why the tray did what it did, for the log (a fact about the shell, never anything of the user's).</summary>
public enum TrayIconReason
{
    /// <summary>Nothing went wrong.</summary>
    None,

    /// <summary>NIM_ADD with the GUID failed while no taskbar existed: Explorer is not ready yet (at logon, or restarting).</summary>
    NoTaskbarYet,

    /// <summary>
    /// NIM_ADD with the GUID failed although the taskbar is there: Windows ties an icon's GUID to the executable path
    /// that first registered it, so most likely the agent ran from another path before (another install, ClientBridge.exe
    /// rather than ClientBridgeW.exe). The icon is added without the GUID.
    /// </summary>
    GuidRefused,

    /// <summary>The shell refused the icon even without a GUID: it cannot take one now.</summary>
    ShellRefused,
}

/// <summary>One decision of <see cref="TrayIconRegistration"/>.</summary>
public readonly record struct TrayIconDecision(TrayIconStep Step, TrayIconIdentity Identity, TrayIconReason Reason);

/// <summary>
/// Decides how to get the tray icon into the notification area, and what to do after each failure, so that the
/// Win32 code only makes the calls. The icon is added with its GUID first. When that fails with no taskbar, the tray
/// waits for TaskbarCreated and tries the GUID again (PowerToys re-adds its icon on that message); when it fails with
/// the taskbar up, the GUID itself is refused (registered from another path), and the icon is added without it,
/// identified by its window and id, for the rest of the process. Platform-neutral; not thread-safe (the tray's thread owns it).
/// </summary>
public sealed class TrayIconRegistration
{
    /// <summary>True once an add without the GUID succeeded after one with it failed: the GUID is not ours to use in this process.</summary>
    private bool _guidRefused;

    /// <summary>The identity the next add and every later modify or delete use.</summary>
    public TrayIconIdentity Identity { get; private set; } = TrayIconIdentity.ByGuid;

    /// <summary>Whether the icon is in the notification area as far as the tray knows.</summary>
    public bool IsShown { get; private set; }

    /// <summary>At the tray's start: add the icon, with the GUID.</summary>
    public TrayIconDecision Start()
    {
        IsShown = false;
        return new TrayIconDecision(TrayIconStep.Add, Identity, TrayIconReason.None);
    }

    /// <summary>The taskbar was (re-)created, and any icon went with the old one: add it again, as it was last known.</summary>
    public TrayIconDecision TaskbarCreated()
    {
        IsShown = false;
        Identity = _guidRefused ? TrayIconIdentity.ByWindowAndId : TrayIconIdentity.ByGuid;
        return new TrayIconDecision(TrayIconStep.Add, Identity, TrayIconReason.None);
    }

    /// <summary>What to do after NIM_ADD with <see cref="Identity"/> returned <paramref name="added"/>, with the taskbar there or not.</summary>
    public TrayIconDecision AfterAdd(bool added, bool taskbarPresent)
    {
        if (added)
        {
            IsShown = true;
            if (Identity == TrayIconIdentity.ByWindowAndId)
            {
                _guidRefused = true;
                return new TrayIconDecision(TrayIconStep.Shown, Identity, TrayIconReason.GuidRefused);
            }

            return new TrayIconDecision(TrayIconStep.Shown, Identity, TrayIconReason.None);
        }

        IsShown = false;
        if (Identity == TrayIconIdentity.ByGuid && !_guidRefused)
        {
            if (!taskbarPresent)
            {
                return new TrayIconDecision(TrayIconStep.WaitForTaskbar, Identity, TrayIconReason.NoTaskbarYet);
            }

            Identity = TrayIconIdentity.ByWindowAndId;
            return new TrayIconDecision(TrayIconStep.Add, Identity, TrayIconReason.GuidRefused);
        }

        // Refused without the GUID too. Unless the GUID was proven refused before, it was not the cause: the next
        // taskbar starts again with it.
        Identity = _guidRefused ? TrayIconIdentity.ByWindowAndId : TrayIconIdentity.ByGuid;
        return new TrayIconDecision(TrayIconStep.WaitForTaskbar, Identity, taskbarPresent ? TrayIconReason.ShellRefused : TrayIconReason.NoTaskbarYet);
    }
}
