using System;
using System.Threading;
using System.Threading.Tasks;
using ClientBridge.Protocol;
using ClientBridge.Protocol.Client;

namespace OutlookPlugin.Core.Addin;

/// <summary>
/// The add-in's requests to the agent, off Outlook's main thread. A request whose answer was lost (the agent
/// restarted, the pipe broke, the answer was late) is sent again with the same request id, which the agent's
/// journal turns into the same meeting: retrying never makes a second one.
/// </summary>
public sealed class AgentRequests
{
    private readonly BridgeClient _client;
    private readonly AddinSettings _settings;
    private int _onTheWire;

    public AgentRequests(BridgeClient client, AddinSettings settings)
    {
        _client = client;
        _settings = settings;
    }

    public BridgeClient Client => _client;

    /// <summary>
    /// Requests sent and not answered yet, not counting those waiting to be sent again: what is happening in real time.
    /// The lifecycle soak moves its virtual clock (<see cref="AddinClock"/>) only when none is.
    /// </summary>
    public int OnTheWire => Volatile.Read(ref _onTheWire);

    /// <summary>
    /// Counts a request as on the wire from the moment its caller hands it to the pool until <paramref name="send"/> has
    /// put it there (the pool may take a while to start it): time moves on for the add-in in the meantime, so the soak
    /// must not take that moment for a quiet one.
    /// </summary>
    public Task<T> HandToPool<T>(Func<Task<T>> send)
    {
        Interlocked.Increment(ref _onTheWire);
        return Task.Run(() =>
        {
            try
            {
                return send();
            }
            finally
            {
                Interlocked.Decrement(ref _onTheWire);
            }
        });
    }

    public Task<MeetingReply> ScheduleAsync(ScheduleMeetingRequest request) =>
        WithRetriesAsync(() => _client.RequestAsync(MessageKinds.ScheduleMeeting, request, BridgeWire.Default.ScheduleMeetingRequest, BridgeWire.Default.MeetingReply));

    public Task<MeetingReply> UpdateAsync(UpdateMeetingRequest request) =>
        WithRetriesAsync(() => _client.RequestAsync(MessageKinds.UpdateMeeting, request, BridgeWire.Default.UpdateMeetingRequest, BridgeWire.Default.MeetingReply));

    public Task<MeetingReply> CancelAsync(CancelMeetingRequest request) =>
        WithRetriesAsync(() => _client.RequestAsync(MessageKinds.CancelMeeting, request, BridgeWire.Default.CancelMeetingRequest, BridgeWire.Default.MeetingReply));

    public Task<CalendarAck> SnapshotAsync(CalendarSnapshot snapshot) =>
        OnWireAsync(() => _client.RequestAsync(MessageKinds.CalendarSnapshot, snapshot, BridgeWire.Default.CalendarSnapshot, BridgeWire.Default.CalendarAck));

    public Task<CalendarAck> DeltaAsync(CalendarDelta delta) =>
        OnWireAsync(() => _client.RequestAsync(MessageKinds.CalendarDelta, delta, BridgeWire.Default.CalendarDelta, BridgeWire.Default.CalendarAck));

    public Task<SignInState> SignInStateAsync() =>
        OnWireAsync(() => _client.RequestAsync(MessageKinds.SignInState, Empty.Instance, BridgeWire.Default.Empty, BridgeWire.Default.SignInState));

    /// <summary>Whether the failure leaves it unknown if the agent acted: then the same request id must be reused.</summary>
    public static bool IsAmbiguous(BridgeException e) => e.Code is ErrorCodes.Disconnected or ErrorCodes.Timeout;

    /// <summary>
    /// A failure that can pass: the agent away or starting, the provider unavailable or failing, the user signed out.
    /// A request refused for what it says (bad_request and the like) fails the same way every time.
    /// </summary>
    public static bool IsWorthRetrying(BridgeException e) =>
        e.Code is ErrorCodes.Disconnected or ErrorCodes.Timeout or ErrorCodes.AgentNotRunning or ErrorCodes.AgentStartFailed
            or ErrorCodes.NotAvailable or ErrorCodes.SignedOut or ErrorCodes.Internal;

    /// <summary>A sentence for the user, never a stack trace.</summary>
    public static string Describe(Exception e, string action) => e switch
    {
        BridgeException { Code: ErrorCodes.AgentNotRunning or ErrorCodes.AgentStartFailed } =>
            $"Could not {action}: the ClientBridge agent is not running and could not be started. Start ClientBridge from the Start menu and try again.",
        BridgeException { Code: ErrorCodes.Timeout or ErrorCodes.Disconnected } =>
            $"Could not {action}: the ClientBridge agent did not answer in time. Try again; it will not create a second meeting.",
        BridgeException { Code: ErrorCodes.SignedOut } b => $"Could not {action}: {b.Message}",
        BridgeException b when !string.IsNullOrEmpty(b.Message) => $"Could not {action}: {b.Message}",
        _ => $"Could not {action} because of an unexpected error. Details are in the add-in's log.",
    };

    private async Task<T> WithRetriesAsync<T>(Func<Task<T>> send)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await OnWireAsync(send).ConfigureAwait(false);
            }
            catch (BridgeException e) when (IsAmbiguous(e) && attempt < _settings.Attempts)
            {
                await _settings.Clock.Delay(_settings.RetryDelay).ConfigureAwait(false);
            }
        }
    }

    private async Task<T> OnWireAsync<T>(Func<Task<T>> send)
    {
        Interlocked.Increment(ref _onTheWire);
        try
        {
            return await send().ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _onTheWire);
        }
    }
}
