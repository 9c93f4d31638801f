namespace Deliverability.Forecasting.Planning;

/// <summary>Whether a send path's measured capacity covers a forecast peak.</summary>
public enum ReadinessVerdict
{
    /// <summary>The capacity covers the peak with the safety margin.</summary>
    Ready,

    /// <summary>The capacity covers the peak, but with less headroom than the margin.</summary>
    AtRisk,

    /// <summary>The capacity is below the forecast peak.</summary>
    NotReady,

    /// <summary>No recent load test, no hourly forecast, or a day beyond the forecast: nothing to compare.</summary>
    Unknown,
}

/// <summary>Why a row has its verdict.</summary>
public enum ReadinessReason
{
    /// <summary>Ready: capacity at or above the required rate (or no traffic forecast).</summary>
    Covered,

    /// <summary>At risk: headroom under the margin.</summary>
    BelowMargin,

    /// <summary>Not ready: capacity under the forecast peak.</summary>
    OverCapacity,

    /// <summary>Unknown: the send path has no load test with a usable rate.</summary>
    NoLoadTest,

    /// <summary>Unknown: its latest load test is older than the allowed age.</summary>
    StaleLoadTest,

    /// <summary>Unknown: a stream of the send path is forecast per day or week, which has no peak hour.</summary>
    NotHourly,

    /// <summary>Unknown: the peak day lies after the end of the forecast.</summary>
    BeyondHorizon,
}

/// <summary>The verdict and reason words used in the API, the exports and the page.</summary>
public static class ReadinessWords
{
    public static string Of(ReadinessVerdict verdict) => verdict switch
    {
        ReadinessVerdict.Ready => "ready",
        ReadinessVerdict.AtRisk => "at risk",
        ReadinessVerdict.NotReady => "not ready",
        _ => "unknown",
    };

    public static string Of(ReadinessReason reason) => reason switch
    {
        ReadinessReason.Covered => "covered",
        ReadinessReason.BelowMargin => "below margin",
        ReadinessReason.OverCapacity => "over capacity",
        ReadinessReason.NoLoadTest => "no load test",
        ReadinessReason.StaleLoadTest => "stale load test",
        ReadinessReason.NotHourly => "not hourly",
        _ => "beyond horizon",
    };
}
