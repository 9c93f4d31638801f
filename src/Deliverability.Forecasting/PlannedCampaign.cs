namespace Deliverability.Forecasting;

/// <summary>A planned campaign: a known future input the planner enters.</summary>
public sealed record PlannedCampaign(DateOnly Date, string Stream, double ExpectedVolume);
