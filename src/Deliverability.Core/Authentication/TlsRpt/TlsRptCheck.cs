using Deliverability.Core.Audits;
using Deliverability.Core.Dns;

namespace Deliverability.Core.Authentication.TlsRpt;

/// <summary>SMTP TLS reporting (RFC 8460): the <c>_smtp._tls</c> TXT record that tells senders where to report TLS failures.</summary>
public sealed class TlsRptCheck : IDomainCheck
{
    private const string CheckName = "tls-rpt";

    public string Name => CheckName;

    public async Task<CheckResult> RunAsync(DomainAuditContext context, CancellationToken cancellationToken)
    {
        var domain = context.Request.Domain;
        var recordName = $"_smtp._tls.{domain}";
        var response = await context.Dns.QueryAsync(recordName, DnsRecordType.TXT, cancellationToken).ConfigureAwait(false);
        if (response.IsTemporaryFailure)
        {
            return CheckResult.From(CheckName, [Finding.Warning(
                "tlsrpt.dns_unavailable",
                $"The TLS-RPT check could not finish: {response.Describe()}. This says nothing about the record; the check is inconclusive.",
                "Retry later; if it persists, check that the domain's name servers answer.")], inconclusive: true);
        }

        var candidates = response.TxtStrings.Where(TlsRptRecord.IsCandidate).ToArray();
        var records = candidates.Select(c => $"{recordName} TXT \"{c}\"").ToArray();
        if (candidates.Length == 0)
        {
            return CheckResult.From(CheckName, [Finding.Info(
                "tlsrpt.missing",
                $"{domain} publishes no TLS-RPT record: senders cannot tell you when TLS delivery to your MX hosts fails.",
                $"Publish the TXT record {recordName} \"v=TLSRPTv1; rua=mailto:tls-reports@{domain}\".")], records);
        }

        if (candidates.Length > 1)
        {
            return CheckResult.From(CheckName, [Finding.Error(
                "tlsrpt.multiple_records",
                $"{recordName} has {candidates.Length} TLS-RPT records; RFC 8460 makes senders then send no reports at all.",
                "Merge them into one record; list several destinations in one rua tag, separated by commas.")], records);
        }

        var parse = TlsRptRecord.Parse(candidates[0]);
        var findings = parse.Problems.ToList();
        if (parse.Record is not null)
        {
            findings.Add(Finding.Info(
                "tlsrpt.present",
                $"{domain} asks for TLS reports at {string.Join(", ", parse.Record.ReportDestinations)}."));
        }

        return CheckResult.From(CheckName, findings, records);
    }
}
