using System;
using OutlookPlugin.Core.ObjectModel;
using OutlookPlugin.Core.Rules;

namespace OutlookPlugin.Core.Addin;

/// <summary>
/// Writes a meeting onto an appointment and takes it off again: the link in Location, the invitation block in
/// the body. The body keeps its formatting: an open item is edited through its inspector's Word editor (a range,
/// never the whole text); a closed one through its RTF, with the plain body only as the last resort.
/// </summary>
public static class ItemEditor
{
    public static void AddLink(OmObject item, string joinUrl)
    {
        string location = item.GetString("Location");
        if (location.IndexOf(joinUrl, StringComparison.Ordinal) >= 0)
        {
            return;
        }

        item.Set("Location", location.Trim().Length == 0 ? joinUrl : location.TrimEnd() + "; " + joinUrl);
    }

    public static void RemoveLink(OmObject item, string? joinUrl)
    {
        if (string.IsNullOrEmpty(joinUrl))
        {
            return;
        }

        string location = item.GetString("Location");
        int at = location.IndexOf(joinUrl, StringComparison.Ordinal);
        if (at < 0)
        {
            return;
        }

        string rest = (location.Substring(0, at) + location.Substring(at + joinUrl!.Length)).Trim();
        rest = rest.Trim(';', ' ').Replace(";  ;", ";").Replace("; ;", ";");
        item.Set("Location", rest);
    }

    public static void WriteBlock(OmObject item, OmObject? inspector, string? block)
    {
        if (inspector is not null && TryEditInWord(inspector, block))
        {
            return;
        }

        if (item.Get("RTFBody") is byte[] rtf && rtf.Length > 0)
        {
            if (InvitationBlock.IsHtmlInRtf(rtf))
            {
                WriteBlockInHtml(item, rtf, block);
                return;
            }

            item.Set("RTFBody", block is null ? InvitationBlock.RemoveFromRtf(rtf) : InvitationBlock.InsertIntoRtf(rtf, block));
            return;
        }

        string? body = item.Get("Body") as string;
        item.Set("Body", block is null ? InvitationBlock.RemoveFromText(body) : InvitationBlock.InsertIntoText(body, block));
    }

    /// <summary>
    /// A body whose best form is HTML (Outlook on the web, the new Outlook, phones; MS-OXCMAIL), kept as HTML inside
    /// RTF (MS-OXRTFEX): the block goes into the HTML Outlook shows. An edit that cannot be checked to leave everything
    /// else as it was is not made: an insert then falls back to plain RTF paragraphs, and a remove leaves the body.
    /// </summary>
    private static void WriteBlockInHtml(OmObject item, byte[] rtf, string? block)
    {
        byte[]? edited = block is null ? InvitationBlock.RemoveFromHtmlInRtf(rtf) : InvitationBlock.InsertIntoHtmlInRtf(rtf, block);
        if (edited is null && block is not null)
        {
            edited = InvitationBlock.InsertIntoRtf(rtf, block);
        }

        if (edited is not null && !ReferenceEquals(edited, rtf))
        {
            item.Set("RTFBody", edited);
        }
    }

    /// <summary>
    /// Edits the open item's body in place through Word (FACTS §2.7: valid when IsWordMail and the Word editor). The
    /// block is found with Word's own Find, whose ranges are Word positions: offsets into Content.Text are not, as that
    /// text leaves out field codes and hidden text (FACTS §10). It is added as paragraphs of its own, with any list
    /// formatting the last paragraph passed on taken off.
    /// </summary>
    private static bool TryEditInWord(OmObject inspector, string? block)
    {
        if (inspector.Get<int>("EditorType") != OutlookIds.EditorWord || !inspector.Call<bool>("IsWordMail"))
        {
            return false;
        }

        using OmObject? document = inspector.GetObject("WordEditor");
        if (document is null)
        {
            return false;
        }

        for (int guard = 0; guard < 10 && FindBlockInWord(document) is { } found; guard++)
        {
            using OmObject? range = document.CallObject("Range", found.Start, found.End);
            range?.Call("Delete", Type.Missing, Type.Missing);
        }

        if (block is not null)
        {
            using OmObject? content = document.GetObject("Content");
            if (content is null)
            {
                return true;
            }

            int end = content.Get<int>("End");

            // Word separates paragraphs with a carriage return.
            content.Call("InsertAfter", "\r" + block.Replace("\r\n", "\r").Replace('\n', '\r'));
            int after = content.Get<int>("End");

            // From the paragraph after the user's last one: the user's own paragraph keeps its formatting.
            using OmObject? added = document.CallObject("Range", end + 1, after);
            using OmObject? list = added?.GetObject("ListFormat");
            list?.Call("RemoveNumbers", Type.Missing);
        }

        return true;
    }

    /// <summary>The block's Word range: its first marker through its last, with the paragraph break put before it.</summary>
    private static (int Start, int End)? FindBlockInWord(OmObject document)
    {
        using OmObject? begin = document.GetObject("Content");
        if (begin is null || !FindInWord(begin, InvitationBlock.BeginMarker))
        {
            return null;
        }

        int start = begin.Get<int>("Start");
        int storyEnd;
        using (OmObject? content = document.GetObject("Content"))
        {
            storyEnd = content?.Get<int>("End") ?? 0;
        }

        using OmObject? rest = document.CallObject("Range", begin.Get<int>("End"), storyEnd);
        if (rest is null || !FindInWord(rest, InvitationBlock.EndMarker))
        {
            return null;
        }

        int end = rest.Get<int>("End");
        if (start > 0)
        {
            using OmObject? before = document.CallObject("Range", start - 1, start);
            if (before?.GetString("Text") == "\r")
            {
                start--;
            }
        }

        return (start, end);
    }

    /// <summary>Word's Find for plain text, forward, stopping at the range's end; on success the range is what it found.</summary>
    private static bool FindInWord(OmObject range, string text)
    {
        using OmObject? find = range.GetObject("Find");
        if (find is null)
        {
            return false;
        }

        find.Call("ClearFormatting");
        find.Set("Forward", true);
        find.Set("Wrap", OutlookIds.Word.FindStop);
        find.Set("MatchWildcards", false);
        find.Set("MatchCase", true);
        return find.Call<bool>("Execute", text);
    }
}
