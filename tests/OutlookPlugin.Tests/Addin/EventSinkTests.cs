using System;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using OutlookPlugin.Core.Addin;
using OutlookPlugin.Core.ObjectModel;

namespace OutlookPlugin.Tests.Addin;

/// <summary>
/// What Outlook needs of an event sink, which the fake cannot check because it calls sinks by reflection: COM sees
/// only public, COM-visible classes when it asks a sink for its events interface.
/// </summary>
[TestClass]
public sealed class EventSinkTests
{
    [TestMethod]
    public void Every_event_sink_is_a_public_COM_visible_class_with_no_class_interface()
    {
        Type[] sinks = typeof(AddinHost).Assembly.GetTypes()
            .Where(t => t.IsClass && t.GetInterfaces().Any(IsOutlookEvents))
            .ToArray();

        Assert.IsGreaterThanOrEqualTo(6, sinks.Length);
        foreach (Type sink in sinks)
        {
            Assert.IsTrue(sink.IsVisible, sink.Name + " is public");
            Assert.IsTrue(sink.GetCustomAttribute<ComVisibleAttribute>()?.Value, sink.Name + " is COM-visible");
            Assert.AreEqual(ClassInterfaceType.None, sink.GetCustomAttribute<ClassInterfaceAttribute>()?.Value, sink.Name);
        }
    }

    [TestMethod]
    public void The_events_interfaces_carry_Outlooks_IIDs_and_DISPIDs()
    {
        Assert.AreEqual(new Guid("00063077-0000-0000-C000-000000000046"), typeof(IItemsEvents).GUID);
        Assert.AreEqual(0xF002, typeof(IItemsEvents).GetMethod(nameof(IItemsEvents.ItemChange))!.GetCustomAttribute<DispIdAttribute>()!.Value);
        Assert.AreEqual(0xFA75, typeof(IItemEvents).GetMethod(nameof(IItemEvents.BeforeDelete))!.GetCustomAttribute<DispIdAttribute>()!.Value);
        Assert.IsTrue(new[] { typeof(IApplicationEvents), typeof(IItemsEvents), typeof(IItemEvents), typeof(IInspectorsEvents), typeof(IInspectorEvents) }
            .All(IsOutlookEvents));
    }

    private static bool IsOutlookEvents(Type type) =>
        type.IsImport && type.GetCustomAttribute<InterfaceTypeAttribute>()?.Value == ComInterfaceType.InterfaceIsIDispatch;
}
