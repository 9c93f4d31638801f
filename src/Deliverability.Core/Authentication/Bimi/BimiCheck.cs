using Deliverability.Core.Audits;
using Deliverability.Core.Authentication.Dmarc;
using Deliverability.Core.Dns;

namespace Deliverability.Core.Authentication.Bimi;

/// <summary>
/// BIMI: the <c>default._bimi</c> record's syntax, and the DMARC enforcement (quarantine or reject) that providers
/// require before they show the logo. Runs in stage 1 to read the DMARC check's <see cref="DmarcFacts"/>.
/// </summary>
public sealed class BimiCheck : IDomainCheck
{
    private const string CheckName = "bimi";

    public string Name => CheckName;

    public int Stage => 1;

    public async Task<CheckResult> RunAsync(DomainAuditContext context, CancellationToken cancellationToken)
    {
        var domain = context.Request.Domain;
        var recordName = $"default._bimi.{domain}";
        var response = await context.Dns.QueryAsync(recordName, DnsRecordType.TXT, cancellationToken).ConfigureAwait(false);
        if (response.IsTemporaryFailure)
        {
            return CheckResult.From(CheckName, [Finding.Warning(
                "bimi.dns_unavailable",
                $"The BIMI check could not finish: {response.Describe()}. This says nothing about the record; the check is inconclusive.",
                "Retry later; if it persists, check that the domain's name servers answer.")], inconclusive: true);
        }

        var candidates = response.TxtStrings.Where(BimiRecord.IsCandidate).ToArray();
        var records = candidates.Select(c => $"{recordName} TXT \"{c}\"").ToArray();
        if (candidates.Length == 0)
        {
            return CheckResult.From(CheckName, [Finding.Info(
                "bimi.missing",
                $"{domain} publishes no BIMI record, so mailbox providers show no brand logo next to its mail.",
                $"Optional: with DMARC at p=quarantine or p=reject, publish {recordName} \"v=BIMI1; l=https://<host>/logo.svg; a=https://<host>/vmc.pem\".")], records);
        }

        if (candidates.Length > 1)
        {
            return CheckResult.From(CheckName, [Finding.Error(
                "bimi.multiple_records",
                $"{recordName} has {candidates.Length} BIMI records; providers then ignore BIMI for {domain}.",
                "Keep exactly one 'v=BIMI1; ...' TXT record there.")], records);
        }

        var parse = BimiRecord.Parse(candidates[0]);
        var findings = parse.Problems.ToList();
        if (parse.Record is null)
        {
            return CheckResult.From(CheckName, findings, records);
        }

        if (parse.Record.IsDeclination)
        {
            findings.Add(Finding.Info("bimi.declined", $"{domain} publishes a BIMI declination (empty l=): it asks providers to show no logo."));
            return CheckResult.From(CheckName, findings, records);
        }

        if (parse.Record.Authority is null)
        {
            findings.Add(Finding.Info(
                "bimi.no_authority",
                $"The BIMI record of {domain} has no certificate (a=): Gmail and Apple Mail show logos only with a Verified Mark Certificate (VMC) or Common Mark Certificate (CMC); Yahoo may show it without.",
                "Obtain a VMC or CMC for the logo and publish its PEM file's https:// URL in a=."));
        }

        var dmarc = context.Fact<DmarcFacts>();
        if (dmarc is null)
        {
            findings.Add(Finding.Info(
                "bimi.dmarc_unknown",
                $"Whether {domain} enforces DMARC is unknown (the DMARC check was inconclusive or not run); BIMI logos are shown only under p=quarantine or p=reject.",
                "Run the audit again once DMARC can be checked."));
            return CheckResult.From(CheckName, findings, records, inconclusive: !findings.Any(f => f.Severity == Severity.Error));
        }

        if (!dmarc.RecordFound || dmarc.Policy is not ("quarantine" or "reject"))
        {
            var policy = dmarc.RecordFound ? $"p={dmarc.Policy}" : "no DMARC record";
            findings.Add(Finding.Warning(
                "bimi.dmarc_not_enforced",
                $"{domain} publishes a BIMI record but its DMARC is not enforced ({policy}); providers show BIMI logos only under p=quarantine or p=reject, so the logo is never shown.",
                "Move DMARC to p=quarantine or p=reject (with pct=100) once your reports show all legitimate mail aligned."));
        }
        else
        {
            findings.Add(Finding.Info("bimi.present", $"{domain} publishes a BIMI logo at {parse.Record.Logo} under an enforced DMARC policy (p={dmarc.Policy})."));
        }

        return CheckResult.From(CheckName, findings, records);
    }
}
