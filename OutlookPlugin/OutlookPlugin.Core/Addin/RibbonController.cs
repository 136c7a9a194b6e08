using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using OutlookPlugin.Core.ObjectModel;
using OutlookPlugin.Core.Rules;

namespace OutlookPlugin.Core.Addin;

/// <summary>
/// The ribbon: its XML and what each control does and whether it is enabled. The COM class forwards Office's
/// callbacks here by control id, with the control's Context (an Inspector or an Explorer, FACTS §6.2).
/// </summary>
public sealed class RibbonController
{
    public const string AddId = "ClientBridge.Add";
    public const string AddWithPrefix = "ClientBridge.Add.";
    public const string RemoveId = "ClientBridge.Remove";
    public const string OptionsId = "ClientBridge.Options";
    public const string ScheduleNowId = "ClientBridge.ScheduleNow";

    /// <summary>Callback names used in the XML; the COM class has a public method for each (a test checks).</summary>
    public static readonly IReadOnlyList<string> Callbacks = new[] { "OnRibbonLoad", "OnAction", "GetEnabled", "GetVisible", "GetImage" };

    private readonly Func<AddinHost> _host;

    public RibbonController(Func<AddinHost> host)
    {
        _host = host;
    }

    public static string? GetCustomUI(string ribbonId) => ribbonId switch
    {
        OutlookIds.Addin.RibbonAppointment => Wrap($@"
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
        OutlookIds.Addin.RibbonExplorer => Wrap($@"
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
        if (entryId.Length > 0 && _host().Sync.IsBusy(entryId))
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
        return !controlId.StartsWith(AddWithPrefix, StringComparison.Ordinal) || _host().IsProviderAllowed(controlId.Substring(AddWithPrefix.Length));
    }

    public void OnAction(string controlId, object? context)
    {
        AddinHost host = _host();
        if (controlId == ScheduleNowId)
        {
            host.ScheduleNow(context);
            return;
        }

        string? provider = controlId.StartsWith(AddWithPrefix, StringComparison.Ordinal) ? controlId.Substring(AddWithPrefix.Length) : null;
        host.OnInspectorAction(controlId == RemoveId ? InspectorAction.Remove : controlId == OptionsId ? InspectorAction.Options : InspectorAction.Add, provider, context);
    }

    private static string Wrap(string tabs) =>
        $@"<customUI xmlns=""{OutlookIds.Addin.CustomUiNamespace}"" onLoad=""OnRibbonLoad"">
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

public enum InspectorAction
{
    Add,
    Remove,
    Options,
}
