using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using ClientBridge.Protocol;
using FakeOutlook;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using OutlookPlugin.Core.Addin;
using OutlookPlugin.Core.ObjectModel;
using OutlookPlugin.Core.Rules;
using OutlookPlugin.Tests.Support;
using ZoomEmulator;

namespace OutlookPlugin.Tests.Addin;

/// <summary>
/// What a user does in Outlook, driven through the add-in's real code against the fake Outlook, with the real
/// agent at the other end of a real pipe. Every test ends by checking that the add-in released every Outlook object
/// it was handed and never called the object model off Outlook's main thread.
/// </summary>
[TestClass]
public sealed class MeetingScenarioTests
{
    [TestMethod]
    public async Task Adding_a_meeting_writes_the_link_the_invitation_and_the_tag_and_keeps_the_body_formatting()
    {
        await using AddinRig rig = await AddinRig.StartAsync();
        FakeAppointmentItem item = rig.Outlook.AddAppointment(AppointmentSpec.Single("Design review", AddinRig.Tomorrow9, 60) with { Body = "Agenda: budget" });
        FakeInspector inspector = rig.Outlook.OpenInspector(item)!;
        inspector.Document.AddFormatting(0, 6, "bold");

        await rig.AddMeetingAsync(item);

        AppointmentSnapshot saved = rig.Outlook.Snapshot(item);
        StringAssert.StartsWith(saved.Location, "https://meet.jit.si/");
        StringAssert.Contains(saved.Body, "Agenda: budget");
        StringAssert.Contains(saved.Body, InvitationBlock.BeginMarker);
        StringAssert.Contains(saved.Body, saved.Location);
        Assert.IsTrue(inspector.Document.FormattingIntact, "the user's bold text survived");
        Assert.AreEqual("jitsi", saved.NamedProperties[MeetingTags.Provider]);
        Assert.AreEqual(saved.EntryId, saved.NamedProperties[MeetingTags.Owner]);
        Assert.IsFalse(string.IsNullOrEmpty(saved.NamedProperties[MeetingTags.MeetingId] as string));
        Assert.IsEmpty(rig.User.Errors);

        CalendarItem atAgent = rig.Calendar.Items().Single(i => i.Id == saved.EntryId);
        Assert.AreEqual(saved.Location, atAgent.JoinUrl);
        Assert.AreEqual("jitsi", atAgent.Provider);
        Assert.IsNull(await rig.ShutDownAndAuditAsync());
    }

    [TestMethod]
    public async Task Removing_the_meeting_cancels_it_and_takes_the_link_and_block_out_again()
    {
        await using AddinRig rig = await AddinRig.StartAsync(zoom: true);
        FakeAppointmentItem item = rig.Outlook.AddAppointment(AppointmentSpec.Single("Weekly sync", AddinRig.Tomorrow9, 30, location: "Room 4") with { Body = "Notes" });
        await rig.AddMeetingAsync(item);
        Assert.HasCount(1, rig.Zoom!.Meetings);
        Assert.IsTrue(await rig.IsEnabledAsync(RibbonController.RemoveId, item));

        await rig.ClickAsync(RibbonController.RemoveId, item);
        await rig.SaveAsUserAsync(item, _ => { });
        await rig.SettleAsync();

        AppointmentSnapshot saved = rig.Outlook.Snapshot(item);
        Assert.IsEmpty(rig.Zoom.Meetings);
        Assert.AreEqual("Room 4", saved.Location);
        Assert.AreEqual("Notes", saved.Body.TrimEnd());
        Assert.IsFalse(saved.NamedProperties.ContainsKey(MeetingTags.RequestId));
        Assert.IsFalse(await rig.IsEnabledAsync(RibbonController.RemoveId, item));
        Assert.IsNull(await rig.ShutDownAndAuditAsync());
    }

    /// <summary>
    /// Before the agent kept cancellations in its journal, Remove with Zoom down showed an error and left the meeting on
    /// the appointment: the user could not take a meeting off while offline. Now the agent keeps the cancellation
    /// (MeetingReply.Queued) and makes it when Zoom answers, whether Outlook is still open or not.
    /// </summary>
    [TestMethod]
    public async Task Removing_the_meeting_while_Zoom_is_down_takes_it_off_now_and_cancels_it_at_Zoom_once_Zoom_answers()
    {
        await using AddinRig rig = await AddinRig.StartAsync(zoom: true, agent: a => a.CancelRetry.FirstDelay = TimeSpan.FromMilliseconds(300));
        FakeAppointmentItem item = rig.Outlook.AddAppointment(AppointmentSpec.Single("Weekly sync", AddinRig.Tomorrow9, 30, location: "Room 4") with { Body = "Notes" });
        await rig.AddMeetingAsync(item);
        rig.Zoom!.Faults.FailNext(100_000, ZoomEmulator.FaultKind.ServiceUnavailable);

        await rig.ClickAsync(RibbonController.RemoveId, item);
        await rig.SaveAsUserAsync(item, _ => { });
        await rig.SettleAsync();

        AppointmentSnapshot saved = rig.Outlook.Snapshot(item);
        Assert.IsEmpty(rig.User.Errors, "Nothing for the user to do: the agent has the cancellation.");
        Assert.IsFalse(saved.NamedProperties.ContainsKey(MeetingTags.RequestId), "Taken off the appointment although Zoom is down.");
        Assert.AreEqual("Notes", saved.Body.TrimEnd());
        Assert.HasCount(1, rig.Zoom.Meetings, "Zoom is down: not cancelled there yet.");

        rig.Zoom.Faults.Clear();
        await AddinRig.WaitUntilAsync(() => rig.Zoom.Meetings.Count == 0, "the agent to cancel the meeting at Zoom once Zoom answers");
        Assert.IsNull(await rig.ShutDownAndAuditAsync());
    }

    [TestMethod]
    public async Task Add_on_two_new_appointments_in_a_row_gives_each_its_own_meeting()
    {
        // Issue 13, point 10: an empty GlobalAppointmentID counted as a value. Two appointments never saved have no
        // EntryID and, in the worst case, no GlobalAppointmentID yet (FACTS §10): they shared one busy key, and Add on the
        // second, clicked while the first one's meeting was being made, did nothing at all.
        await using AddinRig rig = await AddinRig.StartAsync(zoom: true);
        await rig.WarmUpZoomAsync();
        rig.Zoom!.Faults.SlowResponseDelay = TimeSpan.FromSeconds(1);
        rig.Zoom.Faults.FailNext(1, ZoomEmulator.FaultKind.SlowResponse, ZoomEmulator.FaultTiming.BeforeHandling);
        FakeAppointmentItem first = NewUnsaved(rig, "Design review", AddinRig.Tomorrow9);
        FakeAppointmentItem second = NewUnsaved(rig, "Budget", AddinRig.Tomorrow9.AddHours(2));

        await rig.PressAsync(RibbonController.AddId, first);
        await rig.PressAsync(RibbonController.AddId, second);
        await rig.SettleAsync();
        await rig.SaveAsUserAsync(first, _ => { });
        await rig.SaveAsUserAsync(second, _ => { });
        await rig.SettleAsync();

        Assert.IsEmpty(rig.User.Errors);
        object? firstMeeting = rig.Outlook.Snapshot(first).NamedProperties.GetValueOrDefault(MeetingTags.MeetingId);
        object? secondMeeting = rig.Outlook.Snapshot(second).NamedProperties.GetValueOrDefault(MeetingTags.MeetingId);
        Assert.IsNotNull(firstMeeting, "the first new appointment has its meeting");
        Assert.IsNotNull(secondMeeting, "so has the second, clicked while the first was being made");
        Assert.AreNotEqual(firstMeeting, secondMeeting);
        CollectionAssert.AreEquivalent(new[] { "Design review", "Budget" }, rig.Zoom.Meetings.Select(m => m.Topic).ToList());
        Assert.IsNull(await rig.ShutDownAndAuditAsync());
    }

    private static FakeAppointmentItem NewUnsaved(AddinRig rig, string subject, DateTime start) => rig.Outlook.AsUser(app =>
    {
        var item = (FakeAppointmentItem)app.CreateItem(1);
        item.Subject = subject;
        item.Start = start;
        item.End = start.AddMinutes(30);
        return item;
    });

    [TestMethod]
    public async Task Moving_and_retiming_update_the_meeting_once_per_save_and_an_unrelated_edit_sends_nothing()
    {
        await using AddinRig rig = await AddinRig.StartAsync(zoom: true);
        FakeAppointmentItem item = rig.Outlook.AddAppointment(AppointmentSpec.Single("Planning", AddinRig.Tomorrow9, 30));
        await rig.AddMeetingAsync(item);
        int patchesBefore = Patches(rig.Zoom!);

        await rig.SaveAsUserAsync(item, i =>
        {
            i.Start = AddinRig.Tomorrow9.AddHours(2);
            i.End = AddinRig.Tomorrow9.AddHours(3);
        });
        await rig.SettleAsync();

        EmulatedMeeting meeting = rig.Zoom!.Meetings.Single();
        Assert.AreEqual(new DateTimeOffset(rig.Outlook.Snapshot(item).StartUtc, TimeSpan.Zero), meeting.StartTime);
        Assert.AreEqual(60, meeting.Duration);
        Assert.AreEqual(patchesBefore + 1, Patches(rig.Zoom), "two ItemChange events, one update");

        await rig.SaveAsUserAsync(item, i => i.Body += "\r\nMore notes");
        await rig.SettleAsync();
        Assert.AreEqual(patchesBefore + 1, Patches(rig.Zoom), "a body edit changes nothing the meeting holds");
        Assert.IsNull(await rig.ShutDownAndAuditAsync());
    }

    [TestMethod]
    public async Task Changing_the_recurrence_deleting_an_occurrence_and_deleting_the_series_follow_through_to_the_meeting()
    {
        await using AddinRig rig = await AddinRig.StartAsync(zoom: true);
        DateTime first = AddinRig.Tomorrow9;
        FakeAppointmentItem series = rig.Outlook.AddAppointment(AppointmentSpec.Weekly("Team standup", first, 15, occurrences: 6));
        await rig.AddMeetingAsync(series);
        EmulatedMeeting created = rig.Zoom!.Meetings.Single();
        Assert.AreEqual(8, created.Type);
        StringAssert.Contains(created.RecurrenceJson, "\"type\":2");

        await rig.SaveAsUserAsync(series, i => ((FakeRecurrencePattern)i.GetRecurrencePattern()).Occurrences = 4);
        await rig.SettleAsync();
        StringAssert.Contains(rig.Zoom.Meetings.Single().RecurrenceJson, "\"end_times\":4");

        DateTime third = first.AddDays(14);
        await rig.Outlook.AsUserAsync(_ => ((FakeRecurrencePattern)series.GetRecurrencePattern()).GetOccurrence(third).Delete());
        await rig.SettleAsync();
        Assert.HasCount(1, rig.Zoom.Meetings.Single().DeletedOccurrences, "the deleted occurrence is cancelled, and only it");

        await rig.Outlook.AsUserAsync(_ => series.Delete());
        await rig.SettleAsync();
        Assert.IsEmpty(rig.Zoom.Meetings);
        Assert.IsNull(await rig.ShutDownAndAuditAsync());
    }

    [TestMethod]
    public async Task A_copied_appointment_never_steals_the_meeting()
    {
        await using AddinRig rig = await AddinRig.StartAsync(zoom: true);
        FakeAppointmentItem original = rig.Outlook.AddAppointment(AppointmentSpec.Single("Customer call", AddinRig.Tomorrow9, 30));
        await rig.AddMeetingAsync(original);
        EmulatedMeeting meeting = rig.Zoom!.Meetings.Single();

        FakeAppointmentItem copy = rig.Outlook.AsUser(_ =>
        {
            var made = (FakeAppointmentItem)original.Copy();
            made.Save();
            return made;
        });
        await rig.SettleAsync();
        await rig.SaveAsUserAsync(copy, c => c.Start = AddinRig.Tomorrow9.AddDays(3));
        await rig.SettleAsync();
        await rig.Outlook.AsUserAsync(_ => copy.Delete());
        await rig.SettleAsync();

        EmulatedMeeting still = rig.Zoom.Meetings.Single();
        Assert.AreEqual(meeting.Id, still.Id);
        Assert.AreEqual(meeting.StartTime, still.StartTime, "moving the copy did not move the original's meeting");
        Assert.IsFalse(rig.Outlook.Snapshot(copy).NamedProperties.ContainsKey(MeetingTags.MeetingId), "the copy lost the tag");
        Assert.IsNull(await rig.ShutDownAndAuditAsync());
    }

    [TestMethod]
    public async Task Cancelling_the_meeting_in_Outlook_cancels_the_video_meeting()
    {
        await using AddinRig rig = await AddinRig.StartAsync(zoom: true);
        FakeAppointmentItem item = rig.Outlook.AddAppointment(AppointmentSpec.Single("Offsite", AddinRig.Tomorrow9, 30) with { MeetingStatus = 1, RequiredAttendees = ["Ann Example"] });
        await rig.AddMeetingAsync(item);
        Assert.HasCount(1, rig.Zoom!.Meetings);

        await rig.Outlook.CancelMeetingAsUserAsync(item);
        await rig.SettleAsync();

        Assert.IsEmpty(rig.Zoom.Meetings);
        Assert.IsNull(await rig.ShutDownAndAuditAsync());
    }

    [TestMethod]
    public async Task An_appointment_in_a_shared_calendar_is_scheduled_for_its_owner_who_is_named_in_the_options()
    {
        await using AddinRig rig = await AddinRig.StartAsync(zoom: true);
        FakeFolder boss = rig.Outlook.AddSharedCalendar("Bea Boss", "bea.boss@example.com");
        FakeAppointmentItem item = rig.Outlook.AddAppointment(AppointmentSpec.Single("Board prep", AddinRig.Tomorrow9, 45), boss);
        rig.User.Options = prompt => new MeetingOptions { WaitingRoom = false, AlternativeHosts = ["deputy@example.com"] };

        await rig.ClickAsync(RibbonController.OptionsId, item);
        await rig.SaveAsUserAsync(item, _ => { });
        await rig.SettleAsync();

        Assert.AreEqual("Bea Boss", rig.User.LastPrompt?.ScheduleForName);
        Assert.AreSame(rig.Outlook.OpenInspector(item), rig.User.LastPrompt?.Owner, "the dialog belongs to the window it was asked from");
        EmulatedMeeting meeting = rig.Zoom!.Meetings.Single();
        Assert.AreEqual("bea.boss@example.com", meeting.ScheduleFor);
        StringAssert.Contains(meeting.SettingsJson, "deputy@example.com");
        Assert.AreEqual("bea.boss@example.com", rig.Outlook.Snapshot(item).NamedProperties[MeetingTags.ScheduleFor]);

        // The owner's calendar is followed from now on: moving the item there moves the meeting.
        await rig.SaveAsUserAsync(item, i =>
        {
            i.Start = AddinRig.Tomorrow9.AddHours(1);
            i.End = AddinRig.Tomorrow9.AddHours(2);
        });
        await rig.SettleAsync();
        Assert.AreEqual(new DateTimeOffset(rig.Outlook.Snapshot(item).StartUtc, TimeSpan.Zero), rig.Zoom.Meetings.Single().StartTime);
        Assert.IsNull(await rig.ShutDownAndAuditAsync());
    }

    [TestMethod]
    public async Task With_no_agent_the_user_gets_a_sentence_and_the_item_is_left_as_it_was()
    {
        await using AddinRig rig = await AddinRig.StartAsync(withAgent: false, client: o => o.ConnectTimeout = TimeSpan.FromMilliseconds(300));
        FakeAppointmentItem item = rig.Outlook.AddAppointment(AppointmentSpec.Single("Lunch", AddinRig.Tomorrow9, 60, location: "Canteen") with { Body = "Bring cake" });

        await rig.AddMeetingAsync(item);

        string error = rig.User.Errors.Single();
        StringAssert.Contains(error, "agent");
        Assert.DoesNotContain("Exception", error);
        Assert.DoesNotContain("   at ", error);
        AppointmentSnapshot saved = rig.Outlook.Snapshot(item);
        Assert.AreEqual("Canteen", saved.Location);
        Assert.AreEqual("Bring cake", saved.Body);
        Assert.IsFalse(saved.NamedProperties.ContainsKey(MeetingTags.RequestId));
        Assert.IsNull(await rig.ShutDownAndAuditAsync());
    }

    [TestMethod]
    public async Task A_slow_agent_never_blocks_Outlooks_thread_and_the_buttons_wait_for_it()
    {
        await using AddinRig rig = await AddinRig.StartAsync(zoom: true);
        FakeAppointmentItem item = await rig.AddWhileZoomIsSlowAsync("Slow day", TimeSpan.FromSeconds(2), FaultTiming.BeforeHandling);
        await AddinRig.WaitUntilAsync(() => rig.Addin.Sync.InFlight > 0, "the request to leave");
        var slowest = TimeSpan.Zero;
        for (int i = 0; i < 10 && rig.Addin.Sync.InFlight > 0; i++)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            await rig.Outlook.Thread.InvokeAsync(() => { });
            slowest = clock.Elapsed > slowest ? clock.Elapsed : slowest;
            await Task.Delay(50);
        }

        // Half the agent's delay: a thread waiting for the agent would have taken all of it.
        Assert.IsLessThan(TimeSpan.FromSeconds(1), slowest, "Outlook's thread kept answering while the agent was slow");
        Assert.IsGreaterThan(0, rig.Addin.Sync.InFlight, "still waiting for Zoom");
        Assert.IsFalse(await rig.IsEnabledAsync(RibbonController.AddId, item), "no second click while the first is out");
        int invalidated = 0;
        await rig.Outlook.Thread.InvokeAsync(() => rig.Addin.InvalidateRibbon = () => invalidated++);
        await rig.SettleAsync();
        Assert.AreEqual(1, invalidated, "the ribbon is told to ask again once the answer is in");
        Assert.IsTrue(await rig.IsEnabledAsync(RibbonController.RemoveId, item));
        await rig.SaveAsUserAsync(item, _ => { });
        StringAssert.Contains(rig.Outlook.Snapshot(item).Location, "zoom");
        Assert.IsNull(await rig.ShutDownAndAuditAsync());
    }

    [TestMethod]
    public async Task An_agent_restarted_mid_request_makes_no_second_meeting()
    {
        await using AddinRig rig = await AddinRig.StartAsync(zoom: true);
        FakeAppointmentItem item = await rig.AddWhileZoomIsSlowAsync("Crash course", TimeSpan.FromSeconds(1.5), FaultTiming.AfterHandling);
        await AddinRig.WaitUntilAsync(() => rig.Zoom!.Meetings.Any(m => m.Topic == "Crash course"), "Zoom to make the meeting");
        await rig.StopAgentAsync();
        await rig.StartAgentAsync();
        await rig.SettleAsync();
        await rig.SaveAsUserAsync(item, _ => { });
        await rig.SettleAsync();

        Assert.HasCount(1, rig.Zoom!.Meetings.Where(m => m.Topic == "Crash course"));
        AppointmentSnapshot saved = rig.Outlook.Snapshot(item);
        Assert.AreEqual(rig.Zoom.Meetings.Single(m => m.Topic == "Crash course").JoinUrl.AbsoluteUri, saved.Location);
        Assert.IsEmpty(rig.User.Errors);
        Assert.IsNull(await rig.ShutDownAndAuditAsync());
    }

    [TestMethod]
    public async Task An_appointment_moved_while_its_request_is_in_flight_ends_up_with_the_new_time()
    {
        await using AddinRig rig = await AddinRig.StartAsync(zoom: true);
        FakeAppointmentItem item = await rig.AddWhileZoomIsSlowAsync("Moving target", TimeSpan.FromSeconds(1), FaultTiming.BeforeHandling);
        await AddinRig.WaitUntilAsync(() => rig.Addin.Sync.InFlight > 0, "the request to leave");
        await rig.SaveAsUserAsync(item, i =>
        {
            i.Start = AddinRig.Tomorrow9.AddHours(4);
            i.End = AddinRig.Tomorrow9.AddHours(5);
        });
        await rig.SettleAsync();
        Assert.AreEqual(new DateTimeOffset(rig.Outlook.Snapshot(item).StartUtc, TimeSpan.Zero), rig.Zoom!.Meetings.Single(m => m.Topic == "Moving target").StartTime, "the meeting was moved as soon as its answer came");
        await rig.SaveAsUserAsync(item, _ => { });
        await rig.SettleAsync();

        EmulatedMeeting meeting = rig.Zoom!.Meetings.Single(m => m.Topic == "Moving target");
        Assert.AreEqual(new DateTimeOffset(rig.Outlook.Snapshot(item).StartUtc, TimeSpan.Zero), meeting.StartTime);
        Assert.AreEqual(60, meeting.Duration);
        Assert.IsNull(await rig.ShutDownAndAuditAsync());
    }

    [TestMethod]
    public async Task A_series_turned_back_into_one_appointment_becomes_a_single_meeting()
    {
        await using AddinRig rig = await AddinRig.StartAsync(zoom: true);
        FakeAppointmentItem series = rig.Outlook.AddAppointment(AppointmentSpec.Weekly("Book club", AddinRig.Tomorrow9, 60, occurrences: 5));
        await rig.AddMeetingAsync(series);
        Assert.AreEqual(8, rig.Zoom!.Meetings.Single().Type);

        await rig.SaveAsUserAsync(series, i => i.ClearRecurrencePattern());
        await rig.SettleAsync();

        EmulatedMeeting single = rig.Zoom.Meetings.Single();
        Assert.AreEqual(2, single.Type);
        Assert.AreEqual(new DateTimeOffset(rig.Outlook.Snapshot(series).StartUtc, TimeSpan.Zero), single.StartTime);
        Assert.IsNull(await rig.ShutDownAndAuditAsync());
    }

    [TestMethod]
    public async Task New_video_meeting_on_the_calendar_opens_an_appointment_at_the_selected_time_with_the_meeting_in_it()
    {
        await using AddinRig rig = await AddinRig.StartAsync();
        rig.Outlook.SetExplorerOpen(true);
        DateTime start = AddinRig.Tomorrow9.AddHours(5);
        rig.Outlook.SetSelectedTimes(start, start.AddMinutes(45));
        FakeExplorer explorer = rig.Outlook.AsUser(app => (FakeExplorer)app.ActiveExplorer()!);

        await rig.Outlook.Thread.InvokeAsync(() => rig.Addin.Ribbon.OnAction(RibbonController.ScheduleNowId, rig.Outlook.HandOut(explorer)));
        await rig.SettleAsync();
        FakeAppointmentItem created = rig.Outlook.AsUser(app => (FakeAppointmentItem)((FakeInspector)app.ActiveInspector()!).CurrentItem);
        await rig.SaveAsUserAsync(created, _ => { });
        await rig.SettleAsync();

        AppointmentSnapshot saved = rig.Outlook.Snapshot(created);
        Assert.AreEqual(start, saved.Start);
        Assert.AreEqual(start.AddMinutes(45), saved.End);
        StringAssert.StartsWith(saved.Location, "https://meet.jit.si/");
        StringAssert.Contains(saved.Body, InvitationBlock.BeginMarker);
        Assert.AreEqual(saved.EntryId, saved.NamedProperties[MeetingTags.Owner], "the first save gave the item its id, and it owns the meeting");

        // From then on it is an ordinary tagged appointment: its meeting can be removed.
        await rig.ClickAsync(RibbonController.RemoveId, created);
        await rig.SaveAsUserAsync(created, _ => { });
        await rig.SettleAsync();
        Assert.DoesNotContain(InvitationBlock.BeginMarker, rig.Outlook.Snapshot(created).Body);
        Assert.IsNull(await rig.ShutDownAndAuditAsync());
    }

    [TestMethod]
    public async Task New_video_meeting_with_nothing_selected_and_another_window_open_fills_its_own_new_appointment_at_the_next_half_hour()
    {
        // Issue 13, point 5: the calendar view answers 1/1/4501 for "nothing selected" (FACTS §10), which became the
        // appointment's start; and the window ActiveInspector named after Display could be another one (the fake opens a
        // new window behind an open one), whose item then got the meeting's block in its body.
        await using AddinRig rig = await AddinRig.StartAsync();
        FakeAppointmentItem other = rig.Outlook.AddAppointment(AppointmentSpec.Single("Lunch", AddinRig.Tomorrow9.AddHours(3), 60) with { Body = "Bring the slides" });
        rig.Outlook.OpenInspector(other);
        rig.Outlook.SetExplorerOpen(true);
        var none = new DateTime(4501, 1, 1);
        rig.Outlook.SetSelectedTimes(none, none);
        FakeExplorer explorer = rig.Outlook.AsUser(app => (FakeExplorer)app.ActiveExplorer()!);
        DateTime clicked = DateTime.Now;

        await rig.Outlook.Thread.InvokeAsync(() => rig.Addin.Ribbon.OnAction(RibbonController.ScheduleNowId, rig.Outlook.HandOut(explorer)));
        await rig.SettleAsync();
        FakeAppointmentItem created = rig.Outlook.AsUser(app =>
        {
            FakeInspectors windows = app.Inspectors;
            for (int i = 1; i <= windows.Count; i++)
            {
                if (windows.Item(i).CurrentItem is FakeAppointmentItem item && !ReferenceEquals(item, other))
                {
                    return item;
                }
            }

            throw new InvalidOperationException("No window holds a new appointment.");
        });
        await rig.SaveAsUserAsync(created, _ => { });
        await rig.SettleAsync();

        AppointmentSnapshot saved = rig.Outlook.Snapshot(created);
        Assert.IsGreaterThan(clicked, saved.Start, "in the future");
        Assert.IsLessThanOrEqualTo(clicked.AddMinutes(31), saved.Start, "within the next half hour");
        Assert.AreEqual(0, saved.Start.Minute % 30, "on the half hour");
        Assert.AreEqual(saved.Start.AddMinutes(30), saved.End);
        StringAssert.Contains(saved.Body, InvitationBlock.BeginMarker, "the meeting is in the new appointment");
        AppointmentSnapshot untouched = rig.Outlook.Snapshot(other);
        Assert.AreEqual("Bring the slides", untouched.Body.TrimEnd(), "the other window's appointment is left alone");
        Assert.IsFalse(untouched.NamedProperties.ContainsKey(MeetingTags.RequestId));
        Assert.IsNull(await rig.ShutDownAndAuditAsync());
    }

    [TestMethod]
    public async Task New_video_meeting_while_viewing_the_boss_calendar_makes_the_appointment_there_scheduled_for_the_boss()
    {
        // Issue 13, point 5: the appointment was always made in the user's own calendar, whatever calendar was shown.
        await using AddinRig rig = await AddinRig.StartAsync(zoom: true);
        FakeFolder boss = rig.Outlook.AddSharedCalendar("Bea Boss", "bea.boss@example.com");
        rig.Outlook.SetExplorerOpen(true);
        DateTime start = AddinRig.Tomorrow9.AddHours(5);
        rig.Outlook.SetSelectedTimes(start, start.AddMinutes(45));
        FakeExplorer explorer = rig.Outlook.AsUser(app => (FakeExplorer)app.ActiveExplorer()!);
        await rig.Outlook.AsUserAsync(_ => explorer.CurrentFolder = boss);

        await rig.Outlook.Thread.InvokeAsync(() => rig.Addin.Ribbon.OnAction(RibbonController.ScheduleNowId, rig.Outlook.HandOut(explorer)));
        await rig.SettleAsync();
        FakeAppointmentItem created = rig.Outlook.AsUser(app => (FakeAppointmentItem)((FakeInspector)app.ActiveInspector()!).CurrentItem);
        await rig.SaveAsUserAsync(created, _ => { });
        await rig.SettleAsync();

        Assert.Contains(created, rig.Outlook.StoredItems(boss), "in the boss's calendar");
        Assert.IsEmpty(rig.Outlook.StoredItems(), "nothing in the user's own");
        Assert.AreEqual("bea.boss@example.com", rig.Zoom!.Meetings.Single().ScheduleFor);
        Assert.AreEqual(start, rig.Outlook.Snapshot(created).Start);
        Assert.IsNull(await rig.ShutDownAndAuditAsync());
    }

    [TestMethod]
    public async Task An_appointment_in_a_mailbox_automapped_through_Full_Access_is_scheduled_for_its_owner()
    {
        // Issue 13, point 6: such a mailbox is an ordinary store of the profile (FACTS §10), so "the folder has no Store"
        // took it for the user's own, and the assistant became the meeting's host.
        FakeFolder? boss = null;
        await using AddinRig rig = await AddinRig.StartAsync(zoom: true, populate: outlook => boss = outlook.AddAutomappedMailbox("Bea Boss", "bea.boss@example.com"));
        FakeAppointmentItem item = rig.Outlook.AddAppointment(AppointmentSpec.Single("Board prep", AddinRig.Tomorrow9, 45), boss);

        await rig.AddMeetingAsync(item);

        Assert.AreEqual("bea.boss@example.com", rig.Zoom!.Meetings.Single().ScheduleFor);
        Assert.AreEqual("bea.boss@example.com", rig.Outlook.Snapshot(item).NamedProperties[MeetingTags.ScheduleFor]);
        Assert.IsNull(await rig.ShutDownAndAuditAsync());
    }

    [TestMethod]
    public async Task An_appointment_in_the_users_own_second_mailbox_store_is_scheduled_for_the_user()
    {
        // The owner decides, not the kind of store: a mailbox of the user's own that is not the primary one (an archive)
        // is the user's.
        FakeFolder? archive = null;
        await using AddinRig rig = await AddinRig.StartAsync(zoom: true, populate: outlook => archive = outlook.AddAutomappedMailbox(outlook.Options.CurrentUserName, outlook.Options.CurrentUserAddress));
        FakeAppointmentItem item = rig.Outlook.AddAppointment(AppointmentSpec.Single("Planning", AddinRig.Tomorrow9, 45), archive);

        await rig.AddMeetingAsync(item);

        Assert.IsNull(rig.Zoom!.Meetings.Single().ScheduleFor);
        Assert.IsNull(await rig.ShutDownAndAuditAsync());
    }

    [TestMethod]
    public async Task A_meeting_written_into_a_closed_appointment_made_in_Outlook_on_the_web_shows_in_its_HTML_with_the_rest_untouched()
    {
        // Issue 13, point 1: such an item's RTF body is HTML encapsulated in RTF (MS-OXRTFEX); the block went in as plain
        // RTF paragraphs after </html>, which are no part of the HTML Outlook shows.
        await using AddinRig rig = await AddinRig.StartAsync(zoom: true);
        AppointmentSpec spec = AppointmentSpec.Single("Plan review", AddinRig.Tomorrow9, 30) with { HtmlBody = Rules.InvitationBlockTests.WebHtml };
        FakeAppointmentItem item = await rig.AddWhileZoomIsSlowAsync(spec, TimeSpan.FromSeconds(1), FaultTiming.BeforeHandling);
        await AddinRig.WaitUntilAsync(() => rig.Addin.Sync.InFlight > 0, "the request to leave");
        await rig.Outlook.AsUserAsync(_ => item.Close(0));
        await AddinRig.WaitUntilAsync(() => rig.Outlook.Snapshot(item).Location.Length > 0, "the meeting written into the closed item");
        await rig.SettleAsync();

        string shown = rig.Outlook.StoredHtml(item)!;
        int block = shown.IndexOf(InvitationBlock.BeginMarker, StringComparison.Ordinal);
        Assert.IsGreaterThan(0, block, "the block is in the HTML");
        Assert.IsLessThan(shown.LastIndexOf("</body>", StringComparison.Ordinal), block, "inside the body Outlook shows");
        Assert.Contains("<a href=\"" + rig.Zoom!.Meetings.Single().JoinUrl.AbsoluteUri.Replace("&", "&amp;", StringComparison.Ordinal) + "\">", shown);
        Assert.AreEqual(Rules.InvitationBlockTests.WebHtml, InvitationBlock.RemoveFromHtml(shown), "the rest of the HTML as it was");
        Assert.IsNull(await rig.ShutDownAndAuditAsync());
    }

    [TestMethod]
    [DataRow("teams", DisplayName = "a Teams invitation (hyperlink fields, hidden text)")]
    [DataRow("signature", DisplayName = "a signature table")]
    [DataRow("list", DisplayName = "a body ending in a bulleted list")]
    public async Task Add_then_remove_in_the_Word_editor_gives_back_the_body_character_for_character(string body)
    {
        // Issue 13, point 1: the block was found in Content.Text, which leaves out field codes and hidden text, and
        // deleted at those offsets as Word positions, which count them: Remove deleted part of the user's text. And
        // Content.InsertAfter gave the block the last paragraph's formatting: after a list, bullets.
        (string story, (int Start, int End, string Kind)[] spans) = WordStory(body);
        await using AddinRig rig = await AddinRig.StartAsync();
        FakeAppointmentItem item = rig.Outlook.AddAppointment(AppointmentSpec.Single("Sync", AddinRig.Tomorrow9, 30));
        FakeWordDocument document = rig.Outlook.OpenInspector(item)!.Document;
        await rig.Outlook.AsUserAsync(_ => document.SetStory(story, spans));

        await rig.AddMeetingAsync(item);

        string withBlock = document.CurrentText;
        int block = withBlock.IndexOf(InvitationBlock.BeginMarker, StringComparison.Ordinal);
        Assert.IsGreaterThanOrEqualTo(story.Length, block, "after the user's text");
        Assert.StartsWith(story, withBlock, "the user's text as it was");
        Assert.IsFalse(document.Spans.Any(x => x.Kind == "list" && x.End > block), "the block's paragraphs are not list items");

        await rig.ClickAsync(RibbonController.RemoveId, item);
        await rig.SaveAsUserAsync(item, _ => { });
        await rig.SettleAsync();

        Assert.AreEqual(story, document.CurrentText, "every character back, field codes included");
        CollectionAssert.AreEquivalent(spans.Select(x => x.ToString()).ToList(), document.Spans.Select(x => (x.Start, x.End, x.Kind).ToString()).ToList(), "and its formatting");
        Assert.IsNull(await rig.ShutDownAndAuditAsync());
    }

    private static (string Story, (int Start, int End, string Kind)[] Spans) WordStory(string body)
    {
        const string cell = "\r\u0007";
        switch (body)
        {
            case "teams":
            {
                string before = "Hi all, here is the link for Thursday.\r" + new string('_', 80) + "\rMicrosoft Teams meeting\r";
                string hidden = "Learn more about Teams\r";
                string story = before + "Join on your computer, mobile app or room device\r"
                    + FakeWordDocument.Hyperlink("https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0?context=%7b%22Tid%22%3a%22t%22%7d", "Click here to join the meeting")
                    + "\rMeeting ID: 123 456 789 012\rPasscode: AbC123\r" + hidden
                    + FakeWordDocument.Hyperlink("https://aka.ms/JoinTeamsMeeting", "Download Teams") + " | "
                    + FakeWordDocument.Hyperlink("https://www.microsoft.com/microsoft-teams/join-a-meeting", "Join on the web");
                int at = story.IndexOf(hidden, StringComparison.Ordinal);
                return (story, [(at, at + hidden.Length, "hidden")]);
            }

            case "signature":
            {
                string story = "See you there.\rAnn Example" + cell + FakeWordDocument.Hyperlink("https://contoso.com", "contoso.com") + cell + cell
                    + "Contoso Ltd, " + FakeWordDocument.Hyperlink("mailto:ann@contoso.com", "ann@contoso.com");
                return (story, [(26, 31, "bold")]);
            }

            default:
            {
                string story = "Agenda:\rBudget\rHiring";
                return (story, [(8, story.Length, "list")]);
            }
        }
    }

    [TestMethod]
    public async Task A_meeting_someone_else_organised_cannot_get_a_video_meeting_from_us()
    {
        await using AddinRig rig = await AddinRig.StartAsync();
        FakeAppointmentItem received = rig.Outlook.AddAppointment(AppointmentSpec.Single("Their all-hands", AddinRig.Tomorrow9, 60) with { MeetingStatus = 3, Organizer = "Someone Else", ResponseStatus = 3 });

        Assert.IsFalse(await rig.IsEnabledAsync(RibbonController.AddId, received));
        await rig.ClickAsync(RibbonController.AddId, received);

        StringAssert.Contains(rig.User.Errors.Single(), "organiser");
        Assert.IsFalse(rig.Outlook.Snapshot(received).NamedProperties.ContainsKey(MeetingTags.RequestId));
        Assert.IsNull(await rig.ShutDownAndAuditAsync());
    }

    [TestMethod]
    public async Task A_tag_damaged_by_another_tool_is_resynced_or_ignored_never_a_crash()
    {
        await using AddinRig rig = await AddinRig.StartAsync(zoom: true);
        FakeAppointmentItem item = rig.Outlook.AddAppointment(AppointmentSpec.Single("Tampered", AddinRig.Tomorrow9, 30));
        await rig.AddMeetingAsync(item);

        // Synced state that is not JSON: the next save sends everything the meeting holds again.
        await rig.SaveAsUserAsync(item, i =>
        {
            i.PropertyAccessor.SetProperty(MeetingTags.Synced, "{not json");
            i.Start = AddinRig.Tomorrow9.AddHours(1);
            i.End = AddinRig.Tomorrow9.AddHours(2);
        });
        await rig.SettleAsync();
        Assert.AreEqual(new DateTimeOffset(rig.Outlook.Snapshot(item).StartUtc, TimeSpan.Zero), rig.Zoom!.Meetings.Single().StartTime);

        // A request id of the wrong type: the item no longer counts as tagged, and nothing is sent for it.
        int requests = rig.Zoom.Requests.Count;
        await rig.SaveAsUserAsync(item, i =>
        {
            i.PropertyAccessor.SetProperty(MeetingTags.RequestId, 42);
            i.Start = AddinRig.Tomorrow9.AddHours(3);
        });
        await rig.SettleAsync();
        Assert.AreEqual(requests, rig.Zoom.Requests.Count);
        Assert.IsEmpty(rig.User.Errors);
        Assert.IsNull(await rig.ShutDownAndAuditAsync());
    }

    [TestMethod]
    public async Task Deleting_an_open_appointment_cancels_its_meeting_once()
    {
        await using AddinRig rig = await AddinRig.StartAsync(zoom: true);
        FakeAppointmentItem item = rig.Outlook.AddAppointment(AppointmentSpec.Single("Open and gone", AddinRig.Tomorrow9, 30));
        await rig.AddMeetingAsync(item);

        // Deleted from its open window: BeforeDelete on the item, then ItemAdd in Deleted Items.
        await rig.Outlook.AsUserAsync(_ => item.Delete());
        await rig.SettleAsync();

        Assert.IsEmpty(rig.Zoom!.Meetings);
        Assert.AreEqual(1, rig.Zoom.Requests.Count(r => r.Method == "DELETE"));
        Assert.IsNull(await rig.ShutDownAndAuditAsync());
    }

    [TestMethod]
    public async Task An_appointment_deleted_for_good_is_noticed_although_Outlook_does_not_say_which()
    {
        await using AddinRig rig = await AddinRig.StartAsync(zoom: true);
        FakeAppointmentItem keep = rig.Outlook.AddAppointment(AppointmentSpec.Single("Stays", AddinRig.Tomorrow9, 30));
        FakeAppointmentItem gone = rig.Outlook.AddAppointment(AppointmentSpec.Single("Goes", AddinRig.Tomorrow9.AddHours(1), 30));
        foreach (FakeAppointmentItem item in new[] { keep, gone })
        {
            await rig.AddMeetingAsync(item);
            await rig.Outlook.AsUserAsync(_ => item.Close(1));
        }

        await rig.SettleAsync();
        Assert.HasCount(2, rig.Zoom!.Meetings);

        await rig.Outlook.HardDeleteAsUserAsync(gone);
        await rig.SettleAsync();

        Assert.AreEqual("Stays", rig.Zoom.Meetings.Single().Topic);
        Assert.IsNull(await rig.ShutDownAndAuditAsync());
    }

    [TestMethod]
    public async Task Moving_an_appointment_to_another_calendar_keeps_its_meeting()
    {
        FakeFolder? boss = null;
        await using AddinRig rig = await AddinRig.StartAsync(
            zoom: true,
            addin: s => s.SharedCalendars.Add("bea.boss@example.com"),
            populate: outlook => boss = outlook.AddSharedCalendar("Bea Boss", "bea.boss@example.com"));
        FakeAppointmentItem item = rig.Outlook.AddAppointment(AppointmentSpec.Single("Travelling", AddinRig.Tomorrow9, 30));
        await rig.AddMeetingAsync(item);
        await rig.Outlook.AsUserAsync(_ => item.Close(1));
        await rig.SettleAsync();

        // Into another store: Outlook raises ItemRemove in the old calendar first, and the item gets a new EntryID.
        await rig.Outlook.AsUserAsync(_ => item.Move(boss!));
        await rig.SettleAsync();
        Assert.HasCount(1, rig.Zoom!.Meetings, "moving is not deleting");

        await rig.SaveAsUserAsync(item, i =>
        {
            i.Start = AddinRig.Tomorrow9.AddHours(2);
            i.End = AddinRig.Tomorrow9.AddHours(3);
        });
        await rig.SettleAsync();
        Assert.AreEqual(new DateTimeOffset(rig.Outlook.Snapshot(item).StartUtc, TimeSpan.Zero), rig.Zoom.Meetings.Single().StartTime, "the moved item owns the meeting");
        Assert.IsNull(await rig.ShutDownAndAuditAsync());
    }

    private static int Patches(ZoomEmulatorServer zoom) => zoom.Requests.Count(r => r.Method == "PATCH");
}
