using Deliverability.Core.Audits;
using Deliverability.Core.Dns;

namespace Deliverability.Benchmarks.SyntheticChecks;

/// <summary>Harness stand-in for MTA-STS, TLS-RPT and BIMI: one TXT record at <c>prefix.domain</c> starting with its version tag.</summary>
public sealed class SyntheticTxtRecordCheck(string name, string prefix, string version) : IDomainCheck
{
    public string Name => name;

    public async Task<CheckResult> RunAsync(DomainAuditContext context, CancellationToken cancellationToken)
    {
        var owner = $"{prefix}.{context.Request.Domain}";
        var response = await context.Dns.QueryAsync(owner, DnsRecordType.TXT, cancellationToken).ConfigureAwait(false);
        if (response.IsTemporaryFailure)
        {
            return SyntheticChecks.Inconclusive(Name, response.Describe());
        }

        var record = response.TxtStrings.FirstOrDefault(t => t.StartsWith(version, StringComparison.Ordinal));
        return record is null
            ? SyntheticChecks.Missing(Name, $"no {version} record at {owner}")
            : CheckResult.From(Name, [Finding.Info($"synthetic.{Name}.present", $"{version} record present")], [record]);
    }
}
