using Deliverability.Core.DmarcReports.Alerts;
using Deliverability.Core.SendEvents.Alerts;

namespace Deliverability.Core.Alerts.Rules;

/// <summary>The built-in rules configured by <see cref="AlertOptions.Rules"/>.</summary>
public static class AlertRules
{
    public static IReadOnlyList<IAlertRule> From(AlertOptions options) => From(options.Rules, options.ExternalUrl);

    /// <summary>The rules of <paramref name="rules"/> (as in force: configuration with the dashboard's changes).</summary>
    public static IReadOnlyList<IAlertRule> From(AlertRulesOptions rules, string? externalUrl)
    {
        var links = new AlertLinks(externalUrl);
        return
        [
            new CheckStatusRule(rules.CheckStatus, links),
            new RecordDriftRule(rules.RecordDrift, links),
            new StaleDataRule(rules.StaleData, links),
            new BlacklistRule(rules.Blacklisted, links),
            new InboxRateRule(rules.InboxRate, links),
            new CapacityRule(rules.Capacity, links),
            new SendVolumeRule(rules.SendVolume, links),
            new CriticalMessageRule(rules.CriticalMessage, links),
            new SendLatencyRule(rules.SendLatency, links),
            new SendRateRule(rules.SendRate, links),
            new ThrottlingRule(rules.Throttling, links),
            new DmarcPassRateRule(rules.DmarcPassRate, links),
            new DmarcUnknownSourceRule(rules.DmarcUnknownSource, links),
            new DmarcSendingIpRule(rules.DmarcSendingIp, links),
            new TlsRptFailuresRule(rules.TlsRptFailures, links),
        ];
    }
}
