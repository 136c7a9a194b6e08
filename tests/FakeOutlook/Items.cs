using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace FakeOutlook;

/// <summary>
/// A folder's Items (Class 16), 1-based. Quirks (FACTS §2.2, §4.2): occurrences are expanded only when the collection was
/// sorted by [Start] ascending BEFORE IncludeRecurrences was set to true (the documented order Sort → IncludeRecurrences
/// → Restrict); then Count is int.MaxValue and the collection is walked lazily. A Restrict applied before expansion was
/// armed filters the masters, not the occurrences.
/// </summary>
public sealed class FakeItems : FakeEventSource
{
    private readonly FakeFolder _folder;
    private readonly List<(Filter Filter, bool OnOccurrences)> _filters;
    private string? _sort;
    private bool _descending;
    private bool _includeRecurrences;
    private bool _armed;
    private List<Entry>? _cache;
    private IEnumerator<Entry>? _source;
    private int _version = -1;
    private int _cursor;
    private Filter? _find;

    internal FakeItems(World w, FakeFolder folder)
        : base(w, FakeEventIds.ItemsEvents)
    {
        _folder = folder;
        _filters = new List<(Filter, bool)>();
    }

    private FakeItems(FakeItems from, Filter added)
        : this(from.W, from._folder)
    {
        _filters.AddRange(from._filters);
        _filters.Add((added, from.Expanding));
        _sort = from._sort;
        _descending = from._descending;
        _includeRecurrences = from._includeRecurrences;
        _armed = from._armed;
    }

    internal override int ObjectClass => 16;

    internal override object? ParentObject => _folder;

    internal override string Describe() => "Items of " + _folder.Describe();

    private bool Expanding => _includeRecurrences && _armed && _sort == "START" && !_descending;

    internal override void OnAdviseChanged()
    {
        if (HasSinks)
        {
            _folder.Listening.Add(this);
        }
        else
        {
            _folder.Listening.Remove(this);
        }
    }

    /// <summary>int.MaxValue while occurrences are expanded: the count is undefined (FACTS §2.2).</summary>
    public int Count
    {
        get
        {
            Enter();
            return Expanding ? int.MaxValue : View(int.MaxValue).Count;
        }
    }

    public bool IncludeRecurrences
    {
        get
        {
            Enter();
            return _includeRecurrences;
        }

        set
        {
            Enter();
            _includeRecurrences = value;
            _armed = value && _sort == "START" && !_descending;
            Invalidate();
        }
    }

    public void Sort(string Property, object? Descending = null)
    {
        Enter();
        string p = (Property ?? "").Trim().TrimStart('[').TrimEnd(']').ToUpperInvariant();
        if (p is not ("START" or "END" or "SUBJECT" or "LASTMODIFICATIONTIME" or "CREATIONTIME" or "DURATION" or "LOCATION" or "ORGANIZER"))
        {
            throw Error($"Cannot sort by \"{Property}\".");
        }

        bool desc = Descending is not null && Descending != Type.Missing && Convert.ToBoolean(Descending, CultureInfo.InvariantCulture);
        if (p != _sort || desc != _descending)
        {
            _armed = false;
        }

        _sort = p;
        _descending = desc;
        Invalidate();
    }

    public FakeItems Restrict(string Filter)
    {
        Enter();
        Filter f = FakeOutlook.Filter.Parse(Filter, W) ?? throw Error("Cannot parse condition. Error at \"\".");
        return Out(new FakeItems(this, f));
    }

    public object? Item(object Index)
    {
        Enter();
        if (Index is string s)
        {
            Entry? bySubject = View(int.MaxValue).FirstOrDefault(e => string.Equals(e.Data.Subject, s, StringComparison.OrdinalIgnoreCase));
            return Out(bySubject?.Materialize() ?? throw Error("The attempted operation failed. An object could not be found.", FakeHResults.NotFound));
        }

        int n = Convert.ToInt32(Index, CultureInfo.InvariantCulture);
        List<Entry> list = View(n);
        if (n < 1 || n > list.Count)
        {
            throw Error("Array index out of bounds.", FakeHResults.BadIndex);
        }

        return Out(list[n - 1].Materialize());
    }

    public object? GetFirst()
    {
        Enter();
        _cursor = 1;
        return Out(At(_cursor));
    }

    public object? GetNext()
    {
        Enter();
        _cursor++;
        return Out(At(_cursor));
    }

    public object? GetLast()
    {
        Enter();
        _cursor = View(int.MaxValue).Count;
        return Out(At(_cursor));
    }

    public object? GetPrevious()
    {
        Enter();
        _cursor--;
        return Out(At(_cursor));
    }

    public object? Find(string Filter)
    {
        Enter();
        _find = FakeOutlook.Filter.Parse(Filter, W) ?? throw Error("Cannot parse condition. Error at \"\".");
        _cursor = 0;
        return Out(NextFound());
    }

    public object? FindNext()
    {
        Enter();
        return Out(_find is null ? null : NextFound());
    }

    public object Add(object? Type = null)
    {
        Enter();
        if (Type is not null && Type != System.Type.Missing && !(Type is string cls && cls.StartsWith("IPM.Appointment", StringComparison.OrdinalIgnoreCase))
            && Convert.ToInt32(Type, CultureInfo.InvariantCulture) != 1)
        {
            throw Error("The fake Outlook creates appointment items only.");
        }

        return Out(new FakeAppointmentItem(W, _folder));
    }

    public void SetColumns(string Columns)
    {
        Enter();
        _ = Columns;
    }

    public void ResetColumns() => Enter();

    private object? At(int position)
    {
        if (position < 1)
        {
            return null;
        }

        List<Entry> list = View(position);
        return position <= list.Count ? list[position - 1].Materialize() : null;
    }

    private object? NextFound()
    {
        while (true)
        {
            _cursor++;
            List<Entry> list = View(_cursor);
            if (_cursor > list.Count)
            {
                return null;
            }

            if (_find!.Matches(list[_cursor - 1].View))
            {
                return list[_cursor - 1].Materialize();
            }
        }
    }

    private void Invalidate()
    {
        _cache = null;
        _source = null;
        _cursor = 0;
    }

    /// <summary>The entries produced so far, pulled on until at least <paramref name="needed"/> (or the end).</summary>
    private List<Entry> View(int needed)
    {
        if (_version != _folder.Version)
        {
            // The folder changed: rebuild the view, keeping the GetFirst/GetNext position.
            _cache = null;
            _source = null;
            _version = _folder.Version;
        }

        if (_cache is null)
        {
            _cache = new List<Entry>();
            _source = (Expanding ? Expand() : Masters()).GetEnumerator();
        }

        while (_cache.Count < needed && _source is not null)
        {
            if (_source.MoveNext())
            {
                _cache.Add(_source.Current);
            }
            else
            {
                _source.Dispose();
                _source = null;
            }
        }

        return _cache;
    }

    private IEnumerable<Entry> Masters()
    {
        IEnumerable<Entry> all = _folder.Stored
            .Select(i => new Entry(i, null, i.Stored.StartUtc, i.Stored.EndUtc, i.Stored))
            .Where(e => _filters.All(f => f.Filter.Matches(e.View)));
        if (_sort is null)
        {
            return all.ToList();
        }

        Func<Entry, IComparable> key = _sort switch
        {
            "START" => e => e.StartUtc,
            "END" => e => e.EndUtc,
            "SUBJECT" => e => e.Data.Subject.ToUpperInvariant(),
            "LASTMODIFICATIONTIME" => e => e.Data.LastModificationTimeUtc,
            "CREATIONTIME" => e => e.Data.CreationTimeUtc,
            "DURATION" => e => e.EndUtc - e.StartUtc,
            "LOCATION" => e => e.Data.Location.ToUpperInvariant(),
            _ => e => e.Data.Organizer.ToUpperInvariant(),
        };
        return (_descending ? all.OrderByDescending(key) : all.OrderBy(key)).ToList();
    }

    private IEnumerable<Entry> Expand()
    {
        var masterFilters = _filters.Where(f => !f.OnOccurrences).Select(f => f.Filter).ToList();
        var occFilters = _filters.Where(f => f.OnOccurrences).Select(f => f.Filter).ToList();
        DateTime? upper = occFilters.Select(f => f.UpperStartLocal).Where(u => u is not null).Min();
        DateTime? lower = occFilters.Select(f => f.LowerEndLocal).Where(u => u is not null).Max();
        DateTime horizonLocal = upper ?? W.ToLocal(W.UtcNow).AddYears(W.Options.ExpansionHorizonYears);

        var singles = new List<Entry>();
        var queue = new PriorityQueue<IEnumerator<Entry>, DateTime>();
        foreach (FakeAppointmentItem item in _folder.Stored)
        {
            ItemData d = item.Stored;
            var asMaster = new Entry(item, null, d.StartUtc, d.EndUtc, d);
            if (!masterFilters.All(f => f.Matches(asMaster.View)))
            {
                continue;
            }

            if (d.Recurrence is null)
            {
                singles.Add(asMaster);
                continue;
            }

            foreach (ExceptionData ex in d.Recurrence.Exceptions.Where(e => !e.Deleted && e.Item is not null))
            {
                singles.Add(new Entry(item, ex.OriginalStartUtc, ex.Item!.StartUtc, ex.Item.EndUtc, ex.Item));
            }

            IEnumerator<Entry> occ = Occurrences(item, d, lower, horizonLocal).GetEnumerator();
            if (occ.MoveNext())
            {
                queue.Enqueue(occ, occ.Current.StartUtc);
            }
        }

        singles.Sort((a, b) => a.StartUtc.CompareTo(b.StartUtc));
        IEnumerator<Entry> s = singles.GetEnumerator();
        if (s.MoveNext())
        {
            queue.Enqueue(s, s.Current.StartUtc);
        }

        while (queue.TryDequeue(out IEnumerator<Entry>? next, out _))
        {
            Entry e = next.Current;
            if (occFilters.All(f => f.Matches(e.View)))
            {
                yield return e;
            }

            if (next.MoveNext())
            {
                queue.Enqueue(next, next.Current.StartUtc);
            }
        }
    }

    private IEnumerable<Entry> Occurrences(FakeAppointmentItem master, ItemData d, DateTime? lowerEndLocal, DateTime horizonLocal)
    {
        RecurrenceData r = d.Recurrence!;
        TimeZoneInfo zone = W.Zone(d.StartZoneId);
        DateTime? hint = lowerEndLocal?.AddMinutes(-r.DurationMinutes).AddDays(-2);
        foreach (DateTime date in r.Dates(hint))
        {
            DateTime startUtc = World.ToUtc(date + r.StartTime, zone);
            if (W.ToLocal(startUtc) > horizonLocal)
            {
                yield break;
            }

            if (r.Exceptions.Count > 0 && r.ExceptionOn(date, startUtc, zone) is not null)
            {
                continue;
            }

            yield return new Entry(master, startUtc, startUtc, startUtc.AddMinutes(r.DurationMinutes), d);
        }
    }

    private sealed class Entry
    {
        public Entry(FakeAppointmentItem item, DateTime? originalStartUtc, DateTime startUtc, DateTime endUtc, ItemData data)
        {
            Item = item;
            OriginalStartUtc = originalStartUtc;
            StartUtc = startUtc;
            EndUtc = endUtc;
            Data = data;
        }

        public FakeAppointmentItem Item { get; }

        public DateTime? OriginalStartUtc { get; }

        public DateTime StartUtc { get; }

        public DateTime EndUtc { get; }

        public ItemData Data { get; }

        public FilterView View => new(Data, StartUtc, EndUtc, OriginalStartUtc is not null || Data.Recurrence is not null);

        public FakeAppointmentItem Materialize() =>
            OriginalStartUtc is DateTime o ? FakeAppointmentItem.Occurrence(Item, o, fromStore: true) : Item;
    }
}
