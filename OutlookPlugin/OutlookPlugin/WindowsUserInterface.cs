using System;
using System.Drawing;
using System.Runtime.InteropServices;
using System.Windows.Forms;
using ClientBridge.Protocol;
using OutlookPlugin.Core.Addin;

namespace OutlookPlugin;

/// <summary>
/// The add-in's dialogs, on Outlook's main thread. Each is owned by an Outlook window (the inspector it was asked from,
/// else Outlook's active window), so it stays above it and cannot fall behind it; and each is created per-monitor DPI
/// aware, so it is sharp and rightly sized on the monitor that window is on, whatever awareness Outlook's process has.
/// </summary>
internal sealed class WindowsUserInterface : IUserInterface
{
    private const string Title = "ClientBridge";

    /// <summary>DPI_AWARENESS_CONTEXT_PER_MONITOR_AWARE_V2 (Windows 10 1703 and later).</summary>
    private static readonly IntPtr PerMonitorAwareV2 = new(-4);

    public void ShowError(string sentence) => InOwnersDpiContext(() =>
        MessageBox.Show(OwnerWindow.Of(null), sentence, Title, MessageBoxButtons.OK, MessageBoxIcon.Warning));

    public MeetingOptions? AskMeetingOptions(MeetingOptionsPrompt prompt) => InOwnersDpiContext(() => Ask(prompt));

    /// <summary>
    /// Runs with the thread's DPI awareness set to per-monitor v2 for the windows it creates, and put back after;
    /// where Windows has no such call (before 1607), as the process is.
    /// </summary>
    private static T InOwnersDpiContext<T>(Func<T> show)
    {
        IntPtr previous = IntPtr.Zero;
        try
        {
            previous = SetThreadDpiAwarenessContext(PerMonitorAwareV2);
        }
        catch (EntryPointNotFoundException)
        {
        }

        try
        {
            return show();
        }
        finally
        {
            if (previous != IntPtr.Zero)
            {
                SetThreadDpiAwarenessContext(previous);
            }
        }
    }

    private static MeetingOptions? Ask(MeetingOptionsPrompt prompt)
    {
        using var form = new Form
        {
            Text = "Video meeting options",
            FormBorderStyle = FormBorderStyle.FixedDialog,
            StartPosition = FormStartPosition.CenterParent,
            MinimizeBox = false,
            MaximizeBox = false,
            AutoSize = true,
            AutoSizeMode = AutoSizeMode.GrowAndShrink,
            Padding = new Padding(12),
        };
        var layout = new FlowLayoutPanel { FlowDirection = FlowDirection.TopDown, AutoSize = true, Dock = DockStyle.Fill };
        if (prompt.ScheduleForName is { } owner)
        {
            layout.Controls.Add(new Label { Text = "Scheduled for " + owner + " (their calendar).", AutoSize = true });
        }

        var waitingRoom = new CheckBox { Text = "Waiting room", Checked = prompt.Current.WaitingRoom ?? true, AutoSize = true };
        var passcode = new CheckBox { Text = "Require a passcode", Checked = prompt.Current.RequirePasscode ?? true, AutoSize = true };
        var hosts = new TextBox { Width = 320, Text = string.Join("; ", prompt.Current.AlternativeHosts ?? new System.Collections.Generic.List<string>()) };
        layout.Controls.Add(waitingRoom);
        layout.Controls.Add(passcode);
        layout.Controls.Add(new Label { Text = "Alternative hosts (e-mail addresses, separated by semicolons):", AutoSize = true });
        layout.Controls.Add(hosts);
        var ok = new Button { Text = "Add meeting", DialogResult = DialogResult.OK, AutoSize = true };
        var cancel = new Button { Text = "Cancel", DialogResult = DialogResult.Cancel, AutoSize = true };
        var buttons = new FlowLayoutPanel { AutoSize = true, Margin = new Padding(0, 8, 0, 0) };
        buttons.Controls.Add(ok);
        buttons.Controls.Add(cancel);
        layout.Controls.Add(buttons);
        form.Controls.Add(layout);
        form.AcceptButton = ok;
        form.CancelButton = cancel;
        form.Font = SystemFonts.MessageBoxFont;
        form.AutoScaleMode = AutoScaleMode.Dpi;
        if (form.ShowDialog(OwnerWindow.Of(prompt.Owner)) != DialogResult.OK)
        {
            return null;
        }

        var options = new MeetingOptions { WaitingRoom = waitingRoom.Checked, RequirePasscode = passcode.Checked };
        foreach (string host in hosts.Text.Split(';', ','))
        {
            if (host.Trim().Length > 0)
            {
                (options.AlternativeHosts ??= new System.Collections.Generic.List<string>()).Add(host.Trim());
            }
        }

        // An empty box asks nothing about hosts (null), so the user's default hosts still apply.
        return options;
    }

    [DllImport("user32.dll")]
    private static extern IntPtr SetThreadDpiAwarenessContext(IntPtr context);
}

/// <summary>An Outlook window as a dialog's owner: the inspector's own (IOleWindow), else the thread's active window.</summary>
internal sealed class OwnerWindow : IWin32Window
{
    private OwnerWindow(IntPtr handle) => Handle = handle;

    public IntPtr Handle { get; }

    public static IWin32Window? Of(object? inspector)
    {
        IntPtr handle = IntPtr.Zero;
        if (inspector is IOleWindow window)
        {
            try
            {
                window.GetWindow(out handle);
            }
            catch (COMException)
            {
                handle = IntPtr.Zero;
            }
        }

        if (handle == IntPtr.Zero)
        {
            handle = GetActiveWindow();
        }

        return handle == IntPtr.Zero ? null : new OwnerWindow(handle);
    }

    [DllImport("user32.dll")]
    private static extern IntPtr GetActiveWindow();
}

/// <summary>IOleWindow, which Outlook's Inspector and Explorer implement: their top-level window (FACTS §10).</summary>
[ComImport]
[Guid("00000114-0000-0000-C000-000000000046")]
[InterfaceType(ComInterfaceType.InterfaceIsIUnknown)]
internal interface IOleWindow
{
    void GetWindow(out IntPtr window);

    void ContextSensitiveHelp([MarshalAs(UnmanagedType.Bool)] bool enterMode);
}
