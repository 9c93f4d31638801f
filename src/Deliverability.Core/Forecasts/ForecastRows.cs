using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Deliverability.Core.Forecasts;

/// <summary>One observation of a stream's send volume (<c>volume_history</c>): the start of its period (UTC) and the messages sent in it.</summary>
public sealed class VolumeHistoryRow
{
    public required string Stream { get; set; }

    public DateTimeOffset Timestamp { get; set; }

    public double Count { get; set; }
}

/// <summary>A campaign a planner entered (<c>planned_campaigns</c>): a known future input of the forecast.</summary>
public sealed class PlannedCampaignRow
{
    public Guid Id { get; set; }

    public DateOnly Date { get; set; }

    public required string Stream { get; set; }

    /// <summary>The messages the campaign adds on its day.</summary>
    public double ExpectedVolume { get; set; }

    /// <summary>What the planner called it ("Winter sale"); optional.</summary>
    public string? Name { get; set; }

    public required string CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>Whether a forecast run produced a forecast.</summary>
public enum ForecastRunStatus
{
    Completed,

    /// <summary>The history could not be read or the forecaster failed; <see cref="ForecastRunRow.Error"/> says why.</summary>
    Failed,
}

/// <summary>
/// One forecast of one stream (<c>forecast_runs</c>), kept with what it was made from (model version, end of the
/// history, backtest scores), so a planner can set it beside what happened afterwards.
/// </summary>
public sealed class ForecastRunRow
{
    public Guid Id { get; set; }

    public required string Stream { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>"schedule", "api" or "dashboard".</summary>
    public required string Trigger { get; set; }

    /// <summary>The user or API key that asked for it; "scheduler" for the nightly run.</summary>
    public required string StartedBy { get; set; }

    public ForecastRunStatus Status { get; set; }

    /// <summary>Why it failed, in one line.</summary>
    public string? Error { get; set; }

    /// <summary>hourly, daily or weekly (as inferred from the history).</summary>
    public string? Frequency { get; set; }

    public string? Model { get; set; }

    public string? ModelVersion { get; set; }

    public string? FallbackReason { get; set; }

    public double? IntervalLevel { get; set; }

    public DateTimeOffset? HistoryEnd { get; set; }

    public int HistoryPoints { get; set; }

    public TimeSpan? Horizon { get; set; }

    public double? BacktestWape { get; set; }

    public double? BacktestMase { get; set; }

    public double? BacktestCoverage { get; set; }

    public double? SeasonalNaiveWape { get; set; }

    public int? BacktestOrigins { get; set; }

    public TimeSpan? BacktestHorizon { get; set; }

    /// <summary>The repairs made to the history before forecasting (JSON array of strings).</summary>
    public string? RepairsJson { get; set; }

    /// <summary>The forecast points (JSON array of <c>{t, p, lo, hi}</c>); null when it failed.</summary>
    public string? PointsJson { get; set; }

    /// <summary>The planned campaigns it took into account (JSON array), as they were then.</summary>
    public string? CampaignsJson { get; set; }
}

internal sealed class VolumeHistoryRowConfiguration : IEntityTypeConfiguration<VolumeHistoryRow>
{
    public void Configure(EntityTypeBuilder<VolumeHistoryRow> e)
    {
        e.ToTable("volume_history");
        e.HasKey(r => new { r.Stream, r.Timestamp });
        e.Property(r => r.Stream).HasMaxLength(ForecastStore.MaxStreamLength);
    }
}

internal sealed class PlannedCampaignRowConfiguration : IEntityTypeConfiguration<PlannedCampaignRow>
{
    public void Configure(EntityTypeBuilder<PlannedCampaignRow> e)
    {
        e.ToTable("planned_campaigns");
        e.HasKey(r => r.Id);
        e.HasIndex(r => new { r.Stream, r.Date });
        e.Property(r => r.Stream).HasMaxLength(ForecastStore.MaxStreamLength);
        e.Property(r => r.Name).HasMaxLength(ForecastStore.MaxNameLength);
        e.Property(r => r.CreatedBy).HasMaxLength(256);
    }
}

internal sealed class ForecastRunRowConfiguration : IEntityTypeConfiguration<ForecastRunRow>
{
    public void Configure(EntityTypeBuilder<ForecastRunRow> e)
    {
        e.ToTable("forecast_runs");
        e.HasKey(r => r.Id);
        e.HasIndex(r => new { r.Stream, r.CreatedAt });
        e.Property(r => r.Stream).HasMaxLength(ForecastStore.MaxStreamLength);
        e.Property(r => r.Trigger).HasMaxLength(16);
        e.Property(r => r.StartedBy).HasMaxLength(256);
        e.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
        e.Property(r => r.Error).HasMaxLength(ForecastStore.MaxErrorLength);
        e.Property(r => r.Frequency).HasMaxLength(16);
        e.Property(r => r.Model).HasMaxLength(64);
        e.Property(r => r.ModelVersion).HasMaxLength(256);
        e.Property(r => r.FallbackReason).HasMaxLength(ForecastStore.MaxErrorLength);
    }
}
