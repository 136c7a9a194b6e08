using System;
using System.Collections.Generic;
using System.Globalization;
using FakeOutlook;
using OutlookPlugin.Core.ObjectModel;

namespace Benchmarks;

/// <summary>
/// A busy calendar for the fake Outlook, the same on every run (fixed seed): 4,500 single appointments spread over
/// the next 30 days and 500 series (400 weekly, 100 daily) that repeat inside that window, so 5,000 stored
/// appointments. Meetings have attendees (some written as addresses, as Outlook shows unresolved recipients),
/// rooms and organizers; join links sit in the location (Zoom, Teams) or in a body of a few paragraphs; a few
/// items carry the add-in's own meeting tag; some series have a deleted or a moved occurrence.
/// </summary>
internal static class CalendarFixture
{
    public const int Singles = 4_500;
    public const int WeeklySeries = 400;
    public const int DailySeries = 100;
    public const int DaysAhead = 30;

    private static readonly string[] First = ["Anna", "Ben", "Chloé", "David", "Elif", "Farid", "Greta", "Hiro", "Ines", "Jonas", "Kasia", "Luca", "Maya", "Nils", "Olga", "Pedro"];
    private static readonly string[] Last = ["Berg", "Costa", "Dubois", "Eriksen", "Fischer", "García", "Hansen", "Ivanova", "Jansen", "Kowalski", "Larsen", "Müller", "Nakamura", "Okafor"];
    private static readonly string[] Rooms = ["Room 4.12", "Room 2.01 (Atlas)", "Board room", "Lab 3", "Café corner", "Room 5.20"];
    private static readonly string[] Topics = ["Sync", "Planning", "Review", "1:1", "Retro", "Design crit", "Customer call", "Interview", "Standup", "Budget"];

    /// <summary>The window the add-in reads: from an hour ago to <see cref="DaysAhead"/> days ahead (local to the fake).</summary>
    public static (DateTime From, DateTime To) Window(DateTime nowLocal) => (nowLocal.AddHours(-1), nowLocal.AddDays(DaysAhead));

    /// <summary>"Now" on the fake's wall clock (its zone, not this machine's).</summary>
    public static DateTime NowLocal(FakeOutlookHost outlook)
    {
        TimeZoneInfo zone = TimeZoneConverter.TZConvert.GetTimeZoneInfo(outlook.Options.LocalTimeZoneId);
        return TimeZoneInfo.ConvertTimeFromUtc(DateTime.UtcNow, zone);
    }

    public static List<AppointmentSpec> Build(DateTime nowLocal)
    {
        var random = new Random(20_240_601);
        var specs = new List<AppointmentSpec>(Singles + WeeklySeries + DailySeries);

        // Every single starts between the next quarter hour and two hours before the window ends, so all are in it.
        DateTime firstSlot = new DateTime(nowLocal.Year, nowLocal.Month, nowLocal.Day, nowLocal.Hour, 0, 0).AddHours(1);
        int slots = ((DaysAhead * 24) - 3) * 4;
        for (int i = 0; i < Singles; i++)
        {
            DateTime start = firstSlot.AddMinutes(15 * random.Next(slots));
            int minutes = 15 * random.Next(1, 9);
            specs.Add(Meeting(random, i, start, minutes) with { Recurrence = null });
        }

        for (int i = 0; i < WeeklySeries + DailySeries; i++)
        {
            bool weekly = i < WeeklySeries;
            DateTime firstStart = nowLocal.Date.AddDays(random.Next(-21, 4)).AddHours(random.Next(8, 18)).AddMinutes(random.Next(0, 2) * 30);
            bool withExceptions = i % 10 == 0;
            AppointmentSpec shape = (weekly, withExceptions) switch
            {
                (true, false) => AppointmentSpec.Weekly("x", firstStart, 30, dayOfWeekMask: WeekdayMask(random), interval: random.Next(0, 4) == 0 ? 2 : 1),
                (false, false) => AppointmentSpec.Daily("x", firstStart, 15, interval: random.Next(1, 3), occurrences: random.Next(0, 3) == 0 ? null : random.Next(15, 40)),

                // Every week on the first start's weekday, or every day, with no end: the occurrences below exist.
                (true, true) => AppointmentSpec.Weekly("x", firstStart, 30),
                (false, true) => AppointmentSpec.Daily("x", firstStart, 15),
            };
            RecurrenceSpec recurrence = shape.Recurrence!;
            if (withExceptions)
            {
                // One occurrence in the window deleted, another moved by an hour (an exception of the series).
                DateTime? deleted = NextOccurrence(firstStart, weekly, nowLocal.AddDays(3));
                DateTime? moved = NextOccurrence(firstStart, weekly, nowLocal.AddDays(10));
                recurrence = recurrence with
                {
                    DeletedOccurrences = deleted is { } d ? [d] : [],
                    ModifiedOccurrences = moved is { } m ? [new ModifiedOccurrence(m, m.AddHours(1), m.AddHours(1).AddMinutes(30))] : [],
                };
            }

            specs.Add(Meeting(random, Singles + i, firstStart, (int)(shape.End - shape.Start).TotalMinutes) with { Recurrence = recurrence });
        }

        return specs;
    }

    /// <summary>The first occurrence on or after <paramref name="after"/>'s day of a series that repeats every day, or every week on its first start's weekday.</summary>
    private static DateTime? NextOccurrence(DateTime firstStart, bool weekly, DateTime after)
    {
        DateTime candidate = after.Date + firstStart.TimeOfDay;
        if (weekly)
        {
            while (candidate.DayOfWeek != firstStart.DayOfWeek)
            {
                candidate = candidate.AddDays(1);
            }
        }

        return candidate >= firstStart ? candidate : null;
    }

    private static int WeekdayMask(Random random)
    {
        // OlDaysOfWeek: Sunday 1, Monday 2 … Saturday 64. Mostly one weekday, sometimes two.
        int mask = 1 << random.Next(1, 6);
        if (random.Next(0, 4) == 0)
        {
            mask |= 1 << random.Next(1, 6);
        }

        return mask;
    }

    private static AppointmentSpec Meeting(Random random, int n, DateTime start, int minutes)
    {
        string topic = Topics[random.Next(Topics.Length)];
        string subject = $"{topic} #{n.ToString(CultureInfo.InvariantCulture)}";
        string location = string.Empty;
        string body = Paragraphs(random, random.Next(1, 4));
        var tags = new Dictionary<string, object>();
        int kind = random.Next(100);
        if (kind < 10)
        {
            location = $"https://example.zoom.us/j/{random.Next(100_000_000, 999_999_999).ToString(CultureInfo.InvariantCulture)}?pwd=Zm9vYmFy";
        }
        else if (kind < 15)
        {
            location = "Microsoft Teams Meeting; https://teams.microsoft.com/l/meetup-join/19%3ameeting_" + n.ToString("x8", CultureInfo.InvariantCulture) + "%40thread.v2/0";
        }
        else if (kind < 35)
        {
            location = "Microsoft Teams Meeting";
            body += "\r\n________________________________________________________________________________\r\nMicrosoft Teams meeting\r\nJoin on your computer, mobile app or room device\r\n"
                + "Click here to join the meeting <https://teams.microsoft.com/l/meetup-join/19%3ameeting_" + n.ToString("x8", CultureInfo.InvariantCulture) + "%40thread.v2/0?context=%7b%22Tid%22%3a%22abc%22%7d>\r\n"
                + "Meeting ID: 123 456 789 0\r\nPasscode: abc123\r\n________________________________________________________________________________\r\n";
        }
        else if (kind < 42)
        {
            location = Rooms[random.Next(Rooms.Length)];
            body += "\r\nJoin Zoom Meeting\r\nhttps://example.zoom.us/j/" + random.Next(100_000_000, 999_999_999).ToString(CultureInfo.InvariantCulture) + "?pwd=YmFyYmF6\r\n\r\nMeeting ID: 812 3456 7890\r\n";
        }
        else if (kind < 44)
        {
            // One of ours: the add-in's tag carries the link, so nothing else is opened.
            location = Rooms[random.Next(Rooms.Length)];
            string meetingId = random.Next(100_000_000, 999_999_999).ToString(CultureInfo.InvariantCulture);
            tags[MeetingTags.RequestId] = Guid.NewGuid().ToString("N");
            tags[MeetingTags.Provider] = "zoom";
            tags[MeetingTags.MeetingId] = meetingId;
            tags[MeetingTags.JoinUrl] = "https://example.zoom.us/j/" + meetingId;
        }
        else if (kind < 80)
        {
            location = Rooms[random.Next(Rooms.Length)];
        }

        bool received = random.Next(0, 2) == 0;
        bool meeting = received || random.Next(0, 4) != 0;
        var required = new List<string>();
        var optional = new List<string>();
        var resources = new List<string>();
        if (meeting)
        {
            int count = random.Next(1, 9);
            for (int i = 0; i < count; i++)
            {
                required.Add(Person(random));
            }

            for (int i = random.Next(0, 3); i > 0; i--)
            {
                optional.Add(Person(random));
            }

            if (random.Next(0, 3) == 0)
            {
                resources.Add(Rooms[random.Next(Rooms.Length)]);
            }
        }

        return new AppointmentSpec
        {
            Subject = subject,
            Start = start,
            End = start.AddMinutes(minutes),
            Location = location,
            Body = body,
            MeetingStatus = received ? 3 : meeting ? 1 : 0,
            Organizer = received ? Person(random) : null,
            ResponseStatus = received ? random.Next(2, 6) : null,
            RequiredAttendees = required,
            OptionalAttendees = optional,
            Resources = resources,
            NamedProperties = tags,
        };
    }

    private static string Person(Random random)
    {
        string first = First[random.Next(First.Length)];
        string last = Last[random.Next(Last.Length)];
        return random.Next(0, 10) switch
        {
            0 => $"{first.ToLowerInvariant()}.{last.ToLowerInvariant()}@example.com",
            1 => $"{first} {last} ({first.ToLowerInvariant()}.{last.ToLowerInvariant()}@example.com)",
            _ => $"{first} {last}",
        };
    }

    private static string Paragraphs(Random random, int count)
    {
        const string Sentence = "Agenda: status of the quarter, open questions from last time, next steps and owners. ";
        var text = new System.Text.StringBuilder();
        for (int p = 0; p < count; p++)
        {
            for (int s = random.Next(2, 6); s > 0; s--)
            {
                text.Append(Sentence);
            }

            text.Append("\r\n\r\n");
        }

        return text.ToString();
    }
}
