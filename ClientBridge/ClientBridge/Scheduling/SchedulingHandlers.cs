using System.Threading;
using System.Threading.Tasks;
using ClientBridge.Protocol;
using ClientBridge.Server;

namespace ClientBridge.Scheduling;

public sealed class ScheduleMeetingHandler(SchedulingService scheduling)
    : RequestHandler<ScheduleMeetingRequest, MeetingReply>(MessageKinds.ScheduleMeeting, BridgeWire.Default.ScheduleMeetingRequest, BridgeWire.Default.MeetingReply)
{
    protected override ValueTask<MeetingReply> HandleAsync(ClientSession session, ScheduleMeetingRequest request, CancellationToken cancellationToken) =>
        new(scheduling.ScheduleAsync(request));
}

public sealed class UpdateMeetingHandler(SchedulingService scheduling)
    : RequestHandler<UpdateMeetingRequest, MeetingReply>(MessageKinds.UpdateMeeting, BridgeWire.Default.UpdateMeetingRequest, BridgeWire.Default.MeetingReply)
{
    protected override ValueTask<MeetingReply> HandleAsync(ClientSession session, UpdateMeetingRequest request, CancellationToken cancellationToken) =>
        new(scheduling.UpdateAsync(request));
}

public sealed class CancelMeetingHandler(SchedulingService scheduling)
    : RequestHandler<CancelMeetingRequest, MeetingReply>(MessageKinds.CancelMeeting, BridgeWire.Default.CancelMeetingRequest, BridgeWire.Default.MeetingReply)
{
    protected override ValueTask<MeetingReply> HandleAsync(ClientSession session, CancelMeetingRequest request, CancellationToken cancellationToken) =>
        new(scheduling.CancelAsync(request));
}

public sealed class SignInStateHandler(SchedulingService scheduling)
    : RequestHandler<Empty, SignInState>(MessageKinds.SignInState, BridgeWire.Default.Empty, BridgeWire.Default.SignInState, Empty.Instance)
{
    protected override ValueTask<SignInState> HandleAsync(ClientSession session, Empty request, CancellationToken cancellationToken) =>
        new(new SignInState { Providers = [.. scheduling.ProviderStates()] });
}
