using Microsoft.VisualStudio.TestTools.UnitTesting;
using OutlookPlugin.Core.Rules;

namespace OutlookPlugin.Tests.Rules;

/// <summary>
/// What a change to a tagged appointment means, as a table: only positive evidence cancels a meeting, doubt waits,
/// and partial cancellations and attendees' copies never cancel anything (FACTS §10).
/// </summary>
[TestClass]
public sealed class LifecycleRulesTests
{
    // MeetingStatus (FACTS §1): 0 not a meeting, 1 meeting, 3 received, 5 canceled, 7 received and canceled.
    // LiveElsewhere: 1 true, 0 false, -1 unknown (the search failed).
    [TestMethod]
    [DataRow(ItemPlace.Live, 1, false, -1, false, LifecycleAction.Nothing, DisplayName = "a save that changed nothing the meeting holds")]
    [DataRow(ItemPlace.Live, 1, false, -1, true, LifecycleAction.Update, DisplayName = "retimed, re-patterned or an occurrence deleted: update")]
    [DataRow(ItemPlace.Live, 0, false, -1, true, LifecycleAction.Update, DisplayName = "an appointment without attendees changes like a meeting")]
    [DataRow(ItemPlace.Live, 5, false, 0, false, LifecycleAction.Cancel, DisplayName = "the organiser's own item cancelled as a whole")]
    [DataRow(ItemPlace.Live, 5, false, 1, false, LifecycleAction.Nothing, DisplayName = "a copy cancelled as a whole: the original still holds the tag")]
    [DataRow(ItemPlace.Live, 5, false, -1, false, LifecycleAction.Wait, DisplayName = "cancelled as a whole, but the calendars could not be searched for the original")]
    [DataRow(ItemPlace.Live, 5, true, -1, false, LifecycleAction.Nothing, DisplayName = "one occurrence cancelled: its series' change says which")]
    [DataRow(ItemPlace.Live, 1, true, -1, true, LifecycleAction.Nothing, DisplayName = "an occurrence is never the meeting")]
    [DataRow(ItemPlace.Live, 3, false, -1, true, LifecycleAction.Nothing, DisplayName = "an attendee's copy is never acted on")]
    [DataRow(ItemPlace.Live, 7, false, -1, false, LifecycleAction.Nothing, DisplayName = "an attendee's cancelled copy is never acted on")]
    [DataRow(ItemPlace.InDeletedItems, 1, false, 0, false, LifecycleAction.Cancel, DisplayName = "in Deleted Items, and no calendar holds its tag")]
    [DataRow(ItemPlace.InDeletedItems, 1, false, 1, false, LifecycleAction.Nothing, DisplayName = "a deleted copy: the original still holds the tag")]
    [DataRow(ItemPlace.InDeletedItems, 1, false, -1, false, LifecycleAction.Wait, DisplayName = "in Deleted Items, but the calendars could not be searched")]
    [DataRow(ItemPlace.InDeletedItems, 7, false, 0, false, LifecycleAction.Nothing, DisplayName = "an attendee deleting their copy")]
    [DataRow(ItemPlace.Gone, 0, false, 0, false, LifecycleAction.Cancel, DisplayName = "gone for good: not found, and every search answered")]
    [DataRow(ItemPlace.Unknown, 0, false, -1, false, LifecycleAction.Wait, DisplayName = "a network error is not a deletion")]
    [DataRow(ItemPlace.PutAway, 1, false, 0, false, LifecycleAction.LetGo, DisplayName = "not found, but its store left the profile: a closed PST is not a deletion")]
    public void A_change_means_what_its_evidence_proves(ItemPlace place, int meetingStatus, bool occurrence, int liveElsewhere, bool changes, LifecycleAction expected)
    {
        var seen = new ItemObservation
        {
            Place = place,
            HasMeeting = true,
            MeetingStatus = meetingStatus,
            IsOccurrence = occurrence,
            LiveElsewhere = liveElsewhere switch
            {
                1 => true,
                0 => false,
                _ => null,
            },
            HasChanges = changes,
        };

        Assert.AreEqual(expected, LifecycleRules.Decide(seen));
    }

    [TestMethod]
    [DataRow(ItemPlace.Live, 1, false, LifecycleAction.Recreate, DisplayName = "restored from Deleted Items: a new meeting")]
    [DataRow(ItemPlace.Live, 0, false, LifecycleAction.Recreate, DisplayName = "restored, without attendees: a new meeting")]
    [DataRow(ItemPlace.Live, 5, false, LifecycleAction.Nothing, DisplayName = "back in a calendar but cancelled as a whole: nothing")]
    [DataRow(ItemPlace.Live, 3, false, LifecycleAction.Nothing, DisplayName = "an attendee's copy: never")]
    [DataRow(ItemPlace.Live, 1, true, LifecycleAction.Nothing, DisplayName = "an occurrence: never on its own")]
    [DataRow(ItemPlace.InDeletedItems, 1, false, LifecycleAction.Nothing, DisplayName = "still in Deleted Items: nothing more")]
    public void A_meeting_cancelled_for_a_deletion_comes_back_only_with_its_organisers_item(ItemPlace place, int meetingStatus, bool occurrence, LifecycleAction expected)
    {
        var seen = new ItemObservation { Place = place, HasMeeting = true, MeetingStatus = meetingStatus, IsOccurrence = occurrence, CancelledAsDeleted = true, AlreadyCancelled = true, LiveElsewhere = false };
        Assert.AreEqual(expected, LifecycleRules.Decide(seen));
    }

    [TestMethod]
    [DataRow(ItemPlace.Live, 5)]
    [DataRow(ItemPlace.InDeletedItems, 1)]
    [DataRow(ItemPlace.Gone, 0)]
    public void A_meeting_cancelled_already_or_never_made_is_left_alone(ItemPlace place, int meetingStatus)
    {
        Assert.AreEqual(LifecycleAction.Nothing, LifecycleRules.Decide(new ItemObservation { Place = place, MeetingStatus = meetingStatus, HasMeeting = true, AlreadyCancelled = true, LiveElsewhere = false }));
        Assert.AreEqual(LifecycleAction.Nothing, LifecycleRules.Decide(new ItemObservation { Place = place, MeetingStatus = meetingStatus, HasMeeting = false, LiveElsewhere = false }));
    }
}
