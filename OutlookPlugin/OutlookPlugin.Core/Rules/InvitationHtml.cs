using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace OutlookPlugin.Core.Rules;

/// <summary>
/// The HTML half of <see cref="InvitationBlock"/>. A hand-written scanner rather than an HTML parser: Outlook's
/// HTML (Word's, really) is rarely well formed, and only the span between the markers, plus the tags that wrap
/// nothing but it, may change.
/// </summary>
internal static class InvitationHtml
{
    private static readonly HashSet<string> WrapperTags = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "span", "font", "b", "strong", "i", "em", "u", "o:p", "blockquote", "pre", "tt", "code", "small", "big",
    };

    private static readonly HashSet<string> BreakTags = new(StringComparer.OrdinalIgnoreCase)
    {
        "br", "p", "div", "li", "ul", "ol", "tr", "td", "th", "table", "tbody", "thead", "h1", "h2", "h3", "h4", "h5", "h6",
        "hr", "blockquote", "pre", "body", "html", "dd", "dt",
    };

    private static readonly string[] ParagraphTags = { "p", "div" };

    private static readonly string[] SkippedContent = { "style", "script", "title", "xml" };

    public static string Insert(string html, string blockText)
    {
        string div = Compose(blockText);
        if (FindBlock(html) is { } existing)
        {
            return html.Substring(0, existing.Start) + div + html.Substring(existing.End);
        }

        int body = html.LastIndexOf("</body", StringComparison.OrdinalIgnoreCase);
        int at = body >= 0 ? body : html.Length;
        return html.Substring(0, at) + div + html.Substring(at);
    }

    public static string Remove(string html)
    {
        for (int guard = 0; guard < 1000 && FindBlock(html) is { } found; guard++)
        {
            html = html.Substring(0, found.Start) + html.Substring(found.End);
        }

        return html;
    }

    /// <summary>The block as HTML: a div of its own, one line a line, links clickable.</summary>
    internal static string Compose(string blockText)
    {
        var sb = new StringBuilder("<div class=\"clientbridge-meeting\"><br>\r\n");
        foreach (string line in InvitationBlock.Lines(blockText))
        {
            AppendLine(sb, line);
            sb.Append("<br>\r\n");
        }

        return sb.Append("</div>").ToString();
    }

    /// <summary>One line, escaped, with every http(s) link made clickable.</summary>
    private static void AppendLine(StringBuilder sb, string line)
    {
        int i = 0;
        while (i < line.Length)
        {
            int link = IndexOfLink(line, i);
            if (link < 0)
            {
                Escape(sb, line.Substring(i));
                return;
            }

            Escape(sb, line.Substring(i, link - i));
            int end = link;
            while (end < line.Length && !char.IsWhiteSpace(line[end]) && line[end] is not ('<' or '>' or '"'))
            {
                end++;
            }

            while (end > link && line[end - 1] is '.' or ',' or ';' or ':' or ')' or '!' or '?')
            {
                end--;
            }

            string url = line.Substring(link, end - link);
            sb.Append("<a href=\"");
            Escape(sb, url);
            sb.Append("\">");
            Escape(sb, url);
            sb.Append("</a>");
            i = end;
        }
    }

    private static int IndexOfLink(string line, int from)
    {
        int http = line.IndexOf("http://", from, StringComparison.OrdinalIgnoreCase);
        int https = line.IndexOf("https://", from, StringComparison.OrdinalIgnoreCase);
        return http < 0 ? https : https < 0 ? http : Math.Min(http, https);
    }

    private static void Escape(StringBuilder sb, string text)
    {
        foreach (char c in text)
        {
            switch (c)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '"': sb.Append("&quot;"); break;
                case '\'': sb.Append("&#39;"); break;
                default:
                    if (char.IsControl(c))
                    {
                        sb.Append(' ');
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }
    }

    // ------------------------------------------------------------------ finding

    /// <summary>The source span to cut: the markers and all between, widened to the tags that wrap only the block.</summary>
    internal static (int Start, int End)? FindBlock(string html)
    {
        VisibleText visible = Scan(html);
        string text = visible.Text;
        if (VisibleText.FindPair(text, InvitationBlock.FoldedBegin, InvitationBlock.FoldedEnd) is not { } pair)
        {
            return null;
        }

        int start = visible.SourceStart(pair.Begin);
        int end = visible.SourceEnd(pair.EndExclusive - 1);

        // Walk back over the opening tags (and line breaks) right before the begin marker.
        var steps = new List<(int TagStart, bool Opens)>();
        int pos = start;
        while (true)
        {
            int p = pos - 1;
            while (p >= 0 && char.IsWhiteSpace(html[p]))
            {
                p--;
            }

            if (p < 0 || html[p] != '>')
            {
                break;
            }

            int lt = html.LastIndexOf('<', p);
            if (lt < 0)
            {
                break;
            }

            (string name, bool closing, bool selfClosing) = TagName(html, lt, p + 1);
            if (closing)
            {
                break;
            }

            if (name.Equals("br", StringComparison.OrdinalIgnoreCase))
            {
                steps.Add((lt, false));
            }
            else if (WrapperTags.Contains(name) && !selfClosing)
            {
                steps.Add((lt, true));
            }
            else
            {
                break;
            }

            pos = lt;
        }

        int opens = 0;
        foreach (var step in steps)
        {
            opens += step.Opens ? 1 : 0;
        }

        // Walk forward over the closing tags (and line breaks) right after the end marker.
        int closes = 0;
        int extra = 0;
        int balancedEnd = end;
        int q = end;
        while (true)
        {
            int r = q;
            while (r < html.Length && char.IsWhiteSpace(html[r]))
            {
                r++;
            }

            if (r >= html.Length || html[r] != '<')
            {
                break;
            }

            int gt = html.IndexOf('>', r);
            if (gt < 0)
            {
                break;
            }

            (string name, bool closing, bool selfClosing) = TagName(html, r, gt + 1);
            if (name.Equals("br", StringComparison.OrdinalIgnoreCase) && !closing)
            {
                // A trailing line break belongs to the block only inside a wrapper still open.
                if (extra == 0 && closes >= opens)
                {
                    break;
                }
            }
            else if (!WrapperTags.Contains(name))
            {
                break;
            }
            else if (!closing)
            {
                if (!selfClosing)
                {
                    extra++;
                }
            }
            else if (extra > 0)
            {
                extra--;
            }
            else if (closes < opens)
            {
                closes++;
            }
            else
            {
                break;
            }

            q = gt + 1;
            if (extra == 0)
            {
                balancedEnd = q;
            }
        }

        // Keep as many of the opening tags as found no closing partner.
        int startOut = start;
        int used = 0;
        foreach (var step in steps)
        {
            if (step.Opens)
            {
                if (used == closes)
                {
                    break;
                }

                used++;
            }

            startOut = step.TagStart;
        }

        // The blank line before the block: a <br> of its own when the block is as written, an empty paragraph once Word rewrote it.
        bool ownBlankLine = false;
        foreach (var step in steps)
        {
            ownBlankLine |= !step.Opens && step.TagStart >= startOut;
        }

        return (ownBlankLine ? startOut : EmptyParagraphBefore(html, startOut), balancedEnd);
    }

    /// <summary>
    /// Where an empty paragraph right before <paramref name="start"/> begins (Word's form of the blank line put before
    /// the block), or <paramref name="start"/> itself when there is none.
    /// </summary>
    private static int EmptyParagraphBefore(string html, int start)
    {
        int p = start - 1;
        while (p >= 0 && char.IsWhiteSpace(html[p]))
        {
            p--;
        }

        foreach (string name in ParagraphTags)
        {
            string close = "</" + name + ">";
            int closeAt = p - close.Length + 1;
            if (closeAt < 0 || string.Compare(html, closeAt, close, 0, close.Length, StringComparison.OrdinalIgnoreCase) != 0)
            {
                continue;
            }

            // The nearest opening tag of the same name; nested ones would need a parser, and are not Word's blank line.
            int open = closeAt;
            while (true)
            {
                open = open > 0 ? html.LastIndexOf('<', open - 1) : -1;
                if (open < 0 || closeAt - open > 512)
                {
                    break;
                }

                int gt = html.IndexOf('>', open);
                if (gt < 0 || gt >= closeAt)
                {
                    break;
                }

                (string tag, bool closing, _) = TagName(html, open, gt + 1);
                if (!tag.Equals(name, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                if (closing)
                {
                    break;
                }

                string inner = html.Substring(gt + 1, closeAt - gt - 1);
                return Scan(inner).Text.Trim().Length == 0 ? open : start;
            }
        }

        return start;
    }

    private static (string Name, bool Closing, bool SelfClosing) TagName(string html, int lt, int end)
    {
        int i = lt + 1;
        bool closing = i < end && html[i] == '/';
        if (closing)
        {
            i++;
        }

        int nameStart = i;
        while (i < end && (char.IsLetterOrDigit(html[i]) || html[i] is ':' or '-' or '_'))
        {
            i++;
        }

        bool selfClosing = end - 2 > lt && html[end - 2] == '/';
        return (html.Substring(nameStart, i - nameStart), closing, selfClosing);
    }

    /// <summary>What a reader sees: text outside tags, entities decoded, block-level tags as line breaks.</summary>
    internal static VisibleText Scan(string html)
    {
        var visible = new VisibleText();
        bool noMoreTags = false; // no '>' after this point: every '<' from here on is text
        var unclosed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        int i = 0;
        while (i < html.Length)
        {
            char c = html[i];
            if (c == '<')
            {
                if (string.CompareOrdinal(html, i, "<!--", 0, 4) == 0)
                {
                    int close = html.IndexOf("-->", i + 4, StringComparison.Ordinal);
                    i = close < 0 ? html.Length : close + 3;
                    continue;
                }

                char next = i + 1 < html.Length ? html[i + 1] : ' ';
                int gt = noMoreTags || !(char.IsLetter(next) || next is '/' or '!' or '?') ? -1 : html.IndexOf('>', i + 1);
                if (gt < 0)
                {
                    // "a < b", or a '<' never closed, is text.
                    noMoreTags |= char.IsLetter(next) || next is '/' or '!' or '?';
                    visible.Add(c, i, i + 1);
                    i++;
                    continue;
                }

                (string name, bool closing, _) = TagName(html, i, gt + 1);

                if (BreakTags.Contains(name))
                {
                    visible.Separator(i, gt + 1);
                }

                i = gt + 1;
                if (!closing && Array.Exists(SkippedContent, s => s.Equals(name, StringComparison.OrdinalIgnoreCase)))
                {
                    // Never closed, it hides nothing: a block appended after it must still be found.
                    int close = unclosed.Contains(name) ? -1 : html.IndexOf("</" + name, i, StringComparison.OrdinalIgnoreCase);
                    int closeGt = close < 0 ? -1 : html.IndexOf('>', close);
                    if (closeGt < 0)
                    {
                        unclosed.Add(name);
                    }
                    else
                    {
                        i = closeGt + 1;
                    }
                }

                continue;
            }

            if (c == '&' && Entity(html, i) is { } entity)
            {
                visible.Add(entity.Char, i, entity.End);
                i = entity.End;
                continue;
            }

            visible.Add(c, i, i + 1);
            i++;
        }

        return visible;
    }

    private static (char Char, int End)? Entity(string html, int amp)
    {
        int semi = html.IndexOf(';', amp + 1, Math.Min(12, html.Length - amp - 1));
        if (semi < 0)
        {
            return null;
        }

        string name = html.Substring(amp + 1, semi - amp - 1);
        switch (name.ToUpperInvariant())
        {
            case "NBSP": return ('\u00A0', semi + 1);
            case "AMP": return ('&', semi + 1);
            case "LT": return ('<', semi + 1);
            case "GT": return ('>', semi + 1);
            case "QUOT": return ('"', semi + 1);
            case "APOS": return ('\'', semi + 1);
        }

        if (name.Length > 1 && name[0] == '#')
        {
            bool hex = name[1] is 'x' or 'X';
            string digits = name.Substring(hex ? 2 : 1);
            if (int.TryParse(digits, hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None, CultureInfo.InvariantCulture, out int code)
                && code is > 0 and <= 0xFFFF)
            {
                return ((char)code, semi + 1);
            }
        }

        return null;
    }
}
