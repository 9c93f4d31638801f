using System.Globalization;
using System.Net;
using Deliverability.Core.Audits;
using Deliverability.Core.Dns;

namespace Deliverability.Core.Authentication.Mx;

/// <summary>
/// The domain's MX records: it must be able to receive bounces and replies (RFC 5321 section 5.1), a null MX
/// (RFC 7505) must stand alone, and every target must be a host name that resolves to an address without a CNAME.
/// </summary>
public sealed class MxCheck : IDomainCheck
{
    private const string CheckName = "mx";

    public string Name => CheckName;

    public async Task<CheckResult> RunAsync(DomainAuditContext context, CancellationToken cancellationToken)
    {
        var domain = context.Request.Domain;
        var response = await context.Dns.QueryAsync(domain, DnsRecordType.MX, cancellationToken).ConfigureAwait(false);
        if (response.IsTemporaryFailure)
        {
            return Inconclusive([DnsUnavailable(response, domain)]);
        }

        var mxRecords = response.Records<MxRecord>().OrderBy(r => r.Preference).ThenBy(r => r.Exchange, StringComparer.Ordinal).ToArray();
        var records = mxRecords.Select(r => $"MX {r.Preference.ToString(CultureInfo.InvariantCulture)} {(r.Exchange.Length == 0 ? "." : r.Exchange)}").ToArray();
        if (response.Status == DnsStatus.NxDomain)
        {
            return Result([Missing(domain, $"{domain} does not exist (NXDOMAIN)")], [], inconclusive: false);
        }

        if (mxRecords.Length == 0)
        {
            return await NoMxAsync(context, domain, cancellationToken).ConfigureAwait(false);
        }

        var findings = new List<Finding>();
        var nullMx = mxRecords.Where(r => r.Exchange.Length == 0).ToArray();
        if (nullMx.Length > 0)
        {
            findings.AddRange(NullMxFindings(domain, mxRecords, nullMx));
        }

        foreach (var duplicate in mxRecords.Where(r => r.Exchange.Length > 0).GroupBy(r => r.Exchange).Where(g => g.Count() > 1))
        {
            findings.Add(Finding.Warning(
                "mx.duplicate_target",
                $"{duplicate.Key} is listed {duplicate.Count()} times among the MX records of {domain}.",
                $"Keep one MX record for {duplicate.Key}; several records for one host add no redundancy.") with { Subject = duplicate.Key });
        }

        var targets = mxRecords.Where(r => r.Exchange.Length > 0).Select(r => r.Exchange).Distinct().ToArray();
        var outcomes = await Task.WhenAll(targets.Select(t => CheckTargetAsync(context.Dns, domain, t, cancellationToken))).ConfigureAwait(false);
        findings.AddRange(outcomes.SelectMany(o => o.Findings));

        if (nullMx.Length == 0 && !findings.Any(f => f.Severity == Severity.Error) && !outcomes.Any(o => o.Inconclusive))
        {
            findings.Add(Finding.Info("mx.ok", $"{domain} receives mail at {string.Join(", ", targets)}."));
        }

        return Result(findings, records, outcomes.Any(o => o.Inconclusive));
    }

    private static IEnumerable<Finding> NullMxFindings(string domain, MxRecord[] all, MxRecord[] nullMx)
    {
        if (all.Length > nullMx.Length)
        {
            yield return Finding.Error(
                "mx.null_mixed",
                $"{domain} publishes a null MX ('.', RFC 7505: this domain accepts no mail) together with other MX records; senders cannot tell whether it receives mail.",
                "Either remove the null MX record to receive mail at the other hosts, or remove the other MX records if the domain must accept no mail.");
        }
        else
        {
            yield return Finding.Info(
                "mx.null",
                $"{domain} publishes a null MX (RFC 7505): it accepts no mail, so bounces and replies to it are rejected at once.",
                "If this domain sends mail, publish real MX records so that bounces and replies can reach you.");
        }

        foreach (var record in nullMx.Where(r => r.Preference != 0))
        {
            yield return Finding.Error(
                "mx.null_preference",
                $"The null MX of {domain} has preference {record.Preference.ToString(CultureInfo.InvariantCulture)}; RFC 7505 requires 0.",
                $"Publish the null MX as '{domain}. IN MX 0 .'.");
        }
    }

    private static async Task<CheckResult> NoMxAsync(DomainAuditContext context, string domain, CancellationToken cancellationToken)
    {
        var a = context.Dns.QueryAsync(domain, DnsRecordType.A, cancellationToken);
        var aaaa = context.Dns.QueryAsync(domain, DnsRecordType.AAAA, cancellationToken);
        var answers = await Task.WhenAll(a, aaaa).ConfigureAwait(false);
        var addresses = answers.SelectMany(r => r.Records<AddressRecord>()).Select(r => r.Address.ToString()).ToArray();
        if (addresses.Length > 0)
        {
            return Result(
                [Finding.Warning(
                    "mx.implicit",
                    $"{domain} has no MX record: mail to it falls back to its address record ({string.Join(", ", addresses)}, RFC 5321 section 5.1), which is rarely a mail server.",
                    $"Publish MX records naming the hosts that receive mail for {domain} (or a null MX, 'MX 0 .', if it must receive none).")],
                addresses.Select(x => $"address {x}"),
                inconclusive: false);
        }

        var failed = answers.FirstOrDefault(r => r.IsTemporaryFailure);
        if (failed is not null)
        {
            return Inconclusive([DnsUnavailable(failed, domain)]);
        }

        return Result([Missing(domain, $"{domain} has no MX record and no address record")], [], inconclusive: false);
    }

    private static Finding Missing(string domain, string what) => Finding.Error(
        "mx.missing",
        $"{what}: it cannot receive bounces or replies, and many receivers reject mail from a domain that cannot be answered.",
        $"Publish MX records for {domain} naming the hosts that receive its mail.");

    private static async Task<TargetOutcome> CheckTargetAsync(IDnsResolver dns, string domain, string target, CancellationToken cancellationToken)
    {
        if (IsAddressLiteral(target))
        {
            return new TargetOutcome(
                [Finding.Error(
                    "mx.target_ip_literal",
                    $"An MX record of {domain} names the address {target} instead of a host name; RFC 5321 requires a domain name, and most senders will not deliver there.",
                    $"Give the mail server a host name with an A/AAAA record (for example mx.{domain}) and name that host in the MX record.") with { Subject = target }],
                false);
        }

        var findings = new List<Finding>();
        var a = await dns.QueryAsync(target, DnsRecordType.A, cancellationToken).ConfigureAwait(false);
        var responses = new List<DnsResponse> { a };
        if (!a.Records<AddressRecord>().Any())
        {
            responses.Add(await dns.QueryAsync(target, DnsRecordType.AAAA, cancellationToken).ConfigureAwait(false));
        }

        var cname = responses.SelectMany(r => r.CnameChain).FirstOrDefault(c => c.Name == target);
        if (cname is not null)
        {
            findings.Add(Finding.Error(
                "mx.target_cname",
                $"The MX target {target} is a CNAME (to {cname.Target}); RFC 2181 section 10.3 and RFC 5321 section 5.1 forbid MX records pointing at an alias, and some senders refuse to deliver.",
                $"Point the MX record at the canonical host name ({cname.Target}) or give {target} its own A/AAAA records.") with { Subject = target });
        }

        if (responses.Any(r => r.Records<AddressRecord>().Any()))
        {
            return new TargetOutcome(findings, false);
        }

        var failed = responses.FirstOrDefault(r => r.IsTemporaryFailure);
        if (failed is not null)
        {
            findings.Add(DnsUnavailable(failed, domain) with { Subject = target });
            return new TargetOutcome(findings, true);
        }

        findings.Add(Finding.Error(
            "mx.target_unresolved",
            $"The MX target {target} has no A or AAAA record ({responses[^1].Describe()}): mail for {domain} cannot be delivered there.",
            $"Publish an A and/or AAAA record for {target}, or remove it from the MX records of {domain}.") with { Subject = target });
        return new TargetOutcome(findings, false);
    }

    private static bool IsAddressLiteral(string target)
    {
        var text = target.Trim('[', ']');
        if (text.StartsWith("ipv6:", StringComparison.Ordinal))
        {
            text = text[5..];
        }

        return target.StartsWith('[') || (IPAddress.TryParse(text, out _) && (text.Contains(':') || text.Count(c => c == '.') == 3));
    }

    private static Finding DnsUnavailable(DnsResponse response, string domain) => Finding.Warning(
        "mx.dns_unavailable",
        $"The MX check of {domain} could not finish: {response.Describe()}. This says nothing about the records; the check is inconclusive.",
        "Retry later; if it persists, check that the domain's name servers answer.");

    private static CheckResult Inconclusive(IEnumerable<Finding> findings) => CheckResult.From(CheckName, findings, inconclusive: true);

    // A definite error stays an error even when another lookup failed: the failure cannot make it right.
    private static CheckResult Result(IReadOnlyList<Finding> findings, IEnumerable<string> records, bool inconclusive) =>
        CheckResult.From(CheckName, findings, records, inconclusive && !findings.Any(f => f.Severity == Severity.Error));

    private sealed record TargetOutcome(IReadOnlyList<Finding> Findings, bool Inconclusive);
}
