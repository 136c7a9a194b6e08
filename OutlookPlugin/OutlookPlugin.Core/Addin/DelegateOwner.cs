using System.Runtime.InteropServices;
using OutlookPlugin.Core.ObjectModel;

namespace OutlookPlugin.Core.Addin;

/// <summary>
/// Whose calendar an item lives in. A folder opened through GetSharedDefaultFolder has no Store (FACTS §2.1), and an
/// item a delegate creates there is organised by the calendar's owner: such meetings are scheduled for that owner.
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
                if (store is not null)
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
