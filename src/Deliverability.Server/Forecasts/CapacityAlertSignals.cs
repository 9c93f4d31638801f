using Deliverability.Core.Alerts;
using Deliverability.Forecasting.Planning;

namespace Deliverability.Server.Forecasts;

/// <summary>
/// The rows of the capacity plan that are not ready, for the <c>CapacityNotReady</c> alert rule: headroom under the
/// margin, capacity under the peak, or a load test missing or too old for a forecast peak. Rows that are unknown for
/// lack of an hourly forecast or because the peak day is beyond the forecast give no signal: nothing is known yet.
/// </summary>
public sealed class CapacityAlertSignals(CapacityPlanBoard board) : IAlertSignalSource
{
    public async Task<IReadOnlyList<AlertSignal>> GetSignalsAsync(CancellationToken cancellationToken)
    {
        var (plan, forecasts) = await board.ReadAsync(cancellationToken);
        var forecastAt = forecasts.Count == 0 ? plan.At : forecasts.Min(f => f.CreatedAt);
        return [.. plan.Rows.Select(row => Signal(row, plan, forecastAt)).OfType<AlertSignal>()];
    }

    private static CapacitySignal? Signal(CapacityPlanRow row, CapacityPlan plan, DateTimeOffset forecastAt)
    {
        CapacityProblem? problem = row.Reason switch
        {
            ReadinessReason.BelowMargin => CapacityProblem.BelowMargin,
            ReadinessReason.OverCapacity => CapacityProblem.OverCapacity,
            ReadinessReason.NoLoadTest => CapacityProblem.NoLoadTest,
            ReadinessReason.StaleLoadTest => CapacityProblem.StaleLoadTest,
            _ => null,
        };
        if (problem is null)
        {
            return null;
        }

        // Since when it holds (stable from one evaluation to the next, for the rule's For): the load test's age crossed the
        // limit, or the later of its evidence (the forecasts, the load test) appeared.
        var since = problem switch
        {
            CapacityProblem.StaleLoadTest => row.Capacity!.MeasuredAt + plan.Settings.LoadTestMaxAge,
            CapacityProblem.NoLoadTest => forecastAt,
            _ => row.Capacity!.MeasuredAt > forecastAt ? row.Capacity.MeasuredAt : forecastAt,
        };
        return new CapacitySignal(row.SendPath, row.Period, row.PeakDate, problem.Value, row.Explanation, since > plan.At ? plan.At : since);
    }
}
