using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace OutlookPlugin.Core.Rules;

/// <summary>
/// The invitation block in an RTF body that is HTML encapsulated in RTF (<c>\fromhtml1</c>, MS-OXRTFEX): the body of an
/// item made or edited in Outlook on the web, the new Outlook or a phone, whose best body is HTML (MS-OXCMAIL). What
/// Outlook shows is the HTML inside: the contents of the <c>{\*\htmltagN …}</c> groups and the text outside
/// <c>\htmlrtf</c>…<c>\htmlrtf0</c>. Paragraphs added as plain RTF are not part of it.
/// <para>
/// The block is found and composed in that HTML by <see cref="InvitationHtml"/>, then written into the RTF as tag groups
/// and text at the place the HTML says, or cut out as the bytes that made it; every other byte stays as it was. Each
/// edit is checked by reading the HTML of the result: anything but the expected HTML leaves the body unchanged (null).
/// </para>
/// </summary>
internal static class EncapsulatedHtml
{
    private const int MaxWordLength = 32;

    /// <summary>HTMLTagParameter values Outlook writes for these tags (MS-OXRTFEX examples); reading ignores them.</summary>
    private const int TagBlockOpen = 64;

    private const int TagBlockClose = 72;

    private const int TagBreak = 116;

    private const int TagOther = 0;

    /// <summary>Destinations that are no part of the HTML (MS-OXRTFEX: font and colour tables and the like).</summary>
    private static readonly HashSet<string> SkippedDestinations = new(StringComparer.Ordinal)
    {
        "fonttbl", "colortbl", "stylesheet", "info", "pict", "object", "generator", "mhtmltag", "listtable", "listoverridetable",
    };

    /// <summary>Whether the RTF says it carries HTML (<c>\fromhtml1</c> among the header's control words).</summary>
    public static bool IsEncapsulated(byte[] rtf)
    {
        int limit = Math.Min(rtf.Length, 512);
        string head = Encoding.ASCII.GetString(rtf, 0, limit);
        int at = head.IndexOf("\\fromhtml1", StringComparison.Ordinal);
        return head.StartsWith("{\\rtf1", StringComparison.Ordinal) && at > 0 && (at + 10 >= head.Length || !char.IsDigit(head[at + 10]));
    }

    /// <summary>The HTML the RTF carries; null when it cannot be read.</summary>
    public static string? HtmlOf(byte[] rtf) => Decoded.Read(rtf)?.Html;

    /// <summary>The body with the block (an existing one replaced); null when it cannot be done without risk.</summary>
    public static byte[]? Insert(byte[] rtf, string blockText)
    {
        if (RemoveAll(rtf) is not ({ } without, { } doc))
        {
            return null;
        }

        string html = doc.Html;
        int body = html.LastIndexOf("</body", StringComparison.OrdinalIgnoreCase);
        int at = body >= 0 ? body : html.Length;
        int position;
        if (at == html.Length)
        {
            position = doc.DocumentEnd;
        }
        else
        {
            // Before the whole tag group that holds "</body", with what the group holds before it.
            position = doc.Group[at] >= 0 ? doc.Group[at] : doc.Start[at];
            while (at > 0 && doc.Group[at] >= 0 && doc.Group[at - 1] == doc.Group[at])
            {
                at--;
            }
        }

        if (position < 0)
        {
            return null;
        }

        string fragment = InvitationHtml.Compose(blockText);
        byte[] inserted = Encode(fragment);
        var result = new byte[without.Length + inserted.Length];
        Buffer.BlockCopy(without, 0, result, 0, position);
        Buffer.BlockCopy(inserted, 0, result, position, inserted.Length);
        Buffer.BlockCopy(without, position, result, position + inserted.Length, without.Length - position);
        string expected = html.Substring(0, at) + fragment + html.Substring(at);
        return Decoded.Read(result)?.Html == expected ? result : null;
    }

    /// <summary>The body without any block; the same bytes when there is none; null when one cannot be cut out cleanly.</summary>
    public static byte[]? Remove(byte[] rtf) => RemoveAll(rtf).Rtf;

    /// <summary>The body without any block, and the HTML read of it (each cut is read back once, and that read is kept).</summary>
    private static (byte[]? Rtf, Decoded? Doc) RemoveAll(byte[] rtf)
    {
        Decoded? doc = Decoded.Read(rtf);
        for (int guard = 0; guard < 100 && doc is not null; guard++)
        {
            if (InvitationHtml.FindBlock(doc.Html) is not { } span)
            {
                return (rtf, doc);
            }

            int cutStart = doc.Start[span.Start];
            if (doc.Group[span.Start] >= 0 && (span.Start == 0 || doc.Group[span.Start - 1] != doc.Group[span.Start]))
            {
                cutStart = doc.Group[span.Start];
            }

            int last = span.End - 1;
            int cutEnd = doc.End[last];
            if (doc.Group[last] >= 0 && (span.End == doc.Html.Length || doc.Group[span.End] != doc.Group[last]))
            {
                cutEnd = doc.GroupEnd[doc.Group[last]];
            }

            cutEnd = AfterRtfOnlyRun(rtf, cutEnd);
            var cut = new byte[rtf.Length - (cutEnd - cutStart)];
            Buffer.BlockCopy(rtf, 0, cut, 0, cutStart);
            Buffer.BlockCopy(rtf, cutEnd, cut, cutStart, rtf.Length - cutEnd);
            string expected = doc.Html.Substring(0, span.Start) + doc.Html.Substring(span.End);
            doc = Decoded.Read(cut);
            if (doc?.Html != expected)
            {
                return (null, null);
            }

            rtf = cut;
        }

        return (null, null);
    }

    /// <summary>
    /// Past a run of RTF-only formatting right after a cut (<c>\htmlrtf \par\htmlrtf0 </c>, what ends a paragraph for
    /// RTF readers): it belongs to the tag before it. Nothing is skipped unless the run is whole and holds no group.
    /// </summary>
    private static int AfterRtfOnlyRun(byte[] rtf, int at)
    {
        const string open = "\\htmlrtf";
        const string close = "\\htmlrtf0";
        if (!Matches(rtf, at, open) || (at + open.Length < rtf.Length && char.IsDigit((char)rtf[at + open.Length])))
        {
            return at;
        }

        for (int i = at + open.Length; i < rtf.Length; i++)
        {
            if (rtf[i] is (byte)'{' or (byte)'}')
            {
                return at;
            }

            if (Matches(rtf, i, close) && (i + close.Length >= rtf.Length || !char.IsDigit((char)rtf[i + close.Length])))
            {
                int end = i + close.Length;
                return end < rtf.Length && rtf[end] == (byte)' ' ? end + 1 : end;
            }
        }

        return at;
    }

    private static bool Matches(byte[] rtf, int at, string word)
    {
        if (at < 0 || at + word.Length > rtf.Length)
        {
            return false;
        }

        for (int i = 0; i < word.Length; i++)
        {
            if (rtf[at + i] != (byte)word[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// HTML as encapsulated RTF: each tag (with the line break after it) in a tag group, each entity in a tag group with
    /// its character for RTF readers after it, text as RTF text, and a paragraph break for RTF readers after every
    /// line break and block.
    /// </summary>
    internal static byte[] Encode(string html)
    {
        var sb = new StringBuilder();
        int i = 0;
        while (i < html.Length)
        {
            char c = html[i];
            if (c == '<')
            {
                int close = html.IndexOf('>', i);
                int end = close < 0 ? html.Length : close + 1;
                while (end < html.Length && html[end] is '\r' or '\n')
                {
                    end++;
                }

                string tag = html.Substring(i, (close < 0 ? html.Length : close + 1) - i);
                string trailing = html.Substring(i + tag.Length, end - i - tag.Length);
                string name = TagName(tag);
                int parameter = name switch
                {
                    "br" => TagBreak,
                    "div" or "p" => tag.StartsWith("</", StringComparison.Ordinal) ? TagBlockClose : TagBlockOpen,
                    _ => TagOther,
                };
                sb.Append("{\\*\\htmltag").Append(parameter.ToString(CultureInfo.InvariantCulture)).Append(' ');
                AppendText(sb, tag);
                AppendText(sb, trailing);
                sb.Append('}');
                if (name == "br" || (parameter == TagBlockClose))
                {
                    sb.Append("\\htmlrtf \\par\\htmlrtf0 ");
                }

                i = end;
            }
            else if (c == '&' && html.IndexOf(';', i) is int semi && semi > i && semi - i <= 10)
            {
                string entity = html.Substring(i, semi + 1 - i);
                sb.Append("{\\*\\htmltag").Append(TagOther.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(entity).Append('}');
                sb.Append("\\htmlrtf ");
                AppendText(sb, EntityText(entity));
                sb.Append("\\htmlrtf0 ");
                i = semi + 1;
            }
            else
            {
                int next = i;
                while (next < html.Length && html[next] is not ('<' or '&'))
                {
                    next++;
                }

                AppendText(sb, html.Substring(i, next - i));
                i = next;
            }
        }

        return Encoding.ASCII.GetBytes(sb.ToString());
    }

    private static string TagName(string tag)
    {
        int i = tag.StartsWith("</", StringComparison.Ordinal) ? 2 : 1;
        int start = i;
        while (i < tag.Length && (char.IsLetterOrDigit(tag[i]) || tag[i] == ':'))
        {
            i++;
        }

        return tag.Substring(start, i - start).ToLowerInvariant();
    }

    private static string EntityText(string entity) => entity switch
    {
        "&amp;" => "&",
        "&lt;" => "<",
        "&gt;" => ">",
        "&quot;" => "\"",
        "&#39;" => "'",
        "&nbsp;" => "\u00A0",
        _ => entity,
    };

    /// <summary>Text as RTF: line breaks as <c>\par</c> (read back as CRLF), specials escaped, the rest as \uN.</summary>
    private static void AppendText(StringBuilder sb, string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            switch (c)
            {
                case '\r' when i + 1 < text.Length && text[i + 1] == '\n':
                    break;
                case '\r' or '\n':
                    sb.Append("\\par ");
                    break;
                case '\\' or '{' or '}':
                    sb.Append('\\').Append(c);
                    break;
                default:
                    if (c > 127 || c < 32)
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

    /// <summary>
    /// The HTML an encapsulated RTF carries, each character with the bytes it came from (MS-OXRTFEX de-encapsulation:
    /// tag groups' contents, and text outside <c>\htmlrtf</c>; <c>\par</c> is a CRLF, <c>\tab</c> a tab, <c>\'hh</c> a
    /// character of the document's code page, <c>\uN</c> a Unicode character).
    /// </summary>
    private sealed class Decoded
    {
        private readonly StringBuilder _html = new();
        private readonly List<int> _start = new();
        private readonly List<int> _end = new();
        private readonly List<int> _group = new();

        public string Html { get; private set; } = string.Empty;

        public int[] Start { get; private set; } = Array.Empty<int>();

        public int[] End { get; private set; } = Array.Empty<int>();

        /// <summary>The opening brace of the tag group each character came from; -1 for text.</summary>
        public int[] Group { get; private set; } = Array.Empty<int>();

        /// <summary>For a tag group's opening brace, the position after its closing brace.</summary>
        public Dictionary<int, int> GroupEnd { get; } = new();

        /// <summary>The position of the brace that closes the document.</summary>
        public int DocumentEnd { get; private set; } = -1;

        public static Decoded? Read(byte[] rtf)
        {
            if (!IsEncapsulated(rtf))
            {
                return null;
            }

            var doc = new Decoded();
            return doc.Parse(rtf) ? doc.Finish() : null;
        }

        private Decoded Finish()
        {
            Html = _html.ToString();
            Start = _start.ToArray();
            End = _end.ToArray();
            Group = _group.ToArray();
            return this;
        }

        private bool Parse(byte[] rtf)
        {
            Encoding codePage = Latin1();
            var states = new Stack<State>();
            var state = new State { TagGroup = -1 };
            int depth = 0;
            bool groupStart = false;
            int uc = 1;
            int skipFallback = 0;
            for (int i = 0; i < rtf.Length;)
            {
                byte b = rtf[i];
                if (b == (byte)'{')
                {
                    states.Push(state);
                    state.OpenAt = i;
                    state.Ignorable = false;
                    depth++;
                    groupStart = true;
                    i++;
                    continue;
                }

                if (b == (byte)'}')
                {
                    if (depth == 0)
                    {
                        return false;
                    }

                    if (state.TagGroup == state.OpenAt && state.TagGroup >= 0)
                    {
                        GroupEnd[state.TagGroup] = i + 1;
                    }

                    depth--;
                    if (depth == 0)
                    {
                        DocumentEnd = i;
                        return i + 1 >= rtf.Length || IsTrailingSpace(rtf, i + 1);
                    }

                    state = states.Pop();
                    groupStart = false;
                    i++;
                    continue;
                }

                if (b == (byte)'\\')
                {
                    int start = i;
                    if (i + 1 >= rtf.Length)
                    {
                        return false;
                    }

                    char next = (char)rtf[i + 1];
                    if (next is '\\' or '{' or '}')
                    {
                        Emit(state, next, start, i + 2, ref skipFallback);
                        i += 2;
                        groupStart = false;
                        continue;
                    }

                    if (next == '\'')
                    {
                        if (i + 3 >= rtf.Length || !byte.TryParse(Encoding.ASCII.GetString(rtf, i + 2, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out byte value))
                        {
                            return false;
                        }

                        Emit(state, codePage.GetString(new[] { value })[0], start, i + 4, ref skipFallback);
                        i += 4;
                        groupStart = false;
                        continue;
                    }

                    if (next == '*')
                    {
                        state.Ignorable = true;
                        i += 2;
                        continue;
                    }

                    if (!char.IsLetter(next))
                    {
                        // Other control symbols (\~ \- \_ and line breaks in the source) are no HTML.
                        i += 2;
                        groupStart = false;
                        continue;
                    }

                    int j = i + 1;
                    while (j < rtf.Length && char.IsLetter((char)rtf[j]) && j - i <= MaxWordLength)
                    {
                        j++;
                    }

                    string word = Encoding.ASCII.GetString(rtf, i + 1, j - i - 1);
                    int k = j;
                    if (k < rtf.Length && rtf[k] == (byte)'-')
                    {
                        k++;
                    }

                    while (k < rtf.Length && char.IsDigit((char)rtf[k]))
                    {
                        k++;
                    }

                    string digits = Encoding.ASCII.GetString(rtf, j, k - j);
                    bool hasParameter = int.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int parameter);
                    if (k < rtf.Length && rtf[k] == (byte)' ')
                    {
                        k++;
                    }

                    bool atGroupStart = groupStart;
                    groupStart = false;
                    i = k;
                    switch (word)
                    {
                        case "htmltag" when atGroupStart || state.Ignorable:
                            state.TagGroup = state.OpenAt;
                            state.Skip = false;
                            break;
                        case "htmlrtf":
                            state.Suppressed = !hasParameter || parameter != 0;
                            break;
                        case "par" or "line":
                            Emit(state, '\r', start, k, ref skipFallback);
                            Emit(state, '\n', start, k, ref skipFallback);
                            break;
                        case "tab":
                            Emit(state, '\t', start, k, ref skipFallback);
                            break;
                        case "uc" when hasParameter:
                            uc = Math.Max(0, parameter);
                            break;
                        case "u" when hasParameter:
                            Emit(state, (char)(short)parameter, start, k, ref skipFallback);
                            skipFallback = uc;
                            break;
                        case "ansicpg" when hasParameter:
                            codePage = CodePage(parameter) ?? codePage;
                            break;
                        default:
                            if ((atGroupStart && SkippedDestinations.Contains(word)) || (state.Ignorable && state.TagGroup != state.OpenAt))
                            {
                                state.Skip = true;
                            }

                            break;
                    }

                    continue;
                }

                if (b is (byte)'\r' or (byte)'\n')
                {
                    i++;
                    continue;
                }

                groupStart = false;
                char text = b < 128 ? (char)b : codePage.GetString(new[] { b })[0];
                Emit(state, text, i, i + 1, ref skipFallback);
                i++;
            }

            return false;
        }

        private static bool IsTrailingSpace(byte[] rtf, int from)
        {
            for (int i = from; i < rtf.Length; i++)
            {
                if (rtf[i] is not ((byte)'\r' or (byte)'\n' or (byte)' ' or 0))
                {
                    return false;
                }
            }

            return true;
        }

        private void Emit(State state, char c, int start, int end, ref int skipFallback)
        {
            if (skipFallback > 0)
            {
                // The character after \uN is its fallback for readers without Unicode.
                skipFallback--;
                return;
            }

            bool inTag = state.TagGroup >= 0 && !state.Skip;
            if (state.Skip || (!inTag && state.Suppressed))
            {
                return;
            }

            _html.Append(c);
            _start.Add(start);
            _end.Add(end);
            _group.Add(inTag ? state.TagGroup : -1);
        }

        private static Encoding Latin1() => CodePage(1252) ?? Encoding.GetEncoding("iso-8859-1");

        private static Encoding? CodePage(int number)
        {
            try
            {
                return Encoding.GetEncoding(number);
            }
            catch (ArgumentException)
            {
                return null;
            }
            catch (NotSupportedException)
            {
                return null;
            }
        }

        private struct State
        {
            public int OpenAt;
            public int TagGroup;
            public bool Suppressed;
            public bool Skip;
            public bool Ignorable;
        }
    }
}
