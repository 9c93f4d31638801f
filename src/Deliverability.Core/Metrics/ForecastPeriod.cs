namespace Deliverability.Core.Metrics;

/// <summary>A forecast period as the metrics see it: its start, the point forecast and the interval's bounds.</summary>
public readonly record struct ForecastPeriod(DateTimeOffset Start, double Predicted, double Lower, double Upper);
