using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace FakeOutlook;

/// <summary>Application.Inspectors (Class 56); raises InspectorsEvents.NewInspector when an item is displayed.</summary>
public sealed class FakeInspectors : FakeEventSource
{
    internal FakeInspectors(World w)
        : base(w, FakeEventIds.InspectorsEvents)
    {
    }

    internal List<FakeInspector> Open { get; } = new();

    internal override int ObjectClass => 56;

    public int Count
    {
        get
        {
            Enter();
            return Open.Count;
        }
    }

    public FakeInspector Item(object Index)
    {
        Enter();
        int n = Convert.ToInt32(Index, CultureInfo.InvariantCulture);
        if (n < 1 || n > Open.Count)
        {
            throw Error("Array index out of bounds.", FakeHResults.BadIndex);
        }

        return Out(Open[n - 1]);
    }
}

/// <summary>An Inspector (Class 35) showing one item in a Word editor (EditorType 4).</summary>
public sealed class FakeInspector : FakeEventSource
{
    internal FakeInspector(World w, FakeAppointmentItem item)
        : base(w, FakeEventIds.InspectorEvents10, FakeEventIds.InspectorEvents)
    {
        ItemObject = item;
        Document = new FakeWordDocument(w, item.Current.Body.Replace("\r\n", "\r", StringComparison.Ordinal).Replace('\n', '\r')) { Inspector = this };
    }

    internal FakeAppointmentItem ItemObject { get; }

    /// <summary>Set once the window has closed (after its Close event): its members and its document's then fail.</summary>
    internal bool IsClosed { get; set; }

    internal override string? Defunct => IsClosed ? "The inspector has been closed." : null;

    /// <summary>The Word document behind the editor (test-side: spans, text, FormattingIntact).</summary>
    public FakeWordDocument Document { get; }

    internal override int ObjectClass => 35;

    internal override string Describe() => "Inspector of " + ItemObject.Describe();

    public object CurrentItem
    {
        get
        {
            Enter();
            if (!W.App.InspectorsCollection.Open.Contains(this))
            {
                throw Error("The inspector is closed: no item is open.");
            }

            return Out(ItemObject);
        }
    }

    public int EditorType
    {
        get
        {
            Enter();
            return 4;
        }
    }

    public string Caption
    {
        get
        {
            Enter();
            return ItemObject.Current.Subject + " - Appointment";
        }
    }

    public bool IsWordMail()
    {
        Enter();
        return true;
    }

    public object WordEditor
    {
        get
        {
            Enter();
            return Out(Document);
        }
    }

    public void Activate()
    {
        Enter();
        Raise(FakeEventIds.Activate, "InspectorEvents_10.Activate");
    }

    public void Display(object? Modal = null)
    {
        Enter();
        _ = Modal;
    }

    public void Close(object SaveMode)
    {
        Enter();
        CloseCore(Convert.ToInt32(SaveMode, CultureInfo.InvariantCulture));
    }

    internal void CloseCore(int mode) => ItemObject.CloseCore(mode, this);
}

/// <summary>A formatted span of a Word document (for instance bold), half-open [Start, End).</summary>
public sealed class FormatSpan
{
    internal FormatSpan(int start, int end, string kind)
    {
        Start = start;
        End = end;
        Kind = kind;
    }

    public int Start { get; internal set; }

    public int End { get; internal set; }

    public string Kind { get; }

    public override string ToString() => $"{Kind} [{Start}, {End})";
}

/// <summary>
/// A minimal Word Document (the inspector's WordEditor): Content and Range(start, end) give ranges with Text, Start, End,
/// InsertAfter, InsertBefore and Delete. Formatted spans move with edits before them, are trimmed by edits over them, and
/// are all lost when the whole text is assigned. Paragraphs are separated by "\r" as in Word.
/// </summary>
public sealed class FakeWordDocument : FakeComObject
{
    private readonly List<FormatSpan> _spans = new();
    private readonly List<WeakReference<FakeWordRange>> _ranges = new();

    internal FakeWordDocument(World w, string text)
        : base(w) => TextValue = text;

    internal string TextValue { get; private set; }

    internal bool Dirty { get; set; }

    /// <summary>The window whose editor this is; the document goes when the window closes.</summary>
    internal FakeInspector? Inspector { get; init; }

    internal override string? Defunct => Inspector?.IsClosed == true ? "The document's window has been closed." : null;

    internal override int ObjectClass => 1;

    // ---- test-side (no thread check) ----

    /// <summary>The document text (test-side).</summary>
    public string CurrentText => TextValue;

    /// <summary>The formatted spans still present (test-side).</summary>
    public IReadOnlyList<FormatSpan> Spans => _spans.ToArray();

    /// <summary>True while no formatted span has been wiped out (by a wholesale Text assignment or an edit over it).</summary>
    public bool FormattingIntact => SpansLost == 0;

    /// <summary>How many formatted spans were lost.</summary>
    public int SpansLost { get; private set; }

    /// <summary>Test-side: formats [start, start+length) (e.g. "bold").</summary>
    public void AddFormatting(int start, int length, string kind = "bold")
    {
        if (start < 0 || length <= 0 || start + length > TextValue.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(start));
        }

        _spans.Add(new FormatSpan(start, start + length, kind));
    }

    /// <summary>Test-side: the text under a span.</summary>
    public string TextOf(FormatSpan span)
    {
        ArgumentNullException.ThrowIfNull(span);
        return TextValue[span.Start..span.End];
    }

    // ---- Word members ----
    public FakeWordRange Content
    {
        get
        {
            Enter();
            return Out(NewRange(0, TextValue.Length));
        }
    }

    public FakeWordRange Range(object? Start = null, object? End = null)
    {
        Enter();
        int s = Start is null || Start == Type.Missing ? 0 : Convert.ToInt32(Start, CultureInfo.InvariantCulture);
        int e = End is null || End == Type.Missing ? TextValue.Length : Convert.ToInt32(End, CultureInfo.InvariantCulture);
        if (s < 0 || e < s || e > TextValue.Length)
        {
            throw Error("The requested member of the collection does not exist.", FakeHResults.BadIndex);
        }

        return Out(NewRange(s, e));
    }

    internal byte[] ToRtf() => Rtf.Build(TextValue.Replace("\r", "\n", StringComparison.Ordinal), _spans.Select(s => (s.Start, s.End, s.Kind)).ToList());

    internal void ReplaceAllForBody(string body) => Replace(0, TextValue.Length, body.Replace("\r\n", "\r", StringComparison.Ordinal), null);

    internal void Replace(int start, int end, string text, FakeWordRange? self)
    {
        int delta = text.Length - (end - start);
        TextValue = TextValue[..start] + text + TextValue[end..];
        Dirty = true;
        for (int i = _spans.Count - 1; i >= 0; i--)
        {
            FormatSpan s = _spans[i];
            if (s.End <= start)
            {
                continue;
            }

            if (s.Start >= end)
            {
                s.Start += delta;
                s.End += delta;
                continue;
            }

            if (s.Start < start && s.End > end)
            {
                s.End += delta; // the edit is inside the span: the new text takes its formatting
                continue;
            }

            int newStart = s.Start < start ? s.Start : start + text.Length;
            int newEnd = s.End > end ? s.End + delta : start;
            if (newEnd <= newStart)
            {
                _spans.RemoveAt(i);
                SpansLost++;
            }
            else
            {
                s.Start = newStart;
                s.End = newEnd;
            }
        }

        foreach (WeakReference<FakeWordRange> wr in _ranges.ToArray())
        {
            if (!wr.TryGetTarget(out FakeWordRange? r))
            {
                _ranges.Remove(wr);
                continue;
            }

            if (ReferenceEquals(r, self))
            {
                continue;
            }

            r.StartValue = Adjust(r.StartValue, start, end, delta, isEnd: false);
            r.EndValue = Math.Max(r.StartValue, Adjust(r.EndValue, start, end, delta, isEnd: true));
        }
    }

    private static int Adjust(int pos, int start, int end, int delta, bool isEnd)
    {
        if (start == end)
        {
            return pos > start || (pos == start && !isEnd) ? pos + delta : pos;
        }

        if (pos >= end)
        {
            return pos + delta;
        }

        return pos > start ? start : pos;
    }

    private FakeWordRange NewRange(int start, int end)
    {
        var r = new FakeWordRange(W, this, start, end);
        _ranges.Add(new WeakReference<FakeWordRange>(r));
        return r;
    }
}

/// <summary>A Word Range.</summary>
public sealed class FakeWordRange : FakeComObject
{
    private readonly FakeWordDocument _doc;

    internal FakeWordRange(World w, FakeWordDocument doc, int start, int end)
        : base(w)
    {
        _doc = doc;
        StartValue = start;
        EndValue = end;
    }

    internal override string? Defunct => _doc.Defunct;

    internal int StartValue { get; set; }

    internal int EndValue { get; set; }

    internal override int ObjectClass => 0;

    internal override object? ParentObject => _doc;

    public int Start
    {
        get
        {
            Enter();
            return StartValue;
        }

        set
        {
            Enter();
            StartValue = Math.Clamp(value, 0, _doc.TextValue.Length);
            EndValue = Math.Max(EndValue, StartValue);
        }
    }

    public int End
    {
        get
        {
            Enter();
            return EndValue;
        }

        set
        {
            Enter();
            EndValue = Math.Clamp(value, StartValue, _doc.TextValue.Length);
        }
    }

    public string Text
    {
        get
        {
            Enter();
            return _doc.TextValue[StartValue..EndValue];
        }

        set
        {
            Enter();
            string t = value ?? "";
            _doc.Replace(StartValue, EndValue, t, this);
            EndValue = StartValue + t.Length;
        }
    }

    public void InsertAfter(string Text)
    {
        Enter();
        string t = Text ?? "";
        _doc.Replace(EndValue, EndValue, t, this);
        EndValue += t.Length;
    }

    public void InsertBefore(string Text)
    {
        Enter();
        string t = Text ?? "";
        _doc.Replace(StartValue, StartValue, t, this);
        EndValue += t.Length;
    }

    public int Delete(object? Unit = null, object? Count = null)
    {
        Enter();
        _ = Unit;
        _ = Count;
        int n = EndValue - StartValue;
        _doc.Replace(StartValue, EndValue, "", this);
        EndValue = StartValue;
        return n;
    }
}

/// <summary>The calendar Explorer (Class 34).</summary>
public sealed class FakeExplorer : FakeEventSource
{
    internal FakeExplorer(World w)
        : base(w, FakeEventIds.ExplorerEvents10, FakeEventIds.ExplorerEvents)
    {
        View = new FakeCalendarView(w);
    }

    internal FakeFolder? Folder { get; set; }

    internal FakeCalendarView View { get; }

    internal List<FakeAppointmentItem> Selected { get; } = new();

    internal override int ObjectClass => 34;

    public FakeFolder CurrentFolder
    {
        get
        {
            Enter();
            return Out(Folder ?? W.App.NameSpace.Calendar);
        }

        set
        {
            Enter();
            Folder = value ?? throw Error("A folder is required.", FakeHResults.InvalidArg);
            Raise(FakeEventIds.FolderSwitch, "ExplorerEvents_10.FolderSwitch");
        }
    }

    /// <summary>The CalendarView (keep your own reference, FACTS §2.7).</summary>
    public object CurrentView
    {
        get
        {
            Enter();
            return Out(View);
        }
    }

    public FakeSelection Selection
    {
        get
        {
            Enter();
            return Out(new FakeSelection(W, Selected.ToList()));
        }
    }

    public string Caption
    {
        get
        {
            Enter();
            return "Calendar - " + W.Options.CurrentUserAddress;
        }
    }

    public void Activate()
    {
        Enter();
        Raise(FakeEventIds.Activate, "ExplorerEvents_10.Activate");
    }
}

/// <summary>A CalendarView (Class 139) with the selected time range.</summary>
public sealed class FakeCalendarView : FakeComObject
{
    internal FakeCalendarView(World w)
        : base(w)
    {
        DateTime today = w.ToLocal(w.UtcNow).Date.AddHours(9);
        SelectedStart = today;
        SelectedEnd = today.AddMinutes(30);
    }

    internal DateTime SelectedStart { get; set; }

    internal DateTime SelectedEnd { get; set; }

    internal override int ObjectClass => 139;

    public DateTime SelectedStartTime
    {
        get
        {
            Enter();
            return SelectedStart;
        }
    }

    public DateTime SelectedEndTime
    {
        get
        {
            Enter();
            return SelectedEnd;
        }
    }

    public int ViewType
    {
        get
        {
            Enter();
            return 1;
        }
    }

    public string Name
    {
        get
        {
            Enter();
            return "Calendar";
        }
    }

    public int CalendarViewMode
    {
        get
        {
            Enter();
            return 1;
        }
    }

    public object DisplayedDates
    {
        get
        {
            Enter();
            return new object[] { SelectedStart.Date };
        }
    }
}

/// <summary>Explorer.Selection (Class 74).</summary>
public sealed class FakeSelection : FakeComObject
{
    private readonly List<FakeAppointmentItem> _items;

    internal FakeSelection(World w, List<FakeAppointmentItem> items)
        : base(w) => _items = items;

    internal override int ObjectClass => 74;

    public int Count
    {
        get
        {
            Enter();
            return _items.Count;
        }
    }

    public object Item(object Index)
    {
        Enter();
        int n = Convert.ToInt32(Index, CultureInfo.InvariantCulture);
        if (n < 1 || n > _items.Count)
        {
            throw Error("Array index out of bounds.", FakeHResults.BadIndex);
        }

        return Out(_items[n - 1]);
    }
}
