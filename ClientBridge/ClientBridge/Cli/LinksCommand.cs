using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading;
using System.Threading.Tasks;
using ClientBridge.Protocol.Links;

namespace ClientBridge.Cli;

/// <summary>
/// <c>links</c>: the join links in text read from standard input, best first, as the add-in and the tray see
/// them; for admins wondering why a meeting has no Join, and for scripts. Needs no agent.
/// </summary>
public static class LinksCommand
{
    /// <summary>More than any invitation; a larger input is refused rather than read into memory.</summary>
    public const int MaxInputChars = 16 * 1024 * 1024;

    /// <summary>For a terminal or a script, not a web page: '+' in a dial-in stays '+' rather than <c>\u002B</c>.</summary>
    private static readonly LinksJsonContext Printed = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print a JSON array of {service, url, meetingId, passcode, dialIns} for scripts." };
        var location = new Option<string?>("--location") { Description = "The appointment's location, ranked before the text on standard input." };
        var command = new Command("links", "Print the join links (service, link, meeting id, passcode) in text read from standard input, best first.") { json, location };
        command.SetAction(async (r, ct) =>
        {
            if (!Console.IsInputRedirected)
            {
                await Console.Error.WriteLineAsync("Give the invitation on standard input, for example: ClientBridge links < invitation.txt").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            return await ExecuteAsync(Console.In, r.GetValue(location), r.GetValue(json), Console.Out, Console.Error, ct).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>
    /// Reads <paramref name="input"/> as an invitation body (plain or HTML) and prints what it holds. Exit 0 whether
    /// or not a link was found (none: "No meeting link found." or <c>[]</c>); 2 when the input is too large.
    /// </summary>
    public static async Task<int> ExecuteAsync(TextReader input, string? location, bool json, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);

        string? body = await ReadBoundedAsync(input, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            await error.WriteLineAsync($"The input is larger than {MaxInputChars / (1024 * 1024)} MB; no invitation is that long.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        IReadOnlyList<MeetingDetails> found = MeetingLinks.Extract(location, body);
        if (json)
        {
            LinkReport[] reports = [.. found.Select(f => new LinkReport(f.Service, f.Url, f.MeetingId, f.Passcode, [.. f.DialIns]))];
            await output.WriteLineAsync(JsonSerializer.Serialize(reports, Printed.LinkReportArray)).ConfigureAwait(false);
            return ExitCodes.Ok;
        }

        if (found.Count == 0)
        {
            await output.WriteLineAsync("No meeting link found.").ConfigureAwait(false);
            return ExitCodes.Ok;
        }

        foreach (MeetingDetails link in found)
        {
            var line = new StringBuilder()
                .Append(link.Service).Append('\t').Append(link.Url)
                .Append("\tid ").Append(link.MeetingId ?? "-")
                .Append("\tpasscode ").Append(link.Passcode ?? "-");
            if (link.DialIns.Count > 0)
            {
                line.Append("\tdial-in ").Append(string.Join(" ", link.DialIns));
            }

            await output.WriteLineAsync(line.ToString()).ConfigureAwait(false);
        }

        return ExitCodes.Ok;
    }

    private static async Task<string?> ReadBoundedAsync(TextReader input, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        char[] buffer = new char[64 * 1024];
        int read;
        while ((read = await input.ReadAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (text.Length + read > MaxInputChars)
            {
                return null;
            }

            text.Append(buffer, 0, read);
        }

        return text.ToString();
    }
}

/// <summary>One link as <c>links --json</c> prints it; absent details are <c>null</c>.</summary>
public sealed record LinkReport(string Service, string Url, string? MeetingId, string? Passcode, string[] DialIns);

/// <summary>Source-generated, so that the trimmed agent prints the same JSON.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(LinkReport[]))]
public sealed partial class LinksJsonContext : JsonSerializerContext;
