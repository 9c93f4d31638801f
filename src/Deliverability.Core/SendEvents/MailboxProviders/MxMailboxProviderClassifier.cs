using System.Collections.Concurrent;
using Deliverability.Core.Dns;

namespace Deliverability.Core.SendEvents.MailboxProviders;

/// <summary>
/// The mailbox provider of a recipient domain: well-known consumer domains answered at once, any other by the host
/// names of its MX records (Google Workspace, Microsoft 365, Yahoo, ...), asked through the service's resolver and
/// cached (answers for a day, failures for five minutes, a bounded number of domains).
/// </summary>
public sealed class MxMailboxProviderClassifier(IDnsResolver resolver, TimeProvider time) : IMailboxProviderClassifier
{
    public const string Other = "other";
    public const string Unknown = "unknown";
    private const int MaxCached = 100_000;
    private static readonly TimeSpan AnswerLifetime = TimeSpan.FromDays(1);
    private static readonly TimeSpan FailureLifetime = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<string, (string Provider, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);

    public async ValueTask<string> ClassifyAsync(string recipientDomain, CancellationToken cancellationToken)
    {
        var domain = recipientDomain.Trim().TrimEnd('.').ToLowerInvariant();
        if (domain.Length is 0 or > 253)
        {
            return Unknown;
        }

        if (WellKnownMailboxProviders.OfDomain(domain) is { } known)
        {
            return known;
        }

        var now = time.GetUtcNow();
        if (_cache.TryGetValue(domain, out var cached) && cached.Until > now)
        {
            return cached.Provider;
        }

        var response = await resolver.QueryAsync(domain, DnsRecordType.MX, cancellationToken).ConfigureAwait(false);
        var (provider, lifetime) = response.IsTemporaryFailure
            ? (Unknown, FailureLifetime)
            : (response.Records<MxRecord>().OrderBy(m => m.Preference).Select(m => WellKnownMailboxProviders.OfMxHost(m.Exchange)).FirstOrDefault(p => p is not null) ?? Other, AnswerLifetime);
        if (_cache.Count >= MaxCached)
        {
            _cache.Clear();
        }

        _cache[domain] = (provider, now + lifetime);
        return provider;
    }
}
