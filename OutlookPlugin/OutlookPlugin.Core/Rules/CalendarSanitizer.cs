using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using ClientBridge.Protocol;
using ClientBridge.Protocol.Links;

namespace OutlookPlugin.Core.Rules;

/// <summary>
/// The one gate between what Outlook holds and what crosses the pipe to the agent. The agent shows upcoming
/// meetings and join links; it needs no body, no address and no attachment, so none of them is copied, and a
/// display name that is (or contains) an e-mail address is reduced to the name part before it leaves.
/// </summary>
public static class CalendarSanitizer
{
    private static readonly char[] WordBreaks = { ' ', '\t', '\r', '\n', '\u00A0' };

    /// <summary>
    /// The item for the agent. <paramref name="id"/> is the appointment's identity (GlobalAppointmentID, else EntryID);
    /// for an occurrence of a series, <paramref name="occurrenceStartUtc"/> (its original start) is appended so that every
    /// occurrence has an id of its own that stays put when the occurrence is moved.
    /// </summary>
    public static CalendarItem ToCalendarItem(AppointmentData appointment, string id, DateTime? occurrenceStartUtc = null)
    {
        if (appointment is null)
        {
            throw new ArgumentNullException(nameof(appointment));
        }

        var item = new CalendarItem
        {
            Id = ItemId(id, occurrenceStartUtc),
            Subject = appointment.Subject ?? string.Empty,
            Start = Instant(appointment.StartUtc),
            // A damaged item that ends before it starts is shown as a point in time, not refused: the agent
            // rejects such items, and one bad item must not cost the user the rest of the calendar.
            End = Instant(appointment.EndUtc < appointment.StartUtc ? appointment.StartUtc : appointment.EndUtc),
            TimeZoneId = string.IsNullOrEmpty(appointment.TimeZoneId) ? null : appointment.TimeZoneId,
            IsAllDay = appointment.IsAllDay,
            IsRecurring = appointment.RecurrenceState != 0,
            IsCancelled = appointment.MeetingStatus is 5 or 7,
            Location = CleanLocation(appointment.Location),
            Organizer = DisplayName(appointment.Organizer),
            Response = Response(appointment.ResponseStatus),
        };

        foreach (AttendeeData attendee in appointment.Attendees ?? new List<AttendeeData>())
        {
            if (attendee is null)
            {
                continue;
            }

            bool room = attendee.Type == 3 || attendee.IsRoom;
            bool person = !room && attendee.Type is 1 or 2;
            string? name = DisplayName(attendee.Name);
            if (room)
            {
                if (name is not null)
                {
                    item.Rooms.Add(name);
                }
            }
            else if (person)
            {
                item.AttendeeCount++;
                if (name is not null && item.Attendees.Count < CalendarItem.MaxAttendeeNames)
                {
                    item.Attendees.Add(name);
                }
            }
        }

        MeetingTag? tag = appointment.Tag;
        if (tag is not null && tag.MeetingId.Length > 0)
        {
            item.MeetingId = tag.MeetingId;
            item.Provider = string.IsNullOrEmpty(tag.Provider) ? null : tag.Provider;
        }

        string? joinUrl = tag is not null && !string.IsNullOrEmpty(tag.JoinUrl)
            ? tag.JoinUrl
            : MeetingLinks.FindBest(appointment.Location, appointment.Body)?.Url;
        item.JoinUrl = CleanUrl(joinUrl);
        return item;
    }

    /// <summary>
    /// The item id: the identity alone, or with <c>|</c> and the occurrence's start (UTC, to the second). A moved
    /// occurrence therefore gets a new id; that is harmless because any change to a series sends a full snapshot.
    /// </summary>
    public static string ItemId(string id, DateTime? occurrenceStartUtc) =>
        occurrenceStartUtc is { } start
            ? (id ?? string.Empty) + "|" + DateTime.SpecifyKind(start, DateTimeKind.Utc).ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)
            : id ?? string.Empty;

    /// <summary>
    /// A display name with no address in it. <c>Name &lt;a@b&gt;</c>, <c>Name (a@b)</c> and <c>Name [a@b]</c> become
    /// <c>Name</c>; an address inside other words is dropped; a name that is only an address (as Outlook shows an
    /// unresolved recipient) becomes the address's local part, the part people recognise, which is not an address
    /// (<c>jane.doe@contoso.com</c> → <c>jane.doe</c>). An Exchange legacy DN (<c>/o=…</c>) is dropped. Null when
    /// nothing is left.
    /// </summary>
    public static string? DisplayName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        string text = name!.Trim();
        if (text.StartsWith("/o=", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        text = RemoveBracketed(text, '<', '>');
        text = RemoveBracketed(text, '(', ')');
        text = RemoveBracketed(text, '[', ']');

        string[] words = text.Split(WordBreaks, StringSplitOptions.RemoveEmptyEntries);
        var kept = new List<string>();
        string? onlyAddress = null;
        foreach (string word in words)
        {
            if (word.IndexOf('@') >= 0)
            {
                onlyAddress ??= word;
                continue;
            }

            kept.Add(word);
        }

        string result = Tidy(string.Join(" ", kept));
        if (result.Length == 0 && onlyAddress is not null && words.Length == 1)
        {
            result = Tidy(LocalPart(onlyAddress));
        }

        return result.Length == 0 ? null : result;
    }

    /// <summary>The location with any e-mail address taken out (links stay: the join link is often the location).</summary>
    private static string? CleanLocation(string? location)
    {
        if (string.IsNullOrWhiteSpace(location))
        {
            return null;
        }

        string text = RemoveBracketed(location!, '<', '>');
        var sb = new StringBuilder(text.Length);
        int i = 0;
        while (i < text.Length)
        {
            int j = i;
            while (j < text.Length && !IsBreak(text[j]))
            {
                j++;
            }

            string word = text.Substring(i, j - i);
            if (word.IndexOf('@') < 0)
            {
                sb.Append(word);
            }
            else if (word.IndexOf("://", StringComparison.Ordinal) > 0)
            {
                sb.Append(CleanUrl(word));
            }

            if (j < text.Length)
            {
                sb.Append(text[j]);
            }

            i = j + 1;
        }

        string result = Tidy(sb.ToString());
        return result.Length == 0 ? null : result;
    }

    /// <summary>
    /// A join link with no address in it: a query parameter that holds one (a link personalised with the
    /// invitee's address) is dropped, and so is a user-info part.
    /// </summary>
    internal static string? CleanUrl(string? url)
    {
        if (string.IsNullOrEmpty(url) || (url!.IndexOf('@') < 0 && url.IndexOf("%40", StringComparison.OrdinalIgnoreCase) < 0))
        {
            return string.IsNullOrEmpty(url) ? null : url;
        }

        int fragment = url.IndexOf('#');
        string main = fragment >= 0 ? url.Substring(0, fragment) : url;
        int query = main.IndexOf('?');
        string head = query >= 0 ? main.Substring(0, query) : main;
        var parameters = new List<string>();
        if (query >= 0)
        {
            foreach (string part in main.Substring(query + 1).Split('&'))
            {
                if (part.IndexOf('@') < 0 && part.IndexOf("%40", StringComparison.OrdinalIgnoreCase) < 0)
                {
                    parameters.Add(part);
                }
            }
        }

        int scheme = head.IndexOf("://", StringComparison.Ordinal);
        if (scheme > 0)
        {
            int authorityStart = scheme + 3;
            int slash = head.IndexOf('/', authorityStart);
            int authorityEnd = slash < 0 ? head.Length : slash;
            int at = head.LastIndexOf('@', authorityEnd - 1, authorityEnd - authorityStart);
            if (at >= 0)
            {
                head = head.Substring(0, authorityStart) + head.Substring(at + 1);
            }
        }

        if (HasAddress(head.Replace("%40", "@").Replace("%2540", "@")))
        {
            return null; // an address in the path: no link rather than a leak
        }

        return parameters.Count == 0 ? head : head + "?" + string.Join("&", parameters);
    }

    /// <summary>
    /// Whether text holds an e-mail address: an <c>@</c> followed by a host whose last label is letters only.
    /// Teams puts its thread id in the path (<c>19:meeting_…@thread.v2</c>, <c>@thread.skype</c>), which is not
    /// a person's address and must not cost the user the join link.
    /// </summary>
    private static bool HasAddress(string text)
    {
        for (int at = text.IndexOf('@'); at >= 0; at = text.IndexOf('@', at + 1))
        {
            int end = at + 1;
            while (end < text.Length && (char.IsLetterOrDigit(text[end]) || text[end] is '.' or '-'))
            {
                end++;
            }

            string host = text.Substring(at + 1, end - at - 1).TrimEnd('.');
            int dot = host.LastIndexOf('.');
            if (dot <= 0 || host.StartsWith("thread.", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            string top = host.Substring(dot + 1);
            bool lettersOnly = top.Length >= 2;
            foreach (char c in top)
            {
                lettersOnly &= c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z');
            }

            if (lettersOnly)
            {
                return true;
            }
        }

        return false;
    }

    private static ResponseStatus Response(int status) =>
        status is >= 0 and <= 5 ? (ResponseStatus)status : ResponseStatus.None;

    private static DateTimeOffset Instant(DateTime utc)
    {
        DateTime value = utc.Kind == DateTimeKind.Local ? utc.ToUniversalTime() : DateTime.SpecifyKind(utc, DateTimeKind.Utc);
        return new DateTimeOffset(value, TimeSpan.Zero);
    }

    private static string RemoveBracketed(string text, char open, char close)
    {
        var sb = new StringBuilder(text.Length);
        int i = 0;
        while (i < text.Length)
        {
            if (text[i] == open)
            {
                int end = text.IndexOf(close, i + 1);
                if (end > i)
                {
                    string inner = text.Substring(i + 1, end - i - 1);
                    if (inner.IndexOf('@') >= 0 || inner.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
                    {
                        sb.Append(' ');
                        i = end + 1;
                        continue;
                    }
                }
            }

            sb.Append(text[i]);
            i++;
        }

        return sb.ToString();
    }

    private static string LocalPart(string address)
    {
        string a = address.Trim('"', '\'', '<', '>', '(', ')', '[', ']', ',', ';');
        int colon = a.IndexOf(':');
        if (colon >= 0 && colon < a.IndexOf('@'))
        {
            a = a.Substring(colon + 1); // mailto:, SMTP:
        }

        int at = a.IndexOf('@');
        return at > 0 ? a.Substring(0, at) : string.Empty;
    }

    /// <summary>Whitespace folded, and quotes and separators left at the ends taken off.</summary>
    private static string Tidy(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
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

        return sb.ToString().Trim(' ', '"', '\'', ',', ';', ':', '-');
    }

    private static bool IsBreak(char c) => char.IsWhiteSpace(c) || c is ';' or ',';
}
