using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Runtime.InteropServices;

namespace FakeOutlook;

/// <summary>
/// Transient failures of object-model calls, as a mailbox in online mode gives them: FACTS §10 ("Only MAPI_E_NOT_FOUND
/// means absent"; VBA NameSpace.GetItemFromID page): every call can fail while the Exchange server is unreachable, with
/// MAPI_E_NETWORK_ERROR, RPC_E_CALL_REJECTED, E_FAIL and others, which mean "unknown: try later". A fault never says
/// MAPI_E_NOT_FOUND: that stays the answer for what is really gone.
/// <para>
/// Faults strike only calls the add-in makes (the tracked calls, those <see cref="FakeOutlookHost.CallCount"/> counts), whatever object and member,
/// before the call does anything; never the test's own calls "as the user", never the raising of an event (an add-in
/// handler's own calls are the add-in's, and can fail), never a release. Settable from the test's thread at any time.
/// </para>
/// </summary>
public sealed class FakeFaultPlan
{
    private static readonly (int HResult, string Message)[] Kinds =
    {
        (FakeHResults.NetworkError, "Outlook cannot connect to your Exchange server (MAPI_E_NETWORK_ERROR)."),
        (FakeHResults.CallRejected, "Call was rejected by callee. (Exception from HRESULT: 0x80010001 (RPC_E_CALL_REJECTED))"),
        (FakeHResults.Fail, "The operation failed."),
    };

    private readonly object _gate = new();
    private readonly List<Planned> _planned = new();
    private readonly List<string> _hits = new();
    private HashSet<string> _members = new(StringComparer.OrdinalIgnoreCase);
    private Random _random;
    private int _seed = 1;
    private double _rate;
    private int _nextKind;

    internal FakeFaultPlan() => _random = new Random(_seed);

    /// <summary>The share (0..1) of the calls the plan applies to that fail at random; default 0.</summary>
    public double Rate
    {
        get
        {
            lock (_gate)
            {
                return _rate;
            }
        }

        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 0.0);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 1.0);
            lock (_gate)
            {
                _rate = value;
            }
        }
    }

    /// <summary>Seed of the random choice of failing calls: the same seed and calls, the same faults. Setting it restarts the sequence.</summary>
    public int Seed
    {
        get
        {
            lock (_gate)
            {
                return _seed;
            }
        }

        set
        {
            lock (_gate)
            {
                _seed = value;
                _random = new Random(value);
            }
        }
    }

    /// <summary>
    /// The members the plan applies to, by Outlook's name ("GetItemFromID", "Save", "Subject") or qualified by the object
    /// ("NameSpace.GetItemFromID"), case-insensitive; empty (the default): every member of every object.
    /// </summary>
    public IReadOnlyCollection<string> Members
    {
        get
        {
            lock (_gate)
            {
                return _members.ToArray();
            }
        }

        set
        {
            ArgumentNullException.ThrowIfNull(value);
            lock (_gate)
            {
                _members = new HashSet<string>(value, StringComparer.OrdinalIgnoreCase);
            }
        }
    }

    /// <summary>Faults injected so far, so that a test can tell that one was actually hit.</summary>
    public int Injected
    {
        get
        {
            lock (_gate)
            {
                return _hits.Count;
            }
        }
    }

    /// <summary>The calls that failed, in order, as "AppointmentItem.Save 0x80040115".</summary>
    public IReadOnlyList<string> InjectedCalls
    {
        get
        {
            lock (_gate)
            {
                return _hits.ToArray();
            }
        }
    }

    /// <summary>Planned faults not used yet.</summary>
    public int PendingCount
    {
        get
        {
            lock (_gate)
            {
                return _planned.Sum(p => p.Remaining);
            }
        }
    }

    /// <summary>
    /// The next <paramref name="count"/> tracked calls to <paramref name="member"/> (a name as in <see cref="Members"/>)
    /// fail, whatever <see cref="Members"/> says; with no member, the next calls the plan applies to. Planned faults come
    /// before <see cref="Rate"/> is consulted.
    /// </summary>
    public void FailNext(int count, string? member = null) => FailNext(count, member, after: 0);

    /// <summary>
    /// As <see cref="FailNext(int, string?)"/>, once <paramref name="after"/> more such calls have succeeded: a step that
    /// makes several calls of one member fails half-way through.
    /// </summary>
    public void FailNext(int count, string? member, int after)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegative(after);
        if (count == 0)
        {
            return;
        }

        lock (_gate)
        {
            _planned.Add(new Planned(string.IsNullOrEmpty(member) ? null : member, count) { Skip = after });
        }
    }

    /// <summary>No more faults: drops planned ones and sets <see cref="Rate"/> to 0 (the counts stay).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _planned.Clear();
            _rate = 0;
        }
    }

    /// <summary>Called on entry to every tracked member: throws the fault when one is due.</summary>
    internal void Strike(string objectName, string member)
    {
        COMException? fault = null;
        lock (_gate)
        {
            if (_planned.Count == 0 && _rate <= 0)
            {
                return;
            }

            string qualified = objectName + "." + member;
            bool applies = _members.Count == 0 || _members.Contains(member) || _members.Contains(qualified);
            Planned? planned = _planned.FirstOrDefault(p => p.Member is null ? applies : Named(p.Member, member, qualified));
            if (planned is not null && planned.Skip > 0)
            {
                planned.Skip--;
                return;
            }

            if (planned is not null)
            {
                planned.Remaining--;
                if (planned.Remaining == 0)
                {
                    _planned.Remove(planned);
                }
            }
            else if (!applies || _rate <= 0 || _random.NextDouble() >= _rate)
            {
                return;
            }

            (int hr, string message) = Kinds[_nextKind++ % Kinds.Length];
            _hits.Add(qualified + " 0x" + hr.ToString("X8", CultureInfo.InvariantCulture));
            fault = new COMException(message + " (injected in " + qualified + ")", hr);
        }

        throw fault;
    }

    private static bool Named(string wanted, string member, string qualified) =>
        string.Equals(wanted, member, StringComparison.OrdinalIgnoreCase) || string.Equals(wanted, qualified, StringComparison.OrdinalIgnoreCase);

    private sealed class Planned
    {
        public Planned(string? member, int remaining)
        {
            Member = member;
            Remaining = remaining;
        }

        public string? Member { get; }

        public int Remaining { get; set; }

        /// <summary>Calls still let through before the first planned fault.</summary>
        public int Skip { get; set; }
    }
}
