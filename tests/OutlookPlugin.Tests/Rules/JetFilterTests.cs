using System;
using System.Globalization;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using OutlookPlugin.Core.Rules;

namespace OutlookPlugin.Tests.Rules;

[TestClass]
public sealed class JetFilterTests
{
    private static readonly DateTime WindowStart = new(2025, 3, 7, 8, 5, 42);
    private static readonly DateTime WindowEnd = new(2025, 3, 21, 17, 30, 0, 1);

    /// <summary>Regional settings as Windows would have them (InvariantGlobalization leaves no real culture data).</summary>
    private static CultureInfo Culture(string date, string time, string dateSeparator = "/", string timeSeparator = ":", string am = "AM", string pm = "PM")
    {
        var culture = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        culture.DateTimeFormat.ShortDatePattern = date;
        culture.DateTimeFormat.ShortTimePattern = time;
        culture.DateTimeFormat.DateSeparator = dateSeparator;
        culture.DateTimeFormat.TimeSeparator = timeSeparator;
        culture.DateTimeFormat.AMDesignator = am;
        culture.DateTimeFormat.PMDesignator = pm;
        return culture;
    }

    [TestMethod]
    [DataRow("M/d/yyyy", "h:mm tt", "/", "[Start] <= '3/21/2025 5:31 PM' AND [End] >= '3/7/2025 8:05 AM'")]
    [DataRow("dd/MM/yyyy", "HH:mm", "/", "[Start] <= '21/03/2025 17:31' AND [End] >= '07/03/2025 08:05'")]
    [DataRow("dd.MM.yyyy", "HH:mm", ".", "[Start] <= '21.03.2025 17:31' AND [End] >= '07.03.2025 08:05'")]
    [DataRow("yyyy. MM. dd.", "H:mm", ".", "[Start] <= '2025. 03. 21. 17:31' AND [End] >= '2025. 03. 07. 8:05'")]
    [DataRow("dd/MM/yyyy", "HH:mm:ss", "/", "[Start] <= '21/03/2025 17:31' AND [End] >= '07/03/2025 08:05'")]
    [DataRow("M/d/yyyy", "h:mm:ss tt", "/", "[Start] <= '3/21/2025 5:31 PM' AND [End] >= '3/7/2025 8:05 AM'")]
    public void Window_is_the_overlap_filter_in_the_regional_format(string date, string time, string separator, string expected)
    {
        Assert.AreEqual(expected, JetFilter.Window(WindowStart, WindowEnd, Culture(date, time, separator)));
    }

    [TestMethod]
    [DataRow("HH:mm:ss", "HH:mm")]
    [DataRow("h:mm:ss tt", "h:mm tt")]
    [DataRow("tt h:mm:ss", "tt h:mm")]
    [DataRow("H.mm.ss", "H.mm")]
    [DataRow("HH:mm:ss.fff", "HH:mm")]
    [DataRow("ss:HH:mm", "HH:mm")]
    [DataRow("HH'h'mm", "HH'h'mm")]
    [DataRow("HH 'Uhr' mm", "HH 'Uhr' mm")]
    public void Seconds_leave_the_time_pattern(string pattern, string expected)
    {
        Assert.AreEqual(expected, JetFilter.WithoutSeconds(pattern));
    }

    [TestMethod]
    [DataRow("M/d/yyyy", "h:mm tt", "/", ":")]
    [DataRow("dd/MM/yyyy", "HH:mm", "/", ":")]
    [DataRow("dd.MM.yyyy", "HH:mm", ".", ":")]
    [DataRow("yyyy. MM. dd.", "H:mm", ".", ":")]
    [DataRow("yyyy-MM-dd", "H.mm.ss", "-", ".")]
    [DataRow("d/M/yyyy", "tt h:mm:ss", "/", ":")]
    public void Literals_parse_back_to_the_intended_minute(string date, string time, string dateSeparator, string timeSeparator)
    {
        CultureInfo culture = Culture(date, time, dateSeparator, timeSeparator);
        string pattern = JetFilter.Pattern(culture);
        Assert.DoesNotContain("s", pattern.Replace("'", string.Empty));
        foreach (DateTime value in new[] { WindowStart, WindowEnd, new DateTime(2024, 12, 31, 23, 59, 59), new DateTime(2025, 1, 1, 0, 0, 0) })
        {
            DateTime floor = new(value.Year, value.Month, value.Day, value.Hour, value.Minute, 0);
            string literal = JetFilter.Literal(floor, culture);
            Assert.AreEqual(floor, DateTime.ParseExact(literal, pattern, culture, DateTimeStyles.None), literal);
        }
    }

    [TestMethod]
    public void Edges_are_rounded_outward_to_whole_minutes()
    {
        CultureInfo culture = Culture("yyyy-MM-dd", "HH:mm", "-");
        Assert.AreEqual("[Start] <= '2025-03-07 08:06' AND [End] >= '2025-03-07 08:05'",
            JetFilter.Window(new DateTime(2025, 3, 7, 8, 5, 59, 999), new DateTime(2025, 3, 7, 8, 5, 59, 999).AddTicks(1), culture));
        Assert.AreEqual("[Start] <= '2025-03-07 09:00' AND [End] >= '2025-03-07 08:00'",
            JetFilter.Window(new DateTime(2025, 3, 7, 8, 0, 0), new DateTime(2025, 3, 7, 9, 0, 0), culture));
    }

    [TestMethod]
    public void Quotes_in_a_pattern_are_doubled()
    {
        CultureInfo culture = Culture("yyyy-MM-dd", "HH'h'mm", "-");
        StringAssert.Contains(JetFilter.Window(WindowStart, WindowStart, culture), "'2025-03-07 08h05'");
        CultureInfo quoting = Culture("yyyy-MM-dd", "HH\\'mm", "-");
        StringAssert.Contains(JetFilter.Window(WindowStart, WindowStart, quoting), "'2025-03-07 08''05'");
    }

    [TestMethod]
    public void Bad_arguments_are_rejected()
    {
        Assert.ThrowsExactly<ArgumentNullException>(() => JetFilter.Window(WindowStart, WindowEnd, null!));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => JetFilter.Window(WindowEnd, WindowStart, CultureInfo.InvariantCulture));
        Assert.EndsWith("'", JetFilter.Window(DateTime.MaxValue.AddSeconds(-1), DateTime.MaxValue, CultureInfo.InvariantCulture));
    }
}
