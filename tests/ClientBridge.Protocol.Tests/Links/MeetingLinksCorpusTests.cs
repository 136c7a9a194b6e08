using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using ClientBridge.Protocol.Links;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace ClientBridge.Protocol.Tests.Links;

/// <summary>
/// Invitation texts as Zoom, Teams, Webex, Google Calendar, GoTo and others write them (plain and HTML, some behind
/// SafeLinks or Proofpoint), each with a sidecar <c>NAME.expected.json</c> listing every link that must be found,
/// best first, with its id, passcode and one-tap dial-ins: nothing missed, nothing invented.
/// </summary>
[TestClass]
public sealed class MeetingLinksCorpusTests
{
    private static readonly string CorpusDirectory = Path.Combine(AppContext.BaseDirectory, "Links", "corpus");

    public static IEnumerable<object[]> Cases() =>
        Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "Links", "corpus"))
            .Where(path => !path.EndsWith(".expected.json", StringComparison.Ordinal))
            .Select(path => new object[] { Path.GetFileName(path) })
            .OrderBy(row => (string)row[0], StringComparer.Ordinal);

    [TestMethod]
    public void The_corpus_is_there_and_large_enough()
    {
        string[] texts = [.. Cases().Select(row => (string)row[0])];
        Assert.IsGreaterThanOrEqualTo(20, texts.Length, string.Join(", ", texts));
        foreach (string name in texts)
        {
            Assert.IsTrue(File.Exists(ExpectedPath(name)), "no expectations for " + name);
        }

        Assert.IsTrue(texts.Any(n => n.EndsWith(".html", StringComparison.Ordinal)));
        Assert.IsTrue(texts.Any(n => n.EndsWith(".txt", StringComparison.Ordinal)));
    }

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void Each_invitation_gives_exactly_its_links_ids_and_passcodes(string name)
    {
        string body = File.ReadAllText(Path.Combine(CorpusDirectory, name));
        using JsonDocument expected = JsonDocument.Parse(File.ReadAllText(ExpectedPath(name)));
        string? location = expected.RootElement.TryGetProperty("location", out JsonElement l) ? l.GetString() : null;

        IReadOnlyList<MeetingDetails> found = MeetingLinks.Extract(location, body);

        string[] want = [.. expected.RootElement.GetProperty("links").EnumerateArray().Select(Describe)];
        string[] got = [.. found.Select(Describe)];
        CollectionAssert.AreEqual(want, got, name + ": expected\n  " + string.Join("\n  ", want) + "\nfound\n  " + string.Join("\n  ", got));

        // The first is the one the add-in and the tray join by.
        Assert.AreEqual(found.Count > 0 ? found[0].Url : null, MeetingLinks.FindBest(location, body)?.Url, name);
    }

    private static string ExpectedPath(string name) => Path.Combine(CorpusDirectory, Path.GetFileNameWithoutExtension(name) + ".expected.json");

    private static string Describe(JsonElement link)
    {
        string[] dialIns = link.TryGetProperty("dialIns", out JsonElement d) ? [.. d.EnumerateArray().Select(e => e.GetString()!)] : [];
        return Describe(link.GetProperty("service").GetString()!, link.GetProperty("url").GetString()!, link.GetProperty("meetingId").GetString(), link.GetProperty("passcode").GetString(), dialIns);
    }

    private static string Describe(MeetingDetails d) => Describe(d.Service, d.Url, d.MeetingId, d.Passcode, d.DialIns);

    private static string Describe(string service, string url, string? id, string? passcode, IReadOnlyList<string> dialIns) =>
        $"{service} | {url} | id={id ?? "null"} | passcode={passcode ?? "null"} | dial={string.Join(" ", dialIns)}";
}
