using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ClientBridge.Protocol.Links;

/// <summary>A video-meeting join link found in an appointment's text.</summary>
public sealed class MeetingLink
{
    public MeetingLink(string service, string url)
        : this(service, url, 0, 0)
    {
    }

    internal MeetingLink(string service, string url, int specificity, int position)
        : this(service, url, specificity, position, null, null, true)
    {
    }

    internal MeetingLink(string service, string url, int specificity, int position, string? urlMeetingId, string? urlPasscode, bool textDetails, int length = 0)
    {
        Length = length;
        Service = service ?? throw new ArgumentNullException(nameof(service));
        Url = url ?? throw new ArgumentNullException(nameof(url));
        Specificity = specificity;
        Position = position;
        UrlMeetingId = urlMeetingId;
        UrlPasscode = urlPasscode;
        TextDetails = textDetails;
    }

    /// <summary>The service's name as people know it, for example <c>Zoom</c> or <c>Google Meet</c>.</summary>
    public string Service { get; }

    /// <summary>The link itself, with SafeLinks and redirect wrappers taken off.</summary>
    public string Url { get; }

    /// <summary>How surely the link is a join link: 3 a meeting's own link, 2 a room or invite, 1 a guess by host name.</summary>
    internal int Specificity { get; }

    /// <summary>Where the link starts in the text it was found in.</summary>
    internal int Position { get; }

    /// <summary>How long the link is in the text it was found in (before unwrapping); 0 when not from a text.</summary>
    internal int Length { get; }

    /// <summary>The meeting id the link itself carries, digits only (letters and dashes for Google Meet).</summary>
    internal string? UrlMeetingId { get; }

    /// <summary>A passcode the link carries in plain (BlueJeans' second path segment, a <c>passcode=</c> parameter).</summary>
    internal string? UrlPasscode { get; }

    /// <summary>Whether the service's invitations state a meeting id and passcode that belong to this link.</summary>
    internal bool TextDetails { get; }

    public override string ToString() => Service + ": " + Url;
}

/// <summary>
/// Finds join links in an appointment's location and body, in one place for the add-in and the agent so that both
/// agree on what counts as a meeting. Text can be a whole HTML invitation, so candidates are found by a single
/// linear scan for <c>://</c>, and patterns are only ever run on one candidate link of bounded length. The rule
/// table is the one list of services; its order is its ranking.
/// </summary>
public static partial class MeetingLinks
{
    private const int MaxLinkLength = 4096;
    private const int MaxUnwrapDepth = 4;
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// The one list of services. Patterns run on <c>scheme://host/path?query#fragment</c> of one candidate, host in
    /// lower case. A group named <c>id</c> is the meeting id the link itself carries, <c>passcode</c> a passcode it
    /// carries in plain (never Zoom's <c>pwd</c>, which is an encoded form). The last argument is false for
    /// services whose invitations state no meeting id or passcode, so that a room link never takes another
    /// meeting's details from the text around it. Specificity: 3 a meeting's own join link, 2 a personal room or
    /// invite, 1 a guess from the host name; within one specificity the first rule that matches names the service.
    /// A rule runs only on links that hold the substring its pattern requires (read from the pattern, or given last).
    /// </summary>
    private static readonly Rule[] Rules =
    {
        // Zoom, ZoomGov and Zoom's own app scheme.
        new("Zoom", 3, @"^https?://([a-z0-9-]+\.)*(zoom\.us|zoom\.com|zoom\.com\.cn|zoom\.de|zoom-x\.de|zoomgov\.com)/(j|w|s)/(?<id>[0-9]{9,11})(?![0-9])"),
        new("Zoom", 3, @"^https?://([a-z0-9-]+\.)*(zoom\.us|zoom\.com|zoom\.com\.cn|zoom\.de|zoom-x\.de|zoomgov\.com)/wc/(join/)?(?<id>[0-9]{9,11})(?![0-9])"),
        new("Zoom", 3, @"^https?://([a-z0-9-]+\.)*(zoom\.us|zoom\.com|zoom\.com\.cn|zoom\.de|zoom-x\.de|zoomgov\.com)/(j|w|s)/[0-9]"),
        new("Zoom", 3, @"^(zoommtg|zoomus)://[^?#]*\?([^#]*&)?confno=(?<id>[0-9]{9,11})(?![0-9])"),
        new("Zoom", 3, @"^(zoommtg|zoomus)://"),
        new("Zoom", 2, @"^https?://([a-z0-9-]+\.)*(zoom\.us|zoom\.com|zoomgov\.com)/(webinar|meeting)/register/[^/?#]+"),
        new("Zoom", 2, @"^https?://([a-z0-9-]+\.)*(zoom\.us|zoom\.com|zoom\.com\.cn|zoom\.de|zoom-x\.de|zoomgov\.com)/my/[^/?#]+"),
        new("Reclaim.ai", 2, @"^https?://reclaim\.ai/z/[a-z0-9./]+"),
        new("zm.page", 2, @"^https?://[a-z0-9.-]+\.zm\.page(/|$)"),

        // Microsoft.
        new("Teams", 3, @"^https://([a-z0-9-]+\.)*teams\.microsoft\.(com|us)/l/meetup-join/"),
        new("Teams", 3, @"^https://([a-z0-9-]+\.)*teams\.microsoft\.(com|us)/meet/(?<id>[0-9]{9,16})(?![0-9])"),
        new("Teams", 3, @"^https://teams\.live\.com/meet/(?<id>[0-9]{9,16})(?![0-9])"),
        new("Skype for Business", 3, @"^https://meet\.lync\.com/[^?#]+/[^?#]+"),
        new("Skype for Business", 3, @"^https://([a-z0-9-]+\.)*lync\.com/([^?#]*/)?meet/"),
        new("Skype", 2, @"^https://join\.skype\.com/[^/?#]+", false),

        // Google.
        new("Google Meet", 3, @"^https://meet\.google\.com/(_meet/)?((?<id>[a-z]{3}-[a-z]{4}-[a-z]{3})|lookup/[^/?#]+)(/|\?|#|$)", false),
        new("Google Meet stream", 3, @"^https://stream\.meet\.google\.com/stream/[a-z0-9-]+", false),
        new("Google Hangouts", 3, @"^https://hangouts\.google\.com/(call|hangouts/_)/[^?#]+", false),
        new("Google Duo", 2, @"^https://duo\.app\.goo\.gl/[^/?#]+", false),

        // Cisco, GoTo, RingCentral, Amazon and the other meeting services whose invitations carry an id.
        new("Webex", 3, @"^https://([a-z0-9-]+\.)*webex\.com/[^?#]*j\.php\?"),
        new("Webex", 3, @"^https://([a-z0-9-]+\.)*webex\.com/wbxmjs/joinservice/"),
        new("Webex", 3, @"^https://([a-z0-9-]+\.)*webex\.com/webappng/sites/[^/?#]+/meeting/"),
        new("Webex", 2, @"^https://([a-z0-9-]+\.)*webex\.com/[^?#]*e\.php\?"),
        new("Webex", 2, @"^https://([a-z0-9-]+\.)*webex\.com/(meet|join)/[^/?#]+"),
        new("GoTo Meeting", 3, @"^https://(meet\.goto\.com|(global|app|www)\.gotomeeting\.com/join)/(?<id>[0-9]{9,10})(?![0-9])", true, "goto"),
        new("GoTo Meeting", 3, @"^https://app\.gotomeeting\.com/\?meetingid=(?<id>[0-9]{9,10})(?![0-9])"),
        new("GoTo Meeting", 3, @"^https://(meet\.goto\.com|(global|app|www)\.gotomeeting\.com/join|gotomeet\.me)/(?!(install|download|app|support)(/|\?|#|$))[^/?#]+", true, "goto"),
        new("GoTo Webinar", 3, @"^https://(attendee|global|register)\.gotowebinar\.com/(join|register|rt)/[0-9]+"),
        new("RingCentral", 3, @"^https://v\.ringcentral\.com/join/(?<id>[0-9]{6,12})(?![0-9])"),
        new("RingCentral", 3, @"^https://meetings\.ringcentral\.com/j/(?<id>[0-9]{6,12})(?![0-9])"),
        new("Chime", 3, @"^https://([a-z0-9-]+\.)*chime\.aws/(?<id>[0-9]{10})(?![0-9])"),
        new("Chime", 3, @"^https://app\.chime\.aws/meetings/\?pin=(?<id>[0-9]{10})(?![0-9])"),
        new("Chime", 3, @"^https://([a-z0-9-]+\.)*chime\.aws/[0-9]"),
        new("BlueJeans", 3, @"^https://([a-z0-9-]+\.)*bluejeans\.com/(?<id>[0-9]{6,12})(/(?<passcode>[0-9]{4,8}))?(/|\?|#|$)"),
        new("BlueJeans", 2, @"^https://([a-z0-9-]+\.)*bluejeans\.com/s/[^/?#]+"),
        new("Lifesize", 3, @"^https://([a-z0-9-]+\.)*lifesizecloud\.com/(?<id>[0-9]{4,12})(?![0-9])"),
        new("Zhumu", 3, @"^https://welink\.zhumu\.com/j/(?<id>[0-9]{6,12})(?![0-9])"),
        new("Lark", 3, @"^https://vc\.larksuite\.com/j/(?<id>[0-9]{6,12})(?![0-9])"),
        new("Feishu", 3, @"^https://vc\.feishu\.cn/j/(?<id>[0-9]{6,12})(?![0-9])"),
        new("Tencent VooV", 2, @"^https://(www\.)?voovmeeting\.com/(dm/)?[^?#]+"),
        new("Vonage Meetings", 3, @"^https://meetings\.vonage\.com/(?<id>[0-9]{9})(?![0-9])"),
        new("Pop", 3, @"^https://pop\.com/j/(?<id>[0-9-]{5,})"),
        new("Zoho Meeting", 3, @"^https://meeting\.zoho\.(com|eu|in|com\.au|jp)/(meeting/)?join\?key=(?<id>[0-9]{6,12})(?![0-9])"),
        new("Zoho Cliq", 3, @"^https://cliq\.zoho\.(com|eu|in|com\.au|jp)/meetings/[^?#]+"),
        new("Dialpad Meetings", 2, @"^https://meetings\.dialpad\.com/(room/)?[^/?#]+"),
        new("StarLeaf", 2, @"^https://meet\.starleaf\.com/[^?#]+"),
        new("UberConference", 2, @"^https://(www\.)?uberconference\.com/[^/?#]+"),
        new("Adobe Connect", 2, @"^https://[a-z0-9-]+\.adobeconnect\.com/[a-z0-9_-]+/?(\?|#|$)"),
        new("Join.me", 2, @"^https://join\.me/[^/?#]+"),

        // Rooms, calls and events with no meeting id in their invitations.
        new("Jitsi", 3, @"^https://meet\.jit\.si/[^/?#]+", false),
        new("8x8", 3, @"^https://8x8\.vc/[^?#]+", false),
        new("Slack huddle", 3, @"^https://([a-z0-9-]+\.)*slack\.com/huddle/[a-z0-9]+/[a-z0-9]+", false),
        new("BigBlueButton", 3, @"^https://[^/?#]+/html5client/join", false),
        new("FaceTime", 3, @"^https://facetime\.apple\.com/join[^?]", false),
        new("Workplace", 3, @"^https://([a-z0-9-]+\.)*workplace\.com/groupcall/[^?#]+", false),
        new("Around", 2, @"^https://(meet\.)?around\.co/[^/?#]+", false),
        new("Jam", 2, @"^https://jam\.systems/[^/?#]+", false),
        new("Blackboard Collaborate", 2, @"^https://([a-z0-9-]+\.)?bbcollab\.com/[^?#]+", false),
        new("CoScreen", 2, @"^https://join\.coscreen\.co/[^?#]+", false),
        new("Vowel", 2, @"^https://([a-z0-9-]+\.)*vowel\.com/#/g/[^?]+", false),
        new("Vimeo", 2, @"^https://vimeo\.com/(showcase|event)/[0-9]+", false),
        new("Vimeo", 2, @"^https://venues\.vimeo\.com/[^?#]+", false),
        new("oVice", 2, @"^https://(?!www\.)[a-z0-9-]+\.ovice\.(in|com)/[^?#]*", false),
        new("Luma", 3, @"^https://lu\.ma/join/[^?#]+", false),
        new("UserZoom", 3, @"^https://go\.userzoom\.com/participate/[a-z0-9-]+", false),
        new("Venue", 3, @"^https://app\.venue\.live/app/[^?#]+", false),
        new("Teemyco", 3, @"^https://app\.teemyco\.com/room/[^?#]+", false),
        new("Gather", 3, @"^https://app\.gather\.town/app/[a-z0-9]+/[^/?#]+\?(spawntoken|meeting)=", false),
        new("Gather", 2, @"^https://app\.gather\.town/app/[a-z0-9]+/[^/?#]+", false),
        new("Chorus", 2, @"^https://go\.chorus\.ai/[^?#]+", false),
        new("Gong", 2, @"^https://([a-z0-9-]+\.)*join\.gong\.io/[^?#]+", false),
        new("Livestorm", 3, @"^https://app\.livestorm\.com/p/[^?#]+/live", false),
        new("Livestorm", 2, @"^https://app\.livestorm\.com/p/[^?#]+", false),
        new("Tuple", 3, @"^https://tuple\.app/c/[^?#]+", false),
        new("Pumble", 3, @"^https://meet\.pumble\.com/[a-z-]+", false),
        new("Suit Conference", 2, @"^https://([a-z0-9-]+\.)*conference\.istesuit\.com/[^?#]+", false),
        new("Doxy.me", 2, @"^https://([a-z0-9-]+\.)*doxy\.me/[^/?#]+", false),
        new("Cal Video", 3, @"^https://app\.cal\.com/video/[a-z0-9./]+", false),
        new("LiveKit Meet", 3, @"^https://meet[a-z0-9.-]*\.livekit\.io/rooms/[^?]+", false),
        new("Meetecho", 2, @"^https://meetings\.conf\.meetecho\.com/[^?#]+", false),
        new("StreamYard", 2, @"^https://(www\.)?streamyard\.com/(guest/)?[a-z0-9]{8,13}(/|\?|#|$)", false),
        new("Riverside", 3, @"^https://riverside\.(com|fm)/studio/[^?#]+", false),
        new("Element Call", 3, @"^https://call\.element\.io/(room/)?[^?]+", false),
        new("Signal", 3, @"^https://signal\.link/call/#key=", false),
        new("WhatsApp", 3, @"^https://call\.whatsapp\.com/(video|voice)/[a-z0-9]+", false),
        new("Daily", 2, @"^https://[a-z0-9-]+\.daily\.co/[a-z0-9_-]+/?(\?|#|$)", false),
        new("Whereby", 2, @"^https://([a-z0-9-]+\.)*whereby\.com/[^/?#]+", false),
        new("TeamViewer Meeting", 2, @"^https://go\.teamviewer\.com/[^?#]+", false),
        new("Blizz", 2, @"^https://go\.blizz\.com/[^?#]+", false),
        new("VSee", 2, @"^https://(www\.)?vsee\.com/(u|c)/[^?#]+", false),
        new("Demio", 2, @"^https://event\.demio\.com/[^?#]+", false),
        new("Preply", 2, @"^https://preply\.com/([a-z]{2}/)?classroom/[^?#]+", false),
        new("Demodesk", 2, @"^https://(app\.)?demodesk\.com/(join|meet|r)/[^?#]+", false),
        new("YouTube", 2, @"^https://((www|m)\.)?youtube\.com/live/[^/?#]+", false),
        new("YouTube", 1, @"^https://(((www|m)\.)?youtube\.com/watch\?v=|youtu\.be/)[a-z0-9_-]+", false, "you"),
        new("BigBlueButton", 2, @"^https://([a-z0-9-]+\.)*(bigbluebutton|bbb)\.[a-z0-9.-]+/(b|rooms)/[^/?#]+", false),
        new("BigBlueButton", 2, @"^https://[^/?#]+/(b|rooms)/[a-z0-9]{3}-[a-z0-9]{3}-[a-z0-9]{3}", false),
        new("Discord", 2, @"^(https://((www|ptb|canary)\.)?(discord\.gg/|discord(app)?\.com/(invite|channels)/)|discord://)[^/?#]+", false, "discord"),

        // Guesses from the host name: self-hosted Jitsi (a meet.* or jitsi.* host whose path is a single room
        // name), Skype for Business Server, Pexip, Nextcloud Talk.
        new("Skype for Business", 1, @"^https://(meet|join)\.[a-z0-9.-]+/([a-z0-9.-]+/)?meet/[a-z0-9._-]+/[a-z0-9]+(/|\?|$)"),
        new("Pexip", 1, @"^https://[a-z0-9.-]+/webapp/(#/)?(\?|conference/)[^#]*"),
        new("Nextcloud Talk", 1, @"^https://[a-z0-9.-]+/(index\.php/)?call/[a-z0-9]{8,}(/|\?|#|$)", false),
        new("Jitsi", 1, @"^https://(meet|jitsi)\.(?!google\.com/|goto\.com/|lync\.com/)[a-z0-9.-]+/[a-z0-9_.~%-]{3,}/?(\?|#|$)", false),
    };

    private static readonly string[] Schemes = { "https", "http", "zoommtg", "zoomus", "discord" };

    /// <summary>The names of the services this table knows, each once, in table order.</summary>
    public static IReadOnlyList<string> Services { get; } = DistinctServices();

    /// <summary>
    /// The link to join by: the best in the location if it has one, else the best in the body; best means the most
    /// certain kind of link (a meeting's own link before a personal room before a guess), then the first.
    /// </summary>
    public static MeetingLink? FindBest(string? location, string? body) => Best(FindAll(location)) ?? Best(FindAll(body));

    /// <summary>Every join link in <paramref name="text"/>, in order of appearance, each once.</summary>
    public static IReadOnlyList<MeetingLink> FindAll(string? text)
    {
        var found = new List<MeetingLink>();
        if (string.IsNullOrEmpty(text))
        {
            return found;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        string s = text!;
        int from = 0;
        while (from < s.Length)
        {
            int sep = s.IndexOf("://", from, StringComparison.Ordinal);
            if (sep < 0)
            {
                break;
            }

            int start = SchemeStart(s, sep);
            int end = sep + 3;
            while (end < s.Length && !IsStop(s[end]))
            {
                end++;
            }

            from = end > sep + 3 ? end : sep + 3;
            if (start < 0 || end - start > MaxLinkLength)
            {
                continue;
            }

            if (Classify(s.Substring(start, end - start), start) is { } link && seen.Add(link.Url))
            {
                found.Add(link);
            }
        }

        return found;
    }

    /// <summary>The service a single link belongs to, or null when it is not a join link this table knows.</summary>
    public static MeetingLink? Identify(string? url) =>
        string.IsNullOrEmpty(url) || url!.Length > MaxLinkLength ? null : Classify(url.Trim(), 0);

    private static MeetingLink? Best(IReadOnlyList<MeetingLink> links)
    {
        MeetingLink? best = null;
        foreach (MeetingLink link in links)
        {
            if (best is null || link.Specificity > best.Specificity)
            {
                best = link;
            }
        }

        return best;
    }

    private static MeetingLink? Classify(string candidate, int position)
    {
        string url = Clean(candidate);
        for (int depth = 0; depth < MaxUnwrapDepth; depth++)
        {
            string? inner = Unwrap(url);
            if (inner is null)
            {
                break;
            }

            url = Clean(inner);
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || uri.Host.Length == 0)
        {
            return null;
        }

        string subject = uri.Scheme.ToLowerInvariant() + "://" + uri.Host.ToLowerInvariant() + uri.PathAndQuery + uri.Fragment;
        string lowered = subject.ToLowerInvariant();
        foreach (Rule rule in Rules)
        {
            if (rule.Match(subject, lowered) is { } match)
            {
                string? id = match.Groups["id"] is { Success: true } g ? g.Value.Replace("-", string.Empty) : null;
                if (id is not null && rule.Service == "Google Meet")
                {
                    id = match.Groups["id"].Value.ToLowerInvariant();
                }

                string? passcode = match.Groups["passcode"] is { Success: true } p ? p.Value : PlainPasscodeParameter(uri.Query);
                return new MeetingLink(rule.Service, url, rule.Specificity, position, id, passcode, rule.TextDetails, candidate.Length);
            }
        }

        return null;
    }

    /// <summary>HTML entities a link picks up in an href, and punctuation a sentence puts after it, taken off.</summary>
    private static string Clean(string candidate)
    {
        string url = candidate;
        foreach (string entity in new[] { "&quot;", "&lt;", "&gt;", "&#39;", "&#34;", "&nbsp;" })
        {
            int cut = url.IndexOf(entity, StringComparison.OrdinalIgnoreCase);
            if (cut >= 0)
            {
                url = url.Substring(0, cut);
            }
        }

        url = ReplaceIgnoreCase(url, "&amp;", "&");
        int end = url.Length;
        while (end > 0)
        {
            char c = url[end - 1];
            if (c is '.' or ',' or ';' or ':' or '!' or '?' or '\'' or '"' or '*' or '>' or ']' or '}')
            {
                end--;
            }
            else if (c == ')' && Count(url, '(', end) < Count(url, ')', end))
            {
                end--;
            }
            else
            {
                break;
            }
        }

        return url.Substring(0, end);
    }

    /// <summary>The link inside a SafeLinks, Google redirect or Proofpoint wrapper; null when <paramref name="url"/> is not wrapped.</summary>
    private static string? Unwrap(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri))
        {
            return null;
        }

        string host = uri.Host.ToLowerInvariant();
        string path = uri.AbsolutePath;
        if (host.EndsWith(".safelinks.protection.outlook.com", StringComparison.Ordinal))
        {
            return QueryValue(uri.Query, "url");
        }

        if ((host is "google.com" || host.StartsWith("www.google.", StringComparison.Ordinal) || host.StartsWith("google.", StringComparison.Ordinal))
            && path == "/url")
        {
            return QueryValue(uri.Query, "q") ?? QueryValue(uri.Query, "url");
        }

        if (host == "urldefense.proofpoint.com" && path.StartsWith("/v2/url", StringComparison.Ordinal))
        {
            string? u = QueryValue(uri.Query, "u");
            return u is null ? null : ProofpointV2(u);
        }

        // Barracuda, Trend Micro, Slack's redirector and the SafeLinks page Teams opens: the target in a parameter.
        if ((host == "linkprotect.cudasvc.com" && path == "/url")
            || (host.EndsWith(".trendmicro.com", StringComparison.Ordinal) && path.EndsWith("/clicktime/v1/query", StringComparison.Ordinal))
            || (host == "slack-redir.net" && path == "/link")
            || (host == "statics.teams.cdn.office.net" && path.EndsWith("/atp-safelinks.html", StringComparison.Ordinal)))
        {
            return QueryValue(uri.Query, "a") ?? QueryValue(uri.Query, "url");
        }

        if (host == "urldefense.com" || host == "urldefense.us")
        {
            const string Marker = "/v3/__";
            int at = url.IndexOf(Marker, StringComparison.Ordinal);
            if (at >= 0)
            {
                int inner = at + Marker.Length;
                int stop = url.IndexOf("__;", inner, StringComparison.Ordinal);
                return stop > inner ? url.Substring(inner, stop - inner) : null;
            }
        }

        return null;
    }

    private static string? QueryValue(string query, string name)
    {
        string q = query.StartsWith("?", StringComparison.Ordinal) ? query.Substring(1) : query;
        foreach (string part in q.Split('&'))
        {
            int eq = part.IndexOf('=');
            if (eq > 0 && string.Equals(part.Substring(0, eq), name, StringComparison.OrdinalIgnoreCase))
            {
                try
                {
                    string value = Uri.UnescapeDataString(part.Substring(eq + 1));
                    return value.Length == 0 ? null : value;
                }
                catch (UriFormatException)
                {
                    return null;
                }
            }
        }

        return null;
    }

    /// <summary>Proofpoint v2 writes <c>%</c> as <c>-</c> and <c>/</c> as <c>_</c>.</summary>
    private static string ProofpointV2(string encoded)
    {
        var sb = new StringBuilder(encoded.Length);
        for (int i = 0; i < encoded.Length; i++)
        {
            char c = encoded[i];
            if (c == '-' && i + 2 < encoded.Length
                && int.TryParse(encoded.Substring(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int code))
            {
                sb.Append((char)code);
                i += 2;
            }
            else
            {
                sb.Append(c == '_' ? '/' : c);
            }
        }

        return sb.ToString();
    }

    private static int SchemeStart(string s, int sep)
    {
        foreach (string scheme in Schemes)
        {
            int start = sep - scheme.Length;
            if (start >= 0
                && string.Compare(s, start, scheme, 0, scheme.Length, StringComparison.OrdinalIgnoreCase) == 0
                && (start == 0 || !char.IsLetterOrDigit(s[start - 1])))
            {
                return start;
            }
        }

        return -1;
    }

    private static bool IsStop(char c) =>
        char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>' or '"' or '\'' or '`' or '{' or '}' or '|' or '\\' or '^' or '[' or ']';

    private static int Count(string s, char c, int length)
    {
        int n = 0;
        for (int i = 0; i < length; i++)
        {
            n += s[i] == c ? 1 : 0;
        }

        return n;
    }

    private static string ReplaceIgnoreCase(string s, string oldValue, string newValue)
    {
        int at = s.IndexOf(oldValue, StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            return s;
        }

        var sb = new StringBuilder(s.Length);
        int from = 0;
        while (at >= 0)
        {
            sb.Append(s, from, at - from).Append(newValue);
            from = at + oldValue.Length;
            at = s.IndexOf(oldValue, from, StringComparison.OrdinalIgnoreCase);
        }

        return sb.Append(s, from, s.Length - from).ToString();
    }

    /// <summary>The substring a rule's pattern requires, by which most links skip it (for the tests).</summary>
    internal static string? RequiredLiteralOf(string pattern) => Rule.RequiredLiteral(pattern);

    /// <summary>A passcode named as such in the query (<c>passcode=</c>, <c>password=</c>); never <c>pwd=</c>, which Zoom encodes.</summary>
    private static string? PlainPasscodeParameter(string query)
    {
        if (query.Length < 2)
        {
            return null;
        }

        string? value = QueryValue(query, "passcode") ?? QueryValue(query, "password");
        return value is { Length: > 0 and <= 32 } && value.IndexOfAny(NotInPasscode) < 0 ? value : null;
    }

    private static readonly char[] NotInPasscode = { ' ', '/', ':' };

    private static List<string> DistinctServices()
    {
        var names = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (Rule rule in Rules)
        {
            if (seen.Add(rule.Service))
            {
                names.Add(rule.Service);
            }
        }

        return names;
    }

    private sealed class Rule
    {
        private readonly Regex _pattern;
        private readonly string? _required;

        public Rule(string service, int specificity, string pattern, bool textDetails = true, string? required = null)
        {
            Service = service;
            Specificity = specificity;
            TextDetails = textDetails;
            _pattern = new Regex(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, MatchTimeout);
            _required = (required ?? RequiredLiteral(pattern))?.ToLowerInvariant();
        }

        public string Service { get; }

        public int Specificity { get; }

        public bool TextDetails { get; }

        /// <summary>
        /// The longest text every match must contain (at least four characters, not the scheme), or null: literal
        /// runs outside groups, or the common start of a group of plain alternatives (<c>(zoom\.us|zoom\.com)</c>).
        /// </summary>
        internal static string? RequiredLiteral(string pattern)
        {
            string best = string.Empty;
            var run = new StringBuilder();
            int i = 0;

            void Offer(string candidate)
            {
                int scheme = candidate.IndexOf("://", StringComparison.Ordinal);
                candidate = scheme >= 0 ? candidate.Substring(scheme + 3) : candidate;
                if (candidate.Length > best.Length && candidate.IndexOf("http", StringComparison.Ordinal) < 0 && candidate != "://")
                {
                    best = candidate;
                }
            }

            void EndRun()
            {
                Offer(run.ToString());
                run.Clear();
            }

            while (i < pattern.Length)
            {
                char c = pattern[i];
                bool quantified = i + 1 < pattern.Length && pattern[i + 1] is '?' or '*' or '+' or '{';
                if (c == '\\' && i + 1 < pattern.Length && pattern[i + 1] is '.' or '/' or '?' or '-' or '#' or '=')
                {
                    bool escapedQuantified = i + 2 < pattern.Length && pattern[i + 2] is '?' or '*' or '+' or '{';
                    if (escapedQuantified)
                    {
                        EndRun();
                    }
                    else
                    {
                        run.Append(pattern[i + 1]);
                    }

                    i += 2;
                }
                else if (char.IsLetterOrDigit(c) || c is '/' or ':' or '-' or '_' or '&' or '~' or '%')
                {
                    if (quantified)
                    {
                        EndRun();
                    }
                    else
                    {
                        run.Append(c);
                    }

                    i++;
                }
                else if (c == '(')
                {
                    EndRun();
                    int close = GroupEnd(pattern, i);
                    if (close < 0)
                    {
                        return null;
                    }

                    bool optional = close + 1 < pattern.Length && pattern[close + 1] is '?' or '*' or '{';
                    string? prefix = optional ? null : CommonPrefixOfPlainAlternatives(pattern.Substring(i + 1, close - i - 1));
                    if (prefix is not null)
                    {
                        Offer(prefix);
                    }

                    i = close + 1;
                }
                else if (c == '|')
                {
                    // Alternatives at the top level: nothing is required of every match.
                    return null;
                }
                else
                {
                    EndRun();
                    int close = c == '{' ? pattern.IndexOf('}', i) : -1;
                    i = c == '[' ? ClassEnd(pattern, i) + 1 : close > i ? close + 1 : i + 1;
                }
            }

            EndRun();
            return best.Length >= 4 ? best : null;
        }

        private static int GroupEnd(string pattern, int open)
        {
            int depth = 0;
            for (int i = open; i < pattern.Length; i++)
            {
                char c = pattern[i];
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '[')
                {
                    i = ClassEnd(pattern, i);
                }
                else if (c == '(')
                {
                    depth++;
                }
                else if (c == ')' && --depth == 0)
                {
                    return i;
                }
            }

            return -1;
        }

        private static int ClassEnd(string pattern, int open)
        {
            for (int i = open + 1; i < pattern.Length; i++)
            {
                if (pattern[i] == '\\')
                {
                    i++;
                }
                else if (pattern[i] == ']')
                {
                    return i;
                }
            }

            return pattern.Length - 1;
        }

        /// <summary>For <c>zoom\.us|zoom\.com</c>, <c>zoom</c>; null when an alternative is more than letters, digits, '-' and escaped dots.</summary>
        private static string? CommonPrefixOfPlainAlternatives(string body)
        {
            string? prefix = null;
            foreach (string alternative in body.Split('|'))
            {
                var text = new StringBuilder();
                for (int i = 0; i < alternative.Length; i++)
                {
                    char c = alternative[i];
                    if (c == '\\' && i + 1 < alternative.Length && alternative[i + 1] == '.')
                    {
                        text.Append('.');
                        i++;
                    }
                    else if (char.IsLetterOrDigit(c) || c == '-')
                    {
                        text.Append(c);
                    }
                    else
                    {
                        return null;
                    }
                }

                string value = text.ToString();
                if (prefix is null)
                {
                    prefix = value;
                }
                else
                {
                    int n = 0;
                    while (n < prefix.Length && n < value.Length && prefix[n] == value[n])
                    {
                        n++;
                    }

                    prefix = prefix.Substring(0, n);
                }
            }

            return prefix;
        }

        public Match? Match(string subject, string lowered)
        {
            // Most links in a long mail are no join links: a substring test turns nearly all of them away
            // before the pattern runs.
            if (_required is not null && lowered.IndexOf(_required, StringComparison.Ordinal) < 0)
            {
                return null;
            }

            try
            {
                Match match = _pattern.Match(subject);
                return match.Success ? match : null;
            }
            catch (RegexMatchTimeoutException)
            {
                return null;
            }
        }
    }
}
