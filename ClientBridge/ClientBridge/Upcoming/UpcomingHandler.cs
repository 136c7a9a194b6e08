using System.Threading;
using System.Threading.Tasks;
using ClientBridge.Protocol;
using ClientBridge.Server;

namespace ClientBridge.Upcoming;

/// <summary><c>upcoming.get</c>: the tray's menu model, for the command line and scripts (the same user only, as every request).</summary>
public sealed class UpcomingHandler(UpcomingService upcoming)
    : RequestHandler<UpcomingRequest, UpcomingReply>(MessageKinds.UpcomingGet, BridgeWire.Default.UpcomingRequest, BridgeWire.Default.UpcomingReply, new UpcomingRequest())
{
    protected override ValueTask<UpcomingReply> HandleAsync(ClientSession session, UpcomingRequest request, CancellationToken cancellationToken) =>
        new(upcoming.Menu(request.MeetingsOnly));
}
