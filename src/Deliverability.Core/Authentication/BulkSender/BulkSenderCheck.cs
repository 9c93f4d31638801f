using System.Net;
using Deliverability.Core.Audits;
using Deliverability.Core.Authentication.Dkim;
using Deliverability.Core.Authentication.Dmarc;
using Deliverability.Core.Authentication.ReverseDns;
using Deliverability.Core.Authentication.Spf;

namespace Deliverability.Core.Authentication.BulkSender;

/// <summary>
/// The verdict against the bulk-sender rules (5,000+ messages a day) of Gmail and Yahoo (February 2024) and
/// Outlook.com (May 2025): SPF passing for each sending IP, DKIM with a usable key, DMARC at least p=none and aligned,
/// forward-confirmed reverse DNS. Reads the facts of the stage-0 checks; a fact that is missing (its check was
/// inconclusive or not run) makes the verdict inconclusive, never a failure.
/// </summary>
public sealed class BulkSenderCheck : IDomainCheck
{
    private const string CheckName = "bulk-sender";
    private const string AllThree = "Gmail, Yahoo and Outlook.com require it of bulk senders (5,000+ messages a day)";
    private const string GmailYahoo = "Gmail and Yahoo require it of bulk senders (5,000+ messages a day)";

    public string Name => CheckName;

    public int Stage => 1;

    public Task<CheckResult> RunAsync(DomainAuditContext context, CancellationToken cancellationToken)
    {
        var verdict = new Verdict();
        var ips = context.Request.SendingIps.Select(ip => ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip).Distinct().ToArray();
        if (ips.Length == 0)
        {
            verdict.Add(Finding.Warning(
                "bulk.ips_not_configured",
                $"No sending IPs are configured for {context.Request.Domain}, so SPF passing and forward-confirmed reverse DNS of the sending IPs cannot be verified; {AllThree}.",
                "Configure the IPs this domain sends from (--ip in the CLI)."));
        }

        CheckSpf(verdict, context.Fact<SpfFacts>(), context.Request.EffectiveReturnPathDomain, ips);
        CheckDkim(verdict, context.Fact<DkimFacts>(), context.Request.EffectiveDkimSigningDomain);
        CheckDmarc(verdict, context.Fact<DmarcFacts>(), context.Request.Domain);
        CheckReverseDns(verdict, context.Fact<ReverseDnsFacts>(), ips);

        if (verdict.Findings.Count == 0)
        {
            verdict.Add(Finding.Info(
                "bulk.compliant",
                $"{context.Request.Domain} meets the DNS-verifiable bulk-sender requirements of Gmail, Yahoo and Outlook.com: SPF passes for every sending IP, DKIM has a usable key, DMARC is published and aligned, and every sending IP has forward-confirmed reverse DNS.",
                "Also required and not visible in DNS: TLS on every connection, one-click unsubscribe (RFC 8058) in marketing mail, and a spam complaint rate under 0.3% (Postmaster Tools)."));
        }

        var errors = verdict.Findings.Any(f => f.Severity == Severity.Error);
        return Task.FromResult(CheckResult.From(CheckName, verdict.Findings, inconclusive: verdict.Unknown && !errors));
    }

    private static void CheckSpf(Verdict verdict, SpfFacts? spf, string returnPathDomain, IPAddress[] ips)
    {
        if (spf is null)
        {
            verdict.AddUnknown(Finding.Info(
                "bulk.spf_unknown",
                $"Whether SPF of {returnPathDomain} passes is unknown: the SPF check was inconclusive or did not run.",
                "Run the audit again once the SPF check can complete."));
            return;
        }

        // The SPF check may publish "no record" after the record lookup failed, with temperror for each IP: that is unknown.
        if (!spf.RecordFound && spf.ResultsByIp.Values.Any(r => r == SpfResult.TempError))
        {
            verdict.AddUnknown(Finding.Info(
                "bulk.spf_unknown",
                $"Whether {spf.Domain} publishes a passing SPF record is unknown: its SPF lookup was inconclusive (temperror).",
                "Run the audit again once the SPF check can complete."));
            return;
        }

        if (!spf.RecordFound)
        {
            verdict.Add(Finding.Error(
                "bulk.spf_missing",
                $"{spf.Domain} (the return-path domain) publishes no valid SPF record; {AllThree}.",
                $"Publish one TXT record at {spf.Domain} such as 'v=spf1 ip4:<your sending IPs> -all' listing every IP and service that sends for it."));
            return;
        }

        foreach (var ip in ips)
        {
            if (!spf.ResultsByIp.TryGetValue(ip, out var result) || result == SpfResult.TempError)
            {
                verdict.AddUnknown(Finding.Info(
                    "bulk.spf_unknown",
                    $"Whether SPF of {spf.Domain} passes for {ip} is unknown (the evaluation did not complete).",
                    "Run the audit again once the SPF evaluation can complete.") with { Subject = ip.ToString() });
            }
            else if (result != SpfResult.Pass)
            {
                verdict.Add(Finding.Error(
                    "bulk.spf_not_passing",
                    $"SPF of {spf.Domain} gives '{result.ToString().ToLowerInvariant()}' for the sending IP {ip}, not 'pass'; {AllThree}.",
                    $"Authorize {ip} in the SPF record of {spf.Domain} (for example 'ip4:{ip}' or the include: of the service that sends from it).") with { Subject = ip.ToString() });
            }
        }
    }

    private static void CheckDkim(Verdict verdict, DkimFacts? dkim, string signingDomain)
    {
        if (dkim is null)
        {
            verdict.AddUnknown(Finding.Info(
                "bulk.dkim_unknown",
                $"Whether {signingDomain} has a usable DKIM key is unknown: the DKIM check was inconclusive or did not run.",
                "Run the audit again once the DKIM check can complete."));
            return;
        }

        if (dkim.Selectors.Count == 0)
        {
            verdict.Add(Finding.Warning(
                "bulk.dkim_unverified",
                $"No DKIM selector is configured for {dkim.SigningDomain}, so its DKIM key cannot be verified; {AllThree}.",
                "Configure the selectors your mail is signed with (the s= tag of the DKIM-Signature header; --selector in the CLI)."));
            return;
        }

        if (!dkim.AnyUsableKey)
        {
            verdict.Add(Finding.Error(
                "bulk.dkim_missing",
                $"None of the configured DKIM selectors of {dkim.SigningDomain} ({string.Join(", ", dkim.Selectors.Select(s => s.Selector))}) publishes a usable key; {AllThree}.",
                $"Publish the public key of your signing key (RSA of 2048 bits, or ed25519) at <selector>._domainkey.{dkim.SigningDomain} and sign all mail with it."));
        }
    }

    private static void CheckDmarc(Verdict verdict, DmarcFacts? dmarc, string domain)
    {
        if (dmarc is null)
        {
            verdict.AddUnknown(Finding.Info(
                "bulk.dmarc_unknown",
                $"Whether {domain} publishes an aligned DMARC policy is unknown: the DMARC check was inconclusive or did not run.",
                "Run the audit again once the DMARC check can complete."));
            return;
        }

        if (!dmarc.RecordFound)
        {
            verdict.Add(Finding.Error(
                "bulk.dmarc_missing",
                $"{domain} publishes no DMARC record (p=none at least); {AllThree}.",
                $"Publish a TXT record at _dmarc.{domain}: \"v=DMARC1; p=none; rua=mailto:dmarc-reports@{domain}\", then move to quarantine or reject."));
            return;
        }

        if (!dmarc.SpfAligned && !dmarc.DkimAligned)
        {
            verdict.Add(Finding.Error(
                "bulk.dmarc_unaligned",
                $"Neither the return-path (SPF) domain nor the DKIM signing domain aligns with the From domain {domain}, so DMARC cannot pass; {AllThree} (alignment of SPF or DKIM).",
                $"Sign with d={domain} (or a subdomain of it under relaxed alignment), or use a return-path under {domain}."));
        }
    }

    private static void CheckReverseDns(Verdict verdict, ReverseDnsFacts? reverseDns, IPAddress[] ips)
    {
        if (ips.Length == 0)
        {
            return;
        }

        foreach (var ip in ips)
        {
            if (reverseDns is null || !reverseDns.ForwardConfirmed.TryGetValue(ip, out var confirmed))
            {
                verdict.AddUnknown(Finding.Info(
                    "bulk.fcrdns_unknown",
                    $"Whether {ip} has forward-confirmed reverse DNS is unknown: the reverse DNS check was inconclusive or did not run.",
                    "Run the audit again once the reverse DNS check can complete.") with { Subject = ip.ToString() });
            }
            else if (!confirmed)
            {
                verdict.Add(Finding.Error(
                    "bulk.fcrdns_missing",
                    $"The sending IP {ip} has no forward-confirmed reverse DNS (a PTR record whose name resolves back to it); {GmailYahoo}.",
                    $"Have the PTR record of {ip} set to a host name of yours whose A/AAAA record points to {ip}.") with { Subject = ip.ToString() });
            }
        }
    }

    private sealed class Verdict
    {
        public List<Finding> Findings { get; } = [];

        public bool Unknown { get; private set; }

        public void Add(Finding finding) => Findings.Add(finding);

        public void AddUnknown(Finding finding)
        {
            Unknown = true;
            Findings.Add(finding);
        }
    }
}
