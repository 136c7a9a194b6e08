using System;
using System.Runtime.InteropServices;
using System.Runtime.InteropServices.ComTypes;

namespace OutlookPlugin.Core.ObjectModel;

// The source dispinterfaces this add-in listens to, declared by hand (no PIA here), with the DISPIDs Outlook
// invokes (FACTS §3.1). Only the events used are declared: IDispatch::Invoke on an absent DISPID just returns
// DISP_E_MEMBERNOTFOUND to Outlook. Cancel parameters are in/out (VBA: arrives False, True cancels; FACTS §8.11).
#pragma warning disable CA1711 // The names follow Outlook's dispinterfaces.

[ComImport]
[Guid(OutlookIds.Events.ApplicationEvents11)]
[InterfaceType(ComInterfaceType.InterfaceIsIDispatch)]
public interface IApplicationEvents
{
    [DispId(OutlookIds.Events.ItemSend)]
    void ItemSend([MarshalAs(UnmanagedType.IDispatch)] object item, ref bool cancel);
}

[ComImport]
[Guid(OutlookIds.Events.ItemsEvents)]
[InterfaceType(ComInterfaceType.InterfaceIsIDispatch)]
public interface IItemsEvents
{
    [DispId(OutlookIds.Events.ItemAdd)]
    void ItemAdd([MarshalAs(UnmanagedType.IDispatch)] object item);

    [DispId(OutlookIds.Events.ItemChange)]
    void ItemChange([MarshalAs(UnmanagedType.IDispatch)] object item);

    [DispId(OutlookIds.Events.ItemRemove)]
    void ItemRemove();
}

[ComImport]
[Guid(OutlookIds.Events.ItemEvents10)]
[InterfaceType(ComInterfaceType.InterfaceIsIDispatch)]
public interface IItemEvents
{
    [DispId(OutlookIds.Events.Write)]
    void Write(ref bool cancel);

    [DispId(OutlookIds.Events.BeforeDelete)]
    void BeforeDelete([MarshalAs(UnmanagedType.IDispatch)] object item, ref bool cancel);

    [DispId(OutlookIds.Events.Unload)]
    void Unload();
}

[ComImport]
[Guid(OutlookIds.Events.InspectorsEvents)]
[InterfaceType(ComInterfaceType.InterfaceIsIDispatch)]
public interface IInspectorsEvents
{
    [DispId(OutlookIds.Events.NewInspector)]
    void NewInspector([MarshalAs(UnmanagedType.IDispatch)] object inspector);
}

[ComImport]
[Guid(OutlookIds.Events.InspectorEvents10)]
[InterfaceType(ComInterfaceType.InterfaceIsIDispatch)]
public interface IInspectorEvents
{
    [DispId(OutlookIds.Events.InspectorClose)]
    void Close();
}
#pragma warning restore CA1711

/// <summary>
/// One Advise on an Outlook object's connection point (as NetOffice hooks Outlook's events, FACTS §3). Holds the
/// source object for as long as the subscription lives: Microsoft's guidance is that a source that is collected
/// silently stops raising events.
/// </summary>
public sealed class EventSubscription : IDisposable
{
    private IConnectionPoint? _point;
    private readonly OmObject _source;
    private readonly bool _ownsSource;
    private readonly int _cookie;

    private EventSubscription(OmObject source, bool ownsSource, IConnectionPoint point, int cookie)
    {
        _source = source;
        _ownsSource = ownsSource;
        _point = point;
        _cookie = cookie;
    }

    /// <summary>
    /// Subscribes <paramref name="sink"/>. With <paramref name="ownsSource"/> the subscription releases the source
    /// when it ends; otherwise the caller keeps it alive for at least as long.
    /// </summary>
    public static EventSubscription Advise(OmObject source, Guid events, object sink, bool ownsSource = true)
    {
        if (source.Target is not IConnectionPointContainer container)
        {
            throw new OutlookDataException("This Outlook object raises no events.");
        }

        container.FindConnectionPoint(ref events, out IConnectionPoint point);
        try
        {
            point.Advise(sink, out int cookie);
            return new EventSubscription(source, ownsSource, point, cookie);
        }
        catch
        {
            OmObject.Release(point);
            throw;
        }
    }

    public object Source => _source.Target;

    public void Dispose()
    {
        IConnectionPoint? point = _point;
        _point = null;
        if (point is null)
        {
            return;
        }

        try
        {
            point.Unadvise(_cookie);
        }
        catch (COMException)
        {
            // Outlook is shutting down and has dropped its sinks already.
        }
        finally
        {
            OmObject.Release(point);
            if (_ownsSource)
            {
                _source.Dispose();
            }
        }
    }
}
