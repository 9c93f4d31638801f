using System.Collections.Concurrent;
using Deliverability.Core.Dns;

namespace Deliverability.Core.Blacklists;

/// <summary>
/// Block list answers kept for their DNS TTL (at most <see cref="BlacklistCacheOptions.MaxTtl"/>), so a check that runs
/// again soon, and the zones' self-tests, spend none of the lists' query budgets. "Not listed" (NXDOMAIN, no address)
/// carries no TTL here and is kept for <see cref="BlacklistCacheOptions.NegativeTtl"/>. Failures are never kept.
/// Time comes from a <see cref="TimeProvider"/>, so tests move it instead of waiting.
/// </summary>
public sealed class BlacklistAnswerCache(BlacklistCacheOptions options, TimeProvider time)
{
    private readonly ConcurrentDictionary<(string Name, DnsRecordType Type), Entry> _entries = new();

    public int Count => _entries.Count;

    public bool TryGet(string name, DnsRecordType type, out DnsResponse response)
    {
        response = null!;
        if (!options.Enabled || !_entries.TryGetValue((Key(name), type), out var entry))
        {
            return false;
        }

        if (entry.Expires <= time.GetUtcNow())
        {
            _entries.TryRemove(KeyValuePair.Create((Key(name), type), entry));
            return false;
        }

        response = entry.Response;
        return true;
    }

    public void Store(DnsResponse response)
    {
        if (!options.Enabled)
        {
            return;
        }

        var lifetime = Lifetime(response);
        if (lifetime <= TimeSpan.Zero)
        {
            return;
        }

        var now = time.GetUtcNow();
        if (_entries.Count >= options.MaxEntries)
        {
            Prune(now);
        }

        _entries[(Key(response.Name), response.Type)] = new Entry(response, now + lifetime);
    }

    private TimeSpan Lifetime(DnsResponse response)
    {
        if (response.IsEmpty)
        {
            return options.NegativeTtl;
        }

        if (response.Status != DnsStatus.NoError)
        {
            return TimeSpan.Zero;
        }

        var ttl = TimeSpan.FromSeconds(response.Answers.Min(a => a.Ttl));
        return ttl < options.MaxTtl ? ttl : options.MaxTtl;
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var pair in _entries.Where(p => p.Value.Expires <= now))
        {
            _entries.TryRemove(pair);
        }

        // Still full of live answers: start over rather than track an order of use; they are re-asked once.
        if (_entries.Count >= options.MaxEntries)
        {
            _entries.Clear();
        }
    }

    private static string Key(string name) => name.TrimEnd('.').ToLowerInvariant();

    private sealed record Entry(DnsResponse Response, DateTimeOffset Expires);
}
