using System;
using System.Diagnostics;
using System.Reflection;

namespace ClientBridge.Server;

/// <summary>Facts about this running agent, for the handshake and <c>status</c>.</summary>
public sealed class AgentInfo
{
    private readonly long _startedTimestamp = Stopwatch.GetTimestamp();

    private readonly Lazy<string> _protection;

    /// <param name="describeProtection">Read on first use, after the server has prepared the endpoint.</param>
    public AgentInfo(string endpoint, Func<string> describeProtection)
    {
        Endpoint = endpoint;
        _protection = new Lazy<string>(describeProtection);
    }

    public static string CurrentVersion { get; } =
        typeof(AgentInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(AgentInfo).Assembly.GetName().Version?.ToString()
        ?? "0.0.0";

#pragma warning disable CA1822 // An instance member, so that callers holding an AgentInfo need not know where the version comes from.
    public string Version => CurrentVersion;
#pragma warning restore CA1822

    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    public TimeSpan Uptime => Stopwatch.GetElapsedTime(_startedTimestamp);

    public string Endpoint { get; }

    /// <summary>How the endpoint is protected: the pipe's SDDL on Windows, the socket folder's mode elsewhere.</summary>
    public string Protection => _protection.Value;

    /// <summary>The calendar window the add-in should read, asked at each handshake (settings and policy can change).</summary>
    public Func<int> CalendarDaysAhead { get; init; } = () => 0;
}
