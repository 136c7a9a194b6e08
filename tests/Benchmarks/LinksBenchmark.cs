using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using ClientBridge.Protocol.Links;

namespace Benchmarks;

/// <summary>
/// <c>links</c>: <see cref="MeetingLinks.Extract"/> (every service, unwrapping, ids, passcodes, dial-ins, HTML read as
/// text) on a one-megabyte HTML invitation built from the link-detection corpus, with its join links near the end,
/// beside one compiled <see cref="Regex.IsMatch(string)"/> pass for a single service's link over the same text.
/// </summary>
internal static class LinksBenchmark
{
    private const int TargetChars = 1_000_000;
    private const int WarmupRuns = 5;
    private const int Runs = 21;
    private const string BaselinePattern = @"https?://([a-z0-9-]+\.)*zoom\.us/j/[0-9]+";

    public static Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        string corpus = FindCorpus();
        string html = BuildInvitation(corpus);
        double megabytes = Encoding.UTF8.GetByteCount(html) / 1_000_000.0;
        var baseline = new Regex(BaselinePattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled);

        IReadOnlyList<MeetingDetails> found = MeetingLinks.Extract(null, html);
        if (found.Count != 3 || !baseline.IsMatch(html))
        {
            Console.Error.WriteLine($"links: expected the 3 invitations at the end, found {found.Count}: {string.Join(", ", found)}");
            return Task.FromResult(1);
        }

        Console.Error.WriteLine($"links: {megabytes:F2} MB of HTML from {corpus}; warming up…");
        for (int i = 0; i < WarmupRuns; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            _ = MeetingLinks.Extract(null, html);
            _ = baseline.IsMatch(html);
        }

        var detect = new List<double>();
        var regex = new List<double>();
        for (int i = 0; i < Runs; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            long started = Stopwatch.GetTimestamp();
            found = MeetingLinks.Extract(null, html);
            detect.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);

            started = Stopwatch.GetTimestamp();
            bool matched = baseline.IsMatch(html);
            regex.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (!matched || found.Count != 3)
            {
                throw new InvalidOperationException("links: the results changed between runs.");
            }
        }

        double detectMs = BridgeBenchmark.Median(detect);
        double regexMs = BridgeBenchmark.Median(regex);
        double mbPerS = megabytes / (detectMs / 1000);
        double baselineMbPerS = megabytes / (regexMs / 1000);

        var table = new Table("Figure (median of " + Runs.ToString(CultureInfo.InvariantCulture) + " runs)", "Extract", "Regex.IsMatch", "IsMatch / Extract");
        table.Add("Time for the whole text (ms)", BridgeBenchmark.F(detectMs, 2), BridgeBenchmark.F(regexMs, 2), string.Empty);
        table.Add("  fastest / slowest (ms)", $"{BridgeBenchmark.F(detect.Min(), 2)} / {BridgeBenchmark.F(detect.Max(), 2)}", $"{BridgeBenchmark.F(regex.Min(), 2)} / {BridgeBenchmark.F(regex.Max(), 2)}", string.Empty);
        table.Add("Throughput (MB/s of UTF-8)", BridgeBenchmark.F(mbPerS, 1), BridgeBenchmark.F(baselineMbPerS, 1), BridgeBenchmark.F(baselineMbPerS / mbPerS, 1) + "×");
        table.Add("What it finds", $"{found.Count} links, ids, passcodes", "yes/no, one service", string.Empty);

        Console.WriteLine();
        Console.WriteLine($"links benchmark: a {megabytes:F2} MB HTML invitation ({html.Length:N0} chars) built from the corpus, its {found.Count} join links in the last 1%;");
        Console.WriteLine($"Extract (all {MeetingLinks.Services.Count} services, HTML to text, unwrapping, ids, passcodes, dial-ins) vs one compiled Regex.IsMatch for {BaselinePattern};");
        Console.WriteLine($"{WarmupRuns} warm-up runs each; {Environment.ProcessorCount} CPUs; {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}; finished in {total.Elapsed.TotalSeconds:0.0} s.");
        Console.WriteLine();
        table.Write(Console.Out);
        Console.WriteLine();
        foreach (MeetingDetails link in found)
        {
            Console.WriteLine($"  {link.Service}: id {link.MeetingId ?? "-"}, passcode {link.Passcode ?? "-"}, {link.DialIns.Count} dial-in(s)");
        }

        Console.WriteLine();
        Console.WriteLine($"links: mb_per_s={BridgeBenchmark.F(mbPerS, 1)} baseline_mb_per_s={BridgeBenchmark.F(baselineMbPerS, 1)}");
        return Task.FromResult(0);
    }

    /// <summary>
    /// Mail that is not an invitation (the decoys and the no-meeting texts: marketing and help links, phone numbers,
    /// the word "password") repeated to a megabyte, then three HTML invitations: Teams, Zoom, Google Meet.
    /// </summary>
    private static string BuildInvitation(string corpus)
    {
        string decoys = Body(File.ReadAllText(Path.Combine(corpus, "decoys.html")));
        string plain = "<p>" + File.ReadAllText(Path.Combine(corpus, "no-meeting.txt")).Replace("\n", "<br>\n", StringComparison.Ordinal) + "</p>\n";
        var sb = new StringBuilder(TargetChars + 64 * 1024);
        sb.Append("<html><head><style>p{margin:0}</style></head><body>\n");
        int section = 0;
        while (sb.Length < TargetChars)
        {
            sb.Append("<div class=\"quoted\" id=\"q").Append(section++.ToString(CultureInfo.InvariantCulture)).Append("\">\n").Append(decoys).Append(plain).Append("</div>\n");
        }

        foreach (string name in new[] { "teams-html.html", "zoom-outlook.html", "meet-calendar.html" })
        {
            sb.Append(Body(File.ReadAllText(Path.Combine(corpus, name)))).Append('\n');
        }

        return sb.Append("</body></html>\n").ToString();
    }

    /// <summary>What is between &lt;body&gt; and &lt;/body&gt;, or the whole text when it has no body element.</summary>
    private static string Body(string html)
    {
        int open = html.IndexOf("<body", StringComparison.OrdinalIgnoreCase);
        int start = open < 0 ? 0 : html.IndexOf('>', open) + 1;
        int end = html.IndexOf("</body>", StringComparison.OrdinalIgnoreCase);
        return html[start..(end < 0 ? html.Length : end)];
    }

    private static string FindCorpus()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, "tests", "ClientBridge.Protocol.Tests", "Links", "corpus");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("links: the corpus (tests/ClientBridge.Protocol.Tests/Links/corpus) was not found above " + AppContext.BaseDirectory);
    }
}
