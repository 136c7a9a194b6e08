namespace ClientBridge.Protocol;

/// <summary>Every message kind on the wire. Requests and their replies share a kind; events have their own.</summary>
public static class MessageKinds
{
    /// <summary>First request on every connection: versions and capabilities both ways.</summary>
    public const string Hello = "hello";

    /// <summary>Echoes its payload; used by health checks and the benchmark.</summary>
    public const string Ping = "ping";

    public const string Status = "status";
    public const string Subscribe = "events.subscribe";

    public const string CalendarSnapshot = "calendar.snapshot";
    public const string CalendarDelta = "calendar.delta";

    public const string ScheduleMeeting = "meeting.schedule";
    public const string UpdateMeeting = "meeting.update";
    public const string CancelMeeting = "meeting.cancel";

    public const string SignInState = "signin.state";

    /// <summary>Signs in to a provider: the agent opens the system browser and answers once the user has finished (or given up).</summary>
    public const string SignIn = "signin.start";

    /// <summary>Signs out of a provider: its tokens are revoked where the provider allows and deleted.</summary>
    public const string SignOut = "signin.signout";
    public const string OpenSettings = "settings.open";

    /// <summary>The upcoming meetings as the tray menu shows them (the menu model, platform-neutral), for <c>ClientBridge upcoming</c>.</summary>
    public const string UpcomingGet = "upcoming.get";

    /// <summary>Asks this user's agent to exit: the installer's <c>ClientBridge stop</c>, before it replaces or removes the agent's files. The reply comes first.</summary>
    public const string Stop = "agent.stop";

    // Events pushed by the agent to subscribed clients.
    public const string CalendarChangedEvent = "calendar.changed";
    public const string SignInChangedEvent = "signin.changed";
    public const string MeetingChangedEvent = "meeting.changed";
}
