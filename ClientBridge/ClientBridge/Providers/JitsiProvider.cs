using System;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using ClientBridge.Protocol;

namespace ClientBridge.Providers;

public sealed class JitsiOptions
{
    /// <summary>The Jitsi Meet server: the public one, or an organisation's own.</summary>
    public Uri BaseUrl { get; set; } = new("https://meet.jit.si/");
}

/// <summary>
/// Jitsi Meet needs no account and no server call: a meeting is a room whose name nobody can guess. The name
/// carries 130 random bits and nothing of the meeting (a subject in a link would travel with every forward).
/// </summary>
public sealed class JitsiProvider : IMeetingProvider
{
    public const string ProviderName = "jitsi";

    private const string RoomPrefix = "ClientBridge-";
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567"; // Base32 (RFC 4648) lower case: safe in a URL path, no look-alikes like 0/O or 1/l.
    private const int RoomChars = 26; // 26 × 5 bits = 130 bits.

    /// <summary>Said when a request asks for what a Jitsi link cannot carry; the options themselves are accepted and ignored.</summary>
    public const string NoHostControlsNote = "Jitsi meetings have no waiting room or alternative hosts; the link works for anyone who has it.";

    private static readonly System.Buffers.SearchValues<char> RoomCharacters = System.Buffers.SearchValues.Create(Alphabet);

    private readonly Uri _baseUrl;

    public JitsiProvider(JitsiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string text = options.BaseUrl.AbsoluteUri;
        _baseUrl = new Uri(text.EndsWith('/') ? text : text + "/");
        if (_baseUrl.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException($"The Jitsi server must be an https address, not '{options.BaseUrl}'.", nameof(options));
        }
    }

    public string Name => ProviderName;

    public ProviderState State => new() { Provider = ProviderName, State = "not_required" };

    public static bool IsRoomName(string meetingId) =>
        meetingId is not null
        && meetingId.Length == RoomPrefix.Length + RoomChars
        && meetingId.StartsWith(RoomPrefix, StringComparison.Ordinal)
        && meetingId.AsSpan(RoomPrefix.Length).IndexOfAnyExcept(RoomCharacters) < 0;

    public Task<MeetingDetails> CreateAsync(MeetingPlan plan, string requestId, Func<string, bool> isTaken, CancellationToken cancellationToken)
    {
        Span<byte> random = stackalloc byte[RoomChars];
        RandomNumberGenerator.Fill(random);
        Span<char> room = stackalloc char[RoomChars];
        for (int i = 0; i < RoomChars; i++)
        {
            room[i] = Alphabet[random[i] & 31];
        }

        ArgumentNullException.ThrowIfNull(plan);
        return Task.FromResult(Details(RoomPrefix + new string(room)) with { Note = OptionsNote(plan.Options) });
    }

    /// <summary>A Jitsi room has no time: the link stays the same whatever the appointment does.</summary>
    public Task<MeetingDetails> UpdateAsync(string meetingId, MeetingChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        return Task.FromResult(Details(Known(meetingId)) with { Note = OptionsNote(change.Options) });
    }

    /// <summary>
    /// A word only for a waiting room or alternative hosts, which a Jitsi link cannot have. Switches turned off need
    /// none, and a passcode gets none either: the add-in sends the user's default with every meeting, and a room's
    /// moderator can still set a password inside the meeting.
    /// </summary>
    private static string? OptionsNote(RequestedOptions? options) =>
        options is { WaitingRoom: true } or { HasAlternativeHosts: true } ? NoHostControlsNote : null;

    /// <summary>One room serves every occurrence, so cancelling one of them changes nothing here.</summary>
    public Task CancelAsync(string meetingId, DateTimeOffset? occurrenceStart, CancellationToken cancellationToken)
    {
        Known(meetingId);
        return Task.CompletedTask;
    }

    public Task<MeetingDetails?> GetAsync(string meetingId, CancellationToken cancellationToken) =>
        Task.FromResult<MeetingDetails?>(IsRoomName(meetingId) ? Details(meetingId) : null);

    /// <summary>A room is made here, not on a server: one whose answer never reached the caller was never given out.</summary>
    public Task<MeetingDetails?> FindCreatedAsync(MeetingPlan plan, DateTimeOffset since, Func<string, bool> isTaken, CancellationToken cancellationToken) =>
        Task.FromResult<MeetingDetails?>(null);

    private static string Known(string meetingId) => IsRoomName(meetingId)
        ? meetingId
        : throw new BridgeException(ErrorCodes.BadRequest, "That is not a Jitsi meeting this agent made.");

    private MeetingDetails Details(string room)
    {
        string url = new Uri(_baseUrl, room).AbsoluteUri;
        return new MeetingDetails(room, url, $"Join the video meeting:{Environment.NewLine}{url}");
    }
}
