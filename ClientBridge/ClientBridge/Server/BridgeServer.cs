using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.IO.Pipes;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ClientBridge.Server;

/// <summary>
/// Serves the pipe: keeps listeners waiting, gives each connection its own <see cref="ClientSession"/>, and runs
/// a watchdog for stalled frames and silent connections. A failure in one session never reaches another.
/// </summary>
public sealed partial class BridgeServer : IHostedService, IDisposable
{
    private readonly BridgeServerOptions _options;
    private readonly IPipeListenerFactory _listeners;
    private readonly IConnectionAuthorizer _authorizer;
    private readonly RequestRouter _router;
    private readonly SessionRegistry _sessions;
    private readonly AgentInfo _agent;
    private readonly ILogger<BridgeServer> _logger;
    private readonly ILogger<ClientSession> _sessionLogger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<ClientSession, Task> _running = new();
    private readonly List<Task> _acceptLoops = [];
    private readonly IdleMemoryTrimmer _trimmer;
    private Timer? _watchdog;

    public BridgeServer(
        BridgeServerOptions options,
        IPipeListenerFactory listeners,
        IConnectionAuthorizer authorizer,
        RequestRouter router,
        SessionRegistry sessions,
        AgentInfo agent,
        IdleMemoryTrimmer trimmer,
        ILogger<BridgeServer> logger,
        ILogger<ClientSession> sessionLogger)
    {
        _options = options;
        _listeners = listeners;
        _authorizer = authorizer;
        _router = router;
        _sessions = sessions;
        _agent = agent;
        _trimmer = trimmer;
        _logger = logger;
        _sessionLogger = sessionLogger;
    }

    /// <summary>Completes when the first listener is waiting, so that a client started next will find the agent.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _listeners.Prepare(_options.Endpoint);
        for (int i = 0; i < Math.Max(1, _options.AcceptLoops); i++)
        {
            // The first listener is created here, synchronously, so that a failure (pipe in use, folder not ours) stops startup.
            NamedPipeServerStream first = _listeners.Create(_options.Endpoint);
            _acceptLoops.Add(Task.Run(() => AcceptLoopAsync(first), CancellationToken.None));
        }

        TimeSpan tick = TimeSpan.FromMilliseconds(Math.Clamp(_options.FrameTimeout.TotalMilliseconds / 4, 50, 1000));
        _watchdog = new Timer(_ => CheckDeadlines(), null, tick, tick);
        LogListening(_logger, _options.Endpoint.PipeName, _agent.Version);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _watchdog?.Dispose();
        foreach (ClientSession session in _sessions.Snapshot())
        {
            session.Dispose();
        }

        Task all = Task.WhenAll(_acceptLoops.Concat(_running.Values));
        await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(5), cancellationToken)).ConfigureAwait(false);
        LogStopped(_logger);
    }

    /// <summary>Idempotent: the host disposes this once as itself and once as a hosted service.</summary>
    public void Dispose()
    {
        if (!_stopping.IsCancellationRequested)
        {
            _stopping.Cancel();
        }

        _watchdog?.Dispose();
    }

    private async Task AcceptLoopAsync(NamedPipeServerStream? pipe)
    {
        CancellationToken stopping = _stopping.Token;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                pipe ??= _listeners.Create(_options.Endpoint);
                await pipe.WaitForConnectionAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (UnauthorizedAccessException)
            {
                // The pipe let a process of another user reach it and .NET's CurrentUserOnly check refused it.
                LogRefusedOtherUser(_logger);
                pipe?.Dispose();
                pipe = null;
                continue;
            }
            catch (IOException ex)
            {
                LogAcceptFailed(_logger, ex.Message);
                pipe?.Dispose();
                pipe = null;
                await Task.Delay(100, CancellationToken.None).ConfigureAwait(false);
                continue;
            }

            var session = new ClientSession(_sessions.NextId(), pipe, _options, _router, _agent, _trimmer, _sessionLogger);
            pipe = null;
            _sessions.Add(session);
            _running[session] = RunSessionAsync(session);
        }

        pipe?.Dispose();
    }

    private async Task RunSessionAsync(ClientSession session)
    {
        await Task.Yield();
        try
        {
            await session.RunAsync(_authorizer, _sessions).ConfigureAwait(false);
        }
        finally
        {
            _sessions.Remove(session);
            _running.TryRemove(session, out _);
        }
    }

    private void CheckDeadlines()
    {
        foreach (ClientSession session in _sessions.Snapshot())
        {
            session.CheckDeadlines();
        }

        _trimmer.Tick();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {Version} listening on {Endpoint}.")]
    private static partial void LogListening(ILogger logger, string endpoint, string version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent stopped.")]
    private static partial void LogStopped(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a connection from another user.")]
    private static partial void LogRefusedOtherUser(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not accept a connection: {Reason}")]
    private static partial void LogAcceptFailed(ILogger logger, string reason);
}
