using System;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Polly;

namespace ClientBridge.Providers.Zoom;

/// <summary>How hard to retry Zoom (<c>ClientBridge__ZoomRetry__BaseDelay</c>, …); tests shorten the delays.</summary>
public sealed class ZoomRetryOptions
{
    public int MaxRetries { get; set; } = 4;

    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between two attempts, whether the backoff or Zoom's Retry-After asks for more.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(60);

    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// The longest one call may take with every attempt and every wait: the HttpClient's own time-out, which also ends
    /// an answer whose body stalls after its headers (read outside the retry handler, so no attempt time-out covers it).
    /// </summary>
    public TimeSpan Longest => (AttemptTimeout * (MaxRetries + 1)) + (MaxDelay * MaxRetries);
}

/// <summary>
/// The HttpClients the agent talks to Zoom with. The API's carries Microsoft.Extensions.Http.Resilience: look-ups,
/// updates and cancels ride out 429 (honouring Retry-After), 408, 5xx, time-outs and broken connections, and every
/// attempt has a time-out. A create (POST) is never resent by it: Zoom may have made the meeting whatever went wrong,
/// so <see cref="ZoomProvider"/> looks for it before it sends the create again itself. Sign-in's token calls go
/// through a plain client of their own.
/// </summary>
public static class ZoomHttp
{
    /// <summary>The named client for Zoom's REST API.</summary>
    public const string ApiClient = "zoom";

    /// <summary>The named client for Zoom's OAuth endpoints (token, revoke).</summary>
    public const string OAuthClient = "zoom-oauth";

    public static IServiceCollection AddZoomHttpClients(this IServiceCollection services, ZoomRetryOptions retry)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(retry);
        services.AddHttpClient(OAuthClient);

        // The handler gets a pipeline of its own rather than one from the resilience registry (AddResilienceHandler):
        // a registry pipeline makes the host's disposal wait for calls in flight and then fails their next step, so
        // an agent stopped during a create would answer the add-in with an error although Zoom made the meeting.
        // With its own, a stopping agent simply drops the call, and the add-in's retry finds the meeting.
        services.AddHttpClient(ApiClient, client => client.Timeout = retry.Longest)
            .AddHttpMessageHandler(provider => new ResilienceHandler(Retries(
                retry,
                provider.GetService<TimeProvider>() ?? TimeProvider.System,
                provider.GetService<ILoggerFactory>())));
        return services;
    }

    /// <summary>
    /// The retries of every call but a create, and each attempt's time-out. Each retry is logged (Polly's telemetry,
    /// category <c>Polly</c>, as a warning) with the status or exception that caused it, and never the request's content.
    /// </summary>
    private static ResiliencePipeline<HttpResponseMessage> Retries(ZoomRetryOptions retry, TimeProvider time, ILoggerFactory? logs)
    {
        var retries = new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = retry.MaxRetries,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = retry.BaseDelay,
            MaxDelay = retry.MaxDelay,

            // The built-in Retry-After reading waits as long as the server says; this one caps it at MaxDelay.
            ShouldRetryAfterHeader = false,
            DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result, retry.MaxDelay, time)),
        };
        retries.DisableFor(HttpMethod.Post);
        var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { Name = "zoom-api", TimeProvider = time };
        if (logs is not null)
        {
            pipeline.ConfigureTelemetry(logs);
        }

        return pipeline.AddRetry(retries).AddTimeout(retry.AttemptTimeout).Build();
    }

    /// <summary>Zoom's Retry-After, as seconds or as a date, capped at <paramref name="max"/>; null lets the exponential backoff decide.</summary>
    internal static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeSpan max, TimeProvider time)
    {
        RetryConditionHeaderValue? header = response?.Headers.RetryAfter;
        TimeSpan? wait = header?.Delta ?? (header?.Date is { } date ? date - time.GetUtcNow() : null);
        return wait is { } w ? TimeSpan.FromTicks(Math.Clamp(w.Ticks, 0, max.Ticks)) : null;
    }
}
