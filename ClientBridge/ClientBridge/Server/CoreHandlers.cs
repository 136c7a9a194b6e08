using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ClientBridge.Calendar;
using ClientBridge.Protocol;

namespace ClientBridge.Server;

public sealed class PingHandler() : RequestHandler<Ping, Ping>(MessageKinds.Ping, BridgeWire.Default.Ping, BridgeWire.Default.Ping, new Ping())
{
    protected override ValueTask<Ping> HandleAsync(ClientSession session, Ping request, CancellationToken cancellationToken) => new(request);
}

public sealed class StatusHandler(AgentInfo agent, SessionRegistry sessions, CalendarStore calendar, Scheduling.SchedulingService scheduling)
    : RequestHandler<Empty, StatusReply>(MessageKinds.Status, BridgeWire.Default.Empty, BridgeWire.Default.StatusReply, Empty.Instance)
{
    public const string OutlookUntrustedWarning =
        "Outlook does not trust the ClientBridge add-in, so it reads only what Outlook allows without asking: meetings whose join link is "
        + "only in the invitation text are missing from the tray. Add it to Outlook's trusted add-ins (Group Policy: Microsoft Outlook, "
        + "Security, Security Form Settings, Programmatic Security).";

    protected override ValueTask<StatusReply> HandleAsync(ClientSession session, Empty request, CancellationToken cancellationToken)
    {
        List<string> names = [.. sessions.Snapshot().Where(s => s.IsHandshaken).Select(s => s.ClientName).Order()];
        return new(new StatusReply
        {
            AgentVersion = agent.Version,
            ProtocolVersion = BridgeProtocol.Version,
            ProcessId = System.Environment.ProcessId,
            StartedAt = agent.StartedAt,
            UptimeSeconds = System.Math.Round(agent.Uptime.TotalSeconds, 3),
            Endpoint = agent.Endpoint,
            EndpointProtection = agent.Protection,
            ConnectedClients = names.Count,
            ClientNames = names,
            CalendarItems = calendar.Count,
            CalendarUpdatedAt = calendar.UpdatedAt,
            Providers = [.. scheduling.ProviderStates()],
            Warnings = sessions.Snapshot().Any(s => s.IsHandshaken && s.OutlookUntrusted) ? [OutlookUntrustedWarning] : [],
        });
    }
}

public sealed class SubscribeHandler()
    : RequestHandler<SubscribeRequest, SubscribeReply>(MessageKinds.Subscribe, BridgeWire.Default.SubscribeRequest, BridgeWire.Default.SubscribeReply)
{
    protected override ValueTask<SubscribeReply> HandleAsync(ClientSession session, SubscribeRequest request, CancellationToken cancellationToken)
    {
        List<string> kinds = EventHub.Filter(request.Kinds ?? []);
        session.Subscribe(kinds);
        return new(new SubscribeReply { Kinds = kinds });
    }
}

public sealed class CalendarSnapshotHandler(CalendarStore calendar)
    : RequestHandler<CalendarSnapshot, CalendarAck>(MessageKinds.CalendarSnapshot, BridgeWire.Default.CalendarSnapshot, BridgeWire.Default.CalendarAck)
{
    protected override ValueTask<CalendarAck> HandleAsync(ClientSession session, CalendarSnapshot request, CancellationToken cancellationToken) =>
        new(calendar.Replace(request));
}

public sealed class CalendarDeltaHandler(CalendarStore calendar)
    : RequestHandler<CalendarDelta, CalendarAck>(MessageKinds.CalendarDelta, BridgeWire.Default.CalendarDelta, BridgeWire.Default.CalendarAck)
{
    protected override ValueTask<CalendarAck> HandleAsync(ClientSession session, CalendarDelta request, CancellationToken cancellationToken) =>
        new(calendar.Apply(request));
}

/// <summary>
/// <c>agent.stop</c>: answers first, then stops the agent as the tray's Quit does. The caller is already allowed on the
/// pipe (same user, caller policy), which is all the tray's Quit asks of a person either.
/// </summary>
public sealed class StopHandler(Hosting.AgentShutdown shutdown)
    : RequestHandler<Empty, StopReply>(MessageKinds.Stop, BridgeWire.Default.Empty, BridgeWire.Default.StopReply, Empty.Instance)
{
    /// <summary>How long a caller that stays connected after the answer is given before the agent stops anyway.</summary>
    public static readonly System.TimeSpan Grace = System.TimeSpan.FromSeconds(2);

    protected override ValueTask<StopReply> HandleAsync(ClientSession session, Empty request, CancellationToken cancellationToken)
    {
        // Stopping at once would close the pipe under the reply; the caller hanging up (the session's closing token)
        // shows it has read it.
        _ = StopOnceAnsweredAsync(cancellationToken);
        return new(new StopReply { ProcessId = System.Environment.ProcessId });
    }

    private async Task StopOnceAnsweredAsync(CancellationToken callerGone)
    {
        try
        {
            await Task.Delay(Grace, callerGone).ConfigureAwait(false);
        }
        catch (System.OperationCanceledException)
        {
        }

        shutdown.Request(MessageKinds.Stop);
    }
}
