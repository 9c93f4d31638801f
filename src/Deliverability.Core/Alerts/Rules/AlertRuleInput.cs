using Deliverability.Core.Audits;

namespace Deliverability.Core.Alerts.Rules;

/// <summary>What every rule sees in one evaluation.</summary>
/// <param name="AuditInterval">The time between two scheduled audits (null when unknown: no stale-data alerts).</param>
/// <param name="EngineStartedAt">Data cannot be fresher than the service that gathers it: staleness counts from here at the earliest.</param>
public sealed record AlertRuleInput(
    DateTimeOffset Now,
    IReadOnlyCollection<AuditedCheck> Checks,
    IReadOnlyList<AlertSignal> Signals,
    TimeSpan? AuditInterval,
    DateTimeOffset EngineStartedAt);

/// <summary>One check of one domain as the rules see it: its last run, its bad streak and its last record drift (recorded as each result was saved).</summary>
/// <param name="CheckedAt">When it last ran (an inconclusive run included).</param>
/// <param name="BadRuns">Consecutive conclusive runs with a warning or error status.</param>
/// <param name="BadStatus">The status of the streak's last run; null without a streak.</param>
/// <param name="BadFindingsJson">The findings of the streak's last run; null without a streak.</param>
/// <param name="RecordsJson">The sorted records of the last conclusive run; read only when there was a drift.</param>
/// <param name="DriftPreviousJson">The sorted records before the drift.</param>
public sealed record AuditedCheck(
    string Domain,
    string Check,
    DateTimeOffset CheckedAt,
    int BadRuns,
    DateTimeOffset? BadSince,
    CheckStatus? BadStatus,
    string? BadFindingsJson,
    DateTimeOffset? DriftAt,
    string? RecordsJson,
    string? DriftPreviousJson);

/// <summary>One built-in rule: the conditions that hold now.</summary>
public interface IAlertRule
{
    /// <summary>The <c>alertname</c> of the alerts it raises.</summary>
    string AlertName { get; }

    IEnumerable<AlertCondition> Evaluate(AlertRuleInput input);
}

/// <summary>The dashboard links put in annotations.</summary>
public sealed class AlertLinks(string? externalUrl)
{
    private readonly string? _base = string.IsNullOrWhiteSpace(externalUrl) ? null : externalUrl.TrimEnd('/');

    public string? ExternalUrl => _base;

    public string? Domain(string? domain) => _base is null || string.IsNullOrEmpty(domain) ? _base : $"{_base}/domains/{Uri.EscapeDataString(domain)}";

    public string? Alert(string fingerprint) => _base is null ? null : $"{_base}/alerts/{fingerprint}";

    public void AddTo(SortedDictionary<string, string> annotations, string? domain)
    {
        if (Domain(domain) is { } url)
        {
            annotations[AlertLabels.DashboardUrl] = url;
        }
    }
}
