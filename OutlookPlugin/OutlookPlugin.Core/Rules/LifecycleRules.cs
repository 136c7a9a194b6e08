using OutlookPlugin.Core.ObjectModel;

namespace OutlookPlugin.Core.Rules;

/// <summary>Where a tagged appointment was last seen, as far as the object model could tell.</summary>
public enum ItemPlace
{
    /// <summary>In a calendar: it opened, or a calendar's search found it.</summary>
    Live,

    /// <summary>Found in Deleted Items, by its tag.</summary>
    InDeletedItems,

    /// <summary>Gone for good: its address answered MAPI_E_NOT_FOUND and every search for its tag succeeded and found nothing.</summary>
    Gone,

    /// <summary>Not known: a call failed with anything other than MAPI_E_NOT_FOUND (a network drop, a busy Outlook).</summary>
    Unknown,

    /// <summary>
    /// Not found, but its store is not in the profile now (a PST closed, FACTS §2.2): put away, not gone. Nothing says
    /// what became of it until the store is back.
    /// </summary>
    PutAway,
}

/// <summary>What the add-in does about a meeting after looking at its appointment.</summary>
public enum LifecycleAction
{
    Nothing,

    /// <summary>Send the appointment's changes (times, recurrence, deleted occurrences) to the provider.</summary>
    Update,

    /// <summary>Cancel the whole meeting at the provider.</summary>
    Cancel,

    /// <summary>Make a new meeting: the item came back to a calendar after its meeting was cancelled for its deletion.</summary>
    Recreate,

    /// <summary>Look again later: nothing seen so far proves anything.</summary>
    Wait,

    /// <summary>
    /// Stop looking at it in this session, keep following it across restarts: nothing can be seen of it until its store
    /// is back, and a start that finds it follows it again.
    /// </summary>
    LetGo,
}

/// <summary>What was seen of one tagged appointment; plain values, read from Outlook before deciding.</summary>
public sealed class ItemObservation
{
    public ItemPlace Place { get; set; }

    /// <summary>The tag names a meeting the agent made (not just a request still waiting for its answer).</summary>
    public bool HasMeeting { get; set; }

    /// <summary>This add-in already cancelled the meeting (the same evidence arriving twice).</summary>
    public bool AlreadyCancelled { get; set; }

    /// <summary>OlMeetingStatus of the item seen (FACTS §1); 0 when it was not read.</summary>
    public int MeetingStatus { get; set; }

    /// <summary>One occurrence or exception of a series, not the series itself.</summary>
    public bool IsOccurrence { get; set; }

    /// <summary>
    /// Whether another live item carries the same request id (the original of a deleted copy, or the item itself
    /// after a move); null when the search failed.
    /// </summary>
    public bool? LiveElsewhere { get; set; }

    /// <summary>The appointment differs from what the meeting was last synced to.</summary>
    public bool HasChanges { get; set; }

    /// <summary>Its meeting was cancelled because the item had been deleted (the tag, or this session, says so).</summary>
    public bool CancelledAsDeleted { get; set; }
}

/// <summary>
/// The one place that decides what a change to a tagged appointment means. Only positive evidence cancels a
/// meeting: the organiser's own item cancelled as a whole, the item in Deleted Items with no live item carrying
/// its tag, or the item gone for good as confirmed by MAPI_E_NOT_FOUND and searches that found nothing (FACTS §10).
/// Everything uncertain waits and is looked at again; partial cancellations and attendees' copies never cancel.
/// </summary>
public static class LifecycleRules
{
    public static LifecycleAction Decide(ItemObservation seen)
    {
        if (seen is null || !seen.HasMeeting)
        {
            return LifecycleAction.Nothing;
        }

        // Restored from Deleted Items (or its deletion undone): the organiser's item lives again, and so must a meeting.
        if (seen.Place == ItemPlace.Live && seen.CancelledAsDeleted && !seen.IsOccurrence
            && seen.MeetingStatus is not (OutlookIds.MeetingStatusCanceled or OutlookIds.MeetingStatusReceived or OutlookIds.MeetingStatusReceivedAndCanceled))
        {
            return LifecycleAction.Recreate;
        }

        if (seen.AlreadyCancelled || seen.CancelledAsDeleted)
        {
            return LifecycleAction.Nothing;
        }

        // An attendee's copy: the meeting is the organiser's to keep or cancel (FACTS §10).
        if (seen.MeetingStatus is OutlookIds.MeetingStatusReceived or OutlookIds.MeetingStatusReceivedAndCanceled)
        {
            return LifecycleAction.Nothing;
        }

        switch (seen.Place)
        {
            case ItemPlace.Unknown:
                return LifecycleAction.Wait;

            case ItemPlace.Gone:
                return LifecycleAction.Cancel;

            case ItemPlace.PutAway:
                return LifecycleAction.LetGo;

            case ItemPlace.InDeletedItems:
                // A deleted copy leaves the original (which carries the same tag) in a calendar.
                return seen.LiveElsewhere switch
                {
                    false => LifecycleAction.Cancel,
                    true => LifecycleAction.Nothing,
                    _ => LifecycleAction.Wait,
                };

            default:
                if (seen.IsOccurrence)
                {
                    // One occurrence cancelled or deleted: the series' master records it as a deleted exception,
                    // and that change updates the meeting (cancelling that occurrence only).
                    return LifecycleAction.Nothing;
                }

                if (seen.MeetingStatus == OutlookIds.MeetingStatusCanceled)
                {
                    // The organiser's own item cancelled as a whole; a cancelled copy leaves the original its meeting.
                    return seen.LiveElsewhere switch
                    {
                        false => LifecycleAction.Cancel,
                        true => LifecycleAction.Nothing,
                        _ => LifecycleAction.Wait,
                    };
                }

                return seen.HasChanges ? LifecycleAction.Update : LifecycleAction.Nothing;
        }
    }
}
