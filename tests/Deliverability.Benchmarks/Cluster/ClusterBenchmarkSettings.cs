using System.Globalization;
using Deliverability.Benchmarks.Zones;

namespace Deliverability.Benchmarks.Cluster;

/// <summary>The cluster benchmark's options (<c>bench.sh cluster</c>).</summary>
public sealed class ClusterBenchmarkSettings
{
    public int Domains { get; init; } = 10_000;

    /// <summary>The audit schedule's interval: whole seconds dividing a minute, or whole minutes dividing an hour (a cron on the clock).</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Measured intervals; one node is killed during <see cref="KillInterval"/>.</summary>
    public int Intervals { get; init; } = 3;

    /// <summary>1-based measured interval in which the node running the audit is killed (0: the middle one).</summary>
    public int KillInterval { get; init; }

    /// <summary>The service's <c>Monitor:Audit:MaxConcurrency</c> (product default 16).</summary>
    public int AuditConcurrency { get; init; } = 16;

    /// <summary><c>Cluster:CheckinInterval</c> and <c>Cluster:CheckinMisfireThreshold</c> (product defaults 15 s each).</summary>
    public TimeSpan CheckinInterval { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan CheckinMisfireThreshold { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the two nodes may take to answer <c>/health</c> (migrations included) on a loaded machine.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The domains in <c>Monitor:Domains</c> of the nodes' settings instead of <c>added_domains</c>.</summary>
    public bool ConfiguredDomains { get; init; }

    public string OutputPath { get; init; } = "artifacts/bench/cluster.json";

    public int EffectiveKillInterval => KillInterval == 0 ? (Intervals + 1) / 2 : KillInterval;

    /// <summary>The Quartz cron of <see cref="Interval"/>: slots begin on the clock, so each audit belongs to one slot.</summary>
    public string Cron => Interval < TimeSpan.FromMinutes(1)
        ? string.Create(CultureInfo.InvariantCulture, $"0/{(int)Interval.TotalSeconds} * * * * ?")
        : string.Create(CultureInfo.InvariantCulture, $"0 0/{(int)Interval.TotalMinutes} * * * ?");

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        void Require(bool condition, string problem)
        {
            if (!condition)
            {
                problems.Add(problem);
            }
        }

        Require(Domains is >= 1 and <= BenchmarkDomain.MaxCount, $"--domains must be 1 to {BenchmarkDomain.MaxCount}");
        var seconds = Interval.TotalSeconds;
        var onTheClock = seconds % 1 == 0 && ((seconds is >= 10 and < 60 && 60 % seconds == 0) || (seconds >= 60 && seconds % 60 == 0 && 60 % (seconds / 60) == 0 && seconds <= 3600));
        Require(onTheClock, "--interval must divide a minute (10 to 30 s) or an hour (1 to 60 min), e.g. 00:01:00");
        Require(Intervals is >= 2 and <= 30, "--intervals must be 2 to 30 (one node is killed in one of them)");
        Require(KillInterval >= 0 && KillInterval <= Intervals, "--kill-interval must be 0 (the middle one) to --intervals");
        Require(AuditConcurrency is >= 1 and <= 256, "--audit-concurrency must be 1 to 256");
        Require(CheckinInterval >= TimeSpan.FromSeconds(1) && CheckinInterval <= TimeSpan.FromMinutes(5), "--checkin-interval must be 1 s to 5 min");
        Require(CheckinMisfireThreshold >= TimeSpan.FromSeconds(1) && CheckinMisfireThreshold <= TimeSpan.FromMinutes(5), "--checkin-misfire-threshold must be 1 s to 5 min");
        return problems;
    }
}
