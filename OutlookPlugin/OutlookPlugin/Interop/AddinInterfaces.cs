using System;
using System.Runtime.InteropServices;
using OutlookPlugin.Core.ObjectModel;

namespace OutlookPlugin.Interop;

// Office's add-in interfaces, declared by hand because neither the PIA nor NetOffice is available here. IIDs,
// DISPIDs and parameter order are from FACTS §6.1–6.2 (NetOffice's declarations [S], IIDs checked on Microsoft's
// PIA pages [P]).

/// <summary>ext_ConnectMode / ext_DisconnectMode arrive as plain integers (FACTS §6.1).</summary>
[ComImport]
[Guid(OutlookIds.Addin.IDTExtensibility2)]
[InterfaceType(ComInterfaceType.InterfaceIsDual)]
public interface IDTExtensibility2
{
    [DispId(1)]
    void OnConnection([MarshalAs(UnmanagedType.IDispatch)] object application, int connectMode, [MarshalAs(UnmanagedType.IDispatch)] object addInInst, [MarshalAs(UnmanagedType.SafeArray, SafeArraySubType = VarEnum.VT_VARIANT)] ref Array custom);

    [DispId(2)]
    void OnDisconnection(int removeMode, [MarshalAs(UnmanagedType.SafeArray, SafeArraySubType = VarEnum.VT_VARIANT)] ref Array custom);

    [DispId(3)]
    void OnAddInsUpdate([MarshalAs(UnmanagedType.SafeArray, SafeArraySubType = VarEnum.VT_VARIANT)] ref Array custom);

    [DispId(4)]
    void OnStartupComplete([MarshalAs(UnmanagedType.SafeArray, SafeArraySubType = VarEnum.VT_VARIANT)] ref Array custom);

    [DispId(5)]
    void OnBeginShutdown([MarshalAs(UnmanagedType.SafeArray, SafeArraySubType = VarEnum.VT_VARIANT)] ref Array custom);
}

[ComImport]
[Guid(OutlookIds.Addin.IRibbonExtensibility)]
[InterfaceType(ComInterfaceType.InterfaceIsDual)]
public interface IRibbonExtensibility
{
    [DispId(1)]
    [return: MarshalAs(UnmanagedType.BStr)]
    string? GetCustomUI([MarshalAs(UnmanagedType.BStr)] string ribbonId);
}

[ComImport]
[Guid(OutlookIds.Addin.IRibbonControl)]
[InterfaceType(ComInterfaceType.InterfaceIsDual)]
public interface IRibbonControl
{
    [DispId(1)]
    string Id { [return: MarshalAs(UnmanagedType.BStr)] get; }

    [DispId(2)]
    object Context { [return: MarshalAs(UnmanagedType.IDispatch)] get; }

    [DispId(3)]
    string Tag { [return: MarshalAs(UnmanagedType.BStr)] get; }
}

[ComImport]
[Guid(OutlookIds.Addin.IRibbonUI)]
[InterfaceType(ComInterfaceType.InterfaceIsDual)]
public interface IRibbonUI
{
    [DispId(1)]
    void Invalidate();

    [DispId(2)]
    void InvalidateControl([MarshalAs(UnmanagedType.BStr)] string controlId);
}
