using System.Security.Cryptography;
using Deliverability.Core.Audits;
using Deliverability.Core.Authentication.Dkim;
using Deliverability.Core.Dns;

namespace Deliverability.Benchmarks.SyntheticChecks;

/// <summary>Harness stand-in for DKIM: each selector's key record, its <c>p=</c> decoded and imported to read the RSA size.</summary>
public sealed class SyntheticDkimCheck : IDomainCheck
{
    public string Name => "dkim";

    public async Task<CheckResult> RunAsync(DomainAuditContext context, CancellationToken cancellationToken)
    {
        var domain = context.Request.EffectiveDkimSigningDomain;
        var findings = new List<Finding>();
        var facts = new List<DkimSelectorFact>();
        foreach (var selector in context.Request.DkimSelectors)
        {
            var response = await context.Dns.QueryAsync($"{selector}._domainkey.{domain}", DnsRecordType.TXT, cancellationToken).ConfigureAwait(false);
            if (response.IsTemporaryFailure)
            {
                return SyntheticChecks.Inconclusive(Name, response.Describe());
            }

            var record = response.TxtStrings.FirstOrDefault(t => t.Contains("p=", StringComparison.Ordinal));
            var bits = record is null ? 0 : KeyBits(record);
            facts.Add(new DkimSelectorFact(selector, bits >= 1024));
            findings.Add(bits switch
            {
                0 => Finding.Error("synthetic.dkim.missing", $"no usable key at selector {selector}", "Publish the key."),
                < 2048 => Finding.Warning("synthetic.dkim.weak_key", $"{bits}-bit key", "Use 2048 bits."),
                _ => Finding.Info("synthetic.dkim.key", $"{bits}-bit RSA key"),
            });
        }

        context.Publish(new DkimFacts(domain, facts));
        return CheckResult.From(Name, findings);
    }

    private static int KeyBits(string record)
    {
        var tag = record.Split(';').Select(t => t.Trim()).FirstOrDefault(t => t.StartsWith("p=", StringComparison.Ordinal));
        try
        {
            using var rsa = RSA.Create();
            rsa.ImportSubjectPublicKeyInfo(Convert.FromBase64String(tag?[2..] ?? ""), out _);
            return rsa.KeySize;
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException)
        {
            return 0;
        }
    }
}
