namespace ClientBridge.Protocol;

/// <summary>Numbers both ends of the pipe must agree on.</summary>
public static class BridgeProtocol
{
    /// <summary>
    /// The protocol this build speaks. Bump on any change an older peer would misread. 1 was JSON; 2 is MessagePack
    /// (the envelope and every message an array indexed by <c>[Key(n)]</c>).
    /// </summary>
    public const int Version = 2;

    /// <summary>The oldest protocol this build still accepts from a peer. A JSON peer (1) is answered in JSON that it cannot be served.</summary>
    public const int MinSupportedVersion = 2;

    /// <summary>The protocol of the JSON wire, named in the sentence a JSON peer receives.</summary>
    public const int LastJsonVersion = 1;

    /// <summary>
    /// Deepest nesting of arrays and maps accepted in one frame. The deepest real message (a tray menu with a submenu)
    /// nests about 8 levels; a frame of thousands of nested arrays is refused before anything reads it recursively.
    /// </summary>
    public const int MaxNestingDepth = 32;

    /// <summary>
    /// Hard cap on one frame's payload. A full calendar snapshot of a busy year (about 3,000 items of
    /// 1 KiB each) fits; anything larger is refused before a byte of it is buffered.
    /// </summary>
    public const int MaxFrameBytes = 4 * 1024 * 1024;

    /// <summary>Size of the little-endian length prefix in front of every frame.</summary>
    public const int HeaderBytes = 4;

    /// <summary>
    /// Listed by the Outlook add-in in its Hello's capabilities when Outlook does not trust it (Application.IsTrusted):
    /// it then reads no calendar in the background, and the agent's status says why the tray has no meetings.
    /// </summary>
    public const string OutlookUntrustedCapability = "outlook.untrusted";

    /// <summary>Longest accepted message kind; kinds are short dotted names such as <c>meeting.schedule</c>.</summary>
    public const int MaxKindLength = 64;
}
