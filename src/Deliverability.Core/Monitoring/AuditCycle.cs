using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Deliverability.Core.Audits;
using Deliverability.Core.Dns;
using Deliverability.Core.Live;
using Deliverability.Core.Storage;

namespace Deliverability.Core.Monitoring;

/// <summary>What one cycle did.</summary>
public sealed record AuditCycleOutcome(int Audited, int Failed, int Changes, int HistoryRemoved);

/// <summary>
/// Audits every monitored domain (<see cref="MonitoredDomainCatalog"/>: configured and added from the dashboard), a bounded
/// number at a time, and stores each result as soon as it is ready.
/// </summary>
public sealed partial class AuditCycle(
    DomainAuditor auditor,
    AuditResultStore store,
    MonitoredDomainCatalog domains,
    IOptions<MonitorOptions> monitor,
    IOptions<StorageOptions> storage,
    ILogger<AuditCycle> logger,
    LiveFeed<DomainAuditCompleted>? completed = null)
{
    /// <summary>Audits every monitored domain.</summary>
    public Task<AuditCycleOutcome> RunAsync(CancellationToken cancellationToken) => RunAsync(null, cancellationToken);

    /// <summary>
    /// Audits every monitored domain, except, when <paramref name="skipAuditedSince"/> is given, those whose last audit is at
    /// or after it: a fire that repeats one already (partly) done audits only what that one did not.
    /// </summary>
    public async Task<AuditCycleOutcome> RunAsync(DateTimeOffset? skipAuditedSince, CancellationToken cancellationToken)
    {
        var options = monitor.Value;
        var audited = 0;
        var failed = 0;
        var changes = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Audit.MaxConcurrency), CancellationToken = cancellationToken };
        IEnumerable<CatalogDomain> all = await domains.GetAllAsync(cancellationToken).ConfigureAwait(false);
        if (skipAuditedSince is { } since)
        {
            var current = await store.GetAuditedSinceAsync(since, cancellationToken).ConfigureAwait(false);
            all = all.Where(d => !current.Contains(d.Name.Ascii)).ToList();
        }

        await Parallel.ForEachAsync(all, parallel, async (domain, ct) =>
        {
            try
            {
                var (_, transitions) = await AuditAndSaveAsync(domain.Domain, ct).ConfigureAwait(false);
                Interlocked.Increment(ref audited);
                Interlocked.Add(ref changes, transitions.Count);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One domain's failure (a database hiccup, a bug) must not stop the others.
                Interlocked.Increment(ref failed);
                LogDomainFailed(ex, domain.Name.Ascii);
            }
        }).ConfigureAwait(false);

        var removed = await store.ApplyRetentionAsync(storage.Value.Retention, cancellationToken).ConfigureAwait(false);
        var outcome = new AuditCycleOutcome(audited, failed, changes, removed);
        LogCycle(outcome.Audited, outcome.Failed, outcome.Changes, outcome.HistoryRemoved);
        return outcome;
    }

    /// <summary>Audits one monitored domain now and stores the result; null when the domain is not monitored.</summary>
    public async Task<DomainAuditReport?> AuditDomainAsync(DomainName domain, CancellationToken cancellationToken)
    {
        if (await domains.FindAsync(domain, cancellationToken).ConfigureAwait(false) is not { } monitored)
        {
            return null;
        }

        var (report, _) = await AuditAndSaveAsync(monitored.Domain, cancellationToken).ConfigureAwait(false);
        return report;
    }

    private async Task<(DomainAuditReport Report, IReadOnlyList<CheckTransitionRow> Transitions)> AuditAndSaveAsync(MonitoredDomain domain, CancellationToken cancellationToken)
    {
        var report = await auditor.AuditAsync(domain.ToRequest(), cancellationToken).ConfigureAwait(false);
        var transitions = await store.SaveAsync(report, cancellationToken).ConfigureAwait(false);
        foreach (var change in transitions)
        {
            LogChange(report.Domain, change.Check, change.FromStatus, change.ToStatus);
        }

        // After the save, so a live view that reloads on this event reads the new result.
        completed?.Publish(new DomainAuditCompleted(report.Domain, report.Status, report.CheckedAt, transitions.Count));

        return (report, transitions);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Audit of {Domain} failed")]
    private partial void LogDomainFailed(Exception exception, string domain);

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit cycle: {Audited} domains audited, {Failed} failed, {Changes} changes of status, {Removed} history rows removed")]
    private partial void LogCycle(int audited, int failed, int changes, int removed);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Domain} {Check}: {From} -> {To}")]
    private partial void LogChange(string domain, string check, CheckStatus? from, CheckStatus to);
}
