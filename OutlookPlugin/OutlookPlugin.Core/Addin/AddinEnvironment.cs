using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using ClientBridge.Protocol;

namespace OutlookPlugin.Core.Addin;

/// <summary>What the add-in shows the user; a Windows dialog in Outlook, a recorder in the tests.</summary>
public interface IUserInterface
{
    /// <summary>One sentence the user can act on; never a stack trace.</summary>
    void ShowError(string sentence);

    /// <summary>Asks for a meeting's options; null when the user cancels.</summary>
    MeetingOptions? AskMeetingOptions(MeetingOptionsPrompt prompt);
}

/// <summary>What the options dialog starts from.</summary>
public sealed class MeetingOptionsPrompt
{
    public string Provider { get; set; } = string.Empty;

    /// <summary>Whose meeting it is when a delegate schedules in another user's calendar (display name), else null.</summary>
    public string? ScheduleForName { get; set; }

    public MeetingOptions Current { get; set; } = new();

    /// <summary>
    /// The window the dialog belongs to: the inspector the button was clicked in (its HWND comes through IOleWindow),
    /// so that the dialog stays above it and on its monitor. Opaque here; only the Windows side looks into it.
    /// </summary>
    public object? Owner { get; set; }
}

/// <summary>The add-in's own diagnostics. Messages never carry calendar content, addresses or links.</summary>
public interface IAddinLog
{
    void Write(string level, string message);
}

/// <summary>Per-user settings of the add-in.</summary>
public sealed class AddinSettings
{
    /// <summary>How far ahead the calendar is read when the agent does not say (its settings and policies decide).</summary>
    public int DaysAhead { get; set; } = 30;

    /// <summary>How long to wait after a change event before acting: Outlook raises several for one save.</summary>
    public TimeSpan Debounce { get; set; } = TimeSpan.FromMilliseconds(400);

    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Tries per request when the agent goes away mid-request; the request id makes each retry safe.</summary>
    public int Attempts { get; set; } = 4;

    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>The clock every wait of the add-in runs on: the machine's, or the lifecycle soak's virtual one.</summary>
    public AddinClock Clock { get; set; } = AddinClock.System;

    /// <summary>
    /// Which Outlook this is, for the tag's home (<see cref="MeetingTag.Home"/>): a hash of the machine's name, so that
    /// two Outlooks on one mailbox tell each other apart without a machine name in the mailbox.
    /// </summary>
    public string MachineId { get; set; } = MachineIdOf(Environment.MachineName);

    /// <summary>
    /// Where the add-in keeps the request and meeting ids of the meetings it follows (no subject, no address), so that
    /// one deleted for good while Outlook was closed, or before its deletion was confirmed, is cancelled at the next
    /// start. Null keeps nothing (the tests' default); the add-in in Outlook uses %LOCALAPPDATA%\ClientBridge.
    /// </summary>
    public string? StateDirectory { get; set; }

    /// <summary>How long a change the meeting's home Outlook has not sent waits before this Outlook sends it (the home may be off).</summary>
    public TimeSpan TakeoverAfter { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>16 hex digits of SHA-256 over the name: stable per machine, not the name itself.</summary>
    public static string MachineIdOf(string machineName) => HexHash(machineName ?? string.Empty, bytes: 8);

    /// <summary>The first <paramref name="bytes"/> bytes of SHA-256 over the text's UTF-8, as lower-case hex: stable ids that reveal nothing.</summary>
    public static string HexHash(string text, int bytes)
    {
        using var sha = System.Security.Cryptography.SHA256.Create();
        byte[] hash = sha.ComputeHash(System.Text.Encoding.UTF8.GetBytes(text));
        var hex = new System.Text.StringBuilder(bytes * 2);
        for (int i = 0; i < bytes; i++)
        {
            hex.Append(hash[i].ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return hex.ToString();
    }

    /// <summary>Other users' calendars (addresses or names) read for the agent besides the user's own; empty by default.</summary>
    public IList<string> SharedCalendars { get; } = new List<string>();

    /// <summary>
    /// Settings from the per-user registry values (<c>HKCU\Software\ClientBridge\Outlook</c>): <c>SharedCalendars</c>
    /// (REG_MULTI_SZ). A value of the wrong type is logged and ignored, never fatal. How far ahead to read is the
    /// agent's to say (its settings file and the DaysAhead policy), so that it is decided in one place.
    /// </summary>
    public static AddinSettings From(Func<string, object?> read, IAddinLog log)
    {
        var settings = new AddinSettings
        {
            StateDirectory = System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "ClientBridge"),
        };
        switch (read("SharedCalendars"))
        {
            case null:
                break;
            case string[] owners:
                foreach (string owner in owners)
                {
                    if (!string.IsNullOrWhiteSpace(owner))
                    {
                        settings.SharedCalendars.Add(owner.Trim());
                    }
                }

                break;
            default:
                log.Write("warning", "SharedCalendars must be a list of names or addresses (REG_MULTI_SZ); ignored.");
                break;
        }

        return settings;
    }
}

/// <summary>
/// Outlook's main thread. Every object-model call is made through here (Outlook fails calls from other threads
/// with RPC_E_WRONG_THREAD, FACTS §7.2); every wait on the pipe happens elsewhere.
/// </summary>
public sealed class MainThread
{
    private readonly SynchronizationContext _context;
    private readonly int _threadId;

    /// <summary>Captures the calling thread, which must be Outlook's main thread, and its message-loop context.</summary>
    public MainThread(SynchronizationContext context)
    {
        _context = context;
        _threadId = Environment.CurrentManagedThreadId;
    }

    public bool IsCurrent => Environment.CurrentManagedThreadId == _threadId;

    public void Post(Action action, IAddinLog log) => _context.Post(_ => Guard(action, log), null);

    public Task InvokeAsync(Action action) => InvokeAsync<object?>(() =>
    {
        action();
        return null;
    });

    public Task<T> InvokeAsync<T>(Func<T> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _context.Post(
            _ =>
            {
                try
                {
                    done.SetResult(work());
                }
#pragma warning disable CA1031 // Handed to the awaiting caller.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    done.SetException(e);
                }
            },
            null);
        return done.Task;
    }

    /// <summary>Work posted from an event must never throw into Outlook's message loop.</summary>
    public static void Guard(Action action, IAddinLog log)
    {
        try
        {
            action();
        }
#pragma warning disable CA1031 // The add-in must never take Outlook down.
        catch (Exception e)
#pragma warning restore CA1031
        {
            log.Write("error", "Unexpected " + e.GetType().Name + " in the add-in" + WhereIn(e) + ": " + Redacted(e));
        }
    }

    /// <summary>
    /// " (in Type.Method &lt; Caller.Method …)": the innermost three frames of the exception above the object-model layer.
    /// Names from our code only, never data.
    /// </summary>
    private static string WhereIn(Exception e)
    {
        var names = new List<string>();
        foreach (System.Diagnostics.StackFrame frame in new System.Diagnostics.StackTrace(e, fNeedFileInfo: false).GetFrames() ?? Array.Empty<System.Diagnostics.StackFrame>())
        {
            if (frame.GetMethod() is { DeclaringType: { } type } method && type.Namespace?.StartsWith("OutlookPlugin", StringComparison.Ordinal) == true
                && type.Namespace != typeof(ObjectModel.OmObject).Namespace && names.Count < 3)
            {
                names.Add((type.DeclaringType?.Name ?? type.Name) + "." + method.Name);
            }
        }

        return names.Count == 0 ? string.Empty : " (in " + string.Join(" < ", names) + ")";
    }

    /// <summary>
    /// An exception's type and HRESULT only: messages from Outlook can quote item content. A missing member
    /// names only the member, which helps diagnose an Outlook version without it.
    /// </summary>
    public static string Redacted(Exception e) =>
        e.GetType().Name + " 0x" + e.HResult.ToString("X8", System.Globalization.CultureInfo.InvariantCulture)
        + (e is MissingMemberException ? ": " + e.Message : string.Empty);
}
