namespace ClientBridge.Protocol;

/// <summary>Numbers both ends of the pipe must agree on.</summary>
public static class BridgeProtocol
{
    /// <summary>The protocol this build speaks. Bump on any change an older peer would misread.</summary>
    public const int Version = 1;

    /// <summary>The oldest protocol this build still accepts from a peer.</summary>
    public const int MinSupportedVersion = 1;

    /// <summary>
    /// Hard cap on one frame's payload. A full calendar snapshot of a busy year (about 3,000 items of
    /// 1 KiB each) fits; anything larger is refused before a byte of it is buffered.
    /// </summary>
    public const int MaxFrameBytes = 4 * 1024 * 1024;

    /// <summary>Size of the little-endian length prefix in front of every frame.</summary>
    public const int HeaderBytes = 4;

    /// <summary>Longest accepted message kind; kinds are short dotted names such as <c>meeting.schedule</c>.</summary>
    public const int MaxKindLength = 64;
}
