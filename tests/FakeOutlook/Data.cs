using System;
using System.Collections.Generic;
using System.Linq;

namespace FakeOutlook;

internal sealed class RecipientData
{
    public string Name = "";
    public string Address = "";
    public int Type = 1;
    public bool Resolved;
    public bool IsRoom;
    public int ResponseStatus;

    public RecipientData Clone() => (RecipientData)MemberwiseClone();
}

internal sealed class UserPropertyDef
{
    public string Name = "";
    public int Type = 1;
}

internal sealed class ExceptionData
{
    public DateTime OriginalStartUtc;
    public bool Deleted;
    public ItemData? Item; // the changed occurrence (Start/End/Subject...)

    public ExceptionData Clone() => new() { OriginalStartUtc = OriginalStartUtc, Deleted = Deleted, Item = Item?.Clone() };
}

internal sealed class RecurrenceData
{
    public int Type = 1;
    public int Interval = 1;
    public int DayOfWeekMask;
    public int DayOfMonth;
    public int Instance;
    public int MonthOfYear;
    public DateTime PatternStartDate; // date, series time zone
    public DateTime PatternEndDate = new(4500, 8, 31); // date; far future when NoEndDate
    public bool NoEndDate = true;
    public int Occurrences;
    public TimeSpan StartTime; // time of day, series time zone
    public int DurationMinutes = 30;
    public List<ExceptionData> Exceptions = new();

    /// <summary>
    /// The exception of the occurrence on <paramref name="date"/> (series zone) that the pattern puts at
    /// <paramref name="originalUtc"/>: a changed one by its original start; a deleted one by its date alone. The
    /// recurrence BLOB keeps deleted occurrences as dates (MS-OXOCAL 2.2.1.44.1, DeletedInstanceDates; FACTS §2.5,
    /// Exception.OriginalDate), so an occurrence deleted stays deleted when the series' time of day changes.
    /// </summary>
    public ExceptionData? ExceptionOn(DateTime date, DateTime originalUtc, TimeZoneInfo zone) =>
        Exceptions.FirstOrDefault(e => e.OriginalStartUtc == originalUtc)
        ?? Exceptions.FirstOrDefault(e => e.Deleted && World.FromUtc(e.OriginalStartUtc, zone).Date == date.Date);

    public RecurrenceData Clone()
    {
        var c = (RecurrenceData)MemberwiseClone();
        c.Exceptions = Exceptions.Select(e => e.Clone()).ToList();
        return c;
    }

    /// <summary>Occurrence dates (date part, series zone) in order, starting at or a little before <paramref name="from"/>.</summary>
    public IEnumerable<DateTime> Dates(DateTime? from = null)
    {
        DateTime start = PatternStartDate.Date;
        DateTime last = NoEndDate ? DateTime.MaxValue.Date : PatternEndDate.Date;
        int interval = Math.Max(1, Interval);
        bool canJump = from is DateTime f && f > start;
        switch (Type)
        {
            case 0:
            {
                long k = canJump ? Math.Max(0, ((from!.Value - start).Days / interval) - 1) : 0;
                for (DateTime d = start.AddDays(k * interval); d <= last; d = d.AddDays(interval))
                {
                    yield return d;
                }

                yield break;
            }

            case 1:
            {
                int mask = DayOfWeekMask == 0 ? 1 << (int)start.DayOfWeek : DayOfWeekMask;
                DateTime week = start.AddDays(-(int)start.DayOfWeek);
                long w = canJump ? Math.Max(0, ((from!.Value - week).Days / 7 / interval) - 1) : 0;
                for (week = week.AddDays(w * 7 * interval); week <= last; week = week.AddDays(7 * interval))
                {
                    for (int day = 0; day < 7; day++)
                    {
                        DateTime d = week.AddDays(day);
                        if ((mask & (1 << day)) != 0 && d >= start && d <= last)
                        {
                            yield return d;
                        }
                    }
                }

                yield break;
            }

            default:
            {
                int stepMonths = Type is 5 or 6 ? 12 * (Interval >= 12 && Interval % 12 == 0 ? Interval / 12 : interval) : interval;
                DateTime month = new(start.Year, Type is 5 or 6 && MonthOfYear is >= 1 and <= 12 ? MonthOfYear : start.Month, 1);
                if (month > start)
                {
                    month = month.AddYears(-1);
                }

                if (canJump)
                {
                    int months = ((from!.Value.Year - month.Year) * 12) + from.Value.Month - month.Month;
                    int steps = Math.Max(0, (months / stepMonths) - 1);
                    month = month.AddMonths(steps * stepMonths);
                }

                for (; month <= last; month = month.AddMonths(stepMonths))
                {
                    DateTime? d = Type is 2 or 5 ? DayInMonth(month) : NthInMonth(month);
                    if (d is DateTime x && x >= start && x <= last)
                    {
                        yield return x;
                    }
                }

                yield break;
            }
        }
    }

    private DateTime DayInMonth(DateTime month)
    {
        int dom = DayOfMonth <= 0 ? PatternStartDate.Day : DayOfMonth;
        return month.AddDays(Math.Min(dom, DateTime.DaysInMonth(month.Year, month.Month)) - 1);
    }

    private DateTime? NthInMonth(DateTime month)
    {
        int mask = DayOfWeekMask == 0 ? 1 << (int)PatternStartDate.DayOfWeek : DayOfWeekMask;
        var matching = new List<DateTime>(8);
        for (int i = 0; i < DateTime.DaysInMonth(month.Year, month.Month); i++)
        {
            DateTime d = month.AddDays(i);
            if ((mask & (1 << (int)d.DayOfWeek)) != 0)
            {
                matching.Add(d);
            }
        }

        int n = Instance <= 0 ? 1 : Instance;
        if (n >= 5)
        {
            return matching.Count > 0 ? matching[^1] : null;
        }

        return n <= matching.Count ? matching[n - 1] : null;
    }
}

/// <summary>The stored or in-memory properties of one appointment.</summary>
internal sealed class ItemData
{
    public string Subject = "";
    public DateTime StartUtc;
    public DateTime EndUtc;
    public string StartZoneId = "";
    public string EndZoneId = "";
    public string Location = "";
    public string Body = "";
    public byte[]? Rtf;
    public bool AllDayEvent;
    public int BusyStatus = 2;
    public int MeetingStatus;
    public int ResponseStatus;
    public int Sensitivity;
    public string Categories = "";
    public bool ReminderSet = true;
    public int ReminderMinutesBeforeStart = 15;
    public string Organizer = "";
    public string MessageClass = "IPM.Appointment";
    public string GlobalAppointmentId = "";
    public DateTime CreationTimeUtc;
    public DateTime LastModificationTimeUtc;
    public List<RecipientData> Recipients = new();
    public RecurrenceData? Recurrence;
    public Dictionary<string, object?> Named = new(StringComparer.Ordinal);
    public List<UserPropertyDef> UserProps = new();

    public ItemData Clone()
    {
        var c = (ItemData)MemberwiseClone();
        c.Recipients = Recipients.Select(r => r.Clone()).ToList();
        c.Recurrence = Recurrence?.Clone();
        c.Named = new Dictionary<string, object?>(Named, StringComparer.Ordinal);
        c.UserProps = UserProps.Select(u => new UserPropertyDef { Name = u.Name, Type = u.Type }).ToList();
        c.Rtf = Rtf?.ToArray();
        return c;
    }

    public string Attendees(int type) => string.Join("; ", Recipients.Where(r => r.Type == type).Select(r => r.Name));
}
