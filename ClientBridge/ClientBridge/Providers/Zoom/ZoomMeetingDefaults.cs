using ClientBridge.Policies;

namespace ClientBridge.Providers.Zoom;

/// <summary>The user's defaults for new Zoom meetings (bound from <c>ClientBridge:Zoom:Meetings</c>).</summary>
public sealed class ZoomMeetingDefaults
{
    public bool WaitingRoom { get; set; } = true;

    public bool JoinBeforeHost { get; set; }

    public bool MuteUponEntry { get; set; }

    /// <summary>New meetings get a passcode (made by the user's Zoom settings); on unless the user or a policy turns it off.</summary>
    public bool RequirePasscode { get; set; } = true;

    /// <summary>E-mail addresses of alternative hosts, separated by semicolons as Zoom takes them.</summary>
    public string? AlternativeHosts { get; set; }

    /// <summary>
    /// What one meeting asked for on top of these defaults: a switch the request set replaces the default, and the
    /// request's alternative hosts replace the default ones (an empty list: none at all). Put <see cref="UnderPolicy"/> on the result, so that a
    /// configured policy wins over both.
    /// </summary>
    public ZoomMeetingDefaults With(RequestedOptions? requested) => requested is null ? this : new()
    {
        WaitingRoom = requested.WaitingRoom ?? WaitingRoom,
        JoinBeforeHost = JoinBeforeHost,
        MuteUponEntry = MuteUponEntry,
        RequirePasscode = requested.RequirePasscode ?? RequirePasscode,
        AlternativeHosts = requested.AlternativeHosts is { } hosts ? (hosts.Count == 0 ? null : string.Join(';', hosts)) : AlternativeHosts,
    };

    /// <summary>These defaults with Group Policy on top: a configured policy wins over the user's choice.</summary>
    public ZoomMeetingDefaults UnderPolicy(IPolicySource policies) => new()
    {
        WaitingRoom = PolicyValues.Decide(policies, PolicyValues.ZoomWaitingRoom, WaitingRoom),
        JoinBeforeHost = PolicyValues.Decide(policies, PolicyValues.ZoomJoinBeforeHost, JoinBeforeHost),
        MuteUponEntry = PolicyValues.Decide(policies, PolicyValues.ZoomMuteUponEntry, MuteUponEntry),
        RequirePasscode = PolicyValues.Decide(policies, PolicyValues.ZoomRequirePasscode, RequirePasscode),
        AlternativeHosts = AlternativeHosts,
    };
}
