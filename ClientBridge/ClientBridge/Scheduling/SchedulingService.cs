using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ClientBridge.Protocol;
using ClientBridge.Providers;
using ClientBridge.Server;
using ClientBridge.Settings;

namespace ClientBridge.Scheduling;

/// <summary>
/// Turns schedule, update and cancel requests into provider calls, with the guarantees users judge the product
/// by: a request id makes at most one meeting, however often it is retried and whatever crashed in between;
/// a burst of updates to one meeting costs at most two provider calls; nothing is lost when the caller goes away.
/// </summary>
public sealed class SchedulingService
{
    private const int MaxTopicLength = 200; // Zoom's limit, and plenty for any provider.
    private const int MaxRequestIdLength = 128;

    /// <summary>How far the provider's clock may run behind ours when judging which meetings a lost create made.</summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(2);

    private readonly Dictionary<string, IMeetingProvider> _providers;
    private readonly string _defaultProvider;
    private readonly MeetingJournal _journal;
    private readonly EventHub _events;
    private readonly IEffectiveSettings? _effective;
    private readonly ConcurrentDictionary<string, Lazy<Task<MeetingReply>>> _scheduling = new(StringComparer.Ordinal);
    private readonly object _updatesGate = new();
    private readonly Dictionary<string, UpdateSlot> _updates = new(StringComparer.Ordinal);

    public SchedulingService(IEnumerable<IMeetingProvider> providers, AgentSettings settings, MeetingJournal journal, EventHub events, IEffectiveSettings? effective = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _providers = providers.ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        _defaultProvider = settings.DefaultProvider;
        _journal = journal;
        _events = events;
        _effective = effective;
        if (!_providers.ContainsKey(_defaultProvider))
        {
            throw new BridgeException(ErrorCodes.BadRequest, $"The default provider '{_defaultProvider}' is not one this agent has ({string.Join(", ", _providers.Keys)}).");
        }
    }

    /// <summary>Each provider's state; the effective default marked, and one a policy disallows shown as turned off by policy.</summary>
    public IReadOnlyList<ProviderState> ProviderStates()
    {
        EffectiveSettings? settings = _effective?.Current;
        string? preferred = settings is null ? _defaultProvider : DefaultFor(settings)?.Name;
        return [.. _providers.Values.Select(p =>
        {
            ProviderState state = p.State;
            state.IsDefault = string.Equals(p.Name, preferred, StringComparison.OrdinalIgnoreCase);
            if (settings is { AllowedProviders.Locked: true } && !settings.IsAllowed(p.Name))
            {
                state.State = "disabled_by_policy";
            }

            return state;
        })];
    }

    /// <summary>
    /// Schedules once per request id. A retry, or a duplicate arriving while the first is still at the provider,
    /// gets the same meeting. The provider call is not cancelled when the caller leaves: the meeting it makes is
    /// journaled either way, so the caller's retry finds it.
    /// </summary>
    public Task<MeetingReply> ScheduleAsync(ScheduleMeetingRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        Validate(request);
        IMeetingProvider provider = ProviderForNewMeeting(request.Provider);
        Lazy<Task<MeetingReply>> once = _scheduling.GetOrAdd(request.RequestId, _ => new Lazy<Task<MeetingReply>>(() => ScheduleOnceAsync(request, provider)));
        return once.Value;
    }

    public Task<MeetingReply> UpdateAsync(UpdateMeetingRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        IMeetingProvider provider = Provider(request.Provider);
        if (string.IsNullOrWhiteSpace(request.MeetingId))
        {
            throw new BridgeException(ErrorCodes.BadRequest, "An update needs the meeting's id.");
        }

        if (request.DurationMinutes is { } minutes)
        {
            ValidateDuration(minutes);
        }

        if (request.Recurrence is not null)
        {
            RRule.Validate(request.Recurrence);
        }

        if (request.RecurrenceRemoved && request.Recurrence is not null)
        {
            throw new BridgeException(ErrorCodes.BadRequest, "An update either gives the series a new pattern or says it stopped repeating, not both.");
        }

        if (request.RecurrenceRemoved && request.OccurrenceStart is not null)
        {
            throw new BridgeException(ErrorCodes.BadRequest, "Only a whole series can stop repeating, not one of its occurrences.");
        }

        var change = new MeetingChange(
            request.Topic is null ? null : Topic(request.Topic),
            request.Start,
            request.DurationMinutes is { } m ? TimeSpan.FromMinutes(m) : null,
            request.TimeZoneId,
            request.Recurrence,
            request.OccurrenceStart,
            Options(request.Options),
            request.RecurrenceRemoved);
        return CoalesceUpdateAsync(provider, request.MeetingId, change);
    }

    /// <summary>
    /// Cancels a meeting, or one occurrence, and never loses the cancellation: it is in the journal
    /// (<see cref="MeetingJournal.RecordCancelPending"/>) before the provider is asked. When the provider cannot take it
    /// now (unreachable, failing, the user signed out) the reply says it is queued (<see cref="MeetingReply.Queued"/>)
    /// and <see cref="PendingCancelsService"/> makes it later, after a restart too, with Outlook open or not. A refusal for
    /// what the request says is not kept: asking again would be refused again.
    /// </summary>
    public async Task<MeetingReply> CancelAsync(CancelMeetingRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        IMeetingProvider provider = Provider(request.Provider);
        if (string.IsNullOrWhiteSpace(request.MeetingId))
        {
            throw new BridgeException(ErrorCodes.BadRequest, "A cancellation needs the meeting's id.");
        }

        var cancel = new PendingCancel(provider.Name, request.MeetingId, request.OccurrenceStart, DateTimeOffset.UtcNow);
        bool kept = TryKeep(cancel);
        try
        {
            return await CancelNowAsync(provider, cancel, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (kept && PendingCancels.CanPass(ex))
        {
            CancelQueued?.Invoke(this, EventArgs.Empty);
            return new MeetingReply
            {
                MeetingId = request.MeetingId,
                Provider = provider.Name,
                Queued = true,
                Note = $"{provider.Name} could not take the cancellation now; the agent makes it as soon as {provider.Name} answers, whether Outlook is open or not.",
            };
        }
        catch (Exception) when (kept)
        {
            Forget(cancel);
            throw;
        }
    }

    /// <summary>Raised when a cancellation could not be made now and waits in the journal.</summary>
    public event EventHandler? CancelQueued;

    /// <summary>Raised when waiting cancellations are worth trying at once: the user just signed in to a provider.</summary>
    public event EventHandler? CancelsWorthRetrying;

    /// <summary>A sign-in changed: cancellations that waited for it (the user was signed out) are tried now, not at their next turn.</summary>
    public void SignInChanged() => CancelsWorthRetrying?.Invoke(this, EventArgs.Empty);

    /// <summary>Makes one cancellation kept in the journal: <see cref="CancelOutcome.Made"/> (or already made), to try again later, or refused for good and dropped.</summary>
    /// <param name="cancel">The cancellation, as the journal keeps it.</param>
    /// <param name="cancellationToken">The agent stopping: the try ends, and the cancellation stays in the journal for the next run.</param>
    public async Task<CancelOutcome> RetryCancelAsync(PendingCancel cancel, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cancel);
        try
        {
            IMeetingProvider provider = Provider(cancel.Provider);
            await CancelNowAsync(provider, cancel, cancellationToken).ConfigureAwait(false);
            return CancelOutcome.Made;
        }
        catch (Exception ex) when (PendingCancels.CanPass(ex))
        {
            return CancelOutcome.Later;
        }
        catch (BridgeException)
        {
            Forget(cancel);
            return CancelOutcome.Refused;
        }
    }

    /// <summary>Drops a cancellation from the journal without making it (given up); a disk that refuses leaves it to be tried once more.</summary>
    public void Forget(PendingCancel cancel)
    {
        try
        {
            _journal.RecordCancelDone(cancel);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }

    private async Task<MeetingReply> CancelNowAsync(IMeetingProvider provider, PendingCancel cancel, CancellationToken cancellationToken)
    {
        await provider.CancelAsync(cancel.MeetingId, cancel.Occurrence, cancellationToken).ConfigureAwait(false);
        Forget(cancel);
        if (cancel.Occurrence is not null)
        {
            // One occurrence gone; the series and its link live on.
            Announce(provider.Name, cancel.MeetingId, "updated");
            return new MeetingReply { MeetingId = cancel.MeetingId, Provider = provider.Name };
        }

        _journal.RecordCancelled(provider.Name, cancel.MeetingId);
        Announce(provider.Name, cancel.MeetingId, "cancelled");
        return new MeetingReply { MeetingId = cancel.MeetingId, Provider = provider.Name, Cancelled = true };
    }

    /// <summary>Keeps the cancellation in the journal; false when the disk refuses, and then it is tried once, now, as before there was a journal of them.</summary>
    private bool TryKeep(PendingCancel cancel)
    {
        try
        {
            _journal.RecordCancelPending(cancel);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static void Validate(ScheduleMeetingRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.RequestId) || request.RequestId.Length > MaxRequestIdLength)
        {
            throw new BridgeException(ErrorCodes.BadRequest, $"A schedule request needs a request id of 1 to {MaxRequestIdLength} characters, chosen once per meeting and reused on retries.");
        }

        if (request.Start == default)
        {
            throw new BridgeException(ErrorCodes.BadRequest, "A schedule request needs a start time.");
        }

        ValidateDuration(request.DurationMinutes);
        Topic(request.Topic);
        if (request.Recurrence is not null)
        {
            RRule.Validate(request.Recurrence);
        }

        Options(request.Options);
    }

    /// <summary>
    /// The options a request asked for, checked: every alternative host an e-mail address (a refusal names its
    /// position, never the address, so that no address reaches an error log), at most
    /// <see cref="RequestedOptions.MaxAlternativeHosts"/>; blanks dropped, duplicates kept once. Null when nothing was asked.
    /// A host list that was given stays a list even when empty: it asks for no alternative hosts.
    /// </summary>
    internal static RequestedOptions? Options(MeetingOptions? options)
    {
        if (options is null)
        {
            return null;
        }

        var hosts = new List<string>();
        int position = 0;
        foreach (string? entry in options.AlternativeHosts ?? [])
        {
            position++;
            string host = (entry ?? string.Empty).Trim();
            if (host.Length == 0)
            {
                continue;
            }

            if (!IsEmailAddress(host))
            {
                throw new BridgeException(ErrorCodes.BadRequest, $"Alternative host number {position} is not an e-mail address; give each alternative host as an address like name@example.com.");
            }

            if (!hosts.Contains(host, StringComparer.OrdinalIgnoreCase))
            {
                hosts.Add(host);
            }
        }

        if (hosts.Count > RequestedOptions.MaxAlternativeHosts)
        {
            throw new BridgeException(ErrorCodes.BadRequest, $"A meeting can have at most {RequestedOptions.MaxAlternativeHosts} alternative hosts, not {hosts.Count}.");
        }

        var asked = new RequestedOptions(options.WaitingRoom, options.RequirePasscode, options.AlternativeHosts is null ? null : hosts);
        return asked.IsEmpty ? null : asked;
    }

    /// <summary>
    /// One address as Zoom takes it in a semicolon-separated list: local part, one @, a dotted domain, at most 254
    /// characters, and nothing that would split or quote the list (spaces, <c>;</c>, <c>,</c>, quotes, angle brackets).
    /// </summary>
    private static bool IsEmailAddress(string text)
    {
        if (text.Length > 254 || text.AsSpan().IndexOfAny(NotInAddress) >= 0)
        {
            return false;
        }

        int at = text.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at != text.LastIndexOf('@') || at > 64)
        {
            return false;
        }

        string domain = text[(at + 1)..];
        int dot = domain.LastIndexOf('.');
        return dot > 0 && dot < domain.Length - 2 && !domain.StartsWith('-') && !domain.Contains("..", StringComparison.Ordinal)
            && !text.StartsWith('.') && !text[..at].EndsWith('.');
    }

    private static readonly System.Buffers.SearchValues<char> NotInAddress = System.Buffers.SearchValues.Create(" \t\r\n;,\"<>()[]\\:");

    private static void ValidateDuration(int minutes)
    {
        if (minutes is < 1 or > 24 * 60)
        {
            throw new BridgeException(ErrorCodes.BadRequest, $"A meeting lasts from 1 minute to 24 hours, not {minutes} minutes.");
        }
    }

    private static string Topic(string? topic)
    {
        string trimmed = (topic ?? string.Empty).Trim();
        if (trimmed.Length == 0)
        {
            return "Meeting";
        }

        return trimmed.Length <= MaxTopicLength ? trimmed : trimmed[..MaxTopicLength];
    }

    private static MeetingReply Reply(string provider, MeetingDetails details) => new()
    {
        MeetingId = details.MeetingId,
        Provider = provider,
        JoinUrl = details.JoinUrl,
        Passcode = details.Passcode,
        TimeZone = details.TimeZone,
        InvitationText = details.InvitationText,
        DialIn = [.. details.DialIn ?? []],
        Note = details.Note,
    };

    /// <summary>
    /// The provider a new meeting is made with: the one asked for, if the effective settings allow it (a policy's
    /// list, or the user's own), else a refusal that says why; none asked: the effective default, or the first
    /// allowed provider the agent has. Updates and cancellations of meetings already made are not refused, so that
    /// a policy change never strands a meeting.
    /// </summary>
    private IMeetingProvider ProviderForNewMeeting(string? name)
    {
        if (_effective is null)
        {
            return Provider(name);
        }

        EffectiveSettings settings = _effective.Current;
        if (!string.IsNullOrWhiteSpace(name))
        {
            IMeetingProvider asked = Provider(name);
            if (settings.IsAllowed(asked.Name))
            {
                return asked;
            }

            string who = settings.AllowedProviders.Locked ? "Your administrator's policy does" : "Your settings do";
            throw new BridgeException(ErrorCodes.BadRequest, $"{who} not allow meetings on '{asked.Name}'; allowed: {string.Join(", ", settings.AllowedProviders.Value ?? [])}.");
        }

        return DefaultFor(settings) ?? throw new BridgeException(
            ErrorCodes.BadRequest,
            $"None of the meeting providers this agent has ({string.Join(", ", _providers.Keys)}) is allowed; allowed: {string.Join(", ", settings.AllowedProviders.Value ?? [])}.");
    }

    /// <summary>The effective default provider when the agent has it and it is allowed; else the first allowed one the agent has.</summary>
    private IMeetingProvider? DefaultFor(EffectiveSettings settings)
    {
        IEnumerable<string> candidates = [settings.DefaultProvider.Value, .. settings.AllowedProviders.Value ?? [], _defaultProvider, .. _providers.Keys];
        foreach (string candidate in candidates)
        {
            if (_providers.TryGetValue(candidate, out IMeetingProvider? provider) && settings.IsAllowed(provider.Name))
            {
                return provider;
            }
        }

        return null;
    }

    private IMeetingProvider Provider(string? name)
    {
        string chosen = string.IsNullOrWhiteSpace(name) ? _defaultProvider : name;
        return _providers.TryGetValue(chosen, out IMeetingProvider? provider)
            ? provider
            : throw new BridgeException(ErrorCodes.BadRequest, $"'{chosen}' is not a meeting provider this agent has; it has {string.Join(" and ", _providers.Keys)}.");
    }

    private async Task<MeetingReply> ScheduleOnceAsync(ScheduleMeetingRequest request, IMeetingProvider provider)
    {
        try
        {
            var plan = new MeetingPlan(Topic(request.Topic), request.Start, TimeSpan.FromMinutes(request.DurationMinutes), request.TimeZoneId, request.Recurrence, request.ScheduleFor, Options(request.Options));
            JournalEntry? known = _journal.Find(request.RequestId);
            if (known is { State: not JournalState.Pending })
            {
                return await ReplayAsync(known).ConfigureAwait(false);
            }

            MeetingDetails? details = null;
            if (known is { State: JournalState.Pending })
            {
                // An earlier attempt may have made the meeting and lost the answer: find it before making another.
                IMeetingProvider earlier = Provider(known.Provider);
                details = await earlier.FindCreatedAsync(plan, known.At - ClockSkew, id => _journal.Owns(earlier.Name, id), CancellationToken.None).ConfigureAwait(false);
                provider = details is null ? provider : earlier;
            }

            if (details is null)
            {
                // On disk before the provider is asked, so that a lost answer is looked for on the retry.
                _journal.Record(new JournalEntry(request.RequestId, provider.Name, string.Empty, JournalState.Pending, DateTimeOffset.UtcNow));
                string chosen = provider.Name;
                details = await provider.CreateAsync(plan, request.RequestId, id => _journal.Owns(chosen, id), CancellationToken.None).ConfigureAwait(false);
            }

            // On disk before anyone hears of it: from here on, a retry returns this meeting.
            _journal.Record(new JournalEntry(request.RequestId, provider.Name, details.MeetingId, JournalState.Created, DateTimeOffset.UtcNow));
            Announce(provider.Name, details.MeetingId, "created");
            return Reply(provider.Name, details);
        }
        finally
        {
            _scheduling.TryRemove(request.RequestId, out _);
        }
    }

    private async Task<MeetingReply> ReplayAsync(JournalEntry known)
    {
        if (known.State == JournalState.Cancelled)
        {
            return new MeetingReply { MeetingId = known.MeetingId, Provider = known.Provider, Cancelled = true };
        }

        IMeetingProvider provider = Provider(known.Provider);
        MeetingDetails? details = await provider.GetAsync(known.MeetingId, CancellationToken.None).ConfigureAwait(false);
        return details is null
            ? new MeetingReply { MeetingId = known.MeetingId, Provider = known.Provider, Cancelled = true }
            : Reply(provider.Name, details);
    }

    private void Announce(string provider, string meetingId, string change) =>
        _events.Publish(MessageKinds.MeetingChangedEvent, new MeetingChanged { MeetingId = meetingId, Provider = provider, Change = change }, BridgeWire.Default.MeetingChanged);

    /// <summary>
    /// One update per meeting at a time. Updates arriving meanwhile are merged into one that runs next, and all
    /// their callers get its result: a burst of edits in Outlook costs two provider calls, not one per edit.
    /// </summary>
    private Task<MeetingReply> CoalesceUpdateAsync(IMeetingProvider provider, string meetingId, MeetingChange change)
    {
        string key = provider.Name + "\n" + meetingId + "\n" + change.Occurrence?.UtcTicks;
        lock (_updatesGate)
        {
            if (_updates.TryGetValue(key, out UpdateSlot? slot))
            {
                slot.Next = slot.Next is null ? change : slot.Next.Then(change);
                slot.NextDone ??= new TaskCompletionSource<MeetingReply>(TaskCreationOptions.RunContinuationsAsynchronously);
                return slot.NextDone.Task;
            }

            slot = new UpdateSlot();
            _updates[key] = slot;
            return RunUpdateAsync(provider, meetingId, key, slot, change);
        }
    }

    private async Task<MeetingReply> RunUpdateAsync(IMeetingProvider provider, string meetingId, string key, UpdateSlot slot, MeetingChange change)
    {
        try
        {
            MeetingDetails details = await provider.UpdateAsync(meetingId, change, CancellationToken.None).ConfigureAwait(false);
            Announce(provider.Name, meetingId, "updated");
            return Reply(provider.Name, details);
        }
        finally
        {
            RunNextUpdate(provider, meetingId, key, slot);
        }
    }

    private void RunNextUpdate(IMeetingProvider provider, string meetingId, string key, UpdateSlot slot)
    {
        MeetingChange? next;
        TaskCompletionSource<MeetingReply>? done;
        lock (_updatesGate)
        {
            next = slot.Next;
            done = slot.NextDone;
            slot.Next = null;
            slot.NextDone = null;
            if (next is null)
            {
                _updates.Remove(key);
                return;
            }
        }

        _ = Task.Run(async () =>
        {
            try
            {
                done!.TrySetResult(await RunUpdateAsync(provider, meetingId, key, slot, next).ConfigureAwait(false));
            }
            catch (Exception ex)
            {
                done!.TrySetException(ex);
            }
        });
    }

    private sealed class UpdateSlot
    {
        public MeetingChange? Next { get; set; }

        public TaskCompletionSource<MeetingReply>? NextDone { get; set; }
    }
}
