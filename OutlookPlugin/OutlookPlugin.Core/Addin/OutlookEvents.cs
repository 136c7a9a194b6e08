using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using OutlookPlugin.Core.ObjectModel;

namespace OutlookPlugin.Core.Addin;

/// <summary>
/// The add-in's Outlook event wiring, in one place: which sources it listens to (the watched calendars, Deleted Items,
/// the application's ItemSend, new inspectors and each open appointment's window), and where each event goes
/// (<see cref="MeetingSync"/> for the meetings, <see cref="CalendarFeed"/> for the agent's calendar). Every handler runs
/// on Outlook's thread and never throws into Outlook.
/// </summary>
public sealed class OutlookEvents : IDisposable
{
    private readonly IAddinLog _log;
    private readonly Func<MeetingSync?> _sync;
    private readonly Func<CalendarFeed?> _feed;
    private readonly List<IDisposable> _subscriptions = new();
    private readonly Dictionary<object, InspectorWatch> _inspectors = new();

    public OutlookEvents(IAddinLog log, Func<MeetingSync?> sync, Func<CalendarFeed?> feed)
    {
        _log = log;
        _sync = sync;
        _feed = feed;
    }

    private MeetingSync? Sync => _sync();

    private CalendarFeed? Feed => _feed();

    /// <summary>
    /// A calendar's items: adds and saves go to the meetings and the feed, removals to the removal check. Returns the
    /// subscription, for <see cref="StopListening"/>; null when listening failed and was not required.
    /// </summary>
    /// <exception cref="COMException">Listening failed and <paramref name="required"/> says the add-in cannot do without.</exception>
    public IDisposable? ListenToCalendar(OmObject folder, bool required) =>
        Subscribe(folder.GetObject("Items"), new Guid(OutlookIds.Events.ItemsEvents), new CalendarItemsSink(this), required: required);

    /// <summary>Deleted Items' arrivals: a tagged item there is evidence to weigh (LifecycleRules).</summary>
    public void ListenToDeletedItems(OmObject? folder) =>
        Subscribe(folder?.GetObject("Items"), new Guid(OutlookIds.Events.ItemsEvents), new DeletedItemsSink(this), required: true);

    /// <summary>The application's ItemSend (cancellations) and new inspectors (open appointments).</summary>
    public void ListenToApplication(OmObject application)
    {
        Subscribe(application, new Guid(OutlookIds.Events.ApplicationEvents11), new ApplicationSink(this), ownsSource: false, required: true);
        Subscribe(application.GetObject("Inspectors"), new Guid(OutlookIds.Events.InspectorsEvents), new InspectorsSink(this), required: true);
    }

    /// <summary>Stops listening to one source (a calendar let go), before the rest at <see cref="Dispose"/>.</summary>
    public void StopListening(IDisposable? subscription)
    {
        if (subscription is not null && _subscriptions.Remove(subscription))
        {
            subscription.Dispose();
        }
    }

    /// <summary>Stops listening to everything: the subscriptions and every open window's watch.</summary>
    public void Dispose()
    {
        foreach (IDisposable subscription in _subscriptions)
        {
            subscription.Dispose();
        }

        _subscriptions.Clear();
        foreach (InspectorWatch watch in _inspectors.Values)
        {
            watch.Dispose();
        }

        _inspectors.Clear();
    }

    /// <summary>
    /// Listens to a source's events. A failure is logged and skipped for optional sources (another user's calendar);
    /// for the ones the add-in cannot work without (<paramref name="required"/>) it is thrown, so that the start is
    /// undone and tried again rather than left deaf for the whole session.
    /// </summary>
    private IDisposable? Subscribe(OmObject? source, Guid events, object sink, bool ownsSource = true, bool required = false)
    {
        if (source is null)
        {
            return null;
        }

        try
        {
            IDisposable subscription = EventSubscription.Advise(source, events, sink, ownsSource);
            _subscriptions.Add(subscription);
            return subscription;
        }
        catch (Exception e) when (e is COMException or InvalidCastException or OutlookDataException)
        {
            if (ownsSource)
            {
                source.Dispose();
            }

            if (required)
            {
                throw;
            }

            _log.Write("warning", "Could not listen to an Outlook event source: " + MainThread.Redacted(e));
            return null;
        }
    }

    /// <summary>
    /// Handles an Outlook event about appointments. A call that Outlook fails meanwhile (online mode with the server
    /// away, a busy store) leaves unknown what the event meant: rather than lose it, the add-in looks at its meetings
    /// and reads the calendar again shortly (FACTS §10: only MAPI_E_NOT_FOUND means gone, and nothing is cancelled on doubt).
    /// </summary>
    private void OnOutlookEvent(Action handle) => MainThread.Guard(
        () =>
        {
            try
            {
                handle();
            }
            catch (Exception e) when (e is COMException or OutlookDataException or InvalidCastException)
            {
                _log.Write("warning", "Outlook failed a call while an appointment event was handled (" + MainThread.Redacted(e) + "); the add-in looks at its meetings and the calendar again shortly.");
                Sync?.LookAgainLater();
                Feed?.SnapshotSoon();
            }
        },
        _log);

    private void OnCalendarItem(object raw, bool added)
    {
        using var item = new OmObject(raw);
        if (item.Get<int>("Class") != OutlookIds.ClassAppointment)
        {
            return;
        }

        Sync?.Changed(item);
        Feed?.ItemChanged(item);
    }

    private void OnNewInspector(object raw)
    {
        var inspector = new OmObject(raw);
        try
        {
            using OmObject? item = inspector.GetObject("CurrentItem");
            if (item is null || item.Get<int>("Class") != OutlookIds.ClassAppointment)
            {
                inspector.Dispose();
                return;
            }

            var watch = new InspectorWatch(this, inspector);
            _inspectors[inspector.Target] = watch;
        }
        catch (Exception e) when (e is COMException or OutlookDataException)
        {
            inspector.Dispose();
            _log.Write("warning", "Could not watch an opened item: " + MainThread.Redacted(e));
        }
    }

    private void OnItemSend(object raw)
    {
        using var item = new OmObject(raw);
        if (item.Get<int>("Class") != OutlookIds.ClassMeetingCancellation)
        {
            return;
        }

        // A cancellation may be for removed attendees or one occurrence only; MeetingSync decides what it means.
        using OmObject? appointment = item.CallObject("GetAssociatedAppointment", false);
        if (appointment is not null)
        {
            Sync?.CancellationSent(appointment);
        }
    }

    /// <summary>
    /// An open appointment. BeforeDelete only asks for a look soon: the delete can still be cancelled, and deleting one
    /// occurrence from its window deletes only that occurrence (FACTS §10). The watch ends when the inspector closes.
    /// </summary>
    internal sealed class InspectorWatch : IDisposable
    {
        private readonly OutlookEvents _host;
        private readonly OmObject _inspector;
        private readonly List<EventSubscription> _subscriptions = new();
        private bool _disposed;

        public InspectorWatch(OutlookEvents host, OmObject inspector)
        {
            _host = host;
            _inspector = inspector;
            try
            {
                _subscriptions.Add(EventSubscription.Advise(inspector, new Guid(OutlookIds.Events.InspectorEvents10), new InspectorSink(this), ownsSource: false));
                OmObject item = inspector.GetObject("CurrentItem") ?? throw new OutlookDataException("The inspector shows no item.");
                _subscriptions.Add(EventSubscription.Advise(item, new Guid(OutlookIds.Events.ItemEvents10), new ItemSink(this)));
            }
            catch
            {
                // Half a watch would hear the window close after the caller released the inspector.
                foreach (EventSubscription subscription in _subscriptions)
                {
                    subscription.Dispose();
                }

                throw;
            }
        }

        public IAddinLog Log => _host._log;

        public void BeforeDelete(object raw)
        {
            OmObject.Release(raw);
            _host.Sync?.Removed();
        }

        public void Closed()
        {
            if (_disposed)
            {
                // The add-in stopped (Outlook restarting) while the window's Close was on its way.
                return;
            }

            // Read once: handling the close can end this watch (the inspector released) before the map forgets it.
            object window = _inspector.Target;
            _host.Sync?.WindowClosed(window);
            _host._inspectors.Remove(window);
            Dispose();
        }

        public void Dispose()
        {
            foreach (EventSubscription subscription in _subscriptions)
            {
                subscription.Dispose();
            }

            _subscriptions.Clear();
            _inspector.Dispose();
            _disposed = true;
        }
    }

// Event sinks: public, because COM sees only public types when Outlook queries a sink for its events interface;
// constructed only here.
#pragma warning disable CA1812, CA1034 // Instantiated above and invoked by Outlook through IDispatch; nested to reach the wiring.
    [ComVisible(true)]
    [ClassInterface(ClassInterfaceType.None)]
    public sealed class CalendarItemsSink : IItemsEvents
    {
        private readonly OutlookEvents _host;

        internal CalendarItemsSink(OutlookEvents host) => _host = host;

        public void ItemAdd(object item) => _host.OnOutlookEvent(() => _host.OnCalendarItem(item, added: true));

        public void ItemChange(object item) => _host.OnOutlookEvent(() => _host.OnCalendarItem(item, added: false));

        public void ItemRemove() => MainThread.Guard(
            () =>
            {
                _host.Sync?.Removed();
                _host.Feed?.SnapshotSoon();
            },
            _host._log);
    }

    [ComVisible(true)]
    [ClassInterface(ClassInterfaceType.None)]
    public sealed class DeletedItemsSink : IItemsEvents
    {
        private readonly OutlookEvents _host;

        internal DeletedItemsSink(OutlookEvents host) => _host = host;

        public void ItemAdd(object item) => _host.OnOutlookEvent(() =>
        {
            using var deleted = new OmObject(item);
            if (deleted.Get<int>("Class") == OutlookIds.ClassAppointment)
            {
                _host.Sync?.Deleted(deleted);
            }
        });

        /// <summary>Not needed (a saved deleted item is still deleted), but the item Outlook hands over is still ours to release.</summary>
        public void ItemChange(object item) => OmObject.Release(item);

        public void ItemRemove()
        {
        }
    }

    [ComVisible(true)]
    [ClassInterface(ClassInterfaceType.None)]
    public sealed class ApplicationSink : IApplicationEvents
    {
        private readonly OutlookEvents _host;

        internal ApplicationSink(OutlookEvents host) => _host = host;

        public void ItemSend(object item, ref bool cancel) => _host.OnOutlookEvent(() => _host.OnItemSend(item));
    }

    [ComVisible(true)]
    [ClassInterface(ClassInterfaceType.None)]
    public sealed class InspectorsSink : IInspectorsEvents
    {
        private readonly OutlookEvents _host;

        internal InspectorsSink(OutlookEvents host) => _host = host;

        public void NewInspector(object inspector) => MainThread.Guard(() => _host.OnNewInspector(inspector), _host._log);
    }

    [ComVisible(true)]
    [ClassInterface(ClassInterfaceType.None)]
    public sealed class InspectorSink : IInspectorEvents
    {
        private readonly InspectorWatch _watch;

        internal InspectorSink(InspectorWatch watch) => _watch = watch;

        public void Close() => MainThread.Guard(_watch.Closed, _watch.Log);
    }

    [ComVisible(true)]
    [ClassInterface(ClassInterfaceType.None)]
    public sealed class ItemSink : IItemEvents
    {
        private readonly InspectorWatch _watch;

        internal ItemSink(InspectorWatch watch) => _watch = watch;

        // Saves are followed through the calendar's ItemChange instead, which also sees items saved with no window open.
        public void Write(ref bool cancel)
        {
        }

        public void BeforeDelete(object item, ref bool cancel) => MainThread.Guard(() => _watch.BeforeDelete(item), _watch.Log);

        public void Unload()
        {
        }
    }
#pragma warning restore CA1812, CA1034
}
