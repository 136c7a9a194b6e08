namespace ClientBridge.Protocol;

/// <summary>
/// Stable error codes carried in error envelopes and in <see cref="BridgeException.Code"/>. Scripts and the
/// add-in branch on these; the sentence next to them is for people and may change.
/// </summary>
public static class ErrorCodes
{
    // Frame and envelope problems: the peer sent something that is not a well-formed message.
    public const string FrameTooLarge = "frame_too_large";
    public const string FrameTimeout = "frame_timeout";
    public const string InvalidUtf8 = "invalid_utf8";
    public const string InvalidMessagePack = "invalid_msgpack";
    public const string InvalidEnvelope = "invalid_envelope";

    // Conversation problems.
    public const string HandshakeRequired = "handshake_required";
    public const string VersionMismatch = "version_mismatch";
    public const string UnknownKind = "unknown_kind";
    public const string BadRequest = "bad_request";
    public const string NotAvailable = "not_available";
    public const string CallerRefused = "caller_refused";

    /// <summary>The provider needs the user to sign in (again) before it can schedule.</summary>
    public const string SignedOut = "signed_out";
    public const string TooManyClients = "too_many_clients";
    public const string Internal = "internal_error";

    // Raised on the client side only.
    public const string Timeout = "timeout";
    public const string Disconnected = "disconnected";
    public const string AgentNotRunning = "agent_not_running";
    public const string AgentStartFailed = "agent_start_failed";
    public const string AccessDenied = "access_denied";
}
