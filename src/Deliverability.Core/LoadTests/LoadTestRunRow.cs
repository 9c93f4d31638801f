using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Deliverability.Core.LoadTests;

/// <summary>Where a load-test run is in its life.</summary>
public enum LoadTestRunStatus
{
    /// <summary>Going on now (its progress columns move).</summary>
    Running,

    /// <summary>Ended by itself (its plan, a bound or a threshold's abort) with a report.</summary>
    Completed,

    /// <summary>Cut short by a stop of the service; the report, if any, covers what ran.</summary>
    Aborted,

    /// <summary>Ended by an error; <see cref="LoadTestRunRow.Reason"/> says which.</summary>
    Failed,

    /// <summary>Never started: a target or recipient outside the safety allow-lists; <see cref="LoadTestRunRow.Reason"/> says which.</summary>
    Refused,
}

/// <summary>One load-test run, started by the service or imported from a generator machine (<c>load_test_runs</c>).</summary>
public sealed class LoadTestRunRow
{
    public Guid Id { get; set; }

    /// <summary>The scenario's name (the test name of an imported report).</summary>
    public required string Scenario { get; set; }

    /// <summary>"smtp", "http", or "unknown" for an imported report that does not say.</summary>
    public required string Kind { get; set; }

    /// <summary>The send path the run measures, when its scenario names one.</summary>
    public string? SendPath { get; set; }

    /// <summary>"service" (started here) or "import" (a report posted by a generator machine).</summary>
    public required string Origin { get; set; }

    /// <summary>The user or API key that started or imported it.</summary>
    public required string StartedBy { get; set; }

    /// <summary>The service node that ran it (its machine name); null for an import.</summary>
    public string? Node { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    public LoadTestRunStatus Status { get; set; }

    /// <summary>Why it failed or was refused, in one line.</summary>
    public string? Reason { get; set; }

    /// <summary>Why the engine stopped it (<c>Completed</c>, <c>MaxDuration</c>, <c>ThresholdAbort</c>...), or the capacity search's stop.</summary>
    public string? StopReason { get; set; }

    /// <summary>Whether every threshold held (a capacity run: whether a knee was found); null until it ends.</summary>
    public bool? ThresholdsHeld { get; set; }

    /// <summary>The highest rate per second at which the thresholds held (capacity runs only).</summary>
    public double? KneeRate { get; set; }

    /// <summary>Invocations started per second (so far, while running).</summary>
    public double? AchievedRate { get; set; }

    /// <summary>The 99th percentile response time in ms (so far, while running).</summary>
    public double? P99Ms { get; set; }

    /// <summary>Failed / completed (so far, while running).</summary>
    public double? ErrorRate { get; set; }

    /// <summary>Invocations completed (so far, while running).</summary>
    public long? Completed { get; set; }

    /// <summary>The engine's report JSON with its encoded histograms; null until the run ends (or when it ended without one).</summary>
    public string? ReportJson { get; set; }

    /// <summary>The capacity search's curve (JSON array of the rates tried); null for a plain run.</summary>
    public string? CapacityJson { get; set; }
}

internal sealed class LoadTestRunRowConfiguration : IEntityTypeConfiguration<LoadTestRunRow>
{
    public void Configure(EntityTypeBuilder<LoadTestRunRow> e)
    {
        e.ToTable("load_test_runs");
        e.HasKey(r => r.Id);
        e.HasIndex(r => r.StartedAt);
        e.HasIndex(r => new { r.SendPath, r.StartedAt });
        e.HasIndex(r => new { r.Scenario, r.StartedAt });
        e.Property(r => r.Scenario).HasMaxLength(LoadTestRunStore.MaxNameLength);
        e.Property(r => r.Kind).HasMaxLength(16);
        e.Property(r => r.SendPath).HasMaxLength(LoadTestRunStore.MaxNameLength);
        e.Property(r => r.Origin).HasMaxLength(16);
        e.Property(r => r.StartedBy).HasMaxLength(256);
        e.Property(r => r.Node).HasMaxLength(256);
        e.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
        e.Property(r => r.Reason).HasMaxLength(LoadTestRunStore.MaxReasonLength);
        e.Property(r => r.StopReason).HasMaxLength(64);
    }
}
