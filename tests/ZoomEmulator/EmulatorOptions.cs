using System;
using System.IO;

namespace ZoomEmulator;

/// <summary>How a <see cref="ZoomEmulatorServer"/> behaves. Set before <see cref="ZoomEmulatorServer.StartAsync"/>.</summary>
public sealed class EmulatorOptions
{
    /// <summary>The pre-registered OAuth app.</summary>
    public string ClientId { get; set; } = "emulator-client-id";

    /// <summary>Secret of the pre-registered app; public (PKCE) clients may omit it.</summary>
    public string ClientSecret { get; set; } = "emulator-client-secret";

    /// <summary>Account for server-to-server (account_credentials) tokens.</summary>
    public string AccountId { get; set; } = "emulator-account";

    /// <summary>The user every token acts as (what <c>me</c> means).</summary>
    public string UserEmail { get; set; } = "host@example.com";

    public string UserId { get; set; } = "emuUser0000000000001";

    /// <summary>The user's profile time zone: used for a local start_time sent without a timezone.</summary>
    public string UserTimezone { get; set; } = "UTC";

    public string Scope { get; set; } = "meeting:read meeting:write user:read";

    /// <summary>Zoom: 1 hour. Make it short to test expiry.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Zoom: 5 minutes.</summary>
    public TimeSpan AuthorizationCodeLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Clock for token and code expiry; replace it to move time in tests.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Seed for fault choice, meeting IDs and passwords: same seed, same run.</summary>
    public int Seed { get; set; } = 20_240_601;

    /// <summary>Zoom allows 100 meeting creates/updates a day per host; null turns the limit off (the default, for long test runs).</summary>
    public int? DailyCreateUpdateLimitPerHost { get; set; }

    /// <summary>Recorded requests and schema violations kept at most (oldest dropped first).</summary>
    public int MaxRecordedRequests { get; set; } = 100_000;

    public string SpecPath { get; set; } = Path.Combine(AppContext.BaseDirectory, "meetings-api.openapi.json");

    public string TimezonesPath { get; set; } = Path.Combine(AppContext.BaseDirectory, "timezones.tsv");
}
