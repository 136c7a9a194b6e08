using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;
using OutlookPlugin.Core.Rules;

namespace OutlookPlugin.Core.ObjectModel;

/// <summary>
/// Reads and writes the add-in's named MAPI properties on an item (PropertyAccessor in the add-in's own string
/// namespace, FACTS §5.1). They carry no calendar content an attendee could not already see, and Outlook shows
/// none of them. Batch calls (GetProperties / SetProperties) keep a read to one object-model call.
/// </summary>
public static class MeetingTags
{
    public const string RequestId = OutlookIds.Schema.OwnNamespace + "RequestId";
    public const string Provider = OutlookIds.Schema.OwnNamespace + "Provider";
    public const string MeetingId = OutlookIds.Schema.OwnNamespace + "MeetingId";
    public const string JoinUrl = OutlookIds.Schema.OwnNamespace + "JoinUrl";
    public const string Owner = OutlookIds.Schema.OwnNamespace + "OwnerEntryId";
    public const string ScheduleFor = OutlookIds.Schema.OwnNamespace + "ScheduleFor";
    public const string Synced = OutlookIds.Schema.OwnNamespace + "Synced";
    public const string OwnerStore = OutlookIds.Schema.OwnNamespace + "OwnerStoreId";
    public const string Cancelled = OutlookIds.Schema.OwnNamespace + "CancelledMeetingId";
    public const string Home = OutlookIds.Schema.OwnNamespace + "Home";

    private static readonly object[] All = { RequestId, Provider, MeetingId, JoinUrl, Owner, ScheduleFor, Synced, OwnerStore, Cancelled, Home };

    // The order Remove deletes them in, one call each: a call can fail half-way through, and what was deleted before it
    // stays staged on the item, for whoever saves it next (the user's own save) to persist. The request id goes after the meeting:
    // without it Read sees no tag and no listing or search finds the item, so a half-removed tag that lost it first left
    // an item carrying a meeting id that the add-in could no longer see (a copy whose release failed kept its original's
    // meeting, which the original's deletion then cancelled: soak seeds 3341, 3815, 2548). The owner (and its store) goes
    // after the request id: a copy's half-removed tag keeps naming its original while it can be read, and so is released
    // as a copy. Without it, a request id alone reads as an add still waiting for its meeting with no owner, which the
    // next start asked the agent for again and wrote into the copy: the original's meeting, owned twice (seed 6118).
    private static readonly object[] RemoveOrder = { Synced, Home, Cancelled, ScheduleFor, JoinUrl, MeetingId, Provider, RequestId, Owner, OwnerStore };

    /// <summary>The tag on an item, or null when it carries none (or one too damaged to act on).</summary>
    public static MeetingTag? Read(OmObject item)
    {
        using OmObject? accessor = item.GetObject("PropertyAccessor");
        if (accessor is null)
        {
            return null;
        }

        if (accessor.Call("GetProperties", (object)All) is not object[] values || values.Length != All.Length)
        {
            return null;
        }

        string? requestId = Text(values[0]);
        if (string.IsNullOrEmpty(requestId))
        {
            return null;
        }

        return new MeetingTag
        {
            RequestId = requestId!,
            Provider = Text(values[1]) ?? string.Empty,
            MeetingId = Text(values[2]) ?? string.Empty,
            JoinUrl = Text(values[3]),
            OwnerEntryId = Text(values[4]) ?? string.Empty,
            ScheduleFor = Text(values[5]),
            Synced = ParseSynced(Text(values[6])),
            OwnerStoreId = Text(values[7]) ?? string.Empty,
            CancelledMeetingId = Text(values[8]) ?? string.Empty,
            Home = Text(values[9]) ?? string.Empty,
        };
    }

    /// <summary>Stages the tag on the item; Outlook persists it with the item's next Save.</summary>
    public static void Write(OmObject item, MeetingTag tag)
    {
        using OmObject accessor = item.GetObject("PropertyAccessor") ?? throw new OutlookDataException("The item has no property accessor.");
        object[] values =
        {
            tag.RequestId,
            tag.Provider,
            tag.MeetingId,
            tag.JoinUrl ?? string.Empty,
            tag.OwnerEntryId,
            tag.ScheduleFor ?? string.Empty,
            tag.Synced is null ? string.Empty : JsonSerializer.Serialize(tag.Synced, TagJsonContext.Default.SyncedFields),
            tag.OwnerStoreId,
            tag.CancelledMeetingId,
            tag.Home,
        };
        accessor.Call("SetProperties", (object)All, (object)values);
    }

    /// <summary>
    /// Takes the tag off the item (staged until Save). A property never written answers MAPI_E_NOT_FOUND, which is not an
    /// error; any other failure is thrown, so that a caller never takes a tag still on the item for removed.
    /// </summary>
    public static void Remove(OmObject item)
    {
        using OmObject? accessor = item.GetObject("PropertyAccessor");
        if (accessor is null)
        {
            return;
        }

        foreach (object name in RemoveOrder)
        {
            try
            {
                accessor.Call("DeleteProperty", name);
            }
            catch (System.Runtime.InteropServices.COMException e) when (e.HResult == OutlookIds.MapiNotFound)
            {
                // Never written on this item.
            }
        }
    }

    /// <summary>A DASL filter for the items whose tag has this request id.</summary>
    public static string RequestIdIs(string requestId) =>
        "@SQL=\"" + RequestId + OutlookIds.Schema.UnicodeFilterSuffix + "\" = '" + requestId.Replace("'", "''") + "'";

    /// <summary>A DASL filter for the items that carry a tag at all.</summary>
    public static string Tagged { get; } = "@SQL=\"" + RequestId + OutlookIds.Schema.UnicodeFilterSuffix + "\" <> ''";

    /// <summary>The columns a Table needs to read the tag without opening each item (FACTS §2.3: type suffix required).</summary>
    public static IReadOnlyList<string> TableColumns { get; } = new[]
    {
        RequestId + OutlookIds.Schema.UnicodeColumnSuffix,
        Provider + OutlookIds.Schema.UnicodeColumnSuffix,
        MeetingId + OutlookIds.Schema.UnicodeColumnSuffix,
        JoinUrl + OutlookIds.Schema.UnicodeColumnSuffix,
    };

    internal static string? Text(object? value) => value is string s && s.Length > 0 ? s : null;

    private static SyncedFields? ParseSynced(string? json)
    {
        if (json is null)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(json, TagJsonContext.Default.SyncedFields);
        }
        catch (JsonException)
        {
            // Damaged by another tool: the next save resyncs everything rather than trusting it.
            return null;
        }
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SyncedFields))]
internal sealed partial class TagJsonContext : JsonSerializerContext
{
}
