using System.Collections.Concurrent;
using System.Diagnostics;
using Deliverability.Benchmarks.Nsd;
using Deliverability.Benchmarks.Zones;
using Deliverability.Core.Audits;
using Deliverability.Core.Dns;

namespace Deliverability.Benchmarks;

/// <summary>One pass of audits over the generated domains: throughput, queries, latency, and what the audits found.</summary>
public sealed record AuditPassResult(
    bool Cache,
    int Planned,
    int Completed,
    bool TimedOut,
    PhaseCost Cost,
    long ResolverQueries,
    long DnsFailures,
    long ResolverExceptions,
    IReadOnlyDictionary<string, long> QueriesByType,
    IReadOnlyDictionary<string, long> DnsOutcomes,
    IReadOnlyDictionary<string, long> AuditStatuses,
    IReadOnlyDictionary<string, long> CheckStatuses,
    IReadOnlyList<KeyValuePair<string, long>> TopFindings,
    long CrashedChecks,
    LatencySummary LatencyMs)
{
    public double AuditsPerSecond => Completed / Cost.Seconds;

    /// <summary>Questions the checks asked the resolver (cache hits included).</summary>
    public double QueriesPerAudit => Completed == 0 ? 0 : (double)ResolverQueries / Completed;

    public double ResolverQueriesPerSecond => ResolverQueries / Cost.Seconds;

    /// <summary>Queries that reached the server (cache misses), by the server's own count.</summary>
    public double? ServerQueriesPerAudit => Completed == 0 ? null : (double?)Cost.ServerQueries / Completed;

    /// <summary>Audits that did not end Ok or Warning.</summary>
    public long FailedAudits => Planned - AuditStatuses.GetValueOrDefault(nameof(CheckStatus.Ok)) - AuditStatuses.GetValueOrDefault(nameof(CheckStatus.Warning));
}

public sealed record LatencySummary(double P50, double P95, double P99, double Max)
{
    public static LatencySummary Of(double[] values)
    {
        if (values.Length == 0)
        {
            return new LatencySummary(0, 0, 0, 0);
        }

        Array.Sort(values);
        return new LatencySummary(At(0.50), At(0.95), At(0.99), values[^1]);

        double At(double quantile) => values[Math.Min(values.Length - 1, (int)Math.Ceiling(quantile * values.Length) - 1)];
    }
}

/// <summary>Audits every domain through <see cref="DomainAuditor"/> and the production resolver, at bounded concurrency.</summary>
public static class AuditPass
{
    private const int TopFindingCount = 15;

    public static async Task<AuditPassResult> RunAsync(
        NsdServer server, IReadOnlyList<BenchmarkDomain> domains, IReadOnlyList<IDomainCheck> checks, BenchmarkSettings settings, bool cache, CancellationToken cancellationToken,
        Func<BenchmarkDomain, DomainAuditRequest>? request = null)
    {
        request ??= domain => domain.Request;
        using var production = new DnsStubResolver(settings.DnsOptions(server.Endpoint, cache));
        var resolver = new CountingResolver(production);
        var auditor = new DomainAuditor(resolver, checks);
        var statuses = new long[Enum.GetValues<CheckStatus>().Length];
        // Counted under structured keys and put in words once at the end: the harness's own CPU counts as the client's, and
        // a formatted string per check and finding of every audit was a visible share of it.
        var checkStatuses = new ConcurrentDictionary<(string Check, CheckStatus Status), long>();
        var findings = new ConcurrentDictionary<(string Code, Severity Severity), long>();
        var crashed = 0L;
        var latencies = new double[domains.Count];
        var completed = 0;

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(settings.MaxAuditSeconds));
        var options = new ParallelOptions { MaxDegreeOfParallelism = settings.Concurrency, CancellationToken = limit.Token };
        var meter = await PhaseMeter.StartAsync(server, cancellationToken).ConfigureAwait(false);
        var timedOut = false;
        try
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, domains.Count), options, async (index, token) =>
            {
                var started = Stopwatch.GetTimestamp();
                var report = await auditor.AuditAsync(request(domains[index]), token).ConfigureAwait(false);
                latencies[index] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                Interlocked.Increment(ref statuses[(int)report.Status]);
                foreach (var check in report.Checks)
                {
                    checkStatuses.AddOrUpdate((check.Check, check.Status), 1, static (_, n) => n + 1);
                    foreach (var finding in check.Findings)
                    {
                        findings.AddOrUpdate((finding.Code, finding.Severity), 1, static (_, n) => n + 1);
                        if (finding.Code == "check.crashed")
                        {
                            Interlocked.Increment(ref crashed);
                        }
                    }
                }

                Interlocked.Increment(ref completed);
            }).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The time bound: report what finished, and the run fails on it.
            timedOut = true;
        }

        var cost = await meter.StopAsync(cancellationToken).ConfigureAwait(false);
        return new AuditPassResult(
            cache,
            domains.Count,
            completed,
            timedOut,
            cost,
            resolver.Queries,
            resolver.Failures,
            resolver.Exceptions,
            resolver.ByType,
            resolver.ByStatus,
            Enum.GetValues<CheckStatus>().Where(s => statuses[(int)s] > 0).ToDictionary(s => s.ToString(), s => statuses[(int)s]),
            checkStatuses.ToDictionary(p => $"{p.Key.Check}: {p.Key.Status}", p => p.Value).OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(),
            [.. findings.ToDictionary(p => $"{p.Key.Code} ({p.Key.Severity})", p => p.Value).OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Take(TopFindingCount)],
            crashed,
            LatencySummary.Of(latencies.Where(l => l > 0).ToArray()));
    }
}
