namespace Deliverability.Forecasting;

/// <summary>One forecast period: its start (UTC), the predicted volume and the prediction interval.</summary>
public readonly record struct ForecastPoint(DateTimeOffset Timestamp, double Predicted, double Lower, double Upper);
