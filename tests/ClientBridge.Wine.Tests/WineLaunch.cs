using System;
using System.Linq;

namespace ClientBridge.Wine.Tests;

/// <summary>
/// Tells a Windows program that Wine never started from one that ran and failed, by what Wine itself printed.
/// Only the first may be retried: a program that ran may have done half its work (an msiexec that installed,
/// a <c>reg add</c> that wrote), and running it again would hide that.
/// </summary>
internal static class WineLaunch
{
    /// <summary>Three tries in all: a start refused twice in a row is no longer a moment's race but a broken prefix.</summary>
    public const int Attempts = 3;

    /// <summary>A moment for whatever held Wine (a server starting or stopping, a prefix being written) to pass.</summary>
    public static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// What Wine prints when the program named on its command line was never run:
    /// <list type="bullet">
    /// <item>ntdll could not load the image and handed it to <c>start.exe /exec</c>, whose ShellExecuteEx failed too
    /// ("Application could not be started, or no application associated with the specified file.
    /// ShellExecuteEx failed: …"; dlls/ntdll/unix/env.c, programs/start/start.c);</item>
    /// <item>a child process whose image could not be loaded ("wine: failed to start …") or opened
    /// ("wine: failed to open …"), or for which start.exe itself was missing ("wine: failed to load start.exe").</item>
    /// </list>
    /// </summary>
    private static readonly string[] NeverStartedSignatures =
    [
        "ShellExecuteEx failed",
        "wine: failed to start",
        "wine: failed to open",
        "wine: failed to load start.exe",
    ];

    /// <summary>
    /// Under this a failed run that printed nothing at all never reached the program: the .NET runtime alone takes
    /// longer than this to start under Wine, and every program the tests run says why it failed. Seen in CI: a
    /// <c>status</c> that exited 1 after 9 ms with no output, started 9 ms after the previous Windows program ended
    /// (Wine's messages are off, WINEDEBUG=-all, so Wine itself said nothing).
    /// </summary>
    public static readonly TimeSpan SilentFailureCeiling = TimeSpan.FromMilliseconds(100);

    private const string SilentFailure = "exited at once with no output";

    /// <summary>True when the run failed and Wine's own words, or a silent exit faster than any program, say the program never started.</summary>
    public static bool NeverStarted(int exitCode, string output, TimeSpan elapsed) =>
        exitCode != 0 && Signature(output, elapsed) is not null;

    /// <summary>The first sign of a refused start in <paramref name="output"/>, or null.</summary>
    public static string? Signature(string output, TimeSpan elapsed) =>
        NeverStartedSignatures.FirstOrDefault(signature => (output ?? string.Empty).Contains(signature, StringComparison.OrdinalIgnoreCase))
        ?? (string.IsNullOrWhiteSpace(output) && elapsed < SilentFailureCeiling ? SilentFailure : null);
}
