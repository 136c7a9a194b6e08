using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using ClientBridge.Protocol;
using ClientBridge.Protocol.Client;

namespace ClientBridge.Cli;

/// <summary>
/// <c>ClientBridge upcoming</c>: asks the running agent for the tray's menu model and prints it, as text or, with
/// <c>--json</c>, as the <see cref="UpcomingReply"/> itself. It never starts an agent: none running is exit code 3.
/// </summary>
public static class UpcomingCommand
{
    public static Task<int> ExecuteAsync(BridgeEndpoint endpoint, bool json, TimeSpan timeout, TextWriter output, TextWriter error, CancellationToken cancellationToken) =>
        AgentClient.QueryAsync(
            endpoint,
            timeout,
            (client, ct) => client.RequestAsync(MessageKinds.UpcomingGet, new UpcomingRequest(), BridgeWire.Default.UpcomingRequest, BridgeWire.Default.UpcomingReply, null, ct),
            BridgeJsonContext.Default.UpcomingReply,
            Describe,
            json,
            output,
            error,
            cancellationToken);

    /// <summary>The menu as a person reads it: one entry a line, submenus indented, disabled entries in brackets, join links after an arrow.</summary>
    public static string Describe(UpcomingReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var text = new StringBuilder();
        Write(text, reply.Menu, depth: 0);
        text.Append("Tooltip: ").Append(reply.Tooltip.Replace("\n", " | ", StringComparison.Ordinal));
        return text.ToString();
    }

    private static void Write(StringBuilder text, List<MenuEntry> entries, int depth)
    {
        string outer = new(' ', depth * 4);
        bool underHeader = false;
        foreach (MenuEntry entry in entries)
        {
            switch (entry.Kind)
            {
                case MenuEntryKind.Separator:
                    underHeader = false;
                    text.Append(outer).AppendLine("----");
                    continue;
                case MenuEntryKind.Header:
                    underHeader = true;
                    text.Append(outer).Append(entry.Label).AppendLine(":");
                    continue;
                default:
                    break;
            }

            // A section's meetings are indented under its title; a submenu starts a section of its own.
            underHeader &= entry.Children is null;
            string indent = underHeader ? outer + "  " : outer;
            text.Append(indent).Append(entry.Enabled || entry.Command is null ? entry.Label : $"[{entry.Label}]");
            if (entry.Children is { } children)
            {
                text.AppendLine(" >");
                Write(text, children, depth + 1);
                continue;
            }

            if (entry.Command == Upcoming.MenuCommands.Join && entry.Label.TrimStart().StartsWith("Join", StringComparison.Ordinal))
            {
                text.Append("  -> ").Append(entry.Argument);
            }

            text.AppendLine();
        }
    }
}
