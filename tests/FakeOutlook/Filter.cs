using System;
using System.Collections.Generic;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace FakeOutlook;

/// <summary>What a filter sees of one item or occurrence.</summary>
internal readonly record struct FilterView(ItemData Data, DateTime StartUtc, DateTime EndUtc, bool IsRecurring);

/// <summary>
/// A parsed Jet (<c>[Start] &gt;= '...'</c>) or DASL (<c>@SQL="urn:schemas:calendar:dtstart" &gt;= '...'</c>) filter (FACTS §4).
/// Jet dates compare in local time, DASL dates in UTC; literals are parsed with the regional-settings culture and must not
/// carry seconds.
/// </summary>
internal sealed class Filter
{
    private readonly Func<FilterView, bool> _predicate;

    private Filter(Func<FilterView, bool> predicate, DateTime? upperStartLocal, DateTime? lowerEndLocal)
    {
        _predicate = predicate;
        UpperStartLocal = upperStartLocal;
        LowerEndLocal = lowerEndLocal;
    }

    /// <summary>No match can start (local) after this.</summary>
    public DateTime? UpperStartLocal { get; }

    /// <summary>No match can end (local) before this.</summary>
    public DateTime? LowerEndLocal { get; }

    public bool Matches(FilterView v) => _predicate(v);

    public static Filter? Parse(string? text, World w)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var parser = new Parser(text, w);
        return parser.ParseAll();
    }

    private static COMException ParseError(string at) => FakeComObject.Error($"Cannot parse condition. Error at \"{at}\".");

    private sealed record Node(Func<FilterView, bool> Eval, DateTime? Upper, DateTime? Lower);

    private sealed class Parser
    {
        private readonly string _s;
        private readonly World _w;
        private readonly bool _dasl;
        private int _i;

        public Parser(string text, World w)
        {
            _w = w;
            string t = text.Trim();
            if (t.StartsWith("@SQL=", StringComparison.Ordinal))
            {
                _dasl = true;
                t = t[5..];
            }

            _s = t;
        }

        public Filter ParseAll()
        {
            Node n = Or();
            SkipWs();
            if (_i < _s.Length)
            {
                throw ParseError(_s[_i..]);
            }

            return new Filter(n.Eval, n.Upper, n.Lower);
        }

        private Node Or()
        {
            Node left = And();
            while (Keyword("OR"))
            {
                Node right = And();
                Node l = left;
                left = new Node(v => l.Eval(v) || right.Eval(v), Max(l.Upper, right.Upper), Min(l.Lower, right.Lower));
            }

            return left;
        }

        private Node And()
        {
            Node left = Not();
            while (Keyword("AND"))
            {
                Node right = Not();
                Node l = left;
                left = new Node(v => l.Eval(v) && right.Eval(v), MinNullable(l.Upper, right.Upper), MaxNullable(l.Lower, right.Lower));
            }

            return left;
        }

        private Node Not()
        {
            if (Keyword("NOT"))
            {
                Node inner = Not();
                return new Node(v => !inner.Eval(v), null, null);
            }

            SkipWs();
            if (Peek('('))
            {
                _i++;
                Node inner = Or();
                SkipWs();
                if (!Peek(')'))
                {
                    throw ParseError(Rest());
                }

                _i++;
                return inner;
            }

            return Comparison();
        }

        private Node Comparison()
        {
            SkipWs();
            int at = _i;
            string prop;
            if (!_dasl && Peek('['))
            {
                int end = _s.IndexOf(']', _i);
                if (end < 0)
                {
                    throw ParseError(Rest());
                }

                prop = _s[(_i + 1)..end];
                _i = end + 1;
            }
            else if (_dasl && Peek('"'))
            {
                prop = Quoted('"');
            }
            else
            {
                throw ParseError(Rest());
            }

            SkipWs();
            string op = Operator() ?? throw ParseError(Rest());
            SkipWs();
            string literal;
            bool quoted = false;
            if (Peek('\'') || (!_dasl && Peek('"')))
            {
                literal = Quoted(_s[_i]);
                quoted = true;
            }
            else
            {
                int st = _i;
                while (_i < _s.Length && !char.IsWhiteSpace(_s[_i]) && _s[_i] != ')')
                {
                    _i++;
                }

                literal = _s[st.._i];
                if (literal.Length == 0)
                {
                    throw ParseError(_s[at..]);
                }
            }

            string context = _s[at.._i];
            return _dasl ? DaslComparison(prop, op, literal, quoted, context) : JetComparison(prop, op, literal, context);
        }

        private Node JetComparison(string prop, string op, string literal, string context)
        {
            switch (prop.Trim().ToUpperInvariant())
            {
                case "START":
                    return DateNode(v => _w.ToLocal(v.StartUtc), op, ParseDate(literal, context), isStart: true, isEnd: false);
                case "END":
                    return DateNode(v => _w.ToLocal(v.EndUtc), op, ParseDate(literal, context), isStart: false, isEnd: true);
                case "LASTMODIFICATIONTIME":
                    return DateNode(v => _w.ToLocal(v.Data.LastModificationTimeUtc), op, ParseDate(literal, context), false, false);
                case "CREATIONTIME":
                    return DateNode(v => _w.ToLocal(v.Data.CreationTimeUtc), op, ParseDate(literal, context), false, false);
                case "SUBJECT":
                    return StringNode(v => v.Data.Subject, op, literal);
                case "LOCATION":
                    return StringNode(v => v.Data.Location, op, literal);
                case "ORGANIZER":
                    return StringNode(v => v.Data.Organizer, op, literal);
                case "MESSAGECLASS":
                    return StringNode(v => v.Data.MessageClass, op, literal);
                case "ALLDAYEVENT":
                    return BoolNode(v => v.Data.AllDayEvent, op, literal, context);
                case "ISRECURRING":
                    return BoolNode(v => v.IsRecurring, op, literal, context);
                case "BUSYSTATUS":
                    return IntNode(v => v.Data.BusyStatus, op, literal, context);
                case "MEETINGSTATUS":
                    return IntNode(v => v.Data.MeetingStatus, op, literal, context);
                case "DURATION":
                    return IntNode(v => (int)(v.EndUtc - v.StartUtc).TotalMinutes, op, literal, context);
                case "RECURRENCESTATE":
                case "ENTRYID":
                case "BODY":
                case "HTMLBODY":
                case "CLASS":
                case "SAVED":
                case "SENT":
                case "BODYFORMAT":
                case "CATEGORIES":
                case "RESPONSESTATE":
                    throw FakeComObject.Error($"The property \"{prop}\" cannot be used in a filter.");
                default:
                    throw FakeComObject.Error($"The property \"{prop}\" is unknown.");
            }
        }

        private Node DaslComparison(string prop, string op, string literal, bool quoted, string context)
        {
            if (prop.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            {
                throw FakeComObject.Error($"The property \"{prop}\" is unknown.");
            }

            if (Schema.Parse(prop) is not PropRef r)
            {
                throw FakeComObject.Error($"The property \"{prop}\" is unknown.");
            }

            switch (r.Kind)
            {
                case PropKind.StartUtc:
                    return DateNode(v => v.StartUtc, op, UtcLiteral(literal, context), isStart: true, isEnd: false, utc: true);
                case PropKind.EndUtc:
                    return DateNode(v => v.EndUtc, op, UtcLiteral(literal, context), isStart: false, isEnd: true, utc: true);
                case PropKind.LastModifiedUtc:
                    return DateNode(v => v.Data.LastModificationTimeUtc, op, UtcLiteral(literal, context), false, false);
                case PropKind.Subject:
                    return StringNode(v => v.Data.Subject, op, literal);
                case PropKind.Location:
                    return StringNode(v => v.Data.Location, op, literal);
                case PropKind.Recurring:
                    return BoolNode(v => v.IsRecurring, op, literal, context);
                case PropKind.AllDay:
                    return BoolNode(v => v.Data.AllDayEvent, op, literal, context);
                case PropKind.Named:
                    if (r.TypeSuffix is null)
                    {
                        throw FakeComObject.Error($"The property \"{prop}\" is unknown.");
                    }

                    string key = r.Key;
                    return StringNode(v => v.Data.Named.TryGetValue(key, out object? x) ? Convert.ToString(x, CultureInfo.InvariantCulture) ?? "" : null, op, literal);
                default:
                    _ = quoted;
                    throw FakeComObject.Error($"The fake cannot filter on \"{prop}\".");
            }
        }

        private DateTime UtcLiteral(string literal, string context) => ParseDate(literal, context);

        private Node DateNode(Func<FilterView, DateTime> get, string op, DateTime lit, bool isStart, bool isEnd, bool utc = false)
        {
            Func<FilterView, bool> eval = op switch
            {
                "<" => v => get(v) < lit,
                "<=" => v => get(v) <= lit,
                ">" => v => get(v) > lit,
                ">=" => v => get(v) >= lit,
                "=" => v => get(v) == lit,
                _ => v => get(v) != lit,
            };
            DateTime localLit = utc ? _w.ToLocal(lit) : lit;
            DateTime slack = utc ? localLit.AddDays(1) : localLit;
            DateTime? upper = (isStart || isEnd) && op is "<" or "<=" or "=" ? slack : null;
            DateTime? lower = (isStart || isEnd) && op is ">" or ">=" or "=" ? (utc ? localLit.AddDays(-1) : localLit) : null;
            return new Node(eval, upper, lower);
        }

        private static Node StringNode(Func<FilterView, string?> get, string op, string lit)
        {
            Func<FilterView, bool> eval = op switch
            {
                "=" => v => string.Equals(get(v), lit, StringComparison.OrdinalIgnoreCase),
                "<>" => v => !string.Equals(get(v), lit, StringComparison.OrdinalIgnoreCase),
                "<" => v => string.Compare(get(v), lit, StringComparison.OrdinalIgnoreCase) < 0,
                "<=" => v => string.Compare(get(v), lit, StringComparison.OrdinalIgnoreCase) <= 0,
                ">" => v => string.Compare(get(v), lit, StringComparison.OrdinalIgnoreCase) > 0,
                _ => v => string.Compare(get(v), lit, StringComparison.OrdinalIgnoreCase) >= 0,
            };
            return new Node(eval, null, null);
        }

        private static Node BoolNode(Func<FilterView, bool> get, string op, string lit, string context)
        {
            bool b = lit.Trim().ToUpperInvariant() switch
            {
                "TRUE" or "-1" or "1" => true,
                "FALSE" or "0" => false,
                _ => throw ParseError(context),
            };
            return op switch
            {
                "=" => new Node(v => get(v) == b, null, null),
                "<>" => new Node(v => get(v) != b, null, null),
                _ => throw ParseError(context),
            };
        }

        private static Node IntNode(Func<FilterView, int> get, string op, string lit, string context)
        {
            if (!int.TryParse(lit, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n))
            {
                throw ParseError(context);
            }

            Func<FilterView, bool> eval = op switch
            {
                "<" => v => get(v) < n,
                "<=" => v => get(v) <= n,
                ">" => v => get(v) > n,
                ">=" => v => get(v) >= n,
                "=" => v => get(v) == n,
                _ => v => get(v) != n,
            };
            return new Node(eval, null, null);
        }

        private DateTime ParseDate(string literal, string context)
        {
            CultureInfo c = _w.Regional;
            DateTimeFormatInfo f = c.DateTimeFormat;
            string d = f.ShortDatePattern;
            string[] formats =
            {
                d + " " + f.ShortTimePattern, d, d + " H:mm", d + " HH:mm", d + " h:mm tt", d + " hh:mm tt",
            };
            if (DateTime.TryParseExact(literal.Trim(), formats, c, DateTimeStyles.AllowInnerWhite, out DateTime r))
            {
                return DateTime.SpecifyKind(r, DateTimeKind.Unspecified);
            }

            throw ParseError(context);
        }

        private string? Operator()
        {
            foreach (string op in new[] { "<=", ">=", "<>", "<", ">", "=" })
            {
                if (string.CompareOrdinal(_s, _i, op, 0, op.Length) == 0)
                {
                    _i += op.Length;
                    return op;
                }
            }

            return null;
        }

        private string Quoted(char q)
        {
            var sb = new StringBuilder();
            _i++;
            while (_i < _s.Length)
            {
                char ch = _s[_i++];
                if (ch == q)
                {
                    if (_i < _s.Length && _s[_i] == q)
                    {
                        sb.Append(q);
                        _i++;
                        continue;
                    }

                    return sb.ToString();
                }

                sb.Append(ch);
            }

            throw ParseError(q + sb.ToString());
        }

        private bool Keyword(string k)
        {
            SkipWs();
            if (_i + k.Length <= _s.Length && string.Compare(_s, _i, k, 0, k.Length, StringComparison.OrdinalIgnoreCase) == 0
                && (_i + k.Length == _s.Length || !char.IsLetterOrDigit(_s[_i + k.Length])))
            {
                _i += k.Length;
                return true;
            }

            return false;
        }

        private void SkipWs()
        {
            while (_i < _s.Length && char.IsWhiteSpace(_s[_i]))
            {
                _i++;
            }
        }

        private bool Peek(char c) => _i < _s.Length && _s[_i] == c;

        private string Rest() => _i < _s.Length ? _s[_i..] : "";

        private static DateTime? Max(DateTime? a, DateTime? b) => a is null || b is null ? null : (a > b ? a : b);

        private static DateTime? Min(DateTime? a, DateTime? b) => a is null || b is null ? null : (a < b ? a : b);

        private static DateTime? MinNullable(DateTime? a, DateTime? b) => a is null ? b : b is null ? a : (a < b ? a : b);

        private static DateTime? MaxNullable(DateTime? a, DateTime? b) => a is null ? b : b is null ? a : (a > b ? a : b);
    }
}
