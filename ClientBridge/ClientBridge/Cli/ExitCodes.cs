namespace ClientBridge.Cli;

/// <summary>Exit codes of the <c>ClientBridge</c> command; documented in the README, stable for scripts.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Something unexpected failed; the message (and the agent's log) says what.</summary>
    public const int Failure = 1;

    /// <summary>The command line was wrong, or the agent refused the request it made (a duration of zero, say).</summary>
    public const int Usage = 2;

    /// <summary>No agent is running for this user and session (or none answered).</summary>
    public const int AgentNotRunning = 3;

    /// <summary>The agent or the pipe refused this program: another user's pipe, the caller policy, or a protocol version mismatch.</summary>
    public const int Refused = 4;

    /// <summary><c>run</c>: an agent is already running for this user and session.</summary>
    public const int AlreadyRunning = 5;

    /// <summary>The agent was reached but did not answer in time.</summary>
    public const int Timeout = 6;

    /// <summary>The meeting service needs the user to sign in (again): <c>ClientBridge sign-in</c>.</summary>
    public const int SignedOut = 7;

    public static int For(string errorCode) => errorCode switch
    {
        Protocol.ErrorCodes.AgentNotRunning or Protocol.ErrorCodes.AgentStartFailed or Protocol.ErrorCodes.Disconnected => AgentNotRunning,
        Protocol.ErrorCodes.AccessDenied or Protocol.ErrorCodes.CallerRefused or Protocol.ErrorCodes.VersionMismatch or Protocol.ErrorCodes.TooManyClients => Refused,
        Protocol.ErrorCodes.Timeout => Timeout,
        Protocol.ErrorCodes.BadRequest => Usage,
        Protocol.ErrorCodes.SignedOut => SignedOut,
        _ => Failure,
    };
}
