using System;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using ClientBridge.Protocol.Client;

namespace Benchmarks;

/// <summary>
/// The real agent as a child process on a pipe of its own in a fresh work folder (as <see cref="BridgeBenchmark"/>
/// starts it): a separate process as in production, so that its threads and collections never land in the add-in's
/// timings. Disposing stops it and removes the folder.
/// </summary>
internal sealed class AgentChild : IDisposable
{
    private readonly string _workDirectory;

    private AgentChild(string pipeName, string workDirectory, Process process, StringBuilder errors)
    {
        PipeName = pipeName;
        _workDirectory = workDirectory;
        Process = process;
        Errors = errors;
    }

    /// <summary>What <c>BridgeEndpoint.Parse</c> takes: a socket path here, a pipe name on Windows.</summary>
    public string PipeName { get; }

    public Process Process { get; }

    public StringBuilder Errors { get; }

    public static AgentChild Start(string prefix)
    {
        string id = Guid.NewGuid().ToString("N")[..8];
        string? directory = OperatingSystem.IsWindows() ? null : $"/tmp/{prefix}-{id}";
        string workDirectory = directory ?? Path.Combine(Path.GetTempPath(), $"{prefix}-{id}");
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(workDirectory);
        }
        else
        {
            Directory.CreateDirectory(workDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        string pipeName = directory is null ? $"{prefix}-{id}-agent" : $"{directory}/agent.sock";
        (Process process, StringBuilder errors) = BridgeBenchmark.StartAgent(pipeName, Path.Combine(workDirectory, "logs"));
        return new AgentChild(pipeName, workDirectory, process, errors);
    }

    /// <summary>A client of this agent, connected once the agent answers (it may still be starting).</summary>
    public async Task<BridgeClient> ConnectAsync(string clientName, Action<BridgeClientOptions>? configure, CancellationToken cancellationToken)
    {
        BridgeClientOptions options = FirstReply.ClientOptions(PipeName, clientName);
        options.RequestTimeout = TimeSpan.FromSeconds(60);
        configure?.Invoke(options);
        var client = new BridgeClient(options);
        try
        {
            await BridgeBenchmark.ConnectWhenReadyAsync(client, Process, Errors, cancellationToken);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        ChildProcesses.Stop(Process);
        try
        {
            Directory.Delete(_workDirectory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"could not remove {_workDirectory}: {ex.Message}");
        }
    }
}
