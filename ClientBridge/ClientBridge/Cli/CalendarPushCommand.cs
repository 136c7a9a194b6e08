using System;
using System.CommandLine;
using System.IO;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using ClientBridge.Protocol;
using ClientBridge.Protocol.Client;

namespace ClientBridge.Cli;

/// <summary>
/// <c>ClientBridge calendar-push FILE</c> (hidden): sends a <see cref="CalendarSnapshot"/> read from a JSON file to the
/// running agent, as the Outlook add-in would. For tests (the Wine tray test) and scripts; it never starts an agent.
/// </summary>
public static class CalendarPushCommand
{
    public static Command Create(Func<ParseResult, BridgeEndpoint?> endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var file = new Argument<FileInfo>("file") { Description = "A calendar.snapshot message as JSON (windowStart, windowEnd, items)." };
        var command = new Command("calendar-push", "Send a calendar snapshot from a JSON file to the running agent (for tests and scripts).") { file };
        command.Hidden = true;
        command.SetAction(async (r, ct) => endpoint(r) is { } e
            ? await ExecuteAsync(e, r.GetValue(file)!, Console.Out, Console.Error, ct).ConfigureAwait(false)
            : ExitCodes.Usage);
        return command;
    }

    public static async Task<int> ExecuteAsync(BridgeEndpoint endpoint, FileInfo file, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        CalendarSnapshot? snapshot;
        try
        {
            await using FileStream stream = file.OpenRead();
            snapshot = await JsonSerializer.DeserializeAsync(stream, BridgeJsonContext.Default.CalendarSnapshot, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            await error.WriteLineAsync($"Could not read a calendar snapshot from {file.FullName}: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        if (snapshot is null)
        {
            await error.WriteLineAsync($"{file.FullName} holds no calendar snapshot.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        using var client = new BridgeClient(new BridgeClientOptions
        {
            Endpoint = endpoint,
            ClientName = AgentClient.ClientName,
            ClientVersion = Server.AgentInfo.CurrentVersion,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            RequestTimeout = TimeSpan.FromSeconds(5),
        });
        try
        {
            CalendarAck ack = await client.RequestAsync(
                MessageKinds.CalendarSnapshot,
                snapshot,
                BridgeWire.Default.CalendarSnapshot,
                BridgeWire.Default.CalendarAck,
                null,
                cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync($"The agent holds {ack.ItemCount} items (revision {ack.Revision}).").ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        catch (BridgeException ex)
        {
            await error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return ExitCodes.For(ex.Code);
        }
    }
}
