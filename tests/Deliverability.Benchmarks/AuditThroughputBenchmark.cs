using System.Diagnostics;
using Deliverability.Benchmarks.Nsd;
using Deliverability.Benchmarks.Zones;
using Deliverability.Core.Audits;

namespace Deliverability.Benchmarks;

/// <summary>
/// The run: generate the zones, start NSD, measure the DNS baseline, audit every domain (per cache mode), measure the
/// baseline again (its spread is the noise floor), then report. All traffic goes to 127.0.0.1 and every phase is bounded.
/// </summary>
public static class AuditThroughputBenchmark
{
    public const int InvalidRun = 1;
    public const int NoChecks = 3;

    // Enough calls for tiered compilation to reach its optimized code on every hot path, even when a busy machine
    // starves the background JIT: with 300 audits the first measured pass still ran partly unoptimized.
    private const int WarmUpDomains = 1500;

    // One warm-up pass was not enough either: a profile of the measured pass showed the background JIT busy for its first
    // 4 seconds (0.3-0.6 of a core). Warm-up passes repeat until one compiles fewer methods than this.
    private const long SteadyMethodsCompiled = 50;
    private const int MaxWarmUpPasses = 6;
    private static readonly TimeSpan WarmUpBlast = TimeSpan.FromSeconds(2);

    public static async Task<int> RunAsync(BenchmarkSettings settings, TextWriter output, CancellationToken cancellationToken)
    {
        var checks = settings.SyntheticChecks ? SyntheticChecks.SyntheticChecks.All() : DomainChecks.All();
        if (checks.Count == 0)
        {
            output.WriteLine("DomainChecks.All() is empty: there is no audit to measure yet. Run with --synthetic-checks to test the harness alone.");
            return NoChecks;
        }

        var startedAt = DateTimeOffset.UtcNow;
        var directory = Directory.CreateTempSubdirectory("monitor-bench-");
        try
        {
            var clock = Stopwatch.StartNew();
            output.WriteLine($"Generating {settings.Domains:N0} domains in {directory.FullName} ...");
            var zones = BenchmarkZones.Generate(settings.Domains, settings.EspCount, settings.DkimKeyCount);
            var files = zones.WriteTo(directory.FullName);
            var generateSeconds = clock.Elapsed.TotalSeconds;

            clock.Restart();
            var last = zones.Domains[^1];
            await using var server = await NsdServer.StartAsync(directory.FullName, files, settings.NsdServerCount, $"_dmarc.{last.Name}", cancellationToken).ConfigureAwait(false);
            var startSeconds = clock.Elapsed.TotalSeconds;
            output.WriteLine($"{server.Version} answers on {server.Endpoint} (pid {server.ProcessId}) after {startSeconds:F1} s");

            // Warm-up (not reported): JIT and tiered compilation of the client, NSD's first touches of its data.
            output.WriteLine("Warming up ...");
            await DnsQueryBlast.RunAsync("warm-up", server, zones.Domains, settings, WarmUpBlast, cancellationToken).ConfigureAwait(false);
            foreach (var cache in settings.CacheModes)
            {
                var warmUp = await WarmUpAsync(server, [.. zones.Domains.Take(WarmUpDomains)], checks, settings, cache, cancellationToken).ConfigureAwait(false);
                output.WriteLine($"  {warmUp.Passes} warm-up pass(es) of {WarmUpDomains:N0} audits, cache {(cache ? "on" : "off")}; the last compiled {warmUp.LastCompiled:N0} method(s)");
            }

            var baselineDuration = TimeSpan.FromSeconds(settings.BaselineSeconds);
            output.WriteLine($"DNS baseline (before), {settings.BaselineSeconds:F0} s ...");
            var before = await DnsQueryBlast.RunAsync("before", server, zones.Domains, settings, baselineDuration, cancellationToken).ConfigureAwait(false);
            output.WriteLine(Executables.Find("dnsperf") is null ? "dnsperf is not installed: no server ceiling (apt-get install -y dnsperf)" : $"Server ceiling with dnsperf, {settings.BaselineSeconds:F0} s ...");
            var ceiling = await DnsperfBlast.RunAsync(server, zones.Domains, directory.FullName, baselineDuration, cancellationToken).ConfigureAwait(false);
            output.WriteLine($"The same blast through DnsClient (the library the resolver replaced), {settings.BaselineSeconds:F0} s ...");
            var library = await DnsQueryBlast.RunAsync("dnsclient", server, zones.Domains, settings, baselineDuration, cancellationToken, dnsClientLibrary: true).ConfigureAwait(false);
            var passes = new List<AuditPassResult>();
            foreach (var cache in settings.CacheModes)
            {
                output.WriteLine($"Auditing {settings.Domains:N0} domains, resolver cache {(cache ? "on" : "off")} ...");
                passes.Add(await AuditPass.RunAsync(server, zones.Domains, checks, settings, cache, cancellationToken).ConfigureAwait(false));
            }

            output.WriteLine($"DNS baseline (after), {settings.BaselineSeconds:F0} s ...");
            var after = await DnsQueryBlast.RunAsync("after", server, zones.Domains, settings, baselineDuration, cancellationToken).ConfigureAwait(false);

            var baseline = new BaselineSummary([BaselineRun.Of(before), BaselineRun.Of(after)], ceiling is null ? null : BaselineRun.Of(ceiling), BaselineRun.Of(library));
            var audits = passes.Select(p => AuditSummary.Of(p, baseline.MeanQueriesPerSecond, baseline.ServerCeiling?.QueriesPerSecond)).ToArray();
            var memory = MemorySummary.Measure(audits, server.PeakResidentBytes());
            var report = new BenchmarkReport(
                "audit-throughput",
                startedAt,
                settings.SyntheticChecks,
                settings.SyntheticChecks
                    ? "HARNESS TEST with benchmark-local synthetic checks (--synthetic-checks): these are NOT the product's figures"
                    : "the product's checks (DomainChecks.All())",
                [.. checks.Select(c => c.Name)],
                MachineSummary.Current(),
                SettingsSummary.Of(settings),
                new DnsServerSummary(server.Version, server.Endpoint, settings.NsdServerCount, files.Sum(f => (long)f.RecordCount), generateSeconds, startSeconds),
                baseline,
                audits,
                memory,
                Verdict(settings, baseline, audits, memory));

            report.WriteTable(output);
            var path = Path.GetFullPath(settings.OutputPath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, report.ToJson() + "\n", cancellationToken).ConfigureAwait(false);
            output.WriteLine($"Written to {path}");
            return report.Verdict.Valid ? 0 : InvalidRun;
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static VerdictSummary Verdict(BenchmarkSettings settings, BaselineSummary baseline, IReadOnlyList<AuditSummary> audits, MemorySummary memory)
    {
        var problems = new List<string>();
        foreach (var run in baseline.Runs.Where(r => r.Failures * 100.0 > r.Queries * settings.MaxFailedPercent))
        {
            problems.Add($"baseline {run.Label}: {run.Failures:N0} of {run.Queries:N0} queries failed (timeout/SERVFAIL/error)");
        }

        foreach (var audit in audits)
        {
            var label = $"cache {audit.DnsCache}";
            if (audit.TimedOut)
            {
                problems.Add($"{label}: stopped after {settings.MaxAuditSeconds:F0} s with {audit.AuditsCompleted:N0} of {audit.AuditsPlanned:N0} audits done");
            }

            if (audit.FailedPercent > settings.MaxFailedPercent)
            {
                problems.Add($"{label}: {audit.FailedPercent:F2}% of audits ended Error or Unknown (at most {settings.MaxFailedPercent}%): see the top findings and the DNS outcomes");
            }

            if (audit.DnsFailures * 100.0 > audit.ResolverQueries * settings.MaxFailedPercent)
            {
                problems.Add($"{label}: {audit.DnsFailures:N0} DNS queries failed (timeout/SERVFAIL/error)");
            }

            if (audit.ResolverExceptions > 0)
            {
                problems.Add($"{label}: the resolver threw {audit.ResolverExceptions:N0} times (it must return a DnsStatus instead), see the DNS outcomes");
            }

            if (audit.CrashedChecks > 0)
            {
                problems.Add($"{label}: {audit.CrashedChecks:N0} checks crashed");
            }
        }

        return new VerdictSummary(
            problems.Count == 0,
            problems,
            audits.All(a => a.AuditsPerSecond >= BenchmarkReport.TargetAuditsPerSecond),
            memory.PeakResidentMegabytes <= BenchmarkReport.TargetPeakMegabytes);
    }

    /// <summary>Audit passes over the first domains until tiered compilation has settled (few methods compiled in a pass).</summary>
    public static async Task<(int Passes, long LastCompiled)> WarmUpAsync(
        NsdServer server, IReadOnlyList<BenchmarkDomain> domains, IReadOnlyList<IDomainCheck> checks, BenchmarkSettings settings, bool cache, CancellationToken cancellationToken,
        Func<BenchmarkDomain, DomainAuditRequest>? request = null)
    {
        var passes = 0;
        long compiled;
        do
        {
            var before = System.Runtime.JitInfo.GetCompiledMethodCount();
            await AuditPass.RunAsync(server, domains, checks, settings, cache, cancellationToken, request).ConfigureAwait(false);
            // The background JIT promotes what the pass made hot after a short delay: let it finish before counting.
            await Task.Delay(TimeSpan.FromMilliseconds(300), cancellationToken).ConfigureAwait(false);
            compiled = System.Runtime.JitInfo.GetCompiledMethodCount() - before;
            passes++;
        }
        while (compiled >= SteadyMethodsCompiled && passes < MaxWarmUpPasses);

        return (passes, compiled);
    }
}
