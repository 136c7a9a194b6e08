using System;
using System.Runtime.InteropServices;

namespace OutlookPlugin.Core.ObjectModel;

/// <summary>
/// Where an item was last seen: its EntryID with the StoreID it belongs to. GetItemFromID "usually" needs the store
/// (FACTS §2.1), and on Exchange an EntryID changes whenever the item moves to another folder, Deleted Items included
/// (FACTS §2.2, §10): an address finds an item that has not moved, never proves that one is gone.
/// </summary>
public sealed class ItemAddress : IEquatable<ItemAddress>
{
    public ItemAddress(string entryId, string storeId)
    {
        EntryId = entryId ?? string.Empty;
        StoreId = storeId ?? string.Empty;
    }

    public string EntryId { get; }

    public string StoreId { get; }

    /// <summary>The address of an item in hand; an occurrence has its series' address. Empty parts stay empty.</summary>
    public static ItemAddress Of(OmObject item)
    {
        string entryId = item.GetString("EntryID");
        using OmObject? folder = FolderOf(item);
        return new ItemAddress(entryId, folder?.Get("StoreID") as string ?? string.Empty);
    }

    /// <summary>
    /// An item's EntryID from a Table row: the long-term id (<see cref="OutlookIds.Schema.LongTermEntryIdFromTable"/>,
    /// bytes) as the hex string the object model uses, else the "EntryID" column, which may be a short-term id
    /// (FACTS §2.3; CalDav Synchronizer falls back the same way). Empty when the row has neither.
    /// </summary>
    public static string EntryIdFromRow(object? longTerm, object? entryIdColumn)
    {
        if (longTerm is byte[] bytes && bytes.Length > 0)
        {
            return Hex(bytes);
        }

        return longTerm as string is { Length: > 0 } text ? text : entryIdColumn as string ?? string.Empty;
    }

    /// <summary>A binary id as the upper-case hex string the object model uses for ids (EntryID, StoreID).</summary>
    public static string Hex(byte[] bytes)
    {
        var hex = new System.Text.StringBuilder(bytes.Length * 2);
        foreach (byte b in bytes)
        {
            hex.Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return hex.ToString();
    }

    /// <summary>The folder an item lives in: an occurrence's parent is its series (FACTS §2.4), the series' parent the folder.</summary>
    public static OmObject? FolderOf(OmObject item)
    {
        OmObject? parent = item.GetObject("Parent");
        bool isSeries;
        try
        {
            isSeries = parent is not null && parent.Get<int>("Class") == OutlookIds.ClassAppointment;
        }
        catch
        {
            // Released when Outlook fails the call: the caller never gets it to release.
            parent?.Dispose();
            throw;
        }

        if (!isSeries)
        {
            return parent;
        }

        using (parent)
        {
            return parent!.GetObject("Parent");
        }
    }

    /// <summary>Opens the item at this address.</summary>
    /// <exception cref="COMException">MAPI_E_NOT_FOUND when nothing is there now (see <see cref="OutlookErrors.IsNotFound"/>); anything else when Outlook could not tell.</exception>
    public OmObject? Open(OmObject session) =>
        session.CallObject("GetItemFromID", EntryId, StoreId.Length > 0 ? StoreId : Type.Missing);

    public bool Equals(ItemAddress? other) =>
        other is not null && string.Equals(EntryId, other.EntryId, StringComparison.Ordinal) && string.Equals(StoreId, other.StoreId, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as ItemAddress);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(EntryId) ^ StringComparer.Ordinal.GetHashCode(StoreId);
}

/// <summary>How the add-in reads an object-model failure.</summary>
public static class OutlookErrors
{
    /// <summary>Only MAPI_E_NOT_FOUND means "no such item"; every other failure means "not known now" (FACTS §10).</summary>
    public static bool IsNotFound(Exception error) => error is COMException com && com.HResult == OutlookIds.MapiNotFound;
}
