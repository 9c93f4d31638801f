namespace Monitor.Core.Alerts.Rules;

/// <summary>The built-in rules configured by <see cref="AlertOptions.Rules"/>.</summary>
public static class AlertRules
{
    public static IReadOnlyList<IAlertRule> From(AlertOptions options)
    {
        var links = new AlertLinks(options.ExternalUrl);
        return
        [
            new CheckStatusRule(options.Rules.CheckStatus, links),
            new RecordDriftRule(options.Rules.RecordDrift, links),
            new StaleDataRule(options.Rules.StaleData, links),
            new BlacklistRule(options.Rules.Blacklisted, links),
            new InboxRateRule(options.Rules.InboxRate, links),
        ];
    }
}
