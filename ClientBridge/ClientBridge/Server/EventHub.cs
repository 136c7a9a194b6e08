using System.Collections.Frozen;
using System.Collections.Generic;
using MessagePack.Formatters;
using ClientBridge.Protocol;
using ClientBridge.Protocol.Framing;

namespace ClientBridge.Server;

/// <summary>Pushes events to the sessions subscribed to their kind; each event is serialized once for all of them.</summary>
public sealed class EventHub
{
    /// <summary>Event kinds this agent publishes.</summary>
    public static readonly FrozenSet<string> Published = new[]
    {
        MessageKinds.CalendarChangedEvent,
        MessageKinds.SignInChangedEvent,
        MessageKinds.MeetingChangedEvent,
    }.ToFrozenSet();

    private readonly SessionRegistry _sessions;

    public EventHub(SessionRegistry sessions) => _sessions = sessions;

    public int Publish<T>(string kind, T body, IMessagePackFormatter<T> formatter)
    {
        byte[]? frame = null;
        int delivered = 0;
        foreach (ClientSession session in _sessions.Snapshot())
        {
            if (!session.IsSubscribed(kind))
            {
                continue;
            }

            frame ??= FrameOutbox.Encode(MessageType.Event, 0, kind, body, formatter);
            if (session.SendEncoded(frame))
            {
                delivered++;
            }
        }

        return delivered;
    }

    public static List<string> Filter(IEnumerable<string> requested)
    {
        var kinds = new List<string>();
        foreach (string kind in requested)
        {
            if (Published.Contains(kind) && !kinds.Contains(kind))
            {
                kinds.Add(kind);
            }
        }

        return kinds;
    }
}
