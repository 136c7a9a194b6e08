using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Threading.Tasks;
using ClientBridge.Protocol;
using OutlookPlugin.Core.ObjectModel;
using OutlookPlugin.Core.Rules;

namespace OutlookPlugin.Core.Addin;

/// <summary>
/// The ribbon: its XML, what each control does and whether it is enabled or shown. The COM class forwards Office's
/// callbacks here by control id, with the control's Context (an Inspector or an Explorer, FACTS §6.2); the actions go
/// straight to <see cref="MeetingSync"/>.
/// </summary>
public sealed class RibbonController
{
    public const string AddId = "ClientBridge.Add";
    public const string AddWithPrefix = "ClientBridge.Add.";
    public const string RemoveId = "ClientBridge.Remove";
    public const string OptionsId = "ClientBridge.Options";
    public const string ScheduleNowId = "ClientBridge.ScheduleNow";

    /// <summary>Callback names used in the XML; the COM class has a public method for each (a test checks).</summary>
    /// <summary>Each ribbon's own onLoad, so that each ribbon's IRibbonUI is kept and invalidated (<see cref="LoadedRibbons{T}"/>).</summary>
    public const string ExplorerLoadCallback = "OnExplorerRibbonLoad";

    public const string AppointmentLoadCallback = "OnAppointmentRibbonLoad";

    public static readonly IReadOnlyList<string> Callbacks = new[] { ExplorerLoadCallback, AppointmentLoadCallback, "OnAction", "GetEnabled", "GetVisible", "GetImage" };

    private readonly IRibbonParts _parts;

    public RibbonController(IRibbonParts parts)
    {
        _parts = parts ?? throw new ArgumentNullException(nameof(parts));
    }

    public static string? GetCustomUI(string ribbonId) => ribbonId switch
    {
        OutlookIds.Addin.RibbonAppointment => Wrap(AppointmentLoadCallback, $@"
    <tab idMso=""{OutlookIds.Addin.TabAppointment}"">
      <group id=""ClientBridge.AppointmentGroup"" label=""Video meeting"" insertBeforeMso=""{OutlookIds.Addin.GroupActions}"">
        <splitButton id=""ClientBridge.AddSplit"" size=""large"" getEnabled=""GetEnabled"">
          <button id=""{AddId}"" label=""Add video meeting"" getImage=""GetImage"" onAction=""OnAction""
                  screentip=""Add a video meeting"" supertip=""Creates a meeting with your default provider and puts its link in the location and the invitation."" />
          <menu id=""ClientBridge.AddMenu"">
            <button id=""{AddWithPrefix}jitsi"" label=""Jitsi Meet (no account needed)"" onAction=""OnAction"" getVisible=""GetVisible"" />
            <button id=""{AddWithPrefix}zoom"" label=""Zoom"" onAction=""OnAction"" getVisible=""GetVisible"" />
          </menu>
        </splitButton>
        <button id=""{RemoveId}"" label=""Remove video meeting"" size=""normal"" getImage=""GetImage"" onAction=""OnAction"" getEnabled=""GetEnabled""
                screentip=""Remove the video meeting"" supertip=""Cancels the meeting with its provider and takes the link and the invitation block out."" />
        <button id=""{OptionsId}"" label=""Meeting options"" size=""normal"" getImage=""GetImage"" onAction=""OnAction"" getEnabled=""GetEnabled""
                screentip=""Meeting options"" supertip=""Waiting room, passcode, alternative hosts, and whose meeting it is."" />
      </group>
    </tab>"),
        OutlookIds.Addin.RibbonExplorer => Wrap(ExplorerLoadCallback, $@"
    <tab idMso=""{OutlookIds.Addin.TabCalendar}"">
      <group id=""ClientBridge.CalendarGroup"" label=""Video meeting"" insertAfterMso=""{OutlookIds.Addin.GroupCalendarNew}"">
        <button id=""{ScheduleNowId}"" label=""New video meeting"" size=""large"" getImage=""GetImage"" onAction=""OnAction"" getEnabled=""GetEnabled""
                screentip=""Schedule a video meeting"" supertip=""Opens a new appointment at the selected time with a video meeting already added."" />
      </group>
    </tab>"),
        _ => null,
    };

    /// <summary>Which control an image is drawn for: the COM side turns the key into a picture.</summary>
    public static string ImageKey(string controlId) => controlId switch
    {
        RemoveId => "remove",
        OptionsId => "options",
        _ => "camera",
    };

    public bool IsEnabled(string controlId, object? context) => WithItem(context, controlId == ScheduleNowId, (item, _) =>
    {
        if (controlId == ScheduleNowId)
        {
            return true;
        }

        MeetingTag? tag = MeetingTags.Read(item);
        string entryId = item.GetString("EntryID");
        bool ours = tag is not null && tag.MeetingId.Length > 0 && tag.OwnerEntryId == entryId;
        if (entryId.Length > 0 && _parts.Sync?.IsBusy(entryId) == true)
        {
            return false;
        }

        return controlId switch
        {
            RemoveId => ours,
            OptionsId => !ours || string.Equals(tag!.Provider, "zoom", StringComparison.Ordinal),
            _ => !ours && item.Get<int>("MeetingStatus") is not (OutlookIds.MeetingStatusReceived or OutlookIds.MeetingStatusReceivedAndCanceled),
        };
    });

    public bool IsVisible(string controlId, object? context)
    {
        ReleaseContext(context);
        return !controlId.StartsWith(AddWithPrefix, StringComparison.Ordinal) || IsProviderAllowed(controlId.Substring(AddWithPrefix.Length));
    }

    public void OnAction(string controlId, object? context)
    {
        if (controlId == ScheduleNowId)
        {
            ScheduleNow(context);
            return;
        }

        string? provider = controlId.StartsWith(AddWithPrefix, StringComparison.Ordinal) ? controlId.Substring(AddWithPrefix.Length) : null;
        ActOnInspector(controlId == RemoveId ? InspectorAction.Remove : controlId == OptionsId ? InspectorAction.Options : InspectorAction.Add, provider, context);
    }

    /// <summary>A provider the agent offers (the agent's settings and policies decide); before it answered, Jitsi only, which needs no account.</summary>
    public bool IsProviderAllowed(string provider)
    {
        IReadOnlyList<ProviderState> known = _parts.Providers;
        if (known.Count == 0)
        {
            return string.Equals(provider, "jitsi", StringComparison.Ordinal);
        }

        foreach (ProviderState state in known)
        {
            if (string.Equals(state.Provider, provider, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private string DefaultProvider()
    {
        foreach (ProviderState state in _parts.Providers)
        {
            if (state.IsDefault)
            {
                return state.Provider;
            }
        }

        return "jitsi";
    }

    /// <summary>Add, Options or Remove on an appointment's window.</summary>
    private void ActOnInspector(InspectorAction action, string? provider, object? context)
    {
        MeetingSync? sync = _parts.Sync;
        if (context is null || sync is null)
        {
            ReleaseContext(context);
            return;
        }

        var inspector = new OmObject(context);
        OmObject? item = null;
        try
        {
            item = inspector.GetObject("CurrentItem");
            if (item is null || item.Get<int>("Class") != OutlookIds.ClassAppointment)
            {
                item?.Dispose();
                inspector.Dispose();
                return;
            }
        }
        catch (COMException e)
        {
            item?.Dispose();
            inspector.Dispose();
            _parts.Log.Write("warning", "The inspector's item could not be read: " + MainThread.Redacted(e));
            return;
        }

        Task work;
        switch (action)
        {
            case InspectorAction.Remove:
                work = sync.RemoveAsync(item, inspector);
                break;
            case InspectorAction.Options:
                MeetingOptions? options = _parts.User.AskMeetingOptions(new MeetingOptionsPrompt
                {
                    Provider = provider ?? DefaultProvider(),
                    ScheduleForName = DelegateOwner.NameOf(item),
                    Owner = inspector.Target,
                });
                work = options is null ? Task.CompletedTask : sync.AddAsync(item, inspector, provider, options);
                break;
            default:
                work = sync.AddAsync(item, inspector, provider, null);
                break;
        }

        _ = ReleaseWhenDoneAsync(work, item, inspector);
    }

    /// <summary>"New video meeting" on the calendar: a new appointment at the selected time, meeting added, shown.</summary>
    private void ScheduleNow(object? context)
    {
        ReleaseContext(context);
        OmObject? application = _parts.Application;
        MeetingSync? sync = _parts.Sync;
        if (application is null || sync is null)
        {
            return;
        }

        DateTime? selectedStart = null;
        DateTime? selectedEnd = null;
        OmObject? item = null;
        using (OmObject? explorer = application.CallObject("ActiveExplorer"))
        using (OmObject? view = explorer?.GetObject("CurrentView"))
        {
            if (view is not null && view.Get<int>("Class") == OutlookIds.ClassCalendarView)
            {
                selectedStart = view.Get<DateTime>("SelectedStartTime");
                selectedEnd = view.Get<DateTime>("SelectedEndTime");

                // In the calendar being viewed, as Outlook's own New Appointment does: in a delegate's view of the
                // boss's calendar the appointment is the boss's, and its meeting is scheduled for the boss.
                using OmObject? folder = explorer!.GetObject("CurrentFolder");
                if (folder is not null && folder.Get<int>("DefaultItemType") == OutlookIds.AppointmentItemType)
                {
                    using OmObject? items = folder.GetObject("Items");
                    item = items?.CallObject("Add", OutlookIds.AppointmentItemType);
                }
            }
        }

        (DateTime start, DateTime end) = NewMeetingTimes.For(selectedStart, selectedEnd, DateTime.Now);
        item ??= application.CallObject("CreateItem", OutlookIds.AppointmentItemType) ?? throw new OutlookDataException("Outlook made no appointment.");
        item.Set("Start", start);
        item.Set("End", end);
        item.Call("Display", Type.Missing);

        // The item's own window: the one ActiveInspector names may still be another (Display does not say it comes to
        // the top at once), and the meeting would be written into that window's item.
        OmObject? inspector = item.GetObject("GetInspector");
        _ = ReleaseWhenDoneAsync(sync.AddAsync(item, inspector, null, null), item, inspector);
    }

    /// <summary>Outlook's objects released the moment the item is done with, whatever the outcome.</summary>
    private async Task ReleaseWhenDoneAsync(Task work, OmObject item, OmObject? inspector)
    {
        try
        {
            await work.ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Logged; the user was told already.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _parts.Log.Write("error", "A meeting action failed: " + MainThread.Redacted(e));
        }
        finally
        {
            _parts.Main?.Post(
                () =>
                {
                    item.Dispose();
                    inspector?.Dispose();
                },
                _parts.Log);
        }
    }

    private static string Wrap(string onLoad, string tabs) =>
        $@"<customUI xmlns=""{OutlookIds.Addin.CustomUiNamespace}"" onLoad=""{onLoad}"">
  <ribbon>
    <tabs>{tabs}
    </tabs>
  </ribbon>
</customUI>";

    private static bool WithItem(object? context, bool whenNoItem, Func<OmObject, OmObject, bool> decide)
    {
        if (context is null)
        {
            return whenNoItem;
        }

        using var inspector = new OmObject(context);
        try
        {
            if (inspector.Get<int>("Class") != OutlookIds.ClassInspector)
            {
                return whenNoItem;
            }

            using OmObject? item = inspector.GetObject("CurrentItem");
            return item is not null && item.Get<int>("Class") == OutlookIds.ClassAppointment && decide(item, inspector);
        }
        catch (COMException)
        {
            return false;
        }
    }

    private static void ReleaseContext(object? context) => OmObject.Release(context);
}

/// <summary>What the ribbon's actions need of the running add-in (AddinHost gives it), and nothing more.</summary>
public interface IRibbonParts
{
    /// <summary>Null before the add-in started (or while its start is retried).</summary>
    MeetingSync? Sync { get; }

    OmObject? Application { get; }

    MainThread? Main { get; }

    /// <summary>The providers the agent offers; empty until it answered.</summary>
    IReadOnlyList<ProviderState> Providers { get; }

    IUserInterface User { get; }

    IAddinLog Log { get; }
}

internal enum InspectorAction
{
    Add,
    Remove,
    Options,
}
