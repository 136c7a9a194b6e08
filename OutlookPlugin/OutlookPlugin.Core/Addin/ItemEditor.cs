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

    /// <summary>Edits the open item's body in place through Word (FACTS §2.7: valid when IsWordMail and the Word editor).</summary>
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

        string text;
        using (OmObject? content = document.GetObject("Content"))
        {
            text = content?.GetString("Text") ?? string.Empty;
        }

        if (InvitationBlock.FindInText(text) is { } existing)
        {
            using OmObject? range = document.CallObject("Range", existing.Start, existing.Start + existing.Length);
            range?.Call("Delete");
        }

        if (block is not null)
        {
            using OmObject? content = document.GetObject("Content");

            // Word separates paragraphs with a carriage return.
            content?.Call("InsertAfter", "\r" + block.Replace("\r\n", "\r").Replace('\n', '\r'));
        }

        return true;
    }
}
