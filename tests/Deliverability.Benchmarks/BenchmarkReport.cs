using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Deliverability.Benchmarks;

/// <summary>Everything one run measured, written as JSON (<c>--out</c>) and printed as a table.</summary>
public sealed record BenchmarkReport(
    string Benchmark,
    DateTimeOffset StartedAt,
    bool SyntheticChecks,
    string ChecksNote,
    IReadOnlyList<string> Checks,
    MachineSummary Machine,
    SettingsSummary Settings,
    DnsServerSummary DnsServer,
    BaselineSummary Baseline,
    IReadOnlyList<AuditSummary> Audits,
    MemorySummary Memory,
    VerdictSummary Verdict)
{
    public const double TargetAuditsPerSecond = 3000;
    public const double TargetPeakMegabytes = 300;
    public const double TargetAllocatedKilobytesPerAudit = 100;

    /// <summary>
    /// The throughput target as a share of the DNS server's ceiling in the same run: 3,000 audits/s of 12 queries is about
    /// 0.3 x what dnsperf gets from NSD on an idle 2-core machine. A ratio travels across a noisy machine; the rate does not.
    /// </summary>
    public const double TargetShareOfDnsperf = 0.3;

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        // A file for people and tools, never embedded in HTML: keep apostrophes readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public void WriteTable(TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"Audit throughput: {Settings.Domains:N0} domains, concurrency {Settings.Concurrency}, {Machine.ProcessorCount} cores, {(Machine.ServerGc ? "server" : "workstation")} GC");
        output.WriteLine($"Checks ({Checks.Count}): {string.Join(", ", Checks)}");
        if (SyntheticChecks)
        {
            output.WriteLine("*** " + ChecksNote + " ***");
        }

        output.WriteLine($"DNS server: {DnsServer.Software} on {DnsServer.Endpoint}, {DnsServer.ServerProcesses} server process(es), {DnsServer.ZoneRecords:N0} records, answering {DnsServer.StartSeconds:F1} s after start");
        output.WriteLine();
        Baseline.WriteTable(output, "DNS baseline: raw queries (production resolver, cache off, no checks), same concurrency, audit's question mix");

        foreach (var audit in Audits)
        {
            output.WriteLine();
            output.WriteLine($"Audits, resolver cache {audit.DnsCache}: {audit.AuditsCompleted:N0}/{audit.AuditsPlanned:N0} in {audit.Seconds:F2} s{(audit.TimedOut ? " (TIMED OUT)" : "")}");
            output.WriteLine($"  audits/s              {audit.AuditsPerSecond,10:N0}   = {audit.RatioToTarget:F2} x the {TargetAuditsPerSecond:N0}/s target");
            output.WriteLine($"  share of dnsperf      {Format(audit.ShareOfDnsperfBound, "F3"),10}   of dnsperf's ceiling in audits ({Format(audit.DnsperfBoundAuditsPerSecond, "N0")}/s = dnsperf q/s / server queries per audit); target {TargetShareOfDnsperf:F2} = {Format(audit.ShareOfDnsperfBound / TargetShareOfDnsperf, "F2")} x");
            output.WriteLine($"  allocated             {audit.AllocatedKilobytesPerAudit,10:N1}   KB per audit (all threads) = {audit.AllocatedKilobytesPerAudit / TargetAllocatedKilobytesPerAudit:F2} x the {TargetAllocatedKilobytesPerAudit:N0} KB target");
            output.WriteLine($"  queries/audit         {audit.QueriesPerAudit,10:F2}   asked of the resolver ({Format(audit.ServerQueriesPerAudit, "F2")} reached the server)");
            output.WriteLine($"  server q/s            {Format(audit.ServerQueriesPerSecond, "N0"),10}   = {Format(audit.RatioServerQpsToBaseline, "F2")} x the baseline's q/s, {Format(audit.RatioServerQpsToServerCeiling, "F2")} x dnsperf's");
            output.WriteLine($"  DNS-bound audits/s    {Format(audit.DnsBoundAuditsPerSecond, "N0"),10}   (baseline q/s / server queries per audit); achieved {Format(audit.RatioToDnsBound, "F2")} of it");
            output.WriteLine($"  peak RSS              {audit.PeakResidentMegabytes,10:F0}   MB during this pass = {audit.PeakResidentMegabytes / TargetPeakMegabytes:F2} x the {TargetPeakMegabytes:F0} MB target");
            output.WriteLine($"  latency ms            p50 {audit.LatencyMs.P50:F1}, p95 {audit.LatencyMs.P95:F1}, p99 {audit.LatencyMs.P99:F1}, max {audit.LatencyMs.Max:F1}");
            output.WriteLine($"  cores busy            client {audit.ClientCores:F2}, DNS server {audit.ServerCores:F2}, other processes {audit.OtherCores:F2} (of {Machine.ProcessorCount})");
            output.WriteLine($"  CPU per audit         client {audit.ClientCpuMillisecondsPerAudit:F3} ms, DNS server {audit.ServerCpuMillisecondsPerAudit:F3} ms");
            var dnsClientMs = Baseline.ClientCpuMicrosecondsPerQuery * (audit.ServerQueriesPerAudit ?? audit.QueriesPerAudit) / 1000;
            output.WriteLine($"                        of the client's: about {dnsClientMs:F3} ms DNS client (baseline {Baseline.ClientCpuMicrosecondsPerQuery:F0} us/q x queries reaching the server), about {Math.Max(0, audit.ClientCpuMillisecondsPerAudit - dnsClientMs):F3} ms the rest (checks, auditor, cache, GC)");
            output.WriteLine($"  JIT during the pass   {audit.MethodsCompiled:N0} method(s) compiled in {audit.JitMilliseconds:F0} ms (near zero at steady state)");
            output.WriteLine($"  all Ok                {audit.AuditStatuses.GetValueOrDefault("Ok"),10:N0}   of {audit.AuditsPlanned:N0} audits");
            output.WriteLine($"  projection            {audit.ProjectedAuditsPerSecondOnIdleMachine,10:N0}   audits/s if both processes had all {Machine.ProcessorCount} cores ({Machine.ProcessorCount} / CPU per audit; not measured)");
            output.WriteLine($"  DNS outcomes          {Pairs(audit.DnsOutcomes)}; by type {Pairs(audit.QueriesByType)}");
            output.WriteLine($"  audit statuses        {Pairs(audit.AuditStatuses)} ({audit.FailedPercent:F2}% not ok/warning, {audit.CrashedChecks} crashed checks)");
            output.WriteLine($"  check statuses        {Pairs(audit.CheckStatuses)}");
            output.WriteLine("  top findings:");
            foreach (var finding in audit.TopFindings)
            {
                output.WriteLine($"    {finding.Count,8:N0}  {finding.Code}");
            }
        }

        output.WriteLine();
        output.WriteLine($"Memory: process peak RSS {Memory.PeakResidentMegabytes:F0} MB = {Memory.RatioToTarget:F2} x the {TargetPeakMegabytes:F0} MB target (audits alone {Memory.AuditPeakResidentMegabytes:F0} MB = {Memory.AuditRatioToTarget:F2} x)");
        output.WriteLine($"        GC allocated {Memory.GcAllocatedMegabytes:N0} MB in all, collections gen0/1/2 {string.Join('/', Memory.GcCollections)}; DNS server (own process) peak RSS {Memory.DnsServerPeakResidentMegabytes:F0} MB");
        output.WriteLine();
        output.WriteLine($"Summary{(SyntheticChecks ? " (SYNTHETIC HARNESS CHECKS, not the product's figures)" : "")}:");
        foreach (var audit in Audits)
        {
            output.WriteLine(
                $"  cache {audit.DnsCache,-3}  {audit.AuditsPerSecond:N0} audits/s = {audit.RatioToTarget:F2} x target, {Format(audit.ShareOfDnsperfBound, "F3")} of dnsperf's ceiling (target {TargetShareOfDnsperf:F2}) | {audit.AllocatedKilobytesPerAudit:N1} KB/audit | Ok {audit.AuditStatuses.GetValueOrDefault("Ok"):N0}/{audit.AuditsPlanned:N0} | {audit.QueriesPerAudit:F1} q/audit ({Format(audit.ServerQueriesPerAudit, "F1")} to server) | " +
                $"server {Format(audit.ServerQueriesPerSecond, "N0")} q/s = {Format(audit.RatioServerQpsToBaseline, "F2")} x baseline {Baseline.MeanQueriesPerSecond:N0} q/s (dnsperf {Format(Baseline.ServerCeiling?.QueriesPerSecond, "N0")}) | " +
                $"client CPU {audit.ClientCpuMillisecondsPerAudit:F2} ms/audit | peak {audit.PeakResidentMegabytes:F0} MB = {audit.PeakResidentMegabytes / TargetPeakMegabytes:F2} x 300 MB");
        }

        output.WriteLine(Verdict.Valid
            ? $"Run VALID. Throughput target {(Verdict.MeetsThroughputTarget ? "met" : "NOT met")}; memory target {(Verdict.MeetsMemoryTarget ? "met" : "NOT met")}."
            : $"Run INVALID: {string.Join("; ", Verdict.Problems)}");
    }

    private static string Format(double? value, string format) => value?.ToString(format, CultureInfo.InvariantCulture) ?? "n/a";

    private static string Pairs(IReadOnlyDictionary<string, long> pairs) => string.Join(", ", pairs.Select(p => $"{p.Key} {p.Value:N0}"));
}

public sealed record MachineSummary(int ProcessorCount, string Os, string Framework, bool ServerGc, string GcLatencyMode)
{
    public static MachineSummary Current() => new(
        Environment.ProcessorCount,
        RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription,
        GCSettings.IsServerGC,
        GCSettings.LatencyMode.ToString());
}

public sealed record SettingsSummary(
    int Domains, int Concurrency, double BaselineSeconds, long BaselineMaxQueries, IReadOnlyList<string> DnsCache, int EspCount, int DkimKeyCount,
    double DnsTimeoutSeconds, int DnsRetries, double MaxAuditSeconds, double MaxFailedPercent, int NsdServerCount)
{
    public static SettingsSummary Of(BenchmarkSettings s) => new(
        s.Domains, s.Concurrency, s.BaselineSeconds, s.BaselineMaxQueries, [.. s.CacheModes.Select(c => c ? "on" : "off")], s.EspCount, s.DkimKeyCount,
        s.DnsTimeoutSeconds, s.DnsRetries, s.MaxAuditSeconds, s.MaxFailedPercent, s.NsdServerCount);
}

public sealed record DnsServerSummary(string Software, string Endpoint, int ServerProcesses, long ZoneRecords, double GenerateSeconds, double StartSeconds);

public sealed record BaselineRun(
    string Label, long Queries, long Failures, double Seconds, double QueriesPerSecond, long? ServerQueries, double? ServerQueriesPerSecond, double ClientCores, double ServerCores, double OtherCores, double ClientPeakMegabytes,
    double AllocatedBytesPerQuery)
{
    /// <summary>Queries per second of NSD's own CPU: what NSD would answer with one core to itself.</summary>
    public double? ServerQueriesPerCpuSecond => ServerCores > 0 ? ServerQueriesPerSecond / ServerCores : null;

    /// <summary>The client's CPU per query: less sensitive than a rate to other load on a shared machine.</summary>
    public double ClientCpuMicrosecondsPerQuery => Queries == 0 ? 0 : ClientCores * Seconds / Queries * 1e6;

    public static BaselineRun Of(BlastResult blast) => new(
        blast.Label, blast.Queries, blast.Failures, blast.Cost.Seconds, blast.QueriesPerSecond, blast.Cost.ServerQueries,
        blast.Cost.ServerQueriesPerSecond, blast.Cost.ClientCores, blast.Cost.ServerCores, blast.Cost.OtherCores, blast.Cost.ClientPeakBytes / MemorySummary.Megabyte,
        blast.Label == "dnsperf" || blast.Queries == 0 ? 0 : (double)blast.Cost.AllocatedBytes / blast.Queries);
}

/// <param name="Runs">Closed loops of the production resolver from this process: the ratios' denominator.</param>
/// <param name="ServerCeiling">The same mix from dnsperf, a lean C client in its own process; null without dnsperf.</param>
/// <param name="DnsClientLibrary">The same closed loop through DnsClient's LookupClient, the library the production resolver replaced: for comparison only.</param>
public sealed record BaselineSummary(IReadOnlyList<BaselineRun> Runs, BaselineRun? ServerCeiling, BaselineRun? DnsClientLibrary = null)
{
    public void WriteTable(TextWriter output, string title)
    {
        output.WriteLine(title);
        output.WriteLine($"  {"run",-9} {"queries",10} {"seconds",8} {"q/s",9} {"server q/s",10} {"client cores",12} {"server cores",12} {"other cores",11} {"server q/cpu-s",14} {"client us/q",11} {"B/query",8} {"peak MB",7} {"failures",8}");
        foreach (var run in Runs.Append(DnsClientLibrary).Append(ServerCeiling).OfType<BaselineRun>())
        {
            output.WriteLine($"  {run.Label,-9} {run.Queries,10:N0} {run.Seconds,8:F2} {run.QueriesPerSecond,9:N0} {(run.ServerQueriesPerSecond?.ToString("N0", CultureInfo.InvariantCulture) ?? "n/a"),10} {run.ClientCores,12:F2} {run.ServerCores,12:F2} {run.OtherCores,11:F2} {(run.ServerQueriesPerCpuSecond?.ToString("N0", CultureInfo.InvariantCulture) ?? "n/a"),14} {run.ClientCpuMicrosecondsPerQuery,11:F1} {run.AllocatedBytesPerQuery,8:N0} {run.ClientPeakMegabytes,7:F0} {run.Failures,8:N0}");
        }

        output.WriteLine($"  baseline = mean of the production resolver's runs: {MeanQueriesPerSecond:N0} q/s (spread between runs {SpreadPercent:F1}%)");
        if (ServerCeiling is { } ceiling)
        {
            output.WriteLine($"  dnsperf (lean C client, own process) reaches {ceiling.QueriesPerSecond / MeanQueriesPerSecond:F2} x the baseline: the rest of the baseline's limit is the client's cost");
        }

        if (DnsClientLibrary is { } library)
        {
            output.WriteLine($"  DnsClient (the library the resolver replaced): {library.QueriesPerSecond / MeanQueriesPerSecond:F2} x the baseline's q/s, {library.ClientCpuMicrosecondsPerQuery:F1} us of client CPU per query against {ClientCpuMicrosecondsPerQuery:F1}");
        }
    }

    public double MeanQueriesPerSecond => Runs.Average(r => r.QueriesPerSecond);

    /// <summary>The DnsClient runs' client CPU per query, averaged: the cost of one query through the production resolver.</summary>
    public double ClientCpuMicrosecondsPerQuery => Runs.Average(r => r.ClientCpuMicrosecondsPerQuery);

    /// <summary>How far apart the runs are, in percent of the mean: the noise floor for every ratio against it.</summary>
    public double SpreadPercent => Runs.Count < 2 ? 0 : (Runs.Max(r => r.QueriesPerSecond) - Runs.Min(r => r.QueriesPerSecond)) / MeanQueriesPerSecond * 100;
}

public sealed record FindingCount(string Code, long Count);

public sealed record AuditSummary(
    string DnsCache,
    int AuditsPlanned,
    int AuditsCompleted,
    bool TimedOut,
    double Seconds,
    double AuditsPerSecond,
    double RatioToTarget,
    long ResolverQueries,
    double QueriesPerAudit,
    double ResolverQueriesPerSecond,
    long? ServerQueries,
    double? ServerQueriesPerAudit,
    double? ServerQueriesPerSecond,
    double? RatioServerQpsToBaseline,
    double? RatioServerQpsToServerCeiling,
    double? DnsBoundAuditsPerSecond,
    double? RatioToDnsBound,
    double ClientCores,
    double ServerCores,
    double OtherCores,
    double ClientCpuMillisecondsPerAudit,
    double ServerCpuMillisecondsPerAudit,
    double ProjectedAuditsPerSecondOnIdleMachine,
    double PeakResidentMegabytes,
    double AllocatedKilobytesPerAudit,
    double? DnsperfBoundAuditsPerSecond,
    double? ShareOfDnsperfBound,
    LatencySummary LatencyMs,
    long DnsFailures,
    long ResolverExceptions,
    IReadOnlyDictionary<string, long> DnsOutcomes,
    IReadOnlyDictionary<string, long> QueriesByType,
    IReadOnlyDictionary<string, long> AuditStatuses,
    IReadOnlyDictionary<string, long> CheckStatuses,
    IReadOnlyList<FindingCount> TopFindings,
    long FailedAudits,
    double FailedPercent,
    long CrashedChecks,
    long MethodsCompiled,
    double JitMilliseconds)
{
    public static AuditSummary Of(AuditPassResult pass, double baselineQueriesPerSecond, double? serverCeilingQueriesPerSecond)
    {
        var serverQps = pass.Cost.ServerQueriesPerSecond;
        var dnsBound = pass.ServerQueriesPerAudit is > 0 ? baselineQueriesPerSecond / pass.ServerQueriesPerAudit : null;
        var dnsperfBound = pass.ServerQueriesPerAudit is > 0 ? serverCeilingQueriesPerSecond / pass.ServerQueriesPerAudit : null;
        var clientMs = pass.Completed == 0 ? 0 : pass.Cost.ClientCpuSeconds * 1000 / pass.Completed;
        var serverMs = pass.Completed == 0 ? 0 : pass.Cost.ServerCpuSeconds * 1000 / pass.Completed;
        return new AuditSummary(
            pass.Cache ? "on" : "off",
            pass.Planned,
            pass.Completed,
            pass.TimedOut,
            pass.Cost.Seconds,
            pass.AuditsPerSecond,
            pass.AuditsPerSecond / BenchmarkReport.TargetAuditsPerSecond,
            pass.ResolverQueries,
            pass.QueriesPerAudit,
            pass.ResolverQueriesPerSecond,
            pass.Cost.ServerQueries,
            pass.ServerQueriesPerAudit,
            serverQps,
            serverQps / baselineQueriesPerSecond,
            serverQps / serverCeilingQueriesPerSecond,
            dnsBound,
            pass.AuditsPerSecond / dnsBound,
            pass.Cost.ClientCores,
            pass.Cost.ServerCores,
            pass.Cost.OtherCores,
            clientMs,
            serverMs,
            clientMs + serverMs > 0 ? Environment.ProcessorCount * 1000 / (clientMs + serverMs) : 0,
            pass.Cost.ClientPeakBytes / MemorySummary.Megabyte,
            pass.Completed == 0 ? 0 : pass.Cost.AllocatedBytes / 1024.0 / pass.Completed,
            dnsperfBound,
            pass.AuditsPerSecond / dnsperfBound,
            pass.LatencyMs,
            pass.DnsFailures,
            pass.ResolverExceptions,
            pass.DnsOutcomes,
            pass.QueriesByType,
            pass.AuditStatuses,
            pass.CheckStatuses,
            [.. pass.TopFindings.Select(p => new FindingCount(p.Key, p.Value))],
            pass.FailedAudits,
            pass.Planned == 0 ? 0 : pass.FailedAudits * 100.0 / pass.Planned,
            pass.CrashedChecks,
            pass.Cost.MethodsCompiled,
            pass.Cost.JitSeconds * 1000);
    }
}

/// <param name="PeakResidentMegabytes">The process's peak RSS over the whole run (VmHWM), every phase included.</param>
/// <param name="AuditPeakResidentMegabytes">The highest peak RSS of the audit passes alone.</param>
public sealed record MemorySummary(
    double PeakResidentMegabytes,
    double RatioToTarget,
    double AuditPeakResidentMegabytes,
    double AuditRatioToTarget,
    double GcAllocatedMegabytes,
    double GcHeapMegabytesAtEnd,
    IReadOnlyList<int> GcCollections,
    double DnsServerPeakResidentMegabytes)
{
    public const double Megabyte = 1024 * 1024;

    public static MemorySummary Measure(IEnumerable<AuditSummary> audits, long dnsServerPeakBytes)
    {
        var peak = ProcessPeak.OverallBytes / Megabyte;
        var auditPeak = audits.Select(a => a.PeakResidentMegabytes).DefaultIfEmpty(0).Max();
        return new MemorySummary(
            peak,
            peak / BenchmarkReport.TargetPeakMegabytes,
            auditPeak,
            auditPeak / BenchmarkReport.TargetPeakMegabytes,
            GC.GetTotalAllocatedBytes() / Megabyte,
            GC.GetTotalMemory(false) / Megabyte,
            [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)],
            dnsServerPeakBytes / Megabyte);
    }
}

/// <summary>
/// <see cref="Valid"/> says whether the figures are of real, working audits (the exit code follows it); the targets
/// are reported, not enforced, because a noisy shared machine must not turn a benchmark into a flaky gate.
/// </summary>
public sealed record VerdictSummary(bool Valid, IReadOnlyList<string> Problems, bool MeetsThroughputTarget, bool MeetsMemoryTarget);
