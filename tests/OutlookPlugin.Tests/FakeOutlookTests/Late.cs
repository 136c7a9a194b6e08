using System;
using System.Globalization;
using System.Reflection;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace OutlookPlugin.Tests.FakeOutlookTests;

/// <summary>Calls members exactly as the add-in does: Type.InvokeMember with Outlook's names, binder null.</summary>
internal static class Late
{
    private const BindingFlags Lookup = BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase;

    public static object? Get(object target, string name, params object?[] args) => Invoke(target, name, BindingFlags.GetProperty, args);

    public static T Get<T>(object target, string name) => (T)Get(target, name)!;

    public static void Set(object target, string name, object? value) => Invoke(target, name, BindingFlags.SetProperty, new[] { value });

    public static object? Call(object target, string name, params object?[] args) => Invoke(target, name, BindingFlags.InvokeMethod, args);

    public static int Advise(object source, Guid iid, object sink)
    {
        ((System.Runtime.InteropServices.ComTypes.IConnectionPointContainer)source).FindConnectionPoint(ref iid, out System.Runtime.InteropServices.ComTypes.IConnectionPoint? cp);
        cp!.Advise(sink, out int cookie);
        return cookie;
    }

    public static void Release(object? value)
    {
        if (value is IDisposable d)
        {
            d.Dispose();
        }
    }

    private static object? Invoke(object target, string name, BindingFlags kind, object?[] args)
    {
        try
        {
            return target.GetType().InvokeMember(name, kind | Lookup, null, target, args, CultureInfo.InvariantCulture);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }
}

[ComImport]
[Guid("00063077-0000-0000-C000-000000000046")]
[InterfaceType(ComInterfaceType.InterfaceIsIDispatch)]
public interface ITestItemsEvents
{
    [DispId(0xF001)]
    void ItemAdd([MarshalAs(UnmanagedType.IDispatch)] object item);

    [DispId(0xF002)]
    void ItemChange([MarshalAs(UnmanagedType.IDispatch)] object item);

    [DispId(0xF003)]
    void ItemRemove();
}

[ComImport]
[Guid("0006302B-0000-0000-C000-000000000046")]
[InterfaceType(ComInterfaceType.InterfaceIsIDispatch)]
public interface ITestItemEvents
{
    [DispId(0xF002)]
    void Write(ref bool cancel);

    [DispId(0xFC8D)]
    void AfterWrite();

    [DispId(0xFA75)]
    void BeforeDelete([MarshalAs(UnmanagedType.IDispatch)] object item, ref bool cancel);

    [DispId(0xF009)]
    void PropertyChange(string name);
}

[ComImport]
[Guid("0006302C-0000-0000-C000-000000000046")]
[InterfaceType(ComInterfaceType.InterfaceIsIDispatch)]
public interface ITestApplicationEvents
{
    [DispId(0xF002)]
    void ItemSend([MarshalAs(UnmanagedType.IDispatch)] object item, ref bool cancel);
}

[ComImport]
[Guid("00063079-0000-0000-C000-000000000046")]
[InterfaceType(ComInterfaceType.InterfaceIsIDispatch)]
public interface ITestInspectorsEvents
{
    [DispId(0xF001)]
    void NewInspector([MarshalAs(UnmanagedType.IDispatch)] object inspector);
}

/// <summary>Records ItemsEvents; releases the item arguments as the add-in must.</summary>
internal sealed class ItemsSink : ITestItemsEvents
{
    public int Added { get; private set; }

    public int Changed { get; private set; }

    public int Removed { get; private set; }

    public void ItemAdd(object item)
    {
        Added++;
        Late.Release(item);
    }

    public void ItemChange(object item)
    {
        Changed++;
        Late.Release(item);
    }

    public void ItemRemove() => Removed++;
}

internal sealed class ItemSink : ITestItemEvents
{
    public bool CancelWrite { get; set; }

    public bool CancelDelete { get; set; }

    public int Writes { get; private set; }

    public int AfterWrites { get; private set; }

    public int BeforeDeletes { get; private set; }

    public System.Collections.Generic.List<string> Changes { get; } = new();

    public void Write(ref bool cancel)
    {
        Assert.IsFalse(cancel, "Cancel arrives false");
        Writes++;
        cancel = CancelWrite;
    }

    public void AfterWrite() => AfterWrites++;

    public void BeforeDelete(object item, ref bool cancel)
    {
        BeforeDeletes++;
        Late.Release(item);
        cancel = CancelDelete;
    }

    public void PropertyChange(string name) => Changes.Add(name);
}

internal sealed class AppSink : ITestApplicationEvents
{
    public bool Cancel { get; set; }

    public int Sends { get; private set; }

    public void ItemSend(object item, ref bool cancel)
    {
        Sends++;
        Late.Release(item);
        cancel = Cancel;
    }
}

internal sealed class ThrowingInspectorsSink : ITestInspectorsEvents
{
    public void NewInspector(object inspector)
    {
        Late.Release(inspector);
        throw new InvalidOperationException("sink failure");
    }
}
