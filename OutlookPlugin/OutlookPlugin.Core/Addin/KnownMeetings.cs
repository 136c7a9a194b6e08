using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OutlookPlugin.Core.Addin;

/// <summary>One meeting the add-in follows: ids only, nothing a user wrote.</summary>
public sealed class KnownMeeting
{
    public string RequestId { get; set; } = string.Empty;

    public string MeetingId { get; set; } = string.Empty;

    public string Provider { get; set; } = string.Empty;

    /// <summary>
    /// Which store its appointment was last seen in (<see cref="KnownMeetings.StoreKey"/> of its StoreID); empty: the
    /// default store (and every file written before stores were kept). A meeting whose store is not in the profile
    /// Outlook started with (a PST closed, another profile) is not judged: its appointment is put away, not gone.
    /// </summary>
    public string Store { get; set; } = string.Empty;

    /// <summary>
    /// Cancelled because its appointment was deleted (into Deleted Items): kept so that a restore, even after Outlook
    /// restarted and even if the note on the deleted item could not be written, makes a new meeting.
    /// </summary>
    public bool CancelledForDeletion { get; set; }

    /// <summary>
    /// The meeting cancelled for the appointment's deletion that <see cref="MeetingId"/>, made when it was restored,
    /// replaces; the appointment still carries it until the new one is written, and that write is retried (the same
    /// derived request id) after a restart only if the add-in still knows it was cancelled for the deletion.
    /// </summary>
    public string CancelledMeetingId { get; set; } = string.Empty;

    /// <summary>
    /// An update of the meeting went out and the appointment's tag has not recorded it (the tag's Save failed, the
    /// answer was lost, Outlook closed meanwhile): the meeting may differ from what the tag says was sent, so the next
    /// sync sends the appointment whole, even after a restart.
    /// </summary>
    public bool SyncUnrecorded { get; set; }

    /// <summary>
    /// The newest <see cref="Rules.SyncedFields.Version"/> this add-in saw its tag record on the meeting's appointment: a
    /// tagged item whose original's address is gone and whose tag is older than this is a copy, once an item with a tag at
    /// least this new is found (soak seed 232).
    /// </summary>
    public int SyncedVersion { get; set; }
}

/// <summary>
/// The meetings the add-in follows, kept outside Outlook (<c>outlook-meetings.json</c> in the state folder) so that an
/// appointment deleted for good while Outlook was closed, or before the add-in had confirmed its deletion, still has its
/// meeting cancelled at the next start (FACTS §10: Outlook's fast shutdown runs no hook). Written whole to a temporary
/// file and moved over the old one; a file that cannot be read is logged and treated as empty, never fatal.
/// </summary>
public static class KnownMeetings
{
    /// <summary>Writes a state file whole: to a temporary file, then moved over the old one, so that a crash leaves one or the other.</summary>
    /// <exception cref="IOException">The disk refused.</exception>
    internal static void WriteWhole(string directory, string fileName, string text)
    {
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, fileName);
        string temporary = path + ".tmp";
        File.WriteAllText(temporary, text);
        if (File.Exists(path))
        {
            File.Replace(temporary, path, null);
        }
        else
        {
            File.Move(temporary, path);
        }
    }

    public const string FileName = "outlook-meetings.json";

    /// <summary>
    /// A store's key in the state file: a hash of its StoreID, upper-cased (hex either case names one store). A StoreID
    /// holds the mailbox's name on its server, or the path of a PST, neither of which belongs on disk here.
    /// </summary>
    public static string StoreKey(string storeId) =>
        string.IsNullOrEmpty(storeId) ? string.Empty : AddinSettings.HexHash(storeId.ToUpperInvariant(), bytes: 16);

    public static Dictionary<string, KnownMeeting> Load(string? directory, IAddinLog log)
    {
        var known = new Dictionary<string, KnownMeeting>(StringComparer.Ordinal);
        if (directory is null)
        {
            return known;
        }

        string path = Path.Combine(directory, FileName);
        try
        {
            if (!File.Exists(path))
            {
                return known;
            }

            List<KnownMeeting>? list = JsonSerializer.Deserialize(File.ReadAllText(path), KnownMeetingsJson.Default.ListKnownMeeting);
            foreach (KnownMeeting meeting in list ?? new List<KnownMeeting>())
            {
                if (meeting is { RequestId.Length: > 0, MeetingId.Length: > 0 })
                {
                    known[meeting.RequestId] = meeting;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or NotSupportedException)
        {
            log.Write("warning", "The list of followed meetings could not be read (" + e.GetType().Name + "); starting without it.");
        }

        return known;
    }

    public static void Save(string? directory, IReadOnlyCollection<KnownMeeting> meetings, IAddinLog log)
    {
        if (directory is null)
        {
            return;
        }

        try
        {
            WriteWhole(directory, FileName, JsonSerializer.Serialize(new List<KnownMeeting>(meetings), KnownMeetingsJson.Default.ListKnownMeeting));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            log.Write("warning", "The list of followed meetings could not be written (" + e.GetType().Name + "); it is written again with the next change.");
        }
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(List<KnownMeeting>))]
internal sealed partial class KnownMeetingsJson : JsonSerializerContext
{
}
