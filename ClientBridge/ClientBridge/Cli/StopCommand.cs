using System;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using ClientBridge.Protocol;
using ClientBridge.Protocol.Client;

namespace ClientBridge.Cli;

/// <summary>
/// <c>ClientBridge stop</c>: asks this user's agent to exit and waits until it has. The installer runs it before it
/// replaces or removes the agent's files, so "stopped" means the process is gone, not only that it said yes.
/// </summary>
public static class StopCommand
{
    public const string Stopped = "The agent stopped.";
    public const string NoneRunning = "No agent is running for this user.";

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    public static async Task<int> ExecuteAsync(BridgeEndpoint endpoint, TimeSpan timeout, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        StopResult result = await StopAsync(endpoint, timeout, cancellationToken).ConfigureAwait(false);
        await (result.ExitCode is ExitCodes.Ok or ExitCodes.AgentNotRunning ? output : error).WriteLineAsync(result.Message).ConfigureAwait(false);
        return result.ExitCode;
    }

    /// <summary>
    /// Stops the agent on <paramref name="endpoint"/> and says how it went, without printing: <c>stop</c> prints the
    /// message, <c>remove-user-data</c> decides what its own output says.
    /// </summary>
    /// <returns><see cref="ExitCodes.Ok"/> once the agent has gone, <see cref="ExitCodes.AgentNotRunning"/> when none ran, another code when it stays.</returns>
    public static async Task<StopResult> StopAsync(BridgeEndpoint endpoint, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        int? processId = null;
        try
        {
            // No launcher: asking to stop must never start an agent.
            using BridgeClient client = AgentClient.ForRunningAgent(endpoint, timeout);
            StopReply reply = await client.RequestAsync(MessageKinds.Stop, Empty.Instance, BridgeWire.Default.Empty, BridgeWire.Default.StopReply, null, cancellationToken).ConfigureAwait(false);
            processId = reply.ProcessId;
        }
        catch (BridgeException ex) when (ex.Code == ErrorCodes.AgentNotRunning)
        {
            return new StopResult(ExitCodes.AgentNotRunning, NoneRunning);
        }
        catch (BridgeException ex) when (ex.Code == ErrorCodes.Disconnected)
        {
            // The agent went away before its answer arrived: it is stopping (or gone); the wait below tells which.
        }
        catch (BridgeException ex)
        {
            return new StopResult(ExitCodes.For(ex.Code), ex.Message);
        }

        if (await WaitUntilGoneAsync(endpoint, processId, timeout, cancellationToken).ConfigureAwait(false))
        {
            return new StopResult(ExitCodes.Ok, Stopped);
        }

        return new StopResult(ExitCodes.Timeout, string.Create(CultureInfo.InvariantCulture, $"The agent was asked to stop but is still running after {timeout.TotalSeconds:0.#} s."));
    }

    /// <summary>The process has exited (when it can be seen) and nothing answers on the endpoint any more.</summary>
    private static async Task<bool> WaitUntilGoneAsync(BridgeEndpoint endpoint, int? processId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        if (processId is { } id && !await ExitedAsync(id, timeout, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        while (true)
        {
            if (!await AnswersAsync(endpoint, cancellationToken).ConfigureAwait(false))
            {
                return true;
            }

            if (clock.Elapsed >= timeout)
            {
                return false;
            }

            await Task.Delay(Poll, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<bool> ExitedAsync(int processId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Process process;
        try
        {
            process = Process.GetProcessById(processId);
        }
        catch (ArgumentException)
        {
            return true; // Already gone.
        }

        using (process)
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(timeout);
            try
            {
                await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
                return true;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return false;
            }
            catch (Exception ex) when (ex is InvalidOperationException or Win32Exception)
            {
                // A process this user may not watch; the endpoint alone then says whether the agent has gone.
                return true;
            }
        }
    }

    private static async Task<bool> AnswersAsync(BridgeEndpoint endpoint, CancellationToken cancellationToken)
    {
        using BridgeClient client = AgentClient.ForRunningAgent(endpoint, TimeSpan.FromMilliseconds(500));
        try
        {
            await client.ConnectAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (BridgeException ex) when (ex.Code is ErrorCodes.AgentNotRunning or ErrorCodes.Disconnected)
        {
            return false;
        }
        catch (BridgeException)
        {
            // Something answered, if only to refuse or to time out: still there.
            return true;
        }
    }
}

/// <summary>How <see cref="StopCommand.StopAsync"/> went: an exit code from <see cref="ExitCodes"/> and the one sentence that says so.</summary>
public readonly record struct StopResult(int ExitCode, string Message);
