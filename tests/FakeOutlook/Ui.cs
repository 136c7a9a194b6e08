using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

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
/// InsertAfter, InsertBefore, Delete, Find and ListFormat. Formatted spans move with edits before them, are trimmed by
/// edits over them, and are all lost when the whole text is assigned. Paragraphs are separated by "\r" as in Word.
/// <para>
/// The story holds what Word's positions count, which is more than Range.Text shows (FACTS §10): a field is
/// <c>\x13</c> code <c>\x14</c> result <c>\x15</c> (a HYPERLINK in every Teams or Zoom invitation), and text can be
/// hidden. Range.Text leaves out field codes and hidden text, as it does with TextRetrievalMode's defaults when field
/// codes and hidden text are not shown; Start and End count every character of the story. A "list" span makes its
/// paragraphs list items, and text inserted at the end of the story takes the last paragraph's formatting (the worst
/// the documentation allows for Content.InsertAfter): after a list, new paragraphs are bullets too.
/// </para>
/// </summary>
public sealed class FakeWordDocument : FakeComObject
{
    /// <summary>Word's field characters in a story: begin, separator (code | result), end.</summary>
    public const char FieldBegin = '\u0013';

    public const char FieldSeparator = '\u0014';

    public const char FieldEnd = '\u0015';

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

    /// <summary>Test-side: the whole story (field characters included) and its spans, as a body arrives in the editor.</summary>
    public void SetStory(string story, params (int Start, int End, string Kind)[] spans)
    {
        ArgumentNullException.ThrowIfNull(story);
        TextValue = story;
        _spans.Clear();
        foreach ((int start, int end, string kind) in spans ?? [])
        {
            _spans.Add(new FormatSpan(start, end, kind));
        }
    }

    /// <summary>Test-side: a hyperlink field as Word keeps one, for building a story.</summary>
    public static string Hyperlink(string url, string shown) => FieldBegin + " HYPERLINK \"" + url + "\" " + FieldSeparator + shown + FieldEnd;

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

    /// <summary>What Range.Text shows of [start, end): no field codes, no hidden text; with each shown character's position.</summary>
    internal (string Text, List<int> Positions) Visible(int start, int end)
    {
        var text = new StringBuilder();
        var positions = new List<int>();
        int fieldCode = 0;
        for (int i = 0; i < TextValue.Length && i < end; i++)
        {
            char c = TextValue[i];
            if (c == FieldBegin)
            {
                fieldCode++;
                continue;
            }

            if (c == FieldSeparator)
            {
                fieldCode = Math.Max(0, fieldCode - 1);
                continue;
            }

            if (c == FieldEnd || fieldCode > 0 || i < start || _spans.Any(s => s.Kind == "hidden" && s.Start <= i && i < s.End))
            {
                continue;
            }

            text.Append(c);
            positions.Add(i);
        }

        return (text.ToString(), positions);
    }

    /// <summary>List items lose their list formatting: every paragraph [start, end) touches.</summary>
    internal void RemoveList(int start, int end)
    {
        int first = start == 0 ? 0 : TextValue.LastIndexOf('\r', Math.Max(0, start - 1)) + 1;
        int mark = TextValue.IndexOf('\r', Math.Max(end - 1, start));
        int last = mark < 0 ? TextValue.Length : mark + 1;
        foreach (FormatSpan span in _spans.Where(x => x.Kind == "list" && x.Start < last && x.End > first).ToList())
        {
            _spans.Remove(span);
            if (span.Start < first)
            {
                _spans.Add(new FormatSpan(span.Start, first, "list"));
            }

            if (span.End > last)
            {
                _spans.Add(new FormatSpan(last, span.End, "list"));
            }
        }

        Dirty = true;
    }

    internal byte[] ToRtf() =>
        TextValue.IndexOfAny([FieldBegin, FieldEnd]) < 0 && _spans.All(x => x.Kind != "hidden")
            ? Rtf.Build(TextValue.Replace("\r", "\n", StringComparison.Ordinal), _spans.Select(s => (s.Start, s.End, s.Kind)).ToList())
            : Rtf.FromPlain(ShownText.Replace("\r", "\n", StringComparison.Ordinal));

    /// <summary>The text a reader sees (the body Outlook saves as plain text).</summary>
    internal string ShownText => Visible(0, TextValue.Length).Text;

    internal void ReplaceAllForBody(string body) => Replace(0, TextValue.Length, body.Replace("\r\n", "\r", StringComparison.Ordinal), null);

    internal void Replace(int start, int end, string text, FakeWordRange? self)
    {
        int delta = text.Length - (end - start);
        TextValue = TextValue[..start] + text + TextValue[end..];
        Dirty = true;
        for (int i = _spans.Count - 1; i >= 0; i--)
        {
            FormatSpan s = _spans[i];
            if (s.Kind == "list" && start == end && s.End == start && end == TextValue.Length - text.Length)
            {
                s.End += delta; // text added at the end of the story joins the last paragraph's list
                continue;
            }

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

    /// <summary>The shown text: field results but not codes, no hidden text (see <see cref="FakeWordDocument"/>).</summary>
    public string Text
    {
        get
        {
            Enter();
            return _doc.Visible(StartValue, EndValue).Text;
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

    /// <summary>Range.Find: Execute looks in the shown text and, when it finds, moves this range onto what it found.</summary>
    public FakeWordFind Find
    {
        get
        {
            Enter();
            return Out(new FakeWordFind(W, this));
        }
    }

    /// <summary>Range.ListFormat: RemoveNumbers takes the list off every paragraph the range touches.</summary>
    public FakeWordListFormat ListFormat
    {
        get
        {
            Enter();
            return Out(new FakeWordListFormat(W, this));
        }
    }

    internal FakeWordDocument Document => _doc;

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

/// <summary>Word's Find object of a range: text only (no formatting, no wildcards), forward, stopping at the range's end.</summary>
public sealed class FakeWordFind : FakeComObject
{
    private readonly FakeWordRange _range;

    internal FakeWordFind(World w, FakeWordRange range)
        : base(w) => _range = range;

    internal override int ObjectClass => 0;

    internal override string? Defunct => _range.Defunct;

    internal override object? ParentObject => _range;

    public bool Forward { get; set; } = true;

    public int Wrap { get; set; }

    public bool MatchCase { get; set; }

    public bool MatchWildcards { get; set; }

    public void ClearFormatting() => Enter();

    public bool Execute(object? FindText = null)
    {
        Enter();
        if (FindText is not string text || text.Length == 0 || text.Length > 255 || MatchWildcards || !Forward)
        {
            throw Error("The fake Word finds plain text forward only (255 characters at most).", FakeHResults.InvalidArg);
        }

        (string shown, List<int> positions) = _range.Document.Visible(_range.StartValue, _range.EndValue);
        int at = shown.IndexOf(text, MatchCase ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            return false;
        }

        _range.StartValue = positions[at];
        _range.EndValue = positions[at + text.Length - 1] + 1;
        return true;
    }
}

/// <summary>Word's ListFormat of a range.</summary>
public sealed class FakeWordListFormat : FakeComObject
{
    private readonly FakeWordRange _range;

    internal FakeWordListFormat(World w, FakeWordRange range)
        : base(w) => _range = range;

    internal override int ObjectClass => 0;

    internal override string? Defunct => _range.Defunct;

    internal override object? ParentObject => _range;

    public void RemoveNumbers(object? NumberType = null)
    {
        Enter();
        _ = NumberType;
        _range.Document.RemoveList(_range.StartValue, _range.EndValue);
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
