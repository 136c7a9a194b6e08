using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace FakeOutlook;

/// <summary>
/// Folder.GetTable (Class 120, FACTS §2.3): only master rows for series (never occurrences); explicit-name date columns
/// in local time, namespace date columns in UTC; strings cut at 255 bytes, which in Unicode is 127 characters (FACTS
/// §2.3: the VBA page says both "255 bytes" and "255 characters"; the fake takes the shorter); computed properties blocked.
/// </summary>
public sealed class FakeTable : FakeComObject
{
    private static readonly string[] DefaultColumns = { "EntryID", "Subject", "CreationTime", "LastModificationTime", "MessageClass", "Start", "End", "IsRecurring" };
    private readonly FakeFolder _folder;
    private readonly List<Filter> _filters;
    private List<FakeAppointmentItem>? _rows;
    private int _position; // index of the next row
    private string? _sort;
    private bool _descending;
    private Filter? _find;

    internal FakeTable(World w, FakeFolder folder, List<Filter> filters)
        : base(w)
    {
        _folder = folder;
        _filters = filters;
        ColumnsObject = new FakeColumns(w, this);
        foreach (string c in DefaultColumns)
        {
            ColumnsObject.Defs.Add(ColumnDef.Resolve(c, W));
        }
    }

    internal FakeColumns ColumnsObject { get; }

    internal override int ObjectClass => 120;

    internal override object? ParentObject => _folder;

    public FakeColumns Columns
    {
        get
        {
            Enter();
            return Out(ColumnsObject);
        }
    }

    public bool EndOfTable
    {
        get
        {
            Enter();
            return _position >= Rows.Count;
        }
    }

    public int GetRowCount()
    {
        Enter();
        return Rows.Count;
    }

    public FakeRow? GetNextRow()
    {
        Enter();
        if (_position >= Rows.Count)
        {
            return null;
        }

        return Out(MakeRow(Rows[_position++]));
    }

    public void MoveToStart()
    {
        Enter();
        _position = 0;
    }

    public FakeTable Restrict(string Filter)
    {
        Enter();
        var t = new FakeTable(W, _folder, _filters.Append(FakeOutlook.Filter.Parse(Filter, W)).OfType<Filter>().ToList())
        {
            _sort = _sort,
            _descending = _descending,
        };
        t.ColumnsObject.Defs.Clear();
        t.ColumnsObject.Defs.AddRange(ColumnsObject.Defs);
        return Out(t);
    }

    public void Sort(string SortProperty, object? Descending = null)
    {
        Enter();
        string p = (SortProperty ?? "").Trim().TrimStart('[').TrimEnd(']');
        if (p.Contains("://", StringComparison.Ordinal) || p.StartsWith("urn:", StringComparison.Ordinal))
        {
            throw Error("Table.Sort takes an explicit property name, not a namespace reference.");
        }

        if (p.ToUpperInvariant() is not ("START" or "END" or "SUBJECT" or "LASTMODIFICATIONTIME" or "CREATIONTIME" or "LOCATION"))
        {
            throw Error($"Cannot sort by \"{SortProperty}\".");
        }

        _sort = p.ToUpperInvariant();
        _descending = Descending is not null && Descending != Type.Missing && Convert.ToBoolean(Descending, CultureInfo.InvariantCulture);
        Reset();
    }

    public FakeRow? FindRow(string Filter)
    {
        Enter();
        _find = FakeOutlook.Filter.Parse(Filter, W);
        _position = 0;
        return Out(FindFrom());
    }

    public FakeRow? FindNextRow()
    {
        Enter();
        return Out(_find is null ? null : FindFrom());
    }

    /// <summary>
    /// Table.GetArray. Two readings of the documentation are taken at their worst (FACTS §2.3): "an array index (i, j)
    /// indexes into the i-th column and j-th row" (while Microsoft's own VBA sample reads rows first), so the array is
    /// [column, row]; and Outlook 2007's page says a MaxRows greater than the table's rows is an error, so it is.
    /// </summary>
    public object GetArray(int MaxRows)
    {
        Enter();
        if (MaxRows < 1 || MaxRows > Rows.Count)
        {
            throw Error("Could not complete the operation. One or more parameter values are not valid.", FakeHResults.InvalidArg);
        }

        int n = Math.Min(MaxRows, Rows.Count - _position);
        var result = new object?[ColumnsObject.Defs.Count, Math.Max(0, n)];
        for (int r = 0; r < n; r++)
        {
            FakeRow row = MakeRow(Rows[_position++]);
            for (int c = 0; c < ColumnsObject.Defs.Count; c++)
            {
                result[c, r] = row.Values[c];
            }
        }

        return result;
    }

    internal void Reset()
    {
        _rows = null;
        _position = 0;
    }

    private FakeRow? FindFrom()
    {
        while (_position < Rows.Count)
        {
            FakeAppointmentItem item = Rows[_position++];
            if (_find is null || _find.Matches(new FilterView(item.Stored, item.Stored.StartUtc, item.Stored.EndUtc, item.Stored.Recurrence is not null)))
            {
                return MakeRow(item);
            }
        }

        return null;
    }

    private List<FakeAppointmentItem> Rows
    {
        get
        {
            if (_rows is null)
            {
                IEnumerable<FakeAppointmentItem> q = _folder.Stored.Where(i =>
                    _filters.All(f => f.Matches(new FilterView(i.Stored, i.Stored.StartUtc, i.Stored.EndUtc, i.Stored.Recurrence is not null))));
                if (_sort is not null)
                {
                    Func<FakeAppointmentItem, IComparable> key = _sort switch
                    {
                        "START" => i => i.Stored.StartUtc,
                        "END" => i => i.Stored.EndUtc,
                        "SUBJECT" => i => i.Stored.Subject.ToUpperInvariant(),
                        "LASTMODIFICATIONTIME" => i => i.Stored.LastModificationTimeUtc,
                        "CREATIONTIME" => i => i.Stored.CreationTimeUtc,
                        _ => i => i.Stored.Location.ToUpperInvariant(),
                    };
                    q = _descending ? q.OrderByDescending(key) : q.OrderBy(key);
                }

                _rows = q.ToList();
            }

            return _rows;
        }
    }

    /// <summary>255 bytes of UTF-16: what a Table keeps of any string column (FACTS §2.3).</summary>
    internal const int CutAtChars = 127;

    private FakeRow MakeRow(FakeAppointmentItem item)
    {
        List<ColumnDef> defs = ColumnsObject.Defs;
        var values = new object?[defs.Count];
        for (int i = 0; i < defs.Count; i++)
        {
            object? v = defs[i].Read(item, item.Stored);
            values[i] = v is string s && s.Length > CutAtChars ? s[..CutAtChars] : v;
        }

        return new FakeRow(W, this, defs.Select(d => d.Name).ToArray(), defs.Select(d => d.Explicit).ToArray(), values);
    }
}

internal sealed class ColumnDef
{
    /// <summary>
    /// What a contents table gives as an item's EntryID: on Exchange, a short-term id (its first flags byte
    /// MAPI_SHORTTERM, 0x80) that NameSpace.GetItemFromID cannot open; a PST's table gives the long-term id. The ODC
    /// PidTagEntryId and PidTagLongTermEntryIdFromTable pages allow a short-term id there and name the long-term column
    /// (http://schemas.microsoft.com/mapi/proptag/0x66700102) for the real one (FACTS §2.3): the worst case.
    /// </summary>
    internal static string ShortTermEntryId(FakeAppointmentItem item)
    {
        string id = item.EntryIdValue;
        return id.Length >= 2 && item.FolderObject.StoreKind == FakeStoreKind.Exchange ? "80" + id[2..] : id;
    }

    private ColumnDef(string name, bool isExplicit, Func<FakeAppointmentItem, ItemData, object?> read)
    {
        Name = name;
        Explicit = isExplicit;
        Read = read;
    }

    public string Name { get; }

    public bool Explicit { get; }

    public Func<FakeAppointmentItem, ItemData, object?> Read { get; }

    public static ColumnDef Resolve(string name, World w)
    {
        if (name.Contains(':', StringComparison.Ordinal))
        {
            PropRef r = Schema.Parse(name) ?? throw FakeComObject.Error($"The property \"{name}\" is unknown.");
            if (r.Kind == PropKind.Blocked)
            {
                throw FakeComObject.Error($"The property \"{name}\" cannot be added to a table (IDS_ERR_BLOCKED_PROPERTY).");
            }

            if (r.Kind == PropKind.Named && r.Key.Contains("/string/", StringComparison.Ordinal) && r.TypeSuffix is null)
            {
                throw FakeComObject.Error($"The property \"{name}\" is unknown: a string-named property needs its type appended.");
            }

            if (name.EndsWith("/proptag/0x0FFF0102", StringComparison.OrdinalIgnoreCase))
            {
                // PR_ENTRYID in a contents table: short-term, as the "EntryID" column (FACTS §2.3).
                return new ColumnDef(name, false, (item, _) => ShortTermEntryId(item) is { Length: > 0 } id ? Schema.HexToBytes(id) : null);
            }

            if (r.Kind == PropKind.Body)
            {
                // PR_BODY in a contents table gives at most 255 bytes (FACTS §2.3); where the store does not cut a long
                // body it answers the column with an error value instead of text (a MAPI table's PT_ERROR,
                // MAPI_E_NOT_ENOUGH_MEMORY), which reaches the object model as a number. The fake takes that, the worse.
                return new ColumnDef(name, false, (item, d) => d.Body.Length > FakeTable.CutAtChars ? (object)FakeHResults.NotEnoughMemory : d.Body);
            }

            return new ColumnDef(name, false, (item, d) => FakePropertyAccessor.ReadItem(w, item, d, r));
        }

        Func<FakeAppointmentItem, ItemData, object?> read = name.ToUpperInvariant() switch
        {
            "ENTRYID" => (i, _) => ShortTermEntryId(i),
            "SUBJECT" => (_, d) => d.Subject,
            "CREATIONTIME" => (_, d) => w.ToLocal(d.CreationTimeUtc),
            "LASTMODIFICATIONTIME" => (_, d) => w.ToLocal(d.LastModificationTimeUtc),
            "MESSAGECLASS" => (_, d) => d.MessageClass,
            "START" => (_, d) => w.ToLocal(d.StartUtc),
            "END" => (_, d) => w.ToLocal(d.EndUtc),
            "ISRECURRING" => (_, d) => d.Recurrence is not null,
            "LOCATION" => (_, d) => d.Location,
            "GLOBALAPPOINTMENTID" => (_, d) => d.GlobalAppointmentId,
            "ALLDAYEVENT" => (_, d) => d.AllDayEvent,
            "BUSYSTATUS" => (_, d) => d.BusyStatus,
            "DURATION" => (_, d) => (int)(d.EndUtc - d.StartUtc).TotalMinutes,
            "ORGANIZER" => (_, d) => d.Organizer,
            "MEETINGSTATUS" => (_, d) => d.MeetingStatus,
            "RESPONSESTATUS" => (_, d) => d.ResponseStatus,
            "CATEGORIES" => (_, d) => d.Categories,
            "SENSITIVITY" => (_, d) => d.Sensitivity,
            "REQUIREDATTENDEES" => (_, d) => d.Attendees(1),
            "OPTIONALATTENDEES" => (_, d) => d.Attendees(2),
            "RESOURCES" => (_, d) => d.Attendees(3),
            "REMINDERSET" => (_, d) => d.ReminderSet,
            "RECURRENCESTATE" or "BODYFORMAT" or "SAVED" or "SENT" or "BODY" or "HTMLBODY" or "RTFBODY" or "CLASS" or "SIZE" =>
                throw FakeComObject.Error($"The property \"{name}\" cannot be added to a table because it is computed (IDS_ERR_BLOCKED_PROPERTY)."),
            _ => throw FakeComObject.Error($"The property \"{name}\" is unknown."),
        };
        return new ColumnDef(name, true, read);
    }
}

/// <summary>Table.Columns (Class 122).</summary>
public sealed class FakeColumns : FakeComObject
{
    private readonly FakeTable _table;

    internal FakeColumns(World w, FakeTable table)
        : base(w) => _table = table;

    internal List<ColumnDef> Defs { get; } = new();

    internal override int ObjectClass => 122;

    internal override object? ParentObject => _table;

    public int Count
    {
        get
        {
            Enter();
            return Defs.Count;
        }
    }

    public FakeColumn Add(string Name)
    {
        Enter();
        Defs.Add(ColumnDef.Resolve(Name ?? "", W));
        _table.Reset();
        return Out(new FakeColumn(W, Name!));
    }

    public FakeColumn Item(object Index)
    {
        Enter();
        int n = Index is string s ? Defs.FindIndex(d => d.Name == s) + 1 : Convert.ToInt32(Index, CultureInfo.InvariantCulture);
        if (n < 1 || n > Defs.Count)
        {
            throw Error("Array index out of bounds.", FakeHResults.BadIndex);
        }

        return Out(new FakeColumn(W, Defs[n - 1].Name));
    }

    public void Remove(object Index)
    {
        Enter();
        int n = Index is string s ? Defs.FindIndex(d => d.Name == s) + 1 : Convert.ToInt32(Index, CultureInfo.InvariantCulture);
        if (n < 1 || n > Defs.Count)
        {
            throw Error("Array index out of bounds.", FakeHResults.BadIndex);
        }

        Defs.RemoveAt(n - 1);
        _table.Reset();
    }

    public void RemoveAll()
    {
        Enter();
        Defs.Clear();
        _table.Reset();
    }
}

/// <summary>One Column (Class 154).</summary>
public sealed class FakeColumn : FakeComObject
{
    private readonly string _name;

    internal FakeColumn(World w, string name)
        : base(w) => _name = name;

    internal override int ObjectClass => 154;

    public string Name
    {
        get
        {
            Enter();
            return _name;
        }
    }
}

/// <summary>One Row (Class 121): Item(1-based index or the exact name the column was added by), GetValues().</summary>
public sealed class FakeRow : FakeComObject
{
    private readonly FakeTable _table;
    private readonly string[] _names;
    private readonly bool[] _explicit;

    internal FakeRow(World w, FakeTable table, string[] names, bool[] isExplicit, object?[] values)
        : base(w)
    {
        _table = table;
        _names = names;
        _explicit = isExplicit;
        Values = values;
    }

    internal object?[] Values { get; }

    internal override int ObjectClass => 121;

    internal override object? ParentObject => _table;

    public object? Item(object Index)
    {
        Enter();
        return Values[IndexOf(Index)];
    }

    public object GetValues()
    {
        Enter();
        return Values.ToArray();
    }

    public string BinaryToString(object Index)
    {
        Enter();
        return Values[IndexOf(Index)] switch
        {
            byte[] b => Schema.BytesToHex(b),
            string s => s,
            _ => throw Error("The value is not binary.", FakeHResults.InvalidArg),
        };
    }

    public DateTime LocalTimeToUTC(object Index)
    {
        Enter();
        return W.ToUtc(Values[IndexOf(Index)] as DateTime? ?? throw Error("The value is not a date.", FakeHResults.InvalidArg));
    }

    public DateTime UTCToLocalTime(object Index)
    {
        Enter();
        return W.ToLocal(Values[IndexOf(Index)] as DateTime? ?? throw Error("The value is not a date.", FakeHResults.InvalidArg));
    }

    private int IndexOf(object index)
    {
        if (index is string s)
        {
            for (int i = 0; i < _names.Length; i++)
            {
                if (_explicit[i] ? string.Equals(_names[i], s, StringComparison.OrdinalIgnoreCase) : _names[i] == s)
                {
                    return i;
                }
            }

            throw Error($"The column \"{s}\" is not in the table.", FakeHResults.BadIndex);
        }

        int n = Convert.ToInt32(index, CultureInfo.InvariantCulture);
        if (n < 1 || n > Values.Length)
        {
            throw Error("Array index out of bounds.", FakeHResults.BadIndex);
        }

        return n - 1;
    }
}
