using System.Drawing;
using System.Windows.Forms;
using ClientBridge.Protocol;
using OutlookPlugin.Core.Addin;

namespace OutlookPlugin;

/// <summary>The add-in's dialogs, on Outlook's main thread.</summary>
internal sealed class WindowsUserInterface : IUserInterface
{
    private const string Title = "ClientBridge";

    public void ShowError(string sentence) =>
        MessageBox.Show(sentence, Title, MessageBoxButtons.OK, MessageBoxIcon.Warning);

    public MeetingOptions? AskMeetingOptions(MeetingOptionsPrompt prompt)
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
        if (form.ShowDialog() != DialogResult.OK)
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
}
