namespace Deliverability.Forecasting;

/// <summary>What to forecast: how far ahead, the interval level, and the known future inputs.</summary>
public sealed record ForecastRequest
{
    /// <summary>How far ahead, e.g. 14 days.</summary>
    public required TimeSpan Horizon { get; init; }

    public double IntervalLevel { get; init; } = 0.9;

    public IReadOnlyList<PlannedCampaign> Campaigns { get; init; } = [];

    public IReadOnlyList<PeakDay> ExtraPeakDays { get; init; } = [];
}
