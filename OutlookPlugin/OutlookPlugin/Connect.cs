using System;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Threading;
using System.Windows.Forms;
using OutlookPlugin.Core.Addin;
using OutlookPlugin.Interop;

namespace OutlookPlugin;

/// <summary>
/// The class Outlook creates and loads (registered under <see cref="AddinRegistration.ProgId"/>). It implements
/// IDTExtensibility2 and IRibbonExtensibility on the same class, as Office requires (FACTS §6.2), and exposes the
/// ribbon callbacks as public methods that Office finds through IDispatch by name. Everything here forwards to
/// <see cref="AddinHost"/>; nothing thrown ever reaches Outlook.
/// </summary>
[ComVisible(true)]
[Guid(AddinRegistration.ClassId)]
[ProgId(AddinRegistration.ProgId)]
[ClassInterface(ClassInterfaceType.AutoDispatch)]
#pragma warning disable CA1001 // Outlook owns this object's lifetime; OnDisconnection and OnBeginShutdown release what it holds.
public sealed class Connect : IDTExtensibility2, IRibbonExtensibility
{
    private readonly FileLog _log = new();

    // Before any dependency is loaded: Outlook.exe.config carries no binding redirects for us.
    static Connect() => DependencyResolver.Install();

    private readonly LoadedRibbons<IRibbonUI> _ribbons;
    private AddinHost? _host;

    public Connect() => _ribbons = new LoadedRibbons<IRibbonUI>(ribbon => ribbon.Invalidate(), ribbon => Marshal.ReleaseComObject(ribbon));

    public void OnConnection(object application, int connectMode, object addInInst, [MarshalAs(UnmanagedType.SafeArray, SafeArraySubType = VarEnum.VT_VARIANT)] ref Array custom)
    {
        Guarded(() =>
        {
            // Outlook's main thread: the object model lives here, and so does the context results are posted to.
            SynchronizationContext main = SynchronizationContext.Current ?? new WindowsFormsSynchronizationContext();
            string version = typeof(Connect).Assembly.GetName().Version?.ToString() ?? "0.0.0";
            _host = new AddinHost(() => AgentConnection.Create(version), new WindowsUserInterface(), _log, ReadSettings(), CultureInfo.CurrentCulture);
            _host.InvalidateRibbon = () => _ribbons.InvalidateAll(_log);
            _host.OnConnection(application, connectMode, main);
        });
    }

    public void OnStartupComplete([MarshalAs(UnmanagedType.SafeArray, SafeArraySubType = VarEnum.VT_VARIANT)] ref Array custom) => Guarded(() => _host?.OnStartupComplete());

    public void OnBeginShutdown([MarshalAs(UnmanagedType.SafeArray, SafeArraySubType = VarEnum.VT_VARIANT)] ref Array custom) => Guarded(Shutdown);

    public void OnDisconnection(int removeMode, [MarshalAs(UnmanagedType.SafeArray, SafeArraySubType = VarEnum.VT_VARIANT)] ref Array custom) => Guarded(Shutdown);

    public void OnAddInsUpdate([MarshalAs(UnmanagedType.SafeArray, SafeArraySubType = VarEnum.VT_VARIANT)] ref Array custom)
    {
    }

    public string? GetCustomUI(string ribbonId)
    {
        try
        {
            return RibbonController.GetCustomUI(ribbonId);
        }
#pragma warning disable CA1031 // Never throw into Office.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _log.Write("error", "Ribbon XML failed: " + MainThread.Redacted(e));
            return null;
        }
    }

    // Ribbon callbacks, named in the ribbon XML (RibbonController.Callbacks).
    public void OnExplorerRibbonLoad(IRibbonUI ribbon) => RibbonLoaded(Core.ObjectModel.OutlookIds.Addin.RibbonExplorer, ribbon);

    public void OnAppointmentRibbonLoad(IRibbonUI ribbon) => RibbonLoaded(Core.ObjectModel.OutlookIds.Addin.RibbonAppointment, ribbon);

    public void OnAction(IRibbonControl control) => Guarded(() =>
    {
        _host?.Ribbon.OnAction(control.Id, control.Context);
        _ribbons.InvalidateAll(_log);
    });

    public bool GetEnabled(IRibbonControl control) => Guarded(() => _host?.Ribbon.IsEnabled(control.Id, control.Context) ?? false);

    public bool GetVisible(IRibbonControl control) => Guarded(() => _host?.Ribbon.IsVisible(control.Id, control.Context) ?? true);

    public object? GetImage(IRibbonControl control) => Guarded(() => RibbonImages.Get(RibbonController.ImageKey(control.Id)));

    private void RibbonLoaded(string ribbonId, IRibbonUI ribbon) => Guarded(() => _ribbons.Loaded(ribbonId, ribbon));

    /// <summary>One registry read; the values are checked by the platform-neutral settings code.</summary>
    private AddinSettings ReadSettings()
    {
        using Microsoft.Win32.RegistryKey? key = Microsoft.Win32.Registry.CurrentUser.OpenSubKey(AgentConnection.SettingsKey + @"\Outlook");
        return AddinSettings.From(name => key?.GetValue(name), _log);
    }

    private void Shutdown()
    {
        _host?.OnShutdown();
        _host = null;
        _ribbons.ReleaseAll(_log);
    }

    private void Guarded(Action action) => Guarded<object?>(() =>
    {
        action();
        return null;
    });

    private T? Guarded<T>(Func<T> action)
    {
        try
        {
            return action();
        }
#pragma warning disable CA1031 // Never throw into Outlook: it would disable the add-in.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _log.Write("error", "Add-in callback failed: " + MainThread.Redacted(e));
            return default;
        }
    }
}
#pragma warning restore CA1001
