using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Deliverability.Core.Alerts.Rules;

namespace Deliverability.Core.Alerts.Evaluation;

/// <summary>The conditions the rules found, by fingerprint, and the rules that failed (whose alerts are kept as they are).</summary>
internal sealed record RuleOutcome(Dictionary<string, AlertCondition> Conditions, HashSet<string> FailedRules);

/// <summary>
/// Applies the rules in force to one evaluation's checks and signals. The dashboard's rule changes apply from the next
/// evaluation; the rules are rebuilt only when they changed. A rule that throws is skipped and logged once (and once
/// more when it works again); the other rules are evaluated.
/// </summary>
internal sealed partial class AlertRuleRunner
{
    private readonly AlertOptions _options;
    private readonly TimeSpan? _auditInterval;
    private readonly EffectiveAlertRules? _effectiveRules;
    private readonly ILogger<AlertRuleRunner> _logger;
    private readonly HashSet<string> _failingRules = new(StringComparer.Ordinal);
    private IReadOnlyList<IAlertRule> _rules;
    private long _rulesVersion;

    /// <param name="effectiveRules">The configuration with the dashboard's changes; without it, the configuration alone.</param>
    public AlertRuleRunner(IOptions<AlertOptions> options, AuditCadence cadence, ILogger<AlertRuleRunner> logger, EffectiveAlertRules? effectiveRules = null)
    {
        _options = options.Value;
        _auditInterval = cadence.Interval;
        _effectiveRules = effectiveRules;
        _logger = logger;
        _rules = AlertRules.From(_options);
    }

    public async Task<RuleOutcome> EvaluateAsync(
        DateTimeOffset now, IReadOnlyCollection<AuditedCheck> checks, IReadOnlyList<AlertSignal> signals, DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        var input = new AlertRuleInput(now, checks, signals, _auditInterval, startedAt);
        var conditions = new Dictionary<string, AlertCondition>(StringComparer.Ordinal);
        var failed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rule in await RulesInForceAsync(cancellationToken).ConfigureAwait(false))
        {
            List<AlertCondition> found;
            try
            {
                found = [.. rule.Evaluate(input)];
            }
#pragma warning disable CA1031 // One rule's defect (a bad stored value, a bug) must not stop the other rules.
            catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
            {
                failed.Add(rule.AlertName);
                if (_failingRules.Add(rule.AlertName))
                {
                    LogRuleFailed(ex, rule.AlertName);
                }

                continue;
            }

            if (_failingRules.Remove(rule.AlertName))
            {
                LogRuleRecovered(rule.AlertName);
            }

            foreach (var condition in found)
            {
                conditions.TryAdd(condition.Fingerprint, condition);
            }
        }

        return new RuleOutcome(conditions, failed);
    }

    private async Task<IReadOnlyList<IAlertRule>> RulesInForceAsync(CancellationToken cancellationToken)
    {
        if (_effectiveRules is null)
        {
            return _rules;
        }

        var inForce = await _effectiveRules.GetAsync(cancellationToken).ConfigureAwait(false);
        if (inForce.Version != _rulesVersion)
        {
            _rules = AlertRules.From(inForce.Rules, _options.ExternalUrl);
            _rulesVersion = inForce.Version;
        }

        return _rules;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Alert rule {AlertName} failed and is skipped until it works again; its alerts are kept as they are, the other rules are evaluated")]
    private partial void LogRuleFailed(Exception exception, string alertName);

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert rule {AlertName} is evaluated again")]
    private partial void LogRuleRecovered(string alertName);
}
