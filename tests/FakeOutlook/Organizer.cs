using System;
using System.Collections.Generic;
using System.Linq;

namespace FakeOutlook;

/// <summary>
/// An address-book entry (Class 8) as AppointmentItem.GetOrganizer returns it: Name and Address (an Exchange
/// user's Address is an X.500 DN, not SMTP), with GetExchangeUser giving the SMTP address.
/// </summary>
public sealed class FakeAddressEntry : FakeComObject
{
    private readonly DirectoryEntry? _entry;
    private readonly string _name;

    internal FakeAddressEntry(World w, string name, DirectoryEntry? entry)
        : base(w)
    {
        _name = name;
        _entry = entry;
    }

    internal override int ObjectClass => 8;

    internal override string Describe() => "AddressEntry " + _name;

    public string Name
    {
        get
        {
            Enter();
            return _name;
        }
    }

    public string Address
    {
        get
        {
            Enter();
            return _entry is null ? string.Empty : "/o=ExchangeLabs/ou=Exchange Administrative Group/cn=Recipients/cn=" + _entry.Name.Replace(" ", string.Empty, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// The entry's address-book EntryID, as hex. The fake derives it from the address, as it does a resolved
    /// Recipient's EntryID, so the two name the same entry; a mailbox's PR_MAILBOX_OWNER_ENTRYID is the same bytes.
    /// </summary>
    public string ID
    {
        get
        {
            Enter();
            return IdOf(_entry?.Address ?? _name);
        }
    }

    internal static string IdOf(string address) => Schema.BytesToHex(System.Text.Encoding.UTF8.GetBytes(address));

    public FakeExchangeUser? GetExchangeUser()
    {
        Enter();
        return _entry is null ? null : Out(new FakeExchangeUser(W, _entry));
    }
}

/// <summary>The Exchange view of an address-book entry (Class 240).</summary>
public sealed class FakeExchangeUser : FakeComObject
{
    private readonly DirectoryEntry _entry;

    internal FakeExchangeUser(World w, DirectoryEntry entry)
        : base(w) => _entry = entry;

    internal override int ObjectClass => 240;

    internal override string Describe() => "ExchangeUser " + _entry.Name;

    public string Name
    {
        get
        {
            Enter();
            return _entry.Name;
        }
    }

    public string PrimarySmtpAddress
    {
        get
        {
            Enter();
            return _entry.Address;
        }
    }
}

/// <summary>
/// A meeting item Outlook sends for the organiser (Class 54 olMeetingCancellation, or 53 olMeetingRequest), as
/// Application.ItemSend receives it. A cancellation is not always the end of the meeting (FACTS §10, MS-OXOCAL
/// 3.1.4.9.1.1 and 3.1.4.9.1.2): it can go to removed attendees only, or cancel one occurrence of a series. Only
/// GetAssociatedAppointment's MeetingStatus (olMeetingCanceled, 5) and RecurrenceState say what was cancelled.
/// </summary>
public sealed class FakeMeetingItem : FakeComObject
{
    private readonly FakeAppointmentItem _appointment;
    private readonly int _class;
    private readonly List<RecipientData> _recipients;

    internal FakeMeetingItem(World w, FakeAppointmentItem appointment, int objectClass, IEnumerable<RecipientData> recipients)
        : base(w)
    {
        _appointment = appointment;
        _class = objectClass;
        _recipients = recipients.Select(r => r.Clone()).ToList();
    }

    internal override int ObjectClass => _class;

    internal override string Describe() => "MeetingItem for " + _appointment.Describe();

    public string MessageClass
    {
        get
        {
            Enter();
            return _class == 54 ? "IPM.Schedule.Meeting.Canceled" : "IPM.Schedule.Meeting.Request";
        }
    }

    public string Subject
    {
        get
        {
            Enter();
            return (_class == 54 ? "Canceled: " : "") + _appointment.Current.Subject;
        }
    }

    /// <summary>Whom the item goes to: for a cancellation to removed attendees, those attendees only.</summary>
    public FakeRecipients Recipients
    {
        get
        {
            Enter();
            return Out(new FakeRecipients(W, this, _recipients));
        }
    }

    /// <summary>The appointment it is about: the organiser's item, or the one occurrence a cancellation cancels.</summary>
    public FakeAppointmentItem GetAssociatedAppointment(bool AddToCalendar)
    {
        Enter();
        _ = AddToCalendar;
        return Out(_appointment);
    }
}
