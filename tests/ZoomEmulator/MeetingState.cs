using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;

namespace ZoomEmulator;

/// <summary>A live meeting; guarded by the server's lock.</summary>
internal sealed class MeetingState
{
    private const int MaxOccurrences = 50;

    public required long Id { get; init; }
    public required string HostUser { get; init; }
    public required string Password { get; set; }
    public required string PasswordToken { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public string Topic { get; set; } = "Zoom meeting";
    public int Type { get; set; } = 2;
    public string? StartTimeAsSent { get; set; }
    public DateTimeOffset? StartTime { get; set; }
    public string Timezone { get; set; } = "UTC";
    public int Duration { get; set; } = 60;
    public string? Agenda { get; set; }
    public JsonObject? Recurrence { get; set; }
    public JsonObject Settings { get; set; } = [];
    public string? ScheduleFor { get; set; }
    public HashSet<string> DeletedOccurrences { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, (DateTimeOffset Start, int Duration)> OccurrenceOverrides { get; } = new(StringComparer.Ordinal);

    public Uri JoinUrl => new($"https://zoom.example/j/{Id.ToString(CultureInfo.InvariantCulture)}?pwd={PasswordToken}");

    /// <summary>Applies create/update fields. Returns an error message for a body Zoom would refuse, else null.</summary>
    public string? Apply(JsonObject body, string userTimezone, DateTimeOffset now)
    {
        if (body["topic"] is JsonValue topic)
        {
            Topic = topic.GetValue<string>();
        }

        if (body["type"] is JsonValue type)
        {
            Type = type.GetValue<int>();
            if (Type is 1 or 2)
            {
                // A series made single keeps no pattern and no occurrences, as Zoom's update does.
                Recurrence = null;
                DeletedOccurrences.Clear();
                OccurrenceOverrides.Clear();
            }
        }

        if (body["timezone"] is JsonValue zone)
        {
            Timezone = zone.GetValue<string>();
        }
        else if (StartTimeAsSent is null && body["start_time"] is not null)
        {
            Timezone = userTimezone;
        }

        if (body["duration"] is JsonValue duration)
        {
            Duration = duration.GetValue<int>();
        }

        if (body["agenda"] is JsonValue agenda)
        {
            Agenda = agenda.GetValue<string>();
        }

        if (body["password"] is JsonValue password)
        {
            Password = password.GetValue<string>(); // An empty one removes the passcode, as Zoom's update does.
        }

                if (body["schedule_for"] is JsonValue scheduleFor)
        {
            ScheduleFor = scheduleFor.GetValue<string>();
        }

        if (body["recurrence"] is JsonObject recurrence)
        {
            Recurrence = (JsonObject)recurrence.DeepClone();
        }

        if (body["settings"] is JsonObject settings)
        {
            foreach (var (name, value) in settings)
            {
                Settings[name] = value?.DeepClone();
            }
        }

        if (body["start_time"] is JsonValue start)
        {
            StartTimeAsSent = start.GetValue<string>();
        }

        if (StartTimeAsSent is not null && ZoomDateTime.TryParse(StartTimeAsSent, out var wall, out var isUtc))
        {
            StartTime = isUtc
                ? new DateTimeOffset(DateTime.SpecifyKind(wall, DateTimeKind.Utc))
                : ZoomDateTime.ToInstant(wall, ZoomDateTime.FindZone(Timezone));
        }

        if (Type == 1)
        {
            StartTime ??= now;
        }

        if (Type == 8 && Recurrence is null)
        {
            return "Recurrence is required for a recurring meeting with fixed time (type 8).";
        }

        if (Type == 8 && StartTime is null)
        {
            StartTime = now;
        }

        return null;
    }

    /// <summary>All occurrences of a type 8 meeting, deleted ones flagged.</summary>
    public IReadOnlyList<EmulatedOccurrence> Occurrences()
    {
        if (Type != 8 || Recurrence is null || StartTime is null)
        {
            return [];
        }

        var zone = ZoomDateTime.FindZone(Timezone);
        var startLocal = TimeZoneInfo.ConvertTimeFromUtc(StartTime.Value.UtcDateTime, zone);
        var recurrenceType = Int(Recurrence, "type") ?? 1;
        var interval = Math.Max(1, Int(Recurrence, "repeat_interval") ?? 1);
        var endTimes = Int(Recurrence, "end_times");
        DateTimeOffset? endDate = null;
        if (Recurrence["end_date_time"] is JsonValue endText
            && ZoomDateTime.TryParse(endText.GetValue<string>(), out var endWall, out var endUtc))
        {
            endDate = endUtc ? new DateTimeOffset(DateTime.SpecifyKind(endWall, DateTimeKind.Utc)) : ZoomDateTime.ToInstant(endWall, zone);
        }

        var count = Math.Min(MaxOccurrences, endTimes ?? (endDate is null ? 1 : MaxOccurrences));
        var weekDays = (Recurrence["weekly_days"] as JsonValue)?.GetValue<string>()
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => int.Parse(d, CultureInfo.InvariantCulture)).ToHashSet()
            ?? [(int)startLocal.DayOfWeek + 1];
        var monthlyDay = Int(Recurrence, "monthly_day");
        var monthlyWeek = Int(Recurrence, "monthly_week");
        var monthlyWeekDay = Int(Recurrence, "monthly_week_day");
        var firstDay = startLocal.Date;
        var firstWeek = firstDay.AddDays(-(int)firstDay.DayOfWeek);
        var result = new List<EmulatedOccurrence>();
        for (var day = firstDay; result.Count < count && day < firstDay.AddYears(20); day = day.AddDays(1))
        {
            var matches = recurrenceType switch
            {
                1 => (day - firstDay).Days % interval == 0,
                2 => (day - firstWeek).Days / 7 % interval == 0 && weekDays.Contains((int)day.DayOfWeek + 1),
                3 => MonthsBetween(firstDay, day) % interval == 0 && MonthlyMatch(day, firstDay, monthlyDay, monthlyWeek, monthlyWeekDay),
                _ => false,
            };
            if (!matches)
            {
                continue;
            }

            var instant = ZoomDateTime.ToInstant(day + startLocal.TimeOfDay, zone);
            if (instant < StartTime.Value)
            {
                continue;
            }

            if (endDate is not null && instant > endDate.Value)
            {
                break;
            }

            var id = instant.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
            var (start, length) = OccurrenceOverrides.TryGetValue(id, out var changed) ? changed : (instant, Duration);
            result.Add(new EmulatedOccurrence(id, start, length, DeletedOccurrences.Contains(id)));
        }

        return result;
    }

    public EmulatedMeeting Snapshot() => new(
        Id, HostUser, Topic, Type, Type == 3 ? null : StartTime, StartTimeAsSent, Timezone, Duration, Agenda, Password,
        Recurrence?.ToJsonString(), Settings.ToJsonString(), ScheduleFor, [.. DeletedOccurrences.Order(StringComparer.Ordinal)],
        Occurrences(), JoinUrl, CreatedAt);

    public JsonObject ToJson(string hostId, string? occurrenceId)
    {
        var occurrences = Occurrences();
        var json = new JsonObject
        {
            ["uuid"] = Convert.ToBase64String(BitConverter.GetBytes(Id)),
            ["id"] = Id,
            ["host_id"] = hostId,
            ["host_email"] = HostUser,
            ["assistant_id"] = ScheduleFor is null ? null : hostId,
            ["topic"] = Topic,
            ["type"] = Type,
            ["status"] = "waiting",
            ["timezone"] = Timezone,
            ["duration"] = Duration,
            ["created_at"] = ZoomDateTime.Format(CreatedAt),
            ["start_url"] = $"https://zoom.example/s/{Id.ToString(CultureInfo.InvariantCulture)}?zak=emulated",
            ["join_url"] = JoinUrl.ToString(),
            ["password"] = Password,
            ["h323_password"] = Password,
            ["pre_schedule"] = false,
            ["settings"] = Settings.DeepClone(),
        };
        if (Type != 3 && StartTime is not null)
        {
            var start = StartTime.Value;
            if (occurrenceId is not null && occurrences.FirstOrDefault(o => o.OccurrenceId == occurrenceId) is { } occurrence)
            {
                start = occurrence.StartTime;
                json["duration"] = occurrence.Duration;
            }

            json["start_time"] = ZoomDateTime.Format(start);
        }

        if (Agenda is not null)
        {
            json["agenda"] = Agenda;
        }

        if (Recurrence is not null && Type is 3 or 8)
        {
            json["recurrence"] = Recurrence.DeepClone();
        }

        if (Type == 8)
        {
            var array = new JsonArray();
            foreach (var occurrence in occurrences.Where(o => !o.Deleted))
            {
                array.Add(new JsonObject
                {
                    ["occurrence_id"] = occurrence.OccurrenceId,
                    ["start_time"] = ZoomDateTime.Format(occurrence.StartTime),
                    ["duration"] = occurrence.Duration,
                    ["status"] = "available",
                });
            }

            json["occurrences"] = array;
        }

        return json;
    }

    private static int? Int(JsonObject json, string name) => json[name] is JsonValue value ? value.GetValue<int>() : null;

    private static int MonthsBetween(DateTime first, DateTime day) => ((day.Year - first.Year) * 12) + day.Month - first.Month;

    private static bool MonthlyMatch(DateTime day, DateTime first, int? monthlyDay, int? monthlyWeek, int? monthlyWeekDay)
    {
        if (monthlyWeek is { } week && monthlyWeekDay is { } weekDay)
        {
            if ((int)day.DayOfWeek + 1 != weekDay)
            {
                return false;
            }

            return week == -1 ? day.AddDays(7).Month != day.Month : ((day.Day - 1) / 7) + 1 == week;
        }

        return day.Day == (monthlyDay ?? first.Day);
    }
}
