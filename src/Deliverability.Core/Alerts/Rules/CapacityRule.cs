namespace Deliverability.Core.Alerts.Rules;

/// <summary>
/// <c>CapacityNotReady</c>: a send path is not ready for a forecast peak: its headroom is under the margin, or its latest
/// load test is missing or too old (reported by the forecasts' capacity plan as <see cref="CapacitySignal"/>s).
/// </summary>
public sealed class CapacityRule(CapacityRuleOptions options, AlertLinks links) : IAlertRule
{
    public const string Name = "CapacityNotReady";

    public string AlertName => Name;

    public IEnumerable<AlertCondition> Evaluate(AlertRuleInput input)
    {
        if (!options.Enabled)
        {
            yield break;
        }

        foreach (var signal in input.Signals.OfType<CapacitySignal>())
        {
            var labels = AlertLabels.Of(
                (AlertLabels.AlertName, Name),
                (AlertLabels.Severity, options.Severity),
                (AlertLabels.SendPath, signal.SendPath),
                (AlertLabels.Peak, signal.Period));
            var when = signal.PeakDate is { } date ? $"{signal.Period} ({date:yyyy-MM-dd})" : "the forecast peak";
            var annotations = AlertLabels.Of(
                (AlertLabels.Summary, signal.Problem switch
                {
                    CapacityProblem.OverCapacity => $"Send path {signal.SendPath} cannot carry {when}",
                    CapacityProblem.BelowMargin => $"Send path {signal.SendPath} has less headroom than the margin for {when}",
                    CapacityProblem.NoLoadTest => $"Send path {signal.SendPath} has no load test for {when}",
                    _ => $"The load test of send path {signal.SendPath} is too old for {when}",
                }),
                (AlertLabels.Description, signal.Summary),
                (AlertLabels.Fix, signal.Problem is CapacityProblem.NoLoadTest or CapacityProblem.StaleLoadTest
                    ? "Run a capacity search of the send path (Load tests page, or monitor loadtest and an import) before the peak."
                    : "Add capacity to the send path (or spread the campaigns), then run a capacity search again; the Forecasts page shows the plan."));
            if (links.ExternalUrl is { } url)
            {
                annotations[AlertLabels.DashboardUrl] = url + "/forecasts";
            }

            yield return new AlertCondition(labels, annotations, signal.Since, 1, options.For, 1);
        }
    }
}
