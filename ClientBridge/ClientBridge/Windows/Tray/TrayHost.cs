using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Threading;
using System.Threading.Tasks;
using ClientBridge.Protocol;
using ClientBridge.Providers;
using ClientBridge.Reminders;
using ClientBridge.Scheduling;
using ClientBridge.Server;
using ClientBridge.Upcoming;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ClientBridge.Windows.Tray;

/// <summary>
/// The notification icon and its popup menu, on a thread of its own with a hidden window and a message loop. It
/// draws what <see cref="MenuBuilder"/> models (through <see cref="UpcomingService"/>), hands the chosen entry to
/// <see cref="TrayCommands"/> and shows <see cref="ReminderScheduler.Due"/> reminders as notifications whose click
/// joins (<see cref="ReminderBalloon"/> remembers which); nothing here decides what the menu or a reminder says.
/// </summary>
[SupportedOSPlatform("windows")]
internal sealed partial class TrayHost : IHostedService, IDisposable
{
    /// <summary>Fixed, so that the shell keeps the user's "always show" choice for this icon across runs.</summary>
    private static readonly Guid IconGuid = new("6c1f3a52-8e0b-4d55-9a3c-1b7e2f40c9d1");

    /// <summary>The icon's id within the tray's window, which identifies it when the GUID cannot (<see cref="TrayIconIdentity.ByWindowAndId"/>).</summary>
    private const uint IconId = 1;

    private const uint CallbackMessage = TrayNative.WM_APP + 1;
    private const uint UpdateTooltipMessage = TrayNative.WM_APP + 2;
    private const uint OpenMenuMessage = TrayNative.WM_APP + 3;
    private const uint ShowReminderMessage = TrayNative.WM_APP + 4;
    private const uint OpenTargetMessage = TrayNative.WM_APP + 5;
    private const string WindowClass = "ClientBridge.Tray";

    private static TrayHost? s_current;

    private readonly UpcomingService _upcoming;
    private readonly TrayOptions _options;
    private readonly ILogger<TrayHost> _logger;
    private readonly ReminderScheduler _reminders;
    private readonly TrayCommands _commands;
    private readonly Desktop.ShellOpener _opener;
    private readonly ReminderBalloon _balloon = new();
    private readonly TrayIconRegistration _registration = new();
    private readonly ConcurrentQueue<string> _toOpen = new();
    private readonly CancellationTokenSource _stopping = new();
    private MeetingReminder? _pendingReminder;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Thread? _thread;
    private Timer? _openMenuTimer;
    private nint _window;
    private nint _icon;
    private bool _ownsIcon;
    private uint _taskbarCreated;
    private string _tooltip = "ClientBridge";
    private nint _rootMenu;

    public TrayHost(
        UpcomingService upcoming,
        TrayOptions options,
        Hosting.AgentShutdown shutdown,
        ILogger<TrayHost> logger,
        ReminderScheduler reminders,
        SchedulingService scheduling,
        IEnumerable<IProviderSignIn> signIns,
        EventHub events,
        AgentSettings settings,
        Desktop.ShellOpener opener)
    {
        ArgumentNullException.ThrowIfNull(upcoming);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(shutdown);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(reminders);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(opener);
        _upcoming = upcoming;
        _opener = opener;
        _options = options;
        _logger = logger;
        _reminders = reminders;

        // Where RunCommand puts the log when no --log-dir was given.
        _commands = new TrayCommands(scheduling, signIns, events, new Shell(this), settings.Logs(), () => shutdown.Request("the tray's Quit"), logger: logger);
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_options.Enabled)
        {
            Log.Disabled(_logger);
            return;
        }

        if (Interlocked.CompareExchange(ref s_current, this, null) is not null)
        {
            return; // One tray per process.
        }

        _thread = new Thread(Run) { IsBackground = true, Name = "ClientBridge tray" };
        _thread.SetApartmentState(ApartmentState.STA);
        _thread.Start();

        // The agent serves the pipe whether or not a shell shows the icon: wait briefly, never fail the start.
        await Task.WhenAny(_ready.Task, Task.Delay(TimeSpan.FromSeconds(5), cancellationToken)).ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping.Cancel();
        nint window = Volatile.Read(ref _window);
        if (window != 0)
        {
            TrayNative.PostMessage(window, TrayNative.WM_CLOSE, 0, 0);
        }

        _thread?.Join(TimeSpan.FromSeconds(5));
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _openMenuTimer?.Dispose();
        _stopping.Dispose();
        Interlocked.CompareExchange(ref s_current, null, this);
    }

    [UnmanagedCallersOnly]
    private static nint WindowProcedure(nint hwnd, uint message, nint wParam, nint lParam)
    {
        TrayHost? host = Volatile.Read(ref s_current);
        if (host is null)
        {
            return TrayNative.DefWindowProc(hwnd, message, wParam, lParam);
        }

        try
        {
            return host.Handle(hwnd, message, wParam, lParam);
        }
#pragma warning disable CA1031 // An exception must not cross into user32's stack; it is logged and the message treated as handled.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.Failed(host._logger, ex);
            return 0;
        }
    }

    private unsafe void Run()
    {
        nint instance = TrayNative.GetModuleHandle(0);
        nint className = Marshal.StringToHGlobalUni(WindowClass);
        try
        {
            var windowClass = new TrayNative.WNDCLASSEXW
            {
                Size = (uint)sizeof(TrayNative.WNDCLASSEXW),
                WndProc = &WindowProcedure,
                Instance = instance,
                ClassName = className,
            };
            if (TrayNative.RegisterClassEx(windowClass) == 0)
            {
                Log.WindowFailed(_logger, "RegisterClassEx", Marshal.GetLastPInvokeError());
                return;
            }

            // A hidden top-level window rather than a message-only one: only top-level windows get TaskbarCreated.
            nint window = TrayNative.CreateWindowEx(0, WindowClass, "ClientBridge", 0, 0, 0, 0, 0, 0, 0, instance, 0);
            if (window == 0)
            {
                Log.WindowFailed(_logger, "CreateWindowEx", Marshal.GetLastPInvokeError());
                return;
            }

            Volatile.Write(ref _window, window);
            _taskbarCreated = TrayNative.RegisterWindowMessage("TaskbarCreated");
            (_icon, _ownsIcon) = TrayIcon.Create();
            _tooltip = _upcoming.Menu(meetingsOnly: true).Tooltip;
            AddIcon(_registration.Start());
            _upcoming.Rebuilt += OnRebuilt;
            _reminders.Due += OnReminderDue;
            if (_options.OpenMenuAfter is { } delay)
            {
                // The test hook: once a calendar has arrived (or a minute has passed), as a right-click would.
                DateTimeOffset giveUp = DateTimeOffset.UtcNow.AddMinutes(1);
                _openMenuTimer = new Timer(
                    _ =>
                    {
                        if (_upcoming.Current.Revision == 0 && DateTimeOffset.UtcNow < giveUp)
                        {
                            _openMenuTimer?.Change(TimeSpan.FromMilliseconds(250), Timeout.InfiniteTimeSpan);
                            return;
                        }

                        TrayNative.PostMessage(window, OpenMenuMessage, 0, 0);
                    },
                    null,
                    delay,
                    Timeout.InfiniteTimeSpan);
            }

            _ready.TrySetResult();
            while (TrayNative.GetMessage(out TrayNative.MSG message, 0, 0, 0) > 0)
            {
                TrayNative.TranslateMessage(message);
                TrayNative.DispatchMessage(message);
            }
        }
        finally
        {
            _upcoming.Rebuilt -= OnRebuilt;
            _reminders.Due -= OnReminderDue;
            _ready.TrySetResult();
            if (_ownsIcon && _icon != 0)
            {
                TrayNative.DestroyIcon(_icon);
            }

            TrayNative.UnregisterClass(WindowClass, instance);
            Marshal.FreeHGlobal(className);
            Volatile.Write(ref _window, 0);
        }
    }

    private nint Handle(nint hwnd, uint message, nint wParam, nint lParam)
    {
        switch (message)
        {
            case CallbackMessage:
                // NOTIFYICON_VERSION_4: the event in LOWORD(lParam), the anchor point in wParam.
                uint notification = TrayNative.LowWord(lParam);
                if (notification is TrayNative.WM_CONTEXTMENU or TrayNative.NIN_SELECT or TrayNative.NIN_KEYSELECT)
                {
                    ShowMenu(hwnd, TrayNative.SignedLowWord(wParam), TrayNative.SignedHighWord(wParam));
                }
                else if (notification == TrayNative.NIN_BALLOONSHOW)
                {
                    _balloon.Displayed();
                }
                else if (notification is TrayNative.NIN_BALLOONTIMEOUT or TrayNative.NIN_BALLOONHIDE)
                {
                    _balloon.Closed();
                }
                else if (notification == TrayNative.NIN_BALLOONUSERCLICK)
                {
                    string? url = _balloon.Clicked();
                    Log.ReminderClicked(_logger, url is not null);
                    if (url is not null)
                    {
                        Perform(new MenuEntry { Label = "Join", Enabled = true, Command = MenuCommands.Join, Argument = url });
                    }
                }

                return 0;
            case ShowReminderMessage:
                if (Interlocked.Exchange(ref _pendingReminder, null) is { } reminder)
                {
                    ShowReminder(reminder);
                }

                return 0;
            case OpenTargetMessage:
                while (_toOpen.TryDequeue(out string? target))
                {
                    OpenNow(target);
                }

                return 0;
            case UpdateTooltipMessage:
                ModifyTip();
                return 0;
            case OpenMenuMessage:
                TrayNative.GetCursorPos(out TrayNative.POINT point);
                ShowMenu(hwnd, point.X, point.Y);
                return 0;
            case TrayNative.WM_INITMENUPOPUP:
                if (wParam == _rootMenu)
                {
                    Log.MenuShown(_logger, _upcoming.Current.Revision);
                }

                return 0;
            case TrayNative.WM_DESTROY:
                RemoveIcon();
                TrayNative.PostQuitMessage(0);
                return 0;
            default:
                if (message == _taskbarCreated && _taskbarCreated != 0)
                {
                    // Explorer (re)started: the icon is gone with the old taskbar, or could not be added before it existed.
                    Log.TaskbarCreated(_logger);
                    AddIcon(_registration.TaskbarCreated());
                    return 0;
                }

                return TrayNative.DefWindowProc(hwnd, message, wParam, lParam);
        }
    }

    private void OnRebuilt(object? sender, UpcomingView view)
    {
        string tooltip = MenuBuilder.Tooltip(view);
        Volatile.Write(ref _tooltip, tooltip);
        nint window = Volatile.Read(ref _window);
        if (window != 0)
        {
            TrayNative.PostMessage(window, UpdateTooltipMessage, 0, 0);
        }
    }

    private void OnReminderDue(object? sender, MeetingReminder reminder)
    {
        // Called on the scheduler's thread: the latest reminder waits for the tray's thread, which shows it.
        Volatile.Write(ref _pendingReminder, reminder);
        nint window = Volatile.Read(ref _window);
        if (window != 0)
        {
            TrayNative.PostMessage(window, ShowReminderMessage, 0, 0);
        }
    }

    private unsafe void ShowReminder(MeetingReminder reminder)
    {
        ReminderNotice notice = _balloon.Show(reminder);
        TrayNative.NOTIFYICONDATAW data = IconData(TrayNative.NIF_INFO);
        data.InfoFlags = TrayNative.NIIF_INFO | TrayNative.NIIF_RESPECT_QUIET_TIME;
        notice.Title.AsSpan().CopyTo(new Span<char>(data.InfoTitle, ReminderBalloon.TitleLimit));
        notice.Text.AsSpan().CopyTo(new Span<char>(data.Info, ReminderBalloon.TextLimit));
        bool shown = TrayNative.Shell_NotifyIcon(TrayNative.NIM_MODIFY, data);
        Log.ReminderShown(_logger, shown);
    }

    private void OpenNow(string target)
    {
        try
        {
            _opener.Open(target);
        }
        catch (Desktop.ShellOpenException e)
        {
            // The opener logged the error, never the target (a link or a folder).
            string sentence = $"Windows could not open that ({e.Message}); is a web browser set up?";
            _ = Task.Run(() => ShowMessage("ClientBridge", sentence, isError: true));
        }
    }

    private static void ShowMessage(string title, string text, bool isError) =>
        TrayNative.MessageBox(
            0,
            text,
            title,
            TrayNative.MB_OK | TrayNative.MB_SETFOREGROUND | TrayNative.MB_TOPMOST | (isError ? TrayNative.MB_ICONERROR : TrayNative.MB_ICONINFORMATION));

    private unsafe TrayNative.NOTIFYICONDATAW IconData(uint flags)
    {
        var data = new TrayNative.NOTIFYICONDATAW
        {
            Size = (uint)sizeof(TrayNative.NOTIFYICONDATAW),
            Hwnd = _window,
            Id = IconId,
            Flags = _registration.Identity == TrayIconIdentity.ByGuid ? flags | TrayNative.NIF_GUID : flags,
            GuidItem = _registration.Identity == TrayIconIdentity.ByGuid ? IconGuid : Guid.Empty,
            CallbackMessage = CallbackMessage,
            Icon = _icon,
        };
        string tip = MenuBuilder.Fit(Volatile.Read(ref _tooltip), MenuBuilder.TooltipLimit);
        tip.AsSpan().CopyTo(new Span<char>(data.Tip, 127));
        return data;
    }

    /// <summary>Carries out <see cref="TrayIconRegistration"/>'s decisions until the icon is shown or must wait for the taskbar.</summary>
    private void AddIcon(TrayIconDecision decision)
    {
        while (decision.Step == TrayIconStep.Add)
        {
            bool added = TryAddIcon();
            bool taskbar = added || TrayNative.FindWindow("Shell_TrayWnd", null) != 0;
            decision = _registration.AfterAdd(added, taskbar);
            switch (decision)
            {
                case { Step: TrayIconStep.Shown, Reason: TrayIconReason.GuidRefused }:
                    Log.IconAdded(_logger, "its window (without a GUID)");
                    break;
                case { Step: TrayIconStep.Shown }:
                    Log.IconAdded(_logger, "its GUID");
                    break;
                case { Step: TrayIconStep.Add, Reason: TrayIconReason.GuidRefused }:
                    Log.GuidRefused(_logger);
                    break;
                case { Step: TrayIconStep.WaitForTaskbar, Reason: TrayIconReason.NoTaskbarYet }:
                    Log.NoTaskbarYet(_logger);
                    break;
                default:
                    Log.IconFailed(_logger);
                    break;
            }
        }
    }

    private bool TryAddIcon()
    {
        TrayNative.NOTIFYICONDATAW data = IconData(TrayNative.NIF_MESSAGE | TrayNative.NIF_ICON | TrayNative.NIF_TIP | TrayNative.NIF_SHOWTIP);

        // A stale icon of ours (a crashed run) makes NIM_ADD fail: remove it first.
        TrayNative.Shell_NotifyIcon(TrayNative.NIM_DELETE, IconData(0));
        if (!TrayNative.Shell_NotifyIcon(TrayNative.NIM_ADD, data))
        {
            return false;
        }

        data.TimeoutOrVersion = TrayNative.NOTIFYICON_VERSION_4;
        TrayNative.Shell_NotifyIcon(TrayNative.NIM_SETVERSION, data);
        return true;
    }

    private void ModifyTip() => TrayNative.Shell_NotifyIcon(TrayNative.NIM_MODIFY, IconData(TrayNative.NIF_TIP | TrayNative.NIF_SHOWTIP));

    private void RemoveIcon() => TrayNative.Shell_NotifyIcon(TrayNative.NIM_DELETE, IconData(0));

    private void ShowMenu(nint hwnd, int x, int y)
    {
        UpcomingReply model = _upcoming.Menu();
        var map = new TrayMenuMap(model.Menu);
        var menus = new List<nint>();
        nint root = Build(map, model.Menu, menus);
        _rootMenu = root;
        try
        {
            // EarTrumpet's recipe: foreground first or the menu never closes; WM_NULL after so a second click works.
            TrayNative.SetForegroundWindow(hwnd);
            int chosen = TrayNative.TrackPopupMenuEx(root, TrayNative.TPM_RETURNCMD | TrayNative.TPM_RIGHTBUTTON | TrayNative.TPM_BOTTOMALIGN, x, y, hwnd, 0);
            TrayNative.PostMessage(hwnd, TrayNative.WM_NULL, 0, 0);
            if (map.Find(chosen) is { } entry)
            {
                Perform(entry);
            }
        }
        finally
        {
            _rootMenu = 0;
            TrayNative.DestroyMenu(root); // Destroys its submenus too.
        }
    }

    private static nint Build(TrayMenuMap map, IReadOnlyList<MenuEntry> entries, List<nint> menus)
    {
        nint menu = TrayNative.CreatePopupMenu();
        menus.Add(menu);
        foreach (MenuEntry entry in entries)
        {
            string label = TrayMenuMap.NativeLabel(entry.Label);
            if (entry.Kind == MenuEntryKind.Separator)
            {
                TrayNative.AppendMenu(menu, TrayNative.MF_SEPARATOR, 0, null);
            }
            else if (entry.Children is { Count: > 0 } children)
            {
                nint submenu = Build(map, children, menus);
                TrayNative.AppendMenu(menu, TrayNative.MF_POPUP | (entry.Enabled ? 0 : TrayNative.MF_GRAYED), (nuint)submenu, label);
            }
            else
            {
                int id = map.IdOf(entry);
                uint flags = TrayNative.MF_STRING | (id == 0 ? TrayNative.MF_GRAYED : 0);
                TrayNative.AppendMenu(menu, flags, (nuint)id, label);
            }
        }

        return menu;
    }

    private void Perform(MenuEntry entry)
    {
        Log.Chosen(_logger, entry.Command ?? "none");

        // Off the tray's thread: a sign-in waits for the browser and scheduling for the provider, and the icon must
        // stay responsive meanwhile. TrayCommands never throws; links and folders come back here through Shell.
        CancellationToken stopping = _stopping.Token;
        _ = Task.Run(() => _commands.PerformAsync(entry, stopping), CancellationToken.None);
    }

    /// <summary>The desktop for <see cref="TrayCommands"/>: opens on the tray's STA thread, shows messages on the caller's.</summary>
    private sealed class Shell(TrayHost host) : ITrayShell
    {
        public void Open(string target)
        {
            nint window = Volatile.Read(ref host._window);
            if (window == 0)
            {
                host.OpenNow(target);
                return;
            }

            host._toOpen.Enqueue(target);
            TrayNative.PostMessage(window, OpenTargetMessage, 0, 0);
        }

        public void ShowMessage(string title, string text, bool isError) => TrayHost.ShowMessage(title, text, isError);
    }

    private static partial class Log
    {
        // Never a subject, a name or a link: only what the tray did.
        [LoggerMessage(EventId = 700, Level = LogLevel.Information, Message = "Tray icon added to the notification area. The shell knows it by {Identity}.")]
        public static partial void IconAdded(ILogger logger, string identity);

        [LoggerMessage(EventId = 701, Level = LogLevel.Warning, Message = "The shell refused the tray icon even without a GUID; the agent runs on without it and tries again when the taskbar is re-created.")]
        public static partial void IconFailed(ILogger logger);

        [LoggerMessage(EventId = 713, Level = LogLevel.Warning, Message = "The shell refused the tray icon's GUID while the taskbar is up; Windows ties that GUID to the path of the ClientBridge executable that first showed it, so the agent probably ran from another path before. Adding the icon without a GUID.")]
        public static partial void GuidRefused(ILogger logger);

        [LoggerMessage(EventId = 714, Level = LogLevel.Information, Message = "No taskbar yet (Explorer is not ready); the tray icon will be added when the taskbar appears.")]
        public static partial void NoTaskbarYet(ILogger logger);

        [LoggerMessage(EventId = 702, Level = LogLevel.Information, Message = "Tray menu opened (calendar revision {Revision}).")]
        public static partial void MenuShown(ILogger logger, long revision);

        [LoggerMessage(EventId = 703, Level = LogLevel.Information, Message = "Tray command {Command} chosen.")]
        public static partial void Chosen(ILogger logger, string command);

        [LoggerMessage(EventId = 705, Level = LogLevel.Information, Message = "The taskbar was re-created; adding the tray icon again.")]
        public static partial void TaskbarCreated(ILogger logger);

        [LoggerMessage(EventId = 706, Level = LogLevel.Warning, Message = "The tray could not start: {Call} failed with error {Error}.")]
        public static partial void WindowFailed(ILogger logger, string call, int error);

        [LoggerMessage(EventId = 707, Level = LogLevel.Error, Message = "The tray failed handling a window message.")]
        public static partial void Failed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 711, Level = LogLevel.Information, Message = "Reminder notification shown: {Shown}.")]
        public static partial void ReminderShown(ILogger logger, bool shown);

        [LoggerMessage(EventId = 712, Level = LogLevel.Information, Message = "Reminder notification clicked (a meeting to join: {Joining}).")]
        public static partial void ReminderClicked(ILogger logger, bool joining);

        [LoggerMessage(EventId = 708, Level = LogLevel.Information, Message = "The tray is turned off by settings (ClientBridge:Tray:Enabled=false).")]
        public static partial void Disabled(ILogger logger);
    }
}
