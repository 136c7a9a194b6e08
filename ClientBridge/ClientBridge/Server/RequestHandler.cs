using MessagePack.Formatters;
using System.Threading;
using System.Threading.Tasks;
using ClientBridge.Protocol.Framing;

namespace ClientBridge.Server;

/// <summary>Answers one message kind.</summary>
public interface IRequestHandler
{
    string Kind { get; }

    /// <summary>
    /// Parses the body at once (the frame's memory is reused as soon as this returns) and answers now, or later
    /// when the work is slow, without holding up the session's other requests.
    /// </summary>
    void Handle(ClientSession session, in IncomingMessage request);
}

/// <summary>A handler with a typed request and reply; a reply ready at once goes out in the current batch.</summary>
public abstract class RequestHandler<TRequest, TReply> : IRequestHandler
    where TRequest : class
{
    private readonly IMessagePackFormatter<TRequest> _requestFormatter;
    private readonly IMessagePackFormatter<TReply> _replyFormatter;
    private readonly TRequest? _whenMissing;

    protected RequestHandler(string kind, IMessagePackFormatter<TRequest> requestFormatter, IMessagePackFormatter<TReply> replyFormatter, TRequest? whenBodyMissing = null)
    {
        Kind = kind;
        _requestFormatter = requestFormatter;
        _replyFormatter = replyFormatter;
        _whenMissing = whenBodyMissing;
    }

    public string Kind { get; }

    public void Handle(ClientSession session, in IncomingMessage request)
    {
        System.ArgumentNullException.ThrowIfNull(session);
        TRequest body = request.ReadBody(_requestFormatter, _whenMissing);
        ValueTask<TReply> reply = HandleAsync(session, body, session.Closing);
        if (reply.IsCompletedSuccessfully)
        {
            session.EnqueueReply(request.Id, Kind, reply.Result, _replyFormatter);
        }
        else
        {
            session.ReplyWhenDone(request.Id, Kind, reply.AsTask(), _replyFormatter);
        }
    }

    protected abstract ValueTask<TReply> HandleAsync(ClientSession session, TRequest request, CancellationToken cancellationToken);
}
