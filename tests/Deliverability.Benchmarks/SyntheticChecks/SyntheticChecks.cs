using Deliverability.Core.Audits;

namespace Deliverability.Benchmarks.SyntheticChecks;

/// <summary>
/// HARNESS TEST ONLY (<c>--synthetic-checks</c>): stand-ins that ask the DNS questions a full audit asks, with a little
/// parsing, so the harness can be validated before the product's checks exist. Their figures are not the product's.
/// Codes start with <c>synthetic.</c> so that no report mistakes them for real findings.
/// </summary>
public static class SyntheticChecks
{
    public static IReadOnlyList<IDomainCheck> All() =>
    [
        new SyntheticSpfCheck(),
        new SyntheticDkimCheck(),
        new SyntheticDmarcCheck(),
        new SyntheticMxCheck(),
        new SyntheticReverseDnsCheck(),
        new SyntheticTxtRecordCheck("mta-sts", "_mta-sts", "v=STSv1"),
        new SyntheticTxtRecordCheck("tls-rpt", "_smtp._tls", "v=TLSRPTv1"),
        new SyntheticTxtRecordCheck("bimi", "default._bimi", "v=BIMI1"),
    ];

    internal static CheckResult Inconclusive(string check, string what) =>
        CheckResult.From(check, [Finding.Warning($"synthetic.{check}.dns_failed", $"DNS failed temporarily: {what}", "Retry later.")], inconclusive: true);

    internal static CheckResult Missing(string check, string what) =>
        CheckResult.From(check, [Finding.Error($"synthetic.{check}.missing", what, "Publish the record.")]);
}
