using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.IO.Pipes;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using ClientBridge.Protocol.Framing;
using MessagePack.Formatters;

namespace ClientBridge.Protocol.Client;

public enum BridgeConnectionState
{
    Disconnected,
    Connecting,
    Connected,
}

public sealed class ConnectionStateChangedEventArgs : EventArgs
{
    public ConnectionStateChangedEventArgs(BridgeConnectionState state, BridgeException? error)
    {
        State = state;
        Error = error;
    }

    public BridgeConnectionState State { get; }

    /// <summary>Why the connection was lost or could not be made, when it was.</summary>
    public BridgeException? Error { get; }
}

public sealed class BridgeEventArgs : EventArgs
{
    private readonly byte[] _body;

    internal BridgeEventArgs(string kind, byte[] body)
    {
        Kind = kind;
        _body = body;
    }

    public string Kind { get; }

    public T Read<T>(IMessagePackFormatter<T> formatter) =>
        new IncomingMessage(MessageType.Event, 0, Kind, _body, null).ReadBody(formatter);
}

/// <summary>
/// The client end of the bridge, for the add-in, the command line and tests. Connects on first use, starts the
/// agent when none answers, matches replies to requests by id, and (with <see cref="BridgeClientOptions.KeepConnected"/>)
/// reconnects with backoff after the agent goes away. Every wait is asynchronous with a timeout; nothing ever
/// continues on the caller's synchronization context, so Outlook's UI thread is never needed or blocked.
/// </summary>
/// <remarks>
/// <see cref="StateChanged"/> and <see cref="EventReceived"/> run on whichever pool thread made the change,
/// never marshalled to the caller's context; handlers must be quick and must not throw.
/// </remarks>
public sealed class BridgeClient : IDisposable
{
    private const int MissingPipeLooks = 3;

    private static readonly TimeSpan MissingPipeRecheck = TimeSpan.FromMilliseconds(50);

    private const int CurrentUserOnly = 0x20000000; // PipeOptions.CurrentUserOnly, absent from netstandard2.0's surface.

    private static readonly bool RuntimeHasCurrentUserOnly =
        !RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);

    private readonly BridgeClientOptions _options;
    private readonly BridgeEndpoint _endpoint;
    private readonly object _gate = new();
    private readonly CancellationTokenSource _disposed = new();
    private readonly Timer _timeoutSweep;
    private Connection? _connection;
    private Connection? _handshaking;
    private Task<Connection>? _connecting;
    private Task? _reconnecting;
    private BridgeConnectionState _state;
    private long _lastLaunchTimestamp;
    private bool _permanentFailure;
    private int _sweepArmed;

    /// <summary>The options this client was made with; Hello reads them at every connect.</summary>
    public BridgeClientOptions Options => _options;

    public BridgeClient(BridgeClientOptions options)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _endpoint = options.Endpoint ?? BridgeEndpoint.ForCurrentUser();
        _timeoutSweep = new Timer(_ => SweepTimeouts(), null, Timeout.Infinite, Timeout.Infinite);
    }

    public event EventHandler<ConnectionStateChangedEventArgs>? StateChanged;

    public event EventHandler<BridgeEventArgs>? EventReceived;

    public BridgeEndpoint Endpoint => _endpoint;

    public BridgeConnectionState State => _state;

    /// <summary>The agent's handshake answer on the current connection; null while disconnected.</summary>
    public Welcome? Agent => _connection?.Welcome;

    /// <summary>Connects now rather than on the first request; returns once the handshake is done.</summary>
    public async Task ConnectAsync(CancellationToken cancellationToken = default) =>
        await EnsureConnectedAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Sends a request and waits for its reply.</summary>
    /// <exception cref="BridgeException">The agent's error, or <see cref="ErrorCodes.Timeout"/>, <see cref="ErrorCodes.Disconnected"/>, <see cref="ErrorCodes.AgentNotRunning"/>.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public Task<TReply> RequestAsync<TRequest, TReply>(
        string kind,
        TRequest body,
        IMessagePackFormatter<TRequest> requestFormatter,
        IMessagePackFormatter<TReply> replyFormatter,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default)
    {
        // Connected: straight to the connection, without a state machine of its own.
        if (Volatile.Read(ref _connection) is { IsOpen: true } live && !_disposed.IsCancellationRequested)
        {
            return live.RequestAsync(kind, body, requestFormatter, replyFormatter, timeout ?? _options.RequestTimeout, cancellationToken);
        }

        return ConnectAndRequestAsync(kind, body, requestFormatter, replyFormatter, timeout, cancellationToken);
    }

    private async Task<TReply> ConnectAndRequestAsync<TRequest, TReply>(
        string kind,
        TRequest body,
        IMessagePackFormatter<TRequest> requestFormatter,
        IMessagePackFormatter<TReply> replyFormatter,
        TimeSpan? timeout,
        CancellationToken cancellationToken)
    {
        Connection connection = await EnsureConnectedAsync(cancellationToken).ConfigureAwait(false);
        return await connection.RequestAsync(kind, body, requestFormatter, replyFormatter, timeout ?? _options.RequestTimeout, cancellationToken).ConfigureAwait(false);
    }

    public Task<Ping> PingAsync(string? data = null, CancellationToken cancellationToken = default) =>
        RequestAsync(MessageKinds.Ping, new Ping { Data = data }, BridgeWire.Default.Ping, BridgeWire.Default.Ping, null, cancellationToken);

    public Task<StatusReply> GetStatusAsync(CancellationToken cancellationToken = default) =>
        RequestAsync(MessageKinds.Status, Empty.Instance, BridgeWire.Default.Empty, BridgeWire.Default.StatusReply, null, cancellationToken);

    public void Dispose()
    {
        Connection? connection;
        lock (_gate)
        {
            if (_disposed.IsCancellationRequested)
            {
                return;
            }

            _disposed.Cancel();
            connection = _connection;
            _connection = null;
        }

        _timeoutSweep.Dispose();
        connection?.Close(new BridgeException(ErrorCodes.Disconnected, "The client was closed."));
        SetState(BridgeConnectionState.Disconnected, null);
    }

    private static async Task<T> WaitAsync<T>(Task<T> task, CancellationToken cancellationToken)
    {
        if (!cancellationToken.CanBeCanceled || task.IsCompleted)
        {
            return await task.ConfigureAwait(false);
        }

        var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        using (cancellationToken.Register(static state => ((TaskCompletionSource<bool>)state!).TrySetResult(true), cancelled))
        {
            if (await Task.WhenAny(task, cancelled.Task).ConfigureAwait(false) != task)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
        }

        return await task.ConfigureAwait(false);
    }

    private Task<Connection> EnsureConnectedAsync(CancellationToken cancellationToken)
    {
        Task<Connection> connecting;
        lock (_gate)
        {
            if (_disposed.IsCancellationRequested)
            {
                throw new ObjectDisposedException(nameof(BridgeClient));
            }

            if (_connection is { IsOpen: true } live)
            {
                return Task.FromResult(live);
            }

            // On the pool, never the caller's context: the add-in calls from Outlook's UI thread.
            _connecting ??= Task.Run(ConnectOnceAsync);
            connecting = _connecting;
        }

        return WaitAsync(connecting, cancellationToken);
    }

    private async Task<Connection> ConnectOnceAsync()
    {
        SetState(BridgeConnectionState.Connecting, null);
        try
        {
            Connection connection = await OpenWithLaunchAsync().ConfigureAwait(false);
            lock (_gate)
            {
                if (_disposed.IsCancellationRequested)
                {
                    connection.Close(new BridgeException(ErrorCodes.Disconnected, "The client was closed."));
                    throw new ObjectDisposedException(nameof(BridgeClient));
                }

                _connection = connection;
                _connecting = null;
                _permanentFailure = false;
            }

            SetState(BridgeConnectionState.Connected, null);
            return connection;
        }
        catch (Exception ex)
        {
            var error = ex as BridgeException ?? new BridgeException(ErrorCodes.Disconnected, ex.Message, ex);
            lock (_gate)
            {
                _connecting = null;
                _permanentFailure = error.Code is ErrorCodes.VersionMismatch or ErrorCodes.AccessDenied or ErrorCodes.CallerRefused;
            }

            SetState(BridgeConnectionState.Disconnected, error);
            StartReconnecting();
            if (ex is BridgeException or ObjectDisposedException)
            {
                throw;
            }

            throw error;
        }
    }

    private async Task<Connection> OpenWithLaunchAsync()
    {
        try
        {
            return await OpenAsync(_options.ConnectTimeout).ConfigureAwait(false);
        }
        catch (BridgeException ex) when (ex.Code == ErrorCodes.AgentNotRunning && _options.AgentLauncher is not null)
        {
            if (!TryClaimLaunch())
            {
                throw;
            }

            _options.AgentLauncher.Launch(_endpoint);
            var waited = Stopwatch.StartNew();
            while (true)
            {
                try
                {
                    return await OpenAsync(TimeSpan.FromMilliseconds(500)).ConfigureAwait(false);
                }
                catch (BridgeException retry) when (retry.Code == ErrorCodes.AgentNotRunning && waited.Elapsed < _options.AgentStartTimeout)
                {
                    await Task.Delay(50, _disposed.Token).ConfigureAwait(false);
                }
                catch (BridgeException retry) when (retry.Code == ErrorCodes.AgentNotRunning)
                {
                    throw new BridgeException(
                        ErrorCodes.AgentStartFailed,
                        $"The agent was started but did not answer within {_options.AgentStartTimeout.TotalSeconds:0} s.",
                        retry);
                }
            }
        }
    }

    /// <summary>Starting the agent more often than its start timeout would only pile up processes that exit as duplicates.</summary>
    private bool TryClaimLaunch()
    {
        long now = Stopwatch.GetTimestamp();
        long last = Interlocked.Read(ref _lastLaunchTimestamp);
        long spacing = (long)(_options.AgentStartTimeout.TotalSeconds * Stopwatch.Frequency);
        return (last == 0 || now - last >= spacing) && Interlocked.CompareExchange(ref _lastLaunchTimestamp, now, last) == last;
    }

    private async Task<Connection> OpenAsync(TimeSpan timeout)
    {
        if (!await AgentEndpointExistsAsync(_endpoint).ConfigureAwait(false))
        {
            // Answer at once rather than retrying until the timeout, as the pipe client would.
            throw new BridgeException(ErrorCodes.AgentNotRunning, $"No agent is listening on {_endpoint}.");
        }

        var options = PipeOptions.Asynchronous | (RuntimeHasCurrentUserOnly ? (PipeOptions)CurrentUserOnly : PipeOptions.None);
        var pipe = new NamedPipeClientStream(".", _endpoint.PipeName, PipeDirection.InOut, options);
        try
        {
            try
            {
                await pipe.ConnectAsync((int)timeout.TotalMilliseconds, _disposed.Token).ConfigureAwait(false);
            }
            catch (TimeoutException ex)
            {
                throw new BridgeException(ErrorCodes.AgentNotRunning, $"No agent answered on {_endpoint} within {timeout.TotalMilliseconds:0} ms.", ex);
            }
            catch (IOException ex)
            {
                throw new BridgeException(ErrorCodes.AgentNotRunning, $"No agent answered on {_endpoint}: {ex.Message}", ex);
            }
            catch (UnauthorizedAccessException ex)
            {
                throw new BridgeException(ErrorCodes.AccessDenied, $"The pipe {_endpoint} belongs to another user or refused this one: {ex.Message}", ex);
            }
            catch (System.Net.Sockets.SocketException ex) when (ex.SocketErrorCode == System.Net.Sockets.SocketError.AccessDenied)
            {
                // Unix: the socket's folder or file is another user's.
                throw new BridgeException(ErrorCodes.AccessDenied, $"The socket {_endpoint} belongs to another user: {ex.Message}", ex);
            }
            catch (System.Net.Sockets.SocketException ex)
            {
                throw new BridgeException(ErrorCodes.AgentNotRunning, $"No agent answered on {_endpoint}: {ex.Message}", ex);
            }

            try
            {
                _options.VerifyServer?.Invoke(pipe);
            }
            catch (UnauthorizedAccessException ex)
            {
                throw new BridgeException(ErrorCodes.AccessDenied, $"The process serving {_endpoint} is not this user's agent: {ex.Message}", ex);
            }

            var connection = new Connection(this, pipe);
            pipe = null;
            Volatile.Write(ref _handshaking, connection);
            try
            {
                await connection.HandshakeAsync(timeout).ConfigureAwait(false);
            }
            finally
            {
                Volatile.Write(ref _handshaking, null);
            }

            return connection;
        }
        finally
        {
            pipe?.Dispose();
        }
    }

    /// <summary>
    /// A Windows pipe reported missing is looked for twice more, <see cref="MissingPipeRecheck"/> apart, before the
    /// agent is called absent: under Wine a running agent's pipe was once reported missing (ERROR_FILE_NOT_FOUND from
    /// WaitNamedPipe) while two of its listeners were waiting, and the caller would have started a second agent or told
    /// the user none runs. A missing agent costs 100 ms more; a socket file's absence is certain at the first look.
    /// </summary>
    private static async Task<bool> AgentEndpointExistsAsync(BridgeEndpoint endpoint)
    {
        for (int look = 1; ; look++)
        {
            if (AgentEndpointExists(endpoint))
            {
                return true;
            }

            if (endpoint.IsUnixSocket || look == MissingPipeLooks)
            {
                return false;
            }

            await Task.Delay(MissingPipeRecheck).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// False only when the endpoint certainly does not exist: no socket file, or (Windows) no pipe of that name.
    /// WaitNamedPipe answers without connecting, so no server instance is used up by asking.
    /// </summary>
    private static bool AgentEndpointExists(BridgeEndpoint endpoint)
    {
        if (endpoint.IsUnixSocket)
        {
            if (File.Exists(endpoint.PipeName))
            {
                return true;
            }

            string? folder = endpoint.SocketDirectory;
            if (folder is null || !Directory.Exists(folder))
            {
                return false;
            }

            try
            {
                // A folder this user may list really lacks the socket; one it may not enter belongs to someone
                // else, and only the connect can say so (access denied rather than not running).
                _ = Directory.GetFileSystemEntries(folder);
                return false;
            }
            catch (UnauthorizedAccessException)
            {
                return true;
            }
        }

        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            return true;
        }

        const int ErrorFileNotFound = 2;
        return WaitNamedPipe(@"\\.\pipe\" + endpoint.PipeName, 1) || Marshal.GetLastWin32Error() != ErrorFileNotFound;
    }

    [DllImport("kernel32.dll", EntryPoint = "WaitNamedPipeW", CharSet = CharSet.Unicode, SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static extern bool WaitNamedPipe(string name, int timeoutMs);

    private void OnConnectionClosed(Connection connection, BridgeException reason)
    {
        lock (_gate)
        {
            if (!ReferenceEquals(_connection, connection))
            {
                return;
            }

            _connection = null;
            _permanentFailure = reason.Code is ErrorCodes.VersionMismatch or ErrorCodes.CallerRefused;
        }

        SetState(BridgeConnectionState.Disconnected, reason);
        StartReconnecting();
    }

    private void StartReconnecting()
    {
        lock (_gate)
        {
            if (!_options.KeepConnected || _permanentFailure || _disposed.IsCancellationRequested || _reconnecting is not null)
            {
                return;
            }

            _reconnecting = Task.Run(ReconnectLoopAsync);
        }
    }

    private async Task ReconnectLoopAsync()
    {
        var random = new Random();
        double delayMs = 25;
        try
        {
            while (!_disposed.IsCancellationRequested)
            {
                int jitter = random.Next(0, (int)(delayMs / 4) + 1);
                await Task.Delay(TimeSpan.FromMilliseconds(delayMs + jitter), _disposed.Token).ConfigureAwait(false);
                lock (_gate)
                {
                    if (_connection is { IsOpen: true } || _permanentFailure)
                    {
                        return;
                    }
                }

                try
                {
                    await EnsureConnectedAsync(_disposed.Token).ConfigureAwait(false);
                    return;
                }
                catch (BridgeException)
                {
                    delayMs = Math.Min(delayMs * 2, _options.ReconnectMaxDelay.TotalMilliseconds);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        finally
        {
            lock (_gate)
            {
                _reconnecting = null;
            }
        }
    }

    private void SetState(BridgeConnectionState state, BridgeException? error)
    {
        lock (_gate)
        {
            if (_state == state && error is null)
            {
                return;
            }

            _state = state;
        }

        StateChanged?.Invoke(this, new ConnectionStateChangedEventArgs(state, error));
    }

    /// <summary>Fails requests past their deadline; the timer sleeps while nothing is pending, so an idle add-in costs no wake-ups.</summary>
    private void SweepTimeouts()
    {
        long now = Stopwatch.GetTimestamp();
        bool waiting = (_connection?.FailExpired(now) ?? false) | (Volatile.Read(ref _handshaking)?.FailExpired(now) ?? false);
        if (!waiting)
        {
            Volatile.Write(ref _sweepArmed, 0);
            ChangeSweep(Timeout.Infinite);
            if ((_connection?.HasPending ?? false) || (Volatile.Read(ref _handshaking)?.HasPending ?? false))
            {
                ArmTimeoutSweep(); // A request arrived while the timer was being stopped.
            }
        }
    }

    private void ArmTimeoutSweep()
    {
        if (Interlocked.Exchange(ref _sweepArmed, 1) == 0)
        {
            ChangeSweep(100);
        }
    }

    private void ChangeSweep(int periodMs)
    {
        try
        {
            _timeoutSweep.Change(periodMs, periodMs);
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private void RaiseEvent(string kind, byte[] body) => EventReceived?.Invoke(this, new BridgeEventArgs(kind, body));

    /// <summary>
    /// A reply awaited by one request. The reader reads the reply into it (<see cref="Accept"/>, while the frame's
    /// bytes are valid) and a pool thread later hands it to the caller (<see cref="Publish"/>), so that no caller's
    /// code ever runs on the reader.
    /// </summary>
    private interface IPendingReply
    {
        long Deadline { get; }

        void Accept(in IncomingMessage message);

        void Publish();

        void Fail(Exception error);
    }

    /// <summary>
    /// The request's task itself (no second object). Continuations run synchronously, on the pool thread that
    /// publishes the batch of replies this one arrived in (<see cref="Connection.PublishBatch"/>): one thread hop per
    /// read instead of one per reply, and still none on the reader.
    /// </summary>
    private sealed class PendingReply<T> : TaskCompletionSource<T>, IPendingReply
    {
        private readonly IMessagePackFormatter<T> _formatter;
        private T? _result;
        private Exception? _error;

        public PendingReply(IMessagePackFormatter<T> formatter, long deadline)
        {
            _formatter = formatter;
            Deadline = deadline;
        }

        public long Deadline { get; }

        public void Accept(in IncomingMessage message)
        {
            if (message.Error is { } error)
            {
                _error = new BridgeException(error.Code, error.Message);
                return;
            }

            try
            {
                _result = message.ReadBody(_formatter);
            }
            catch (BridgeException ex)
            {
                _error = ex;
            }
        }

        public void Publish()
        {
            if (_error is null)
            {
                TrySetResult(_result!);
            }
            else
            {
                TrySetException(_error);
            }
        }

        /// <summary>Failures come from timers, cancellation and closing, which may run on a caller's thread: handed to the pool too.</summary>
        public void Fail(Exception error) => ThreadPool.UnsafeQueueUserWorkItem(
            static state =>
            {
                var (self, failure) = ((PendingReply<T>, Exception))state!;
                if (failure is OperationCanceledException cancelled)
                {
                    self.TrySetCanceled(cancelled.CancellationToken);
                }
                else
                {
                    self.TrySetException(failure);
                }
            },
            (this, error));
    }

    /// <summary>One pipe connection: its reader loop, its outbox and the requests awaiting replies on it.</summary>
    private sealed class Connection : IDisposable
    {
        private readonly BridgeClient _owner;
        private readonly PipeStream _pipe;
        private readonly FrameReader _reader;
        private readonly FrameOutbox _outbox;
        private readonly ConcurrentDictionary<long, IPendingReply> _pending = new();
        private readonly Task _readLoop;
        private long _nextId;
        private int _inFlight;
        private int _closed;
        private BridgeException? _closeReason;

        public Connection(BridgeClient owner, PipeStream pipe)
        {
            _owner = owner;
            _pipe = pipe;
            _reader = new FrameReader(pipe, owner._options.MaxFrameBytes);
            _outbox = new FrameOutbox(pipe, owner._options.MaxFrameBytes);
            _readLoop = Task.Run(ReadLoopAsync);
        }

        public bool IsOpen => Volatile.Read(ref _closed) == 0;

        public bool HasPending => Volatile.Read(ref _inFlight) > 0;

        public Welcome? Welcome { get; private set; }

        public async Task HandshakeAsync(TimeSpan timeout)
        {
            var options = _owner._options;
            var hello = new Hello
            {
                ProtocolVersion = options.ProtocolVersion,
                MinProtocolVersion = options.MinProtocolVersion,
                ClientName = options.ClientName,
                ClientVersion = options.ClientVersion,
                Capabilities = new List<string>(options.Capabilities),
            };

            try
            {
                Welcome = await RequestAsync(MessageKinds.Hello, hello, BridgeWire.Default.Hello, BridgeWire.Default.Welcome, timeout, CancellationToken.None).ConfigureAwait(false);
                if (options.EventKinds.Count > 0)
                {
                    var subscribe = new SubscribeRequest { Kinds = new List<string>(options.EventKinds) };
                    await RequestAsync(MessageKinds.Subscribe, subscribe, BridgeWire.Default.SubscribeRequest, BridgeWire.Default.SubscribeReply, timeout, CancellationToken.None).ConfigureAwait(false);
                }
            }
            catch (BridgeException ex)
            {
                Close(ex);
                throw;
            }
        }

        /// <summary>
        /// Queues the request and returns its reply's task. The common case (connected, no token, others in flight or
        /// the write done at once) allocates no state machine: only the pending reply, which is the task.
        /// </summary>
        public Task<TReply> RequestAsync<TRequest, TReply>(
            string kind,
            TRequest body,
            IMessagePackFormatter<TRequest> requestFormatter,
            IMessagePackFormatter<TReply> replyFormatter,
            TimeSpan timeout,
            CancellationToken cancellationToken)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return Task.FromCanceled<TReply>(cancellationToken);
            }

            long id = Interlocked.Increment(ref _nextId);
            long deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
            var pending = new PendingReply<TReply>(replyFormatter, deadline);
            _pending[id] = pending;
            bool alone = Interlocked.Increment(ref _inFlight) == 1;
            if (!IsOpen)
            {
                Take(id);
                return Task.FromException<TReply>(CloseReason());
            }

            _owner.ArmTimeoutSweep();
            Task flush;
            try
            {
                _outbox.Enqueue(MessageType.Request, id, kind, body, requestFormatter);
                if (alone)
                {
                    // A lone request goes out now: the lowest latency.
                    flush = _outbox.FlushAsync();
                }
                else
                {
                    // Others are in flight: share one write with every request queued before it happens.
                    _outbox.ScheduleFlush();
                    flush = Task.CompletedTask;
                }
            }
            catch (BridgeException ex)
            {
                return FailedSendAsync<TReply>(ex, id);
            }

            return flush.Status == TaskStatus.RanToCompletion && !cancellationToken.CanBeCanceled
                ? pending.Task
                : AwaitSentAndReplyAsync(flush, pending, id, cancellationToken);
        }

        private async Task<TReply> AwaitSentAndReplyAsync<TReply>(Task flush, PendingReply<TReply> pending, long id, CancellationToken cancellationToken)
        {
            try
            {
                await flush.ConfigureAwait(false);
            }
            catch (BridgeException ex)
            {
                return await FailedSendAsync<TReply>(ex, id).ConfigureAwait(false);
            }

            if (!cancellationToken.CanBeCanceled)
            {
                return await pending.Task.ConfigureAwait(false);
            }

            using (cancellationToken.Register(() => Take(id)?.Fail(new OperationCanceledException(cancellationToken))))
            {
                return await pending.Task.ConfigureAwait(false);
            }
        }

        private async Task<TReply> FailedSendAsync<TReply>(BridgeException ex, long id)
        {
            Take(id);
            if (ex.Code == ErrorCodes.Disconnected)
            {
                // The agent may have said why it hung up (a refused caller, say) in a frame not read yet.
                await Task.WhenAny(_readLoop, Task.Delay(1000, CancellationToken.None)).ConfigureAwait(false);
                Close(ex);
                throw CloseReason();
            }

            throw ex;
        }

        /// <summary>Fails the requests past their deadline; true while others are still waiting.</summary>
        public bool FailExpired(long now)
        {
            if (!HasPending)
            {
                return false;
            }

            foreach (KeyValuePair<long, IPendingReply> entry in _pending)
            {
                if (entry.Value.Deadline <= now)
                {
                    Take(entry.Key)?.Fail(new BridgeException(ErrorCodes.Timeout, "The agent did not answer in time."));
                }
            }

            return HasPending;
        }

        /// <summary>Removes a request from those awaiting replies; every removal goes through here so the count stays true.</summary>
        private IPendingReply? Take(long id)
        {
            if (_pending.TryRemove(id, out IPendingReply? pending))
            {
                Interlocked.Decrement(ref _inFlight);
                return pending;
            }

            return null;
        }

        public void Dispose() => Close(new BridgeException(ErrorCodes.Disconnected, "The connection was closed."));

        public void Close(BridgeException reason)
        {
            if (Interlocked.Exchange(ref _closed, 1) != 0)
            {
                return;
            }

            _closeReason ??= reason;
            _outbox.Dispose();
            _pipe.Dispose();
            foreach (long id in _pending.Keys)
            {
                Take(id)?.Fail(CloseReason());
            }

            _owner.OnConnectionClosed(this, CloseReason());
        }

        private BridgeException CloseReason() => _closeReason ?? new BridgeException(ErrorCodes.Disconnected, "The connection to the agent was lost.");

        private async Task ReadLoopAsync()
        {
            BridgeException reason = new(ErrorCodes.Disconnected, "The agent closed the connection.");
            try
            {
                while (true)
                {
                    ReadOnlyMemory<byte>? frame = await _reader.ReadFrameAsync().ConfigureAwait(false);
                    if (frame is null)
                    {
                        break;
                    }

                    var answered = new List<IPendingReply>();
                    Dispatch(Envelope.Parse(frame.Value), answered);
                    while (_reader.TryReadBufferedFrame(out ReadOnlyMemory<byte> buffered))
                    {
                        Dispatch(Envelope.Parse(buffered), answered);
                    }

                    // Every reply of this read reaches its caller on this thread, now, and the reading goes on from a
                    // pool work item queued first: a caller that blocks in its continuation holds up the replies after
                    // it in this read, never the reader. The hop is the reader's, off the reply's path.
                    if (answered.Count > 0)
                    {
                        await new ReadOnElsewhere(answered);
                    }
                }
            }
            catch (ProtocolViolationException ex) when (ex.PeerSpeaksJson)
            {
                reason = new BridgeException(ErrorCodes.VersionMismatch, LegacyJson.MismatchSentence(agentSide: false), ex);
            }
            catch (ProtocolViolationException ex)
            {
                reason = new BridgeException(ex.Code, $"The agent sent something unreadable: {ex.Message}", ex);
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
            {
            }

            Close(reason);
        }

        /// <summary>
        /// Hands a read's replies to their callers in the order they arrived. Their continuations run here: a caller
        /// that blocks in one delays only the replies after it in the same read, never the reader or a later read.
        /// </summary>
        internal static void PublishBatch(List<IPendingReply> answered)
        {
            foreach (IPendingReply reply in answered)
            {
                reply.Publish();
            }
        }

        /// <summary>
        /// Awaited by the read loop after a read with replies: the loop's continuation is queued to the pool (an idle
        /// worker takes it, or this thread once it is done), and then the replies are published on the current thread. A reply thus reaches its caller with no
        /// thread hop on the way, and a caller's code still never runs on, or blocks, the reading.
        /// </summary>
        private readonly struct ReadOnElsewhere : ICriticalNotifyCompletion
        {
            private readonly List<IPendingReply> _answered;

            public ReadOnElsewhere(List<IPendingReply> answered) => _answered = answered;

            public bool IsCompleted => false;

            public ReadOnElsewhere GetAwaiter() => this;

            public void GetResult()
            {
            }

            public void OnCompleted(Action continuation) => throw new NotSupportedException("Awaited only by the read loop.");

            public void UnsafeOnCompleted(Action continuation)
            {
                ThreadPool.UnsafeQueueUserWorkItem(static next => ((Action)next!)(), continuation);
                PublishBatch(_answered);
            }
        }

        private void Dispatch(in IncomingMessage message, List<IPendingReply> answered)
        {
            switch (message.Type)
            {
                case MessageType.Response:
                    if (Take(message.Id) is { } pending)
                    {
                        pending.Accept(message);
                        answered.Add(pending);
                    }

                    break;

                case MessageType.Event:
                    _owner.RaiseEvent(message.Kind!, message.Body.ToArray());
                    break;

                case MessageType.Error when message.Error is { } error:
                    // The agent explains why it is about to hang up (refused caller, version, timeout).
                    _closeReason = new BridgeException(error.Code, error.Message);
                    if (message.Id != 0)
                    {
                        Take(message.Id)?.Fail(_closeReason);
                    }

                    break;
            }
        }
    }
}
