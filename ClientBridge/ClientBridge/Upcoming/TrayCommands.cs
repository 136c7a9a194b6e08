using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using ClientBridge.Protocol;
using ClientBridge.Providers;
using ClientBridge.Scheduling;
using ClientBridge.Server;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClientBridge.Upcoming;

/// <summary>What the tray's commands need from the desktop: open a link or a folder, show a message. The Windows tray implements it with <see cref="Desktop.ShellOpener"/> and MessageBoxW.</summary>
public interface ITrayShell
{
    /// <summary>Opens a web link, a meeting link or a folder with whatever the user has for it.</summary>
    void Open(string target);

    /// <summary>Shows a short message; <paramref name="isError"/> picks the error icon.</summary>
    void ShowMessage(string title, string text, bool isError);
}

/// <summary>
/// Performs the tray menu's commands: join, schedule a meeting now, sign in and out, open the log folder, about
/// and quit. Platform-neutral, so the tests check it with a fake <see cref="ITrayShell"/>; the Windows tray only
/// hands it the chosen <see cref="MenuEntry"/>. A failure is shown as one sentence and logged without calendar
/// content, never as a stack trace.
/// </summary>
public sealed partial class TrayCommands
{
    /// <summary>How long a meeting scheduled from the tray lasts.</summary>
    public const int ScheduleNowMinutes = 30;

    /// <summary>The topic of a meeting scheduled from the tray.</summary>
    public const string ScheduleNowTopic = "Meeting";

    private readonly SchedulingService _scheduling;
    private readonly IEnumerable<IProviderSignIn> _signIns;
    private readonly EventHub _events;
    private readonly ITrayShell _shell;
    private readonly string _logDirectory;
    private readonly Action _quit;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public TrayCommands(
        SchedulingService scheduling,
        IEnumerable<IProviderSignIn> signIns,
        EventHub events,
        ITrayShell shell,
        string logDirectory,
        Action quit,
        TimeProvider? time = null,
        ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(scheduling);
        ArgumentNullException.ThrowIfNull(signIns);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(shell);
        ArgumentNullException.ThrowIfNull(logDirectory);
        ArgumentNullException.ThrowIfNull(quit);
        _scheduling = scheduling;
        _signIns = signIns;
        _events = events;
        _shell = shell;
        _logDirectory = logDirectory;
        _quit = quit;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The About box's text: the name and the version.</summary>
    public static string AboutText => $"ClientBridge {AgentInfo.CurrentVersion}\nJoin and schedule online meetings from Outlook.";

    /// <summary>
    /// Whether a link may be handed to the shell: an absolute link that is not a local or network file (a calendar
    /// is written by others; a link must not start a program).
    /// </summary>
    public static bool IsOpenableLink(string? url) =>
        url is { Length: > 0 }
        && Uri.TryCreate(url, UriKind.Absolute, out Uri? uri)
        && !uri.IsFile
        && !uri.IsUnc
        && uri.Scheme is not ("javascript" or "vbscript" or "data" or "ms-msdt" or "search-ms" or "ms-search");

    /// <summary>Performs the entry's command; never throws (a failure is shown and logged). Returns once it is done.</summary>
    public async Task PerformAsync(MenuEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        string command = entry.Command ?? "none";
        try
        {
            switch (entry.Command)
            {
                case MenuCommands.Join:
                    Join(entry.Argument);
                    break;
                case MenuCommands.ScheduleNow:
                    await ScheduleNowAsync().ConfigureAwait(false);
                    break;
                case MenuCommands.SignIn:
                    await ChangeSignInAsync(entry.Argument, signIn: true, cancellationToken).ConfigureAwait(false);
                    break;
                case MenuCommands.SignOut:
                    await ChangeSignInAsync(entry.Argument, signIn: false, cancellationToken).ConfigureAwait(false);
                    break;
                case MenuCommands.OpenLogFolder:
                    OpenLogFolder();
                    break;
                case MenuCommands.About:
                    _shell.ShowMessage("About ClientBridge", AboutText, isError: false);
                    break;
                case MenuCommands.Quit:
                    _quit();
                    break;
                default:
                    Log.Unknown(_logger, command);
                    break;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Log.Cancelled(_logger, command);
        }
#pragma warning disable CA1031 // The tray must survive any failure of a command: it is shown as one sentence and logged.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            string code = ex is BridgeException bridge ? bridge.Code : ex.GetType().Name;
            Log.Failed(_logger, command, code);
            _shell.ShowMessage("ClientBridge", Sentence(command, ex), isError: true);
        }
    }

    /// <summary>One sentence for the user: the agent's own message where it has one (written for people), else what failed.</summary>
    public static string Sentence(string command, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is BridgeException { Message: { Length: > 0 } message })
        {
            return MenuBuilder.Fit(FirstLine(message), 300);
        }

        return command switch
        {
            MenuCommands.ScheduleNow => "The meeting could not be scheduled; the log folder has details.",
            MenuCommands.SignIn => "Signing in did not work; the log folder has details.",
            MenuCommands.SignOut => "Signing out did not work; the log folder has details.",
            MenuCommands.OpenLogFolder => "The log folder could not be opened.",
            MenuCommands.Join => "The meeting link could not be opened.",
            _ => "That did not work; the log folder has details.",
        };
    }

    private static string FirstLine(string text)
    {
        int end = text.AsSpan().IndexOfAny('\r', '\n');
        return end < 0 ? text : text[..end];
    }

    private void Join(string? url)
    {
        if (!IsOpenableLink(url))
        {
            Log.RefusedLink(_logger);
            _shell.ShowMessage("ClientBridge", "This meeting's link cannot be opened.", isError: true);
            return;
        }

        _shell.Open(url!);
    }

    private async Task ScheduleNowAsync()
    {
        DateTimeOffset now = _time.GetUtcNow();
        TimeZoneInfo zone = _time.LocalTimeZone;
        var request = new ScheduleMeetingRequest
        {
            RequestId = "tray-" + Guid.NewGuid().ToString("N"),
            Topic = ScheduleNowTopic,
            Start = TimeZoneInfo.ConvertTime(now, zone),
            DurationMinutes = ScheduleNowMinutes,
            TimeZoneId = zone.Id,
            Provider = null, // The effective default: a policy's, else the user's.
        };
        MeetingReply reply = await _scheduling.ScheduleAsync(request).ConfigureAwait(false);
        Log.Scheduled(_logger, reply.Provider);
        if (!IsOpenableLink(reply.JoinUrl))
        {
            Log.RefusedLink(_logger);
            _shell.ShowMessage("ClientBridge", "The meeting was scheduled, but it has no link that can be opened.", isError: true);
            return;
        }

        _shell.Open(reply.JoinUrl);
    }

    private async Task ChangeSignInAsync(string? provider, bool signIn, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(provider))
        {
            throw new BridgeException(ErrorCodes.BadRequest, "This menu entry names no provider.");
        }

        await SignIns.ChangeAsync(
            _signIns,
            _scheduling,
            _events,
            provider,
            signIn ? (s, ct) => s.SignInAsync(ct) : (s, ct) => s.SignOutAsync(ct),
            cancellationToken).ConfigureAwait(false);
        Log.SignInChanged(_logger, provider, signIn ? "signed in" : "signed out");
    }

    private void OpenLogFolder()
    {
        Directory.CreateDirectory(_logDirectory);
        _shell.Open(_logDirectory);
    }

    private static partial class Log
    {
        // Never a subject, a link or an address: only which command ran and how it ended.
        [LoggerMessage(EventId = 720, Level = LogLevel.Information, Message = "Tray: a meeting was scheduled now with {Provider}.")]
        public static partial void Scheduled(ILogger logger, string provider);

        [LoggerMessage(EventId = 721, Level = LogLevel.Information, Message = "Tray: {Provider} {Change}.")]
        public static partial void SignInChanged(ILogger logger, string provider, string change);

        [LoggerMessage(EventId = 722, Level = LogLevel.Warning, Message = "Tray command {Command} failed ({Code}).")]
        public static partial void Failed(ILogger logger, string command, string code);

        [LoggerMessage(EventId = 723, Level = LogLevel.Warning, Message = "Tray: a link that is not a web or meeting link was not opened.")]
        public static partial void RefusedLink(ILogger logger);

        [LoggerMessage(EventId = 724, Level = LogLevel.Information, Message = "Tray command {Command} is unknown; nothing done.")]
        public static partial void Unknown(ILogger logger, string command);

        [LoggerMessage(EventId = 725, Level = LogLevel.Information, Message = "Tray command {Command} was cancelled (the agent is stopping).")]
        public static partial void Cancelled(ILogger logger, string command);
    }
}
