using System;
using System.Globalization;
using System.Text;

namespace FakeOutlook;

/// <summary>
/// HTML encapsulated in RTF, as Exchange keeps the RTF of an item whose best body is HTML (made in Outlook on the web,
/// the new Outlook or a phone; MS-OXCMAIL 2.1.3.3.8, MS-OXRTFEX). The shape follows MS-OXRTFEX's examples: a
/// <c>\fromhtml1</c> header with font and colour tables, every tag in a <c>{\*\htmltagN …}</c> group, RTF-only
/// formatting between <c>\htmlrtf</c> and <c>\htmlrtf0</c> (a paragraph's group, a hyperlink FIELD, line and paragraph
/// breaks), entities as a tag group followed by their character for RTF readers, accented letters as <c>\'hh</c>.
/// </summary>
internal static class EncapsulatedRtf
{
    private const string Header =
        "{\\rtf1\\ansi\\ansicpg1252\\fromhtml1 \\fbidis \\deff0{\\fonttbl\r\n{\\f0\\fswiss\\fcharset0 Arial;}\r\n{\\f1\\fmodern Courier New;}\r\n"
        + "{\\f2\\fnil\\fcharset2 Symbol;}\r\n{\\f3\\fmodern\\fcharset0 Courier New;}}\r\n{\\colortbl\\red0\\green0\\blue0;\\red0\\green0\\blue255;}\r\n"
        + "\\uc1\\pard\\plain\\deftab360 \\f0\\fs24 ";

    private static readonly Encoding Latin1 = Encoding.Latin1;

    public static bool IsEncapsulated(byte[]? rtf) =>
        rtf is not null && Encoding.ASCII.GetString(rtf, 0, Math.Min(rtf.Length, 512)).Contains("\\fromhtml1", StringComparison.Ordinal);

    /// <summary>The encapsulated RTF Exchange would keep for this HTML.</summary>
    public static byte[] FromHtml(string html)
    {
        var sb = new StringBuilder(Header);
        int i = 0;
        string? openLink = null;
        while (i < html.Length)
        {
            char c = html[i];
            if (c == '<')
            {
                int close = html.IndexOf('>', i);
                string tag = html[i..(close < 0 ? html.Length : close + 1)];
                string name = Name(tag);
                bool closing = tag.StartsWith("</", StringComparison.Ordinal);
                if (closing && name == "a" && openLink is not null)
                {
                    sb.Append("\\htmlrtf }}\\htmlrtf0 ");
                    openLink = null;
                }

                if (closing && name is "p" or "div" or "li" or "td")
                {
                    sb.Append("\\htmlrtf }\\htmlrtf0 ");
                }

                sb.Append("\r\n{\\*\\htmltag").Append(Parameter(name, closing).ToString(CultureInfo.InvariantCulture)).Append(' ');
                Text(sb, tag);
                sb.Append('}');
                if (!closing && name is "p" or "div" or "li" or "td")
                {
                    sb.Append("\\htmlrtf {\\htmlrtf0 ");
                }
                else if (!closing && name == "br")
                {
                    sb.Append("\\htmlrtf \\line\r\n\\htmlrtf0 ");
                }
                else if (closing && name is "p" or "div" or "li")
                {
                    sb.Append("\\htmlrtf \\par\r\n\\htmlrtf0 ");
                }
                else if (!closing && name == "a" && Href(tag) is { } href)
                {
                    openLink = href;
                    sb.Append("\\htmlrtf {\\field{\\*\\fldinst{HYPERLINK \"").Append(href).Append("\"}}{\\fldrslt\\cf1\\ul \\htmlrtf0 ");
                }

                i = close < 0 ? html.Length : close + 1;
            }
            else if (c == '&' && html.IndexOf(';', i) is int semi && semi > i && semi - i <= 10)
            {
                string entity = html[i..(semi + 1)];
                sb.Append("{\\*\\htmltag0 ").Append(entity).Append("}\\htmlrtf ");
                Text(sb, System.Net.WebUtility.HtmlDecode(entity));
                sb.Append("\\htmlrtf0 ");
                i = semi + 1;
            }
            else if (c is '\r' or '\n')
            {
                // Source line breaks are the HTML's, not the text's: kept in a tag group of their own.
                int end = i;
                while (end < html.Length && html[end] is '\r' or '\n')
                {
                    end++;
                }

                sb.Append("{\\*\\htmltag0 ");
                Text(sb, html[i..end]);
                sb.Append('}');
                i = end;
            }
            else
            {
                Text(sb, c.ToString());
                i++;
            }
        }

        sb.Append('}');
        return Encoding.ASCII.GetBytes(sb.ToString());
    }

    /// <summary>What Outlook shows of an encapsulated RTF body: the HTML it carries (MS-OXRTFEX de-encapsulation).</summary>
    public static string HtmlOf(byte[] rtf)
    {
        string s = Encoding.ASCII.GetString(rtf);
        var html = new StringBuilder();
        var frames = new System.Collections.Generic.Stack<(bool Tag, bool Rtf, bool Skip)>();
        (bool Tag, bool Rtf, bool Skip) f = (false, false, false);
        bool fresh = false;
        int fallback = 0;
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c == '{')
            {
                frames.Push(f);
                fresh = true;
                continue;
            }

            if (c == '}')
            {
                f = frames.Count > 0 ? frames.Pop() : f;
                fresh = false;
                continue;
            }

            bool shows = !f.Skip && (f.Tag || !f.Rtf);
            if (c == '\\')
            {
                char n = i + 1 < s.Length ? s[i + 1] : ' ';
                if (n == '*')
                {
                    i++;
                    int j = i + 1;
                    bool tag = s.AsSpan(j).StartsWith("\\htmltag", StringComparison.Ordinal);
                    f = tag ? (true, f.Rtf, f.Skip) : (f.Tag, f.Rtf, true);
                    continue;
                }

                if (n is '\\' or '{' or '}')
                {
                    Add(html, n, shows, ref fallback);
                    i++;
                    continue;
                }

                if (n == '\'')
                {
                    Add(html, Latin1.GetString(new[] { Convert.ToByte(s.Substring(i + 2, 2), 16) })[0], shows, ref fallback);
                    i += 3;
                    continue;
                }

                (string word, string digits, int p) = Rtf.ControlWord(s, i);

                if (fresh && word is "fonttbl" or "colortbl")
                {
                    f = (f.Tag, f.Rtf, true);
                }
                else if (word == "htmlrtf")
                {
                    f = (f.Tag, digits != "0", f.Skip);
                }
                else if (word is "par" or "line")
                {
                    Add(html, '\r', shows, ref fallback);
                    Add(html, '\n', shows, ref fallback);
                }
                else if (word == "tab")
                {
                    Add(html, '\t', shows, ref fallback);
                }
                else if (word == "u" && digits.Length > 0)
                {
                    Add(html, (char)(short)int.Parse(digits, CultureInfo.InvariantCulture), shows, ref fallback);
                    fallback = 1;
                }

                fresh = false;
                i = p - 1;
                continue;
            }

            fresh = false;
            if (c is not ('\r' or '\n'))
            {
                Add(html, c, shows, ref fallback);
            }
        }

        return html.ToString();
    }

    private static void Add(StringBuilder html, char c, bool shows, ref int fallback)
    {
        if (fallback > 0)
        {
            fallback--;
            return;
        }

        if (shows)
        {
            html.Append(c);
        }
    }

    private static string Name(string tag)
    {
        int i = tag.StartsWith("</", StringComparison.Ordinal) ? 2 : 1;
        int start = i;
        while (i < tag.Length && (char.IsLetterOrDigit(tag[i]) || tag[i] == ':'))
        {
            i++;
        }

        return tag[start..i].ToLowerInvariant();
    }

    private static string? Href(string tag)
    {
        int at = tag.IndexOf("href=\"", StringComparison.OrdinalIgnoreCase);
        int end = at < 0 ? -1 : tag.IndexOf('"', at + 6);
        return end < 0 ? null : tag[(at + 6)..end];
    }

    /// <summary>HTMLTagParameter values as in MS-OXRTFEX's examples; what they encode does not change the HTML.</summary>
    private static int Parameter(string name, bool closing) => (name, closing) switch
    {
        ("html", false) => 19,
        ("html", true) => 27,
        ("head", false) => 34,
        ("head", true) => 41,
        ("body", false) => 50,
        ("body", true) => 58,
        ("p" or "div", false) => 64,
        ("p" or "div", true) => 72,
        ("a", false) => 84,
        ("a", true) => 92,
        ("br", _) => 116,
        ("meta", _) => 161,
        ("style", _) => 241,
        _ => 0,
    };

    private static void Text(StringBuilder sb, string text)
    {
        foreach (char c in text)
        {
            switch (c)
            {
                case '\\' or '{' or '}':
                    sb.Append('\\').Append(c);
                    break;
                case '\r':
                    break;
                case '\n':
                    sb.Append("\\par ");
                    break;
                default:
                    if (c > 127 && c <= 255)
                    {
                        sb.Append("\\'").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    }
                    else if (c > 255)
                    {
                        sb.Append("\\u").Append(((int)(short)c).ToString(CultureInfo.InvariantCulture)).Append('?');
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }
    }
}
