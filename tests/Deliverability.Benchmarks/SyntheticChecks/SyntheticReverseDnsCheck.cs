using Deliverability.Core.Audits;
using Deliverability.Core.Authentication.ReverseDns;
using Deliverability.Core.Dns;

namespace Deliverability.Benchmarks.SyntheticChecks;

/// <summary>Harness stand-in for reverse DNS: each sending IP's PTR, and the A records of its name (forward confirmation).</summary>
public sealed class SyntheticReverseDnsCheck : IDomainCheck
{
    public string Name => "reverse-dns";

    public async Task<CheckResult> RunAsync(DomainAuditContext context, CancellationToken cancellationToken)
    {
        var findings = new List<Finding>();
        var confirmed = new Dictionary<System.Net.IPAddress, bool>();
        foreach (var ip in context.Request.SendingIps)
        {
            var ptr = await context.Dns.QueryAsync(DnsNames.ReverseName(ip), DnsRecordType.PTR, cancellationToken).ConfigureAwait(false);
            if (ptr.IsTemporaryFailure)
            {
                return SyntheticChecks.Inconclusive(Name, ptr.Describe());
            }

            var ok = false;
            foreach (var target in ptr.Records<PtrRecord>().Select(r => r.Target))
            {
                var forward = await context.Dns.QueryAsync(target, DnsRecordType.A, cancellationToken).ConfigureAwait(false);
                if (forward.IsTemporaryFailure)
                {
                    return SyntheticChecks.Inconclusive(Name, forward.Describe());
                }

                ok |= forward.Records<AddressRecord>().Any(r => r.Address.Equals(ip));
            }

            confirmed[ip] = ok;
            findings.Add(ok
                ? Finding.Info("synthetic.reverse_dns.confirmed", $"{ip} is forward-confirmed")
                : Finding.Error("synthetic.reverse_dns.not_confirmed", $"{ip} has no forward-confirmed PTR", "Publish PTR and A.") with { Subject = ip.ToString() });
        }

        context.Publish(new ReverseDnsFacts(confirmed));
        return CheckResult.From(Name, findings);
    }
}
