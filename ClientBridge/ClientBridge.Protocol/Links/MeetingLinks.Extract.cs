using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace ClientBridge.Protocol.Links;

public static partial class MeetingLinks
{
    /// <summary>How far from its link (in characters of visible text) a stated id, passcode or dial-in may be.</summary>
    private const int MaxDetailDistance = 4000;

    private const int MaxIdDigits = 20;
    private const int MinIdDigits = 5;
    private const int MaxPasscodeLength = 32;

    /// <summary>Labels of a meeting id: rank 0 names the meeting, rank 1 only its audio conference (Teams).</summary>
    private static readonly (string Label, int Rank)[] IdLabels =
    {
        ("meeting id", 0), ("meeting-id", 0), ("meeting number", 0), ("webinar id", 0), ("access code", 0),
        ("meeting code", 0), ("conference id", 1),
    };

    private static readonly char[] Pauses = { ',', ';' };

    private static readonly string[] PasscodeLabels =
    {
        "passcode", "password", "pass code", "kenncode", "kennwort",
    };

    /// <summary>
    /// Every join link in the location and then the body, best first (location before body, then the most certain
    /// kind of link, then the first), each with the meeting id, passcode and one-tap dial-in numbers the text gives
    /// for it. HTML is read as its visible text, with link targets kept. The first is the link <see cref="FindBest"/> picks.
    /// </summary>
    public static IReadOnlyList<MeetingDetails> Extract(string? location, string? body)
    {
        List<Found> inLocation = Collect(location);
        List<Found> inBody = Collect(body);
        var result = new List<MeetingDetails>(inLocation.Count + inBody.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (Found found in inLocation)
        {
            // A link in the location whose details are in the body (as Zoom and Teams write invitations).
            Found? same = inBody.FirstOrDefault(b => string.Equals(b.Link.Url, found.Link.Url, StringComparison.Ordinal));
            if (same is not null)
            {
                found.MeetingId ??= same.MeetingId;
                found.Passcode ??= same.Passcode;
                found.DialIns.AddRange(same.DialIns.Where(d => !found.DialIns.Contains(d)));
            }

            if (seen.Add(found.Link.Url))
            {
                result.Add(found.ToDetails());
            }
        }

        foreach (Found found in inBody)
        {
            if (seen.Add(found.Link.Url))
            {
                result.Add(found.ToDetails());
            }
        }

        return result;
    }

    /// <summary>The links in one text, best first, with the details that text gives for each.</summary>
    private static List<Found> Collect(string? raw)
    {
        if (string.IsNullOrEmpty(raw))
        {
            return new List<Found>();
        }

        string text = InvitationText.Visible(raw!);
        List<Found> found = FindAll(text).Select(link => new Found(link)).ToList();
        if (found.Count == 0)
        {
            return found;
        }

        var idHits = new List<(Found Owner, string Value, int Rank, int Distance)>();
        foreach ((string label, int rank) in IdLabels)
        {
            foreach ((int at, int valueAt) in LabelHits(text, label))
            {
                if (ReadId(text, valueAt) is { } id && Nearest(found, at, requireNoUrlId: true) is { } owner)
                {
                    idHits.Add((owner.Found, id, rank, owner.Distance));
                }
            }
        }

        var passcodeHits = new List<(Found Owner, string Value, int Distance)>();
        foreach (string label in PasscodeLabels)
        {
            foreach ((int at, int valueAt) in LabelHits(text, label))
            {
                if (ReadPasscode(text, valueAt, text[valueAt - 1] is ':' or '\uFF1A' or '=') is { } passcode && Nearest(found, at, requireNoUrlId: false) is { } owner)
                {
                    passcodeHits.Add((owner.Found, passcode, owner.Distance));
                }
            }
        }

        foreach (Found f in found)
        {
            f.MeetingId = f.Link.UrlMeetingId
                ?? idHits.Where(h => h.Owner == f).OrderBy(h => h.Rank).ThenBy(h => h.Distance).Select(h => h.Value).FirstOrDefault();
            f.Passcode = f.Link.UrlPasscode
                ?? passcodeHits.Where(h => h.Owner == f).OrderBy(h => h.Distance).Select(h => h.Value).FirstOrDefault();
        }

        foreach ((int at, string dial) in DialIns(text))
        {
            string tail = dial.Substring(dial.IndexOfAny(Pauses));
            Found? owner = found.FirstOrDefault(f => f.Link.TextDetails && f.MeetingId is { Length: > 0 } id && char.IsDigit(id[0]) && tail.IndexOf(id, StringComparison.Ordinal) >= 0)
                ?? Nearest(found, at, requireNoUrlId: false)?.Found
                ?? Nearest(found, at, requireNoUrlId: false, anyService: true)?.Found;
            if (owner is not null && !owner.DialIns.Contains(dial))
            {
                owner.DialIns.Add(dial);
            }
        }

        // Two links to one meeting (the app's and the browser's) share what the text says about it.
        foreach (Found f in found.Count <= 64 ? found : new List<Found>())
        {
            foreach (Found other in found)
            {
                if (other != f && f.MeetingId is not null && other.MeetingId == f.MeetingId && other.Link.Service == f.Link.Service)
                {
                    f.Passcode ??= other.Passcode;
                    f.DialIns.AddRange(other.DialIns.Where(d => !f.DialIns.Contains(d)).ToList());
                }
            }
        }

        // Best first: the most certain kind of link, then the first (a stable sort keeps the order of appearance).
        return found.OrderByDescending(f => f.Link.Specificity).ThenBy(f => f.Link.Position).ToList();
    }

    /// <summary>
    /// The link nearest to <paramref name="at"/> whose service states details in its text (or any link, for a dial-in
    /// that no other link claims: Google Meet's), within reach.
    /// </summary>
    private static (Found Found, int Distance)? Nearest(List<Found> found, int at, bool requireNoUrlId, bool anyService = false)
    {
        (Found Found, int Distance)? best = null;
        foreach (Found f in found)
        {
            if ((!f.Link.TextDetails && !anyService) || (requireNoUrlId && f.Link.UrlMeetingId is not null))
            {
                continue;
            }

            // Invitations put details after their link: text before a link counts double.
            int end = f.Link.Position + f.Link.Length;
            int distance = at >= end ? at - end : at < f.Link.Position ? 2 * (f.Link.Position - at) : 0;
            if (distance <= MaxDetailDistance && (best is null || distance < best.Value.Distance))
            {
                best = (f, distance);
            }
        }

        return best;
    }

    /// <summary>
    /// Where <paramref name="label"/> occurs as words, and where its value starts: after spaces, a short
    /// parenthesis ("Meeting number (access code):"), an optional colon and "is".
    /// </summary>
    private static IEnumerable<(int At, int ValueAt)> LabelHits(string text, string label)
    {
        int at = text.IndexOf(label, StringComparison.OrdinalIgnoreCase);
        while (at >= 0)
        {
            int after = at + label.Length;
            if ((at == 0 || !char.IsLetterOrDigit(text[at - 1])) && (after >= text.Length || !char.IsLetter(text[after])))
            {
                int i = SkipBlanks(text, after, 12);
                if (i < text.Length && text[i] == '(')
                {
                    int close = text.IndexOf(')', i, Math.Min(24, text.Length - i));
                    i = close < 0 ? i : SkipBlanks(text, close + 1, 12);
                }

                if (i < text.Length && text[i] is ':' or '\uFF1A' or '=' or '#')
                {
                    i++;
                    int value = SkipBlanks(text, i, 12);
                    yield return (at, value < text.Length ? value : text.Length - 1);
                }
                else if (i > after && i < text.Length)
                {
                    if (string.Compare(text, i, "is ", 0, 3, StringComparison.OrdinalIgnoreCase) == 0)
                    {
                        i = SkipBlanks(text, i + 3, 12);
                    }

                    yield return (at, i);
                }
            }

            at = text.IndexOf(label, after, StringComparison.OrdinalIgnoreCase);
        }
    }

    private static int SkipBlanks(string text, int from, int max)
    {
        int i = from;
        while (i < text.Length && i - from < max && (char.IsWhiteSpace(text[i]) || text[i] == '\u00A0'))
        {
            i++;
        }

        return i;
    }

    /// <summary>Digits in groups split by single spaces or dashes ("857 4635 2413", "123-456-789"), as digits only.</summary>
    private static string? ReadId(string text, int at)
    {
        var digits = new StringBuilder();
        int i = at;
        while (i < text.Length && digits.Length <= MaxIdDigits)
        {
            char c = text[i];
            if (c is >= '0' and <= '9')
            {
                digits.Append(c);
                i++;
            }
            else if (digits.Length > 0 && c is ' ' or '-' or '\u00A0' && i + 1 < text.Length && text[i + 1] is >= '0' and <= '9')
            {
                i++;
            }
            else
            {
                break;
            }
        }

        bool endsAsWord = i >= text.Length || !char.IsLetter(text[i]);
        return digits.Length is >= MinIdDigits and <= MaxIdDigits && endsAsWord ? digits.ToString() : null;
    }

    /// <summary>One token of printable characters; without a colon after the label it must hold a digit ("Password is required" is no passcode).</summary>
    private static string? ReadPasscode(string text, int at, bool afterColon)
    {
        int end = at;
        while (end < text.Length && end - at <= MaxPasscodeLength && !char.IsWhiteSpace(text[end]) && text[end] != '\u00A0' && text[end] != '<')
        {
            end++;
        }

        while (end > at && text[end - 1] is '.' or ',' or ';' or ')' or '"' or '\'')
        {
            end--;
        }

        if (end == at || end - at > MaxPasscodeLength)
        {
            return null;
        }

        string value = text.Substring(at, end - at);
        bool hasDigit = value.Any(char.IsDigit);
        if ((!afterColon && !hasDigit) || value.IndexOf("://", StringComparison.Ordinal) >= 0)
        {
            return null;
        }

        return value;
    }

    /// <summary>
    /// One-tap numbers: <c>+</c>, a phone number (digits, spaces, dashes, dots, parentheses), a pause (<c>,</c> or
    /// <c>;</c>) and the digits to send, with at least one <c>#</c>. Returned without the number's spacing.
    /// </summary>
    private static IEnumerable<(int At, string Dial)> DialIns(string text)
    {
        int plus = text.IndexOf('+');
        while (plus >= 0)
        {
            int next = plus + 1;
            if (next < text.Length && text[next] is >= '0' and <= '9' && (plus == 0 || !char.IsLetterOrDigit(text[plus - 1])))
            {
                var dial = new StringBuilder("+");
                int i = next;
                int digits = 0;
                while (i < text.Length && i - next < 24 && text[i] is (>= '0' and <= '9') or ' ' or '-' or '.' or '(' or ')')
                {
                    if (text[i] is >= '0' and <= '9')
                    {
                        dial.Append(text[i]);
                        digits++;
                    }

                    i++;
                }

                if (digits is >= 7 and <= 15 && i < text.Length && text[i] is ',' or ';')
                {
                    int tailStart = i;
                    while (i < text.Length && i - tailStart < 64 && text[i] is (>= '0' and <= '9') or ',' or ';' or '#' or '*')
                    {
                        i++;
                    }

                    string tail = text.Substring(tailStart, i - tailStart).TrimEnd(',', ';');
                    if (tail.IndexOf('#') >= 0 && tail.Any(char.IsDigit))
                    {
                        yield return (plus, dial.Append(tail).ToString());
                    }
                }

                next = Math.Max(i, plus + 1);
            }

            plus = next < text.Length ? text.IndexOf('+', next) : -1;
        }
    }

    private sealed class Found
    {
        public Found(MeetingLink link) => Link = link;

        public MeetingLink Link { get; }

        public string? MeetingId { get; set; }

        public string? Passcode { get; set; }

        public List<string> DialIns { get; } = new();

        public MeetingDetails ToDetails() => new(Link.Service, Link.Url, MeetingId, Passcode, DialIns.ToArray());
    }
}
