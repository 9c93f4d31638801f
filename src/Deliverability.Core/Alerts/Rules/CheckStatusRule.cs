using Deliverability.Core.Audits;
using Deliverability.Core.Storage;

namespace Deliverability.Core.Alerts.Rules;

/// <summary><c>CheckFailing</c>: a check's last conclusive status is error (critical) or warning (warning), for <c>ForRuns</c> consecutive runs.</summary>
public sealed class CheckStatusRule(CheckStatusRuleOptions options, AlertLinks links) : IAlertRule
{
    public const string Name = "CheckFailing";

    public string AlertName => Name;

    private readonly HashSet<string> _excluded = options.ExcludeChecks.Select(c => c.Trim().ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);

    public IEnumerable<AlertCondition> Evaluate(AlertRuleInput input)
    {
        if (!options.Enabled)
        {
            yield break;
        }

        foreach (var check in input.Checks)
        {
            if (check.BadRuns == 0 || check.BadSince is not { } since || check.BadStatus is not { } status || _excluded.Contains(check.Check))
            {
                continue;
            }

            if (status == CheckStatus.Warning && !options.IncludeWarnings)
            {
                continue;
            }

            var severity = status == CheckStatus.Error ? "critical" : "warning";
            var labels = AlertLabels.Of((AlertLabels.AlertName, Name), (AlertLabels.Severity, severity), (AlertLabels.Domain, check.Domain), (AlertLabels.Check, check.Check));
            var problems = StoredJson.Findings(check.BadFindingsJson ?? "[]").Where(f => f.Severity != Severity.Info).ToArray();
            var annotations = AlertLabels.Of(
                (AlertLabels.Summary, $"{check.Check.ToUpperInvariant()} of {check.Domain} is {status.ToString().ToLowerInvariant()}"),
                (AlertLabels.Description, string.Join(" ", problems.Select(f => $"[{f.Code}] {f.Message}"))),
                (AlertLabels.Fix, string.Join(" ", problems.Select(f => f.Fix).Where(f => f.Length > 0).Distinct())));
            links.AddTo(annotations, check.Domain);
            yield return new AlertCondition(labels, annotations, since, check.BadRuns, options.For, Math.Max(1, options.ForRuns));
        }
    }
}
