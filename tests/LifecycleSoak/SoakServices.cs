using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading.Tasks;
using ClientBridge.Calendar;
using ClientBridge.Protocol;
using ClientBridge.Scheduling;
using ClientBridge.Tests.Support;
using ZoomEmulator;

namespace LifecycleSoak;

/// <summary>
/// What every history of a soak shares, because starting them per history would cost more than the history: the
/// Zoom emulator on 127.0.0.1 and the real agent in this process, scheduling with Zoom through it. Each history keeps
/// to its own meetings by their topics (see <see cref="HistoryRun"/>), and its live meetings are deleted afterwards
/// so that the emulator stays small. The agent restarts on the same endpoint and state folder (its journal), as a
/// crash or an update would restart it.
/// </summary>
public sealed class SoakServices : IAsyncDisposable
{
    private readonly HttpClient _cleanup = new();
    private TestAgent? _agent;
    private TestAgent? _secondAgent;
    private BridgeEndpoint? _secondEndpoint;
    private FakeOutlook.FakeOutlookHost? _retired;

    private SoakServices(ZoomEmulatorServer zoom, BridgeEndpoint endpoint, AgentSettings settings)
    {
        Zoom = zoom;
        Endpoint = endpoint;
        Settings = settings;
    }

    public ZoomEmulatorServer Zoom { get; }

    public BridgeEndpoint Endpoint { get; }

    public AgentSettings Settings { get; }

    /// <summary>Times the agent was restarted, over all histories.</summary>
    public int AgentRestarts { get; private set; }

    /// <summary>The running agent's calendar revision (0 right after a restart), to tell when a snapshot arrived.</summary>
    public long CalendarRevision => _agent?.Get<CalendarStore>().Revision ?? 0;

    public static async Task<SoakServices> StartAsync()
    {
        // Enough room that a history's own requests are always still recorded when it is checked.
        ZoomEmulatorServer zoom = await ZoomEmulatorServer.StartAsync(new EmulatorOptions { MaxRecordedRequests = 200_000 });
        AgentSettings settings = TestAgent.NewSettings();
        settings.DefaultProvider = "zoom";
        settings.Zoom.ApiBaseUrl = zoom.ApiBaseUrl.AbsoluteUri;
        settings.Zoom.OAuthBaseUrl = zoom.OAuthBaseUrl.AbsoluteUri;
        settings.Zoom.ClientId = zoom.Options.ClientId;
        settings.Zoom.ClientSecret = zoom.Options.ClientSecret;
        settings.Zoom.AccountId = zoom.Options.AccountId;
        settings.ZoomRetry.BaseDelay = TimeSpan.FromMilliseconds(5);
        var services = new SoakServices(zoom, TestAgent.NewEndpoint(), settings);
        services._agent = await TestAgent.StartOnAsync(services.Endpoint, settings: settings);
        return services;
    }

    /// <summary>Stops the agent as a crash or an update would (its journal stays) and starts it again on the same endpoint.</summary>
    public async Task RestartAgentAsync()
    {
        if (_agent is not null)
        {
            await _agent.DisposeAsync(keepState: true);
            _agent = null;
        }

        _agent = await TestAgent.StartOnAsync(Endpoint, settings: Settings);
        AgentRestarts++;
    }

    /// <summary>
    /// The agent of the user's second computer (its own journal, the same Zoom account), started the first time a
    /// history needs it and kept for the others.
    /// </summary>
    public async Task<BridgeEndpoint> SecondAgentAsync()
    {
        if (_secondAgent is null)
        {
            _secondEndpoint = TestAgent.NewEndpoint();
            AgentSettings settings = TestAgent.NewSettings();
            settings.DefaultProvider = Settings.DefaultProvider;
            settings.Zoom = Settings.Zoom;
            settings.ZoomRetry = Settings.ZoomRetry;
            _secondAgent = await TestAgent.StartOnAsync(_secondEndpoint, settings: settings);
        }

        return _secondEndpoint!;
    }

    /// <summary>Disposes the fake Outlook retired before this one and keeps this one until the next history is over.</summary>
    public void RetireOutlook(FakeOutlook.FakeOutlookHost outlook)
    {
        _retired?.Dispose();
        _retired = outlook;
    }

    /// <summary>Deletes live meetings at the emulator behind everyone's back: a finished history's, so that they do not pile up.</summary>
    public async Task DeleteAtZoomAsync(IEnumerable<long> meetingIds)
    {
        ArgumentNullException.ThrowIfNull(meetingIds);
        string token = Zoom.CreateAccessToken();
        foreach (long id in meetingIds)
        {
            using var request = new HttpRequestMessage(HttpMethod.Delete, new Uri(Zoom.ApiBaseUrl.AbsoluteUri + "/meetings/" + id.ToString(CultureInfo.InvariantCulture)));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using HttpResponseMessage response = await _cleanup.SendAsync(request);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_agent is not null)
        {
            await _agent.DisposeAsync();
        }

        if (_secondAgent is not null)
        {
            await _secondAgent.DisposeAsync();
            TestAgent.Clean(_secondEndpoint!);
        }

        await Zoom.DisposeAsync();
        TestAgent.Clean(Endpoint);
        _retired?.Dispose();
        _cleanup.Dispose();
    }
}
