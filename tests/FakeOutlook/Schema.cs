using System;
using System.Globalization;

namespace FakeOutlook;

internal enum PropKind
{
    Unknown,
    Blocked,
    Subject,
    StartUtc,
    EndUtc,
    Location,
    Recurring,
    AllDay,
    BusyStatus,
    EntryIdBinary,
    GlobalObjectId,
    CleanGlobalObjectId,
    LastModifiedUtc,
    CreationUtc,
    MessageClass,
    Body,
    DisplayTypeEx,
    SmtpAddress,
    Named,
}

/// <summary>A parsed DASL namespace reference (FACTS §4.3, §5).</summary>
internal sealed record PropRef(PropKind Kind, string Key, string? TypeSuffix, int PropType);

internal static class Schema
{
    public const string MapiPrefix = "http://schemas.microsoft.com/mapi/";
    public const string PsetAppointment = "{00062002-0000-0000-C000-000000000046}";
    public const string PsetMeeting = "{6ED8DA90-450B-101B-98DA-00AA003F1305}";
    public const string PublicStrings = "{00020329-0000-0000-C000-000000000046}";

    /// <summary>Null when the name is not a namespace reference the fake knows how to read (https:// included).</summary>
    public static PropRef? Parse(string name)
    {
        switch (name)
        {
            case "urn:schemas:calendar:dtstart":
                return new PropRef(PropKind.StartUtc, name, null, 0x40);
            case "urn:schemas:calendar:dtend":
                return new PropRef(PropKind.EndUtc, name, null, 0x40);
            case "urn:schemas:httpmail:subject":
                return new PropRef(PropKind.Subject, name, null, 0x1F);
            case "DAV:getlastmodified":
                return new PropRef(PropKind.LastModifiedUtc, name, null, 0x40);
        }

        if (!name.StartsWith(MapiPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        string rest = name[MapiPrefix.Length..];
        if (rest.StartsWith("proptag/0x", StringComparison.Ordinal) && rest.Length == 18
            && uint.TryParse(rest.AsSpan(10), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint tag))
        {
            int id = (int)(tag >> 16);
            int type = (int)(tag & 0xFFFF);
            PropKind kind = (id, type) switch
            {
                (0x0037, 0x1E or 0x1F) => PropKind.Subject,
                (0x0FFF or 0x6670, 0x102) => PropKind.EntryIdBinary,
                (0x3008, 0x40) => PropKind.LastModifiedUtc,
                (0x3007, 0x40) => PropKind.CreationUtc,
                (0x001A, 0x1E or 0x1F) => PropKind.MessageClass,
                (0x1000, 0x1E or 0x1F) => PropKind.Body,
                (0x1013 or 0x1009, _) => PropKind.Blocked,
                (0x3905, 0x03) => PropKind.DisplayTypeEx,
                (0x39FE, 0x1E or 0x1F) => PropKind.SmtpAddress,
                (0x0060, 0x40) => PropKind.StartUtc,
                (0x0061, 0x40) => PropKind.EndUtc,
                _ => PropKind.Unknown,
            };
            return new PropRef(kind, kind == PropKind.Unknown ? MapiPrefix + "proptag/0x" + tag.ToString("X8", CultureInfo.InvariantCulture) : name, null, type);
        }

        if (rest.StartsWith("id/", StringComparison.Ordinal))
        {
            string[] parts = rest.Split('/');
            if (parts.Length != 3 || !Guid.TryParse(parts[1], out Guid set) || parts[2].Length != 8
                || !uint.TryParse(parts[2], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint lidType))
            {
                return null;
            }

            int lid = (int)(lidType >> 16);
            int type = (int)(lidType & 0xFFFF);
            string g = "{" + set.ToString().ToUpperInvariant() + "}";
            PropKind kind = (g, lid, type) switch
            {
                (PsetAppointment, 0x820D, 0x40) => PropKind.StartUtc,
                (PsetAppointment, 0x820E, 0x40) => PropKind.EndUtc,
                (PsetAppointment, 0x8208, 0x1E or 0x1F) => PropKind.Location,
                (PsetAppointment, 0x8223, 0x0B) => PropKind.Recurring,
                (PsetAppointment, 0x8215, 0x0B) => PropKind.AllDay,
                (PsetAppointment, 0x8205, 0x03) => PropKind.BusyStatus,
                (PsetMeeting, 0x0003, 0x102) => PropKind.GlobalObjectId,
                (PsetMeeting, 0x0023, 0x102) => PropKind.CleanGlobalObjectId,
                _ => PropKind.Named,
            };
            return new PropRef(kind, MapiPrefix + "id/" + g + "/" + lid.ToString("X4", CultureInfo.InvariantCulture), null, type);
        }

        if (rest.StartsWith("string/", StringComparison.Ordinal))
        {
            int slash = rest.IndexOf('/', 7);
            if (slash < 0 || !Guid.TryParse(rest.AsSpan(7, slash - 7), out Guid set))
            {
                return null;
            }

            string propName = rest[(slash + 1)..];
            string? suffix = null;
            int type = 0;
            int last = propName.LastIndexOf('/');
            if (last > 0)
            {
                string s = propName[(last + 1)..];
                string hex = s.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? s[2..] : s;
                if (hex.Length == 8 && int.TryParse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out type))
                {
                    suffix = s;
                    propName = propName[..last];
                }
            }

            if (propName.Length == 0)
            {
                return null;
            }

            return new PropRef(PropKind.Named, MapiPrefix + "string/{" + set.ToString().ToUpperInvariant() + "}/" + propName, suffix, type);
        }

        return null;
    }

    /// <summary>The stored key of a string-named property in PS_PUBLIC_STRINGS (where UserProperties live).</summary>
    public static string UserPropertyKey(string name) => MapiPrefix + "string/" + PublicStrings + "/" + name;

    public static byte[] HexToBytes(string hex)
    {
        if (hex.Length % 2 != 0)
        {
            throw new FormatException("Odd length hex string.");
        }

        return Convert.FromHexString(hex);
    }

    public static string BytesToHex(byte[] bytes) => Convert.ToHexString(bytes);

    public static bool TypeMatches(object? value, int type) => type switch
    {
        0 => true,
        0x1E or 0x1F => value is string,
        0x03 => value is int,
        0x05 => value is double,
        0x0B => value is bool,
        0x40 => value is DateTime,
        0x102 => value is byte[],
        _ => true,
    };
}
