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
        Command schedule = MeetingCommandOptions.ScheduleCommand();
        Command update = MeetingCommandOptions.UpdateCommand();
        Command cancel = MeetingCommandOptions.CancelCommand();
        Command signIn = SignInCommand.Create("sign-in", "Sign in to a meeting service (Zoom) in the browser.");
        Command signOut = SignInCommand.Create("sign-out", "Sign out of a meeting service: its tokens are revoked and deleted.");
        var status = new Command("status", "Show whether this user's agent is running and what it holds.") { json, timeout };
        var stop = new Command("stop", "Ask this user's agent to exit and wait until it has (the installer runs this before replacing the agent's files).") { timeout };
        var removeUserData = new Command("remove-user-data", "Remove this user's ClientBridge data (settings, Zoom sign-in, meeting journal, logs, the add-in's registry values), stopping this user's agent first.") { timeout };
        var upcoming = new Command("upcoming", "Show the upcoming meetings as the tray menu has them (now, next, later today, tomorrow).") { json, timeout };
        var root = new RootCommand("ClientBridge: the desktop agent behind the Outlook video-meetings add-in.") { pipe, run, status, stop, removeUserData, upcoming, schedule, update, cancel, signIn, signOut };
        root.Subcommands.Add(LinksCommand.Create());
        root.Subcommands.Add(CalendarPushCommand.Create(r => Endpoint(r, out BridgeEndpoint? e) is null ? e : null));
        root.Options.Add(background);
        root.Options.Add(logDirectory);
        root.Options.Add(logLevel);

        // Actions first: the parser treats a command without one as needing a subcommand, and `ClientBridge` alone means `run`.
        run.SetAction(Run);
        root.SetAction(Run);
        status.SetAction(async (r, ct) => Endpoint(r, out BridgeEndpoint? endpoint) is { } failed
            ? failed
            : await StatusCommand.ExecuteAsync(endpoint!, r.GetValue(json), TimeSpan.FromSeconds(r.GetValue(timeout)), Console.Out, Console.Error, ct).ConfigureAwait(false));

        stop.SetAction(async (r, ct) => Endpoint(r, out BridgeEndpoint? endpoint) is { } failed
            ? failed
            : await StopCommand.ExecuteAsync(endpoint!, TimeSpan.FromSeconds(r.GetValue(timeout)), Console.Out, Console.Error, ct).ConfigureAwait(false));

        removeUserData.SetAction(async (r, ct) => Endpoint(r, out BridgeEndpoint? endpoint) is { } failed
            ? failed
            : await RemoveUserDataCommand.ExecuteAsync(endpoint!, TimeSpan.FromSeconds(r.GetValue(timeout)), Console.Out, Console.Error, ct).ConfigureAwait(false));

        upcoming.SetAction(async (r, ct) => Endpoint(r, out BridgeEndpoint? endpoint) is { } failed
            ? failed
            : await UpcomingCommand.ExecuteAsync(endpoint!, r.GetValue(json), TimeSpan.FromSeconds(r.GetValue(timeout)), Console.Out, Console.Error, ct).ConfigureAwait(false));

        schedule.SetAction((r, ct) => WithEndpoint(r, e => MeetingCommands.ScheduleAsync(e, MeetingCommandOptions.ScheduleRequest(r), MeetingCommandOptions.WantsJson(r), MeetingCommandOptions.Timeout(r), Console.Out, Console.Error, ct)));
        update.SetAction((r, ct) => WithEndpoint(r, e => MeetingCommands.UpdateAsync(e, MeetingCommandOptions.UpdateRequest(r), MeetingCommandOptions.WantsJson(r), MeetingCommandOptions.Timeout(r), Console.Out, Console.Error, ct)));
        cancel.SetAction((r, ct) => WithEndpoint(r, e => MeetingCommands.CancelAsync(e, MeetingCommandOptions.CancelRequest(r), MeetingCommandOptions.WantsJson(r), MeetingCommandOptions.Timeout(r), Console.Out, Console.Error, ct)));

        signIn.SetAction((r, ct) => WithEndpoint(r, e => SignInCommand.ExecuteAsync(e, MessageKinds.SignIn, r, Console.Out, Console.Error, ct)));
        signOut.SetAction((r, ct) => WithEndpoint(r, e => SignInCommand.ExecuteAsync(e, MessageKinds.SignOut, r, Console.Out, Console.Error, ct)));

        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var problem in parsed.Errors)
            {
                await Console.Error.WriteLineAsync(problem.Message).ConfigureAwait(false);
            }

            await Console.Error.WriteLineAsync("Run 'ClientBridge --help' for usage.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        async Task<int> Run(ParseResult r, System.Threading.CancellationToken ct) => Endpoint(r, out BridgeEndpoint? endpoint) is { } failed
            ? failed
            : await RunCommand.ExecuteAsync(endpoint!, r.GetValue(background), r.GetValue(logDirectory), r.GetValue(logLevel), Console.Error, ct).ConfigureAwait(false);

        // Runs a command against the endpoint; a value that cannot be used is one sentence and exit code 2.
        async Task<int> WithEndpoint(ParseResult r, Func<BridgeEndpoint, Task<int>> command)
        {
            if (Endpoint(r, out BridgeEndpoint? endpoint) is { } failed)
            {
                return failed;
            }

            try
            {
                return await command(endpoint!).ConfigureAwait(false);
            }
            catch (UsageException ex)
            {
                await Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
                return ExitCodes.Usage;
            }
        }

        // The user's own endpoint, or the one named by --pipe; an exit code when --pipe names nothing usable.
        int? Endpoint(ParseResult r, out BridgeEndpoint? endpoint)
        {
            endpoint = null;
            string? explicitPipe = r.GetValue(pipe);
            try
            {
                endpoint = explicitPipe is null ? BridgeEndpoint.ForCurrentUser() : BridgeEndpoint.Parse(explicitPipe);
                return null;
            }
            catch (ArgumentException)
            {
                Console.Error.WriteLine($"--pipe must be a pipe name or an absolute socket path, not '{explicitPipe}'.");
                return ExitCodes.Usage;
            }
        }

        return await parsed.InvokeAsync().ConfigureAwait(false);
    }
}
