using System;
using System.Text.Json;
using ClientBridge.Protocol;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using OutlookPlugin.Core.Rules;

namespace OutlookPlugin.Tests.Rules;

[TestClass]
public sealed class CalendarSanitizerTests
{
    private const string BodySecret = "BODY-SECRET-7f3a";
    private const string AddressSecret = "addr-secret-91c2";

    private static AppointmentData Sample() => new()
    {
        EntryId = "ENTRY",
        GlobalId = "GLOBAL",
        Subject = "Planning",
        StartUtc = new DateTime(2025, 3, 10, 9, 0, 0, DateTimeKind.Utc),
        EndUtc = new DateTime(2025, 3, 10, 10, 0, 0, DateTimeKind.Utc),
        TimeZoneId = "W. Europe Standard Time",
        RecurrenceState = 2,
        Location = "Room 4",
        Body = "Confidential " + BodySecret + "\r\nJoin https://zoom.us/j/123456789?pwd=x\r\nReply to " + AddressSecret + "@contoso.com",
        Organizer = "Jane Doe <" + AddressSecret + "@contoso.com>",
        MeetingStatus = 3,
        ResponseStatus = 3,
        Attendees =
        {
            new AttendeeData { Name = "Jane Doe", Address = AddressSecret + "1@contoso.com", Type = 0 },
            new AttendeeData { Name = "Bob Smith", Address = AddressSecret + "2@contoso.com", Type = 1 },
            new AttendeeData { Name = "unresolved.person@" + AddressSecret + "3.example", Address = "unresolved.person@" + AddressSecret + "3.example", Type = 1 },
            new AttendeeData { Name = "Carol (" + AddressSecret + "4@contoso.com)", Address = AddressSecret + "4@contoso.com", Type = 2 },
            new AttendeeData { Name = "Room 4", Address = AddressSecret + "5@contoso.com", Type = 1, IsRoom = true },
            new AttendeeData { Name = "Projector", Address = AddressSecret + "6@contoso.com", Type = 3 },
        },
    };

    [TestMethod]
    public void Copies_what_the_agent_needs()
    {
        CalendarItem item = CalendarSanitizer.ToCalendarItem(Sample(), "GLOBAL", new DateTime(2025, 3, 10, 9, 0, 0, DateTimeKind.Utc));
        Assert.AreEqual("GLOBAL|20250310T090000Z", item.Id);
        Assert.AreEqual("Planning", item.Subject);
        Assert.AreEqual(new DateTimeOffset(2025, 3, 10, 9, 0, 0, TimeSpan.Zero), item.Start);
        Assert.AreEqual(TimeSpan.Zero, item.End.Offset);
        Assert.AreEqual("W. Europe Standard Time", item.TimeZoneId);
        Assert.IsTrue(item.IsRecurring);
        Assert.IsFalse(item.IsCancelled);
        Assert.AreEqual("Room 4", item.Location);
        Assert.AreEqual("Jane Doe", item.Organizer);
        Assert.AreEqual(3, item.AttendeeCount);
        CollectionAssert.AreEqual(new[] { "Bob Smith", "unresolved.person", "Carol" }, item.Attendees);
        CollectionAssert.AreEqual(new[] { "Room 4", "Projector" }, item.Rooms);
        Assert.AreEqual(ResponseStatus.Accepted, item.Response);
        Assert.AreEqual("https://zoom.us/j/123456789?pwd=x", item.JoinUrl);
        Assert.IsNull(item.MeetingId);
    }

    [TestMethod]
    public void Serialized_item_holds_no_body_and_no_address()
    {
        CalendarItem item = CalendarSanitizer.ToCalendarItem(Sample(), "GLOBAL");
        string json = JsonSerializer.Serialize(item, BridgeJsonContext.Default.CalendarItem);
        Assert.DoesNotContain(BodySecret, json);
        Assert.DoesNotContain("@", json);
        Assert.DoesNotContain("contoso", json);
        Assert.DoesNotContain("Confidential", json);
        Assert.Contains("zoom.us/j/123456789", json);
    }

    [TestMethod]
    public void Tag_supplies_the_link_and_meeting()
    {
        AppointmentData a = Sample();
        a.Tag = new MeetingTag { MeetingId = "m-1", Provider = "jitsi", JoinUrl = "https://meet.jit.si/Ours", ScheduleFor = AddressSecret + "@contoso.com" };
        CalendarItem item = CalendarSanitizer.ToCalendarItem(a, "GLOBAL");
        Assert.AreEqual("https://meet.jit.si/Ours", item.JoinUrl);
        Assert.AreEqual("m-1", item.MeetingId);
        Assert.AreEqual("jitsi", item.Provider);
        Assert.DoesNotContain(AddressSecret, JsonSerializer.Serialize(item, BridgeJsonContext.Default.CalendarItem));
    }

    [TestMethod]
    public void Location_link_beats_body_link_and_addresses_leave_the_location()
    {
        AppointmentData a = Sample();
        a.Location = "https://meet.google.com/abc-defg-hij; " + AddressSecret + "@contoso.com; Room <" + AddressSecret + "@x.org>";
        CalendarItem item = CalendarSanitizer.ToCalendarItem(a, "GLOBAL");
        Assert.AreEqual("https://meet.google.com/abc-defg-hij", item.JoinUrl);
        Assert.DoesNotContain(AddressSecret, item.Location!);
        Assert.Contains("Room", item.Location!);
    }

    [TestMethod]
    public void Join_link_personalised_with_an_address_loses_that_parameter()
    {
        AppointmentData a = Sample();
        a.Body = "https://zoom.us/j/123456789?pwd=x&email=" + AddressSecret + "%40contoso.com";
        a.Location = null;
        CalendarItem item = CalendarSanitizer.ToCalendarItem(a, "GLOBAL");
        Assert.AreEqual("https://zoom.us/j/123456789?pwd=x", item.JoinUrl);
    }

    [TestMethod]
    [DataRow("Jane Doe", "Jane Doe")]
    [DataRow("Jane Doe <jane@contoso.com>", "Jane Doe")]
    [DataRow("\"Doe, Jane\" <jane@contoso.com>", "Doe, Jane")]
    [DataRow("jane.doe@contoso.com", "jane.doe")]
    [DataRow("'jane.doe@contoso.com'", "jane.doe")]
    [DataRow("SMTP:jane@contoso.com", "jane")]
    [DataRow("<jane@contoso.com>", null)]
    [DataRow("Jane jane@contoso.com", "Jane")]
    [DataRow("Jane (jane@contoso.com)", "Jane")]
    [DataRow("/o=ExchangeLabs/ou=Exchange Administrative Group/cn=Recipients/cn=abc", null)]
    [DataRow("   ", null)]
    [DataRow(null, null)]
    [DataRow("@", null)]
    public void Display_names_lose_addresses(string? name, string? expected)
    {
        Assert.AreEqual(expected, CalendarSanitizer.DisplayName(name));
    }

    [TestMethod]
    [DataRow(0, ResponseStatus.None)]
    [DataRow(1, ResponseStatus.Organized)]
    [DataRow(2, ResponseStatus.Tentative)]
    [DataRow(4, ResponseStatus.Declined)]
    [DataRow(5, ResponseStatus.NotResponded)]
    [DataRow(99, ResponseStatus.None)]
    public void Response_maps_outlooks_values(int status, ResponseStatus expected)
    {
        AppointmentData a = Sample();
        a.ResponseStatus = status;
        Assert.AreEqual(expected, CalendarSanitizer.ToCalendarItem(a, "x").Response);
    }

    [TestMethod]
    [DataRow(0, false)]
    [DataRow(1, false)]
    [DataRow(3, false)]
    [DataRow(5, true)]
    [DataRow(7, true)]
    public void Cancelled_meetings_are_marked(int status, bool cancelled)
    {
        AppointmentData a = Sample();
        a.MeetingStatus = status;
        Assert.AreEqual(cancelled, CalendarSanitizer.ToCalendarItem(a, "x").IsCancelled);
    }

    [TestMethod]
    public void Attendee_names_are_capped_but_counted()
    {
        AppointmentData a = Sample();
        a.Attendees.Clear();
        for (int i = 0; i < 2000; i++)
        {
            a.Attendees.Add(new AttendeeData { Name = "Person " + i, Type = 1 });
        }

        CalendarItem item = CalendarSanitizer.ToCalendarItem(a, "x");
        Assert.AreEqual(2000, item.AttendeeCount);
        Assert.HasCount(CalendarItem.MaxAttendeeNames, item.Attendees);
    }
}

[TestClass]
public sealed class JoinUrlCleaningTests
{
    [TestMethod]
    [DataRow("https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0?context=%7b%7d", "https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0?context=%7b%7d")]
    [DataRow("https://teams.microsoft.com/l/meetup-join/19:meeting_abc@thread.skype/0", "https://teams.microsoft.com/l/meetup-join/19:meeting_abc@thread.skype/0")]
    [DataRow("https://zoom.us/j/123?pwd=abc&uname=jane%40contoso.com", "https://zoom.us/j/123?pwd=abc")]
    [DataRow("https://jane:secret@meet.example.org/room", "https://meet.example.org/room")]
    [DataRow("https://meet.example.org/jane@contoso.com", null)]
    [DataRow("https://meet.example.org/jane%40contoso.com/room", null)]
    public void Join_links_keep_Teams_thread_ids_and_lose_addresses(string url, string? expected) =>
        Assert.AreEqual(expected, OutlookPlugin.Core.Rules.CalendarSanitizer.CleanUrl(url));
}
