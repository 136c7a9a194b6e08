using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;
using FakeOutlook;
using OutlookPlugin.Core.ObjectModel;
using ZoomEmulator;

namespace LifecycleSoak;

/// <summary>What went wrong for the user in one history, by kind, with a sentence for each finding.</summary>
public sealed class OracleVerdict
{
    public int WrongCancels { get; init; }

    public int MissedCancels { get; init; }

    public int StaleLinks { get; init; }

    public int Duplicates { get; init; }

    public int Orphans { get; init; }

    public IReadOnlyList<string> Findings { get; init; } = Array.Empty<string>();

    public bool IsClean => WrongCancels + MissedCancels + StaleLinks + Duplicates + Orphans == 0;
}

/// <summary>
/// Judges a settled history by what the user is left with: the items in every folder of the fake Outlook and the
/// meetings at the Zoom emulator. It knows nothing of the add-in's inner state. A meeting is "carried" by an item whose
/// tag (the add-in's named properties, <see cref="MeetingTags"/>) names its meeting id; an item is "live" when it is in
/// a calendar folder (the default one, the second one of the mailbox, the PST's) and not a meeting its organiser
/// cancelled (MeetingStatus olMeetingCanceled: restored from Deleted Items, it stays cancelled), and "in Deleted Items"
/// when it is in a store's Deleted Items. The rules, in the order they are applied:
/// <list type="bullet">
/// <item><b>wrong_cancels</b>: a meeting with a live carrier was deleted at Zoom (a DELETE of the whole meeting during the
/// history). The user still has the appointment and its link; the link is dead.</item>
/// <item><b>stale_links</b>: a meeting with a live carrier is not live at Zoom for any other reason, or is live but differs
/// from a carrier: single against recurring (Zoom type 2 against 8), its start (a single's), its length, or the set of
/// occurrence starts (a series': the pattern's dates without deleted occurrences, against Zoom's occurrences without
/// deleted ones). Counted once per meeting.</item>
/// <item><b>missed_cancels</b>: a meeting live at Zoom with no live carrier, whose carriers are all in Deleted Items, or
/// that an item deleted for good (Shift+Del, or emptied from Deleted Items) carried. The add-in's rule
/// (<c>LifecycleRules</c>: an item in Deleted Items with no live copy is cancelled; an item gone for good is
/// cancelled) says it should be gone. An item deleted for good while its add was still pending (its tag had a request
/// id and no meeting id yet) counts its subject's meeting.</item>
/// <item><b>orphans</b>: a meeting live at Zoom that no item carries, live or deleted, and that no item deleted for
/// good carried: a meeting nobody can find or cancel from Outlook.</item>
/// <item><b>duplicates</b>: more meetings made at Zoom (201 to a create) for one add than one, beyond one more for each
/// time its item was restored from Deleted Items (the add-in then replaces the meeting it cancelled for the deletion
/// with a new one). Every add's subject is unique in the history and only the add (or that re-creation) sends it as a
/// create's topic, so the creates of one topic are one add's.</item>
/// </list>
/// The findings are about the end state after Outlook was restarted without faults and everything settled, so a
/// meeting the add-in gets right late (after a reconnect, at the next start) is right.
/// </summary>
public static class Oracle
{
    /// <summary>What Zoom was asked about one meeting, in order: for a finding's reader, to see which request did it.</summary>
    private static string AskedOf(ZoomEmulatorServer zoom, string meetingId) =>
        "    Zoom was asked: " + string.Join(", ", zoom.Requests
            .Where(r => r.Path.Contains("/meetings/" + meetingId, StringComparison.Ordinal))
            .Select(r => r.Method + " " + r.Path[(r.Path.IndexOf("/meetings/", StringComparison.Ordinal) + 10)..] + (r.Query.Length > 0 ? r.Query : "") + " " + r.Status));

    public static OracleVerdict Judge(FakeOutlookHost outlook, ZoomEmulatorServer zoom, string prefix, DateTimeOffset since, IReadOnlyList<GoneCarrier> gone, IReadOnlyDictionary<string, int> restores)
    {
        ArgumentNullException.ThrowIfNull(outlook);
        ArgumentNullException.ThrowIfNull(zoom);
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(gone);
        ArgumentNullException.ThrowIfNull(restores);

        var findings = new List<string>();
        var live = new Dictionary<string, List<(FakeAppointmentItem Item, AppointmentSnapshot Seen)>>(StringComparer.Ordinal);
        var deleted = new HashSet<string>(StringComparer.Ordinal);
        foreach (FakeFolder folder in outlook.AllFolders())
        {
            bool inDeletedItems = outlook.IsDeletedItemsFolder(folder);
            foreach (FakeAppointmentItem item in outlook.StoredItems(folder))
            {
                AppointmentSnapshot seen = outlook.Snapshot(item);
                if (seen.NamedProperties.GetValueOrDefault(MeetingTags.MeetingId) is not string { Length: > 0 } meetingId)
                {
                    continue;
                }

                if (inDeletedItems)
                {
                    deleted.Add(meetingId);
                }
                else if (seen.MeetingStatus is 5 or 7)
                {
                    // A meeting its organiser cancelled (olMeetingCanceled), put back in a calendar from Deleted Items: the
                    // attendees were told it is off, so its video meeting rightly stays cancelled; it carries nothing live.
                    continue;
                }
                else
                {
                    (live.TryGetValue(meetingId, out var carriers) ? carriers : live[meetingId] = new()).Add((item, seen));
                }
            }
        }

        Dictionary<string, EmulatedMeeting> atZoom = zoom.Meetings
            .Where(m => m.Topic.StartsWith(prefix, StringComparison.Ordinal))
            .ToDictionary(m => m.Id.ToString(CultureInfo.InvariantCulture), StringComparer.Ordinal);
        var deletedAtZoom = new HashSet<string>(StringComparer.Ordinal);
        var creates = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (RecordedRequest request in zoom.Requests.Where(r => r.Time >= since))
        {
            if (request.Method == "DELETE" && request.Status == 204 && request.Path.StartsWith("/v2/meetings/", StringComparison.Ordinal)
                && !request.Query.Contains("occurrence_id", StringComparison.Ordinal))
            {
                deletedAtZoom.Add(request.Path["/v2/meetings/".Length..]);
            }
            else if (request.Method == "POST" && request.Status == 201 && request.Path.EndsWith("/meetings", StringComparison.Ordinal)
                && TopicOf(request.Body) is { } topic && topic.StartsWith(prefix, StringComparison.Ordinal))
            {
                creates[topic] = creates.GetValueOrDefault(topic) + 1;
            }
        }

        int wrongCancels = 0, staleLinks = 0, missedCancels = 0, orphans = 0, duplicates = 0;
        foreach ((string meetingId, List<(FakeAppointmentItem Item, AppointmentSnapshot Seen)> carriers) in live)
        {
            // With each carrier's MeetingStatus and EntryID's end, so that a reader can tell two carriers of one subject apart.
            string subjects = string.Join(", ", carriers.Select(c => c.Seen.Subject + " in " + c.Seen.FolderName + " (status " + c.Seen.MeetingStatus.ToString(CultureInfo.InvariantCulture) + ", …" + c.Seen.EntryId[^Math.Min(6, c.Seen.EntryId.Length)..] + ")").Distinct());
            if (!atZoom.TryGetValue(meetingId, out EmulatedMeeting? meeting))
            {
                if (deletedAtZoom.Contains(meetingId))
                {
                    wrongCancels++;
                    findings.Add("wrong_cancel: meeting " + meetingId + " was deleted at Zoom while " + subjects + " still carries it");
                    findings.Add(AskedOf(zoom, meetingId));
                }
                else
                {
                    staleLinks++;
                    findings.Add("stale_link: meeting " + meetingId + " of " + subjects + " is not at Zoom");
                }

                continue;
            }

            foreach ((FakeAppointmentItem item, AppointmentSnapshot seen) in carriers)
            {
                if (Difference(outlook, item, seen, meeting) is { } difference)
                {
                    staleLinks++;
                    findings.Add("stale_link: meeting " + meetingId + " of " + seen.Subject + " in " + seen.FolderName + ": " + difference);
                    findings.Add(AskedOf(zoom, meetingId));
                    break;
                }
            }
        }

        foreach ((string meetingId, EmulatedMeeting meeting) in atZoom)
        {
            if (live.ContainsKey(meetingId))
            {
                continue;
            }

            if (deleted.Contains(meetingId))
            {
                missedCancels++;
                findings.Add("missed_cancel: meeting " + meetingId + " (" + meeting.Topic + ") is live while its only carriers are in Deleted Items");
            }
            else if (gone.Any(g => g.MeetingId == meetingId || (g.MeetingId.Length == 0 && g.Subject == meeting.Topic)))
            {
                missedCancels++;
                findings.Add("missed_cancel: meeting " + meetingId + " (" + meeting.Topic + ") is live after its appointment was deleted for good");
            }
            else
            {
                orphans++;
                findings.Add("orphan: meeting " + meetingId + " (" + meeting.Topic + ") is live and no appointment carries it");
            }
        }

        foreach ((string topic, int count) in creates.Where(c => c.Value > 1 + restores.GetValueOrDefault(c.Key)))
        {
            duplicates += count - 1 - restores.GetValueOrDefault(topic);
            findings.Add("duplicate: " + count.ToString(CultureInfo.InvariantCulture) + " meetings were made for the one add of " + topic);
        }

        return new OracleVerdict
        {
            WrongCancels = wrongCancels,
            MissedCancels = missedCancels,
            StaleLinks = staleLinks,
            Duplicates = duplicates,
            Orphans = orphans,
            Findings = findings,
        };
    }

    /// <summary>How the meeting differs from the appointment, in words; null when it matches.</summary>
    private static string? Difference(FakeOutlookHost outlook, FakeAppointmentItem item, AppointmentSnapshot seen, EmulatedMeeting meeting)
    {
        int minutes = (int)Math.Round((seen.EndUtc - seen.StartUtc).TotalMinutes);
        if (seen.IsRecurring != (meeting.Type == 8))
        {
            return "the appointment is " + (seen.IsRecurring ? "a series" : "single") + ", the meeting has type " + meeting.Type.ToString(CultureInfo.InvariantCulture);
        }

        if (meeting.Duration != minutes)
        {
            return "length " + meeting.Duration.ToString(CultureInfo.InvariantCulture) + " min at Zoom, " + minutes.ToString(CultureInfo.InvariantCulture) + " in Outlook";
        }

        if (!seen.IsRecurring)
        {
            DateTime start = DateTime.SpecifyKind(seen.StartUtc, DateTimeKind.Utc);
            return meeting.StartTime?.UtcDateTime == start ? null : "start " + Text(meeting.StartTime?.UtcDateTime) + " at Zoom, " + Text(start) + " in Outlook";
        }

        List<DateTime> inOutlook = outlook.OccurrenceStartsUtc(item).Select(s => DateTime.SpecifyKind(s, DateTimeKind.Utc)).OrderBy(s => s).ToList();
        List<DateTime> atZoom = meeting.Occurrences.Where(o => !o.Deleted).Select(o => o.StartTime.UtcDateTime).OrderBy(s => s).ToList();
        return inOutlook.SequenceEqual(atZoom)
            ? null
            : "occurrences at Zoom [" + string.Join(" ", atZoom.Select(d => Text(d))) + "], in Outlook [" + string.Join(" ", inOutlook.Select(d => Text(d))) + "]";
    }

    private static string Text(DateTime? utc) => utc?.ToString("MM-dd'T'HH:mm", CultureInfo.InvariantCulture) ?? "none";

    private static string? TopicOf(string body)
    {
        try
        {
            return JsonNode.Parse(body)?["topic"]?.GetValue<string>();
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
