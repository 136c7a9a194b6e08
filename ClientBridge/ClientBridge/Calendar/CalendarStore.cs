using System;
using System.Collections.Generic;
using ClientBridge.Protocol;

namespace ClientBridge.Calendar;

/// <summary>
/// The calendar as the add-in last described it, held in memory only: nothing of it is ever written to disk.
/// Snapshots replace it; deltas amend it; every change bumps the revision.
/// </summary>
public sealed class CalendarStore
{
    private readonly object _gate = new();
    private Dictionary<string, CalendarItem> _items = new(StringComparer.Ordinal);

    public event EventHandler<CalendarChanged>? Changed;

    public long Revision { get; private set; }

    public DateTimeOffset? UpdatedAt { get; private set; }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _items.Count;
            }
        }
    }

    public CalendarAck Replace(CalendarSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var items = new Dictionary<string, CalendarItem>(snapshot.Items.Count, StringComparer.Ordinal);
        foreach (CalendarItem item in snapshot.Items)
        {
            Validate(item);
            items[item.Id] = item;
        }

        CalendarAck ack;
        lock (_gate)
        {
            _items = items;
            ack = Commit();
        }

        return Announce(ack);
    }

    public CalendarAck Apply(CalendarDelta delta)
    {
        ArgumentNullException.ThrowIfNull(delta);
        foreach (CalendarItem item in delta.Upserted)
        {
            Validate(item);
        }

        CalendarAck ack;
        lock (_gate)
        {
            foreach (string id in delta.RemovedIds)
            {
                _items.Remove(id);
            }

            foreach (CalendarItem item in delta.Upserted)
            {
                _items[item.Id] = item;
            }

            ack = Commit();
        }

        return Announce(ack);
    }

    /// <summary>A copy of the items, for the tray and reminders.</summary>
    public IReadOnlyList<CalendarItem> Items()
    {
        lock (_gate)
        {
            return [.. _items.Values];
        }
    }

    private static void Validate(CalendarItem item)
    {
        if (item is null || string.IsNullOrEmpty(item.Id))
        {
            throw new BridgeException(ErrorCodes.BadRequest, "Every calendar item needs an id.");
        }

        if (item.End < item.Start)
        {
            throw new BridgeException(ErrorCodes.BadRequest, "A calendar item ends before it starts.");
        }
    }

    private CalendarAck Commit()
    {
        Revision++;
        UpdatedAt = DateTimeOffset.UtcNow;
        return new CalendarAck { ItemCount = _items.Count, Revision = Revision };
    }

    /// <summary>Tells subscribers outside the lock, so that sending to them never holds up the next change.</summary>
    private CalendarAck Announce(CalendarAck ack)
    {
        Changed?.Invoke(this, new CalendarChanged { ItemCount = ack.ItemCount, Revision = ack.Revision });
        return ack;
    }
}
