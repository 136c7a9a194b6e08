using System.Collections.Generic;

namespace OutlookPlugin.Core.Rules;

/// <summary>
/// What the invitation block says, gathered from the agent's reply, so that composing the text is a pure function
/// that tests can pin down without a provider.
/// </summary>
public sealed class MeetingBlockContent
{
    /// <summary>The provider's name as people know it, for example <c>Zoom</c> or <c>Jitsi</c>.</summary>
    public string Provider { get; set; } = string.Empty;

    public string JoinUrl { get; set; } = string.Empty;

    public string? MeetingId { get; set; }

    public string? Passcode { get; set; }

    /// <summary>Phone numbers (one a line) for joining by phone.</summary>
    public List<string> DialIn { get; set; } = new();

    /// <summary>Something the user should know about how the meeting was made (for example that a series has no fixed times).</summary>
    public string? Note { get; set; }

    /// <summary>The provider's own invitation text; when present it replaces the id, passcode and dial-in lines.</summary>
    public string? InvitationText { get; set; }
}
