using System;
using System.Diagnostics;
using System.Linq;
using System.Text;
using ClientBridge.Protocol.Links;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace ClientBridge.Protocol.Tests.Links;

/// <summary>The rule table service by service, the wrappers taken off, and the details read from text.</summary>
[TestClass]
public sealed class MeetingLinksServiceTests
{
    private static readonly TimeSpan PathologicalInputCeiling = TimeSpan.FromSeconds(30);

    [TestMethod]
    public void The_table_knows_at_least_as_many_services_as_MeetingBar()
    {
        Assert.IsGreaterThanOrEqualTo(69, MeetingLinks.Services.Count, string.Join(", ", MeetingLinks.Services));
        Assert.HasCount(MeetingLinks.Services.Count, MeetingLinks.Services.Distinct());
    }

    [TestMethod]
    [DataRow("https://us06web.zoom.us/j/85746352413?pwd=abc", "Zoom", "85746352413")]
    [DataRow("https://zoom.us/w/91234567890?tk=x", "Zoom", "91234567890")]
    [DataRow("https://app.zoom.us/wc/join/91234567890", "Zoom", "91234567890")]
    [DataRow("https://www.zoomgov.com/j/1609283746", "Zoom", "1609283746")]
    [DataRow("https://zoom.com.cn/j/91234567890", "Zoom", "91234567890")]
    [DataRow("zoommtg://zoom.us/join?action=join&confno=85746352413&pwd=x", "Zoom", "85746352413")]
    [DataRow("https://acme.zoom.us/webinar/register/WN_abcDEF123", "Zoom", null)]
    [DataRow("https://reclaim.ai/z/abc/def", "Reclaim.ai", null)]
    [DataRow("https://jane.zm.page", "zm.page", null)]
    [DataRow("https://gov.teams.microsoft.us/l/meetup-join/19%3ameeting_x%40thread.v2/0", "Teams", null)]
    [DataRow("https://teams.microsoft.com/meet/2917730451882?p=abc", "Teams", "2917730451882")]
    [DataRow("https://teams.live.com/meet/9398765432109", "Teams", "9398765432109")]
    [DataRow("https://meet.google.com/abc-defg-hij", "Google Meet", "abc-defg-hij")]
    [DataRow("https://meet.google.com/_meet/abc-defg-hij?authuser=0", "Google Meet", "abc-defg-hij")]
    [DataRow("https://stream.meet.google.com/stream/a1b2c3d4-e5f6", "Google Meet stream", null)]
    [DataRow("https://hangouts.google.com/call/AbCdEf", "Google Hangouts", null)]
    [DataRow("https://duo.app.goo.gl/AbC123", "Google Duo", null)]
    [DataRow("https://acme.webex.com/acme/j.php?MTID=m123", "Webex", null)]
    [DataRow("https://acme.webex.com/webappng/sites/acme/meeting/info/abc", "Webex", null)]
    [DataRow("https://acme.webex.com/acme/e.php?MTID=m123", "Webex", null)]
    [DataRow("https://meet.goto.com/518274963", "GoTo Meeting", "518274963")]
    [DataRow("https://gotomeet.me/JaneDoe", "GoTo Meeting", null)]
    [DataRow("https://attendee.gotowebinar.com/register/1234567890123456789", "GoTo Webinar", null)]
    [DataRow("https://v.ringcentral.com/join/123456789", "RingCentral", "123456789")]
    [DataRow("https://meetings.ringcentral.com/j/1234567890", "RingCentral", "1234567890")]
    [DataRow("https://app.chime.aws/meetings/?pin=4829175360", "Chime", "4829175360")]
    [DataRow("https://bluejeans.com/384920175/6153", "BlueJeans", "384920175")]
    [DataRow("https://call.lifesizecloud.com/1234567", "Lifesize", "1234567")]
    [DataRow("https://welink.zhumu.com/j/123456789?pwd=abc", "Zhumu", "123456789")]
    [DataRow("https://vc.larksuite.com/j/123456789", "Lark", "123456789")]
    [DataRow("https://vc.feishu.cn/j/123456789", "Feishu", "123456789")]
    [DataRow("https://voovmeeting.com/dm/AbCdEf", "Tencent VooV", null)]
    [DataRow("https://meetings.vonage.com/123456789", "Vonage Meetings", "123456789")]
    [DataRow("https://pop.com/j/123-456-789", "Pop", "123456789")]
    [DataRow("https://meeting.zoho.com/join?key=123456789", "Zoho Meeting", "123456789")]
    [DataRow("https://cliq.zoho.eu/meetings/abc123", "Zoho Cliq", null)]
    [DataRow("https://meetings.dialpad.com/room/acme-sales", "Dialpad Meetings", null)]
    [DataRow("https://meet.starleaf.com/4012345678", "StarLeaf", null)]
    [DataRow("https://uberconference.com/janedoe", "UberConference", null)]
    [DataRow("https://acme.adobeconnect.com/weekly/", "Adobe Connect", null)]
    [DataRow("https://join.me/janedoe", "Join.me", null)]
    [DataRow("https://8x8.vc/acme/standup", "8x8", null)]
    [DataRow("https://facetime.apple.com/join#v=1&p=AbCd&k=EfGh", "FaceTime", null)]
    [DataRow("https://acme.workplace.com/groupcall/LINK:abc123", "Workplace", null)]
    [DataRow("https://around.co/r/acme", "Around", null)]
    [DataRow("https://jam.systems/acme-room", "Jam", null)]
    [DataRow("https://us.bbcollab.com/guest/abc123", "Blackboard Collaborate", null)]
    [DataRow("https://join.coscreen.co/acme/xyz", "CoScreen", null)]
    [DataRow("https://acme.vowel.com/#/g/abc123", "Vowel", null)]
    [DataRow("https://vimeo.com/event/1234567", "Vimeo", null)]
    [DataRow("https://acme.ovice.in/lobby", "oVice", null)]
    [DataRow("https://lu.ma/join/g-abc123", "Luma", null)]
    [DataRow("https://go.userzoom.com/participate/abc-123", "UserZoom", null)]
    [DataRow("https://app.venue.live/app/acme/room", "Venue", null)]
    [DataRow("https://app.teemyco.com/room/acme", "Teemyco", null)]
    [DataRow("https://app.gather.town/app/AbC123/acme?spawnToken=xyz", "Gather", null)]
    [DataRow("https://go.chorus.ai/abc", "Chorus", null)]
    [DataRow("https://acme.join.gong.io/jane/abc", "Gong", null)]
    [DataRow("https://app.livestorm.com/p/abc-123/live?s=def", "Livestorm", null)]
    [DataRow("https://tuple.app/c/abc123", "Tuple", null)]
    [DataRow("https://meet.pumble.com/abc-defg-hij", "Pumble", null)]
    [DataRow("https://acme.conference.istesuit.com/room1", "Suit Conference", null)]
    [DataRow("https://doxy.me/drjane", "Doxy.me", null)]
    [DataRow("https://app.cal.com/video/abc123", "Cal Video", null)]
    [DataRow("https://meet.livekit.io/rooms/abc-123", "LiveKit Meet", null)]
    [DataRow("https://meetings.conf.meetecho.com/ietf121/?session=1", "Meetecho", null)]
    [DataRow("https://streamyard.com/abcd1234ef", "StreamYard", null)]
    [DataRow("https://riverside.fm/studio/acme-podcast", "Riverside", null)]
    [DataRow("https://call.element.io/room/#/acme", "Element Call", null)]
    [DataRow("https://signal.link/call/#key=abcd-efgh", "Signal", null)]
    [DataRow("https://call.whatsapp.com/video/AbCdEf123", "WhatsApp", null)]
    [DataRow("https://acme.daily.co/standup", "Daily", null)]
    [DataRow("https://go.teamviewer.com/abc", "TeamViewer Meeting", null)]
    [DataRow("https://go.blizz.com/abc", "Blizz", null)]
    [DataRow("https://vsee.com/u/drjane", "VSee", null)]
    [DataRow("https://event.demio.com/ref/abc", "Demio", null)]
    [DataRow("https://preply.com/en/classroom/abc", "Preply", null)]
    [DataRow("https://demodesk.com/join/abc", "Demodesk", null)]
    [DataRow("https://www.youtube.com/live/AbCdEf", "YouTube", null)]
    [DataRow("discord://discord.com/channels/1234/5678", "Discord", null)]
    [DataRow("https://meet.contoso.com/jane.doe/meet/abc/Q1W2E3R4", "Skype for Business", null)]
    [DataRow("https://video.contoso.com/webapp/conference/meet.jane", "Pexip", null)]
    [DataRow("https://cloud.example.org/call/ab12cd34ef", "Nextcloud Talk", null)]
    public void Recognises_each_service_and_the_id_its_link_carries(string url, string service, string? id)
    {
        var all = MeetingLinks.Extract(null, "Join: " + url + " please");
        MeetingDetails? found = all.Count > 0 ? all[0] : null;
        Assert.IsNotNull(found, url);
        Assert.AreEqual(service, found.Service);
        Assert.AreEqual(url, found.Url);
        Assert.AreEqual(id, found.MeetingId);
        Assert.AreEqual(service, MeetingLinks.Identify(url)?.Service);
    }

    [TestMethod]
    [DataRow("https://zoom.us/pricing")]
    [DataRow("https://zoom.us/u/abZk29Qf")]
    [DataRow("https://support.zoom.us/hc/en-us/articles/201362193")]
    [DataRow("https://teams.microsoft.com/downloads")]
    [DataRow("https://teams.microsoft.com/l/channel/19%3aabc%40thread.tacv2/General")]
    [DataRow("https://dialin.teams.microsoft.com/8551f4c1?id=512349876")]
    [DataRow("https://meet.google.com/new")]
    [DataRow("https://tel.meet/xkd-pqrw-mzt?pin=4931182270142")]
    [DataRow("https://meet.goto.com/install")]
    [DataRow("https://www.bluejeans.com/numbers")]
    [DataRow("https://www.webex.com/pricing/index.html")]
    [DataRow("https://www.youtube.com/")]
    public void Marketing_help_and_dial_in_pages_are_not_join_links(string url)
    {
        Assert.IsEmpty(MeetingLinks.Extract(url, "See " + url));
    }

    [TestMethod]
    [DataRow("https://linkprotect.cudasvc.com/url?a=https%3a%2f%2fzoom.us%2fj%2f91234567890&c=E,1,abc&typo=1")]
    [DataRow("https://imsva91-ctp.trendmicro.com:443/wis/clicktime/v1/query?url=https%3a%2f%2fzoom.us%2fj%2f91234567890&umid=abc")]
    [DataRow("https://slack-redir.net/link?url=https%3A%2F%2Fzoom.us%2Fj%2F91234567890")]
    [DataRow("https://statics.teams.cdn.office.net/evergreen-assets/safelinks/1/atp-safelinks.html?url=https%3A%2F%2Fzoom.us%2Fj%2F91234567890&locale=en-us")]
    [DataRow("https://eur02.safelinks.protection.outlook.com/?url=https%3A%2F%2Fzoom.us%2Fj%2F91234567890&data=05%7C02&reserved=0")]
    public void Redirect_wrappers_are_taken_off(string wrapped)
    {
        var all = MeetingLinks.Extract(null, wrapped);
        MeetingDetails? found = all.Count > 0 ? all[0] : null;
        Assert.AreEqual("https://zoom.us/j/91234567890", found?.Url);
        Assert.AreEqual("91234567890", found?.MeetingId);
    }

    [TestMethod]
    public void Zooms_pwd_parameter_is_never_reported_as_the_passcode()
    {
        MeetingDetails found = MeetingLinks.Extract(null, "https://zoom.us/j/91234567890?pwd=Zm9vYmFy").Single();
        Assert.IsNull(found.Passcode);
    }

    [TestMethod]
    public void A_passcode_named_in_the_link_is_reported()
    {
        Assert.AreEqual("8642", MeetingLinks.Extract(null, "https://bluejeans.com/384920175/8642").Single().Passcode);
        Assert.AreEqual("s3cret", MeetingLinks.Extract(null, "https://meet.jit.si/Room42?passcode=s3cret").Single().Passcode);
    }

    [TestMethod]
    public void Html_is_read_as_text_with_link_targets_kept()
    {
        string html = "<p>Click <a href=\"https://zoom.us/j/91234567890?pwd=a&amp;b=c\">here</a></p>"
            + "<table><tr><td>Meeting&nbsp;ID</td><td>912&nbsp;3456&nbsp;7890</td></tr><tr><td>Passcode</td><td>&#49;&#50;&#51;456</td></tr></table>"
            + "<script>var passcode = 'nope';</script><!-- Passcode: hidden -->";
        MeetingDetails found = MeetingLinks.Extract(null, html).Single();
        Assert.AreEqual("https://zoom.us/j/91234567890?pwd=a&b=c", found.Url);
        Assert.AreEqual("123456", found.Passcode);
    }

    [TestMethod]
    public void Location_comes_before_body_then_specificity_then_position()
    {
        var found = MeetingLinks.Extract(
            "Room 4 / https://whereby.com/acme",
            "https://meet.example.org/Guess then https://meet.jit.si/Room and https://zoom.us/j/91234567890");
        CollectionAssert.AreEqual(
            new[] { "https://whereby.com/acme", "https://meet.jit.si/Room", "https://zoom.us/j/91234567890", "https://meet.example.org/Guess" },
            found.Select(f => f.Url).ToArray());
    }

    [TestMethod]
    public void A_room_link_does_not_take_another_meetings_details()
    {
        string body = "Backup room: https://meet.jit.si/Backup\nZoom: https://zoom.us/my/jane\nMeeting ID: 912 3456 7890\nPasscode: 4711";
        var found = MeetingLinks.Extract(null, body);
        MeetingDetails jitsi = found.Single(f => f.Service == "Jitsi");
        MeetingDetails zoom = found.Single(f => f.Service == "Zoom");
        Assert.IsNull(jitsi.MeetingId);
        Assert.IsNull(jitsi.Passcode);
        Assert.AreEqual("91234567890", zoom.MeetingId);
        Assert.AreEqual("4711", zoom.Passcode);
    }

    [TestMethod]
    public void A_megabyte_of_html_with_the_invitation_at_the_end_is_read_quickly()
    {
        var sb = new StringBuilder("<html><body>");
        int i = 0;
        while (sb.Length < 1_000_000)
        {
            sb.Append("<p style=\"margin:0\">Item ").Append(i++).Append(": see <a href=\"https://www.example.com/a/").Append(i)
                .Append("?x=1&amp;y=2\">details</a> &amp; password reset &lt;here&gt; +1 555 0100 &#8211; meeting notes.</p>\n");
        }

        sb.Append("<a href=\"https://zoom.us/j/91234567890?pwd=x\">Join</a><br>Meeting ID: 912 3456 7890<br>Passcode: 246810</body></html>");
        var watch = Stopwatch.StartNew();
        MeetingDetails found = MeetingLinks.Extract(null, sb.ToString()).Single();
        watch.Stop();
        Assert.AreEqual("246810", found.Passcode);
        // A ceiling for catastrophic (super-linear) behaviour, which takes minutes on this input, not a speed goal: a
        // loaded machine can take seconds here, and speed is measured by tests/Benchmarks.
        Assert.IsLessThan(PathologicalInputCeiling, watch.Elapsed, "took " + watch.ElapsedMilliseconds + " ms");
    }

    [TestMethod]
    [DataRow(@"^https?://([a-z0-9-]+\.)*(zoom\.us|zoom\.com|zoomgov\.com)/(j|w|s)/(?<id>[0-9]{9,11})(?![0-9])", "zoom")]
    [DataRow(@"^https://([a-z0-9-]+\.)*teams\.microsoft\.(com|us)/l/meetup-join/", "teams.microsoft.")]
    [DataRow(@"^https://meetings\.vonage\.com/(?<id>[0-9]{9})(?![0-9])", "meetings.vonage.com/")]
    [DataRow(@"^https://(meet|jitsi)\.(?!google\.com/)[a-z0-9.-]+/[a-z0-9_.~%-]{3,}/?(\?|#|$)", null)]
    [DataRow(@"^https://(www\.)?uberconference\.com/[^/?#]+", "uberconference.com/")]
    [DataRow(@"^https://a\.b/(x|y)", "a.b/")]
    [DataRow(@"^https://ab/(x|y)", null)]
    public void The_substring_every_match_needs_is_read_from_the_pattern(string pattern, string? required)
    {
        Assert.AreEqual(required, MeetingLinks.RequiredLiteralOf(pattern));
    }
}
