using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace LifecycleSoak;

/// <summary>What the user does, one step of a history. Each is done through the fake Outlook's "as the user" API.</summary>
public enum OperationKind
{
    /// <summary>A new single appointment is opened and the ribbon's Add clicked; the window is saved and closed.</summary>
    AddSingle,

    /// <summary>As <see cref="AddSingle"/>, for a new weekly series with an end.</summary>
    AddWeekly,

    /// <summary>The start moves by whole hours within its day and the length changes; saved.</summary>
    Retime,

    /// <summary>A series gets another number of occurrences, or a single becomes a weekly series, or a series a single; saved.</summary>
    ChangeRecurrence,

    /// <summary>An attendee is added and the update sent (Send: ItemSend with the appointment, then saved).</summary>
    AddAttendeeAndSend,

    /// <summary>An attendee is removed and the update sent: a partial cancellation passes ItemSend first (FACTS §10).</summary>
    RemoveAttendeeAndSend,

    /// <summary>The organiser cancels one occurrence of a series (FACTS §10, MS-OXOCAL 3.1.4.9.1.2).</summary>
    CancelOccurrence,

    /// <summary>One occurrence is deleted (it becomes a deleted exception of its series, FACTS §2.4).</summary>
    DeleteOccurrence,

    /// <summary>The organiser cancels the whole meeting and sends: the item is then deleted into Deleted Items.</summary>
    CancelMeeting,

    /// <summary>Delete: into its store's Deleted Items, with a new EntryID on Exchange (FACTS §2.2).</summary>
    Delete,

    /// <summary>Shift+Del: gone for good; the folder raises only ItemRemove, without saying what left.</summary>
    HardDelete,

    /// <summary>An item in Deleted Items is moved back to the calendar it was deleted from.</summary>
    Restore,

    /// <summary>Everything in the mailbox's Deleted Items is deleted for good (Delete on each item there).</summary>
    EmptyDeletedItems,

    /// <summary>Moved to a second calendar folder of the same mailbox, which the add-in does not watch (FACTS §2.2).</summary>
    MoveToOtherCalendar,

    /// <summary>Moved to the calendar of a PST added to the profile: another store, a new EntryID (FACTS §2.2).</summary>
    MoveToPst,

    /// <summary>Moved from another calendar (the second folder or the PST) back to the default calendar.</summary>
    MoveToDefaultCalendar,

    /// <summary>Copy, then Save: the copy carries the original's named properties and GlobalAppointmentID (FACTS §2.4).</summary>
    Copy,

    /// <summary>Outlook closes normally (the add-in's OnShutdown runs) and starts again.</summary>
    RestartOutlook,

    /// <summary>The agent stops (as a crash or an update would), keeping its journal, and starts again.</summary>
    RestartAgent,

    /// <summary>Outlook's fast shutdown (FACTS §10): the process ends with no hook run, and Outlook starts again.</summary>
    FastShutdown,

    /// <summary>An appointment is retimed in the user's second Outlook (its own add-in and agent, the same mailbox).</summary>
    EditOnSecondOutlook,

    /// <summary>Every object-model call of the add-in fails (MAPI_E_NETWORK_ERROR and friends) for the next <see cref="Operation.Argument"/> operations.</summary>
    LoseNetwork,

    /// <summary>
    /// The PST is closed (File, Close: it leaves the profile, not the disk, and its items answer as if deleted), or
    /// opened again when it is closed. The user can touch nothing in it meanwhile.
    /// </summary>
    ClosePst,
}

/// <summary>
/// One step: what the user does, to which of the history's appointments (<see cref="Target"/>, taken modulo those it
/// can apply to when it runs) and with what variation (<see cref="Argument"/>: hours, counts, choices). Written as
/// <c>Kind(target,argument)</c>.
/// </summary>
public sealed record Operation(OperationKind Kind, int Target, int Argument)
{
    public override string ToString() =>
        Kind.ToString() + "(" + Target.ToString(CultureInfo.InvariantCulture) + "," + Argument.ToString(CultureInfo.InvariantCulture) + ")";

    public static Operation Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int open = text.IndexOf('(', StringComparison.Ordinal);
        int comma = text.IndexOf(',', StringComparison.Ordinal);
        if (open <= 0 || comma < open || !text.EndsWith(')'))
        {
            throw new FormatException("Not an operation: " + text);
        }

        return new Operation(
            Enum.Parse<OperationKind>(text[..open]),
            int.Parse(text.AsSpan(open + 1, comma - open - 1), NumberStyles.Integer, CultureInfo.InvariantCulture),
            int.Parse(text.AsSpan(comma + 1, text.Length - comma - 2), NumberStyles.Integer, CultureInfo.InvariantCulture));
    }
}

/// <summary>
/// A randomized history: a seed and the operations made from it. The same seed always gives the same operations, and
/// the text form (<see cref="ToString"/>) parses back (<see cref="Parse"/>), so a failing history can be replayed as a
/// test. The add-in's timing and the random COM faults are not part of it: a replay runs the same user actions.
/// </summary>
public sealed class History
{
    /// <summary>How likely each kind of step is, in parts; adds come first so that there is something to act on.</summary>
    private static readonly (OperationKind Kind, int Weight)[] Weights =
    {
        (OperationKind.AddSingle, 10),
        (OperationKind.AddWeekly, 8),
        (OperationKind.Retime, 10),
        (OperationKind.ChangeRecurrence, 6),
        (OperationKind.AddAttendeeAndSend, 4),
        (OperationKind.RemoveAttendeeAndSend, 4),
        (OperationKind.CancelOccurrence, 4),
        (OperationKind.DeleteOccurrence, 4),
        (OperationKind.CancelMeeting, 3),
        (OperationKind.Delete, 8),
        (OperationKind.HardDelete, 4),
        (OperationKind.Restore, 6),
        (OperationKind.EmptyDeletedItems, 4),
        (OperationKind.MoveToOtherCalendar, 4),
        (OperationKind.MoveToPst, 3),
        (OperationKind.MoveToDefaultCalendar, 4),
        (OperationKind.Copy, 4),
        (OperationKind.RestartOutlook, 2),
        (OperationKind.FastShutdown, 3),
        (OperationKind.EditOnSecondOutlook, 3),
        (OperationKind.RestartAgent, 3),
        (OperationKind.LoseNetwork, 3),
        (OperationKind.ClosePst, 2),
    };

    public History(int seed, IReadOnlyList<Operation> operations)
    {
        Seed = seed;
        Operations = operations ?? throw new ArgumentNullException(nameof(operations));
    }

    public int Seed { get; }

    public IReadOnlyList<Operation> Operations { get; }

    /// <summary>The history of this seed: 6 to 14 operations, the first an add.</summary>
    public static History Generate(int seed)
    {
        var random = new Random(seed);
        int count = random.Next(6, 15);
        int totalWeight = Weights.Sum(w => w.Weight);
        var operations = new List<Operation>(count)
        {
            new(random.Next(2) == 0 ? OperationKind.AddSingle : OperationKind.AddWeekly, 0, random.Next(1_000_000)),
        };
        while (operations.Count < count)
        {
            int pick = random.Next(totalWeight);
            OperationKind kind = Weights[^1].Kind;
            foreach ((OperationKind k, int weight) in Weights)
            {
                if (pick < weight)
                {
                    kind = k;
                    break;
                }

                pick -= weight;
            }

            int argument = kind == OperationKind.LoseNetwork ? random.Next(1, 4) : random.Next(1_000_000);
            operations.Add(new Operation(kind, random.Next(16), argument));
        }

        return new History(seed, operations);
    }

    /// <summary>Reads <c>seed=S: Kind(t,a) Kind(t,a) …</c> as <see cref="ToString"/> writes it.</summary>
    public static History Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        if (!text.StartsWith("seed=", StringComparison.Ordinal) || colon < 0)
        {
            throw new FormatException("A history reads 'seed=S: Kind(t,a) …'.");
        }

        int seed = int.Parse(text.AsSpan(5, colon - 5), NumberStyles.Integer, CultureInfo.InvariantCulture);
        Operation[] operations = text[(colon + 1)..]
            .Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(Operation.Parse)
            .ToArray();
        return new History(seed, operations);
    }

    public override string ToString()
    {
        var text = new StringBuilder("seed=").Append(Seed.ToString(CultureInfo.InvariantCulture)).Append(':');
        foreach (Operation operation in Operations)
        {
            text.Append(' ').Append(operation);
        }

        return text.ToString();
    }
}
