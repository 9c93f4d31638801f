using Deliverability.Core.Audits;
using Deliverability.Core.Dns;

namespace Deliverability.Core.Authentication.MtaSts;

/// <summary>
/// MTA-STS (RFC 8461): the <c>_mta-sts</c> TXT record, and that the policy host <c>mta-sts.&lt;domain&gt;</c> resolves.
/// The HTTPS policy fetch is not part of this DNS audit; <see cref="MtaStsPolicy.Parse"/> reads the file when it is fetched.
/// </summary>
public sealed class MtaStsCheck : IDomainCheck
{
    private const string CheckName = "mta-sts";

    public string Name => CheckName;

    public async Task<CheckResult> RunAsync(DomainAuditContext context, CancellationToken cancellationToken)
    {
        var domain = context.Request.Domain;
        var recordName = $"_mta-sts.{domain}";
        var response = await context.Dns.QueryAsync(recordName, DnsRecordType.TXT, cancellationToken).ConfigureAwait(false);
        if (response.IsTemporaryFailure)
        {
            return CheckResult.From(CheckName, [DnsUnavailable(response)], inconclusive: true);
        }

        var candidates = response.TxtStrings.Where(MtaStsRecord.IsCandidate).ToArray();
        var records = candidates.Select(c => $"{recordName} TXT \"{c}\"").ToArray();
        if (candidates.Length == 0)
        {
            return CheckResult.From(CheckName, [Finding.Info(
                "mtasts.missing",
                $"{domain} publishes no MTA-STS policy: senders deliver to it over TLS only when it happens to work, and an attacker can strip TLS unnoticed.",
                $"Publish a policy file at https://mta-sts.{domain}/.well-known/mta-sts.txt (start with 'mode: testing') and the TXT record {recordName} \"v=STSv1; id=20240101T000000;\".")], records);
        }

        if (candidates.Length > 1)
        {
            return CheckResult.From(CheckName, [Finding.Error(
                "mtasts.multiple_records",
                $"{recordName} has {candidates.Length} MTA-STS records; RFC 8461 makes senders then ignore MTA-STS for {domain} altogether.",
                "Keep exactly one 'v=STSv1; id=...;' TXT record there.")], records);
        }

        var parse = MtaStsRecord.Parse(candidates[0]);
        var findings = parse.Problems.ToList();
        if (parse.Record is null)
        {
            return CheckResult.From(CheckName, findings, records);
        }

        var policyHost = $"mta-sts.{domain}";
        // AAAA only when there is no A: one query for most domains (the audit runs for thousands of them).
        var hosts = new List<DnsResponse> { await context.Dns.QueryAsync(policyHost, DnsRecordType.A, cancellationToken).ConfigureAwait(false) };
        if (!hosts[0].Records<AddressRecord>().Any())
        {
            hosts.Add(await context.Dns.QueryAsync(policyHost, DnsRecordType.AAAA, cancellationToken).ConfigureAwait(false));
        }

        if (hosts.Any(h => h.Records<AddressRecord>().Any()))
        {
            findings.Add(Finding.Info(
                "mtasts.present",
                $"{domain} publishes an MTA-STS record (id {parse.Record.Id}) and its policy host {policyHost} resolves.",
                ""));
            return CheckResult.From(CheckName, findings, records);
        }

        var failed = hosts.FirstOrDefault(h => h.IsTemporaryFailure);
        if (failed is not null)
        {
            findings.Add(DnsUnavailable(failed));
            return CheckResult.From(CheckName, findings, records, inconclusive: !findings.Any(f => f.Severity == Severity.Error));
        }

        findings.Add(Finding.Error(
            "mtasts.policy_host_unresolved",
            $"{domain} publishes an MTA-STS record, but the policy host {policyHost} has no A or AAAA record: senders cannot fetch the policy, so MTA-STS does nothing.",
            $"Publish an A/AAAA record for {policyHost} and serve the policy at https://{policyHost}/.well-known/mta-sts.txt with a valid certificate for that name.") with { Subject = policyHost });
        return CheckResult.From(CheckName, findings, records);
    }

    private static Finding DnsUnavailable(DnsResponse response) => Finding.Warning(
        "mtasts.dns_unavailable",
        $"The MTA-STS check could not finish: {response.Describe()}. This says nothing about the records; the check is inconclusive.",
        "Retry later; if it persists, check that the domain's name servers answer.");
}
