using Deliverability.Core.Forecasts;
using Deliverability.Forecasting.Planning;

namespace Deliverability.Server.Forecasts;

/// <summary>A stream with history: its send path, its points and its latest forecast (without points).</summary>
public sealed record StreamDto(string Stream, string SendPath, int Points, DateTimeOffset First, DateTimeOffset Last, ForecastSummaryDto? LatestForecast);

/// <summary>The answer to an import: what changed, the stream's size after it, and the repairs the reader made.</summary>
public sealed record HistoryImportDto(string Stream, string Frequency, string Mode, int Added, int Updated, int Unchanged, int Removed, int Total, IReadOnlyList<string> Repairs);

public sealed record HistoryPointDto(DateTimeOffset Timestamp, double Count);

/// <summary>The rolling-origin backtest that chose the model, with seasonal naive's WAPE under the same protocol.</summary>
public sealed record BacktestDto(int Origins, TimeSpan Horizon, double? Wape, double? Mase, double? Coverage, double? SeasonalNaiveWape);

/// <summary>A stored forecast without its points.</summary>
public sealed record ForecastSummaryDto(
    Guid Id,
    string Stream,
    DateTimeOffset CreatedAt,
    string Trigger,
    string StartedBy,
    string Status,
    string? Error,
    string? Frequency,
    string? Model,
    string? ModelVersion,
    string? FallbackReason,
    double? IntervalLevel,
    DateTimeOffset? HistoryEnd,
    int HistoryPoints,
    TimeSpan? Horizon,
    BacktestDto? Backtest,
    IReadOnlyList<string> Repairs,
    IReadOnlyList<string> Campaigns)
{
    public static ForecastSummaryDto From(ForecastRunRow r) => new(
        r.Id, r.Stream, r.CreatedAt, r.Trigger, r.StartedBy, r.Status == ForecastRunStatus.Completed ? "completed" : "failed", r.Error,
        r.Frequency, r.Model, r.ModelVersion, r.FallbackReason, r.IntervalLevel, r.HistoryEnd, r.HistoryPoints, r.Horizon,
        r.BacktestOrigins is { } origins ? new BacktestDto(origins, r.BacktestHorizon ?? TimeSpan.Zero, r.BacktestWape, r.BacktestMase, r.BacktestCoverage, r.SeasonalNaiveWape) : null,
        StoredForecast.Strings(r.RepairsJson), StoredForecast.Strings(r.CampaignsJson));
}

/// <summary>One forecast period with what happened in it, once the history has it.</summary>
public sealed record ForecastPointDto(DateTimeOffset Timestamp, double Predicted, double Lower, double Upper, double? Actual);

/// <summary>How the forecast fared against the history stored since: over how many periods, the WAPE and the interval's coverage.</summary>
public sealed record ForecastAccuracyDto(int Periods, double? Wape, double? Coverage);

/// <summary>A stored forecast with its points, each with its actual once known.</summary>
public sealed record ForecastDto(ForecastSummaryDto Forecast, IReadOnlyList<ForecastPointDto> Points, ForecastAccuracyDto Actual);

/// <summary><c>POST /api/forecasts/campaigns</c>.</summary>
public sealed record CampaignRequest(DateOnly? Date, string? Stream, double? ExpectedVolume, string? Name);

public sealed record CampaignDto(Guid Id, DateOnly Date, string Stream, double ExpectedVolume, string? Name, string CreatedBy, DateTimeOffset CreatedAt)
{
    public static CampaignDto From(PlannedCampaignRow r) => new(r.Id, r.Date, r.Stream, r.ExpectedVolume, r.Name, r.CreatedBy, r.CreatedAt);
}

/// <summary>The capacity a plan row was judged against.</summary>
public sealed record PlanCapacityDto(double Rate, string Kind, DateTimeOffset MeasuredAt, string? Scenario, Guid? RunId);

/// <summary>One row of the capacity plan (rates in messages per second; headroom a share: 0.5 = 50 % above the peak).</summary>
public sealed record CapacityPlanRowDto(
    string SendPath,
    string Period,
    DateOnly? Date,
    DateOnly? LastDate,
    IReadOnlyList<string> Streams,
    DateTimeOffset? PeakHour,
    double? PeakHourMessages,
    double? PeakRate,
    double? RequiredRate,
    PlanCapacityDto? Capacity,
    double? Headroom,
    string Verdict,
    string Reason,
    string Explanation)
{
    public static CapacityPlanRowDto From(CapacityPlanRow r) => new(
        r.SendPath, r.Period, r.PeakDate, r.LastDate, r.Streams, r.PeakHour, r.PeakHourVolume, r.PeakRate, r.RequiredRate,
        r.Capacity is { } c ? new PlanCapacityDto(c.Rate, c.IsKnee ? "knee" : "achieved", c.MeasuredAt, c.Scenario, c.RunId) : null,
        r.Headroom, ReadinessWords.Of(r.Verdict), ReadinessWords.Of(r.Reason), r.Explanation);
}

public sealed record CapacityPlanDto(DateTimeOffset At, double SafetyMargin, int LoadTestMaxAgeDays, IReadOnlyList<CapacityPlanRowDto> Rows)
{
    public static CapacityPlanDto From(CapacityPlan plan) =>
        new(plan.At, plan.Settings.SafetyMargin, (int)plan.Settings.LoadTestMaxAge.TotalDays, [.. plan.Rows.Select(CapacityPlanRowDto.From)]);
}
