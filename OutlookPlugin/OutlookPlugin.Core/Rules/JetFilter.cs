using System;
using System.Globalization;
using System.Text;

namespace OutlookPlugin.Core.Rules;

/// <summary>
/// Jet filters for Items.Restrict. Outlook parses a Jet date literal with the Windows regional settings and
/// breaks on seconds (FACTS §4.2), so literals are written in the regional short date and short time pattern
/// (.NET "g") with any seconds taken out of the pattern, and the window is widened to whole minutes so that an
/// appointment at its edge is not lost.
/// </summary>
public static class JetFilter
{
    /// <summary>
    /// Appointments that overlap [<paramref name="localStart"/>, <paramref name="localEnd"/>] (local wall clock):
    /// <c>[Start] &lt;= 'end' AND [End] &gt;= 'start'</c>, start rounded down and end rounded up to the minute.
    /// </summary>
    public static string Window(DateTime localStart, DateTime localEnd, CultureInfo regional)
    {
        if (regional is null)
        {
            throw new ArgumentNullException(nameof(regional));
        }

        if (localEnd < localStart)
        {
            throw new ArgumentOutOfRangeException(nameof(localEnd), "The window ends before it starts.");
        }

        string start = Literal(FloorMinute(localStart), regional);
        string end = Literal(CeilingMinute(localEnd), regional);
        return "[Start] <= '" + end + "' AND [End] >= '" + start + "'";
    }

    /// <summary>A date and time as Outlook's Jet parser reads it in <paramref name="regional"/>, quotes doubled for a quoted literal.</summary>
    public static string Literal(DateTime value, CultureInfo regional)
    {
        if (regional is null)
        {
            throw new ArgumentNullException(nameof(regional));
        }

        return value.ToString(Pattern(regional), regional).Replace("'", "''");
    }

    /// <summary>The culture's short date and short time pattern, without seconds or fractions of a second.</summary>
    public static string Pattern(CultureInfo regional)
    {
        if (regional is null)
        {
            throw new ArgumentNullException(nameof(regional));
        }

        DateTimeFormatInfo format = regional.DateTimeFormat;
        return format.ShortDatePattern + " " + WithoutSeconds(format.ShortTimePattern);
    }

    /// <summary>
    /// A time pattern with its <c>s</c>/<c>f</c>/<c>F</c> fields removed, together with the separator that joined each
    /// to the field before it (<c>HH:mm:ss</c> → <c>HH:mm</c>, <c>h.mm.ss tt</c> → <c>h.mm tt</c>). Quoted literals and
    /// escaped characters are kept as they are.
    /// </summary>
    internal static string WithoutSeconds(string pattern)
    {
        var tokens = new System.Collections.Generic.List<(string Text, bool Field, bool Drop)>();
        int i = 0;
        while (i < pattern.Length)
        {
            char c = pattern[i];
            if (c is '\'' or '"')
            {
                int close = pattern.IndexOf(c, i + 1);
                int end = close < 0 ? pattern.Length : close + 1;
                tokens.Add((pattern.Substring(i, end - i), false, false));
                i = end;
            }
            else if (c == '\\')
            {
                int end = Math.Min(pattern.Length, i + 2);
                tokens.Add((pattern.Substring(i, end - i), false, false));
                i = end;
            }
            else if (char.IsLetter(c))
            {
                int end = i;
                while (end < pattern.Length && pattern[end] == c)
                {
                    end++;
                }

                tokens.Add((pattern.Substring(i, end - i), true, c is 's' or 'f' or 'F'));
                i = end;
            }
            else
            {
                tokens.Add((c.ToString(), false, false));
                i++;
            }
        }

        for (int t = 0; t < tokens.Count; t++)
        {
            if (!tokens[t].Drop)
            {
                continue;
            }

            // The separator before a dropped field goes with it; if the field came first, the one after it.
            int before = t - 1;
            if (before >= 0 && !tokens[before].Field && IsSeparator(tokens[before].Text))
            {
                tokens[before] = (tokens[before].Text, false, true);
            }
            else if (t + 1 < tokens.Count && !tokens[t + 1].Field && IsSeparator(tokens[t + 1].Text))
            {
                tokens[t + 1] = (tokens[t + 1].Text, false, true);
            }
        }

        var sb = new StringBuilder(pattern.Length);
        foreach (var token in tokens)
        {
            if (!token.Drop)
            {
                sb.Append(token.Text);
            }
        }

        return sb.ToString().Trim();
    }

    private static bool IsSeparator(string text) => text is ":" or "." or "," or "'.'" or "':'" || (text.Length == 1 && !char.IsWhiteSpace(text[0]) && !char.IsLetterOrDigit(text[0]));

    private static DateTime FloorMinute(DateTime value) =>
        new(value.Ticks - (value.Ticks % TimeSpan.TicksPerMinute), value.Kind);

    private static DateTime CeilingMinute(DateTime value)
    {
        long remainder = value.Ticks % TimeSpan.TicksPerMinute;
        if (remainder == 0)
        {
            return value;
        }

        long ticks = value.Ticks - remainder + TimeSpan.TicksPerMinute;
        return ticks > DateTime.MaxValue.Ticks ? FloorMinute(value) : new DateTime(ticks, value.Kind);
    }
}
