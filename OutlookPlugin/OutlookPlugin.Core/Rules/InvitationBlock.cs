using System;
using System.Collections.Generic;
using System.Text;

namespace OutlookPlugin.Core.Rules;

/// <summary>
/// The join details the add-in writes into an appointment's body, between two marker lines, and takes out again.
/// The markers are plain ASCII so that they survive Outlook converting the body between plain text, HTML and RTF;
/// they read as a sentence a person understands; and they are found by what a reader sees (whitespace folded, case
/// ignored, whole lines only), never by the source layout, so that Word's rewriting of the body does not hide them.
/// Everything outside the block is left exactly as it was, and no function here throws on any input.
/// </summary>
public static class InvitationBlock
{
    /// <summary>The first line of the block.</summary>
    public const string BeginMarker = "==== Video meeting (added by ClientBridge) ====";

    /// <summary>The last line of the block.</summary>
    public const string EndMarker = "==== End of video meeting (ClientBridge) ====";

    private const string CrLf = "\r\n";

    internal static readonly string FoldedBegin = VisibleText.Fold(BeginMarker);
    internal static readonly string FoldedEnd = VisibleText.Fold(EndMarker);

    // ------------------------------------------------------------------ composing

    /// <summary>The block's lines, begin marker through end marker, separated by CRLF (no line break after the last).</summary>
    public static string ComposeText(MeetingBlockContent content)
    {
        if (content is null)
        {
            throw new ArgumentNullException(nameof(content));
        }

        var lines = new List<string> { BeginMarker };
        string provider = OneLine(content.Provider);
        string url = OneLine(content.JoinUrl);
        string what = provider.Length == 0 ? "the video meeting" : "the " + provider + " meeting";
        if (url.Length > 0)
        {
            lines.Add("Join " + what + ": " + url);
        }

        string invitation = content.InvitationText ?? string.Empty;
        if (invitation.Trim().Length > 0)
        {
            lines.Add(string.Empty);
            lines.AddRange(InvitationLines(invitation));
        }
        else
        {
            AddIfPresent(lines, "Meeting ID: ", content.MeetingId);
            AddIfPresent(lines, "Passcode: ", content.Passcode);
            var phones = new List<string>();
            foreach (string? number in content.DialIn ?? new List<string>())
            {
                string line = OneLine(number);
                if (line.Length > 0)
                {
                    phones.Add("  " + line);
                }
            }

            if (phones.Count > 0)
            {
                lines.Add("Join by phone:");
                lines.AddRange(phones);
            }
        }

        string note = OneLine(content.Note);
        if (note.Length > 0)
        {
            lines.Add(string.Empty);
            lines.Add("Note: " + note);
        }

        lines.Add(EndMarker);
        return string.Join(CrLf, lines);
    }

    private static void AddIfPresent(List<string> lines, string label, string? value)
    {
        string line = OneLine(value);
        if (line.Length > 0)
        {
            lines.Add(label + line);
        }
    }

    /// <summary>The provider's text, one entry a line, without control characters, surplus blank lines or anything that reads as a marker.</summary>
    private static List<string> InvitationLines(string text)
    {
        var result = new List<string>();
        foreach (string raw in SplitLines(text))
        {
            string line = StripControls(raw).TrimEnd();
            if (IsMarker(line))
            {
                continue;
            }

            if (line.Length == 0 && (result.Count == 0 || result[result.Count - 1].Length == 0))
            {
                continue;
            }

            result.Add(line);
        }

        while (result.Count > 0 && result[result.Count - 1].Length == 0)
        {
            result.RemoveAt(result.Count - 1);
        }

        return result;
    }

    private static bool IsMarker(string line)
    {
        string folded = VisibleText.Fold(line.Trim());
        return string.Equals(folded, FoldedBegin, StringComparison.OrdinalIgnoreCase)
            || string.Equals(folded, FoldedEnd, StringComparison.OrdinalIgnoreCase);
    }

    private static string OneLine(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        var sb = new StringBuilder(value!.Length);
        foreach (char c in value)
        {
            sb.Append(char.IsControl(c) || c is '\u2028' or '\u2029' ? ' ' : c);
        }

        return VisibleText.Fold(sb.ToString().Trim());
    }

    private static string StripControls(string value)
    {
        var sb = new StringBuilder(value.Length);
        foreach (char c in value)
        {
            if (c == '\t')
            {
                sb.Append("    ");
            }
            else if (!char.IsControl(c))
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    private static List<string> SplitLines(string text)
    {
        var lines = new List<string>();
        int start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c is '\r' or '\n' or '\u2028' or '\u2029')
            {
                lines.Add(text.Substring(start, i - start));
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                start = i + 1;
            }
        }

        lines.Add(text.Substring(start));
        return lines;
    }

    // ------------------------------------------------------------------ plain text

    /// <summary>
    /// Where the block is in a plain-text body: from the start of the begin marker's line to the end of the end
    /// marker's line (its line break not included); null when there is no complete block.
    /// </summary>
    public static (int Start, int Length)? FindInText(string? body)
    {
        if (string.IsNullOrEmpty(body))
        {
            return null;
        }

        string text = body!;
        int lastBegin = -1;
        int pos = 0;
        while (pos <= text.Length)
        {
            int lineEnd = pos;
            while (lineEnd < text.Length && text[lineEnd] is not ('\r' or '\n'))
            {
                lineEnd++;
            }

            string folded = VisibleText.Fold(text.Substring(pos, lineEnd - pos).Trim());
            if (string.Equals(folded, FoldedBegin, StringComparison.OrdinalIgnoreCase))
            {
                lastBegin = pos;
            }
            else if (lastBegin >= 0 && string.Equals(folded, FoldedEnd, StringComparison.OrdinalIgnoreCase))
            {
                return (lastBegin, lineEnd - lastBegin);
            }

            if (lineEnd >= text.Length)
            {
                break;
            }

            pos = lineEnd + (text[lineEnd] == '\r' && lineEnd + 1 < text.Length && text[lineEnd + 1] == '\n' ? 2 : 1);
        }

        return null;
    }

    /// <summary>
    /// The body with the block in it: an existing block is replaced where it stands; otherwise the block goes at the
    /// end after one blank line. Inserting the same block twice gives the same body as inserting it once.
    /// </summary>
    public static string InsertIntoText(string? body, string blockText)
    {
        string text = body ?? string.Empty;
        string newline = NewlineOf(text);
        string block = WithNewlines(blockText ?? string.Empty, newline);
        if (FindInText(text) is { } found)
        {
            return text.Substring(0, found.Start) + block + text.Substring(found.Start + found.Length);
        }

        if (text.Length == 0)
        {
            return block;
        }

        char last = text[text.Length - 1];
        // A body that ends with a line break keeps ending with one, so that removing the block restores it exactly.
        return last is '\r' or '\n'
            ? text + newline + block + newline
            : text + newline + newline + block;
    }

    /// <summary>The body without the block and the blank line that was added before it; everything else as it was.</summary>
    public static string RemoveFromText(string? body)
    {
        string text = body ?? string.Empty;
        for (int guard = 0; guard < 1000 && FindInText(text) is { } found; guard++)
        {
            int start = found.Start;
            int end = found.Start + found.Length;
            int after = end + NewlineLengthAt(text, end);
            if (after > end)
            {
                // The block ended with a line break: drop one blank line before it, if there is one.
                int n1 = NewlineLengthBefore(text, start);
                if (n1 > 0 && (start - n1 == 0 || NewlineLengthBefore(text, start - n1) > 0))
                {
                    start -= n1;
                }
            }
            else
            {
                // The block ends the body: drop the blank line and the line break that were put before it.
                int n1 = NewlineLengthBefore(text, start);
                if (n1 > 0)
                {
                    start -= n1;
                    int n0 = NewlineLengthBefore(text, start);
                    if (n0 > 0)
                    {
                        start -= n0;
                    }
                }
            }

            text = text.Substring(0, start) + text.Substring(after);
        }

        return text;
    }

    private static int NewlineLengthAt(string text, int index)
    {
        if (index >= text.Length)
        {
            return 0;
        }

        if (text[index] == '\r')
        {
            return index + 1 < text.Length && text[index + 1] == '\n' ? 2 : 1;
        }

        return text[index] == '\n' ? 1 : 0;
    }

    private static int NewlineLengthBefore(string text, int index)
    {
        if (index <= 0)
        {
            return 0;
        }

        if (text[index - 1] == '\n')
        {
            return index >= 2 && text[index - 2] == '\r' ? 2 : 1;
        }

        return text[index - 1] == '\r' ? 1 : 0;
    }

    /// <summary>The body's own line break (Outlook's is CRLF; an editor may hand over LF only).</summary>
    private static string NewlineOf(string text)
    {
        int i = text.IndexOf('\n');
        if (i < 0)
        {
            return text.IndexOf('\r') >= 0 ? "\r" : CrLf;
        }

        return i > 0 && text[i - 1] == '\r' ? CrLf : "\n";
    }

    private static string WithNewlines(string block, string newline) =>
        string.Join(newline, SplitLines(block.TrimEnd('\r', '\n')));

    // ------------------------------------------------------------------ HTML

    /// <summary>
    /// The HTML body with the block in it as one <c>&lt;div&gt;</c> (lines escaped, links clickable, a leading
    /// <c>&lt;br&gt;</c> for the blank line): in place of an existing block, else before <c>&lt;/body&gt;</c>, else at the end.
    /// </summary>
    public static string InsertIntoHtml(string? html, string blockText) => InvitationHtml.Insert(html ?? string.Empty, blockText ?? string.Empty);

    /// <summary>The HTML body without the block (and without the tags that held only the block); the rest untouched.</summary>
    public static string RemoveFromHtml(string? html) => InvitationHtml.Remove(html ?? string.Empty);

    // ------------------------------------------------------------------ RTF

    /// <summary>
    /// The RTF body with the block as paragraphs in a group of its own just before the document's final closing brace;
    /// an existing block is taken out first. Meant for native RTF bodies; HTML bodies are edited as HTML.
    /// </summary>
    public static byte[] InsertIntoRtf(byte[]? rtf, string blockText) => InvitationRtf.Insert(rtf ?? Array.Empty<byte>(), blockText ?? string.Empty);

    /// <summary>The RTF body without the block's paragraphs; the input unchanged when there is no block or it cannot be read.</summary>
    public static byte[] RemoveFromRtf(byte[]? rtf) => InvitationRtf.Remove(rtf ?? Array.Empty<byte>());

    /// <summary>Whether an RTF body is HTML encapsulated in RTF (<c>\fromhtml1</c>, MS-OXRTFEX).</summary>
    public static bool IsHtmlInRtf(byte[]? rtf) => rtf is not null && EncapsulatedHtml.IsEncapsulated(rtf);

    /// <summary>The HTML an encapsulated RTF body carries (what Outlook shows); null when it is not one.</summary>
    public static string? HtmlInRtf(byte[]? rtf) => rtf is null ? null : EncapsulatedHtml.HtmlOf(rtf);

    /// <summary>
    /// The encapsulated RTF body with the block in its HTML, every other byte as it was; null when that cannot be
    /// done and checked.
    /// </summary>
    public static byte[]? InsertIntoHtmlInRtf(byte[] rtf, string blockText) => EncapsulatedHtml.Insert(rtf, blockText ?? string.Empty);

    /// <summary>
    /// The encapsulated RTF body without the block: the bytes that made it cut out, every other byte kept. The same
    /// array when there is no block; null when it cannot be cut out and checked.
    /// </summary>
    public static byte[]? RemoveFromHtmlInRtf(byte[] rtf) => EncapsulatedHtml.Remove(rtf);

    internal static List<string> Lines(string blockText) => SplitLines(blockText.TrimEnd('\r', '\n'));
}
