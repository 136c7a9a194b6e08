using System;
using System.Collections.Frozen;
using System.Collections.Generic;
using System.Linq;
using ClientBridge.Protocol;

namespace ClientBridge.Server;

/// <summary>Maps message kinds to their handlers, and says plainly when a kind is unknown or not offered by this agent.</summary>
public sealed class RequestRouter
{
    /// <summary>Every kind the protocol defines, so that a known kind without a handler is told apart from nonsense.</summary>
    private static readonly FrozenSet<string> ProtocolKinds = typeof(MessageKinds)
        .GetFields()
        .Where(f => f.IsLiteral)
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToFrozenSet(StringComparer.Ordinal);

    private readonly FrozenDictionary<string, IRequestHandler> _handlers;

    public RequestRouter(IEnumerable<IRequestHandler> handlers)
    {
        _handlers = handlers.ToFrozenDictionary(h => h.Kind, StringComparer.Ordinal);
    }

    /// <summary>Kinds this agent answers, announced in the handshake.</summary>
    public IReadOnlyCollection<string> Kinds => _handlers.Keys;

    public IRequestHandler Find(string kind)
    {
        if (_handlers.TryGetValue(kind, out IRequestHandler? handler))
        {
            return handler;
        }

        throw ProtocolKinds.Contains(kind)
            ? new BridgeException(ErrorCodes.NotAvailable, $"This agent does not offer '{kind}' yet; update the agent to use it.")
            : new BridgeException(ErrorCodes.UnknownKind, $"'{kind}' is not a message this agent knows.");
    }
}
