using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FakeOutlook;

/// <summary>A series' RecurrencePattern (Class 28), live on the master's in-memory data. Set RecurrenceType first.</summary>
public sealed class FakeRecurrencePattern : FakeComObject
{
    private static readonly DateTime OleZero = new(1899, 12, 30);
    private readonly FakeAppointmentItem _master;

    internal FakeRecurrencePattern(World w, FakeAppointmentItem master)
        : base(w) => _master = master;

    private RecurrenceData R => _master.Current.Recurrence ?? throw Error("The item is no longer recurring.");

    private TimeZoneInfo Zone => W.Zone(_master.Current.StartZoneId);

    internal override int ObjectClass => 28;

    internal override object? ParentObject => _master;

    public int RecurrenceType
    {
        get => Get(r => r.Type);
        set => Set(r =>
        {
            if (value is not (0 or 1 or 2 or 3 or 5 or 6))
            {
                throw Error("The recurrence type is not valid.", FakeHResults.InvalidArg);
            }

            RecurrenceData d = FakeAppointmentItem.DefaultPattern(_master.Current, W);
            r.Type = value;
            r.Interval = 1;
            r.DayOfWeekMask = value is 0 or 2 or 5 ? 0 : d.DayOfWeekMask;
            r.DayOfMonth = d.DayOfMonth;
            r.MonthOfYear = d.MonthOfYear;
            r.Instance = value is 3 or 6 ? d.Instance : 0;
        });
    }

    public int Interval
    {
        get => Get(r => r.Interval);
        set => Set(r => r.Interval = value < 1 ? throw Error("The interval is not valid.", FakeHResults.InvalidArg) : value);
    }

    public int DayOfWeekMask
    {
        get => Get(r => r.DayOfWeekMask);
        set => Set(r => r.DayOfWeekMask = value);
    }

    public int DayOfMonth
    {
        get => Get(r => r.DayOfMonth);
        set => Set(r => r.DayOfMonth = value);
    }

    public int Instance
    {
        get => Get(r => r.Instance);
        set => Set(r => r.Instance = value is < 1 or > 5 ? throw Error("The instance is not valid.", FakeHResults.InvalidArg) : value);
    }

    public int MonthOfYear
    {
        get => Get(r => r.MonthOfYear);
        set => Set(r => r.MonthOfYear = value is < 1 or > 12 ? throw Error("The month is not valid.", FakeHResults.InvalidArg) : value);
    }

    public DateTime PatternStartDate
    {
        get => Get(r => r.PatternStartDate.Date);
        set => Set(r => r.PatternStartDate = value.Date);
    }

    public DateTime PatternEndDate
    {
        get => Get(r => r.NoEndDate ? new DateTime(4500, 8, 31) : r.PatternEndDate.Date);
        set => Set(r =>
        {
            r.PatternEndDate = value.Date;
            r.NoEndDate = false;
            r.Occurrences = r.Dates().TakeWhile(d => d <= r.PatternEndDate).Count();
        });
    }

    public bool NoEndDate
    {
        get => Get(r => r.NoEndDate);
        set => Set(r =>
        {
            r.NoEndDate = value;
            if (value)
            {
                r.Occurrences = 0;
            }
        });
    }

    public int Occurrences
    {
        get => Get(r => r.NoEndDate ? 0 : r.Occurrences);
        set => Set(r =>
        {
            if (value < 1)
            {
                throw Error("The number of occurrences is not valid.", FakeHResults.InvalidArg);
            }

            r.NoEndDate = true;
            r.PatternEndDate = r.Dates().Take(value).Last();
            r.NoEndDate = false;
            r.Occurrences = value;
        });
    }

    public DateTime StartTime
    {
        get => Get(r => OleZero + r.StartTime);
        set => Set(r => r.StartTime = value.TimeOfDay);
    }

    public DateTime EndTime
    {
        get => Get(r => OleZero + r.StartTime.Add(TimeSpan.FromMinutes(r.DurationMinutes)) - TimeSpan.FromDays(Math.Floor((r.StartTime.TotalMinutes + r.DurationMinutes) / 1440)));
        set => Set(r =>
        {
            int minutes = (int)(value.TimeOfDay - r.StartTime).TotalMinutes;
            r.DurationMinutes = minutes <= 0 ? minutes + 1440 : minutes;
        });
    }

    public int Duration
    {
        get => Get(r => r.DurationMinutes);
        set => Set(r => r.DurationMinutes = value);
    }

    public bool Regenerate
    {
        get => Get(_ => false);
        set => Set(_ => { });
    }

    public FakeExceptions Exceptions
    {
        get
        {
            Enter();
            return Out(new FakeExceptions(W, _master, R.Exceptions.OrderBy(e => e.OriginalStartUtc).ToList()));
        }
    }

    /// <summary>The occurrence starting at this LOCAL date-time; an error when there is none.</summary>
    public FakeAppointmentItem GetOccurrence(DateTime StartDate)
    {
        Enter();
        RecurrenceData r = R;
        DateTime wallHint = World.FromUtc(W.ToUtc(StartDate), Zone).Date.AddDays(-2);
        foreach (DateTime date in r.Dates(wallHint))
        {
            DateTime originalUtc = World.ToUtc(date + r.StartTime, Zone);
            DateTime originalLocal = W.ToLocal(originalUtc);
            if (originalLocal > StartDate.AddDays(2))
            {
                break;
            }

            ExceptionData? ex = r.ExceptionOn(date, originalUtc, Zone);
            bool matches = SameMinute(originalLocal, StartDate) || (ex?.Item is not null && SameMinute(W.ToLocal(ex.Item.StartUtc), StartDate));
            if (matches && ex?.Deleted != true)
            {
                return Out(FakeAppointmentItem.Occurrence(_master, originalUtc, fromStore: false));
            }
        }

        foreach (ExceptionData ex in r.Exceptions.Where(e => e.Item is not null && !e.Deleted))
        {
            if (SameMinute(W.ToLocal(ex.Item!.StartUtc), StartDate))
            {
                return Out(FakeAppointmentItem.Occurrence(_master, ex.OriginalStartUtc, fromStore: false));
            }
        }

        throw Error("You changed one of the recurrences of this item, and this instance no longer exists. Close any open items and try again.");
    }

    private static bool SameMinute(DateTime a, DateTime b) =>
        a.Date == b.Date && a.Hour == b.Hour && a.Minute == b.Minute;

    private T Get<T>(Func<RecurrenceData, T> read, [CallerMemberName] string member = "")
    {
        Enter(member);
        return read(R);
    }

    private void Set(Action<RecurrenceData> apply, [CallerMemberName] string member = "")
    {
        Enter(member);
        RecurrenceData r = R;
        apply(r);
        if (!r.NoEndDate && r.Occurrences > 0 && r.Exceptions.Count == 0)
        {
            // Keep the count authoritative when it was set (Outlook keeps "end after N").
            DateTime? last = r.Dates().Take(r.Occurrences).Cast<DateTime?>().LastOrDefault();
            if (last is DateTime l)
            {
                r.PatternEndDate = l;
            }
        }

        FakeAppointmentItem.RecalcFromPattern(_master.Current, W);
        _master.IsSaved = false;
    }
}

/// <summary>RecurrencePattern.Exceptions (Class 29).</summary>
public sealed class FakeExceptions : FakeComObject
{
    private readonly FakeAppointmentItem _master;
    private readonly List<ExceptionData> _list;

    internal FakeExceptions(World w, FakeAppointmentItem master, List<ExceptionData> list)
        : base(w)
    {
        _master = master;
        _list = list;
    }

    internal override int ObjectClass => 29;

    public int Count
    {
        get
        {
            Enter();
            return _list.Count;
        }
    }

    public FakeException Item(object Index)
    {
        Enter();
        int n = Convert.ToInt32(Index, CultureInfo.InvariantCulture);
        if (n < 1 || n > _list.Count)
        {
            throw Error("Array index out of bounds.", FakeHResults.BadIndex);
        }

        return Out(new FakeException(W, _master, _list[n - 1]));
    }
}

/// <summary>One Exception of a series (Class 30).</summary>
public sealed class FakeException : FakeComObject
{
    private readonly FakeAppointmentItem _master;
    private readonly ExceptionData _data;

    internal FakeException(World w, FakeAppointmentItem master, ExceptionData data)
        : base(w)
    {
        _master = master;
        _data = data;
    }

    internal override int ObjectClass => 30;

    /// <summary>
    /// A changed occurrence's original start, local like every Date of the object model (FACTS §2.3). A deleted one
    /// keeps only its date (FACTS §2.5), and that date is the day in the SERIES' zone: Outlook stores deleted
    /// occurrences as midnights in the recurrence's zone (MS-OXCICAL 2.1.3.1.1.20.13, EXDATE: "converted to the time
    /// zone specified by PidLidTimeZoneStruct", "all entries MUST fall on midnight"), and the documentation does not
    /// say the object model converts it. For a series set far from the machine's zone that is a day away from the
    /// local date, the worst the documentation allows.
    /// </summary>
    public DateTime OriginalDate
    {
        get
        {
            Enter();
            return _data.Deleted
                ? World.FromUtc(_data.OriginalStartUtc, W.Zone(_master.Current.StartZoneId)).Date
                : W.ToLocal(_data.OriginalStartUtc);
        }
    }

    public bool Deleted
    {
        get
        {
            Enter();
            return _data.Deleted;
        }
    }

    public FakeAppointmentItem AppointmentItem
    {
        get
        {
            Enter();
            if (_data.Deleted)
            {
                throw Error("You changed one of the recurrences of this item, and this instance no longer exists.");
            }

            return Out(FakeAppointmentItem.Occurrence(_master, _data.OriginalStartUtc, fromStore: false));
        }
    }
}

/// <summary>AppointmentItem.Recipients or MeetingItem.Recipients (Class 17).</summary>
public sealed class FakeRecipients : FakeComObject
{
    private readonly FakeComObject _owner;
    private readonly FakeAppointmentItem? _item;
    private readonly List<RecipientData>? _list;

    internal FakeRecipients(World w, FakeAppointmentItem item)
        : base(w)
    {
        _owner = item;
        _item = item;
    }

    /// <summary>The recipients a meeting item is addressed to.</summary>
    internal FakeRecipients(World w, FakeComObject owner, List<RecipientData> list)
        : base(w)
    {
        _owner = owner;
        _list = list;
    }

    internal override int ObjectClass => 17;

    internal override object? ParentObject => _owner;

    private List<RecipientData> List => _list ?? _item!.Current.Recipients;

    public int Count
    {
        get
        {
            Enter();
            return List.Count;
        }
    }

    public FakeRecipient Item(object Index)
    {
        Enter();
        RecipientData? r;
        if (Index is string name)
        {
            r = List.FirstOrDefault(x => string.Equals(x.Name, name, StringComparison.OrdinalIgnoreCase));
        }
        else
        {
            int n = Convert.ToInt32(Index, CultureInfo.InvariantCulture);
            r = n >= 1 && n <= List.Count ? List[n - 1] : null;
        }

        return Out(new FakeRecipient(W, _owner, r ?? throw Error("Array index out of bounds.", FakeHResults.BadIndex)));
    }

    public FakeRecipient Add(string Name)
    {
        Enter();
        if (string.IsNullOrWhiteSpace(Name))
        {
            throw Error("Could not complete the operation. One or more parameter values are not valid.", FakeHResults.InvalidArg);
        }

        var r = new RecipientData { Name = Name, Address = Name, Type = 1 };
        List.Add(r);
        MarkChanged();
        return Out(new FakeRecipient(W, _owner, r));
    }

    public void Remove(int Index)
    {
        Enter();
        if (Index < 1 || Index > List.Count)
        {
            throw Error("Array index out of bounds.", FakeHResults.BadIndex);
        }

        List.RemoveAt(Index - 1);
        MarkChanged();
    }

    public bool ResolveAll()
    {
        Enter();
        bool all = true;
        foreach (RecipientData r in List)
        {
            Resolve(W, r);
            all &= r.Resolved;
        }

        return all;
    }

    private void MarkChanged()
    {
        if (_item is not null)
        {
            _item.IsSaved = false;
        }
    }

    internal static RecipientData Resolve(World w, RecipientData r)
    {
        DirectoryEntry? e = w.App.NameSpace.Lookup(r.Address) ?? w.App.NameSpace.Lookup(r.Name);
        if (e is not null)
        {
            r.Name = e.Name;
            r.Address = e.Address;
            r.IsRoom = e.IsRoom;
            r.Resolved = true;
        }

        return r;
    }
}

/// <summary>A Recipient (Class 4): of an item or a meeting item, from CreateRecipient, or CurrentUser.</summary>
public sealed class FakeRecipient : FakeComObject
{
    private readonly FakeComObject? _owner;

    internal FakeRecipient(World w, FakeComObject? owner, RecipientData data)
        : base(w)
    {
        _owner = owner;
        Data = data;
    }

    internal RecipientData Data { get; }

    internal override int ObjectClass => 4;

    internal override object? ParentObject => _owner ?? W.App.NameSpace;

    internal override string Describe() => Data.Name;

    public string Name
    {
        get
        {
            Enter();
            return Data.Name;
        }
    }

    public string Address
    {
        get
        {
            Enter();
            return Data.Address;
        }
    }

    public string EntryID
    {
        get
        {
            Enter();
            return FakeAddressEntry.IdOf(Data.Address);
        }
    }

    /// <summary>The address-book entry of the recipient (NameSpace.CurrentUser.AddressEntry names the signed-in user).</summary>
    public FakeAddressEntry AddressEntry
    {
        get
        {
            Enter();
            return Out(new FakeAddressEntry(W, Data.Name, W.App.NameSpace.Lookup(Data.Address)));
        }
    }

    public int Type
    {
        get
        {
            Enter();
            return Data.Type;
        }

        set
        {
            Enter();
            Data.Type = value;
            if (_owner is FakeAppointmentItem item)
            {
                item.IsSaved = false;
            }
        }
    }

    public bool Resolved
    {
        get
        {
            Enter();
            return Data.Resolved;
        }
    }

    public int MeetingResponseStatus
    {
        get
        {
            Enter();
            return Data.ResponseStatus;
        }
    }

    public bool Resolve()
    {
        Enter();
        FakeRecipients.Resolve(W, Data);
        return Data.Resolved;
    }

    public FakePropertyAccessor PropertyAccessor
    {
        get
        {
            Enter();
            return Out(new FakePropertyAccessor(W, null, this));
        }
    }
}

/// <summary>
/// PropertyAccessor (Class 112) of an item or a recipient (FACTS §2.8, §5.1). Schema names are case-sensitive and must
/// be http:// namespace references; a missing property throws from GetProperty and is 0x8004010F in GetProperties.
/// Item changes are in memory until the item is saved.
/// </summary>
public sealed class FakePropertyAccessor : FakeComObject
{
    private readonly FakeAppointmentItem? _item;
    private readonly FakeRecipient? _recipient;

    internal FakePropertyAccessor(World w, FakeAppointmentItem? item, FakeRecipient? recipient)
        : base(w)
    {
        _item = item;
        _recipient = recipient;
    }

    internal override int ObjectClass => 112;

    internal override object? ParentObject => (object?)_item ?? _recipient;

    public object? GetProperty(string SchemaName)
    {
        Enter();
        return Read(SchemaName, out int error) ?? (error == 0 ? null : throw NotFound(SchemaName, error));
    }

    public void SetProperty(string SchemaName, object? Value)
    {
        Enter();
        int error = Write(SchemaName, Value);
        if (error != 0)
        {
            throw Error($"The property \"{SchemaName}\" cannot be set.", error);
        }
    }

    public void DeleteProperty(string SchemaName)
    {
        Enter();
        int error = Remove(SchemaName);
        if (error != 0)
        {
            throw NotFound(SchemaName, error);
        }
    }

    public object GetProperties(object SchemaNames)
    {
        Enter();
        object[] names = AsArray(SchemaNames);
        var result = new object?[names.Length];
        for (int i = 0; i < names.Length; i++)
        {
            object? v = Read(names[i] as string ?? "", out int error);
            result[i] = error != 0 ? error : v;
        }

        return result;
    }

    public object SetProperties(object SchemaNames, object Values)
    {
        Enter();
        object[] names = AsArray(SchemaNames);
        object[] values = AsArray(Values);
        if (names.Length != values.Length)
        {
            throw Error("The arrays of names and values differ in length.", FakeHResults.InvalidArg);
        }

        var result = new object?[names.Length];
        for (int i = 0; i < names.Length; i++)
        {
            int error = Write(names[i] as string ?? "", values[i]);
            result[i] = error == 0 ? null : error;
        }

        return result;
    }

    public object DeleteProperties(ref object SchemaNames)
    {
        Enter();
        object[] names = AsArray(SchemaNames);
        var result = new object?[names.Length];
        for (int i = 0; i < names.Length; i++)
        {
            int error = Remove(names[i] as string ?? "");
            result[i] = error == 0 ? null : error;
        }

        return result;
    }

    public string BinaryToString(object Value)
    {
        Enter();
        return Schema.BytesToHex(Value as byte[] ?? throw Error("Type mismatch: a byte array is required.", FakeHResults.InvalidArg));
    }

    public object StringToBinary(string Value)
    {
        Enter();
        try
        {
            return Schema.HexToBytes(Value);
        }
        catch (FormatException)
        {
            throw Error("The string is not a hexadecimal value.", FakeHResults.InvalidArg);
        }
    }

    public DateTime LocalTimeToUTC(DateTime Value)
    {
        Enter();
        return W.ToUtc(Value);
    }

    public DateTime UTCToLocalTime(DateTime Value)
    {
        Enter();
        return W.ToLocal(Value);
    }

    private static object[] AsArray(object value) => value switch
    {
        object[] a => a,
        Array a => a.Cast<object>().ToArray(),
        _ => throw Error("Type mismatch: an array is required.", FakeHResults.InvalidArg),
    };

    private static COMException NotFound(string name, int error) =>
        Error(error == FakeHResults.NotFound ? $"The property \"{name}\" is unknown or cannot be found." : $"The property \"{name}\" cannot be read.", error);

    private object? Read(string name, out int error)
    {
        error = 0;
        PropRef? r = Schema.Parse(name);
        if (r is null)
        {
            error = FakeHResults.DispException;
            return null;
        }

        if (_recipient is not null)
        {
            switch (r.Kind)
            {
                case PropKind.DisplayTypeEx:
                    return _recipient.Data.IsRoom ? 7 : 0;
                case PropKind.SmtpAddress:
                    return _recipient.Data.Address;
                default:
                    error = FakeHResults.NotFound;
                    return null;
            }
        }

        FakeAppointmentItem item = _item!;
        object? value = ReadItem(W, item, item.Current, r);
        if (value is null)
        {
            error = r.Kind == PropKind.Blocked ? FakeHResults.DispException : FakeHResults.NotFound;
        }

        return value;
    }

    internal static object? ReadItem(World w, FakeAppointmentItem item, ItemData d, PropRef r)
    {
        string entryId = item.Master?.EntryIdValue ?? item.EntryIdValue;
        switch (r.Kind)
        {
            case PropKind.Subject:
                return d.Subject;
            case PropKind.StartUtc:
                return d.StartUtc;
            case PropKind.EndUtc:
                return d.EndUtc;
            case PropKind.Location:
                return d.Location;
            case PropKind.Recurring:
                return d.Recurrence is not null || item.Master is not null;
            case PropKind.AllDay:
                return d.AllDayEvent;
            case PropKind.BusyStatus:
                return d.BusyStatus;
            case PropKind.EntryIdBinary:
                return entryId.Length == 0 ? null : Schema.HexToBytes(entryId);
            case PropKind.GlobalObjectId:
            case PropKind.CleanGlobalObjectId:
                return Schema.HexToBytes(d.GlobalAppointmentId);
            case PropKind.LastModifiedUtc:
                return d.LastModificationTimeUtc;
            case PropKind.CreationUtc:
                return d.CreationTimeUtc;
            case PropKind.MessageClass:
                return d.MessageClass;
            case PropKind.Body:
                return d.Body;
            case PropKind.Named:
                return d.Named.TryGetValue(r.Key, out object? v) && Schema.TypeMatches(v, r.TypeSuffix is null ? 0 : r.PropType) ? v : null;
            default:
                _ = w;
                return null;
        }
    }

    private int Write(string name, object? value)
    {
        PropRef? r = Schema.Parse(name);
        if (r is null || _item is null)
        {
            return FakeHResults.DispException;
        }

        ItemData d = _item.Current;
        bool typeOk = Schema.TypeMatches(value, r.PropType) || r.Kind == PropKind.Named && r.Key.Contains("/string/", StringComparison.Ordinal);
        if (!typeOk || value is null)
        {
            return FakeHResults.InvalidArg;
        }

        switch (r.Kind)
        {
            case PropKind.Subject:
                d.Subject = (string)value;
                break;
            case PropKind.Location:
                d.Location = (string)value;
                break;
            case PropKind.Body:
                d.Body = (string)value;
                d.Rtf = null;
                break;
            case PropKind.MessageClass:
                d.MessageClass = (string)value;
                break;
            case PropKind.BusyStatus:
                d.BusyStatus = (int)value;
                break;
            case PropKind.AllDay:
                d.AllDayEvent = (bool)value;
                break;
            case PropKind.Named:
                d.Named[r.Key] = value is Array a && value is not byte[] ? a.Cast<object>().ToArray() : value;
                break;
            default:
                return FakeHResults.DispException;
        }

        _item.IsSaved = false;
        return 0;
    }

    private int Remove(string name)
    {
        PropRef? r = Schema.Parse(name);
        if (r is null || _item is null)
        {
            return FakeHResults.DispException;
        }

        if (r.Kind != PropKind.Named)
        {
            return FakeHResults.DispException;
        }

        if (!_item.Current.Named.Remove(r.Key))
        {
            return FakeHResults.NotFound;
        }

        _item.IsSaved = false;
        return 0;
    }
}

/// <summary>UserProperties (Class 38); values live in PS_PUBLIC_STRINGS named properties.</summary>
public sealed class FakeUserProperties : FakeComObject
{
    private readonly FakeAppointmentItem _item;

    internal FakeUserProperties(World w, FakeAppointmentItem item)
        : base(w) => _item = item;

    internal override int ObjectClass => 38;

    internal override object? ParentObject => _item;

    public int Count
    {
        get
        {
            Enter();
            return _item.Current.UserProps.Count;
        }
    }

    public FakeUserProperty? Find(string Name, object? Custom = null)
    {
        Enter();
        _ = Custom;
        UserPropertyDef? def = _item.Current.UserProps.FirstOrDefault(u => string.Equals(u.Name, Name, StringComparison.OrdinalIgnoreCase));
        return def is null ? null : Out(new FakeUserProperty(W, _item, def));
    }

    public FakeUserProperty Item(object Index)
    {
        Enter();
        List<UserPropertyDef> list = _item.Current.UserProps;
        UserPropertyDef? def = Index is string s
            ? list.FirstOrDefault(u => string.Equals(u.Name, s, StringComparison.OrdinalIgnoreCase))
            : Convert.ToInt32(Index, CultureInfo.InvariantCulture) is int n && n >= 1 && n <= list.Count ? list[n - 1] : null;
        return Out(new FakeUserProperty(W, _item, def ?? throw Error("Array index out of bounds.", FakeHResults.BadIndex)));
    }

    public FakeUserProperty Add(string Name, object Type, object? AddToFolderFields = null, object? DisplayFormat = null)
    {
        Enter();
        _ = AddToFolderFields;
        _ = DisplayFormat;
        if (string.IsNullOrEmpty(Name) || Name.Length > 64 || Name.IndexOfAny(new[] { '[', ']', '_', '#' }) >= 0)
        {
            throw Error("The property name is not valid.", FakeHResults.InvalidArg);
        }

        int type = Convert.ToInt32(Type, CultureInfo.InvariantCulture);
        if (type is 0 or 21 or 22)
        {
            throw Error("This property type cannot be created.", FakeHResults.InvalidArg);
        }

        UserPropertyDef? def = _item.Current.UserProps.FirstOrDefault(u => string.Equals(u.Name, Name, StringComparison.OrdinalIgnoreCase));
        if (def is null)
        {
            def = new UserPropertyDef { Name = Name, Type = type };
            _item.Current.UserProps.Add(def);
            _item.Current.Named[Schema.UserPropertyKey(Name)] = type switch
            {
                3 or 12 or 14 => 0.0,
                20 => 0,
                6 => false,
                5 => new DateTime(4501, 1, 1),
                _ => "",
            };
            _item.IsSaved = false;
        }

        return Out(new FakeUserProperty(W, _item, def));
    }

    public void Remove(int Index)
    {
        Enter();
        List<UserPropertyDef> list = _item.Current.UserProps;
        if (Index < 1 || Index > list.Count)
        {
            throw Error("Array index out of bounds.", FakeHResults.BadIndex);
        }

        _item.Current.Named.Remove(Schema.UserPropertyKey(list[Index - 1].Name));
        list.RemoveAt(Index - 1);
        _item.IsSaved = false;
    }
}

/// <summary>One UserProperty (Class 39).</summary>
public sealed class FakeUserProperty : FakeComObject
{
    private readonly FakeAppointmentItem _item;
    private readonly UserPropertyDef _def;

    internal FakeUserProperty(World w, FakeAppointmentItem item, UserPropertyDef def)
        : base(w)
    {
        _item = item;
        _def = def;
    }

    internal override int ObjectClass => 39;

    internal override object? ParentObject => _item;

    public string Name
    {
        get
        {
            Enter();
            return _def.Name;
        }
    }

    public int Type
    {
        get
        {
            Enter();
            return _def.Type;
        }
    }

    public object? Value
    {
        get
        {
            Enter();
            return _item.Current.Named.GetValueOrDefault(Schema.UserPropertyKey(_def.Name));
        }

        set
        {
            Enter();
            _item.Current.Named[Schema.UserPropertyKey(_def.Name)] = value;
            _item.IsSaved = false;
            _item.RaiseItem(FakeEventIds.CustomPropertyChange, "CustomPropertyChange", _def.Name);
        }
    }

    public void Delete()
    {
        Enter();
        _item.Current.Named.Remove(Schema.UserPropertyKey(_def.Name));
        _item.Current.UserProps.Remove(_def);
        _item.IsSaved = false;
    }
}
