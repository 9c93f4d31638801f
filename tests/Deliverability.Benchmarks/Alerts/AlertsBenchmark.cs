using System.Diagnostics;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Deliverability.Core.Alerts;
using Deliverability.Core.Audits;
using Deliverability.Core.Live;
using Deliverability.Core.Storage;

namespace Deliverability.Benchmarks.Alerts;

/// <summary>The alert benchmark's knobs (see Program.cs for each option's description).</summary>
public sealed record AlertsBenchmarkSettings
{
    public const double TargetCycleMs = 200;

    public int Domains { get; init; } = 10_000;

    public int Cycles { get; init; } = 20;

    public int Burst { get; init; } = 1000;

    /// <summary>Share of checks that are in error in the steady state (firing alerts the engine carries every cycle).</summary>
    public double BadPercent { get; init; } = 1;

    public string OutputPath { get; init; } = "artifacts/bench/alerts.json";

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Domains is < 1 or > 200_000)
        {
            problems.Add("--domains must be 1 to 200,000");
        }

        if (Cycles is < 1 or > 1000)
        {
            problems.Add("--cycles must be 1 to 1000");
        }

        if (Burst < 0 || Burst > Domains)
        {
            problems.Add("--burst must be 0 to --domains");
        }

        if (BadPercent is < 0 or > 50)
        {
            problems.Add("--bad-percent must be 0 to 50");
        }

        return problems;
    }
}

/// <summary>
/// The alert engine's evaluation cycle over the latest results of many domains (four checks
/// each: spf, dkim, dmarc, mx), on the product's SQLite store, and a burst of state changes in one cycle counted in
/// notifications. Time is a stepped clock, so group timers fire when the benchmark says; the wall clock is measured.
/// </summary>
public static class AlertsBenchmark
{
    private static readonly string[] Checks = ["spf", "dkim", "dmarc", "mx"];
    private static readonly DateTimeOffset Start = new(2026, 11, 27, 0, 0, 0, TimeSpan.Zero);

    public static async Task<int> RunAsync(AlertsBenchmarkSettings settings, TextWriter output, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(Path.GetTempPath(), "monitor-alerts-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            return await RunInAsync(folder, settings, output, cancellationToken);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<int> RunInAsync(string folder, AlertsBenchmarkSettings settings, TextWriter output, CancellationToken cancellationToken)
    {
        var options = MonitorDbContext.Configure(new DbContextOptionsBuilder<MonitorDbContext>(), StorageProvider.Sqlite, $"Data Source={Path.Combine(folder, "monitor.db")}").Options;
        var contexts = new PooledDbContextFactory<MonitorDbContext>((DbContextOptions<MonitorDbContext>)options);
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            await MonitorDatabase.EnsureSchemaAsync(db, cancellationToken);
        }

        var fill = Stopwatch.StartNew();
        var rows = await FillAsync(contexts, settings, cancellationToken);
        fill.Stop();
        await output.WriteLineAsync($"Alerts benchmark: {settings.Domains:N0} domains x {Checks.Length} checks = {rows:N0} latest results ({settings.BadPercent}% in error), stored in {fill.Elapsed.TotalSeconds:F1} s");

        var clock = new SteppedClock(Start);
        var sender = new CountingSender(["oncall", "chat"]);
        await using var services = new ServiceCollection()
            .AddSingleton<IDbContextFactory<MonitorDbContext>>(contexts)
            .AddSingleton(Options.Create(new AlertOptions()))
            .AddSingleton<IAlertNotificationSender>(sender)
            .AddSingleton(new LiveFeed<AlertChanged>())
            .AddSingleton<TimeProvider>(clock)
            .AddSingleton(new AuditCadence(TimeSpan.FromMinutes(15)))
            .AddSingleton(typeof(ILogger<>), typeof(NullLogger<>))
            .AddAlertEngine()
            .BuildServiceProvider();
        var engine = services.GetRequiredService<AlertEngine>();

        // Baseline: only reading the latest results, the way the engine's full read does.
        var baseline = new List<double>();
        for (var i = 0; i < settings.Cycles; i++)
        {
            var watch = Stopwatch.StartNew();
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var loaded = await db.CheckStates.AsNoTracking().Select(s => new { s.Domain, s.Check, s.Status, s.CheckedAt, s.RecordsJson, s.FindingsJson }).ToListAsync(cancellationToken);
            watch.Stop();
            baseline.Add(watch.Elapsed.TotalMilliseconds);
            if (loaded.Count != rows)
            {
                throw new InvalidOperationException($"read {loaded.Count} rows, expected {rows}");
            }
        }

        var first = await TimedCycleAsync(engine, cancellationToken);
        var afterFirst = first.Outcome;

        // Every domain audited again before each cycle (the worst case: every result is new and every rule runs on it).
        var full = new List<double>();
        var fullPhases = new List<IReadOnlyDictionary<string, double>>();
        for (var i = 0; i < settings.Cycles; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(15));
            await TouchAllAsync(contexts, clock.GetUtcNow(), cancellationToken);
            var cycle = await TimedCycleAsync(engine, cancellationToken);
            full.Add(cycle.Ms);
            fullPhases.Add(cycle.Outcome.Phases!);
        }

        // No new results for a while (past the engine's 2-minute read margin): what most 15-second cycles cost.
        clock.Advance(TimeSpan.FromMinutes(3));
        await engine.RunOnceAsync(cancellationToken);
        var quiet = new List<double>();
        var quietPhases = new List<IReadOnlyDictionary<string, double>>();
        for (var i = 0; i < settings.Cycles; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(15));
            var cycle = await TimedCycleAsync(engine, cancellationToken);
            quiet.Add(cycle.Ms);
            quietPhases.Add(cycle.Outcome.Phases!);
        }

        // Burst: N domains' SPF breaks in one cycle; then the groups flush after group_wait.
        clock.Advance(TimeSpan.FromMinutes(10));
        await engine.RunOnceAsync(cancellationToken); // steady-state groups flushed and settled before the burst
        var before = sender.Count;
        clock.Advance(TimeSpan.FromSeconds(15));
        await BreakSpfAsync(contexts, settings.Burst, clock.GetUtcNow(), cancellationToken);
        var burst = await TimedCycleAsync(engine, cancellationToken);
        for (var i = 0; i < 24; i++) // 6 minutes: the burst joins the existing CheckFailing group at its next group_interval (5 min)
        {
            clock.Advance(TimeSpan.FromSeconds(15));
            await engine.RunOnceAsync(cancellationToken);
        }

        var burstNotifications = sender.Count - before;
        var burstAlerts = sender.AlertsSince(before);

        var result = new
        {
            settings.Domains,
            LatestResults = rows,
            settings.BadPercent,
            settings.Cycles,
            TargetCycleMs = AlertsBenchmarkSettings.TargetCycleMs,
            BaselineLoadMs = Stats(baseline),
            FirstCycle = new { first.Ms, afterFirst.Conditions, afterFirst.Changes },
            FullCycleMs = Stats(full),
            FullCyclePhasesMedianMs = MedianPhases(fullPhases),
            QuietCyclePhasesMedianMs = MedianPhases(quietPhases),
            FullCycleToTarget = Median(full) / AlertsBenchmarkSettings.TargetCycleMs,
            FullCycleToBaseline = Median(full) / Median(baseline),
            QuietCycleMs = Stats(quiet),
            Burst = new
            {
                StateChanges = burst.Outcome.Changes,
                CycleMs = burst.Ms,
                Receivers = sender.Receivers.Count,
                Notifications = burstNotifications,
                AlertsInNotifications = burstAlerts,
            },
        };
        await output.WriteLineAsync();
        await output.WriteLineAsync($"  baseline: load the latest results      median {Median(baseline),8:F1} ms   p95 {P95(baseline),8:F1} ms");
        await output.WriteLineAsync($"  first cycle (load state, {afterFirst.Changes,5} alerts) {first.Ms,15:F1} ms");
        await output.WriteLineAsync($"  cycle, every result new (all rules)    median {Median(full),8:F1} ms   p95 {P95(full),8:F1} ms   = {Median(full) / AlertsBenchmarkSettings.TargetCycleMs:F2} x the 200 ms target, {Median(full) / Median(baseline):F2} x baseline");
        await output.WriteLineAsync($"    phases (median ms): {string.Join(", ", MedianPhases(fullPhases).Select(p => $"{p.Key} {p.Value:F1}"))}");
        await output.WriteLineAsync($"  cycle, no new result                   median {Median(quiet),8:F1} ms   p95 {P95(quiet),8:F1} ms");
        await output.WriteLineAsync($"    phases (median ms): {string.Join(", ", MedianPhases(quietPhases).Select(p => $"{p.Key} {p.Value:F1}"))}");
        await output.WriteLineAsync($"  burst: {burst.Outcome.Changes:N0} state changes in one cycle ({burst.Ms:F1} ms) -> {burstNotifications} notifications to {sender.Receivers.Count} receivers carrying {burstAlerts:N0} alerts");
        var path = Path.GetFullPath(settings.OutputPath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }), cancellationToken);
        await output.WriteLineAsync($"Results: {path}");
        return 0;
    }

    private static async Task<(double Ms, AlertCycleOutcome Outcome)> TimedCycleAsync(AlertEngine engine, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var outcome = await engine.RunOnceAsync(cancellationToken);
        return (watch.Elapsed.TotalMilliseconds, outcome);
    }

    private static async Task<int> FillAsync(IDbContextFactory<MonitorDbContext> contexts, AlertsBenchmarkSettings settings, CancellationToken cancellationToken)
    {
        var ok = StoredJson.Write(Array.Empty<Finding>());
        var error = StoredJson.Write([Finding.Error("dkim.key_missing", "The DKIM key record is missing.", "Publish the selector's public key.")]);
        var everyBad = settings.BadPercent <= 0 ? int.MaxValue : (int)Math.Round(100 / settings.BadPercent);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var count = 0;
        for (var d = 0; d < settings.Domains; d++)
        {
            var domain = $"d{d:D6}.bench.test";
            foreach (var check in Checks)
            {
                var bad = check == "dkim" && d % everyBad == 0;
                db.CheckStates.Add(new CheckStateRow
                {
                    Domain = domain,
                    Check = check,
                    Status = bad ? CheckStatus.Error : CheckStatus.Ok,
                    FindingsJson = bad ? error : ok,
                    RecordsJson = StoredJson.Write([$"{check} record of {domain}"]),
                    ErrorCount = bad ? 1 : 0,
                    CheckedAt = Start,
                    Since = Start,
                    BadRuns = bad ? 1 : 0,
                    BadSince = bad ? Start : null,
                    BadStatus = bad ? CheckStatus.Error : null,
                    BadFindingsJson = bad ? error : null,
                    RecordsBaselineJson = StoredJson.Write([$"{check} record of {domain}"]),
                });
                count++;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        return count;
    }

    private static async Task TouchAllAsync(IDbContextFactory<MonitorDbContext> contexts, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.CheckStates.ExecuteUpdateAsync(s => s.SetProperty(r => r.CheckedAt, at), cancellationToken);
    }

    private static async Task BreakSpfAsync(IDbContextFactory<MonitorDbContext> contexts, int domains, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var error = StoredJson.Write([Finding.Error("spf.permissive_all", "The SPF record ends with +all.", "End it with -all or ~all.")]);
        var names = Enumerable.Range(0, domains).Select(d => $"d{d:D6}.bench.test").ToArray();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.CheckStates.Where(r => r.Check == "spf" && names.Contains(r.Domain))
            .ExecuteUpdateAsync(
                s => s.SetProperty(r => r.Status, CheckStatus.Error).SetProperty(r => r.FindingsJson, error).SetProperty(r => r.CheckedAt, at)
                    .SetProperty(r => r.BadRuns, 1).SetProperty(r => r.BadSince, at).SetProperty(r => r.BadStatus, CheckStatus.Error).SetProperty(r => r.BadFindingsJson, error),
                cancellationToken);
    }

    private static Dictionary<string, double> MedianPhases(List<IReadOnlyDictionary<string, double>> cycles) =>
        cycles[0].Keys.ToDictionary(k => k, k => Median(cycles.Select(c => c[k]).ToList()));

    private static object Stats(List<double> samples) => new { Median = Median(samples), P95 = P95(samples), Min = samples.Min(), Max = samples.Max() };

    private static double Median(List<double> samples) => Percentile(samples, 0.5);

    private static double P95(List<double> samples) => Percentile(samples, 0.95);

    private static double Percentile(List<double> samples, double p)
    {
        var sorted = samples.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
    }

    private sealed class SteppedClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }

    private sealed class CountingSender(IReadOnlyCollection<string> receivers) : IAlertNotificationSender
    {
        private readonly List<int> _sizes = [];

        public IReadOnlyCollection<string> Receivers { get; } = receivers;

        public int Count
        {
            get
            {
                lock (_sizes)
                {
                    return _sizes.Count;
                }
            }
        }

        public int AlertsSince(int index)
        {
            lock (_sizes)
            {
                return _sizes.Skip(index).Sum();
            }
        }

        public Task<NotificationOutcome> SendAsync(AlertGroupNotification notification, CancellationToken cancellationToken)
        {
            lock (_sizes)
            {
                _sizes.Add(notification.Alerts.Count);
            }

            return Task.FromResult(new NotificationOutcome(notification.Receiver, true, 1, null));
        }
    }
}
