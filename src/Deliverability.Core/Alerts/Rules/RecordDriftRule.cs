using Deliverability.Core.Storage;

namespace Deliverability.Core.Alerts.Rules;

/// <summary><c>DnsRecordChanged</c>: a watched check read other records than in its previous conclusive run; fires for <c>ActiveFor</c>.</summary>
public sealed class RecordDriftRule(RecordDriftRuleOptions options, AlertLinks links) : IAlertRule
{
    public const string Name = "DnsRecordChanged";

    public string AlertName => Name;

    private readonly HashSet<string> _watched = (options.Checks.Count > 0 ? options.Checks : RecordDriftRuleOptions.DefaultChecks).Select(c => c.Trim().ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);

    public IEnumerable<AlertCondition> Evaluate(AlertRuleInput input)
    {
        if (!options.Enabled)
        {
            yield break;
        }

        foreach (var check in input.Checks)
        {
            if (check.DriftAt is not { } at || input.Now - at >= options.ActiveFor || !_watched.Contains(check.Check))
            {
                continue;
            }

            var before = StreakAndDrift.Records(check.DriftPreviousJson);
            var now = StreakAndDrift.Records(check.RecordsJson);
            var labels = AlertLabels.Of((AlertLabels.AlertName, Name), (AlertLabels.Severity, options.Severity), (AlertLabels.Domain, check.Domain), (AlertLabels.Check, check.Check));
            var annotations = AlertLabels.Of(
                (AlertLabels.Summary, $"The {check.Check.ToUpperInvariant()} records of {check.Domain} changed"),
                (AlertLabels.Description, $"Before: {Show(before)}. Now: {Show(now)}."),
                (AlertLabels.Fix, "If the change was not intended (a deploy, a DNS provider migration), restore the previous records."));
            links.AddTo(annotations, check.Domain);
            yield return new AlertCondition(labels, annotations, at, 1, TimeSpan.Zero, 1);
        }
    }

    private static string Show(IReadOnlyList<string> records) => records.Count == 0 ? "none" : string.Join(" | ", records);
}
