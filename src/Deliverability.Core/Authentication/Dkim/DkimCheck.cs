using Deliverability.Core.Audits;
using Deliverability.Core.Dns;

namespace Deliverability.Core.Authentication.Dkim;

/// <summary>
/// Reads the key record of each configured selector at <c>selector._domainkey.signing-domain</c> and audits it.
/// Selectors cannot be discovered from DNS, so only configured ones are checked. Publishes <see cref="DkimFacts"/>
/// unless a DNS failure leaves the answer open.
/// </summary>
public sealed class DkimCheck : IDomainCheck
{
    public const string CheckName = "dkim";

    public string Name => CheckName;

    public async Task<CheckResult> RunAsync(DomainAuditContext context, CancellationToken cancellationToken)
    {
        var signingDomain = DnsNames.Normalize(context.Request.EffectiveDkimSigningDomain);
        var selectors = context.Request.DkimSelectors
            .Select(DnsNames.Normalize)
            .Where(s => s.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        if (selectors.Length == 0)
        {
            context.Publish(new DkimFacts(signingDomain, []));
            return CheckResult.From(CheckName, [Finding.Warning(
                "dkim.no_selectors",
                $"No DKIM selector is configured for {signingDomain}, so DKIM was not checked: selectors cannot be discovered from DNS.",
                "Configure the selectors your mail is signed with: the s= tag of the DKIM-Signature header of a message you sent (--selector in the CLI).")]);
        }

        var outcomes = await Task.WhenAll(selectors.Select(s => CheckSelectorAsync(context.Dns, s, signingDomain, cancellationToken))).ConfigureAwait(false);

        var findings = outcomes.SelectMany(o => o.Findings).ToArray();
        var inconclusive = outcomes.Any(o => o.Inconclusive);
        var facts = outcomes.Select(o => new DkimSelectorFact(o.Selector, o.UsableKey)).ToArray();
        // A fact is published only when it is definitive: a timeout must not read as "no usable key".
        if (!inconclusive || facts.Any(f => f.UsableKey))
        {
            context.Publish(new DkimFacts(signingDomain, facts));
        }

        return CheckResult.From(
            CheckName,
            findings,
            outcomes.SelectMany(o => o.Records),
            inconclusive && !findings.Any(f => f.Severity == Severity.Error));
    }

    private static async Task<SelectorOutcome> CheckSelectorAsync(IDnsResolver dns, string selector, string signingDomain, CancellationToken cancellationToken)
    {
        var name = $"{selector}._domainkey.{signingDomain}";
        if (!IsSelector(selector) || !DnsNames.IsQueryable(name, out _))
        {
            return SelectorOutcome.Of(selector, Finding.Error(
                "dkim.selector_invalid",
                $"'{selector}' is not a valid DKIM selector (labels of letters, digits, '-' and '_' separated by dots), or {name} is too long to look up.",
                "Configure the selector exactly as the s= tag of your DKIM-Signature header shows it."));
        }

        var response = await dns.QueryAsync(name, DnsRecordType.TXT, cancellationToken).ConfigureAwait(false);
        var records = new List<string>();
        var findings = new List<Finding>();
        var delegatedTo = response.CnameChain.LastOrDefault()?.Target;
        foreach (var cname in response.CnameChain)
        {
            records.Add($"{cname.Name} CNAME {cname.Target}");
        }

        if (response.IsTemporaryFailure)
        {
            findings.Add(Subject(Finding.Warning(
                "dkim.dns_temporary",
                $"The DKIM key of selector {selector} could not be read: {response.Describe()}. This says nothing about the record; the check is inconclusive.",
                "Run the audit again; if it persists, check that the name servers of the domain answer for _domainkey names."), selector));
            return new SelectorOutcome(selector, false, true, findings, records);
        }

        if (delegatedTo is not null)
        {
            findings.Add(Subject(Finding.Info(
                "dkim.delegated",
                $"Selector {selector} is delegated by CNAME to {delegatedTo}: whoever runs that name (often your email service provider) publishes and rotates the key."), selector));
        }

        var texts = response.Records<TxtRecord>().Select(r => r.Text).ToArray();
        records.AddRange(response.Records<TxtRecord>().Select(r => $"{r.Name} TXT \"{r.Text}\""));
        if (texts.Length == 0)
        {
            var where = delegatedTo is null ? name : $"{name} (delegated to {delegatedTo})";
            findings.Add(Subject(Finding.Error(
                "dkim.missing",
                $"No DKIM key record exists for selector {selector} at {where}: {response.Describe()}. Mail signed with this selector fails DKIM.",
                delegatedTo is null
                    ? $"Publish the public key as a TXT record at {name} (\"v=DKIM1; k=rsa; p=<base64 key>\"), or remove the selector from the configuration if it is no longer used."
                    : $"Ask the provider behind {delegatedTo} to publish the key, or point the CNAME at the name they give you."), selector));
            return new SelectorOutcome(selector, false, false, findings, records);
        }

        if (texts.Length > 1)
        {
            findings.Add(Subject(Finding.Error(
                "dkim.multiple_records",
                $"Selector {selector} has {texts.Length} TXT records at {name}; verifiers pick one at random (RFC 6376 section 3.6.2.2), so verification is unpredictable.",
                "Keep exactly one key record for the selector; publish a new key under a new selector."), selector));
            return new SelectorOutcome(selector, false, false, findings, records);
        }

        var key = DkimKeyRecord.Parse(texts[0]);
        findings.AddRange(key.Problems.Select(p => Subject(p, selector)));
        if (key.IsUsable)
        {
            var kind = key.KeyType == "ed25519" ? "ed25519" : $"RSA {key.KeyBits} bits";
            findings.Add(Subject(Finding.Info("dkim.key_ok", $"Selector {selector} publishes a usable {kind} key."), selector));
        }

        return new SelectorOutcome(selector, key.IsUsable, false, findings, records);
    }

    // RFC 6376: selector = sub-domain *( "." sub-domain ); underscores are seen in the wild and resolve fine.
    private static bool IsSelector(string selector)
    {
        foreach (var label in selector.Split('.'))
        {
            if (label.Length == 0 || label[0] == '-' || label[^1] == '-')
            {
                return false;
            }

            foreach (var c in label)
            {
                if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_'))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static Finding Subject(Finding finding, string selector) => finding with { Subject = selector };

    private sealed record SelectorOutcome(string Selector, bool UsableKey, bool Inconclusive, IReadOnlyList<Finding> Findings, IReadOnlyList<string> Records)
    {
        public static SelectorOutcome Of(string selector, Finding finding) =>
            new(selector, false, false, [finding with { Subject = selector }], []);
    }
}
