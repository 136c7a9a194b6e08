using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;

namespace ClientBridge.Server;

/// <summary>The sessions now connected.</summary>
public sealed class SessionRegistry
{
    private readonly ConcurrentDictionary<long, ClientSession> _sessions = new();
    private long _lastId;

    public int Count => _sessions.Count;

    public long NextId() => Interlocked.Increment(ref _lastId);

    public void Add(ClientSession session) => _sessions[session.Id] = session;

    public void Remove(ClientSession session) => _sessions.TryRemove(session.Id, out _);

    public ICollection<ClientSession> Snapshot() => _sessions.Values;
}
