using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ClientBridge.Calendar;
using ClientBridge.Protocol;
using ClientBridge.Protocol.Client;
using ClientBridge.Upcoming;

namespace Benchmarks;

/// <summary>
/// <c>upcoming</c>: what holding the upcoming meetings costs. Two real agents as child processes in the same run:
/// one fed a snapshot of <see cref="Events"/> upcoming events (14 days, realistic sizes: ids, subjects, locations,
/// attendee names, join links), one with no calendar; each asked for the menu once (so that both ran the same
/// code) and left idle for <see cref="SettleTime"/>, then their resident memory read. Then, in this process, the
/// time from a one-item delta reaching the calendar store to a fresh menu model (store update, the rebuild it
/// triggers, the menu built from it): the median of <see cref="Runs"/>.
/// </summary>
internal static class UpcomingBenchmark
{
    public const int Events = 2_000;
    private const int Warmup = 300;
    private const int Runs = 3_000;
    private const int PipeRuns = 200;
    private static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(5); // Past the agent's idle trim (2 s quiet, then its next watchdog tick).

    public static async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset now = DateTimeOffset.Now;
        List<CalendarItem> items = Build(now);

        using AgentChild loaded = AgentChild.Start("cbu");
        using AgentChild idle = AgentChild.Start("cbi");
        using BridgeClient plugin = await loaded.ConnectAsync("bench-upcoming", null, cancellationToken);
        using BridgeClient idleClient = await idle.ConnectAsync("bench-upcoming-idle", null, cancellationToken);

        CalendarAck ack = await plugin.RequestAsync(
            MessageKinds.CalendarSnapshot,
            new CalendarSnapshot { WindowStart = now.AddHours(-1), WindowEnd = now.AddDays(14), Items = items },
            BridgeWire.Default.CalendarSnapshot,
            BridgeWire.Default.CalendarAck,
            cancellationToken: cancellationToken);
        if (ack.ItemCount != Events)
        {
            throw new InvalidOperationException($"The agent holds {ack.ItemCount} items, not {Events}.");
        }

        UpcomingReply reply = await GetAsync(plugin, cancellationToken);
        await GetAsync(idleClient, cancellationToken);
        var pipeTimes = new List<double>(PipeRuns);
        for (int i = 0; i < PipeRuns; i++)
        {
            long started = Stopwatch.GetTimestamp();
            await GetAsync(plugin, cancellationToken);
            pipeTimes.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        Console.Error.WriteLine($"upcoming: {Events:N0} events held; menu: {reply.Meetings.Count} meetings shown, {reply.Menu.Count} entries, {reply.DeclinedHidden} declined hidden");
        Console.Error.WriteLine($"upcoming: both agents idle for {SettleTime.TotalSeconds:0} s…");
        await Task.Delay(SettleTime, cancellationToken);
        (double rss, double peak) = ProcessStats.Memory(loaded.Process);
        (double baseline, double baselinePeak) = ProcessStats.Memory(idle.Process);

        (double median, double p95, double rebuildOnly) = MeasureRebuild(items);

        pipeTimes.Sort();
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  agent with {Events:N0} events: rss {rss:0.0} MB (peak {peak:0.0})"));
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  agent with no calendar:      rss {baseline:0.0} MB (peak {baselinePeak:0.0})"));
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  delta -> menu model:         median {median:0.0} us, p95 {p95:0.0} us (rebuild alone {rebuildOnly:0.0} us), {Runs:N0} runs"));
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  upcoming.get over the pipe:  median {pipeTimes[pipeTimes.Count / 2]:0.000} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"upcoming: rss_mb={rss:0.0} baseline_rss_mb={baseline:0.0} rebuild_us={median:0.0}"));
        return 0;
    }

    private static Task<UpcomingReply> GetAsync(BridgeClient client, CancellationToken cancellationToken) =>
        client.RequestAsync(MessageKinds.UpcomingGet, new UpcomingRequest(), BridgeWire.Default.UpcomingRequest, BridgeWire.Default.UpcomingReply, cancellationToken: cancellationToken);

    /// <summary>Delta in, menu model out, in this process: median and 95th percentile, and the median of a bare rebuild.</summary>
    private static (double Median, double P95, double RebuildOnly) MeasureRebuild(List<CalendarItem> items)
    {
        var store = new CalendarStore();
        using var service = new UpcomingService(store, () => [new ProviderState { Provider = "jitsi", State = "not_required", IsDefault = true }], TimeProvider.System, logChanges: false);
        store.Replace(new CalendarSnapshot { Items = items });
        var times = new List<double>(Runs);
        var bare = new List<double>(Runs);
        for (int i = 0; i < Warmup + Runs; i++)
        {
            CalendarItem changed = Copy(items[i % items.Count], TimeSpan.FromMinutes(i % 2 == 0 ? 5 : -5));
            var delta = new CalendarDelta { Upserted = [changed] };
            long started = Stopwatch.GetTimestamp();
            store.Apply(delta);
            UpcomingReply menu = service.Menu();
            double us = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
            long rebuildStarted = Stopwatch.GetTimestamp();
            service.Rebuild();
            double rebuildUs = Stopwatch.GetElapsedTime(rebuildStarted).TotalMicroseconds;
            if (menu.Menu.Count == 0)
            {
                throw new InvalidOperationException("An empty menu.");
            }

            if (i >= Warmup)
            {
                times.Add(us);
                bare.Add(rebuildUs);
            }
        }

        times.Sort();
        bare.Sort();
        return (times[times.Count / 2], times[(int)(times.Count * 0.95)], bare[bare.Count / 2]);
    }

    /// <summary>2,000 events over the next 14 days, sized like a real calendar's: 1 in 20 all day, 1 in 15 declined, 1 in 40 cancelled.</summary>
    private static List<CalendarItem> Build(DateTimeOffset now)
    {
        var random = new Random(20260323);
        string[] words = ["Design", "review", "Budget", "sync", "Planning", "Quarterly", "Architecture", "1:1", "Retro", "Customer", "call", "Hiring", "panel", "Offsite", "prep"];
        string[] names = ["Ann Lee", "Bob Stone", "Chidi Okafor", "Dana Weiß", "Eva Müller", "Farid Haddad", "Grace Hopper", "Hiro Tanaka", "Ines Duarte", "Jan Kowalski"];
        var items = new List<CalendarItem>(Events);
        DateTimeOffset start0 = new(now.Year, now.Month, now.Day, now.Hour, now.Minute / 15 * 15, 0, now.Offset);
        for (int i = 0; i < Events; i++)
        {
            bool allDay = i % 20 == 19;
            DateTimeOffset start = start0.AddMinutes(15 * random.Next(0, 14 * 24 * 4));
            var item = new CalendarItem
            {
                Id = Convert.ToHexString(BitConverter.GetBytes(random.NextInt64())) + "040000008200E00074C5B7101A82E008" + i.ToString("D8", CultureInfo.InvariantCulture),
                Subject = string.Join(' ', Enumerable.Range(0, 3 + random.Next(4)).Select(_ => words[random.Next(words.Length)])),
                Start = allDay ? new DateTimeOffset(start.Date, start.Offset) : start,
                End = allDay ? new DateTimeOffset(start.Date.AddDays(1), start.Offset) : start.AddMinutes(15 * (1 + random.Next(8))),
                TimeZoneId = "W. Europe Standard Time",
                IsAllDay = allDay,
                IsRecurring = i % 3 == 0,
                IsCancelled = i % 40 == 7,
                Location = i % 2 == 0 ? "Room " + random.Next(100, 999).ToString(CultureInfo.InvariantCulture) + ", Building B" : null,
                Organizer = names[random.Next(names.Length)],
                AttendeeCount = 2 + random.Next(12),
                Response = i % 15 == 4 ? ResponseStatus.Declined : ResponseStatus.Accepted,
                JoinUrl = i % 4 == 3 ? null : "https://zoom.us/j/" + random.NextInt64(10_000_000_000, 99_999_999_999).ToString(CultureInfo.InvariantCulture) + "?pwd=" + Convert.ToHexString(BitConverter.GetBytes(random.NextInt64())),
                Provider = i % 4 == 3 ? null : "zoom",
            };
            for (int a = 0; a < Math.Min(item.AttendeeCount, 8); a++)
            {
                item.Attendees.Add(names[random.Next(names.Length)]);
            }

            items.Add(item);
        }

        return items;
    }

    private static CalendarItem Copy(CalendarItem item, TimeSpan shift) => new()
    {
        Id = item.Id,
        Subject = item.Subject,
        Start = item.Start + shift,
        End = item.End + shift,
        TimeZoneId = item.TimeZoneId,
        IsAllDay = item.IsAllDay,
        IsRecurring = item.IsRecurring,
        IsCancelled = item.IsCancelled,
        Location = item.Location,
        Organizer = item.Organizer,
        AttendeeCount = item.AttendeeCount,
        Attendees = item.Attendees,
        Response = item.Response,
        JoinUrl = item.JoinUrl,
        Provider = item.Provider,
    };
}
