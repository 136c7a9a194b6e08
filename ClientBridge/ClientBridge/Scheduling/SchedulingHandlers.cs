using System.Threading;
using System.Threading.Tasks;
using ClientBridge.Protocol;
using ClientBridge.Server;

namespace ClientBridge.Scheduling;

public sealed class ScheduleMeetingHandler(SchedulingService scheduling)
    : RequestHandler<ScheduleMeetingRequest, MeetingReply>(MessageKinds.ScheduleMeeting, BridgeJsonContext.Default.ScheduleMeetingRequest, BridgeJsonContext.Default.MeetingReply)
{
    protected override ValueTask<MeetingReply> HandleAsync(ClientSession session, ScheduleMeetingRequest request, CancellationToken cancellationToken) =>
        new(scheduling.ScheduleAsync(request));
}

public sealed class UpdateMeetingHandler(SchedulingService scheduling)
    : RequestHandler<UpdateMeetingRequest, MeetingReply>(MessageKinds.UpdateMeeting, BridgeJsonContext.Default.UpdateMeetingRequest, BridgeJsonContext.Default.MeetingReply)
{
    protected override ValueTask<MeetingReply> HandleAsync(ClientSession session, UpdateMeetingRequest request, CancellationToken cancellationToken) =>
        new(scheduling.UpdateAsync(request));
}

public sealed class CancelMeetingHandler(SchedulingService scheduling)
    : RequestHandler<CancelMeetingRequest, MeetingReply>(MessageKinds.CancelMeeting, BridgeJsonContext.Default.CancelMeetingRequest, BridgeJsonContext.Default.MeetingReply)
{
    protected override ValueTask<MeetingReply> HandleAsync(ClientSession session, CancelMeetingRequest request, CancellationToken cancellationToken) =>
        new(scheduling.CancelAsync(request));
}

public sealed class SignInStateHandler(SchedulingService scheduling)
    : RequestHandler<Empty, SignInState>(MessageKinds.SignInState, BridgeJsonContext.Default.Empty, BridgeJsonContext.Default.SignInState, Empty.Instance)
{
    protected override ValueTask<SignInState> HandleAsync(ClientSession session, Empty request, CancellationToken cancellationToken) =>
        new(new SignInState { Providers = [.. scheduling.ProviderStates()] });
}
