using System;

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
/// The cancellation Outlook sends when the organiser cancels a meeting (Class 54, olMeetingCancellation), as
/// Application.ItemSend receives it.
/// </summary>
public sealed class FakeMeetingItem : FakeComObject
{
    private readonly FakeAppointmentItem _appointment;
    private readonly int _class;

    internal FakeMeetingItem(World w, FakeAppointmentItem appointment, int objectClass)
        : base(w)
    {
        _appointment = appointment;
        _class = objectClass;
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

    public FakeAppointmentItem GetAssociatedAppointment(bool AddToCalendar)
    {
        Enter();
        return Out(_appointment);
    }
}
