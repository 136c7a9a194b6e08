using System;
using System.Collections.Generic;

namespace ClientBridge.Protocol.Links;

/// <summary>A join link with what the invitation says about it: meeting id, passcode and one-tap dial-in numbers.</summary>
public sealed class MeetingDetails
{
    public MeetingDetails(string service, string url, string? meetingId, string? passcode, IReadOnlyList<string>? dialIns = null)
    {
        Service = service ?? throw new ArgumentNullException(nameof(service));
        Url = url ?? throw new ArgumentNullException(nameof(url));
        MeetingId = meetingId;
        Passcode = passcode;
        DialIns = dialIns ?? Array.Empty<string>();
    }

    /// <summary>The service's name, as <see cref="MeetingLink.Service"/>.</summary>
    public string Service { get; }

    /// <summary>The join link, unwrapped, as <see cref="MeetingLink.Url"/>.</summary>
    public string Url { get; }

    /// <summary>
    /// The meeting id: from the link when it carries one, else the nearest "Meeting ID", "Meeting number",
    /// "Access code" or (failing those) "Conference ID" in the text; digits only, or Google Meet's code. Null when absent.
    /// </summary>
    public string? MeetingId { get; }

    /// <summary>The passcode as the invitation states it ("Passcode: …", "Password: …"), or as the link carries it in plain; null when absent.</summary>
    public string? Passcode { get; }

    /// <summary>One-tap dial-in strings such as <c>+12345678901,,85746352413#,,,,*123456#</c>, in the order they appear.</summary>
    public IReadOnlyList<string> DialIns { get; }

    public override string ToString() => Service + ": " + Url;
}
