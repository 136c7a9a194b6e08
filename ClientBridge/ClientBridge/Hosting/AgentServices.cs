using System;
using System.Runtime.Versioning;
using ClientBridge.Calendar;
using ClientBridge.Policies;
using ClientBridge.Protocol;
using ClientBridge.Providers;
using ClientBridge.Providers.Zoom;
using System.Net.Http;
using ClientBridge.Scheduling;
using ClientBridge.Server;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace ClientBridge.Hosting;

/// <summary>Everything the agent is made of, wired once for the real host and for tests alike.</summary>
public static partial class AgentServices
{
    public static IServiceCollection AddBridgeAgent(this IServiceCollection services, BridgeServerOptions options, AgentSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        settings ??= new AgentSettings();
        services.AddSingleton(options);
        services.AddSingleton(settings);
        services.AddSingleton<SessionRegistry>();
        services.AddSingleton<CalendarStore>();
        services.AddSingleton<EventHub>();
        services.AddSingleton(new IdleMemoryTrimmer(TimeSpan.FromSeconds(1)));
        services.AddSingleton(sp => new AgentInfo(options.Endpoint.PipeName, () => sp.GetRequiredService<IPipeListenerFactory>().DescribeProtection(options.Endpoint))
        {
            CalendarDaysAhead = () => sp.GetRequiredService<Settings.IEffectiveSettings>().Current.DaysAhead.Value,
        });

        services.AddSingleton<IRequestHandler, PingHandler>();
        services.AddSingleton<IRequestHandler, StatusHandler>();
        services.AddSingleton<IRequestHandler, SubscribeHandler>();
        services.AddSingleton<IRequestHandler, CalendarSnapshotHandler>();
        services.AddSingleton<IRequestHandler, CalendarDeltaHandler>();
        services.AddSingleton<AgentShutdown>();
        services.AddSingleton<IRequestHandler, StopHandler>();

        services.AddSingleton<IMeetingProvider>(new JitsiProvider(settings.Jitsi));
        services.AddSingleton(_ => new MeetingJournal(settings.State()));
        services.AddSingleton(sp => new Settings.SettingsFile(
            settings.Settings(),
            sp.GetRequiredService<ILogger<Settings.SettingsFile>>()));
        services.AddSingleton<Settings.SettingsService>();
        services.AddSingleton<Settings.IEffectiveSettings>(sp => sp.GetRequiredService<Settings.SettingsService>());
        services.AddHostedService(sp => sp.GetRequiredService<Settings.SettingsService>());
        services.AddSingleton<SchedulingService>();
        services.AddSingleton<PendingCancelsService>();
        services.AddHostedService(sp => sp.GetRequiredService<PendingCancelsService>());
        services.AddSingleton<IRequestHandler, ScheduleMeetingHandler>();
        services.AddSingleton<IRequestHandler, UpdateMeetingHandler>();
        services.AddSingleton<IRequestHandler, CancelMeetingHandler>();
        services.AddSingleton<IRequestHandler, SignInStateHandler>();
        services.AddSingleton<IRequestHandler, SignInHandler>();
        services.AddSingleton<IRequestHandler, SignOutHandler>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new Upcoming.UpcomingService(
            sp.GetRequiredService<CalendarStore>(),
            sp.GetRequiredService<SchedulingService>().ProviderStates,
            sp.GetRequiredService<TimeProvider>(),
            zone: null,
            sp.GetRequiredService<ILogger<Upcoming.UpcomingService>>())
        {
            Settings = () => sp.GetRequiredService<Settings.IEffectiveSettings>().Current,
        });
        services.AddHostedService(sp => sp.GetRequiredService<Upcoming.UpcomingService>());
        services.AddSingleton<IRequestHandler, Upcoming.UpcomingHandler>();
        services.AddSingleton(sp => new Reminders.ReminderScheduler(
            sp.GetRequiredService<CalendarStore>(),
            sp.GetRequiredService<Settings.IEffectiveSettings>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<Reminders.ReminderScheduler>>()));
        services.AddHostedService(sp => sp.GetRequiredService<Reminders.ReminderScheduler>());

        // Links, folders and sign-in pages open through one shell opener: the tray and the Zoom sign-in alike.
        services.AddSingleton(sp => new Desktop.ShellOpener(sp.GetRequiredService<ILogger<Desktop.ShellOpener>>()));
        if (settings.Offers(ZoomProvider.ProviderName))
        {
            AddZoom(services, settings);
        }
        services.AddSingleton(sp =>
        {
            // Calendar changes reach every subscriber; the items themselves never leave the agent this way.
            var hub = sp.GetRequiredService<EventHub>();
            sp.GetRequiredService<CalendarStore>().Changed += (_, changed) => hub.Publish(MessageKinds.CalendarChangedEvent, changed, BridgeWire.Default.CalendarChanged);
            return new RequestRouter(sp.GetServices<IRequestHandler>());
        });

        if (OperatingSystem.IsWindows())
        {
            AddWindowsEdge(services);
        }
        else
        {
            services.AddSingleton<IPolicySource>(NoPolicies.Instance);
            services.AddSingleton<IPipeListenerFactory, UnixPipeListenerFactory>();
            services.AddSingleton<IConnectionAuthorizer>(AllowAllAuthorizer.Instance);
        }

        services.AddSingleton<BridgeServer>();
        services.AddHostedService(sp => sp.GetRequiredService<BridgeServer>());
        return services;
    }

    private static void AddZoom(IServiceCollection services, AgentSettings settings)
    {
        services.AddZoomHttpClients(settings.ZoomRetry);
        services.AddSingleton(sp =>
        {
            string state = settings.State();
            var http = sp.GetRequiredService<IHttpClientFactory>().CreateClient(ZoomHttp.OAuthClient);
            TokenStore tokens = TokenStore.ForCurrentUser(state);
            ILogger zoomLogger = sp.GetRequiredService<ILoggerFactory>().CreateLogger(nameof(ZoomSession));
            if (tokens.Warning is { } warning)
            {
                ZoomLog.TokensUnencrypted(zoomLogger, warning);
            }

            if (tokens.LoadProblem is { } problem)
            {
                // The file is left as it is (the next sign-in replaces it); the agent runs on, signed out of Zoom.
                ZoomLog.TokensUnreadable(zoomLogger, problem);
            }

            return new ZoomSession(new ZoomOAuth(http, settings.Zoom, tokens, new SystemBrowser(sp.GetRequiredService<Desktop.ShellOpener>())));
        });
        services.AddSingleton<IProviderSignIn>(sp => sp.GetRequiredService<ZoomSession>());
        services.AddSingleton<IMeetingProvider>(sp => new ZoomProvider(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(ZoomHttp.ApiClient),
            new Uri(settings.Zoom.ApiBaseUrl),
            sp.GetRequiredService<ZoomSession>(),
            settings.ZoomMeetings,
            settings.ZoomRetry,
            sp.GetRequiredService<IPolicySource>(),
            sp.GetRequiredService<TimeProvider>())
        {
            LiveDefaults = () => sp.GetRequiredService<Settings.IEffectiveSettings>().Current.ZoomMeetings(),
        });
    }

    [SupportedOSPlatform("windows")]
    private static void AddWindowsEdge(IServiceCollection services)
    {
        services.AddSingleton<IPolicySource, Windows.RegistryPolicySource>();
        services.AddSingleton<IPipeListenerFactory, Windows.WindowsPipeListenerFactory>();
        services.AddSingleton(sp => CallerPolicy.FromPolicies(sp.GetRequiredService<IPolicySource>(), AppContext.BaseDirectory));
        services.AddSingleton<IConnectionAuthorizer>(sp => new Windows.ProcessCallerAuthorizer(
            sp.GetRequiredService<CallerPolicy>(),
            sp.GetRequiredService<ILogger<Windows.ProcessCallerAuthorizer>>()));

        // The notification icon and its menu (ClientBridge__Tray__Enabled=false turns it off).
        services.AddSingleton(sp => sp.GetService<Microsoft.Extensions.Configuration.IConfiguration>()?.GetSection(Windows.Tray.TrayOptions.Section).Get<Windows.Tray.TrayOptions>() ?? new Windows.Tray.TrayOptions());
        services.AddSingleton<Windows.Tray.TrayHost>();
        services.AddHostedService(sp => sp.GetRequiredService<Windows.Tray.TrayHost>());
    }

    private static partial class ZoomLog
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "{Warning} Windows keeps them encrypted with DPAPI.")]
        public static partial void TokensUnencrypted(ILogger logger, string warning);

        [LoggerMessage(Level = LogLevel.Warning, Message = "{Problem} Zoom stays signed out until then.")]
        public static partial void TokensUnreadable(ILogger logger, string problem);
    }
}
