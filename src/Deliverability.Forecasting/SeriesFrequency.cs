namespace Deliverability.Forecasting;

/// <summary>The regular step between the points of a volume series.</summary>
public enum SeriesFrequency
{
    Hourly,
    Daily,
    Weekly,
}
