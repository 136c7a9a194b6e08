using System;
using MessagePack;

namespace ClientBridge.Protocol.Wire;

/// <summary>
/// The values the generated formatters (<see cref="BridgeWire"/>) do not write with a single MessagePack call.
/// Dates travel as ticks so that both ends agree to the tick and no zone conversion happens on the way.
/// </summary>
internal static class WireValues
{
    /// <summary>A list's declared length only caps its first allocation; it grows with the elements that really arrive.</summary>
    public const int InitialListCapacity = 16;

    private const long TicksPerMinute = TimeSpan.TicksPerMinute;

    /// <summary>[UTC ticks, offset in minutes].</summary>
    public static void WriteDateTimeOffset(ref MessagePackWriter writer, DateTimeOffset value)
    {
        writer.WriteArrayHeader(2);
        writer.Write(value.UtcTicks);
        writer.Write((int)(value.Offset.Ticks / TicksPerMinute));
    }

    public static DateTimeOffset ReadDateTimeOffset(ref MessagePackReader reader)
    {
        ExpectPair(ref reader, "A time");
        long utcTicks = reader.ReadInt64();
        int offsetMinutes = reader.ReadInt32();
        if (offsetMinutes is < -14 * 60 or > 14 * 60)
        {
            throw new MessagePackSerializationException("A time's offset is outside ±14 hours.");
        }

        var offset = TimeSpan.FromMinutes(offsetMinutes);
        if (utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks
            || utcTicks + offset.Ticks < DateTime.MinValue.Ticks || utcTicks + offset.Ticks > DateTime.MaxValue.Ticks)
        {
            throw new MessagePackSerializationException("A time is outside the range of dates.");
        }

        return new DateTimeOffset(utcTicks + offset.Ticks, offset);
    }

    /// <summary>[ticks, kind]: the kind travels so that a date meant in the appointment's zone is never shifted.</summary>
    public static void WriteDateTime(ref MessagePackWriter writer, DateTime value)
    {
        writer.WriteArrayHeader(2);
        writer.Write(value.Ticks);
        writer.Write((int)value.Kind);
    }

    public static DateTime ReadDateTime(ref MessagePackReader reader)
    {
        ExpectPair(ref reader, "A date");
        long ticks = reader.ReadInt64();
        int kind = reader.ReadInt32();
        if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks || kind is < 0 or > 2)
        {
            throw new MessagePackSerializationException("A date is outside the range of dates.");
        }

        return new DateTime(ticks, (DateTimeKind)kind);
    }

    /// <summary>A member a newer peer added. The frame was checked by <see cref="WireScanner"/>, so its nesting is bounded.</summary>
    public static void SkipUnknown(ref MessagePackReader reader) => reader.Skip();

    /// <summary>An element of a list that is never null, such as a calendar item.</summary>
    public static T Required<T>(T? value)
        where T : class =>
        value ?? throw new MessagePackSerializationException("A list element is missing (nil).");

    private static void ExpectPair(ref MessagePackReader reader, string what)
    {
        if (reader.ReadArrayHeader() != 2)
        {
            throw new MessagePackSerializationException(what + " must be a pair.");
        }
    }
}
