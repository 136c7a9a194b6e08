using System.Runtime.InteropServices;
using OutlookPlugin.Core.ObjectModel;

namespace OutlookPlugin.Core.Addin;

/// <summary>
/// Whose calendar an item lives in. An item a delegate creates in another user's calendar is organised by that
/// calendar's owner, and its meeting is scheduled for that owner. Another user's calendar is one opened through
/// GetSharedDefaultFolder (its Store is null, FACTS §2.1), or one in a mailbox store whose owner is not the signed-in
/// user: a mailbox automapped through Full Access has an ordinary Store (FACTS §10).
/// </summary>
public static class DelegateOwner
{
    /// <summary>The owner's address when the item is in another user's calendar; null for the user's own.</summary>
    public static string? AddressOf(OmObject item) => Find(item)?.Address;

    /// <summary>The owner's display name, for the options dialog.</summary>
    public static string? NameOf(OmObject item) => Find(item)?.Name;

    private static Owner? Find(OmObject item)
    {
        try
        {
            using OmObject? parent = item.GetObject("Parent");

            // An occurrence's parent is its series (FACTS §2.4); the series' parent is the folder.
            using OmObject? grandparent = parent is not null && parent.Get<int>("Class") == OutlookIds.ClassAppointment ? parent.GetObject("Parent") : null;
            OmObject? folder = grandparent ?? parent;
            if (folder is null)
            {
                return null;
            }

            using (OmObject? store = folder.GetObject("Store"))
            {
                if (store is not null && !OwnedBySomeoneElse(store, item))
                {
                    return null;
                }
            }

            using OmObject? organizer = item.CallObject("GetOrganizer");
            if (organizer is null)
            {
                return null;
            }

            string name = organizer.GetString("Name");
            string? address = null;
            using (OmObject? exchangeUser = organizer.CallObject("GetExchangeUser"))
            {
                address = exchangeUser?.Get("PrimarySmtpAddress") as string;
            }

            if (string.IsNullOrEmpty(address) && organizer.GetString("Address") is { } plain && plain.Contains("@"))
            {
                address = plain;
            }

            return string.IsNullOrEmpty(address) ? null : new Owner(name, address!);
        }
        catch (COMException)
        {
            return null;
        }
    }

    /// <summary>
    /// Whether a store in the profile is another user's mailbox. The mailbox an account signs in to, a PST and public
    /// folders are not. Any other Exchange mailbox is, unless its owner (PR_MAILBOX_OWNER_ENTRYID) is the signed-in
    /// user, as for the user's own archive; which OlExchangeStoreType Outlook gives an automapped mailbox is not
    /// documented, so the owner decides, not the type.
    /// </summary>
    private static bool OwnedBySomeoneElse(OmObject store, OmObject item)
    {
        int type = store.Get<int>("ExchangeStoreType");
        if (type is OutlookIds.StoreTypePrimaryExchangeMailbox or OutlookIds.StoreTypePublicFolder or OutlookIds.StoreTypeNotExchange)
        {
            return false;
        }

        string? owner = MailboxOwner(store);
        if (owner is null)
        {
            // An Exchange mailbox that is no account's own and does not say whose it is: another user's, as the
            // enumeration's names have it (olExchangeMailbox, olAdditionalExchangeMailbox).
            return true;
        }

        using OmObject? session = item.GetObject("Session");
        using OmObject? user = session?.GetObject("CurrentUser");
        using OmObject? entry = user?.GetObject("AddressEntry");
        string me = entry?.GetString("ID") ?? string.Empty;
        return me.Length == 0 || !session!.Call<bool>("CompareEntryIDs", owner, me);
    }

    /// <summary>The mailbox owner's address-book EntryID as hex; null when the store does not say.</summary>
    private static string? MailboxOwner(OmObject store)
    {
        try
        {
            using OmObject? accessor = store.GetObject("PropertyAccessor");
            return accessor?.Call("GetProperty", OutlookIds.Schema.MailboxOwnerEntryId) is byte[] { Length: > 0 } owner ? ItemAddress.Hex(owner) : null;
        }
        catch (COMException)
        {
            return null;
        }
    }

    private sealed class Owner
    {
        public Owner(string name, string address)
        {
            Name = name;
            Address = address;
        }

        public string Name { get; }

        public string Address { get; }
    }
}
