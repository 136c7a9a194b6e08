using System;
using System.Globalization;
using System.Text;

namespace ClientBridge.Protocol.Links;

/// <summary>
/// The text a person reads in an invitation: tags dropped, entities decoded, scripts, styles and comments left out.
/// One pass, no regular expressions, so a megabyte of HTML costs a megabyte of work. The target of each link
/// (<c>href</c>) is kept in the text beside the link's words, so that a join link behind "Join the meeting" is
/// still found, at the place where it is.
/// </summary>
internal static class InvitationText
{
    private const int MaxEntityLength = 10;

    /// <summary>Whether <paramref name="text"/> looks like HTML rather than plain text with a stray <c>&lt;</c>.</summary>
    public static bool LooksLikeHtml(string text)
    {
        int at = text.IndexOf('<');
        while (at >= 0 && at + 1 < text.Length)
        {
            char next = text[at + 1];
            if ((next is '/' or '!' || IsTagStart(text, at + 1)) && text.IndexOf('>', at + 1) > 0)
            {
                return true;
            }

            at = text.IndexOf('<', at + 1);
        }

        return false;
    }

    /// <summary>Letters then a space, '/' or '&gt;': a tag, not <c>&lt;https://…&gt;</c> as plain-text mail writes links.</summary>
    private static bool IsTagStart(string text, int from)
    {
        int i = from;
        while (i < text.Length && i - from < 16 && (char.IsLetterOrDigit(text[i]) || (i > from && text[i] == ':' && !(i + 1 < text.Length && text[i + 1] == '/'))))
        {
            i++;
        }

        return i > from && char.IsLetter(text[from]) && i < text.Length && (char.IsWhiteSpace(text[i]) || text[i] is '/' or '>');
    }

    /// <summary>The visible text of <paramref name="text"/> if it is HTML, else <paramref name="text"/> itself.</summary>
    public static string Visible(string text) => LooksLikeHtml(text) ? FromHtml(text) : text;

    public static string FromHtml(string html)
    {
        var sb = new StringBuilder(html.Length / 2);
        bool noMoreTagEnds = false;
        int i = 0;
        while (i < html.Length)
        {
            char c = html[i];
            if (c == '<' && !noMoreTagEnds && i + 1 < html.Length)
            {
                if (string.CompareOrdinal(html, i, "<!--", 0, 4) == 0)
                {
                    int close = html.IndexOf("-->", i + 4, StringComparison.Ordinal);
                    i = close < 0 ? html.Length : close + 3;
                    continue;
                }

                int end = html.IndexOf('>', i + 1);
                if (end < 0)
                {
                    // Every later '<' would search to the end again: the rest is text.
                    noMoreTagEnds = true;
                    sb.Append(c);
                    i++;
                    continue;
                }

                if (html[i + 1] != '/' && html[i + 1] != '!' && !IsTagStart(html, i + 1))
                {
                    // "<https://…>" in a plain-text part, or a stray '<': text.
                    sb.Append(' ');
                    i++;
                    continue;
                }

                string name = TagName(html, i + 1, end);
                if (name is "script" or "style" or "head" or "title")
                {
                    int close = html.IndexOf("</" + name, end, StringComparison.OrdinalIgnoreCase);
                    int closeEnd = close < 0 ? -1 : html.IndexOf('>', close);
                    i = closeEnd < 0 ? html.Length : closeEnd + 1;
                    continue;
                }

                if (name == "a" && Href(html, i, end) is { } href)
                {
                    sb.Append(' ').Append(href).Append(' ');
                }
                else if (name is "br" or "p" or "/p" or "div" or "/div" or "tr" or "/tr" or "li" or "table" or "/table"
                    or "h1" or "h2" or "h3" or "h4" or "h5" or "h6" or "/h1" or "/h2" or "/h3" or "/h4" or "/h5" or "/h6")
                {
                    sb.Append('\n');
                }
                else if (name is "td" or "th" or "/td" or "/th" or "/a")
                {
                    sb.Append(' ');
                }

                i = end + 1;
                continue;
            }

            if (c == '&')
            {
                i = AppendEntity(html, i, sb);
                continue;
            }

            sb.Append(c == '\u00A0' ? ' ' : c);
            i++;
        }

        return sb.ToString();
    }

    /// <summary>Decodes the entity at <paramref name="at"/> (or appends a plain '&amp;'); returns where to go on.</summary>
    public static int AppendEntity(string s, int at, StringBuilder sb)
    {
        int semi = s.IndexOf(';', at + 1, Math.Min(MaxEntityLength, s.Length - at - 1));
        if (semi < 0)
        {
            sb.Append('&');
            return at + 1;
        }

        string name = s.Substring(at + 1, semi - at - 1);
        string? value = name.ToLowerInvariant() switch
        {
            "amp" => "&",
            "lt" => "<",
            "gt" => ">",
            "quot" => "\"",
            "apos" => "'",
            "nbsp" or "ensp" or "emsp" or "thinsp" => " ",
            "ndash" => "\u2013",
            "mdash" => "\u2014",
            _ => null,
        };

        if (value is null && name.Length > 1 && name[0] == '#')
        {
            bool hex = name[1] is 'x' or 'X';
            if (int.TryParse(hex ? name.Substring(2) : name.Substring(1), hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None, CultureInfo.InvariantCulture, out int code)
                && code is > 0 and < 0x110000 and not (>= 0xD800 and <= 0xDFFF))
            {
                value = code == 0xA0 ? " " : char.ConvertFromUtf32(code);
            }
        }

        if (value is null)
        {
            sb.Append('&');
            return at + 1;
        }

        sb.Append(value);
        return semi + 1;
    }

    private static string TagName(string s, int from, int end)
    {
        int i = from;
        int start = i;
        if (i < end && s[i] == '/')
        {
            i++;
        }

        while (i < end && (char.IsLetterOrDigit(s[i]) || s[i] == ':'))
        {
            i++;
        }

        return s.Substring(start, i - start).ToLowerInvariant();
    }

    /// <summary>The decoded value of the <c>href</c> attribute of the tag between <paramref name="start"/> and <paramref name="end"/>.</summary>
    private static string? Href(string s, int start, int end)
    {
        int at = s.IndexOf("href", start, end - start, StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            return null;
        }

        int i = at + 4;
        while (i < end && char.IsWhiteSpace(s[i]))
        {
            i++;
        }

        if (i >= end || s[i] != '=')
        {
            return null;
        }

        i++;
        while (i < end && char.IsWhiteSpace(s[i]))
        {
            i++;
        }

        if (i >= end)
        {
            return null;
        }

        int valueStart;
        int valueEnd;
        if (s[i] is '"' or '\'')
        {
            valueStart = i + 1;
            valueEnd = s.IndexOf(s[i], valueStart, end - valueStart);
            if (valueEnd < 0)
            {
                valueEnd = end;
            }
        }
        else
        {
            valueStart = i;
            valueEnd = i;
            while (valueEnd < end && !char.IsWhiteSpace(s[valueEnd]))
            {
                valueEnd++;
            }
        }

        var sb = new StringBuilder(valueEnd - valueStart);
        for (int j = valueStart; j < valueEnd;)
        {
            if (s[j] == '&')
            {
                j = AppendEntity(s, j, sb);
            }
            else
            {
                sb.Append(s[j]);
                j++;
            }
        }

        return sb.ToString().Trim();
    }
}
