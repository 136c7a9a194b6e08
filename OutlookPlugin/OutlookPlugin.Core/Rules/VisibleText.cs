using System;
using System.Collections.Generic;
using System.Text;

namespace OutlookPlugin.Core.Rules;

/// <summary>
/// The text a reader sees in an HTML or RTF source, with every whitespace run folded to one space and every
/// character mapped back to the source span it came from. Outlook rewrites bodies freely (Word wraps source lines,
/// splits runs into spans, turns spaces into non-breaking ones), so the block markers are searched for here, in
/// what the person sees, and the span found is then cut from the source.
/// </summary>
internal sealed class VisibleText
{
    private readonly StringBuilder _text = new();
    private readonly List<int> _starts = new();
    private readonly List<int> _ends = new();

    public string Text => _text.ToString();

    public int Length => _text.Length;

    public int SourceStart(int index) => _starts[index];

    public int SourceEnd(int index) => _ends[index];

    public void Add(char c, int sourceStart, int sourceEnd)
    {
        if (IsSpace(c))
        {
            Separator(sourceStart, sourceEnd);
            return;
        }

        _text.Append(c);
        _starts.Add(sourceStart);
        _ends.Add(sourceEnd);
    }

    /// <summary>A line or paragraph break, or any whitespace: at most one space in a row.</summary>
    public void Separator(int sourceStart, int sourceEnd)
    {
        if (_text.Length == 0 || _text[_text.Length - 1] == ' ')
        {
            return;
        }

        _text.Append(' ');
        _starts.Add(sourceStart);
        _ends.Add(sourceEnd);
    }

    public static bool IsSpace(char c) => c is ' ' or '\t' or '\r' or '\n' or '\f' or '\v' or '\u00A0' or '\u2007' or '\u202F' || char.IsWhiteSpace(c);

    /// <summary>The marker with its whitespace folded the same way.</summary>
    public static string Fold(string marker)
    {
        var sb = new StringBuilder(marker.Length);
        foreach (char c in marker)
        {
            if (IsSpace(c))
            {
                if (sb.Length > 0 && sb[sb.Length - 1] != ' ')
                {
                    sb.Append(' ');
                }
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString().TrimEnd(' ');
    }

    /// <summary>
    /// The first begin/end marker pair in <paramref name="text"/> (folded): the first end marker that has a begin
    /// marker before it, paired with the nearest such begin marker, so that a begin marker whose end the user deleted
    /// never swallows the text up to a later block.
    /// </summary>
    public static (int Begin, int EndExclusive)? FindPair(string text, string begin, string end)
    {
        int from = 0;
        while (from <= text.Length)
        {
            int e = FindWhole(text, end, from);
            if (e < 0)
            {
                return null;
            }

            int b = -1;
            int searchFrom = 0;
            while (true)
            {
                int next = FindWhole(text, begin, searchFrom);
                if (next < 0 || next + begin.Length > e)
                {
                    break;
                }

                b = next;
                searchFrom = next + 1;
            }

            if (b >= 0)
            {
                return (b, e + end.Length);
            }

            from = e + 1;
        }

        return null;
    }

    /// <summary>An occurrence bounded by spaces or the ends of the text, so that longer user text never matches.</summary>
    private static int FindWhole(string text, string value, int from)
    {
        while (from <= text.Length - value.Length)
        {
            int i = text.IndexOf(value, from, StringComparison.OrdinalIgnoreCase);
            if (i < 0)
            {
                return -1;
            }

            bool startOk = i == 0 || text[i - 1] == ' ';
            bool endOk = i + value.Length == text.Length || text[i + value.Length] == ' ';
            if (startOk && endOk)
            {
                return i;
            }

            from = i + 1;
        }

        return -1;
    }
}
