using System;
using System.Threading;
using System.Threading.Tasks;
using ClientBridge.Policies;
using ClientBridge.Scheduling;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClientBridge.Settings;

/// <summary>
/// The effective settings, live: the settings file as last read, under the policies as they are now (read again
/// on every ask, as PowerToys does, so that a Group Policy refresh needs no restart; a handful of registry reads).
/// Wrong policy values are logged, by name, each time the set of them changes.
/// </summary>
public sealed partial class SettingsService : IEffectiveSettings, IHostedService, IDisposable
{
    private readonly AgentSettings _agent;
    private readonly SettingsFile _file;
    private readonly IPolicySource _policies;
    private readonly ILogger _logger;
    private string _lastWrong = string.Empty;

    public SettingsService(AgentSettings agent, SettingsFile file, IPolicySource policies, ILogger<SettingsService>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(policies);
        _agent = agent;
        _file = file;
        _policies = policies;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _file.Changed += OnFileChanged;
    }

    /// <summary>Raised when the settings file was read again (policies have no change notice; ask <see cref="Current"/>).</summary>
    public event EventHandler<EffectiveSettings>? Changed;

    public EffectiveSettings Current
    {
        get
        {
            EffectiveSettings current = EffectiveSettings.Resolve(_agent, _file.Current, _policies);
            string wrong = string.Join(", ", current.WrongPolicies);
            if (!string.Equals(Interlocked.Exchange(ref _lastWrong, wrong), wrong, StringComparison.Ordinal) && wrong.Length > 0)
            {
                Log.WrongPolicies(_logger, wrong, PolicyValues.KeyPath);
            }

            return current;
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _file.StartWatching();
        _ = Current; // Logs wrong policies at start.
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        _file.Changed -= OnFileChanged;
        _file.Dispose();
    }

    private void OnFileChanged(object? sender, UserSettings e) => Changed?.Invoke(this, Current);

    private static partial class Log
    {
        [LoggerMessage(EventId = 810, Level = LogLevel.Warning, Message = "Policy values {Names} under {Key} have a type or value no template writes; they are ignored.")]
        public static partial void WrongPolicies(ILogger logger, string names, string key);
    }
}
