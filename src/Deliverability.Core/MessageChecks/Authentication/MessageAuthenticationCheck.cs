using System.Net;
using Deliverability.Core.Audits;
using Deliverability.Core.Authentication.Dmarc;
using Deliverability.Core.Authentication.Spf;
using Deliverability.Core.Dns;
using Deliverability.Core.PublicSuffix;
using MimeKit;
using MimeKit.Cryptography;

namespace Deliverability.Core.MessageChecks.Authentication;

/// <summary>
/// Authentication of the message itself, as a receiver sees it: each DKIM signature, the ARC chain when there is one,
/// SPF of the return-path for the sending IP (when the message came in by SMTP or the IP is given) and DMARC alignment
/// of the From domain with the identities that passed. Collects every problem as a finding; never throws for what the
/// message or DNS holds.
/// </summary>
public sealed class MessageAuthenticationCheck(IDnsResolver dns, PublicSuffixList? publicSuffixes = null, TimeProvider? time = null)
{
    private readonly PublicSuffixList _publicSuffixes = publicSuffixes ?? PublicSuffixList.Default;

    public async Task<MessageAuthentication> CheckAsync(MimeMessage message, IPAddress? sendingIp, string? helo, CancellationToken cancellationToken = default)
    {
        var findings = new List<Finding>();
        var keys = new DnsDkimKeyLocator(dns);
        var dkim = await new MessageDkimVerifier(keys, time).VerifyAsync(message, cancellationToken).ConfigureAwait(false);
        DkimFindings(message, dkim, findings);

        var arc = await ArcAsync(message, keys, findings, cancellationToken).ConfigureAwait(false);
        var spf = await SpfAsync(message, sendingIp, helo, findings, cancellationToken).ConfigureAwait(false);
        var dmarc = await DmarcAsync(message, dkim, spf, findings, cancellationToken).ConfigureAwait(false);
        return new MessageAuthentication(dkim, arc, spf, dmarc, findings);
    }

    private static void DkimFindings(MimeMessage message, IReadOnlyList<DkimSignatureResult> dkim, List<Finding> findings)
    {
        if (dkim.Count == 0)
        {
            findings.Add(Finding.Error("message.dkim.unsigned", "The message has no DKIM signature: Gmail and Yahoo require bulk mail to be signed, and DMARC can only pass through SPF.",
                "Sign outgoing mail with DKIM with a key of the From domain (your ESP's custom DKIM domain set-up)."));
            return;
        }

        foreach (var signature in dkim)
        {
            var subject = $"d={signature.Domain} s={signature.Selector}";
            if (signature.Verdict == DkimVerdict.TempError)
            {
                findings.Add(Finding.Warning("message.dkim.temperror", $"The DKIM signature {subject} could not be checked for now: {signature.Reason}.",
                    "Check again; if it persists, make sure the key's name servers answer.") with { Subject = subject });
            }
            else if (signature.Verdict != DkimVerdict.Pass)
            {
                findings.Add(Finding.Error($"message.dkim.{signature.VerdictText}", $"The DKIM signature {subject} is {signature.VerdictText}: {signature.Reason}.",
                    FixFor(signature)) with { Subject = subject });
            }

            if (signature.KeyBits is < 2048 and >= 1024 && signature.Algorithm == "rsa-sha256")
            {
                findings.Add(Finding.Warning("message.dkim.key_1024", $"The DKIM key of {subject} is {signature.KeyBits} bits; 1024-bit keys are weak and being phased out.",
                    "Publish a 2048-bit key under a new selector and sign with it.") with { Subject = subject });
            }

            if (signature.BodyLength is not null)
            {
                findings.Add(Finding.Warning("message.dkim.body_length", $"The DKIM signature {subject} signs only the first {signature.BodyLength} bytes of the body (l=): anyone can append content that still passes.",
                    "Turn off the body length limit (l=) in the signer.") with { Subject = subject });
            }

            if (!signature.Covers("subject"))
            {
                findings.Add(Finding.Warning("message.dkim.subject_unsigned", $"The DKIM signature {subject} does not cover Subject: it can be changed without breaking the signature.",
                    "Add Subject to the signed headers (h=).") with { Subject = subject });
            }

            if (signature.Verdict == DkimVerdict.Pass)
            {
                // Covered headers beyond the instances h= counts were added after signing (or not meant to be signed).
                foreach (var name in signature.SignedHeaders.Distinct().Where(h => h is "from" or "subject" or "to" or "date" or "list-unsubscribe" or "list-unsubscribe-post"))
                {
                    var present = message.Headers.Count(h => string.Equals(h.Field, name, StringComparison.OrdinalIgnoreCase));
                    if (present > signature.TimesSigned(name))
                    {
                        findings.Add(Finding.Warning("message.dkim.unsigned_header_instance",
                            $"The message has {present} {name} headers but the signature {subject} covers {signature.TimesSigned(name)}: one was added after signing, and receivers may show the unsigned one.",
                            $"Make sure only one {name} header is sent, or over-sign it (name it once more in h= than it occurs).") with { Subject = subject });
                    }
                }
            }
        }
    }

    private static string FixFor(DkimSignatureResult signature) => signature.Reason switch
    {
        var r when r.Contains("body", StringComparison.Ordinal) => "Sign after every change of the body: footers, link tracking or a relay's rewriting must happen before signing.",
        var r when r.Contains("expired", StringComparison.Ordinal) => "Send the message again freshly signed, or give x= a longer lifetime.",
        var r when r.Contains("key", StringComparison.Ordinal) => $"Publish the signer's public key at {signature.Selector}._domainkey.{signature.Domain} (2048-bit RSA or Ed25519).",
        _ => "Sign after every change of the message; do not rewrite signed headers in a relay.",
    };

    private static async Task<ArcChainResult?> ArcAsync(MimeMessage message, DnsDkimKeyLocator keys, List<Finding> findings, CancellationToken cancellationToken)
    {
        var instances = message.Headers.Count(h => h.Id == HeaderId.ArcSeal);
        if (instances == 0)
        {
            return null;
        }

        ArcChainResult arc;
        try
        {
            var result = await new ArcVerifier(keys).VerifyAsync(message, cancellationToken).ConfigureAwait(false);
            arc = new ArcChainResult(result.Chain.ToString().ToLowerInvariant(), instances, result.ChainErrors == ArcValidationErrors.None ? [] : [result.ChainErrors.ToString()]);
        }
        catch (Exception ex) when (ex is FormatException or ParseException or ArgumentException or InvalidOperationException or DkimKeyPermanentException or DkimKeyTemporaryException)
        {
            arc = new ArcChainResult("fail", instances, [ex.Message]);
        }

        if (arc.Chain != "pass")
        {
            findings.Add(Finding.Warning("message.arc.fail", $"The ARC chain ({instances} set(s)) does not validate: {string.Join("; ", arc.Errors.DefaultIfEmpty("no reason given"))}.",
                "Check the forwarders that sealed the message; a broken chain gives receivers no reason to trust a forwarded message."));
        }

        return arc;
    }

    private async Task<MessageSpfResult> SpfAsync(MimeMessage message, IPAddress? ip, string? helo, List<Finding> findings, CancellationToken cancellationToken)
    {
        var returnPath = ReturnPath(message);
        var domain = returnPath is { } path && path.LastIndexOf('@') is var at and > 0 ? path[(at + 1)..].ToLowerInvariant() : null;
        if (ip is null)
        {
            findings.Add(Finding.Info("message.spf.not_evaluated", "SPF was not evaluated: the IP the message was sent from is not known (it did not reach the check address by SMTP)."));
            return new MessageSpfResult("not_evaluated", domain, null, "the sending IP is not known");
        }

        if (domain is null || !DomainName.IsValid(domain))
        {
            findings.Add(Finding.Warning("message.spf.no_return_path", "The message has no usable Return-Path: SPF cannot be checked.",
                "Send with a bounce (MAIL FROM) address under your own domain."));
            return new MessageSpfResult("none", domain, ip.ToString(), "no return-path domain");
        }

        var evaluation = await new SpfEvaluator(dns).CheckSenderAsync(ip, returnPath!, helo ?? domain, cancellationToken).ConfigureAwait(false);
        var text = evaluation.ResultText;
        var reason = evaluation.Problem ?? evaluation.Explanation ?? (evaluation.Mechanism is null ? "no mechanism matched" : $"matched {evaluation.Mechanism}");
        var message2 = $"SPF of {domain} for {ip} is {text} ({reason}).";
        switch (evaluation.Result)
        {
            case SpfResult.Fail:
                findings.Add(Finding.Error("message.spf.fail", message2, $"Add the sending server ({ip}) to the SPF record of {domain}, usually with your ESP's include:."));
                break;
            case SpfResult.SoftFail or SpfResult.Neutral or SpfResult.None or SpfResult.PermError:
                findings.Add(Finding.Warning($"message.spf.{text}", message2, $"Publish an SPF record for {domain} that designates {ip}."));
                break;
            case SpfResult.TempError:
                findings.Add(Finding.Warning("message.spf.temperror", message2, "Check again; if it persists, make sure the domain's name servers answer."));
                break;
        }

        return new MessageSpfResult(text, domain, ip.ToString(), reason);
    }

    private async Task<DmarcAlignmentResult> DmarcAsync(MimeMessage message, IReadOnlyList<DkimSignatureResult> dkim, MessageSpfResult spf, List<Finding> findings, CancellationToken cancellationToken)
    {
        var from = message.From.Mailboxes.Select(m => m.Domain?.ToLowerInvariant()).FirstOrDefault();
        if (from is null || !DomainName.IsValid(from))
        {
            findings.Add(Finding.Error("message.from.invalid", "The message has no valid From address: receivers reject it or cannot apply DMARC.", "Send with one From address under your sending domain."));
            return new DmarcAlignmentResult(from ?? "", "none", null, null, false, false, "no From domain");
        }

        var (record, policyDomain, problem) = await FindDmarcAsync(from, cancellationToken).ConfigureAwait(false);
        var adkim = record?.DkimAlignment ?? DmarcAlignmentMode.Relaxed;
        var aspf = record?.SpfAlignment ?? DmarcAlignmentMode.Relaxed;
        var dkimAligned = dkim.Any(d => d.Verdict == DkimVerdict.Pass && d.Domain is not null && Aligns(d.Domain, from, adkim));
        var spfAligned = spf.Result == "pass" && spf.Domain is not null && Aligns(spf.Domain, from, aspf);

        if (!dkimAligned)
        {
            findings.Add(Finding.Error("message.dmarc.dkim_unaligned",
                $"No passing DKIM signature is aligned with the From domain {from} (signed by: {string.Join(", ", dkim.Select(d => $"{d.Domain} ({d.VerdictText})").DefaultIfEmpty("none"))}). Gmail and Yahoo expect bulk mail to pass DMARC, and a forwarded message keeps only DKIM.",
                $"Sign with d={from} (or another name under {_publicSuffixes.OrganizationalDomain(from)})."));
        }

        if (problem is not null)
        {
            findings.Add(Finding.Warning("message.dmarc.temperror", $"The DMARC record of {from} could not be read: {problem}.", "Check again; if it persists, make sure the domain's name servers answer."));
            return new DmarcAlignmentResult(from, "temperror", null, null, dkimAligned, spfAligned, problem);
        }

        if (record is null)
        {
            findings.Add(Finding.Error("message.dmarc.missing", $"{from} publishes no DMARC record: Gmail, Yahoo and Outlook.com require one of bulk senders.",
                $"Publish a TXT record at _dmarc.{_publicSuffixes.OrganizationalDomain(from)}: \"v=DMARC1; p=none; rua=mailto:dmarc-reports@{_publicSuffixes.OrganizationalDomain(from)}\"."));
            return new DmarcAlignmentResult(from, "none", null, null, dkimAligned, spfAligned, "no DMARC record");
        }

        var policy = record.DomainPolicy.ToString().ToLowerInvariant();
        if (dkimAligned || spfAligned)
        {
            return new DmarcAlignmentResult(from, "pass", policyDomain, policy, dkimAligned, spfAligned,
                dkimAligned ? "a passing DKIM signature is aligned" : "SPF passes for an aligned return-path");
        }

        var spfNote = spf.Result == "not_evaluated" ? " SPF was not evaluated (no sending IP known), so it might still pass through an aligned return-path when sent." : "";
        findings.Add(Finding.Error("message.dmarc.fail", $"DMARC of {from} fails (policy p={policy} at {policyDomain}): neither DKIM nor SPF passes aligned with From.{spfNote}",
            $"Sign with d={from} and send with a return-path under {_publicSuffixes.OrganizationalDomain(from)}."));
        return new DmarcAlignmentResult(from, "fail", policyDomain, policy, false, false, "no aligned identity passes" + (spfNote.Length > 0 ? " (SPF not evaluated)" : ""));
    }

    private async Task<(DmarcRecord? Record, string? PolicyDomain, string? Problem)> FindDmarcAsync(string from, CancellationToken cancellationToken)
    {
        var organizational = _publicSuffixes.OrganizationalDomain(from);
        foreach (var domain in new[] { from, organizational }.Distinct())
        {
            var response = await dns.QueryAsync($"_dmarc.{domain}", DnsRecordType.TXT, cancellationToken).ConfigureAwait(false);
            if (response.IsTemporaryFailure)
            {
                return (null, null, response.Describe());
            }

            var candidates = response.TxtStrings.Where(DmarcRecord.StartsWithVersion).ToList();
            if (candidates.Count == 1)
            {
                return (DmarcRecord.Parse(candidates[0]), domain, null);
            }
        }

        return (null, null, null);
    }

    private bool Aligns(string authenticated, string from, DmarcAlignmentMode mode)
    {
        authenticated = authenticated.ToLowerInvariant();
        return mode == DmarcAlignmentMode.Strict
            ? authenticated == from
            : authenticated == from || _publicSuffixes.OrganizationalDomain(authenticated) == _publicSuffixes.OrganizationalDomain(from);
    }

    private static string? ReturnPath(MimeMessage message)
    {
        var value = message.Headers[HeaderId.ReturnPath]?.Trim().Trim('<', '>').Trim();
        if (!string.IsNullOrEmpty(value))
        {
            return value;
        }

        return message.Sender?.Address ?? message.From.Mailboxes.FirstOrDefault()?.Address;
    }
}
