using System.Collections.Concurrent;
using System.Net;
using Deliverability.Core.Authentication.Spf;
using Deliverability.Core.Dns;
using Deliverability.Core.PublicSuffix;

namespace Deliverability.Core.DmarcReports.Analysis;

/// <summary>What is known of a source IP: its reverse DNS name, that name's base domain, and the service it belongs to.</summary>
public sealed record SourceIdentity(string? ReverseName, string? BaseDomain, string? KnownService);

/// <summary>
/// Names the source IPs of the reports: reverse DNS through the product's resolver, the base domain of that name through
/// the public suffix list, and the known service: one of the domain's configured sending IPs, or an IP the domain's SPF
/// record passes (naming the include it passes through). Answers are cached for <see cref="CacheFor"/>, at most
/// <see cref="MaxEntries"/>, so that a page view does not cost a DNS query per source.
/// </summary>
public sealed class SourceIdentifier(IDnsResolver dns, TimeProvider time)
{
    public const int MaxEntries = 20_000;

    public static readonly TimeSpan CacheFor = TimeSpan.FromHours(6);

    private readonly ConcurrentDictionary<string, (DateTimeOffset At, string? Value)> _reverse = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (DateTimeOffset At, string? Value)> _spf = new(StringComparer.OrdinalIgnoreCase);
    private readonly SpfEvaluator _spfEvaluator = new(dns);

    public async Task<SourceIdentity> IdentifyAsync(string domain, string sourceIp, IReadOnlyCollection<string> configuredIps, CancellationToken cancellationToken)
    {
        if (!IPAddress.TryParse(sourceIp, out var ip))
        {
            return new SourceIdentity(null, null, null);
        }

        var reverse = await CachedAsync(_reverse, ip.ToString(), () => ReverseNameAsync(ip, cancellationToken)).ConfigureAwait(false);
        var baseDomain = reverse is null ? null : PublicSuffixList.Default.RegistrableDomain(reverse);
        var known = configuredIps.Any(c => IPAddress.TryParse(c, out var configured) && configured.Equals(ip))
            ? "configured sending IP"
            : await CachedAsync(_spf, $"{domain}|{ip}", () => SpfServiceAsync(domain, ip, cancellationToken)).ConfigureAwait(false);
        return new SourceIdentity(reverse, baseDomain, known);
    }

    private async Task<string?> ReverseNameAsync(IPAddress ip, CancellationToken cancellationToken)
    {
        var answer = await dns.QueryAsync(DnsNames.ReverseName(ip), DnsRecordType.PTR, cancellationToken).ConfigureAwait(false);
        return answer.Records<PtrRecord>().Select(r => r.Target.TrimEnd('.').ToLowerInvariant()).FirstOrDefault(t => t.Length > 0);
    }

    /// <summary>The SPF include the IP passes through (<c>SPF include _spf.google.com</c>), or the domain's own mechanism; null when SPF does not pass it.</summary>
    private async Task<string?> SpfServiceAsync(string domain, IPAddress ip, CancellationToken cancellationToken)
    {
        var evaluation = await _spfEvaluator.CheckHostAsync(ip, domain, $"postmaster@{domain}", domain, cancellationToken).ConfigureAwait(false);
        if (evaluation.Result != SpfResult.Pass)
        {
            return null;
        }

        // The deciding directive is that of the domain's own record: an include names the service it passes through.
        var mechanism = (evaluation.Mechanism ?? "").TrimStart('+');
        if (mechanism.StartsWith("include:", StringComparison.OrdinalIgnoreCase))
        {
            return $"SPF include {mechanism["include:".Length..].TrimEnd('.')}";
        }

        return evaluation.MechanismDomain is { } through && !string.Equals(through.TrimEnd('.'), domain, StringComparison.OrdinalIgnoreCase)
            ? $"SPF include {through.TrimEnd('.')}"
            : $"SPF of {domain} ({mechanism})";
    }

    private async Task<string?> CachedAsync(ConcurrentDictionary<string, (DateTimeOffset At, string? Value)> cache, string key, Func<Task<string?>> lookUp)
    {
        var now = time.GetUtcNow();
        if (cache.TryGetValue(key, out var hit) && now - hit.At < CacheFor)
        {
            return hit.Value;
        }

        var value = await lookUp().ConfigureAwait(false);
        if (cache.Count >= MaxEntries)
        {
            cache.Clear();
        }

        cache[key] = (now, value);
        return value;
    }
}
