using System;
using System.Globalization;
using System.Text;

namespace ClientBridge.Reminders;

/// <summary>A reminder as a notification says it: a title and a line of text, within the shell's limits.</summary>
public sealed record ReminderNotice(string Title, string Text);

/// <summary>
/// Which reminder the tray's notification is showing, so that a click joins the right meeting: the latest
/// reminder wins, and a click once the notification has timed out, was closed or was replaced by nothing does
/// nothing. Platform-neutral: the Windows tray shows <see cref="Show"/>'s text with Shell_NotifyIconW and calls
/// <see cref="Clicked"/> and <see cref="Closed"/> from the icon's callback messages.
/// </summary>
public sealed class ReminderBalloon
{
    /// <summary>szInfoTitle holds 64 UTF-16 units with the terminating zero.</summary>
    public const int TitleLimit = 63;

    /// <summary>szInfo holds 256 UTF-16 units with the terminating zero.</summary>
    public const int TextLimit = 255;

    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private MeetingReminder? _showing;
    private bool _displayed;

    public ReminderBalloon(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    /// <summary>The reminder whose notification is up, if any.</summary>
    public MeetingReminder? Showing
    {
        get
        {
            lock (_gate)
            {
                return _showing;
            }
        }
    }

    /// <summary>Records <paramref name="reminder"/> as the one showing (replacing any earlier one) and returns what to show.</summary>
    public ReminderNotice Show(MeetingReminder reminder)
    {
        ArgumentNullException.ThrowIfNull(reminder);
        ReminderNotice notice = Notice(reminder, _time.GetUtcNow(), _time.LocalTimeZone);
        lock (_gate)
        {
            _showing = reminder;
            _displayed = false;
        }

        return notice;
    }

    /// <summary>The shell says the latest notification is up (NIN_BALLOONSHOW): a close from now on is about it.</summary>
    public void Displayed()
    {
        lock (_gate)
        {
            _displayed = _showing is not null;
        }
    }

    /// <summary>The user clicked the notification: the link to open, or null when none is showing. Clears it.</summary>
    public string? Clicked()
    {
        lock (_gate)
        {
            string? url = _showing?.JoinUrl;
            _showing = null;
            _displayed = false;
            return url;
        }
    }

    /// <summary>
    /// The notification timed out or was dismissed: a later click does nothing. A close that arrives before the
    /// shell said the latest one is up is the replaced notification's, and leaves the latest one clickable.
    /// </summary>
    public void Closed()
    {
        lock (_gate)
        {
            if (_displayed)
            {
                _showing = null;
                _displayed = false;
            }
        }
    }

    /// <summary>"In 5 minutes: Design review" / "Starts at 09:00. Click to join.", fitted to the shell's limits.</summary>
    public static ReminderNotice Notice(MeetingReminder reminder, DateTimeOffset now, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(reminder);
        ArgumentNullException.ThrowIfNull(zone);
        int minutes = (int)Math.Ceiling((reminder.Start - now).TotalMinutes);
        string when = minutes switch
        {
            <= 0 => "Starting now",
            1 => "In 1 minute",
            _ => string.Create(CultureInfo.InvariantCulture, $"In {minutes} minutes"),
        };
        string subject = OneLine(reminder.Subject);
        string title = Upcoming.MenuBuilder.Fit(subject.Length == 0 ? when : $"{when}: {subject}", TitleLimit);
        string at = TimeZoneInfo.ConvertTime(reminder.Start, zone).ToString("HH:mm", CultureInfo.InvariantCulture);
        string text = Upcoming.MenuBuilder.Fit($"Starts at {at}. Click to join.", TextLimit);
        return new ReminderNotice(title, text);
    }

    private static string OneLine(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return string.Empty;
        }

        var line = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            line.Append(char.IsControl(c) ? ' ' : c);
        }

        return line.ToString().Trim();
    }
}
