using System;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using OutlookPlugin.Core.Rules;

namespace OutlookPlugin.Tests.Rules;

/// <summary>Where "New video meeting" puts the appointment, from the calendar view's selection (issue 13, point 5).</summary>
[TestClass]
public sealed class NewMeetingTimesTests
{
    private static readonly DateTime Now = new(2026, 12, 8, 10, 7, 20);

    [TestMethod]
    [DataRow(null, null, "2026-12-08 10:30", "2026-12-08 11:00", DisplayName = "no calendar view: the next half hour")]
    [DataRow("4501-01-01 00:00", "4501-01-01 00:00", "2026-12-08 10:30", "2026-12-08 11:00", DisplayName = "nothing selected (4501): the next half hour")]
    [DataRow("2026-12-09 14:00", "2026-12-09 14:45", "2026-12-09 14:00", "2026-12-09 14:45", DisplayName = "a selected slot is kept")]
    [DataRow("2026-12-09 14:00", "2026-12-09 14:00", "2026-12-09 14:00", "2026-12-09 14:30", DisplayName = "a selection with no length gets half an hour")]
    [DataRow("2026-12-09 14:00", "4501-01-01 00:00", "2026-12-09 14:00", "2026-12-09 14:30", DisplayName = "an end of 4501 is no end")]
    [DataRow("2026-12-10 00:00", "2026-12-11 00:00", "2026-12-10 09:00", "2026-12-10 09:30", DisplayName = "a whole other day: half an hour at 9:00, not a 24-hour meeting")]
    [DataRow("2026-12-08 00:00", "2026-12-09 00:00", "2026-12-08 10:30", "2026-12-08 11:00", DisplayName = "today as a whole day: the next half hour")]
    [DataRow("2026-12-14 00:00", "2026-12-17 00:00", "2026-12-14 09:00", "2026-12-14 09:30", DisplayName = "several whole days: the first of them")]
    [DataRow("2026-12-09 00:00", "2026-12-09 00:30", "2026-12-09 00:00", "2026-12-09 00:30", DisplayName = "half an hour at midnight is a slot, not a day")]
    public void The_new_appointment_starts_where_the_user_would_expect(string? selectedStart, string? selectedEnd, string start, string end)
    {
        (DateTime s, DateTime e) = NewMeetingTimes.For(Parse(selectedStart), Parse(selectedEnd), Now);

        Assert.AreEqual(Parse(start), s);
        Assert.AreEqual(Parse(end), e);
    }

    [TestMethod]
    [DataRow("10:00:00", "10:30")]
    [DataRow("10:00:20", "10:30")]
    [DataRow("10:29:59", "10:30")]
    [DataRow("10:30:00", "11:00")]
    [DataRow("23:45:00", "00:00")]
    public void The_next_half_hour_is_always_ahead(string now, string expected)
    {
        DateTime at = DateTime.Parse("2026-12-08 " + now, System.Globalization.CultureInfo.InvariantCulture);

        DateTime next = NewMeetingTimes.NextHalfHour(at);

        Assert.AreEqual(expected, next.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture));
        Assert.IsGreaterThan(at, next);
    }

    private static DateTime? Parse(string? text) =>
        text is null ? null : DateTime.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
}
