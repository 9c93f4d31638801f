using System.Diagnostics;
using Deliverability.Core.Dns;
using Deliverability.Core.Metrics;

namespace Deliverability.Core.Audits;

/// <summary>The audit of one domain: every check's result, and the overall status.</summary>
public sealed record DomainAuditReport(string Domain, DateTimeOffset CheckedAt, CheckStatus Status, IReadOnlyList<CheckResult> Checks)
{
    public IEnumerable<Finding> Findings => Checks.SelectMany(c => c.Findings);

    /// <summary>The CLI's exit code: 0 all good, 1 warnings, 2 errors (an inconclusive check counts as a warning).</summary>
    public int ExitCode => Status switch
    {
        CheckStatus.Ok => 0,
        CheckStatus.Warning or CheckStatus.Unknown => 1,
        _ => 2,
    };
}

/// <summary>Runs every check of a domain: stage 0 concurrently, then each later stage; each check's status and duration go to <paramref name="metrics"/>.</summary>
public sealed class DomainAuditor(IDnsResolver dns, IEnumerable<IDomainCheck> checks, TimeProvider? time = null, DeliverabilityMetrics? metrics = null)
{
    private readonly IDomainCheck[][] _stages = [.. checks.GroupBy(c => c.Stage).OrderBy(g => g.Key).Select(g => g.ToArray())];
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public async Task<DomainAuditReport> AuditAsync(DomainAuditRequest request, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        var context = new DomainAuditContext(request with { Domain = DnsNames.Normalize(request.Domain) }, new AuditScopedResolver(dns));
        // Arrays sized up front: this runs for every domain of every cycle, and LINQ's iterators showed in its allocations.
        var results = new CheckResult[_stages.Sum(s => s.Length)];
        var done = 0;
        foreach (var stage in _stages)
        {
            var running = new Task<CheckResult>[stage.Length];
            for (var i = 0; i < stage.Length; i++)
            {
                running[i] = RunSafelyAsync(stage[i], context, cancellationToken);
            }

            (await Task.WhenAll(running).ConfigureAwait(false)).CopyTo(results, done);
            done += stage.Length;
        }

        var status = OverallStatus(results);
        metrics?.DomainAudited(status, Stopwatch.GetElapsedTime(started));
        return new DomainAuditReport(context.Request.Domain, _time.GetUtcNow(), status, results);
    }

    /// <summary>Error beats Unknown beats Warning beats Ok: a broken record matters more than a timeout.</summary>
    public static CheckStatus OverallStatus(IEnumerable<CheckResult> results)
    {
        bool unknown = false, warning = false;
        foreach (var result in results)
        {
            switch (result.Status)
            {
                case CheckStatus.Error:
                    return CheckStatus.Error;
                case CheckStatus.Unknown:
                    unknown = true;
                    break;
                case CheckStatus.Warning:
                    warning = true;
                    break;
            }
        }

        return unknown ? CheckStatus.Unknown : warning ? CheckStatus.Warning : CheckStatus.Ok;
    }

    // A bug in one check must not hide the others: it becomes that check's error finding.
    private async Task<CheckResult> RunSafelyAsync(IDomainCheck check, DomainAuditContext context, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        CheckResult result;
        try
        {
            result = await check.RunAsync(context, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            result = CheckResult.From(check.Name, [Finding.Error("check.crashed", $"The {check.Name} check failed unexpectedly: {ex.Message}", "Report this as a bug with the domain's records.")]);
        }

        metrics?.CheckCompleted(result.Check, result.Status, Stopwatch.GetElapsedTime(started));
        return result;
    }
}
