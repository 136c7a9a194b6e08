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
    {
        Service = service ?? throw new ArgumentNullException(nameof(service));
        Url = url ?? throw new ArgumentNullException(nameof(url));
        Specificity = specificity;
        Position = position;
    }

    /// <summary>The service's name as people know it, for example <c>Zoom</c> or <c>Google Meet</c>.</summary>
    public string Service { get; }

    /// <summary>The link itself, with SafeLinks and redirect wrappers taken off.</summary>
    public string Url { get; }

    /// <summary>How surely the link is a join link: 3 a meeting's own link, 2 a room or invite, 1 a guess by host name.</summary>
    internal int Specificity { get; }

    /// <summary>Where the link starts in the text it was found in.</summary>
    internal int Position { get; }

    public override string ToString() => Service + ": " + Url;
}

/// <summary>
/// Finds join links in an appointment's location and body, in one place for the add-in and the agent so that both
/// agree on what counts as a meeting. Text can be a whole HTML invitation, so candidates are found by a single
/// linear scan for <c>://</c>, and patterns are only ever run on one candidate link of bounded length. The rule
/// table is the one list of services; its order is its ranking.
/// </summary>
public static class MeetingLinks
{
    private const int MaxLinkLength = 4096;
    private const int MaxUnwrapDepth = 4;
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(250);

    /// <summary>Specificity: 3 a meeting's own join link, 2 a personal room or invite, 1 a guess from the host name.</summary>
    private static readonly Rule[] Rules =
    {
        new("Zoom", 3, @"^https?://([a-z0-9-]+\.)*(zoom\.us|zoomgov\.com)/((j|w|s)/[0-9]|wc/(join/)?[0-9])"),
        new("Zoom", 3, @"^(zoommtg|zoomus)://"),
        new("Teams", 3, @"^https://([a-z0-9-]+\.)*teams\.microsoft\.(com|us)/(l/meetup-join/|meet/[0-9])"),
        new("Teams", 3, @"^https://teams\.live\.com/meet/[0-9]"),
        new("Google Meet", 3, @"^https://meet\.google\.com/([a-z]{3}-[a-z]{4}-[a-z]{3}|lookup/[^/?#]+)(/|\?|$)"),
        new("Webex", 3, @"^https://([a-z0-9-]+\.)*webex\.com/[^?#]*j\.php\?"),
        new("Webex", 3, @"^https://([a-z0-9-]+\.)*webex\.com/wbxmjs/joinservice/"),
        new("Jitsi", 3, @"^https://(meet\.jit\.si|8x8\.vc)/[^/?#]+"),
        new("GoTo Meeting", 3, @"^https://(meet\.goto\.com|(global|app|www)\.gotomeeting\.com/join|gotomeet\.me)/[^/?#]+"),
        new("GoTo Meeting", 3, @"^https://app\.gotomeeting\.com/\?meetingid=[0-9]"),
        new("Chime", 3, @"^https://([a-z0-9-]+\.)*chime\.aws/[0-9]"),
        new("Skype for Business", 3, @"^https://meet\.lync\.com/[^?#]+/[^?#]+"),
        new("Skype for Business", 3, @"^https://([a-z0-9-]+\.)*lync\.com/([^?#]*/)?meet/"),
        new("Lifesize", 3, @"^https://([a-z0-9-]+\.)*lifesizecloud\.com/[0-9]"),
        new("Slack huddle", 3, @"^https://([a-z0-9-]+\.)*slack\.com/huddle/[a-z0-9]+/[a-z0-9]+"),
        new("BigBlueButton", 3, @"^https://[^/?#]+/html5client/join"),
        new("Zoom", 2, @"^https?://([a-z0-9-]+\.)*(zoom\.us|zoomgov\.com)/my/[^/?#]+"),
        new("Webex", 2, @"^https://([a-z0-9-]+\.)*webex\.com/(meet|join)/[^/?#]+"),
        new("BlueJeans", 2, @"^https://([a-z0-9-]+\.)*bluejeans\.com/[^/?#]+"),
        new("Whereby", 2, @"^https://([a-z0-9-]+\.)*whereby\.com/[^/?#]+"),
        new("Skype", 2, @"^https://join\.skype\.com/[^/?#]+"),
        new("BigBlueButton", 2, @"^https://([a-z0-9-]+\.)*(bigbluebutton|bbb)\.[a-z0-9.-]+/(b|rooms)/[^/?#]+"),
        new("BigBlueButton", 2, @"^https://[^/?#]+/(b|rooms)/[a-z0-9]{3}-[a-z0-9]{3}-[a-z0-9]{3}"),
        new("Discord", 2, @"^https://((www|ptb|canary)\.)?(discord\.gg/|discord(app)?\.com/(invite|channels)/)[^/?#]+"),
        // Self-hosted Jitsi: a meet.* or jitsi.* host whose path is a single room name.
        new("Jitsi", 1, @"^https://(meet|jitsi)\.(?!google\.com/|goto\.com/|lync\.com/)[a-z0-9.-]+/[a-z0-9_.~%-]{3,}/?(\?|$)"),
    };

    private static readonly string[] Schemes = { "https", "http", "zoommtg", "zoomus" };

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

        string subject = uri.Scheme.ToLowerInvariant() + "://" + uri.Host.ToLowerInvariant() + uri.PathAndQuery;
        foreach (Rule rule in Rules)
        {
            if (rule.IsMatch(subject))
            {
                return new MeetingLink(rule.Service, url, rule.Specificity, position);
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

    private sealed class Rule
    {
        private readonly Regex _pattern;

        public Rule(string service, int specificity, string pattern)
        {
            Service = service;
            Specificity = specificity;
            _pattern = new Regex(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, MatchTimeout);
        }

        public string Service { get; }

        public int Specificity { get; }

        public bool IsMatch(string subject)
        {
            try
            {
                return _pattern.IsMatch(subject);
            }
            catch (RegexMatchTimeoutException)
            {
                return false;
            }
        }
    }
}
