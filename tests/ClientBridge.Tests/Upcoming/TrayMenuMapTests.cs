using System.Collections.Generic;
using ClientBridge.Protocol;
using ClientBridge.Upcoming;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace ClientBridge.Tests.Upcoming;

/// <summary>The numbering the Windows tray draws with: only what can be chosen gets an id, and an id leads back to its entry.</summary>
[TestClass]
public sealed class TrayMenuMapTests
{
    [TestMethod]
    public void Only_enabled_commands_get_ids_and_each_id_leads_back_to_its_entry_through_submenus()
    {
        var join = new MenuEntry { Kind = MenuEntryKind.Item, Label = "Join", Enabled = true, Command = "meeting.join", Argument = "https://meet.jit.si/x" };
        var status = new MenuEntry { Kind = MenuEntryKind.Item, Label = "Signed in", Enabled = false };
        var greyed = new MenuEntry { Kind = MenuEntryKind.Item, Label = "Schedule a meeting now", Enabled = false, Command = "schedule.now" };
        var tomorrowJoin = new MenuEntry { Kind = MenuEntryKind.Item, Label = "Join", Enabled = true, Command = "meeting.join", Argument = "https://zoom.us/j/1" };
        var tomorrow = new MenuEntry { Kind = MenuEntryKind.Item, Label = "Tomorrow", Enabled = true, Children = [tomorrowJoin] };
        var quit = new MenuEntry { Kind = MenuEntryKind.Item, Label = "Quit", Enabled = true, Command = "quit" };

        var map = new TrayMenuMap(new List<MenuEntry> { status, join, greyed, tomorrow, quit });

        Assert.AreEqual(3, map.Count);
        Assert.AreEqual(0, map.IdOf(status));
        Assert.AreEqual(0, map.IdOf(greyed));
        Assert.AreEqual(0, map.IdOf(tomorrow));
        Assert.AreSame(join, map.Find(map.IdOf(join)));
        Assert.AreSame(tomorrowJoin, map.Find(map.IdOf(tomorrowJoin)));
        Assert.AreSame(quit, map.Find(map.IdOf(quit)));
        Assert.IsNull(map.Find(0), "nothing chosen");
        Assert.IsNull(map.Find(99));
    }

    [TestMethod]
    [DataRow("Design review & demo", "Design review && demo")]
    [DataRow("Tab\there", "Tab here")]
    [DataRow("plain", "plain")]
    public void Labels_keep_their_ampersands_visible(string label, string native) =>
        Assert.AreEqual(native, TrayMenuMap.NativeLabel(label));
}
