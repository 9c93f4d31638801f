using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Deliverability.Benchmarks.Nsd;
using Deliverability.Benchmarks.Zones;
using Deliverability.Testing.Postgres;

namespace Deliverability.Benchmarks.Cluster;

/// <summary>
/// Two nodes of the real service (Release build, separate processes) on one private PostgreSQL, auditing generated
/// domains served by NSD on 127.0.0.1 on a schedule on the clock. Over N slots it counts each domain's stored audits per
/// slot (exactly once is the target), the scheduler's misfires, PostgreSQL's load and the nodes' CPU and memory; in one
/// slot it kills -9 the node running the audit and times how long the survivor takes to audit again.
/// </summary>
public static class ClusterBenchmark
{
    private const string Database = "monitor";
    private const int Invalid = 1;
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);

    public static async Task<int> RunAsync(ClusterBenchmarkSettings settings, TextWriter output, CancellationToken cancellationToken)
    {
        var serverDll = FindServer();
        if (serverDll is null)
        {
            await output.WriteLineAsync("Deliverability.Server.dll (Release) was not found: run through bench.sh, which builds it.").ConfigureAwait(false);
            return Invalid;
        }

        var startedAt = DateTimeOffset.UtcNow;
        var loadBefore = LoadAverage();
        var directory = Directory.CreateTempSubdirectory("monitor-bench-cluster-");
        try
        {
            output.WriteLine($"Generating {settings.Domains:N0} domains in {directory.FullName} ...");
            var zones = BenchmarkZones.Generate(settings.Domains, espCount: 5, dkimKeyCount: 4);
            var files = zones.WriteTo(directory.FullName);
            await using var nsd = await NsdServer.StartAsync(directory.FullName, files, serverCount: 1, $"_dmarc.{zones.Domains[^1].Name}", cancellationToken).ConfigureAwait(false);
            output.WriteLine($"{nsd.Version} answers on {nsd.Endpoint}");

            await using var postgres = await TestPostgresServer.StartAsync().ConfigureAwait(false);
            await AuditLedger.CreateDatabaseAsync(ConnectionString(postgres.Port, "postgres", "bench"), Database, cancellationToken).ConfigureAwait(false);
            var postmaster = FindPostmaster(postgres.Port);
            output.WriteLine($"PostgreSQL on 127.0.0.1:{postgres.Port} (postmaster pid {postmaster?.ToString(CultureInfo.InvariantCulture) ?? "not found"})");

            var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
            WriteSettingsFile(directory.FullName, settings, zones.Domains, nsd.Endpoint, token);
            string[] names = ["node-a", "node-b"];
            var nodes = new List<ServiceNode>();
            try
            {
                // Started together: the schema lock makes them migrate one after the other.
                foreach (var name in names)
                {
                    nodes.Add(ServiceNode.Start(name, serverDll, directory.FullName, ["--environment=Bench", $"--Storage:ConnectionString={ConnectionString(postgres.Port, Database, name)}"]));
                }

                var starting = Stopwatch.StartNew();
                try
                {
                    await Task.WhenAll(nodes.Select(n => n.WaitUntilHealthyAsync(settings.StartTimeout, cancellationToken))).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
                {
                    output.WriteLine($"The run is invalid: {ex.Message} (the nodes' logs: {Path.GetDirectoryName(Path.GetFullPath(settings.OutputPath))})");
                    return Invalid;
                }

                output.WriteLine($"Both nodes healthy after {starting.Elapsed.TotalSeconds:F1} s (logs in {directory.FullName})");
                var ledger = new AuditLedger(ConnectionString(postgres.Port, Database, "bench"));
                await ledger.InstallAsync(cancellationToken).ConfigureAwait(false);
                if (!settings.ConfiguredDomains)
                {
                    await ledger.AddDomainsAsync(zones.Domains, cancellationToken).ConfigureAwait(false);
                    output.WriteLine($"{zones.Domains.Count:N0} domains stored as added from the dashboard (added_domains)");
                }

                var run = new Run(settings, ledger, nodes, postmaster, token, output);
                var report = await run.MeasureAsync(startedAt, loadBefore, cancellationToken).ConfigureAwait(false);
                report.WriteTable(output);
                var path = Path.GetFullPath(settings.OutputPath);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await File.WriteAllTextAsync(path, report.ToJson(), cancellationToken).ConfigureAwait(false);
                output.WriteLine($"JSON: {path}");
                return 0;
            }
            finally
            {
                foreach (var node in nodes)
                {
                    await node.DisposeAsync().ConfigureAwait(false);
                }

                CopyLogs(directory.FullName, names, settings.OutputPath);
            }
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>The nodes' own output beside the JSON (<c>cluster.node-a.log</c>): what they printed is evidence too.</summary>
    private static void CopyLogs(string folder, IEnumerable<string> names, string outputPath)
    {
        var target = Path.GetDirectoryName(Path.GetFullPath(outputPath))!;
        Directory.CreateDirectory(target);
        foreach (var name in names)
        {
            var log = Path.Combine(folder, name + ".log");
            if (File.Exists(log))
            {
                File.Copy(log, Path.Combine(target, $"{Path.GetFileNameWithoutExtension(outputPath)}.{name}.log"), overwrite: true);
            }
        }
    }

    private static string ConnectionString(int port, string database, string application) =>
        $"Host=127.0.0.1;Port={port};Username=postgres;Database={database};Application Name={application}";

    private static string? FindServer()
    {
        string[] candidates =
        [
            Path.Combine("src", "Deliverability.Server", "bin", "Release", "net10.0", "Deliverability.Server.dll"),
            Path.Combine(AppContext.BaseDirectory, "Deliverability.Server.dll"),
        ];
        return candidates.Select(Path.GetFullPath).FirstOrDefault(p => File.Exists(p) && File.Exists(Path.ChangeExtension(p, ".runtimeconfig.json")));
    }

    /// <summary>
    /// <c>appsettings.Bench.json</c> in the nodes' working folder (their content root): the domains would not fit on a
    /// command line. Everything but the instance id and the connection string (which names the node to PostgreSQL) is shared.
    /// </summary>
    private static void WriteSettingsFile(string folder, ClusterBenchmarkSettings settings, IReadOnlyList<BenchmarkDomain> domains, string dnsEndpoint, string token)
    {
        var document = new Dictionary<string, object>
        {
            ["Logging"] = new { LogLevel = new Dictionary<string, string> { ["Default"] = "Information", ["Microsoft.AspNetCore"] = "Warning", ["Microsoft.EntityFrameworkCore"] = "Warning" } },
            ["Storage"] = new { Provider = "Postgres" },
            ["Dns"] = new { NameServers = new[] { dnsEndpoint }, UseCache = false },
            ["Monitor"] = new
            {
                Domains = settings.ConfiguredDomains ? domains.Select(d => new { d.Name, DkimSelectors = new[] { BenchmarkDomain.Selector }, SendingIps = new[] { d.SendingIp.ToString() } }) : [],
                // No first run at node start: every audit in the run is the clock's (the first-run trigger is per node start).
                Audit = new { Schedule = settings.Cron, FirstRunDelay = "01:00:00", MaxConcurrency = settings.AuditConcurrency },
                Blacklists = new { FirstRunDelay = "01:00:00", Schedule = "01:00:00" },
                Metrics = new { ScrapeToken = token },
            },
            ["Cluster"] = new { CheckinInterval = settings.CheckinInterval.ToString("c"), CheckinMisfireThreshold = settings.CheckinMisfireThreshold.ToString("c") },
            ["Secrets"] = new { KeysFolder = Path.Combine(folder, "keys") },
        };
        File.WriteAllText(Path.Combine(folder, "appsettings.Bench.json"), JsonSerializer.Serialize(document));
    }

    private static string LoadAverage() => string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    /// <summary>The PostgreSQL server started on <paramref name="port"/> (its backends are its children), found by its command line.</summary>
    private static int? FindPostmaster(int port)
    {
        var portText = port.ToString(CultureInfo.InvariantCulture);
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var args = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0');
                if (args.Length > 1 && args[0].EndsWith("postgres", StringComparison.Ordinal) && args.Zip(args.Skip(1)).Any(p => p.First == "-p" && p.Second == portText))
                {
                    return pid;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The process ended meanwhile, or is not ours to read.
            }
        }

        return null;
    }

    /// <summary>One measured run: the slots, the kill, the samples at each slot's end.</summary>
    private sealed class Run(ClusterBenchmarkSettings settings, AuditLedger ledger, IReadOnlyList<ServiceNode> nodes, int? postmaster, string token, TextWriter output)
    {
        private readonly Dictionary<string, TimeSpan> _cpu = new(StringComparer.Ordinal);
        private readonly Dictionary<string, long> _peak = new(StringComparer.Ordinal);
        private ServiceNode? _killed;
        private bool _killedWasAuditing;
        private int _auditsBeforeKill;

        public async Task<ClusterReport> MeasureAsync(DateTimeOffset startedAt, string loadBefore, CancellationToken cancellationToken)
        {
            var interval = settings.Interval;
            var firstSlot = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / (long)interval.TotalMilliseconds) + 1;
            var firstStart = SlotStart(firstSlot);
            output.WriteLine($"Measuring {settings.Intervals} interval(s) of {interval} from {firstStart:HH:mm:ss} UTC; a node is killed during interval {settings.EffectiveKillInterval} ...");
            await DelayUntilAsync(firstStart, cancellationToken).ConfigureAwait(false);

            var previous = await SampleAsync(cancellationToken).ConfigureAwait(false);
            var samples = new List<Sample>();
            FailoverResult? failover = null;
            DateTimeOffset? killedAt = null;
            for (var number = 1; number <= settings.Intervals; number++)
            {
                var slot = firstSlot + number - 1;
                var end = SlotStart(slot) + interval;
                while (DateTimeOffset.UtcNow < end)
                {
                    if (number == settings.EffectiveKillInterval && _killed is null)
                    {
                        killedAt = await KillIfDueAsync(slot, cancellationToken).ConfigureAwait(false);
                    }

                    var left = end - DateTimeOffset.UtcNow;
                    await Task.Delay(left < Poll ? (left > TimeSpan.Zero ? left : TimeSpan.Zero) : Poll, cancellationToken).ConfigureAwait(false);
                }

                var sample = await SampleAsync(cancellationToken).ConfigureAwait(false);
                samples.Add(sample with { Previous = previous });
                previous = sample;
                output.WriteLine($"  interval {number} ended at {end:HH:mm:ss}");
            }

            // Audits started before the last slot ended are stored a little later: wait until none arrives for 2 s (at most 20 s).
            var lastEnd = SlotStart(firstSlot + settings.Intervals);
            var settled = await ledger.CountersAsync(cancellationToken).ConfigureAwait(false);
            for (var waited = 0; waited < 10; waited++)
            {
                await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
                var now = await ledger.CountersAsync(cancellationToken).ConfigureAwait(false);
                if (now.AuditLogRows == settled.AuditLogRows)
                {
                    break;
                }

                settled = now;
            }

            var intervals = new List<IntervalResult>();
            for (var number = 1; number <= settings.Intervals; number++)
            {
                var slot = firstSlot + number - 1;
                var audits = await ledger.SlotAsync(slot, interval, cancellationToken).ConfigureAwait(false);
                intervals.Add(Result(number, slot, audits, samples[number - 1]));
            }

            if (_killed is not null && killedAt is { } at)
            {
                failover = await FailoverAsync(at, firstSlot, cancellationToken).ConfigureAwait(false);
            }

            var outside = await ledger.OutsideAsync(firstStart, lastEnd, cancellationToken).ConfigureAwait(false);
            var nodeSummaries = nodes.Select(n => new NodeSummary(n.Name, n.CyclesFinished, _peak.GetValueOrDefault(n.Name) / 1048576.0, n == _killed)).ToList();
            return new ClusterReport(
                "cluster",
                startedAt,
                new ClusterMachine(Environment.ProcessorCount, loadBefore, LoadAverage()),
                new ClusterSettingsSummary(settings.Domains, interval, settings.Cron, settings.Intervals, settings.EffectiveKillInterval, settings.AuditConcurrency, settings.CheckinInterval, settings.CheckinMisfireThreshold, "PostgreSQL (private, fsync off), Quartz clustered ADO job store"),
                intervals,
                failover ?? new FailoverResult(settings.EffectiveKillInterval, "", "", false, 0, 0, null, false, (settings.CheckinInterval + settings.CheckinMisfireThreshold).TotalSeconds),
                nodeSummaries,
                new OutsideAudits(outside.Before, outside.After),
                Verdict(intervals, failover));
        }

        private ClusterVerdict Verdict(List<IntervalResult> intervals, FailoverResult? failover)
        {
            var notes = new List<string>();
            var unfinished = intervals.Where(i => !i.Finished).ToList();
            if (unfinished.Count > 0)
            {
                notes.Add($"Interval(s) {string.Join(", ", unfinished.Select(i => i.Number))} did not audit every domain within the interval: {settings.Domains:N0} domains every {settings.Interval} do not fit on this machine now (scale down with --domains).");
            }

            var lateStores = intervals.Where(i => i.LastStoredSeconds > settings.Interval.TotalSeconds).ToList();
            if (lateStores.Count > 0)
            {
                notes.Add($"Interval(s) {string.Join(", ", lateStores.Select(i => i.Number))}: the cycle ran past the interval's end (audits are counted in the slot they started in).");
            }

            var killNumber = settings.EffectiveKillInterval;
            var unexplained = intervals.Sum(i => Unexplained(i, intervals));
            notes.Add(unexplained > 0
                ? $"{unexplained:N0} duplicate(s) that neither the recovered run nor an overrunning cycle's tail explains: the job ran twice in a slot."
                : "Every duplicate is explained: the recovered run re-auditing what the dead node had stored, or the tail of a cycle that overran into the next slot.");

            if (failover is { FirstSurvivorAuditSeconds: null })
            {
                notes.Add("The survivor stored no audit after the kill: the dead node's work was not taken over within the run.");
            }

            var misfires = intervals.All(i => i.Misfires is null) ? (double?)null : intervals.Sum(i => i.Misfires ?? 0);
            return new ClusterVerdict(
                intervals.Count(i => i.Finished),
                intervals.Sum(i => i.Duplicates),
                intervals.Where(i => i.Number == killNumber).Sum(i => i.Duplicates),
                unexplained,
                intervals.Sum(i => i.Misses),
                misfires,
                notes);
        }

        /// <summary>
        /// Duplicates in <paramref name="interval"/> not explained by the kill (the recovered run re-audits what the dead
        /// node stored in that slot) nor by the previous slot's cycle overrunning (its tail starts in this slot).
        /// </summary>
        private int Unexplained(IntervalResult interval, List<IntervalResult> intervals)
        {
            var explained = 0;
            if (interval.Number == settings.EffectiveKillInterval && _killed is not null)
            {
                explained += interval.ByNode.GetValueOrDefault(_killed.Name);
            }

            if (intervals.FirstOrDefault(i => i.Number == interval.Number - 1) is { } previous && previous.LastStoredSeconds > settings.Interval.TotalSeconds)
            {
                explained += previous.Misses;
            }

            return Math.Max(0, interval.Duplicates - explained);
        }

        /// <summary>Kills the node storing audits once a fifth of the domains are stored in the slot, or half-way through it.</summary>
        private async Task<DateTimeOffset?> KillIfDueAsync(long slot, CancellationToken cancellationToken)
        {
            var audits = await ledger.SlotAsync(slot, settings.Interval, cancellationToken).ConfigureAwait(false);
            var halfWay = DateTimeOffset.UtcNow >= SlotStart(slot) + (settings.Interval / 2);
            if (audits.DistinctDomains < Math.Max(1, settings.Domains / 5) && !halfWay)
            {
                return null;
            }

            var latest = await ledger.LatestNodeAsync(cancellationToken).ConfigureAwait(false);
            var victim = nodes.FirstOrDefault(n => n.Name == latest) ?? nodes[0];
            _cpu[victim.Name + "@kill"] = victim.CpuTime();
            _peak[victim.Name] = victim.Memory().Peak;
            _killedWasAuditing = audits.DistinctDomains > 0 && audits.DistinctDomains < settings.Domains;
            _auditsBeforeKill = audits.Audits;
            victim.KillHard();
            _killed = victim;
            var at = DateTimeOffset.UtcNow;
            output.WriteLine($"  killed -9 {victim.Name} at {at:HH:mm:ss.f} with {audits.Audits:N0} audits of the interval stored");
            return at;
        }

        private async Task<FailoverResult> FailoverAsync(DateTimeOffset killedAt, long firstSlot, CancellationToken cancellationToken)
        {
            var survivor = nodes.First(n => n != _killed);
            var killSlot = firstSlot + settings.EffectiveKillInterval - 1;
            var first = await ledger.FirstAuditAfterAsync(survivor.Name, killedAt, cancellationToken).ConfigureAwait(false);
            return new FailoverResult(
                settings.EffectiveKillInterval,
                _killed!.Name,
                survivor.Name,
                _killedWasAuditing,
                (killedAt - SlotStart(killSlot)).TotalSeconds,
                _auditsBeforeKill,
                first is { } f ? (f.Stored - killedAt).TotalSeconds : null,
                first is { } g && SlotOf(g.CheckedAt) == killSlot,
                (settings.CheckinInterval + settings.CheckinMisfireThreshold).TotalSeconds);
        }

        private IntervalResult Result(int number, long slot, SlotAudits audits, Sample sample)
        {
            var before = sample.Previous!;
            var seconds = settings.Interval.TotalSeconds;
            var logRows = sample.Database.AuditLogRows - before.Database.AuditLogRows;
            var database = new DatabaseLoad(
                sample.Database.XactCommit - before.Database.XactCommit,
                sample.Database.XactRollback - before.Database.XactRollback,
                sample.Database.TupInserted - before.Database.TupInserted,
                logRows,
                sample.Database.TupUpdated - before.Database.TupUpdated,
                sample.Database.TupDeleted - before.Database.TupDeleted,
                sample.Database.TupFetched - before.Database.TupFetched,
                sample.Database.BlocksRead - before.Database.BlocksRead,
                sample.Database.BlocksHit - before.Database.BlocksHit,
                sample.Database.SizeBytes / 1048576.0,
                (sample.Database.SizeBytes - before.Database.SizeBytes) / 1048576.0);
            var nodeLoad = new Dictionary<string, NodeLoad>(StringComparer.Ordinal);
            foreach (var node in nodes)
            {
                var cpu = sample.Cpu[node.Name] - before.Cpu[node.Name];
                nodeLoad[node.Name] = new NodeLoad(Math.Max(0, cpu.TotalSeconds) / seconds, sample.Resident[node.Name] / 1048576.0);
            }

            double? misfires = null;
            foreach (var (name, count) in sample.Misfires)
            {
                if (before.Misfires.TryGetValue(name, out var earlier))
                {
                    misfires = (misfires ?? 0) + (count - earlier);
                }
            }

            var start = SlotStart(slot);
            return new IntervalResult(
                number,
                start,
                audits.Audits,
                audits.AuditedOnce,
                audits.Audits - audits.DistinctDomains,
                settings.Domains - audits.DistinctDomains,
                audits.DistinctDomains == settings.Domains,
                audits.LastStored is { } last ? (last - start).TotalSeconds : null,
                misfires,
                audits.ByNode,
                database,
                PostgresCores(sample.PostgresCpu - before.PostgresCpu, seconds),
                nodeLoad,
                (sample.MachineBusy - before.MachineBusy).TotalSeconds / seconds,
                _killed is not null && number == settings.EffectiveKillInterval);
        }

        /// <summary>
        /// The PostgreSQL processes' CPU over the slot, read from the live ones: backends that ended in the slot (the killed
        /// node's connections) took their CPU time with them, and a drop below the slot's start means the figure is unknown.
        /// </summary>
        private static double? PostgresCores(TimeSpan used, double seconds) => used < TimeSpan.Zero ? null : used.TotalSeconds / seconds;

        private async Task<Sample> SampleAsync(CancellationToken cancellationToken)
        {
            var database = await ledger.CountersAsync(cancellationToken).ConfigureAwait(false);
            var cpu = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
            var resident = new Dictionary<string, long>(StringComparer.Ordinal);
            var misfires = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var node in nodes)
            {
                // A killed node keeps the CPU it had used when it was killed.
                cpu[node.Name] = node.HasExited ? _cpu.GetValueOrDefault(node.Name + "@kill") : node.CpuTime();
                var (rss, peak) = node.Memory();
                resident[node.Name] = rss;
                if (!node.HasExited)
                {
                    _peak[node.Name] = Math.Max(_peak.GetValueOrDefault(node.Name), peak);
                }

                if (await node.ScrapeMisfiresAsync(token, cancellationToken).ConfigureAwait(false) is { } count)
                {
                    misfires[node.Name] = count;
                }
            }

            return new Sample(database, cpu, resident, misfires, postmaster is { } pid ? ProcessTree.CpuTime(pid) : TimeSpan.Zero, ProcessTree.MachineBusyTime(), null);
        }

        private DateTimeOffset SlotStart(long slot) => DateTimeOffset.FromUnixTimeMilliseconds(0) + (settings.Interval * slot);

        private long SlotOf(DateTimeOffset at) => at.ToUnixTimeMilliseconds() / (long)settings.Interval.TotalMilliseconds;

        private static async Task DelayUntilAsync(DateTimeOffset at, CancellationToken cancellationToken)
        {
            var wait = at - DateTimeOffset.UtcNow;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The counters at one slot boundary; <see cref="Previous"/> is the boundary before (the slot's start).</summary>
    private sealed record Sample(
        DatabaseCounters Database,
        IReadOnlyDictionary<string, TimeSpan> Cpu,
        IReadOnlyDictionary<string, long> Resident,
        IReadOnlyDictionary<string, double> Misfires,
        TimeSpan PostgresCpu,
        TimeSpan MachineBusy,
        Sample? Previous);
}
