using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace ClientBridge.Wine.Tests;

/// <summary>What a finished process left behind, with Wine's CRLF line ends already turned into LF.</summary>
internal sealed record ProcessResult(string CommandLine, int ExitCode, string StandardOutput, string StandardError, TimeSpan Elapsed)
{
    public string Describe() => string.Create(
        CultureInfo.InvariantCulture,
        $"`{CommandLine}` exited {ExitCode} after {Elapsed.TotalMilliseconds:0} ms.\n--- stdout ---\n{StandardOutput}\n--- stderr ---\n{StandardError}");
}

/// <summary>Runs a process to its end within a deadline; one that overruns is killed with its children and fails the test.</summary>
internal static class ProcessRunner
{
    /// <summary>How long a process's output may stay open after it exited (a child that inherited it) before the test gives up.</summary>
    private static readonly TimeSpan OutputDrainLimit = TimeSpan.FromSeconds(10);

    public static async Task<ProcessResult> RunAsync(ProcessStartInfo start, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(start);
        start.UseShellExecute = false;
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        string commandLine = Describe(start);

        using var process = new Process { StartInfo = start };
        var clock = Stopwatch.StartNew();
        if (!process.Start())
        {
            Assert.Fail($"`{commandLine}` did not start.");
        }

        // Nothing to type: a closed input keeps Wine's console from waiting on ours.
        process.StandardInput.Close();
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        using (var deadline = new CancellationTokenSource(timeout))
        {
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                Kill(process);
                string partial = await DrainAsync(output, error);
                Assert.Fail(string.Create(CultureInfo.InvariantCulture, $"`{commandLine}` did not finish within {timeout.TotalSeconds:0} s and was killed.\n{partial}"));
            }
        }

        clock.Stop();
        try
        {
            await Task.WhenAll(output, error).WaitAsync(OutputDrainLimit);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"`{commandLine}` exited {process.ExitCode}, but its output stayed open (a process it started still holds it).");
        }

        return new ProcessResult(commandLine, process.ExitCode, Normalize(await output), Normalize(await error), clock.Elapsed);
    }

    /// <summary>Wine writes CRLF; the assertions compare LF text.</summary>
    public static string Normalize(string text) => (text ?? string.Empty).Replace("\r", string.Empty, StringComparison.Ordinal).TrimEnd('\n');

    public static string Describe(ProcessStartInfo start)
    {
        ArgumentNullException.ThrowIfNull(start);
        return string.Join(' ', new[] { start.FileName }.Concat(start.ArgumentList.Select(a => a.Contains(' ', StringComparison.Ordinal) ? $"\"{a}\"" : a)));
    }

    public static void Kill(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private static async Task<string> DrainAsync(Task<string> output, Task<string> error)
    {
        try
        {
            await Task.WhenAll(output, error).WaitAsync(OutputDrainLimit);
            return $"--- stdout ---\n{Normalize(await output)}\n--- stderr ---\n{Normalize(await error)}";
        }
        catch (TimeoutException)
        {
            return "(its output could not be read)";
        }
    }
}
