using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using ClientBridge.Protocol;
using ClientBridge.Protocol.Client;
using ClientBridge.Protocol.Framing;
using FakeOutlook;
using OutlookPlugin.Core.Addin;
using OutlookPlugin.Core.ObjectModel;
using OutlookPlugin.Core.Rules;

namespace Benchmarks;

/// <summary>
/// <c>calendar</c>: what one calendar snapshot costs the add-in. A fake Outlook holds <see cref="CalendarFixture"/>'s
/// 5,000 appointments; the 30-day window is read on the fake's Outlook thread with <see cref="CalendarReader.Read"/>
/// (a Table for singles, Items with IncludeRecurrences for series), every entry sanitised there as CalendarFeed does,
/// and the snapshot sent off that thread to the real agent (a child process) over a real pipe as one
/// <c>calendar.snapshot</c>; then the same with <see cref="CalendarReader.ReadItemwise"/>, the naive baseline. Both
/// paths send one snapshot, so the difference is the reading. Object-model calls are counted by the fake.
/// The two results are compared item by item: a different count or id set fails the run.
/// </summary>
internal static class CalendarBenchmark
{
    private const int WarmupRuns = 2;
    private const int Runs = 7;

    public static async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        using var outlook = new FakeOutlookHost(new FakeOutlookOptions { RegionalSettings = FakeOutlookOptions.EnglishUnitedStates });
        DateTime nowUtc = DateTime.UtcNow;
        DateTime nowLocal = CalendarFixture.NowLocal(outlook);
        List<AppointmentSpec> specs = CalendarFixture.Build(nowLocal);
        outlook.AddAppointments(specs);
        (DateTime from, DateTime to) = CalendarFixture.Window(nowLocal);
        var window = (Start: nowUtc.AddHours(-1), End: nowUtc.AddDays(CalendarFixture.DaysAhead));
        Console.Error.WriteLine($"calendar: {specs.Count:N0} appointments stored ({CalendarFixture.Singles:N0} singles, {CalendarFixture.WeeklySeries} weekly and {CalendarFixture.DailySeries} daily series); window {from:yyyy-MM-dd HH:mm} .. {to:yyyy-MM-dd HH:mm} ({outlook.Options.LocalTimeZoneId})");

        using AgentChild agent = AgentChild.Start("cbc");
        using BridgeClient client = await agent.ConnectAsync("bench-calendar", null, cancellationToken);
        var requests = new AgentRequests(client, new AddinSettings());
        var reader = new CalendarReader(outlook.Options.RegionalSettings!);

        // As the add-in's refresh reads them: bodies only for items starting within the next 48 hours.
        DateTime bodiesBeforeUtc = nowLocal.ToUniversalTime() + CalendarFeed.BodiesAhead;

        async Task<Run> Once(bool itemwise)
        {
            cancellationToken.ThrowIfCancellationRequested();
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            outlook.ResetCosts();
            long started = Stopwatch.GetTimestamp();
            (CalendarSnapshot snapshot, long calls, double readMs, double sanitiseMs, int opened) = await outlook.Thread.InvokeAsync(() =>
            {
                long readStarted = Stopwatch.GetTimestamp();
                List<CalendarEntry> entries;
                using (var folder = new OmObject(outlook.HandOut(outlook.Calendar, "benchmark: the calendar folder")))
                {
                    entries = itemwise ? reader.ReadItemwise(folder, from, to, bodiesBeforeUtc) : reader.Read(folder, from, to, bodiesBeforeUtc);
                }

                long calls = outlook.CallCount;
                long sanitiseStarted = Stopwatch.GetTimestamp();
                var snapshot = new CalendarSnapshot { WindowStart = window.Start, WindowEnd = window.End };
                foreach (CalendarEntry entry in entries)
                {
                    snapshot.Items.Add(CalendarSanitizer.ToCalendarItem(entry.Data, entry.Id));
                }

                // The items the table path opens (Session.GetItemFromID) for a body or a value the Table cut.
                int opened = itemwise ? 0 : (int)outlook.Opens;
                return (snapshot, calls, Ms(readStarted, sanitiseStarted), Stopwatch.GetElapsedTime(sanitiseStarted).TotalMilliseconds, opened);
            });

            // Off the Outlook thread from here (InvokeAsync completes asynchronously), as CalendarFeed sends.
            long sendStarted = Stopwatch.GetTimestamp();
            CalendarAck ack = await requests.SnapshotAsync(snapshot).WaitAsync(TimeSpan.FromSeconds(120), cancellationToken);
            long done = Stopwatch.GetTimestamp();
            return new Run(snapshot, ack, calls, Ms(started, done), readMs, sanitiseMs, Ms(sendStarted, done), opened);
        }

        Console.Error.WriteLine($"calendar: {WarmupRuns} warm-up runs of each path…");
        for (int i = 0; i < WarmupRuns; i++)
        {
            await Once(itemwise: false);
            await Once(itemwise: true);
        }

        Console.Error.WriteLine($"calendar: {Runs} timed runs of each path, alternating…");
        var fast = new List<Run>();
        var itemwise = new List<Run>();
        for (int i = 0; i < Runs; i++)
        {
            if (i % 2 == 0)
            {
                fast.Add(await Once(itemwise: false));
                itemwise.Add(await Once(itemwise: true));
            }
            else
            {
                itemwise.Add(await Once(itemwise: true));
                fast.Add(await Once(itemwise: false));
            }

            Console.Error.WriteLine($"calendar:   run {i + 1}: table {fast[^1].TotalMs:F0} ms, itemwise {itemwise[^1].TotalMs:F0} ms");
        }

        // Every run of a path must send the same thing; then the two paths must agree.
        var problems = new List<string>();
        foreach ((string name, List<Run> runs) in new[] { ("table", fast), ("itemwise", itemwise) })
        {
            if (runs.Select(r => r.Snapshot.Items.Count).Distinct().Count() != 1 || runs.Select(r => r.Calls).Distinct().Count() != 1)
            {
                problems.Add($"{name}: runs differ in items ({string.Join(", ", runs.Select(r => r.Snapshot.Items.Count))}) or calls ({string.Join(", ", runs.Select(r => r.Calls))})");
            }

            foreach (Run run in runs.Where(r => r.Ack.ItemCount != r.Snapshot.Items.Count))
            {
                problems.Add($"{name}: {run.Snapshot.Items.Count} items sent but the agent holds {run.Ack.ItemCount} (duplicate ids?)");
            }
        }

        Comparison comparison = Compare(fast[^1].Snapshot.Items, itemwise[^1].Snapshot.Items);
        problems.AddRange(comparison.CountProblems);

        int leaks = outlook.OutstandingReferences;
        if (leaks > 0)
        {
            problems.Add("leaked references: " + outlook.LeakReport());
        }

        if (outlook.WrongThreadCalls > 0 || outlook.OverReleases.Count > 0)
        {
            problems.Add($"{outlook.WrongThreadCalls} calls off the Outlook thread, {outlook.OverReleases.Count} over-releases");
        }

        // The frame exactly as the add-in sends it, and the same calendar as JSON (protocol 1's wire, still the command line's format) beside it.
        int bytes = FrameOutbox.Encode(MessageType.Request, 1, MessageKinds.CalendarSnapshot, fast[^1].Snapshot, BridgeWire.Default.CalendarSnapshot).Length;
        int jsonBytes = JsonSerializer.SerializeToUtf8Bytes(fast[^1].Snapshot, BridgeJsonContext.Default.CalendarSnapshot).Length;
        (double codecMs, double jsonCodecMs) = TimeCodecs(fast[^1].Snapshot);
        Costs cached = await MeasureCostsAsync(outlook, requests, reader, nowLocal, FakeCallCosts.Cached, cancellationToken);
        Costs online = await MeasureCostsAsync(outlook, requests, reader, nowLocal, FakeCallCosts.Online, cancellationToken);
        if (outlook.OutstandingReferences > 0)
        {
            problems.Add("leaked references after the feed's runs: " + outlook.LeakReport());
        }

        Report(fast, itemwise, comparison, bytes, jsonBytes, codecMs, jsonCodecMs, leaks, total.Elapsed, cached, online);
        if (problems.Count > 0)
        {
            Console.WriteLine();
            Console.WriteLine("calendar: FAILED, the two paths do not send the same calendar:");
            foreach (string problem in problems)
            {
                Console.WriteLine("  " + problem);
            }

            return 1;
        }

        return 0;
    }

    /// <summary>
    /// The add-in's own refresh (CalendarFeed: the read in posted slices, sanitising and sending off Outlook's thread)
    /// with the fake spending <paramref name="costs"/> on every call and every item opened, then the steady state: one
    /// save of one appointment, which goes as a delta. What Outlook's thread went through in each: object-model calls,
    /// items opened by EntryID, the longest single hold and all holds together.
    /// </summary>
    private static async Task<Costs> MeasureCostsAsync(FakeOutlookHost outlook, AgentRequests requests, CalendarReader reader, DateTime nowLocal, FakeCallCosts costs, CancellationToken cancellationToken)
    {
        var log = new SilentLog();
        var settings = new AddinSettings { Debounce = TimeSpan.FromMilliseconds(50) };
        OmObject calendar = new(outlook.HandOut(outlook.Calendar, "benchmark: the feed's calendar"));
        OmObject application = new(outlook.HandOut(outlook.Application, "benchmark: the feed's Outlook"));
        CalendarFeed feed = await outlook.Thread.InvokeAsync(() => new CalendarFeed(
            new MainThread(outlook.Thread.Context), requests, log, settings, reader, () => [calendar], (_, _) => { }, () => nowLocal, () => application.GetObject("Session")));
        try
        {
            // Once without costs, so that what is measured is the steady cost, not the first read's.
            await RefreshAsync();
            outlook.Costs = costs;
            outlook.ResetCosts();
            int sent = feed.SnapshotsSent;
            var clock = Stopwatch.StartNew();
            await RefreshAsync();
            double refreshMs = clock.Elapsed.TotalMilliseconds;
            long calls = outlook.CallCount;
            long opens = outlook.Opens;
            TimeSpan maxHold = outlook.Thread.MaxHold;
            TimeSpan threadTime = outlook.Thread.TotalHold;
            if (feed.SnapshotsSent != sent + 1)
            {
                throw new InvalidOperationException("The feed sent no snapshot.");
            }

            // The steady state: the user saves one single appointment; the feed reads it and sends it as a delta.
            FakeAppointmentItem saved = outlook.AsUser(_ => outlook.StoredItems().First(i => !i.IsRecurring));
            outlook.ResetCosts();
            int deltas = feed.DeltasSent;
            await outlook.Thread.InvokeAsync(() =>
            {
                using var item = new OmObject(outlook.HandOut(saved, "benchmark: the saved item"));
                feed.ItemChanged(item);
            });
            await WaitAsync(() => feed.DeltasSent > deltas && feed.Sending == 0, "the delta");
            return new Costs(costs, calls, opens, maxHold.TotalMilliseconds, threadTime.TotalMilliseconds, refreshMs, outlook.Thread.MaxHold.TotalMilliseconds, outlook.CallCount);
        }
        finally
        {
            outlook.Costs = null;
            await outlook.Thread.InvokeAsync(() =>
            {
                feed.Dispose();
                calendar.Dispose();
                application.Dispose();
            });
        }

        async Task RefreshAsync()
        {
            await outlook.Thread.InvokeAsync(feed.SendSnapshot);
            await WaitAsync(() => !feed.Reading && feed.Sending == 0, "the refresh");
        }

        async Task WaitAsync(Func<bool> done, string what)
        {
            var waited = Stopwatch.StartNew();
            while (!await outlook.Thread.InvokeAsync(done))
            {
                if (waited.Elapsed > TimeSpan.FromMinutes(5))
                {
                    throw new TimeoutException("Timed out waiting for " + what + ".");
                }

                await Task.Delay(5, cancellationToken);
            }
        }
    }

    /// <summary>Matches the two snapshots by id: any id on one side only is a count problem; field differences are tallied.</summary>
    private static Comparison Compare(List<CalendarItem> table, List<CalendarItem> itemwise)
    {
        var problems = new List<string>();
        Dictionary<string, CalendarItem> a = ById(table, "table", problems);
        Dictionary<string, CalendarItem> b = ById(itemwise, "itemwise", problems);
        if (table.Count != itemwise.Count)
        {
            problems.Add($"item count: table {table.Count}, itemwise {itemwise.Count}");
        }

        string[] onlyTable = [.. a.Keys.Except(b.Keys).Order(StringComparer.Ordinal)];
        string[] onlyItemwise = [.. b.Keys.Except(a.Keys).Order(StringComparer.Ordinal)];
        if (onlyTable.Length > 0)
        {
            problems.Add($"{onlyTable.Length} ids only in the table path, e.g. {Describe(a[onlyTable[0]])}");
        }

        if (onlyItemwise.Length > 0)
        {
            problems.Add($"{onlyItemwise.Length} ids only in the itemwise path, e.g. {Describe(b[onlyItemwise[0]])}");
        }

        var fields = new SortedDictionary<string, (int Count, int Singles, int Occurrences, string Example)>(StringComparer.Ordinal);
        foreach ((string id, CalendarItem x) in a)
        {
            if (!b.TryGetValue(id, out CalendarItem? y))
            {
                continue;
            }

            foreach ((string field, string? left, string? right) in Fields(x, y).Where(f => f.Left != f.Right))
            {
                fields.TryGetValue(field, out var seen);
                fields[field] = (
                    seen.Count + 1,
                    seen.Singles + (x.IsRecurring ? 0 : 1),
                    seen.Occurrences + (x.IsRecurring ? 1 : 0),
                    seen.Example ?? $"{id}: table {Quote(left)}, itemwise {Quote(right)}");
            }
        }

        return new Comparison(problems, fields);

        static Dictionary<string, CalendarItem> ById(List<CalendarItem> items, string name, List<string> problems)
        {
            var byId = new Dictionary<string, CalendarItem>(StringComparer.Ordinal);
            foreach (CalendarItem item in items)
            {
                if (!byId.TryAdd(item.Id, item))
                {
                    problems.Add($"{name}: id sent twice: {item.Id}");
                }
            }

            return byId;
        }

        static string Describe(CalendarItem item) => $"{item.Id} '{item.Subject}' {item.Start:u}";

        static string Quote(string? value) => value is null ? "null" : "'" + (value.Length > 80 ? value[..80] + "…" : value) + "'";
    }

    private static IEnumerable<(string Field, string? Left, string? Right)> Fields(CalendarItem x, CalendarItem y)
    {
        static string? D(DateTimeOffset value) => value.ToString("O", CultureInfo.InvariantCulture);
        static string B(bool value) => value ? "true" : "false";
        static string I(int value) => value.ToString(CultureInfo.InvariantCulture);
        yield return ("Subject", x.Subject, y.Subject);
        yield return ("Start", D(x.Start), D(y.Start));
        yield return ("End", D(x.End), D(y.End));
        yield return ("TimeZoneId", x.TimeZoneId, y.TimeZoneId);
        yield return ("IsAllDay", B(x.IsAllDay), B(y.IsAllDay));
        yield return ("IsRecurring", B(x.IsRecurring), B(y.IsRecurring));
        yield return ("IsCancelled", B(x.IsCancelled), B(y.IsCancelled));
        yield return ("Location", x.Location, y.Location);
        yield return ("Organizer", x.Organizer, y.Organizer);
        yield return ("AttendeeCount", I(x.AttendeeCount), I(y.AttendeeCount));
        yield return ("Attendees", string.Join("; ", x.Attendees), string.Join("; ", y.Attendees));
        yield return ("Rooms", string.Join("; ", x.Rooms), string.Join("; ", y.Rooms));
        yield return ("Response", x.Response.ToString(), y.Response.ToString());
        yield return ("JoinUrl", x.JoinUrl, y.JoinUrl);
        yield return ("MeetingId", x.MeetingId, y.MeetingId);
        yield return ("Provider", x.Provider, y.Provider);
    }

    /// <summary>
    /// Encoding and decoding the snapshot in this process, both ways, alternating, median of 7 after 2 warm-ups: the
    /// wire format's own cost, measured under the same load for MessagePack and for protocol 1's JSON.
    /// </summary>
    private static (double CodecMs, double JsonCodecMs) TimeCodecs(CalendarSnapshot snapshot)
    {
        var messagePack = new List<double>();
        var json = new List<double>();
        for (int i = 0; i < 9; i++)
        {
            long started = Stopwatch.GetTimestamp();
            byte[] frame = FrameOutbox.Encode(MessageType.Request, 1, MessageKinds.CalendarSnapshot, snapshot, BridgeWire.Default.CalendarSnapshot);
            CalendarSnapshot back = Envelope.Parse(frame.AsMemory(BridgeProtocol.HeaderBytes)).ReadBody(BridgeWire.Default.CalendarSnapshot);
            double ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;

            started = Stopwatch.GetTimestamp();
            byte[] text = JsonSerializer.SerializeToUtf8Bytes(snapshot, BridgeJsonContext.Default.CalendarSnapshot);
            CalendarSnapshot backJson = JsonSerializer.Deserialize(text, BridgeJsonContext.Default.CalendarSnapshot)!;
            double jsonMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (back.Items.Count != snapshot.Items.Count || backJson.Items.Count != snapshot.Items.Count)
            {
                throw new InvalidOperationException("A codec lost items.");
            }

            if (i >= 2)
            {
                messagePack.Add(ms);
                json.Add(jsonMs);
            }
        }

        return (BridgeBenchmark.Median(messagePack), BridgeBenchmark.Median(json));
    }

    private static void Report(List<Run> fast, List<Run> itemwise, Comparison comparison, int bytes, int jsonBytes, double codecMs, double jsonCodecMs, int leaks, TimeSpan elapsed, Costs cached, Costs online)
    {
        Run f = fast[^1];
        int items = f.Snapshot.Items.Count;
        int occurrences = f.Snapshot.Items.Count(i => i.IsRecurring);
        int withLink = f.Snapshot.Items.Count(i => i.JoinUrl is not null);
        double ms = Median(fast, r => r.TotalMs);
        double itemwiseMs = Median(itemwise, r => r.TotalMs);
        long calls = f.Calls;
        long itemwiseCalls = itemwise[^1].Calls;

        var table = new Table("Figure (median of " + Runs.ToString(CultureInfo.InvariantCulture) + " runs)", "Table + Items", "Item by item", "Itemwise / table");
        table.Add("Read + sanitise + send (ms)", F(ms, 1), F(itemwiseMs, 1), F(itemwiseMs / ms, 1) + "×");
        table.Add("  read on the Outlook thread (ms)", F(Median(fast, r => r.ReadMs), 1), F(Median(itemwise, r => r.ReadMs), 1), F(Median(itemwise, r => r.ReadMs) / Median(fast, r => r.ReadMs), 1) + "×");
        table.Add("  sanitise on the Outlook thread (ms)", F(Median(fast, r => r.SanitiseMs), 1), F(Median(itemwise, r => r.SanitiseMs), 1), string.Empty);
        table.Add("  send, off it, until the agent's ack (ms)", F(Median(fast, r => r.SendMs), 1), F(Median(itemwise, r => r.SendMs), 1), string.Empty);
        table.Add("  fastest / slowest total (ms)", $"{F(fast.Min(r => r.TotalMs), 1)} / {F(fast.Max(r => r.TotalMs), 1)}", $"{F(itemwise.Min(r => r.TotalMs), 1)} / {F(itemwise.Max(r => r.TotalMs), 1)}", string.Empty);
        table.Add("Object-model calls", calls.ToString("N0", CultureInfo.InvariantCulture), itemwiseCalls.ToString("N0", CultureInfo.InvariantCulture), F((double)itemwiseCalls / calls, 1) + "×");
        table.Add("  per item sent", F((double)calls / items, 2), F((double)itemwiseCalls / itemwise[^1].Snapshot.Items.Count, 2), string.Empty);
        table.Add("  singles opened by EntryID for their body", f.Opened.ToString("N0", CultureInfo.InvariantCulture), "(every item)", string.Empty);
        table.Add("Items sent (singles + occurrences)", $"{items - occurrences:N0} + {occurrences:N0}", $"{itemwise[^1].Snapshot.Items.Count - itemwise[^1].Snapshot.Items.Count(i => i.IsRecurring):N0} + {itemwise[^1].Snapshot.Items.Count(i => i.IsRecurring):N0}", string.Empty);
        table.Add("  of which with a join link", withLink.ToString("N0", CultureInfo.InvariantCulture), itemwise[^1].Snapshot.Items.Count(i => i.JoinUrl is not null).ToString("N0", CultureInfo.InvariantCulture), string.Empty);
        table.Add("Snapshot on the wire (KB, MessagePack frame)", F(bytes / 1024.0, 0), string.Empty, $"cap {BridgeProtocol.MaxFrameBytes / 1024} KB");
        table.Add("  the same calendar as JSON (KB, protocol 1)", F(jsonBytes / 1024.0, 0), string.Empty, string.Empty);
        table.Add("Encode + decode in one process (ms, MessagePack / JSON)", $"{F(codecMs, 1)} / {F(jsonCodecMs, 1)}", string.Empty, "same run, same load");

        Console.WriteLine();
        Console.WriteLine($"calendar benchmark: {CalendarFixture.Singles + CalendarFixture.WeeklySeries + CalendarFixture.DailySeries:N0} appointments in a fake Outlook ({CalendarFixture.Singles:N0} singles, {CalendarFixture.WeeklySeries + CalendarFixture.DailySeries} series),");
        Console.WriteLine($"window now-1h .. now+{CalendarFixture.DaysAhead}d, one calendar.snapshot to the agent (child process) per run; {WarmupRuns} warm-up runs each;");
        Console.WriteLine($"{Environment.ProcessorCount} CPUs; {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}; finished in {elapsed.TotalSeconds:0.0} s.");
        Console.WriteLine();
        table.Write(Console.Out);
        Console.WriteLine();
        if (comparison.Fields.Count == 0)
        {
            Console.WriteLine("Both paths sent the same items, field for field.");
        }
        else
        {
            Console.WriteLine("Both paths sent the same ids, but these fields differ (count: singles + occurrences; first example):");
            foreach ((string field, (int count, int singles, int occurrenceCount, string example)) in comparison.Fields)
            {
                Console.WriteLine($"  {field}: {count:N0} items ({singles:N0} + {occurrenceCount:N0}); e.g. {example}");
            }
        }

        Console.WriteLine();
        int sentItems = f.Snapshot.Items.Count;
        var costs = new Table("The add-in's refresh (CalendarFeed) with Outlook's call costs", "Cached mode", "Online mode", "Goal");
        costs.Add("Cost of one call / one item opened", $"{cached.Model.PerCall.TotalMicroseconds:0} µs / {cached.Model.PerOpen.TotalMilliseconds:0} ms", $"{online.Model.PerCall.TotalMicroseconds:0} µs / {online.Model.PerOpen.TotalMilliseconds:0} ms", string.Empty);
        costs.Add("Object-model calls per item sent", F((double)cached.Calls / sentItems, 2), F((double)online.Calls / sentItems, 2), "≤ 1.5");
        costs.Add("Items opened by EntryID", cached.Opens.ToString("N0", CultureInfo.InvariantCulture), online.Opens.ToString("N0", CultureInfo.InvariantCulture), "≤ 500");
        costs.Add("Longest single hold of Outlook's thread (ms)", F(cached.MaxHoldMs, 1), F(online.MaxHoldMs, 1), "≤ 50");
        costs.Add("All holds of Outlook's thread together (ms)", F(cached.ThreadMs, 0), F(online.ThreadMs, 0), string.Empty);
        costs.Add("Refresh from start to the agent's ack (ms)", F(cached.RefreshMs, 0), F(online.RefreshMs, 0), string.Empty);
        costs.Add("One save of one appointment: longest hold (ms)", F(cached.DeltaMaxHoldMs, 1), F(online.DeltaMaxHoldMs, 1), "≤ 50");
        costs.Add("  its object-model calls", cached.DeltaCalls.ToString(CultureInfo.InvariantCulture), online.DeltaCalls.ToString(CultureInfo.InvariantCulture), string.Empty);
        costs.Write(Console.Out);
        Console.WriteLine();
        var final = new StringBuilder("calendar:");
        final.Append(" items=").Append(items.ToString(CultureInfo.InvariantCulture));
        final.Append(" ms=").Append(F(ms, 1));
        final.Append(" calls=").Append(calls.ToString(CultureInfo.InvariantCulture));
        final.Append(" itemwise_ms=").Append(F(itemwiseMs, 1));
        final.Append(" itemwise_calls=").Append(itemwiseCalls.ToString(CultureInfo.InvariantCulture));
        final.Append(" ratio=").Append(F(itemwiseMs / ms, 1));
        final.Append(" calls_per_item=").Append(F((double)calls / items, 2));
        final.Append(" itemwise_calls_per_item=").Append(F((double)itemwiseCalls / itemwise[^1].Snapshot.Items.Count, 2));
        final.Append(" read_ms=").Append(F(Median(fast, r => r.ReadMs), 1));
        final.Append(" itemwise_read_ms=").Append(F(Median(itemwise, r => r.ReadMs), 1));
        final.Append(" send_ms=").Append(F(Median(fast, r => r.SendMs), 1));
        final.Append(" opened=").Append(f.Opened.ToString(CultureInfo.InvariantCulture));
        final.Append(" occurrences=").Append(occurrences.ToString(CultureInfo.InvariantCulture));
        final.Append(" snapshot_kb=").Append(F(bytes / 1024.0, 0));
        final.Append(" json_snapshot_kb=").Append(F(jsonBytes / 1024.0, 0));
        final.Append(" codec_ms=").Append(F(codecMs, 1));
        final.Append(" json_codec_ms=").Append(F(jsonCodecMs, 1));
        final.Append(" field_diffs=").Append(comparison.Fields.Values.Sum(v => v.Count).ToString(CultureInfo.InvariantCulture));
        final.Append(" leaks=").Append(leaks.ToString(CultureInfo.InvariantCulture));
        final.Append(" cached_om_calls_per_item=").Append(F((double)cached.Calls / sentItems, 2));
        final.Append(" cached_opens=").Append(cached.Opens.ToString(CultureInfo.InvariantCulture));
        final.Append(" cached_max_hold_ms=").Append(F(cached.MaxHoldMs, 1));
        final.Append(" cached_thread_ms=").Append(F(cached.ThreadMs, 0));
        final.Append(" cached_delta_max_hold_ms=").Append(F(cached.DeltaMaxHoldMs, 1));

        // Online mode's figures last, under the keys the goals name.
        final.Append(" om_calls_per_item=").Append(F((double)online.Calls / sentItems, 2));
        final.Append(" opens=").Append(online.Opens.ToString(CultureInfo.InvariantCulture));
        final.Append(" max_hold_ms=").Append(F(online.MaxHoldMs, 1));
        final.Append(" thread_ms=").Append(F(online.ThreadMs, 0));
        final.Append(" delta_max_hold_ms=").Append(F(online.DeltaMaxHoldMs, 1));
        int goals = ((double)online.Calls / sentItems <= 1.5 ? 1 : 0) + (online.Opens <= 500 ? 1 : 0) + (online.MaxHoldMs <= 50 ? 1 : 0) + (comparison.Fields.Count == 0 ? 1 : 0);
        final.Append(" goals_met=").Append(goals.ToString(CultureInfo.InvariantCulture)).Append("/4");
        Console.WriteLine(final.ToString());
    }

    private static double Median(List<Run> runs, Func<Run, double> value) => BridgeBenchmark.Median([.. runs.Select(value)]);

    private static double Ms(long from, long to) => Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;

    private static string F(double value, int decimals) => BridgeBenchmark.F(value, decimals);

    private sealed record Run(CalendarSnapshot Snapshot, CalendarAck Ack, long Calls, double TotalMs, double ReadMs, double SanitiseMs, double SendMs, int Opened);

    private sealed record Costs(FakeCallCosts Model, long Calls, long Opens, double MaxHoldMs, double ThreadMs, double RefreshMs, double DeltaMaxHoldMs, long DeltaCalls);

    private sealed class SilentLog : IAddinLog
    {
        public void Write(string level, string message)
        {
        }
    }

    private sealed record Comparison(List<string> CountProblems, SortedDictionary<string, (int Count, int Singles, int Occurrences, string Example)> Fields);
}
