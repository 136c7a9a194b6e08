using System;
using System.Linq;
using System.Threading.Tasks;
using FakeOutlook;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using OutlookPlugin.Tests.Support;
using ZoomEmulator;

namespace OutlookPlugin.Tests.Addin;

/// <summary>
/// Routine actions on an Exchange mailbox that once destroyed or orphaned video meetings (FACTS §10), each driven
/// through the add-in's real code against the fake Outlook's Exchange behaviour and the real agent with the Zoom
/// emulator. Every test ends with the add-in's audit: no leaked Outlook object, no call off Outlook's thread.
/// </summary>
[TestClass]
public sealed class ExchangeScenarioTests
{
    [TestMethod]
    public async Task A_change_saved_just_before_Outlook_closed_is_sent_at_the_next_start()
    {
        // A debounce long enough that Outlook is gone before the change would have been sent.
        await using AddinRig rig = await AddinRig.StartAsync(zoom: true, addin: s => s.Debounce = TimeSpan.FromSeconds(2));
        FakeAppointmentItem item = rig.Outlook.AddAppointment(AppointmentSpec.Single("Board meeting", AddinRig.Tomorrow9, 30));
        await rig.AddMeetingAsync(item);
        await rig.Outlook.AsUserAsync(_ => item.Close(1));
        await AddinRig.WaitUntilAsync(() => rig.Addin.Sync.InFlight == 0, "the add-in to finish adding");
        DateTimeOffset? before = rig.Zoom!.Meetings.Single().StartTime;

        await rig.SaveAsUserAsync(item, i =>
        {
            i.Start = AddinRig.Tomorrow9.AddHours(4);
            i.End = AddinRig.Tomorrow9.AddHours(5);
        });
        await rig.RestartOutlookAsync();
        Assert.AreEqual(before, rig.Zoom.Meetings.Single().StartTime, "the closing Outlook sent nothing");

        DateTimeOffset expected = new(rig.Outlook.Snapshot(item).StartUtc, TimeSpan.Zero);
        await AddinRig.WaitUntilAsync(() => rig.Zoom.Meetings.Single().StartTime == expected, "the change to reach Zoom after the restart");
        await rig.SettleAsync();
        Assert.AreEqual(60, rig.Zoom.Meetings.Single().Duration);
        Assert.IsNull(await rig.ShutDownAndAuditAsync());
    }
}
