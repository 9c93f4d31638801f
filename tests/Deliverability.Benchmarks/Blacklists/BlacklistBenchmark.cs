using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Deliverability.Benchmarks.Nsd;
using Deliverability.Core.Blacklists;
using Deliverability.Core.Dns;

namespace Deliverability.Benchmarks.Blacklists;

/// <summary>The blacklist benchmark's knobs (see Program.cs for each option's description).</summary>
public sealed record BlacklistBenchmarkSettings
{
    public const double TargetLookupsPerSecond = 5000;

    public int Ips { get; init; } = 1000;

    public int Zones { get; init; } = 10;

    public int ListedPercent { get; init; } = 10;

    public int Passes { get; init; } = 5;

    public double MaxPassSeconds { get; init; } = 120;

    /// <summary>Concurrency, baseline, resolver and NSD settings shared with the audit benchmark.</summary>
    public BenchmarkSettings Common { get; init; } = new() { BaselineSeconds = 5, OutputPath = "artifacts/bench/blacklists.json" };

    public IReadOnlyList<string> Validate()
    {
        var problems = Common.Validate().ToList();
        if (Ips is < 1 or > 100_000)
        {
            problems.Add("--ips must be 1 to 100,000");
        }

        if (Zones is < 1 or > 100)
        {
            problems.Add("--zones must be 1 to 100");
        }

        if (ListedPercent is < 0 or > 100)
        {
            problems.Add("--listed-percent must be 0 to 100");
        }

        if (Passes is < 1 or > 100)
        {
            problems.Add("--passes must be 1 to 100");
        }

        if (MaxPassSeconds is <= 0 or > 3600)
        {
            problems.Add("--max-pass-seconds must be more than 0 and at most 3600");
        }

        return problems;
    }
}

/// <summary>One BlacklistChecker pass over every (IP, zone) pair.</summary>
public sealed record BlacklistPass(
    int Pass, long Lookups, double Seconds, double LookupsPerSecond, long ResolverQueries, long DnsFailures, long? ServerQueries, double? ServerQueriesPerSecond,
    double ClientCores, double ServerCores, double OtherCores, long Listed, long NotListed, long Other, long WrongVerdicts, int HealthyZones, double ClientPeakMegabytes);

public sealed record BlacklistBenchmarkReport(
    string Benchmark,
    DateTimeOffset StartedAt,
    MachineSummary Machine,
    int Ips,
    int Zones,
    long ExpectedListings,
    int Concurrency,
    DnsServerSummary DnsServer,
    BaselineSummary Baseline,
    IReadOnlyList<BlacklistPass> Passes,
    double MedianLookupsPerSecond,
    double TargetLookupsPerSecond,
    double MedianServerToBaselineRatio,
    double ClientPeakMegabytes,
    double DnsServerPeakMegabytes,
    bool MeetsTarget,
    bool Valid,
    IReadOnlyList<string> Problems)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public void WriteTable(TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"Blacklist benchmark: {Ips:N0} IPs x {Zones} zones = {Ips * Zones:N0} lookups per pass, checker concurrency {Concurrency}, {Machine.ProcessorCount} cores");
        output.WriteLine($"DNS server: {DnsServer.Software} on {DnsServer.Endpoint}, {DnsServer.ZoneRecords:N0} records");
        foreach (var run in Baseline.Runs.Append(Baseline.DnsClientLibrary).Append(Baseline.ServerCeiling).OfType<BaselineRun>())
        {
            output.WriteLine($"  baseline {run.Label,-9} {run.QueriesPerSecond,9:N0} q/s (NSD counted {run.ServerQueriesPerSecond ?? double.NaN,9:N0} q/s)  client {run.ClientCores:F2} cores, NSD {run.ServerCores:F2}, others {run.OtherCores:F2}  client {run.ClientCpuMicrosecondsPerQuery:F1} us/q, {run.AllocatedBytesPerQuery:N0} B/q  failures {run.Failures:N0}");
        }

        output.WriteLine($"  {"pass",4} {"lookups/s",10} {"NSD q/s",9} {"vs base",7} {"client",6} {"NSD",5} {"others",6} {"listed",7} {"wrong",5} {"failures",8}");
        foreach (var pass in Passes)
        {
            var ratio = pass.ServerQueriesPerSecond / Baseline.MeanQueriesPerSecond;
            output.WriteLine($"  {pass.Pass,4} {pass.LookupsPerSecond,10:N0} {pass.ServerQueriesPerSecond ?? double.NaN,9:N0} {ratio ?? double.NaN,7:P0} {pass.ClientCores,6:F2} {pass.ServerCores,5:F2} {pass.OtherCores,6:F2} {pass.Listed,7:N0} {pass.WrongVerdicts,5:N0} {pass.DnsFailures,8:N0}");
        }

        output.WriteLine($"Median: {MedianLookupsPerSecond:N0} zone lookups/s (target {TargetLookupsPerSecond:N0}: {(MeetsTarget ? "met" : "NOT met")}); NSD rate during the checks = {MedianServerToBaselineRatio:P0} of the raw-query baseline");
        if (Baseline.ServerCeiling is { } ceiling)
        {
            output.WriteLine($"Median lookups/s = {MedianLookupsPerSecond / ceiling.QueriesPerSecond:F3} x dnsperf's q/s in the same run (the NSD ceiling)");
        }

        output.WriteLine($"Listed per pass: expected {ExpectedListings:N0}; peak RSS: benchmark {ClientPeakMegabytes:F0} MB, NSD {DnsServerPeakMegabytes:F0} MB");
        output.WriteLine(Valid ? "Run valid." : "RUN INVALID:");
        foreach (var problem in Problems)
        {
            output.WriteLine($"  - {problem}");
        }
    }
}

/// <summary>
/// Serves generated IP block lists from NSD on 127.0.0.1, measures the raw-query baseline (production resolver at the
/// checker's concurrency, then dnsperf), then runs <see cref="BlacklistChecker"/> over every IP and zone several times.
/// Every verdict is compared with the generated listings: one wrong verdict makes the run invalid (exit 1).
/// </summary>
public static class BlacklistBenchmark
{
    public const int InvalidRun = 1;

    public static async Task<int> RunAsync(BlacklistBenchmarkSettings settings, TextWriter output, CancellationToken cancellationToken)
    {
        var common = settings.Common;
        var startedAt = DateTimeOffset.UtcNow;
        var directory = Directory.CreateTempSubdirectory("monitor-bl-bench-");
        try
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var zones = BlacklistBenchmarkZones.Generate(settings.Ips, settings.Zones, settings.ListedPercent);
            var files = zones.WriteTo(directory.FullName);
            var generateSeconds = clock.Elapsed.TotalSeconds;
            clock.Restart();
            await using var server = await NsdServer.StartAsync(directory.FullName, files, common.NsdServerCount, $"2.0.0.127.{zones.Zones[^1].Name}", cancellationToken).ConfigureAwait(false);
            var startSeconds = clock.Elapsed.TotalSeconds;
            output.WriteLine($"{server.Version} answers on {server.Endpoint} (pid {server.ProcessId}): {zones.Zones.Count} zones, {zones.Listings.Count:N0} listings");

            var questions = zones.Questions();
            var duration = TimeSpan.FromSeconds(common.BaselineSeconds);
            output.WriteLine("Warming up ...");
            await DnsQueryBlast.RunAsync("warm-up", server, questions, common, TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
            await PassAsync(0, server, zones, settings, cancellationToken).ConfigureAwait(false);

            output.WriteLine($"DNS baseline (before), {common.BaselineSeconds:F0} s ...");
            var before = await DnsQueryBlast.RunAsync("before", server, questions, common, duration, cancellationToken).ConfigureAwait(false);
            output.WriteLine(Executables.Find("dnsperf") is null ? "dnsperf is not installed: no server ceiling" : $"Server ceiling with dnsperf, {common.BaselineSeconds:F0} s ...");
            var ceiling = await DnsperfBlast.RunAsync(server, questions, directory.FullName, duration, cancellationToken).ConfigureAwait(false);
            output.WriteLine($"The same blast through DnsClient (the library the resolver replaced), {common.BaselineSeconds:F0} s ...");
            var library = await DnsQueryBlast.RunAsync("dnsclient", server, questions, common, duration, cancellationToken, dnsClientLibrary: true).ConfigureAwait(false);

            var passes = new List<BlacklistPass>();
            for (var pass = 1; pass <= settings.Passes; pass++)
            {
                output.WriteLine($"Checker pass {pass} of {settings.Passes} ...");
                passes.Add(await PassAsync(pass, server, zones, settings, cancellationToken).ConfigureAwait(false));
            }

            output.WriteLine($"DNS baseline (after), {common.BaselineSeconds:F0} s ...");
            var after = await DnsQueryBlast.RunAsync("after", server, questions, common, duration, cancellationToken).ConfigureAwait(false);

            var baseline = new BaselineSummary([BaselineRun.Of(before), BaselineRun.Of(after)], ceiling is null ? null : BaselineRun.Of(ceiling), BaselineRun.Of(library));
            var problems = Problems(settings, zones, baseline, passes);
            var median = Median(passes.Select(p => p.LookupsPerSecond));
            var report = new BlacklistBenchmarkReport(
                "blacklists",
                startedAt,
                MachineSummary.Current(),
                settings.Ips,
                settings.Zones,
                zones.Listings.Count,
                common.Concurrency,
                new DnsServerSummary(server.Version, server.Endpoint, common.NsdServerCount, files.Sum(f => (long)f.RecordCount), generateSeconds, startSeconds),
                baseline,
                passes,
                median,
                BlacklistBenchmarkSettings.TargetLookupsPerSecond,
                Median(passes.Select(p => (p.ServerQueriesPerSecond ?? double.NaN) / baseline.MeanQueriesPerSecond)),
                ProcessPeak.OverallBytes / MemorySummary.Megabyte,
                server.PeakResidentBytes() / MemorySummary.Megabyte,
                median >= BlacklistBenchmarkSettings.TargetLookupsPerSecond,
                problems.Count == 0,
                problems);
            report.WriteTable(output);
            var path = Path.GetFullPath(common.OutputPath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, report.ToJson() + "\n", cancellationToken).ConfigureAwait(false);
            output.WriteLine($"Written to {path}");
            return report.Valid ? 0 : InvalidRun;
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static async Task<BlacklistPass> PassAsync(int number, NsdServer server, BlacklistBenchmarkZones zones, BlacklistBenchmarkSettings settings, CancellationToken cancellationToken)
    {
        // Cache off: every lookup reaches NSD, as the first check of an IP does in production.
        var resolver = new CountingResolver(new DnsStubResolver(settings.Common.DnsOptions(server.Endpoint, useCache: false)));
        var checker = new BlacklistChecker(resolver, new BlacklistCheckerOptions { MaxConcurrency = settings.Common.Concurrency });
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(settings.MaxPassSeconds));
        var meter = await PhaseMeter.StartAsync(server, cancellationToken).ConfigureAwait(false);
        BlacklistReport report;
        try
        {
            report = await checker.CheckAsync(zones.Targets, zones.Zones, limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"checker pass {number} still running after {settings.MaxPassSeconds:F0} s (--max-pass-seconds)");
        }

        var cost = await meter.StopAsync(cancellationToken).ConfigureAwait(false);
        var zoneIndex = zones.Zones.Select((z, i) => (z.Name, i)).ToDictionary(p => p.Name, p => p.i);
        var ipIndex = zones.Targets.Select((t, i) => (t.Text, i)).ToDictionary(p => p.Text, p => p.i);
        var wrong = report.Verdicts.LongCount(v =>
            (v.Status == BlacklistStatus.Listed) != zones.Listings.Contains((zoneIndex[v.Zone.Name], ipIndex[v.Target.Text]))
            || v.Status is not (BlacklistStatus.Listed or BlacklistStatus.NotListed));
        return new BlacklistPass(
            number,
            report.Verdicts.Count,
            cost.Seconds,
            report.Verdicts.Count / cost.Seconds,
            resolver.Queries,
            resolver.Failures + resolver.Exceptions,
            cost.ServerQueries,
            cost.ServerQueriesPerSecond,
            cost.ClientCores,
            cost.ServerCores,
            cost.OtherCores,
            report.Verdicts.LongCount(v => v.Status == BlacklistStatus.Listed),
            report.Verdicts.LongCount(v => v.Status == BlacklistStatus.NotListed),
            report.Verdicts.LongCount(v => v.Status is not (BlacklistStatus.Listed or BlacklistStatus.NotListed)),
            wrong,
            report.Zones.Count(h => h.IsTrusted),
            cost.ClientPeakBytes / MemorySummary.Megabyte);
    }

    private static List<string> Problems(BlacklistBenchmarkSettings settings, BlacklistBenchmarkZones zones, BaselineSummary baseline, IReadOnlyList<BlacklistPass> passes)
    {
        var problems = new List<string>();
        var pairs = (long)settings.Ips * settings.Zones;
        foreach (var run in baseline.Runs.Where(r => r.Failures * 100.0 > r.Queries * settings.Common.MaxFailedPercent))
        {
            problems.Add($"baseline {run.Label}: {run.Failures:N0} of {run.Queries:N0} queries failed");
        }

        foreach (var pass in passes)
        {
            if (pass.Lookups != pairs)
            {
                problems.Add($"pass {pass.Pass}: {pass.Lookups:N0} verdicts for {pairs:N0} (IP, zone) pairs");
            }

            if (pass.Listed != zones.Listings.Count || pass.WrongVerdicts > 0)
            {
                problems.Add($"pass {pass.Pass}: {pass.Listed:N0} listed (expected exactly {zones.Listings.Count:N0}), {pass.WrongVerdicts:N0} verdicts differ from the generated listings, {pass.Other:N0} Error/Refused");
            }

            if (pass.HealthyZones != settings.Zones)
            {
                problems.Add($"pass {pass.Pass}: {settings.Zones - pass.HealthyZones} zones failed their RFC 5782 self-test");
            }
        }

        return problems;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
