namespace Deliverability.Core.Alerts.Rules;

/// <summary><c>CheckStale</c>: a check has not run for <c>Factor</c> times the audit interval.</summary>
public sealed class StaleDataRule(StaleDataRuleOptions options, AlertLinks links) : IAlertRule
{
    public const string Name = "CheckStale";

    public string AlertName => Name;

    public IEnumerable<AlertCondition> Evaluate(AlertRuleInput input)
    {
        if (!options.Enabled || input.AuditInterval is not { } interval)
        {
            yield break;
        }

        var limit = interval * options.Factor;
        foreach (var check in input.Checks)
        {
            var from = check.CheckedAt > input.EngineStartedAt ? check.CheckedAt : input.EngineStartedAt;
            if (input.Now - from <= limit)
            {
                continue;
            }

            var labels = AlertLabels.Of((AlertLabels.AlertName, Name), (AlertLabels.Severity, options.Severity), (AlertLabels.Domain, check.Domain), (AlertLabels.Check, check.Check));
            var annotations = AlertLabels.Of(
                (AlertLabels.Summary, $"{check.Check.ToUpperInvariant()} of {check.Domain} has not run since {check.CheckedAt:u}"),
                (AlertLabels.Description, $"Expected a run every {interval}; none for {input.Now - check.CheckedAt:g}. Its last result may be out of date."),
                (AlertLabels.Fix, "Check that the service's scheduler runs (logs of the audit cycle) and that the domain is still configured."));
            links.AddTo(annotations, check.Domain);
            yield return new AlertCondition(labels, annotations, from + limit, 1, TimeSpan.Zero, 1);
        }
    }
}
