using Deliverability.Core.Audits;
using Deliverability.Core.Authentication.Dmarc;
using Deliverability.Core.Dns;

namespace Deliverability.Benchmarks.SyntheticChecks;

/// <summary>Harness stand-in for DMARC: the record at <c>_dmarc.domain</c>, its policy and <c>rua</c>.</summary>
public sealed class SyntheticDmarcCheck : IDomainCheck
{
    public string Name => "dmarc";

    public async Task<CheckResult> RunAsync(DomainAuditContext context, CancellationToken cancellationToken)
    {
        var response = await context.Dns.QueryAsync($"_dmarc.{context.Request.Domain}", DnsRecordType.TXT, cancellationToken).ConfigureAwait(false);
        if (response.IsTemporaryFailure)
        {
            return SyntheticChecks.Inconclusive(Name, response.Describe());
        }

        var record = response.TxtStrings.FirstOrDefault(t => t.StartsWith("v=DMARC1", StringComparison.Ordinal));
        if (record is null)
        {
            return SyntheticChecks.Missing(Name, $"no DMARC record at _dmarc.{context.Request.Domain}");
        }

        var tags = record.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(t => t.Split('=', 2))
            .Where(kv => kv.Length == 2)
            .ToDictionary(kv => kv[0], kv => kv[1]);
        var policy = tags.GetValueOrDefault("p");
        context.Publish(new DmarcFacts(true, policy, true, true));
        var findings = new List<Finding> { Finding.Info("synthetic.dmarc.policy", $"p={policy}") };
        if (policy == "none")
        {
            findings.Add(Finding.Warning("synthetic.dmarc.policy_none", "p=none", "Move to quarantine or reject."));
        }

        if (!tags.ContainsKey("rua"))
        {
            findings.Add(Finding.Warning("synthetic.dmarc.no_rua", "no rua", "Add rua."));
        }

        return CheckResult.From(Name, findings, [record]);
    }
}
