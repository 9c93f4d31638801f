using System.Net;
using Deliverability.Core.Audits;
using Deliverability.Core.Dns;

namespace Deliverability.Core.Authentication.Spf;

/// <summary>
/// The <c>spf</c> check: audits the SPF record of the return-path domain (and of the From domain when it differs),
/// evaluates check_host() for each sending IP, and publishes <see cref="SpfFacts"/>.
/// </summary>
public sealed class SpfCheck : IDomainCheck
{
    public string Name => "spf";

    public async Task<CheckResult> RunAsync(DomainAuditContext context, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var returnPath = DnsNames.Normalize(request.EffectiveReturnPathDomain);
        var audit = new SpfRecordAudit(context.Dns);
        var report = await audit.AuditAsync(returnPath, cancellationToken).ConfigureAwait(false);
        var findings = new List<Finding>(report.Findings);
        var records = new List<string>(report.Records);
        var inconclusive = report.Inconclusive;

        var from = DnsNames.Normalize(request.Domain);
        if (from != returnPath)
        {
            var fromReport = await audit.AuditAsync(from, cancellationToken).ConfigureAwait(false);
            inconclusive |= fromReport.Inconclusive;
            records.AddRange(fromReport.Records);

            // Receivers evaluate SPF on the return-path; the From domain's own record only matters where it is used as HELO or
            // MAIL FROM, so its absence is information, not an error.
            findings.AddRange(fromReport.Findings.Select(f => f.Code == "spf.missing"
                ? Finding.Info(
                    "spf.from_domain_missing",
                    $"The From domain {from} has no SPF record; SPF is checked on the return-path domain {returnPath}.",
                    $"Optional: publish \"v=spf1 -all\" at {from} if it never sends directly, or its senders otherwise.") with { Subject = from }
                : f));
        }

        var results = new Dictionary<IPAddress, SpfResult>();
        if (!report.RecordFound)
        {
            // check_host() would end at the record lookup: no need to ask again per IP (the record findings say why).
            var result = report.Records.Count > 1 ? SpfResult.PermError : report.Inconclusive ? SpfResult.TempError : SpfResult.None;
            foreach (var ip in request.SendingIps)
            {
                results[ip] = result;
            }
        }
        else if (request.SendingIps.Count > 0)
        {
            var evaluator = new SpfEvaluator(context.Dns);
            foreach (var ip in request.SendingIps)
            {
                var evaluation = await evaluator.CheckHostAsync(ip, returnPath, "postmaster@" + returnPath, returnPath, cancellationToken).ConfigureAwait(false);
                results[ip] = evaluation.Result;
                var finding = IpFinding(returnPath, ip, evaluation);
                if (finding is not null)
                {
                    findings.Add(finding);
                }

                inconclusive |= evaluation.Result == SpfResult.TempError;
            }
        }

        // Like the DKIM and DMARC checks: no facts when the record itself could not be read, so a timeout never reads
        // as "no SPF record" to later stages.
        if (report.RecordFound || !report.Inconclusive)
        {
            context.Publish(new SpfFacts(returnPath, report.RecordFound, results));
        }

        return CheckResult.From(Name, findings, records, inconclusive);
    }

    private static Finding? IpFinding(string domain, IPAddress ip, SpfEvaluation evaluation) => evaluation.Result switch
    {
        SpfResult.Pass => null,
        SpfResult.TempError => Finding.Warning(
            "spf.dns_temporary",
            $"SPF for {ip} at {domain} could not be evaluated: {evaluation.Problem}. The result is unknown, not a failure.",
            "Nothing to change if this passes; if it persists, check the name servers of the domains in the record.") with { Subject = ip.ToString() },
        _ => Finding.Error(
            "spf.ip_not_authorized",
            $"The sending IP {ip} gets SPF {evaluation.ResultText} for {domain}"
                + (evaluation.Mechanism is null ? "" : $" (decided by '{evaluation.Mechanism}')")
                + (evaluation.Problem is null ? "" : $": {evaluation.Problem}")
                + "; mail it sends with this return-path fails SPF and cannot align for DMARC through SPF.",
            $"Authorize {ip} in the SPF record of {domain} (ip4:/ip6: or the include of the provider that owns it), or stop sending from it.") with { Subject = ip.ToString() },
    };
}
