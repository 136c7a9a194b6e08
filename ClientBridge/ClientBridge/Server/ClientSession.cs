using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Pipes;
using MessagePack.Formatters;
using System.Threading;
using System.Threading.Tasks;
using ClientBridge.Protocol;
using ClientBridge.Protocol.Framing;
using Microsoft.Extensions.Logging;

namespace ClientBridge.Server;

/// <summary>
/// One connected client: its handshake, its reader loop and its outbox. Whatever the client sends, the worst
/// outcome is an error reply or this session closing; no exception leaves <see cref="RunAsync"/>.
/// </summary>
public sealed partial class ClientSession : IDisposable
{
    /// <summary>The session's thread parses, routes and answers; it never needs the default stack of megabytes.</summary>
    private const int SessionStackBytes = 256 * 1024;

    private readonly NamedPipeServerStream _pipe;
    private readonly BridgeServerOptions _options;
    private readonly RequestRouter _router;
    private readonly AgentInfo _agent;
    private readonly IdleMemoryTrimmer _trimmer;
    private readonly ILogger _logger;
    private readonly FrameReader _reader;
    private readonly FrameOutbox _outbox;
    private readonly CancellationTokenSource _closing = new();
    private readonly long _connectedAt = Environment.TickCount64;
    private volatile string[] _subscriptions = [];
    private int _consecutiveBadFrames;
    private int _closed;

    public ClientSession(long id, NamedPipeServerStream pipe, BridgeServerOptions options, RequestRouter router, AgentInfo agent, IdleMemoryTrimmer trimmer, ILogger logger)
    {
        Id = id;
        _pipe = pipe;
        _options = options;
        _router = router;
        _agent = agent;
        _trimmer = trimmer;
        _logger = logger;
        _reader = new FrameReader(pipe, options.MaxFrameBytes);
        _outbox = new FrameOutbox(pipe, options.MaxFrameBytes);
    }

    public long Id { get; }

    /// <summary>The name the client gave in its hello; empty before it.</summary>
    public string ClientName { get; private set; } = string.Empty;

    /// <summary>The client is an Outlook add-in that Outlook does not trust (its Hello said so).</summary>
    public bool OutlookUntrusted { get; private set; }

    public bool IsHandshaken { get; private set; }

    /// <summary>Cancelled when the session closes, so that slow work for a vanished client stops.</summary>
    public CancellationToken Closing => _closing.Token;

    public bool IsSubscribed(string kind) => Array.IndexOf(_subscriptions, kind) >= 0;

    public void Subscribe(IReadOnlyCollection<string> kinds) => _subscriptions = [.. kinds];

    /// <summary>Serves the client until it leaves, misbehaves past forgiving, or the agent stops.</summary>
    public async Task RunAsync(IConnectionAuthorizer authorizer, SessionRegistry sessions)
    {
        ArgumentNullException.ThrowIfNull(authorizer);
        ArgumentNullException.ThrowIfNull(sessions);
        try
        {
            BridgeError? refusal = authorizer.Authorize(_pipe);
            if (refusal is null && sessions.Count > _options.MaxClients)
            {
                refusal = new BridgeError { Code = ErrorCodes.TooManyClients, Message = $"The agent already serves {_options.MaxClients} clients; try again later." };
            }

            if (refusal is not null)
            {
                await SendFinalErrorAsync(refusal).ConfigureAwait(false);
                return;
            }

            ProtocolViolationException? violation = await ServeOnOwnThreadAsync().ConfigureAwait(false);
            if (violation is not null)
            {
                LogDropped(_logger, Id, violation.Code);
                await SendFinalErrorAsync(violation.ToError()).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException or BridgeException)
        {
            // The client went away before it was served; nothing more to tell it.
        }
        finally
        {
            Dispose();
        }
    }

    /// <summary>
    /// Runs the read loop on a thread of its own, blocking in the read: the kernel wakes that thread when a
    /// request arrives, where an asynchronous read went from the socket engine's thread to a pool thread first
    /// (two hand-offs, and pool workers spinning, per read). Closing the session closes the pipe, which ends the read.
    /// </summary>
    private Task<ProtocolViolationException?> ServeOnOwnThreadAsync()
    {
        var done = new TaskCompletionSource<ProtocolViolationException?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(
            static state =>
            {
                var (self, done) = ((ClientSession, TaskCompletionSource<ProtocolViolationException?>))state!;
                try
                {
                    done.SetResult(self.Serve());
                }
                catch (Exception ex)
                {
                    // As the asynchronous loop did: the session's task fails, the thread (and the agent) goes on.
                    done.SetException(ex);
                }
            },
            SessionStackBytes)
        {
            IsBackground = true,
            Name = "bridge session",
        };
        thread.Start((this, done));
        return done.Task;
    }

    private ProtocolViolationException? Serve()
    {
        try
        {
            while (Volatile.Read(ref _closed) == 0)
            {
                ReadOnlyMemory<byte>? frame = _reader.ReadFrame();
                if (frame is null)
                {
                    break;
                }

                _trimmer.NoteActivity();
                HandleFrame(frame.Value);
                while (Volatile.Read(ref _closed) == 0 && _reader.TryReadBufferedFrame(out ReadOnlyMemory<byte> buffered))
                {
                    HandleFrame(buffered);
                }

                // One write answers every request that arrived in the same read.
                _outbox.Flush();
            }
        }
        catch (ProtocolViolationException ex)
        {
            return ex;
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException or BridgeException or System.Net.Sockets.SocketException)
        {
            // The client went away, or stopped reading its replies; nothing more to tell it.
        }

        return null;
    }

    /// <summary>Called by the watchdog: closes a session whose frame has stalled or that never said hello.</summary>
    public void CheckDeadlines()
    {
        if (Volatile.Read(ref _closed) != 0)
        {
            return;
        }

        if (_reader.PartialFrameAge > _options.FrameTimeout)
        {
            LogDropped(_logger, Id, ErrorCodes.FrameTimeout);
            _ = SendFinalErrorAsync(new BridgeError { Code = ErrorCodes.FrameTimeout, Message = $"A frame was started but not finished within {_options.FrameTimeout.TotalSeconds:0.#} s." });
        }
        else if (!IsHandshaken && Environment.TickCount64 - _connectedAt > _options.HandshakeTimeout.TotalMilliseconds)
        {
            LogDropped(_logger, Id, ErrorCodes.HandshakeRequired);
            _ = SendFinalErrorAsync(new BridgeError { Code = ErrorCodes.HandshakeRequired, Message = $"No hello arrived within {_options.HandshakeTimeout.TotalSeconds:0.#} s." });
        }
    }

    public void EnqueueReply<T>(long id, string kind, T body, IMessagePackFormatter<T> formatter)
    {
        try
        {
            _outbox.Enqueue(MessageType.Response, id, kind, body, formatter);
        }
        catch (BridgeException ex) when (ex.Code == ErrorCodes.FrameTooLarge)
        {
            _outbox.EnqueueError(MessageType.Response, id, kind, ex.ToError());
        }
    }

    /// <summary>Sends a reply once slow work finishes, outside the reader loop's batch.</summary>
    public void ReplyWhenDone<T>(long id, string kind, Task<T> work, IMessagePackFormatter<T> formatter)
    {
        ArgumentNullException.ThrowIfNull(work);
        _ = CompleteAsync();

        async Task CompleteAsync()
        {
            try
            {
                T body = await work.ConfigureAwait(false);
                EnqueueReply(id, kind, body, formatter);
            }
            catch (BridgeException ex)
            {
                TryEnqueueError(id, kind, ex.ToError());
            }
            catch (OperationCanceledException) when (_closing.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogHandlerFailed(_logger, ex, kind);
                TryEnqueueError(id, kind, InternalError(kind));
            }

            try
            {
                await _outbox.FlushAsync().ConfigureAwait(false);
            }
            catch (BridgeException)
            {
                Dispose();
            }
        }
    }

    /// <summary>Queues an already encoded event frame; false when this session is closed or too far behind (it is then dropped).</summary>
    public bool SendEncoded(byte[] frame)
    {
        try
        {
            _outbox.EnqueueEncoded(frame);
            _ = FlushOrCloseAsync();
            return true;
        }
        catch (BridgeException)
        {
            Dispose();
            return false;
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        _closing.Cancel();
        _outbox.Dispose();
        _pipe.Dispose();
    }

    private static BridgeError InternalError(string kind) =>
        new() { Code = ErrorCodes.Internal, Message = $"The agent failed to handle '{kind}'; the agent's log has the details." };

    private void HandleFrame(ReadOnlyMemory<byte> payload)
    {
        IncomingMessage message;
        try
        {
            message = Envelope.Parse(payload);
        }
        catch (ProtocolViolationException ex) when (ex.PeerSpeaksJson)
        {
            // A client of protocol 1 reads JSON only: tell it in JSON why it cannot be served, then hang up.
            LogVersionMismatch(_logger, Id, BridgeProtocol.LastJsonVersion, BridgeProtocol.Version);
            try
            {
                _outbox.EnqueueEncoded(LegacyJson.EncodeError(ex.ToError()));
            }
            catch (BridgeException)
            {
            }

            _ = SendFinalErrorAsync(null);
            return;
        }
        catch (ProtocolViolationException ex)
        {
            TryEnqueueError(0, null, ex.ToError(), MessageType.Error);
            if (++_consecutiveBadFrames >= _options.MaxConsecutiveBadFrames)
            {
                LogDropped(_logger, Id, ex.Code);
                Dispose();
            }

            return;
        }

        _consecutiveBadFrames = 0;
        if (message.Type != MessageType.Request)
        {
            TryEnqueueError(message.Id, message.Kind, new BridgeError { Code = ErrorCodes.InvalidEnvelope, Message = "The agent accepts only requests." }, MessageType.Error);
            return;
        }

        string kind = message.Kind!;
        try
        {
            if (kind == MessageKinds.Hello)
            {
                HandleHello(message);
            }
            else if (!IsHandshaken)
            {
                throw new BridgeException(ErrorCodes.HandshakeRequired, "Say hello first: the first request on a connection must be 'hello'.");
            }
            else
            {
                _router.Find(kind).Handle(this, message);
            }
        }
        catch (BridgeException ex)
        {
            TryEnqueueError(message.Id, kind, ex.ToError());
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogHandlerFailed(_logger, ex, kind);
            TryEnqueueError(message.Id, kind, InternalError(kind));
        }
    }

    private void HandleHello(in IncomingMessage message)
    {
        if (IsHandshaken)
        {
            throw new BridgeException(ErrorCodes.BadRequest, "This connection has already said hello.");
        }

        Hello hello = message.ReadBody(BridgeWire.Default.Hello);
        int agreed = Math.Min(hello.ProtocolVersion, BridgeProtocol.Version);
        if (agreed < Math.Max(hello.MinProtocolVersion, BridgeProtocol.MinSupportedVersion) || hello.MinProtocolVersion > hello.ProtocolVersion)
        {
            var mismatch = new BridgeError
            {
                Code = ErrorCodes.VersionMismatch,
                Message = $"{Describe(hello.ClientName)} speaks bridge protocol {hello.MinProtocolVersion}–{hello.ProtocolVersion}, but this agent ({_agent.Version}) "
                    + $"speaks {BridgeProtocol.MinSupportedVersion}–{BridgeProtocol.Version}. Install matching versions of the add-in and the agent.",
            };
            LogVersionMismatch(_logger, Id, hello.ProtocolVersion, BridgeProtocol.Version);
            _outbox.EnqueueError(MessageType.Response, message.Id, MessageKinds.Hello, mismatch);
            _ = SendFinalErrorAsync(null);
            return;
        }

        ClientName = SanitizeName(hello.ClientName);
        OutlookUntrusted = hello.Capabilities?.Contains(BridgeProtocol.OutlookUntrustedCapability) == true;
        IsHandshaken = true;
        var capabilities = new List<string>(_router.Kinds) { "events" };
        EnqueueReply(message.Id, MessageKinds.Hello, new Welcome
        {
            ProtocolVersion = agreed,
            AgentVersion = _agent.Version,
            Capabilities = capabilities,
            SessionId = Id,
            AgentProcessId = Environment.ProcessId,
            CalendarDaysAhead = _agent.CalendarDaysAhead(),
        }, BridgeWire.Default.Welcome);
        LogHello(_logger, Id, ClientName, agreed);
    }

    private static string Describe(string clientName) => string.IsNullOrWhiteSpace(clientName) ? "The client" : SanitizeName(clientName);

    /// <summary>Client names reach the log and status; keep them short and printable.</summary>
    private static string SanitizeName(string name)
    {
        Span<char> buffer = stackalloc char[Math.Min(name?.Length ?? 0, 40)];
        int n = 0;
        foreach (char c in (name ?? string.Empty).AsSpan(0, buffer.Length))
        {
            buffer[n++] = char.IsLetterOrDigit(c) || c is '.' or '-' or '_' or ' ' ? c : '_';
        }

        return n == 0 ? "unnamed" : new string(buffer[..n]);
    }

    private void TryEnqueueError(long id, string? kind, BridgeError error, MessageType type = MessageType.Response)
    {
        try
        {
            _outbox.EnqueueError(type, id, kind, error);
        }
        catch (BridgeException)
        {
            Dispose();
        }
    }

    private async Task FlushOrCloseAsync()
    {
        try
        {
            await _outbox.FlushAsync().ConfigureAwait(false);
        }
        catch (BridgeException)
        {
            Dispose();
        }
    }

    /// <summary>Tells the client why it is being dropped (when there is a reason), then closes.</summary>
    private async Task SendFinalErrorAsync(BridgeError? error)
    {
        try
        {
            if (error is not null)
            {
                _outbox.EnqueueError(MessageType.Error, 0, null, error);
            }

            await _outbox.FlushAsync().WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is BridgeException or IOException or TimeoutException or ObjectDisposedException or InvalidOperationException)
        {
        }
        finally
        {
            Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {SessionId}: {ClientName} connected, protocol {Protocol}.")]
    private static partial void LogHello(ILogger logger, long sessionId, string clientName, int protocol);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {SessionId}: dropped ({Code}).")]
    private static partial void LogDropped(ILogger logger, long sessionId, string code);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {SessionId}: client protocol {ClientProtocol} does not match agent protocol {AgentProtocol}.")]
    private static partial void LogVersionMismatch(ILogger logger, long sessionId, int clientProtocol, int agentProtocol);

    [LoggerMessage(Level = LogLevel.Error, Message = "A '{Kind}' request failed inside the agent.")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string kind);
}
