using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using ClientBridge.Protocol;

namespace ClientBridge.Providers.Zoom;

/// <summary>What the browser brought back to the redirect address: a code, or the error the sign-in page gave.</summary>
public sealed record AuthorizationResponse(string? Code, string? Error)
{
    public override string ToString() => Code is null ? $"AuthorizationResponse {{ Error = {Error} }}" : "AuthorizationResponse { Code = held }";
}

/// <summary>
/// The loopback redirect of RFC 8252 section 7.3: a one-shot HTTP listener on <c>http://127.0.0.1:{port}/</c>, the
/// port chosen free by the operating system. It takes only a GET of <c>/</c> whose <c>state</c> is the one this
/// sign-in sent; anything else (a wrong or missing state, another path, junk, a slow or silent connection) is
/// answered 400 or dropped, and the listener keeps waiting until the right request or the timeout.
/// </summary>
/// <remarks>
/// A raw <see cref="TcpListener"/> rather than <see cref="HttpListener"/>: binding port 0 takes a free port with no race,
/// and it needs no URL reservation on Windows. Connections are served concurrently, because browsers open
/// speculative connections that send nothing.
/// </remarks>
public sealed class LoopbackRedirectListener : IDisposable
{
    private const int MaxRequestBytes = 16 * 1024;
    private const int MaxConnections = 16;
    private static readonly TimeSpan RequestReadTimeout = TimeSpan.FromSeconds(10);

    private readonly TcpListener _listener;
    private int _connections;

    private LoopbackRedirectListener(TcpListener listener)
    {
        _listener = listener;
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        RedirectUri = new Uri($"http://127.0.0.1:{port}/");
    }

    /// <summary>The address to send as <c>redirect_uri</c>.</summary>
    public Uri RedirectUri { get; }

    public static LoopbackRedirectListener Start()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return new LoopbackRedirectListener(listener);
    }

    /// <summary>
    /// Waits for the browser to arrive with <paramref name="expectedState"/>. Throws a <see cref="BridgeException"/>
    /// (<c>signed_out</c>) when <paramref name="timeout"/> passes first; an <see cref="OperationCanceledException"/>
    /// when <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public async Task<AuthorizationResponse> WaitAsync(string expectedState, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(expectedState);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(timeout);
        var result = new TaskCompletionSource<AuthorizationResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        var served = new List<Task>();
        try
        {
            while (true)
            {
                Task<TcpClient> accept = _listener.AcceptTcpClientAsync(stop.Token).AsTask();
                if (await Task.WhenAny(accept, result.Task).ConfigureAwait(false) == result.Task)
                {
                    return await result.Task.ConfigureAwait(false);
                }

                TcpClient client = await accept.ConfigureAwait(false);
                if (Interlocked.Increment(ref _connections) > MaxConnections)
                {
                    Interlocked.Decrement(ref _connections);
                    client.Dispose();
                    continue;
                }

                served.RemoveAll(task => task.IsCompleted);
                served.Add(ServeAsync(client, expectedState, result, stop.Token));
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            if (result.Task.IsCompletedSuccessfully)
            {
                return result.Task.Result;
            }

            throw new BridgeException(
                ErrorCodes.SignedOut,
                $"Zoom sign-in did not finish within {timeout.TotalMinutes:0.#} minutes; start it again.");
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(served).ConfigureAwait(false);
        }
    }

    public void Dispose() => _listener.Dispose();

    private async Task ServeAsync(TcpClient client, string expectedState, TaskCompletionSource<AuthorizationResponse> result, CancellationToken stop)
    {
        try
        {
            using (client)
            using (var readTimeout = CancellationTokenSource.CreateLinkedTokenSource(stop))
            {
                readTimeout.CancelAfter(RequestReadTimeout);
                NetworkStream stream = client.GetStream();
                string? target = await ReadRequestTargetAsync(stream, readTimeout.Token).ConfigureAwait(false);
                if (target is null)
                {
                    await RespondAsync(stream, 400, "This is not a request the sign-in is waiting for.", readTimeout.Token).ConfigureAwait(false);
                    return;
                }

                Dictionary<string, string> query = ParseQuery(target, out string path);
                if (path != "/" || !query.TryGetValue("state", out string? state) || !StateMatches(state, expectedState))
                {
                    await RespondAsync(stream, 400, "This sign-in link is not the one ClientBridge is waiting for.", readTimeout.Token).ConfigureAwait(false);
                    return;
                }

                AuthorizationResponse response;
                string page;
                if (query.TryGetValue("code", out string? code) && code.Length > 0)
                {
                    response = new AuthorizationResponse(code, null);
                    page = "You are signed in to Zoom. You can close this window and return to Outlook.";
                }
                else
                {
                    response = new AuthorizationResponse(null, query.GetValueOrDefault("error") ?? "no_code");
                    page = "Zoom sign-in was not completed. You can close this window.";
                }

                try
                {
                    await RespondAsync(stream, 200, page, readTimeout.Token).ConfigureAwait(false);
                }
                finally
                {
                    // The code counts even when the browser went away before reading the page.
                    result.TrySetResult(response);
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // A connection that breaks or stalls is simply dropped; the listener keeps waiting.
        }
        finally
        {
            Interlocked.Decrement(ref _connections);
        }
    }

    /// <summary>Reads the request head and returns the target of a <c>GET</c>, or null for anything else.</summary>
    private static async Task<string?> ReadRequestTargetAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[MaxRequestBytes];
        int length = 0;
        while (length < buffer.Length)
        {
            int read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            length += read;
            if (buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8) >= 0)
            {
                break;
            }
        }

        int lineEnd = buffer.AsSpan(0, length).IndexOf("\r\n"u8);
        if (lineEnd < 0)
        {
            return null;
        }

        string[] parts = Encoding.ASCII.GetString(buffer, 0, lineEnd).Split(' ');
        if (parts.Length != 3 || parts[0] != "GET" || !parts[1].StartsWith('/') || !parts[2].StartsWith("HTTP/1.", StringComparison.Ordinal))
        {
            return null;
        }

        return parts[1];
    }

    private static Dictionary<string, string> ParseQuery(string target, out string path)
    {
        var query = new Dictionary<string, string>(StringComparer.Ordinal);
        int mark = target.IndexOf('?', StringComparison.Ordinal);
        path = mark < 0 ? target : target[..mark];
        if (mark < 0)
        {
            return query;
        }

        foreach (string pair in target[(mark + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            string name = Decode(equals < 0 ? pair : pair[..equals]);
            string value = equals < 0 ? string.Empty : Decode(pair[(equals + 1)..]);
            query.TryAdd(name, value);
        }

        return query;
    }

    private static string Decode(string part)
    {
        try
        {
            return Uri.UnescapeDataString(part.Replace('+', ' '));
        }
        catch (UriFormatException)
        {
            return string.Empty;
        }
    }

    private static bool StateMatches(string state, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(state), Encoding.UTF8.GetBytes(expected));

    private static async Task RespondAsync(NetworkStream stream, int status, string message, CancellationToken cancellationToken)
    {
        string body = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>ClientBridge</title></head><body><p>"
            + WebUtility.HtmlEncode(message) + "</p></body></html>";
        byte[] content = Encoding.UTF8.GetBytes(body);
        string head = $"HTTP/1.1 {status} {(status == 200 ? "OK" : "Bad Request")}\r\n"
            + "Content-Type: text/html; charset=utf-8\r\n"
            + $"Content-Length: {content.Length}\r\n"
            + "Cache-Control: no-store\r\n"
            + "Referrer-Policy: no-referrer\r\n"
            + "Connection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync(content, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
