namespace Deliverability.Core.Audits;

/// <summary>
/// Ok, Warning and Error follow the worst finding. Unknown means the check could not finish because DNS failed
/// temporarily (timeout, SERVFAIL): it says nothing about the record, so it must never page anyone as a broken record.
/// </summary>
public enum CheckStatus
{
    Ok,
    Warning,
    Error,
    Unknown,
}

/// <summary>What one check of one domain found: its findings and the raw DNS records it read.</summary>
public sealed record CheckResult(string Check, CheckStatus Status, IReadOnlyList<Finding> Findings, IReadOnlyList<string> Records)
{
    /// <summary>A result whose status follows its worst finding; <paramref name="inconclusive"/> makes it Unknown.</summary>
    public static CheckResult From(string check, IEnumerable<Finding> findings, IEnumerable<string>? records = null, bool inconclusive = false)
    {
        var list = findings.ToArray();
        var status = inconclusive ? CheckStatus.Unknown : StatusOf(list);
        return new CheckResult(check, status, list, records?.ToArray() ?? []);
    }

    public static CheckStatus StatusOf(IEnumerable<Finding> findings)
    {
        var worst = Severity.Info;
        foreach (var finding in findings)
        {
            worst = finding.Severity > worst ? finding.Severity : worst;
        }

        return worst switch
        {
            Severity.Error => CheckStatus.Error,
            Severity.Warning => CheckStatus.Warning,
            _ => CheckStatus.Ok,
        };
    }
}
