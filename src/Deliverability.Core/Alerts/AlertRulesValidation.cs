namespace Deliverability.Core.Alerts;

/// <summary>One problem of the rules, at <paramref name="Key"/> under <c>Monitor:Alerts:Rules</c> (e.g. <c>InboxRate:Threshold</c>).</summary>
public sealed record AlertRuleProblem(string Key, string Message);

/// <summary>
/// The rules' limits, in one place: start-up validation of <c>Monitor:Alerts:Rules</c> and the dashboard's rule editor
/// both call <see cref="Validate"/>, so a value refused in configuration is refused in the dashboard with the same words.
/// </summary>
public static class AlertRulesValidation
{
    public static IReadOnlyList<AlertRuleProblem> Validate(AlertRulesOptions rules)
    {
        var problems = new List<AlertRuleProblem>();
        NotNegative(rules.CheckStatus.For, "CheckStatus:For", problems);
        if (rules.CheckStatus.ForRuns is < 1 or > 100)
        {
            problems.Add(new("CheckStatus:ForRuns", $"must be 1 to 100 (was {rules.CheckStatus.ForRuns})"));
        }

        if (rules.RecordDrift.ActiveFor <= TimeSpan.Zero)
        {
            problems.Add(new("RecordDrift:ActiveFor", $"must be more than zero (was {rules.RecordDrift.ActiveFor})"));
        }

        if (rules.StaleData.Factor is < 1.5 or > 100 || double.IsNaN(rules.StaleData.Factor))
        {
            problems.Add(new("StaleData:Factor", $"must be 1.5 to 100 audit intervals (was {rules.StaleData.Factor})"));
        }

        NotNegative(rules.Blacklisted.For, "Blacklisted:For", problems);
        NotNegative(rules.InboxRate.For, "InboxRate:For", problems);
        NotNegative(rules.Capacity.For, "Capacity:For", problems);
        NotNegative(rules.SendVolume.For, "SendVolume:For", problems);
        NotNegative(rules.CriticalMessage.For, "CriticalMessage:For", problems);
        NotNegative(rules.SendLatency.For, "SendLatency:For", problems);
        NotNegative(rules.SendRate.For, "SendRate:For", problems);
        NotNegative(rules.Throttling.For, "Throttling:For", problems);
        NotNegative(rules.DmarcPassRate.For, "DmarcPassRate:For", problems);
        NotNegative(rules.DmarcSendingIp.For, "DmarcSendingIp:For", problems);
        NotNegative(rules.TlsRptFailures.For, "TlsRptFailures:For", problems);
        Share(rules.DmarcPassRate.Threshold, "DmarcPassRate:Threshold", "0.9 for 90 %", problems);
        Share(rules.DmarcSendingIp.MaxUnalignedShare, "DmarcSendingIp:MaxUnalignedShare", "0.02 for 2 %", problems);
        Share(rules.TlsRptFailures.Threshold, "TlsRptFailures:Threshold", "0.05 for 5 %", problems);
        foreach (var (count, key) in new[]
        {
            (rules.DmarcPassRate.MinMessages, "DmarcPassRate:MinMessages"), (rules.DmarcUnknownSource.MinMessages, "DmarcUnknownSource:MinMessages"),
            (rules.DmarcSendingIp.MinMessages, "DmarcSendingIp:MinMessages"), (rules.TlsRptFailures.MinSessions, "TlsRptFailures:MinSessions"),
        })
        {
            if (count < 0)
            {
                problems.Add(new(key, $"must not be negative (was {count})"));
            }
        }

        if (rules.DmarcUnknownSource.NewWithin <= TimeSpan.Zero)
        {
            problems.Add(new("DmarcUnknownSource:NewWithin", $"must be more than zero (was {rules.DmarcUnknownSource.NewWithin})"));
        }
        if (rules.InboxRate.Threshold is <= 0 or > 1 || double.IsNaN(rules.InboxRate.Threshold))
        {
            problems.Add(new("InboxRate:Threshold", $"must be a share above 0 and at most 1, e.g. 0.8 for 80 % (was {rules.InboxRate.Threshold})"));
        }

        if (rules.InboxRate.MinMessages < 1)
        {
            problems.Add(new("InboxRate:MinMessages", $"must be at least 1 (was {rules.InboxRate.MinMessages})"));
        }

        foreach (var (severity, rule) in new[]
        {
            (rules.RecordDrift.Severity, "RecordDrift"), (rules.StaleData.Severity, "StaleData"), (rules.Blacklisted.Severity, "Blacklisted"), (rules.InboxRate.Severity, "InboxRate"),
            (rules.Capacity.Severity, "Capacity"), (rules.DmarcPassRate.Severity, "DmarcPassRate"), (rules.DmarcUnknownSource.Severity, "DmarcUnknownSource"),
            (rules.DmarcSendingIp.Severity, "DmarcSendingIp"), (rules.TlsRptFailures.Severity, "TlsRptFailures"),
        })
        {
            if (string.IsNullOrWhiteSpace(severity) || !severity.All(c => char.IsAsciiLetterLower(c) || c == '_'))
            {
                problems.Add(new($"{rule}:Severity", $"'{severity}' is not a severity (lower-case word: critical, warning, info)"));
            }
        }

        return problems;
    }

    private static void Share(double value, string key, string example, List<AlertRuleProblem> problems)
    {
        if (value is <= 0 or > 1 || double.IsNaN(value))
        {
            problems.Add(new(key, $"must be a share above 0 and at most 1, e.g. {example} (was {value})"));
        }
    }

    private static void NotNegative(TimeSpan value, string key, List<AlertRuleProblem> problems)
    {
        if (value < TimeSpan.Zero)
        {
            problems.Add(new(key, $"must not be negative (was {value})"));
        }
    }
}
