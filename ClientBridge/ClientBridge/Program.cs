using System;
using System.CommandLine;
using System.Threading.Tasks;
using ClientBridge.Cli;
using ClientBridge.Protocol;
using Serilog.Events;

namespace ClientBridge;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var pipe = new Option<string?>("--pipe")
        {
            Description = "Pipe name (Windows) or absolute socket path to use instead of this user's own.",
            Recursive = true,
        };
        var background = new Option<bool>("--background") { Description = "No console output; log to the file only (used when the add-in starts the agent)." };
        var logDirectory = new Option<string?>("--log-dir") { Description = "Folder for the rolling log files (default: the user's local app data)." };
        var logLevel = new Option<LogEventLevel>("--log-level") { Description = "Least severe level written to the log.", DefaultValueFactory = _ => LogEventLevel.Information };
        var json = new Option<bool>("--json") { Description = "Print JSON for scripts instead of text." };
        var timeout = new Option<double>("--timeout") { Description = "Seconds to wait for the agent.", DefaultValueFactory = _ => 5 };
        timeout.Validators.Add(r =>
        {
            // Checks the token itself: a value that did not parse as a number is reported by the parser, and reading it here would throw.
            if (r.Tokens.Count == 1
                && double.TryParse(r.Tokens[0].Value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double seconds)
                && seconds is <= 0 or > 3600)
            {
                r.AddError("--timeout must be more than 0 and at most 3600 seconds.");
            }
        });

        var run = new Command("run", "Serve the pipe for the Outlook add-in and other clients (the default).") { background, logDirectory, logLevel };
        var status = new Command("status", "Show whether this user's agent is running and what it holds.") { json, timeout };
        var root = new RootCommand("ClientBridge: the desktop agent behind the Outlook video-meetings add-in.") { pipe, run, status };
        root.Options.Add(background);
        root.Options.Add(logDirectory);
        root.Options.Add(logLevel);

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var problem in parsed.Errors)
            {
                await Console.Error.WriteLineAsync(problem.Message).ConfigureAwait(false);
            }

            await Console.Error.WriteLineAsync("Run 'ClientBridge --help' for usage.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        BridgeEndpoint endpoint;
        try
        {
            string? explicitPipe = parsed.GetValue(pipe);
            endpoint = explicitPipe is null ? BridgeEndpoint.ForCurrentUser() : BridgeEndpoint.Parse(explicitPipe);
        }
        catch (ArgumentException ex)
        {
            await Console.Error.WriteLineAsync($"--pipe: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        Task<int> Run(ParseResult r, System.Threading.CancellationToken ct) =>
            RunCommand.ExecuteAsync(endpoint, r.GetValue(background), r.GetValue(logDirectory), r.GetValue(logLevel), Console.Error, ct);

        run.SetAction(Run);
        root.SetAction(Run);
        status.SetAction((r, ct) => StatusCommand.ExecuteAsync(endpoint, r.GetValue(json), TimeSpan.FromSeconds(r.GetValue(timeout)), Console.Out, Console.Error, ct));
        return await parsed.InvokeAsync().ConfigureAwait(false);
    }
}
