using System;
using System.IO;
using System.IO.Pipes;
using System.Threading;
using System.Threading.Tasks;

namespace Benchmarks;

/// <summary>
/// The bare baseline's server (<c>Benchmarks echo-server SOCKET</c>): length-prefixed frames sent straight back,
/// on the same pipe API and options as the agent, with no JSON, no dispatch and no copying. Like the agent it
/// answers every frame of one read with one write. Exits when its standard input closes (the benchmark is gone).
/// </summary>
internal static class EchoServer
{
    public static async Task<int> RunAsync(string pipeName)
    {
        using var stopping = new CancellationTokenSource();
        var watchParent = new Thread(() =>
        {
            try
            {
                while (Console.In.ReadLine() is not null)
                {
                }
            }
            catch (IOException)
            {
            }

            stopping.Cancel();
        })
        { IsBackground = true, Name = "parent watch" };
        watchParent.Start();

        NamedPipeServerStream? pipe = Create(pipeName);
        Console.Out.WriteLine("ready");
        Console.Out.Flush();
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                pipe ??= Create(pipeName);
                await pipe.WaitForConnectionAsync(stopping.Token);
                _ = ServeAsync(pipe, stopping.Token);
                pipe = null;
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            pipe?.Dispose();
        }

        return 0;
    }

    /// <summary>The options the agent's Unix listener uses.</summary>
    private static NamedPipeServerStream Create(string pipeName) => new(
        pipeName,
        PipeDirection.InOut,
        NamedPipeServerStream.MaxAllowedServerInstances,
        PipeTransmissionMode.Byte,
        PipeOptions.Asynchronous | PipeOptions.CurrentUserOnly);

    private static async Task ServeAsync(NamedPipeServerStream pipe, CancellationToken stopping)
    {
        await Task.Yield();
        using (pipe)
        {
            try
            {
                var scanner = new FrameScanner(pipe);
                while (true)
                {
                    FrameBlock block = await scanner.ReadAsync(stopping);
                    if (block.Count == 0)
                    {
                        return;
                    }

                    await pipe.WriteAsync(block.Bytes, stopping);
                }
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or OperationCanceledException or ObjectDisposedException)
            {
                // The client left or broke the framing; only this connection ends.
            }
        }
    }
}

/// <summary>The benchmark's end of the bare baseline: a plain pipe client speaking the same frames.</summary>
internal sealed class BareConnection : IDisposable
{
    private BareConnection(NamedPipeClientStream pipe)
    {
        Pipe = pipe;
        Scanner = new FrameScanner(pipe);
    }

    public NamedPipeClientStream Pipe { get; }

    public FrameScanner Scanner { get; }

    /// <summary>Connects with the options <c>BridgeClient</c> uses, retrying until <paramref name="deadline"/>.</summary>
    public static async Task<BareConnection> ConnectAsync(string pipeName, TimeSpan deadline, CancellationToken cancellationToken)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var pipe = new NamedPipeClientStream(".", pipeName, PipeDirection.InOut, PipeOptions.Asynchronous | PipeOptions.CurrentUserOnly);
            try
            {
                int remaining = (int)Math.Max(1, (deadline - waited.Elapsed).TotalMilliseconds);
                await pipe.ConnectAsync(remaining, cancellationToken);
                return new BareConnection(pipe);
            }
            catch (Exception ex) when (ex is TimeoutException or IOException && waited.Elapsed < deadline)
            {
                pipe.Dispose();
                await Task.Delay(20, cancellationToken);
            }
            catch
            {
                pipe.Dispose();
                throw;
            }
        }
    }

    public void Dispose() => Pipe.Dispose();
}
