using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using OutlookPlugin.Core.ObjectModel;

namespace OutlookPlugin.Core.Addin;

/// <summary>
/// The calendars the add-in watches besides the default one: other users' calendars from the settings, and any other
/// calendar the user gave a meeting to (so that its meetings stay in step). Keyed by the folder's EntryID. A calendar
/// whose store left the profile (a PST closed; <see cref="MeetingSync"/> notices) is let go: while held it would fail
/// every listing, and every removal check would stay in doubt for the rest of the session.
/// </summary>
public sealed class FollowedCalendars : IDisposable
{
    private readonly OutlookEvents _events;
    private readonly IAddinLog _log;
    private readonly Dictionary<string, Followed> _calendars = new(StringComparer.Ordinal);

    public FollowedCalendars(OutlookEvents events, IAddinLog log)
    {
        _events = events;
        _log = log;
    }

    /// <summary>The followed folders, in no particular order.</summary>
    public IEnumerable<OmObject> Folders
    {
        get
        {
            foreach (Followed followed in _calendars.Values)
            {
                yield return followed.Folder;
            }
        }
    }

    /// <summary>
    /// Follows the folder (listens to its items), taking over the reference; one already followed keeps its first
    /// reference and this one is released. Returns the folder followed.
    /// </summary>
    /// <exception cref="COMException">Outlook could not read the folder's EntryID.</exception>
    public OmObject Follow(OmObject folder)
    {
        string id = folder.GetString("EntryID");
        if (_calendars.TryGetValue(id, out Followed? known))
        {
            folder.Dispose();
            return known.Folder;
        }

        string storeId = folder.Get("StoreID") as string ?? string.Empty;
        _calendars[id] = new Followed(folder, storeId, _events.ListenToCalendar(folder, required: false));
        return folder;
    }

    /// <summary>Whether the folder with this EntryID is followed.</summary>
    public bool Contains(string entryId) => _calendars.ContainsKey(entryId);

    /// <summary>
    /// Lets go of every followed calendar in one of the stores that left the profile (their StoreIDs as the profile
    /// listed them). Another user's calendar (GetSharedDefaultFolder) brings no store into the profile (FACTS §2.2), so
    /// it never leaves with one. A calendar Outlook cannot tell about now stays.
    /// </summary>
    public void DropThoseOf(OmObject session, IReadOnlyCollection<string> storesLeft)
    {
        foreach (KeyValuePair<string, Followed> entry in new List<KeyValuePair<string, Followed>>(_calendars))
        {
            Followed followed = entry.Value;
            if (followed.StoreId.Length == 0 || ProfileStores.Names(session, storesLeft, followed.StoreId) != true)
            {
                continue;
            }

            _calendars.Remove(entry.Key);
            _events.StopListening(followed.Events);
            followed.Folder.Dispose();
            _log.Write("info", "A followed calendar's store left the profile (a PST closed): it is no longer watched until it is back.");
        }
    }

    public void Dispose()
    {
        foreach (Followed followed in _calendars.Values)
        {
            followed.Folder.Dispose();
        }

        _calendars.Clear();
    }

    private sealed class Followed
    {
        public Followed(OmObject folder, string storeId, IDisposable? events)
        {
            Folder = folder;
            StoreId = storeId;
            Events = events;
        }

        public OmObject Folder { get; }

        /// <summary>The folder's StoreID, as it was when it was followed.</summary>
        public string StoreId { get; }

        public IDisposable? Events { get; }
    }
}
