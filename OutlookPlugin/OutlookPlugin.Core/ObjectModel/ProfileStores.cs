using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace OutlookPlugin.Core.ObjectModel;

/// <summary>
/// Whether a message store is in the profile now (NameSpace.Stores, FACTS §2.2). A PST closed (File, Close;
/// NameSpace.RemoveStore) or an account left out of the profile Outlook started with takes a store out of the session,
/// not off the disk, and its items then answer as if deleted: an item there is evidence of nothing (FACTS §10).
/// </summary>
public static class ProfileStores
{
    /// <summary>
    /// Whether <paramref name="storeId"/> names one of the stores <paramref name="storeIds"/> lists (as
    /// <see cref="StoreIds"/> gave them). Entry ids of one object can differ in their bytes (VBA NameSpace.CompareEntryIDs
    /// page: "one object can be represented by two different binary values"), so an id that equals none of them as a
    /// string is compared by Outlook. Null when Outlook could not tell now.
    /// </summary>
    public static bool? Names(OmObject session, IEnumerable<string> storeIds, string storeId)
    {
        if (session is null)
        {
            throw new ArgumentNullException(nameof(session));
        }

        var ids = new List<string>(storeIds ?? throw new ArgumentNullException(nameof(storeIds)));
        foreach (string id in ids)
        {
            if (string.Equals(id, storeId, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        try
        {
            foreach (string id in ids)
            {
                if (session.Call<bool>("CompareEntryIDs", id, storeId))
                {
                    return true;
                }
            }

            return false;
        }
        catch (Exception e) when (e is COMException or OutlookDataException or InvalidCastException)
        {
            return null;
        }
    }

    /// <summary>The StoreID of each of the profile's stores (Store.StoreID); null when Outlook could not list them now.</summary>
    public static List<string>? StoreIds(OmObject session)
    {
        if (session is null)
        {
            throw new ArgumentNullException(nameof(session));
        }

        try
        {
            var ids = new List<string>();
            using OmObject? stores = session.GetObject("Stores");
            int count = stores?.Get<int>("Count") ?? 0;
            for (int i = 1; i <= count; i++)
            {
                using OmObject? store = stores!.CallObject("Item", i);
                string id = store?.GetString("StoreID") ?? string.Empty;
                if (id.Length > 0)
                {
                    ids.Add(id);
                }
            }

            return ids;
        }
        catch (Exception e) when (e is COMException or OutlookDataException or InvalidCastException)
        {
            return null;
        }
    }
}
