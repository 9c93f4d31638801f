using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Deliverability.Core.Dns;
using Deliverability.Core.Live;
using Deliverability.Core.Metrics;
using Deliverability.Core.Monitoring;

namespace Deliverability.Core.Blacklists;

/// <summary>What one check run did.</summary>
public sealed record BlacklistCheckOutcome(int Targets, int Verdicts, int Listed, int NoVerdict, IReadOnlyList<BlacklistEventRow> Events);

/// <summary>
/// Checks the monitored targets (<see cref="BlacklistTargets"/>) against the configured zones (through the shared answer cache and query budgets),
/// stores the verdicts and publishes each listing and delisting on <see cref="LiveFeed{T}"/>. Keeps the latest
/// self-test of each zone in memory for the API.
/// </summary>
public sealed partial class BlacklistMonitor(
    IDnsResolver dns,
    BlacklistAnswerCache cache,
    BlacklistQueryBudget budget,
    BlacklistStore store,
    LiveFeed<BlacklistChanged> feed,
    BlacklistTargets targets,
    IOptions<BlacklistOptions> options,
    TimeProvider time,
    ILogger<BlacklistMonitor> logger,
    DeliverabilityMetrics? metrics = null)
{
    private readonly ConcurrentDictionary<string, BlacklistZoneHealth> _health = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _restoreGate = new(1, 1);
    private bool _countsRestored;

    public IReadOnlyList<BlacklistZone> Zones { get; } = BlacklistConfiguration.Zones(options.Value);

    /// <summary>The targets as of the last check or change of the monitored domains (see <see cref="BlacklistTargets"/>).</summary>
    public IReadOnlyList<BlacklistTarget> Targets => targets.Current;

    /// <summary>The latest self-test of a zone since start, or null when it was not asked yet.</summary>
    public BlacklistZoneHealth? HealthOf(string zone) => _health.GetValueOrDefault(zone);

    /// <summary>Checks every target, as the monitored domains are now (a domain added from the dashboard included).</summary>
    public Task<BlacklistCheckOutcome> CheckAllAsync(CancellationToken cancellationToken) => CheckAllAsync(null, cancellationToken);

    /// <summary>
    /// Checks every target, except, when <paramref name="skipCheckedSince"/> is given, those checked on every zone at or
    /// after it: a fire that repeats one already done checks only what that one did not.
    /// </summary>
    public async Task<BlacklistCheckOutcome> CheckAllAsync(DateTimeOffset? skipCheckedSince, CancellationToken cancellationToken)
    {
        var all = await targets.RefreshAsync(cancellationToken).ConfigureAwait(false);
        if (skipCheckedSince is { } since)
        {
            var current = (await store.GetStatesAsync(null, cancellationToken).ConfigureAwait(false))
                .GroupBy(s => s.Target, StringComparer.Ordinal)
                .Where(g => g.All(s => s.CheckedAt >= since))
                .Select(g => g.Key)
                .ToHashSet(StringComparer.Ordinal);
            all = all.Where(t => !current.Contains(t.Text)).ToList();
        }

        return await CheckAsync(all, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Checks one monitored target now; null when <paramref name="target"/> is not one.</summary>
    public async Task<BlacklistCheckOutcome?> CheckTargetAsync(string target, CancellationToken cancellationToken)
    {
        var known = Find(target);
        if (known is null)
        {
            await targets.RefreshAsync(cancellationToken).ConfigureAwait(false);
            known = Find(target);
        }

        return known is null ? null : await CheckAsync([known], cancellationToken).ConfigureAwait(false);
    }

    // The day's counts stored before a restart count against today's caps.
    private async Task RestoreQueryCountsOnceAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _countsRestored))
        {
            return;
        }

        await _restoreGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_countsRestored)
            {
                var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
                budget.Restore(await store.GetQueryCountsAsync(today, cancellationToken).ConfigureAwait(false));
                Volatile.Write(ref _countsRestored, true);
            }
        }
        finally
        {
            _restoreGate.Release();
        }
    }

    /// <summary>Reads the monitored domains once if no check or change did since the start (before listing <see cref="Targets"/>).</summary>
    public Task EnsureTargetsLoadedAsync(CancellationToken cancellationToken) => targets.EnsureLoadedAsync(cancellationToken);

    /// <summary>As <see cref="Find"/>, reading the monitored domains again when the target is not known (added in the dashboard on another node).</summary>
    public async Task<BlacklistTarget?> FindAsync(string text, CancellationToken cancellationToken)
    {
        await targets.EnsureLoadedAsync(cancellationToken).ConfigureAwait(false);
        if (Find(text) is { } known)
        {
            return known;
        }

        await targets.RefreshAsync(cancellationToken).ConfigureAwait(false);
        return Find(text);
    }

    /// <summary>The known target written as <paramref name="text"/> (any case, any IPv6 spelling), or null.</summary>
    public BlacklistTarget? Find(string text) =>
        BlacklistTarget.TryParse(text, out var parsed, out _) ? Targets.FirstOrDefault(t => t == parsed) : null;

    private async Task<BlacklistCheckOutcome> CheckAsync(IReadOnlyList<BlacklistTarget> targets, CancellationToken cancellationToken)
    {
        await RestoreQueryCountsOnceAsync(cancellationToken).ConfigureAwait(false);
        var checker = new BlacklistChecker(dns, new BlacklistCheckerOptions { MaxConcurrency = options.Value.MaxConcurrency }, cache, budget);
        var report = await checker.CheckAsync(targets, Zones, cancellationToken).ConfigureAwait(false);
        foreach (var health in report.Zones)
        {
            _health[health.Zone.Name] = health;
            if (!health.IsTrusted)
            {
                LogZoneNotTrusted(health.Zone.Name, health.Status, health.Reason);
            }
        }

        foreach (var verdict in report.Verdicts)
        {
            metrics?.BlacklistAnswered(verdict.Zone.Name, verdict.Status);
        }

        var events = await store.SaveAsync(report, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        await store.SaveQueryCountsAsync(budget.Snapshot(), cancellationToken).ConfigureAwait(false);
        foreach (var change in events)
        {
            LogChange(change.Target, change.Zone, change.Kind, change.Codes);
            metrics?.BlacklistChanged(change.Zone, change.Kind);
            feed.Publish(BlacklistChanged.From(change));
        }

        var outcome = new BlacklistCheckOutcome(
            targets.Count,
            report.Verdicts.Count,
            report.Verdicts.Count(v => v.Status == BlacklistStatus.Listed),
            report.Verdicts.Count(v => !v.IsDefinitive),
            events);
        LogCheck(outcome.Targets, outcome.Verdicts, outcome.Listed, outcome.NoVerdict, events.Count);
        return outcome;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Blacklist check: {Targets} targets, {Verdicts} answers, {Listed} listed, {NoVerdict} without a verdict, {Events} listing changes")]
    private partial void LogCheck(int targets, int verdicts, int listed, int noVerdict, int events);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Target} {Kind} on {Zone} (codes {Codes})")]
    private partial void LogChange(string target, string zone, string kind, string codes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Blacklist zone {Zone} is not trusted ({Status}): {Reason}")]
    private partial void LogZoneNotTrusted(string zone, BlacklistZoneHealthStatus status, string reason);
}
