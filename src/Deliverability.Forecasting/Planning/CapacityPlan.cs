namespace Deliverability.Forecasting.Planning;

/// <summary>
/// One line of the plan: a send path over one period (the whole forecast, or one peak day), its forecast peak hour,
/// the rate it needs with the margin, the capacity it measured, the headroom and the verdict, with the reason in words.
/// </summary>
/// <param name="Period">"Forecast" for the whole forecast, else the peak day's name.</param>
/// <param name="PeakDate">The peak day (the first of consecutive days of one name, such as Christmas week); null for the whole forecast.</param>
/// <param name="LastDate">The last of those days (the peak day itself when it is one day); null for the whole forecast.</param>
/// <param name="PeakHour">The start of the busiest forecast hour of the period (summed over the send path's streams).</param>
/// <param name="PeakHourVolume">The upper bound of the interval at that hour, in messages per hour.</param>
/// <param name="PeakRate">That volume per second.</param>
/// <param name="RequiredRate">The peak rate with the safety margin: what the send path must carry.</param>
/// <param name="Headroom">Capacity over the peak rate, minus one (0.5 = 50 % above the peak); null without both.</param>
public sealed record CapacityPlanRow(
    string SendPath,
    string Period,
    DateOnly? PeakDate,
    DateOnly? LastDate,
    IReadOnlyList<string> Streams,
    DateTimeOffset? PeakHour,
    double? PeakHourVolume,
    double? PeakRate,
    double? RequiredRate,
    SendPathCapacity? Capacity,
    double? Headroom,
    ReadinessVerdict Verdict,
    ReadinessReason Reason,
    string Explanation)
{
    public const string WholeForecast = "Forecast";

    /// <summary>Whether this row covers the whole forecast (not one peak day).</summary>
    public bool IsWholeForecast => PeakDate is null;
}

/// <summary>The capacity plan: per send path, a row for the whole forecast and one per upcoming peak day.</summary>
public sealed record CapacityPlan(DateTimeOffset At, CapacityPlanSettings Settings, IReadOnlyList<CapacityPlanRow> Rows)
{
    public static CapacityPlan Empty(DateTimeOffset at, CapacityPlanSettings settings) => new(at, settings, []);

    /// <summary>The whole-forecast row of <paramref name="sendPath"/>, or null when none of its streams is forecast.</summary>
    public CapacityPlanRow? Summary(string sendPath) =>
        Rows.FirstOrDefault(r => r.IsWholeForecast && string.Equals(r.SendPath, sendPath, StringComparison.Ordinal));

    public IEnumerable<string> SendPaths => Rows.Select(r => r.SendPath).Distinct(StringComparer.Ordinal);
}
