using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace OutlookPlugin.Core.Rules;

/// <summary>
/// The RTF half of <see cref="InvitationBlock"/>, working on the bytes so that whatever code page, pictures or
/// embedded objects the body holds stay exactly as they were. A small tokenizer (groups, control words, control
/// symbols, text) is enough to see the text the way a reader does and to cut whole paragraphs.
/// </summary>
internal static class InvitationRtf
{
    private const int MaxWordLength = 32;

    /// <summary>Destinations whose text is never shown: fonts, styles, document info, pictures and the like.</summary>
    private static readonly HashSet<string> HiddenDestinations = new(StringComparer.Ordinal)
    {
        "fonttbl", "colortbl", "stylesheet", "info", "pict", "object", "header", "headerl", "headerr", "headerf",
        "footer", "footerl", "footerr", "footerf", "listtable", "listoverridetable", "rsidtbl", "generator",
        "xmlnstbl", "themedata", "colorschememapping", "datastore", "latentstyles", "filetbl", "revtbl", "fldinst",
        "footnote", "pn", "pntext", "listtext", "author", "operator", "title", "subject", "doccomm", "keywords",
        "company", "category", "comment", "objdata", "bkmkstart", "bkmkend", "field",
    };

    private static readonly HashSet<string> BreakWords = new(StringComparer.Ordinal)
    {
        "par", "line", "sect", "page", "row", "cell", "tab", "column", "nestcell", "nestrow",
    };

    private enum Kind
    {
        Open,
        Close,
        Word,
        Symbol,
        Text,
    }

    private readonly struct Token
    {
        public Token(Kind kind, int start, int end, string? word = null)
        {
            TokenKind = kind;
            Start = start;
            End = end;
            Word = word;
        }

        public Kind TokenKind { get; }

        public int Start { get; }

        public int End { get; }

        public string? Word { get; }

        public bool IsParagraph => TokenKind == Kind.Word && Word is "par" or "sect" or "page" or "row";
    }

    public static byte[] Insert(byte[] rtf, string blockText)
    {
        try
        {
            byte[] clean = Remove(rtf);
            byte[] chunk = Compose(blockText);
            int close = FinalBrace(clean);
            if (close >= 0)
            {
                return Concat(clean, 0, close, chunk, clean, close);
            }

            if (clean.Length == 0 || IsBlank(clean))
            {
                byte[] head = Encoding.ASCII.GetBytes("{\\rtf1\\ansi\\deff0\r\n");
                return Concat(head, 0, head.Length, chunk, Encoding.ASCII.GetBytes("}"), 0);
            }

            return Concat(clean, 0, clean.Length, chunk, Array.Empty<byte>(), 0);
        }
#pragma warning disable CA1031 // Never throw on any input: a body Outlook cannot read is still better than a crash.
        catch (Exception)
#pragma warning restore CA1031
        {
            return Concat(rtf, 0, rtf.Length, Compose(blockText), Array.Empty<byte>(), 0);
        }
    }

    public static byte[] Remove(byte[] rtf)
    {
        try
        {
            byte[] current = rtf;
            for (int guard = 0; guard < 1000; guard++)
            {
                byte[]? next = RemoveOne(current);
                if (next is null)
                {
                    return current;
                }

                current = next;
            }

            return current;
        }
#pragma warning disable CA1031 // Never throw on any input: unchanged is the safe answer.
        catch (Exception)
#pragma warning restore CA1031
        {
            return rtf;
        }
    }

    /// <summary>
    /// The block's paragraphs in a group of their own, <c>\pard\plain\uc1</c> first so that the body's last
    /// paragraph formatting and Unicode fallback count do not leak in, an empty paragraph first for the blank line.
    /// </summary>
    private static byte[] Compose(string blockText)
    {
        var sb = new StringBuilder("{\\pard\\plain\\uc1\\par\r\n");
        foreach (string line in InvitationBlock.Lines(blockText))
        {
            Escape(sb, line);
            sb.Append("\\par\r\n");
        }

        sb.Append('}');
        return Encoding.ASCII.GetBytes(sb.ToString());
    }

    private static void Escape(StringBuilder sb, string text)
    {
        foreach (char c in text)
        {
            if (c is '\\' or '{' or '}')
            {
                sb.Append('\\').Append(c);
            }
            else if (c == '\t')
            {
                sb.Append("\\tab ");
            }
            else if (c >= 0x20 && c < 0x7F)
            {
                sb.Append(c);
            }
            else if (c >= 0x80)
            {
                sb.Append("\\u").Append(((short)c).ToString(CultureInfo.InvariantCulture)).Append('?');
            }

            // Other control characters are dropped.
        }
    }

    /// <summary>The index of the brace that closes the document, or -1 when the bytes are not one whole RTF group.</summary>
    private static int FinalBrace(byte[] rtf)
    {
        List<Token> tokens = Tokenize(rtf, null);
        if (tokens.Count < 3 || tokens[0].TokenKind != Kind.Open || tokens[1].TokenKind != Kind.Word || tokens[1].Word != "rtf")
        {
            return -1;
        }

        int depth = 0;
        for (int i = 0; i < tokens.Count; i++)
        {
            if (tokens[i].TokenKind == Kind.Open)
            {
                depth++;
            }
            else if (tokens[i].TokenKind == Kind.Close)
            {
                depth--;
                if (depth == 0)
                {
                    // Only whitespace or NULs may follow the document's closing brace.
                    for (int j = tokens[i].End; j < rtf.Length; j++)
                    {
                        if (rtf[j] is not (0 or (byte)' ' or (byte)'\r' or (byte)'\n' or (byte)'\t'))
                        {
                            return -1;
                        }
                    }

                    return tokens[i].Start;
                }
            }
        }

        return -1;
    }

    private static byte[]? RemoveOne(byte[] rtf)
    {
        var visible = new VisibleText();
        List<Token> tokens = Tokenize(rtf, visible);
        if (VisibleText.FindPair(visible.Text, InvitationBlock.FoldedBegin, InvitationBlock.FoldedEnd) is not { } pair)
        {
            return null;
        }

        int beginSource = visible.SourceStart(pair.Begin);
        int endSource = visible.SourceEnd(pair.EndExclusive - 1);
        int first = IndexOfTokenAt(tokens, beginSource);
        int last = IndexOfTokenEndingAt(tokens, endSource);
        if (first < 0 || last < 0 || last < first)
        {
            return null;
        }

        // Back to the start of the begin marker's paragraph, and over the blank paragraph before it.
        int start = first;
        int p1 = PreviousParagraphBreak(tokens, first);
        if (p1 >= 0)
        {
            start = p1 + 1;
            int p0 = PreviousParagraphBreak(tokens, p1);
            if (p0 >= 0)
            {
                start = p0 + 1;
            }
        }

        // On to the end of the end marker's paragraph.
        int end = last;
        for (int i = last + 1; i < tokens.Count; i++)
        {
            Token t = tokens[i];
            if (t.TokenKind == Kind.Text || t.TokenKind == Kind.Close)
            {
                break;
            }

            if (t.IsParagraph)
            {
                end = i;
                break;
            }
        }

        // A group that holds nothing but the block (and the blank paragraph before it) goes as a whole.
        while (end + 1 < tokens.Count && tokens[end + 1].TokenKind == Kind.Close)
        {
            int open = start - 1;
            while (open >= 0 && tokens[open].TokenKind is Kind.Word or Kind.Symbol)
            {
                open--;
            }

            // Never the document's own group.
            if (open <= 0 || tokens[open].TokenKind != Kind.Open || (open + 1 < tokens.Count && tokens[open + 1].Word == "rtf"))
            {
                break;
            }

            start = open;
            end++;
        }

        // Take the closing braces of groups opened inside the span, then keep any brace left unmatched.
        int opened = 0;
        for (int i = start; i <= end; i++)
        {
            opened += tokens[i].TokenKind == Kind.Open ? 1 : tokens[i].TokenKind == Kind.Close && opened > 0 ? -1 : 0;
        }

        while (opened > 0 && end + 1 < tokens.Count && tokens[end + 1].TokenKind == Kind.Close)
        {
            end++;
            opened--;
        }

        var kept = new List<byte>();
        var stack = new List<int>();
        var unmatched = new SortedDictionary<int, byte>();
        for (int i = start; i <= end; i++)
        {
            if (tokens[i].TokenKind == Kind.Open)
            {
                stack.Add(tokens[i].Start);
            }
            else if (tokens[i].TokenKind == Kind.Close)
            {
                if (stack.Count > 0)
                {
                    stack.RemoveAt(stack.Count - 1);
                }
                else
                {
                    unmatched[tokens[i].Start] = (byte)'}';
                }
            }
        }

        foreach (int open in stack)
        {
            unmatched[open] = (byte)'{';
        }

        kept.AddRange(unmatched.Values);
        int from = tokens[start].Start;
        int to = tokens[end].End;
        var result = new byte[rtf.Length - (to - from) + kept.Count];
        Buffer.BlockCopy(rtf, 0, result, 0, from);
        kept.CopyTo(result, from);
        Buffer.BlockCopy(rtf, to, result, from + kept.Count, rtf.Length - to);
        return result;
    }

    /// <summary>The paragraph break before token <paramref name="index"/> with no shown text between; -1 when text or the start comes first.</summary>
    private static int PreviousParagraphBreak(List<Token> tokens, int index)
    {
        for (int i = index - 1; i >= 0; i--)
        {
            Token t = tokens[i];
            if (t.IsParagraph)
            {
                return i;
            }

            if (t.TokenKind == Kind.Text || (t.TokenKind == Kind.Word && t.Word is "line" or "cell" or "tab") || (t.TokenKind == Kind.Word && t.Word == "rtf"))
            {
                return -1;
            }
        }

        return -1;
    }

    private static int IndexOfTokenAt(List<Token> tokens, int sourceStart)
    {
        int lo = 0, hi = tokens.Count - 1;
        while (lo <= hi)
        {
            int mid = lo + ((hi - lo) / 2);
            if (tokens[mid].Start < sourceStart)
            {
                lo = mid + 1;
            }
            else if (tokens[mid].Start > sourceStart)
            {
                hi = mid - 1;
            }
            else
            {
                return mid;
            }
        }

        return -1;
    }

    private static int IndexOfTokenEndingAt(List<Token> tokens, int sourceEnd)
    {
        int lo = 0, hi = tokens.Count - 1;
        while (lo <= hi)
        {
            int mid = lo + ((hi - lo) / 2);
            if (tokens[mid].End < sourceEnd)
            {
                lo = mid + 1;
            }
            else if (tokens[mid].End > sourceEnd)
            {
                hi = mid - 1;
            }
            else
            {
                return mid;
            }
        }

        return -1;
    }

    /// <summary>
    /// The tokens of <paramref name="rtf"/> in order (CR and LF, which RTF ignores, are not tokens), and the text a
    /// reader sees into <paramref name="visible"/>. Text of hidden destinations and Unicode fallback characters
    /// produce no tokens.
    /// </summary>
    private static List<Token> Tokenize(byte[] rtf, VisibleText? visible)
    {
        var tokens = new List<Token>();
        var ucStack = new Stack<int>();
        int uc = 1;
        int depth = 0;
        int hiddenDepth = int.MaxValue; // the depth at which a hidden destination began
        bool groupStart = false;
        int skipFallback = 0;
        int i = 0;
        while (i < rtf.Length)
        {
            byte b = rtf[i];
            bool hidden = depth >= hiddenDepth;
            if (b == (byte)'{')
            {
                tokens.Add(new Token(Kind.Open, i, i + 1));
                ucStack.Push(uc);
                depth++;
                groupStart = true;
                skipFallback = 0;
                i++;
                continue;
            }

            if (b == (byte)'}')
            {
                tokens.Add(new Token(Kind.Close, i, i + 1));
                uc = ucStack.Count > 0 ? ucStack.Pop() : 1;
                if (depth == hiddenDepth)
                {
                    hiddenDepth = int.MaxValue;
                }

                depth--;
                groupStart = false;
                skipFallback = 0;
                i++;
                continue;
            }

            if (b is (byte)'\r' or (byte)'\n')
            {
                i++;
                continue;
            }

            bool atGroupStart = groupStart;
            groupStart = false;
            if (b == (byte)'\\')
            {
                int start = i;
                if (i + 1 >= rtf.Length)
                {
                    tokens.Add(new Token(Kind.Symbol, i, i + 1));
                    i++;
                    continue;
                }

                byte next = rtf[i + 1];
                if (IsLetter(next))
                {
                    int j = i + 1;
                    while (j < rtf.Length && IsLetter(rtf[j]) && j - i <= MaxWordLength)
                    {
                        j++;
                    }

                    string word = Encoding.ASCII.GetString(rtf, i + 1, j - i - 1);
                    int? parameter = null;
                    int k = j;
                    bool negative = k < rtf.Length && rtf[k] == (byte)'-';
                    if (negative)
                    {
                        k++;
                    }

                    int digitsStart = k;
                    long value = 0;
                    while (k < rtf.Length && rtf[k] >= (byte)'0' && rtf[k] <= (byte)'9' && k - digitsStart < 10)
                    {
                        value = (value * 10) + (rtf[k] - (byte)'0');
                        k++;
                    }

                    if (k > digitsStart)
                    {
                        parameter = (int)Math.Max(int.MinValue, Math.Min(int.MaxValue, negative ? -value : value));
                        j = k;
                    }

                    if (j < rtf.Length && rtf[j] == (byte)' ')
                    {
                        j++;
                    }

                    bool shownUnicode = word == "u" && parameter is not null && !hidden;
                    tokens.Add(new Token(shownUnicode ? Kind.Text : Kind.Word, start, j, word));
                    i = j;

                    if (word == "bin" && parameter is > 0)
                    {
                        i = (int)Math.Min(rtf.Length, (long)i + parameter.Value);
                        continue;
                    }

                    if (word == "uc" && parameter is >= 0)
                    {
                        uc = parameter.Value;
                        continue;
                    }

                    if (atGroupStart && HiddenDestinations.Contains(word) && !hidden)
                    {
                        hiddenDepth = depth;
                        continue;
                    }

                    if (hidden)
                    {
                        continue;
                    }

                    if (word == "u" && parameter is { } code)
                    {
                        if (skipFallback == 0)
                        {
                            visible?.Add((char)(ushort)(short)code, start, j);
                        }

                        skipFallback = uc;
                        continue;
                    }

                    if (BreakWords.Contains(word))
                    {
                        visible?.Separator(start, j);
                    }

                    continue;
                }

                // A control symbol.
                int end = i + 2;
                char? shown = null;
                if (next == (byte)'\'')
                {
                    end = Math.Min(rtf.Length, i + 4);
                    if (end - i == 4 && TryHex(rtf[i + 2], rtf[i + 3], out int ch))
                    {
                        shown = (char)ch;
                    }
                }
                else if (next is (byte)'\\' or (byte)'{' or (byte)'}')
                {
                    shown = (char)next;
                }
                else if (next == (byte)'~')
                {
                    shown = '\u00A0';
                }
                else if (next == (byte)'_')
                {
                    shown = '-';
                }
                else if (next == (byte)'*' && atGroupStart && !hidden)
                {
                    hiddenDepth = depth;
                }

                tokens.Add(new Token(shown is null || hidden ? Kind.Symbol : Kind.Text, start, end));
                i = end;
                if (shown is { } s && !hidden)
                {
                    if (skipFallback > 0)
                    {
                        skipFallback--;
                    }
                    else
                    {
                        visible?.Add(s, start, end);
                    }
                }

                continue;
            }

            // Plain text.
            if (!hidden)
            {
                if (skipFallback > 0)
                {
                    skipFallback--;
                }
                else
                {
                    tokens.Add(new Token(Kind.Text, i, i + 1));
                    visible?.Add((char)b, i, i + 1);
                }
            }

            i++;
        }

        return tokens;
    }

    private static bool IsLetter(byte b) => (b >= (byte)'a' && b <= (byte)'z') || (b >= (byte)'A' && b <= (byte)'Z');

    private static bool TryHex(byte a, byte b, out int value)
    {
        int hi = Hex(a), lo = Hex(b);
        value = (hi << 4) | lo;
        return hi >= 0 && lo >= 0;
    }

    private static int Hex(byte b) =>
        b >= (byte)'0' && b <= (byte)'9' ? b - '0' :
        b >= (byte)'a' && b <= (byte)'f' ? b - 'a' + 10 :
        b >= (byte)'A' && b <= (byte)'F' ? b - 'A' + 10 : -1;

    private static bool IsBlank(byte[] bytes)
    {
        foreach (byte b in bytes)
        {
            if (b is not (0 or (byte)' ' or (byte)'\r' or (byte)'\n' or (byte)'\t'))
            {
                return false;
            }
        }

        return true;
    }

    private static byte[] Concat(byte[] a, int aStart, int aLength, byte[] middle, byte[] b, int bStart)
    {
        var result = new byte[aLength + middle.Length + (b.Length - bStart)];
        Buffer.BlockCopy(a, aStart, result, 0, aLength);
        Buffer.BlockCopy(middle, 0, result, aLength, middle.Length);
        Buffer.BlockCopy(b, bStart, result, aLength + middle.Length, b.Length - bStart);
        return result;
    }
}
