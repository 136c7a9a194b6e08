using System;
using System.Diagnostics;
using System.Text;
using ClientBridge.Protocol.Links;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace ClientBridge.Protocol.Tests.Links;

[TestClass]
public sealed class MeetingLinksRankingTests
{
    private static readonly TimeSpan PathologicalInputCeiling = TimeSpan.FromSeconds(30);

    [TestMethod]
    [DataRow("https://zoom.us/j/85012345678?pwd=abc.1", "Zoom")]
    [DataRow("https://us02web.zoom.us/j/85012345678", "Zoom")]
    [DataRow("https://company.zoom.us/my/jane.doe", "Zoom")]
    [DataRow("https://agency.zoomgov.com/j/1601234567", "Zoom")]
    [DataRow("zoommtg://zoom.us/join?action=join&confno=85012345678", "Zoom")]
    [DataRow("https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0?context=%7b%22Tid%22%3a%22x%22%7d", "Teams")]
    [DataRow("https://teams.live.com/meet/9876543210", "Teams")]
    [DataRow("https://meet.google.com/abc-defg-hij", "Google Meet")]
    [DataRow("https://meet.google.com/abc-defg-hij?authuser=1", "Google Meet")]
    [DataRow("https://contoso.webex.com/contoso/j.php?MTID=m0123456789abcdef", "Webex")]
    [DataRow("https://contoso.webex.com/meet/jane.doe", "Webex")]
    [DataRow("https://meet.jit.si/WeeklyPlanning", "Jitsi")]
    [DataRow("https://meet.ffmuc.net/TeamRoom42", "Jitsi")]
    [DataRow("https://jitsi.example.org/standup", "Jitsi")]
    [DataRow("https://meet.goto.com/123456789", "GoTo Meeting")]
    [DataRow("https://global.gotomeeting.com/join/123456789", "GoTo Meeting")]
    [DataRow("https://bluejeans.com/123456789", "BlueJeans")]
    [DataRow("https://chime.aws/1234567890", "Chime")]
    [DataRow("https://whereby.com/team-room", "Whereby")]
    [DataRow("https://meet.lync.com/contoso/jane/ABC123", "Skype for Business")]
    [DataRow("https://webconf.contoso.lync.com/meet/jane/ABC123", "Skype for Business")]
    [DataRow("https://join.skype.com/AbCdEfGh", "Skype")]
    [DataRow("https://call.lifesizecloud.com/1234567", "Lifesize")]
    [DataRow("https://bbb.example.edu/b/abc-def-ghi", "BigBlueButton")]
    [DataRow("https://demo.bigbluebutton.org/rooms/abc-xyz-123/join", "BigBlueButton")]
    [DataRow("https://app.slack.com/huddle/T0123ABCD/C0123ABCD", "Slack huddle")]
    [DataRow("https://discord.gg/abcdef", "Discord")]
    [DataRow("https://discord.com/channels/1234/5678", "Discord")]
    public void Recognises_each_service(string url, string service)
    {
        MeetingLink? link = MeetingLinks.FindBest(null, "Join here: " + url + " .");
        Assert.IsNotNull(link);
        Assert.AreEqual(service, link.Service);
        Assert.AreEqual(url, link.Url);
    }

    [TestMethod]
    [DataRow("https://zoom.us/pricing")]
    [DataRow("https://meet.google.com/landing")]
    [DataRow("https://www.example.com/meeting")]
    [DataRow("https://teams.microsoft.com/")]
    [DataRow("mailto:someone@example.com")]
    [DataRow("https://meet.example.com/a/b/c")]
    public void Ignores_links_that_are_not_join_links(string url)
    {
        Assert.IsNull(MeetingLinks.FindBest(url, url));
    }

    [TestMethod]
    public void Unwraps_safelinks()
    {
        string wrapped = "https://eur01.safelinks.protection.outlook.com/?url=https%3A%2F%2Fteams.microsoft.com%2Fl%2Fmeetup-join%2F19%253ameeting_x%2540thread.v2%2F0&data=05%7C01&sdata=abc&reserved=0";
        MeetingLink? link = MeetingLinks.FindBest(null, "<a href=\"" + wrapped.Replace("&", "&amp;") + "\">Join</a>");
        Assert.IsNotNull(link);
        Assert.AreEqual("Teams", link.Service);
        Assert.AreEqual("https://teams.microsoft.com/l/meetup-join/19%3ameeting_x%40thread.v2/0", link.Url);
    }

    [TestMethod]
    public void Unwraps_google_and_proofpoint_redirects()
    {
        Assert.AreEqual("https://zoom.us/j/123456789", MeetingLinks.FindBest("https://www.google.com/url?q=https://zoom.us/j/123456789&sa=D&ust=1", null)?.Url);
        Assert.AreEqual("https://zoom.us/j/123456789", MeetingLinks.FindBest("https://urldefense.proofpoint.com/v2/url?u=https-3A__zoom.us_j_123456789&d=DwMF", null)?.Url);
        Assert.AreEqual("https://zoom.us/j/123456789", MeetingLinks.FindBest("https://urldefense.com/v3/__https://zoom.us/j/123456789__;!!abc$", null)?.Url);
    }

    [TestMethod]
    [DataRow("(https://zoom.us/j/123456789)")]
    [DataRow("<https://zoom.us/j/123456789>")]
    [DataRow("\"https://zoom.us/j/123456789\"")]
    [DataRow("'https://zoom.us/j/123456789'.")]
    [DataRow("see https://zoom.us/j/123456789, then")]
    [DataRow("[https://zoom.us/j/123456789]")]
    public void Trims_surrounding_punctuation(string text)
    {
        Assert.AreEqual("https://zoom.us/j/123456789", MeetingLinks.FindBest(text, null)?.Url);
    }

    [TestMethod]
    public void Location_wins_over_body()
    {
        MeetingLink? link = MeetingLinks.FindBest("Room 4 / https://meet.jit.si/RoomInLocation", "https://zoom.us/j/123456789");
        Assert.AreEqual("https://meet.jit.si/RoomInLocation", link?.Url);
    }

    [TestMethod]
    public void A_meetings_own_link_wins_over_a_room_then_the_first_wins()
    {
        string body = "Personal room https://whereby.com/lobby, or guess https://meet.example.org/SomeRoom, "
            + "then https://zoom.us/j/111111111 and https://meet.google.com/abc-defg-hij";
        Assert.AreEqual("https://zoom.us/j/111111111", MeetingLinks.FindBest(null, body)?.Url);
        Assert.AreEqual("https://whereby.com/lobby", MeetingLinks.FindBest(null, "https://meet.example.org/SomeRoom https://whereby.com/lobby")?.Url);
    }

    [TestMethod]
    public void FindAll_lists_each_link_once_in_order()
    {
        string html = "<a href=\"https://zoom.us/j/123456789?pwd=x&amp;uname=y\">https://zoom.us/j/123456789?pwd=x&amp;uname=y</a> "
            + "https://example.com/x https://meet.google.com/abc-defg-hij";
        var all = MeetingLinks.FindAll(html);
        Assert.HasCount(2, all);
        Assert.AreEqual("https://zoom.us/j/123456789?pwd=x&uname=y", all[0].Url);
        Assert.AreEqual("Google Meet", all[1].Service);
    }

    [TestMethod]
    public void Identify_classifies_a_single_link()
    {
        Assert.AreEqual("Zoom", MeetingLinks.Identify(" https://zoom.us/j/1 ")?.Service);
        Assert.IsNull(MeetingLinks.Identify("https://example.com"));
        Assert.IsNull(MeetingLinks.Identify(null));
    }

    [TestMethod]
    public void Empty_and_odd_inputs_find_nothing()
    {
        Assert.IsNull(MeetingLinks.FindBest(null, null));
        Assert.IsEmpty(MeetingLinks.FindAll(string.Empty));
        Assert.IsEmpty(MeetingLinks.FindAll("://"));
        Assert.IsEmpty(MeetingLinks.FindAll("https://"));
        Assert.IsEmpty(MeetingLinks.FindAll("https://%%%"));
    }

    [TestMethod]
    public void A_megabyte_body_is_scanned_quickly()
    {
        var sb = new StringBuilder();
        var random = new Random(7);
        while (sb.Length < 1_000_000)
        {
            switch (random.Next(6))
            {
                case 0: sb.Append("<a href=\"https://www.example.com/").Append(new string('a', random.Next(1, 300))).Append("\">x</a> "); break;
                case 1: sb.Append("https://meet.").Append(new string('x', random.Next(1, 500))).Append('/'); break;
                case 2: sb.Append(":/:/://").Append(new string('/', random.Next(1, 50))); break;
                case 3: sb.Append("https://webex.com/").Append(new string('/', random.Next(1, 2000))).Append(' '); break;
                default: sb.Append("Lorem ipsum dolor sit amet, consectetur adipiscing elit. "); break;
            }
        }

        sb.Append(" https://zoom.us/j/999999999 ");
        sb.Append("https://").Append(new string('a', 300_000));
        var watch = Stopwatch.StartNew();
        MeetingLink? link = MeetingLinks.FindBest(null, sb.ToString());
        watch.Stop();
        Assert.AreEqual("https://zoom.us/j/999999999", link?.Url);
        // A ceiling for catastrophic (super-linear) behaviour, which takes minutes on this input, not a speed goal: a
        // loaded machine can take seconds here, and speed is measured by tests/Benchmarks.
        Assert.IsLessThan(PathologicalInputCeiling, watch.Elapsed, "took " + watch.ElapsedMilliseconds + " ms");
    }
}
