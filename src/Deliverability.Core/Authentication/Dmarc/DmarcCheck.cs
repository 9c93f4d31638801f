using Deliverability.Core.Audits;
using Deliverability.Core.Dns;
using Deliverability.Core.PublicSuffix;

namespace Deliverability.Core.Authentication.Dmarc;

/// <summary>
/// Finds the DMARC policy of the From domain (its own record, else its organizational domain's, RFC 7489 section 6.6.3),
/// audits every tag, checks that external report destinations authorize themselves (section 7.1), and whether the
/// configured return-path and DKIM signing domains align with the From domain. Publishes <see cref="DmarcFacts"/>
/// unless a DNS failure leaves the policy unknown.
/// </summary>
public sealed class DmarcCheck(PublicSuffixList? publicSuffixes = null) : IDomainCheck
{
    public const string CheckName = "dmarc";

    private readonly PublicSuffixList _publicSuffixes = publicSuffixes ?? PublicSuffixList.Default;

    public string Name => CheckName;

    public async Task<CheckResult> RunAsync(DomainAuditContext context, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var domain = DnsNames.Normalize(request.Domain);
        var organizational = _publicSuffixes.OrganizationalDomain(domain);
        var findings = new List<Finding>();
        var records = new List<string>();

        var own = await DiscoverAsync(context.Dns, domain, records, cancellationToken).ConfigureAwait(false);
        var found = own;
        var inherited = false;
        if (own.IsTemporaryFailure)
        {
            findings.Add(DnsTemporary(own.Response, domain));
            return CheckResult.From(CheckName, findings, records, inconclusive: true);
        }

        if (own.Candidates.Count == 0)
        {
            ReportVersionNotFirst(own, findings);
            if (organizational != domain)
            {
                found = await DiscoverAsync(context.Dns, organizational, records, cancellationToken).ConfigureAwait(false);
                if (found.IsTemporaryFailure)
                {
                    findings.Add(DnsTemporary(found.Response, organizational));
                    return CheckResult.From(CheckName, findings, records, inconclusive: !findings.Any(f => f.Severity == Severity.Error));
                }

                inherited = found.Candidates.Count > 0;
                if (!inherited)
                {
                    ReportVersionNotFirst(found, findings);
                }
            }
        }

        DmarcRecord? record = null;
        if (found.Candidates.Count > 1)
        {
            findings.Add(Finding.Error(
                "dmarc.multiple_records",
                $"{found.Name} has {found.Candidates.Count} DMARC records; with more than one, receivers apply no DMARC policy at all (RFC 7489 section 6.6.3).",
                $"Keep exactly one TXT record starting with v=DMARC1 at {found.Name}; merge the others into it."));
        }
        else if (found.Candidates.Count == 1)
        {
            record = DmarcRecord.Parse(found.Candidates[0]);
            findings.AddRange(record.Problems);
        }
        else
        {
            findings.Add(Finding.Error(
                "dmarc.missing",
                organizational == domain
                    ? $"{domain} publishes no DMARC record at _dmarc.{domain}: receivers apply no policy and send no reports, and Gmail, Yahoo and Outlook.com require one of bulk senders."
                    : $"Neither {domain} (at _dmarc.{domain}) nor its organizational domain {organizational} (at _dmarc.{organizational}) publishes a DMARC record: receivers apply no policy and send no reports.",
                $"Publish a TXT record at _dmarc.{organizational}: \"v=DMARC1; p=none; rua=mailto:dmarc-reports@{organizational}\", then move to quarantine or reject."));
        }

        var policyDomain = inherited ? organizational : domain;
        DmarcPolicy? policy = null;
        var inconclusive = false;
        if (record is { Applies: true })
        {
            policy = inherited ? record.SubdomainPolicyInEffect : record.DomainPolicy;
            if (inherited)
            {
                var subdomainPolicy = record.SubdomainPolicy is { } sp
                    ? $"its subdomain policy sp={PolicyName(sp)}"
                    : $"its policy p={PolicyName(record.DomainPolicy)} (it sets no sp=, so p= covers subdomains)";
                var nonexistent = record.NonexistentSubdomainPolicy is { } np ? $"; np={PolicyName(np)} covers names that do not exist" : "";
                findings.Add(Finding.Info(
                    "dmarc.inherited",
                    $"{domain} has no DMARC record of its own; the record of its organizational domain {organizational} applies, with {subdomainPolicy}{nonexistent}.",
                    $"Nothing to do if that policy suits {domain}; publish _dmarc.{domain} to give it its own."));
            }

            ReportPolicy(record, policy.Value, domain, inherited, findings);
            inconclusive = await CheckExternalDestinationsAsync(context.Dns, record, policyDomain, findings, records, cancellationToken).ConfigureAwait(false);
        }

        var alignment = CheckAlignment(request, domain, record, findings);
        context.Publish(new DmarcFacts(policy is not null, policy is null ? null : PolicyName(policy.Value), alignment.Spf, alignment.Dkim));
        return CheckResult.From(CheckName, findings, records, inconclusive && !findings.Any(f => f.Severity == Severity.Error));
    }

    private static void ReportPolicy(DmarcRecord record, DmarcPolicy policy, string domain, bool inherited, List<Finding> findings)
    {
        if (policy == DmarcPolicy.None)
        {
            var tag = inherited && record.SubdomainPolicy is not null ? "sp=none" : "p=none";
            findings.Add(Finding.Warning(
                "dmarc.policy_none",
                $"The DMARC policy of {domain} is {tag} (monitoring only): receivers deliver mail that fails DMARC, so spoofed mail is not stopped.",
                "Once the aggregate reports show all your legitimate mail passing aligned, move to p=quarantine and then p=reject."));
        }

        if (record.AggregateReportUris.Count == 0)
        {
            findings.Add(Finding.Warning(
                "dmarc.no_rua",
                $"The DMARC record that applies to {domain} has no rua= destination, so you receive no aggregate reports and cannot see who sends as your domain.",
                $"Add rua=mailto:dmarc-reports@{domain} (or your DMARC report service's address)."));
        }
    }

    /// <summary>RFC 7489 section 7.1: a destination outside the policy's organization must publish <c>policy-domain._report._dmarc.destination</c>.</summary>
    private async Task<bool> CheckExternalDestinationsAsync(
        IDnsResolver dns, DmarcRecord record, string policyDomain, List<Finding> findings, List<string> records, CancellationToken cancellationToken)
    {
        var policyOrganization = _publicSuffixes.OrganizationalDomain(policyDomain);
        var destinations = record.AggregateReportUris.Concat(record.FailureReportUris)
            .Where(u => u.Domain is not null && _publicSuffixes.OrganizationalDomain(u.Domain) != policyOrganization)
            .Select(u => u.Domain!)
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        if (destinations.Length == 0)
        {
            return false;
        }

        var answers = await Task.WhenAll(destinations.Select(d => dns.QueryAsync($"{policyDomain}._report._dmarc.{d}", DnsRecordType.TXT, cancellationToken))).ConfigureAwait(false);
        var inconclusive = false;
        for (var i = 0; i < destinations.Length; i++)
        {
            var destination = destinations[i];
            var answer = answers[i];
            records.AddRange(answer.Records<TxtRecord>().Select(r => $"{r.Name} TXT \"{r.Text}\""));
            if (answer.IsTemporaryFailure)
            {
                inconclusive = true;
                findings.Add(Finding.Warning(
                    "dmarc.dns_temporary",
                    $"Whether {destination} accepts reports for {policyDomain} is unknown: {answer.Describe()}. The check is inconclusive for this destination.",
                    "Run the audit again; if it persists, ask the destination's operator to check their name servers.")
                    with { Subject = destination });
            }
            else if (!answer.TxtStrings.Any(DmarcRecord.StartsWithVersion))
            {
                findings.Add(Finding.Warning(
                    "dmarc.external_destination_unauthorized",
                    $"Reports for {policyDomain} go to {destination}, another organization, which has not authorized them ({answer.Name} has no v=DMARC1 record): receivers will not send reports there (RFC 7489 section 7.1).",
                    $"Ask the operator of {destination} to publish TXT \"v=DMARC1\" at {answer.Name}, or send reports to an address under {policyOrganization}.")
                    with { Subject = destination });
            }
        }

        return inconclusive;
    }

    private (bool Spf, bool Dkim) CheckAlignment(DomainAuditRequest request, string domain, DmarcRecord? record, List<Finding> findings)
    {
        var spfMode = record?.SpfAlignment ?? DmarcAlignmentMode.Relaxed;
        var dkimMode = record?.DkimAlignment ?? DmarcAlignmentMode.Relaxed;
        var spfDomain = DnsNames.Normalize(request.EffectiveReturnPathDomain);
        var dkimDomain = DnsNames.Normalize(request.EffectiveDkimSigningDomain);
        var spfAligned = Aligns(spfDomain, domain, spfMode);
        var dkimAligned = Aligns(dkimDomain, domain, dkimMode);
        var neither = !spfAligned && !dkimAligned;
        var consequence = neither
            ? "Neither SPF nor DKIM aligns, so DMARC can never pass for this mail."
            : "DMARC still passes through the other, aligned identifier.";
        if (!spfAligned)
        {
            findings.Add(new Finding(
                "dmarc.spf_unaligned",
                neither ? Severity.Error : Severity.Warning,
                $"The return-path (SPF) domain {spfDomain} does not align with the From domain {domain} under {Mode(spfMode, "aspf")}. {consequence}",
                spfMode == DmarcAlignmentMode.Strict && Aligns(spfDomain, domain, DmarcAlignmentMode.Relaxed)
                    ? "Use the From domain itself as the return-path domain, or relax alignment with aspf=r."
                    : $"Use a return-path (bounce) domain under {_publicSuffixes.OrganizationalDomain(domain)}, for example a CNAME your ESP gives you."));
        }

        if (!dkimAligned)
        {
            findings.Add(new Finding(
                "dmarc.dkim_unaligned",
                neither ? Severity.Error : Severity.Warning,
                $"The DKIM signing domain d={dkimDomain} does not align with the From domain {domain} under {Mode(dkimMode, "adkim")}. {consequence}",
                dkimMode == DmarcAlignmentMode.Strict && Aligns(dkimDomain, domain, DmarcAlignmentMode.Relaxed)
                    ? "Sign with d= equal to the From domain, or relax alignment with adkim=r."
                    : $"Sign with d={domain} (or another name under {_publicSuffixes.OrganizationalDomain(domain)}): set up your ESP's custom DKIM domain."));
        }

        return (spfAligned, dkimAligned);
    }

    /// <summary>Strict: the same name. Relaxed: the same organizational domain (RFC 7489 section 3.1).</summary>
    private bool Aligns(string authenticated, string from, DmarcAlignmentMode mode) =>
        mode == DmarcAlignmentMode.Strict
            ? authenticated == from
            : authenticated == from || _publicSuffixes.OrganizationalDomain(authenticated) == _publicSuffixes.OrganizationalDomain(from);

    private static string Mode(DmarcAlignmentMode mode, string tag) =>
        mode == DmarcAlignmentMode.Strict ? $"strict alignment ({tag}=s)" : $"relaxed alignment ({tag}=r, same organizational domain)";

    private static async Task<Discovery> DiscoverAsync(IDnsResolver dns, string domain, List<string> records, CancellationToken cancellationToken)
    {
        var name = $"_dmarc.{domain}";
        var response = await dns.QueryAsync(name, DnsRecordType.TXT, cancellationToken).ConfigureAwait(false);
        var texts = response.TxtStrings.ToArray();
        records.AddRange(response.CnameChain.Select(c => $"{c.Name} CNAME {c.Target}"));
        records.AddRange(response.Records<TxtRecord>().Select(r => $"{r.Name} TXT \"{r.Text}\""));
        return new Discovery(
            name,
            response,
            texts.Where(DmarcRecord.StartsWithVersion).ToArray(),
            texts.Where(t => !DmarcRecord.StartsWithVersion(t) && t.Contains("v=DMARC1", StringComparison.OrdinalIgnoreCase)).ToArray());
    }

    private static void ReportVersionNotFirst(Discovery discovery, List<Finding> findings)
    {
        if (discovery.VersionNotFirst.Count > 0)
        {
            findings.Add(Finding.Error(
                "dmarc.version_not_first",
                $"{discovery.Name} has a record that mentions v=DMARC1 but does not start with it; receivers discard it: \"{discovery.VersionNotFirst[0]}\".",
                "Move v=DMARC1 to the start of the record: \"v=DMARC1; p=...\"."));
        }
    }

    private static Finding DnsTemporary(DnsResponse response, string domain) => Finding.Warning(
        "dmarc.dns_temporary",
        $"The DMARC record of {domain} could not be read: {response.Describe()}. This says nothing about the record; the check is inconclusive.",
        "Run the audit again; if it persists, check that the domain's name servers answer TXT queries under _dmarc.");

    private static string PolicyName(DmarcPolicy policy) => policy switch
    {
        DmarcPolicy.Quarantine => "quarantine",
        DmarcPolicy.Reject => "reject",
        _ => "none",
    };

    private sealed record Discovery(string Name, DnsResponse Response, IReadOnlyList<string> Candidates, IReadOnlyList<string> VersionNotFirst)
    {
        public bool IsTemporaryFailure => Response.IsTemporaryFailure;
    }
}
