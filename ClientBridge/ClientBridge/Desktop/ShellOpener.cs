using System;
using System.ComponentModel;
using System.Diagnostics;
using System.Threading;
using Microsoft.Extensions.Logging;

namespace ClientBridge.Desktop;

/// <summary>
/// Opens a web address or a folder as Windows opens what a person double-clicks: through the shell
/// (<c>ShellExecuteEx</c>, so a link goes to the user's default browser, as RFC 8252 asks of a sign-in page; on Linux,
/// <c>xdg-open</c>). A start that the system reports as never having happened is tried again; any other failure is
/// final and named by its error, never by the address (a sign-in page carries its state, a join link its passcode).
/// </summary>
public sealed partial class ShellOpener
{
    /// <summary>
    /// ERROR_INTERNAL_ERROR: the new process ended before it reported its start. Wine's <c>NtCreateUserProcess</c>
    /// (dlls/ntdll/unix/process.c) gives STATUS_INTERNAL_ERROR when the child it spawned died before it ran, and
    /// <c>ShellExecuteEx</c> passes it on. Measured here: 1 start of winebrowser in about 4,000 (`Process.Start` of an
    /// https address, Wine 8.0), and one CI run's Zoom sign-in failed on it. Nothing ran, so trying again cannot open
    /// the page twice. Every other error (no association, access denied, cancelled by the person) is the answer.
    /// </summary>
    public const int ErrorInternalError = 1359;

    /// <summary>Three starts in all: two refused in a row is no longer a moment's failure.</summary>
    public const int Attempts = 3;

    /// <summary>A moment for whatever refused the start to pass; short enough not to be noticed on the tray's thread.</summary>
    public static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(200);

    private readonly ILogger _logger;
    private readonly Action<string> _start;
    private readonly Action<TimeSpan> _pause;

    public ShellOpener(ILogger logger)
        : this(logger, StartThroughShell, Thread.Sleep)
    {
    }

    /// <summary>For tests: <paramref name="start"/> stands in for the shell and throws <see cref="Win32Exception"/> as it would.</summary>
    public ShellOpener(ILogger logger, Action<string> start, Action<TimeSpan> pause)
    {
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(pause);
        _logger = logger;
        _start = start;
        _pause = pause;
    }

    /// <summary>True when a start that failed with <paramref name="error"/> on try <paramref name="attempt"/> (from 1) is tried again.</summary>
    public static bool ShouldTryAgain(int error, int attempt) => error == ErrorInternalError && attempt < Attempts;

    /// <summary>Opens <paramref name="target"/>, or throws <see cref="ShellOpenException"/> with the system's error.</summary>
    public void Open(string target)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(target);
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                _start(target);
                if (attempt > 1)
                {
                    Log.OpenedOnRetry(_logger, attempt);
                }

                return;
            }
            catch (Win32Exception e) when (ShouldTryAgain(e.NativeErrorCode, attempt))
            {
                Log.TryingAgain(_logger, e.NativeErrorCode, attempt);
                _pause(RetryPause);
            }
            catch (Win32Exception e)
            {
                Log.Failed(_logger, e.NativeErrorCode, attempt);
                throw new ShellOpenException(e.NativeErrorCode, e);
            }
        }
    }

    private static void StartThroughShell(string target)
    {
        using Process? process = Process.Start(new ProcessStartInfo(target) { UseShellExecute = true });
    }

    private static partial class Log
    {
        // Never the target: only the system's error number and the try.
        [LoggerMessage(EventId = 1100, Level = LogLevel.Warning, Message = "The shell did not start the program for a link or folder (error {Error}) on try {Attempt}; trying again.")]
        public static partial void TryingAgain(ILogger logger, int error, int attempt);

        [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "The shell opened the link or folder on try {Attempt}.")]
        public static partial void OpenedOnRetry(ILogger logger, int attempt);

        [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "The shell could not open a link or folder (error {Error}) after {Attempt} tries.")]
        public static partial void Failed(ILogger logger, int error, int attempt);
    }
}

/// <summary>The shell could not open a link or folder: the system's error and its sentence, without the address.</summary>
public sealed class ShellOpenException : Exception
{
    public ShellOpenException()
    {
    }

    public ShellOpenException(string message)
        : base(message)
    {
    }

    public ShellOpenException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ShellOpenException(int error, Exception innerException)
        : base(Describe(error), innerException)
    {
        Error = error;
    }

    /// <summary>The Windows error (errno on Linux) the shell gave.</summary>
    public int Error { get; }

    /// <summary>"error 1155: No application is associated…": the system's sentence for the code alone.</summary>
    private static string Describe(int error) => $"error {error}: {new Win32Exception(error).Message.TrimEnd('.', ' ')}";
}
