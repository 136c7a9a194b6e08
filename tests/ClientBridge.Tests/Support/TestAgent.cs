using System;
using System.IO;
using System.Threading.Tasks;
using ClientBridge.Hosting;
using ClientBridge.Policies;
using ClientBridge.Scheduling;
using ClientBridge.Protocol;
using ClientBridge.Protocol.Client;
using ClientBridge.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ClientBridge.Tests.Support;

/// <summary>The real agent host, in this process, serving a private socket in a fresh temp folder.</summary>
internal sealed class TestAgent : IAsyncDisposable
{
    private readonly IHost _host;

    private TestAgent(IHost host, BridgeEndpoint endpoint, string directory)
    {
        _host = host;
        Endpoint = endpoint;
        Directory = directory;
    }

    public BridgeEndpoint Endpoint { get; }

    public AgentSettings Settings { get; private init; } = null!;

    public string Directory { get; }

    public IServiceProvider Services => _host.Services;

    public static Task<TestAgent> StartAsync(
        Func<BridgeEndpoint, BridgeServerOptions>? options = null,
        Action<ILoggingBuilder>? logging = null,
        BridgeEndpoint? endpoint = null,
        AgentSettings? settings = null)
    {
        endpoint ??= NewEndpoint();
        return StartOnAsync(endpoint, options, logging, settings);
    }

    /// <summary>Settings whose state (the journal) lives in a fresh folder of its own, removed with the agent.</summary>
    public static AgentSettings NewSettings() =>
        NewSettings(Path.Combine(Path.GetTempPath(), "cbt-state-" + Guid.NewGuid().ToString("N")[..10]));

    // The settings file in the same throw-away folder: a test never reads or writes the real user's settings.
    private static AgentSettings NewSettings(string folder) => new() { StateDirectory = folder, SettingsDirectory = folder };

    /// <summary>
    /// A fresh endpoint: a pipe name on Windows; elsewhere a socket in a new folder under the temp directory
    /// (short, because Unix socket paths are limited to about 100 bytes).
    /// </summary>
    public static BridgeEndpoint NewEndpoint()
    {
        string unique = "cbt-" + Guid.NewGuid().ToString("N")[..10];
        return OperatingSystem.IsWindows() ? BridgeEndpoint.Parse(unique) : BridgeEndpoint.ForUnix(Path.Combine(Path.GetTempPath(), unique));
    }

    /// <summary>Removes what an endpoint left behind (the socket folder on Unix; nothing on Windows).</summary>
    public static void Clean(BridgeEndpoint endpoint)
    {
        if (endpoint.SocketDirectory is { } folder && System.IO.Directory.Exists(folder))
        {
            System.IO.Directory.Delete(folder, recursive: true);
        }
    }

    public static async Task<TestAgent> StartOnAsync(BridgeEndpoint endpoint, Func<BridgeEndpoint, BridgeServerOptions>? options = null, Action<ILoggingBuilder>? logging = null, AgentSettings? settings = null)
    {
        settings ??= NewSettings();
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.ClearProviders();
        logging?.Invoke(builder.Logging);
        builder.Services.AddBridgeAgent(options?.Invoke(endpoint) ?? new BridgeServerOptions { Endpoint = endpoint }, settings);

        // On Windows the caller policy would refuse this test host (it runs from the SDK, not the agent's folder),
        // so it is turned off here as an administrator could; the Wine tests prove the policy itself.
        builder.Services.AddSingleton<IPolicySource>(new CallerCheckOff());

        // No notification icon from test hosts on Windows; the tray has its own test under Wine.
        builder.Services.AddSingleton(new ClientBridge.Windows.Tray.TrayOptions { Enabled = false });
        IHost host = builder.Build();
        await host.StartAsync().ConfigureAwait(false);
        return new TestAgent(host, endpoint, endpoint.SocketDirectory ?? string.Empty) { Settings = settings };
    }

    public BridgeClient CreateClient(string name = "test", Action<BridgeClientOptions>? configure = null)
    {
        // Behaviour, not connect speed: a loaded CI machine can take seconds for a first handshake.
        var options = new BridgeClientOptions { Endpoint = Endpoint, ClientName = name, ConnectTimeout = TimeSpan.FromSeconds(10) };
        configure?.Invoke(options);
        return new BridgeClient(options);
    }

    public T Get<T>()
        where T : notnull => _host.Services.GetRequiredService<T>();

    public async Task StopAsync()
    {
        await _host.StopAsync().ConfigureAwait(false);
    }

    /// <summary>Stops the agent and removes its socket; <paramref name="keepState"/> leaves the journal for an agent started after it.</summary>
    public async ValueTask DisposeAsync(bool keepState)
    {
        await _host.StopAsync().ConfigureAwait(false);
        _host.Dispose();
        Clean(Endpoint);
        if (!keepState && Settings.StateDirectory is { } state && System.IO.Directory.Exists(state))
        {
            System.IO.Directory.Delete(state, recursive: true);
        }
    }

    public ValueTask DisposeAsync() => DisposeAsync(keepState: false);

    private sealed class CallerCheckOff : IPolicySource
    {
        public object? Read(string valueName) => valueName == PolicyValues.VerifyPipeCallers ? 0 : null;
    }
}
