using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Deliverability.Benchmarks.Cluster;

/// <summary>Everything one cluster run measured, written as JSON (<c>--out</c>) and printed as a table.</summary>
public sealed record ClusterReport(
    string Benchmark,
    DateTimeOffset StartedAt,
    ClusterMachine Machine,
    ClusterSettingsSummary Settings,
    IReadOnlyList<IntervalResult> Intervals,
    FailoverResult Failover,
    IReadOnlyList<NodeSummary> Nodes,
    OutsideAudits Outside,
    ClusterVerdict Verdict)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public void WriteTable(TextWriter output)
    {
        var s = Settings;
        output.WriteLine();
        output.WriteLine(Invariant($"Cluster: {s.Domains:N0} domains every {s.Interval} (cron {s.Cron}) on 2 nodes, audit concurrency {s.AuditConcurrency}, check-in {s.CheckinInterval} + misfire threshold {s.CheckinMisfireThreshold}"));
        output.WriteLine(Invariant($"Machine: {Machine.ProcessorCount} cores, load average {Machine.LoadAverageBefore} before, {Machine.LoadAverageAfter} after"));
        output.WriteLine();
        output.WriteLine("Int  start     audited  once/dup/miss        done  last store  misfires  by node                  PG commits  PG ins(ledger)/upd/del           DB size MB (+)   PG cores  node cores (RSS MB)            machine cores");
        foreach (var i in Intervals)
        {
            var byNode = string.Join(" ", i.ByNode.OrderBy(n => n.Key, StringComparer.Ordinal).Select(n => Invariant($"{n.Key}:{n.Value}")));
            var nodes = string.Join(" ", i.NodeLoad.OrderBy(n => n.Key, StringComparer.Ordinal).Select(n => Invariant($"{n.Key}:{n.Value.Cores:F2} ({n.Value.ResidentMegabytes:F0})")));
            var done = i.Finished ? "yes" : "NO";
            var kill = i.Killed ? " *kill*" : "";
            output.WriteLine(Invariant($"{i.Number,3}  {i.Start:HH:mm:ss}  {i.Audits,7:N0}  {i.AuditedOnce,6:N0}/{i.Duplicates,5:N0}/{i.Misses,5:N0}  {done,4}  {Seconds(i.LastStoredSeconds),10}  {Count(i.Misfires),8}  {byNode,-23}  {i.Database.Commits,10:N0}  {i.Database.Inserted,7:N0}({i.Database.LedgerRows,6:N0})/{i.Database.Updated,7:N0}/{i.Database.Deleted,6:N0}  {i.Database.SizeMegabytes,7:F1} ({i.Database.GrowthMegabytes,5:F1})  {(i.PostgresCores is { } pg ? pg.ToString("F2", CultureInfo.InvariantCulture) : "?"),8}  {nodes,-30}  {i.MachineCores,5:F2}{kill}"));
        }

        output.WriteLine();
        var f = Failover;
        output.WriteLine(Invariant($"Fail-over: {f.KilledNode} (ran the audit: {f.KilledNodeWasAuditing}) killed -9 {f.KilledAtSeconds:F1} s into interval {f.Interval}, {f.AuditsInIntervalBeforeKill:N0} audits of that interval stored"));
        output.WriteLine(f.FirstSurvivorAuditSeconds is { } first
            ? Invariant($"  first audit by {f.Survivor} {first:F1} s after the kill ({(f.SurvivorResumedInSameInterval ? "the recovered run, same interval" : "a later interval's run")}); configured check-in + threshold {f.ConfiguredDetectionSeconds:F0} s = {first / f.ConfiguredDetectionSeconds:F2} x (Quartz looks for dead nodes at each check-in, so up to one check-in interval more)")
            : $"  {f.Survivor} stored no audit after the kill");
        output.WriteLine(Invariant($"Nodes: {string.Join("; ", Nodes.Select(n => $"{n.Name} {n.CyclesFinished} cycle(s) finished, peak RSS {n.PeakResidentMegabytes:F0} MB{(n.Killed ? ", killed" : "")}"))}"));
        output.WriteLine(Invariant($"Audits outside the measured intervals: {Outside.Before:N0} before, {Outside.After:N0} after"));
        output.WriteLine();
        output.WriteLine(Invariant($"Verdict: {Verdict.FinishedIntervals} of {Intervals.Count} intervals audited every domain; {Verdict.Duplicates:N0} duplicate(s) ({Verdict.DuplicatesInKillInterval:N0} in the kill interval; {Verdict.UnexplainedDuplicates:N0} unexplained), {Verdict.Misses:N0} miss(es), {Count(Verdict.Misfires)} misfire(s)"));
        foreach (var note in Verdict.Notes)
        {
            output.WriteLine("  " + note);
        }
    }

    private static string Seconds(double? value) => value is { } v ? Invariant($"{v:F1} s") : "-";

    private static string Count(double? value) => value is { } v ? Invariant($"{v:F0}") : "?";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

public sealed record ClusterMachine(int ProcessorCount, string LoadAverageBefore, string LoadAverageAfter);

public sealed record ClusterSettingsSummary(int Domains, TimeSpan Interval, string Cron, int Intervals, int KillInterval, int AuditConcurrency, TimeSpan CheckinInterval, TimeSpan CheckinMisfireThreshold, string Storage);

/// <summary>Deltas of <c>pg_stat_database</c> over a slot (flushed by the backends up to seconds late); <see cref="LedgerRows"/> of the inserts are the benchmark's own.</summary>
public sealed record DatabaseLoad(long Commits, long Rollbacks, long Inserted, long LedgerRows, long Updated, long Deleted, long Fetched, long BlocksRead, long BlocksHit, double SizeMegabytes, double GrowthMegabytes);

public sealed record NodeLoad(double Cores, double ResidentMegabytes);

/// <summary>
/// One slot of the schedule. Audits are counted by their CheckedAt: an audit belongs to the slot it started in.
/// <see cref="Misfires"/> is the growth of the live nodes' misfire counters over the slot (null: no node answered).
/// </summary>
public sealed record IntervalResult(
    int Number,
    DateTimeOffset Start,
    int Audits,
    int AuditedOnce,
    int Duplicates,
    int Misses,
    bool Finished,
    double? LastStoredSeconds,
    double? Misfires,
    IReadOnlyDictionary<string, int> ByNode,
    DatabaseLoad Database,
    double? PostgresCores,
    IReadOnlyDictionary<string, NodeLoad> NodeLoad,
    double MachineCores,
    bool Killed);

public sealed record FailoverResult(
    int Interval,
    string KilledNode,
    string Survivor,
    bool KilledNodeWasAuditing,
    double KilledAtSeconds,
    int AuditsInIntervalBeforeKill,
    double? FirstSurvivorAuditSeconds,
    bool SurvivorResumedInSameInterval,
    double ConfiguredDetectionSeconds);

public sealed record NodeSummary(string Name, int CyclesFinished, double PeakResidentMegabytes, bool Killed);

public sealed record OutsideAudits(int Before, int After);

public sealed record ClusterVerdict(int FinishedIntervals, int Duplicates, int DuplicatesInKillInterval, int UnexplainedDuplicates, int Misses, double? Misfires, IReadOnlyList<string> Notes);
