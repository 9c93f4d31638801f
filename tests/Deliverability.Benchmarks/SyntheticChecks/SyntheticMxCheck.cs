using Deliverability.Core.Audits;
using Deliverability.Core.Dns;

namespace Deliverability.Benchmarks.SyntheticChecks;

/// <summary>Harness stand-in for MX: the MX records and an A lookup of each target.</summary>
public sealed class SyntheticMxCheck : IDomainCheck
{
    public string Name => "mx";

    public async Task<CheckResult> RunAsync(DomainAuditContext context, CancellationToken cancellationToken)
    {
        var response = await context.Dns.QueryAsync(context.Request.Domain, DnsRecordType.MX, cancellationToken).ConfigureAwait(false);
        if (response.IsTemporaryFailure)
        {
            return SyntheticChecks.Inconclusive(Name, response.Describe());
        }

        var hosts = response.Records<MxRecord>().Select(r => r.Exchange).ToArray();
        if (hosts.Length == 0)
        {
            return SyntheticChecks.Missing(Name, $"no MX at {context.Request.Domain}");
        }

        var findings = new List<Finding>();
        foreach (var host in hosts)
        {
            var address = await context.Dns.QueryAsync(host, DnsRecordType.A, cancellationToken).ConfigureAwait(false);
            if (address.IsTemporaryFailure)
            {
                return SyntheticChecks.Inconclusive(Name, address.Describe());
            }

            findings.Add(address.IsEmpty
                ? Finding.Error("synthetic.mx.target_unresolved", $"{host} has no address", "Fix the MX target.")
                : Finding.Info("synthetic.mx.target", $"{host} resolves"));
        }

        return CheckResult.From(Name, findings);
    }
}
