using System.Collections.Concurrent;
using System.Diagnostics;

namespace Deliverability.Core.Dns;

/// <summary>
/// Answers kept for their TTL (<see cref="DnsOptions.UseCache"/>): records for their smallest TTL, NXDOMAIN and NODATA
/// for the SOA's negative TTL (RFC 2308), failures never. Bounded: when full, expired answers go first and then all.
/// </summary>
internal sealed class DnsAnswerCache
{
    public const int MaxEntries = 50_000;

    private readonly ConcurrentDictionary<(string Name, DnsRecordType Type), Entry> _entries = new();
    private readonly Lock _trimming = new();
    private int _adds;

    public bool TryGet(string name, DnsRecordType type, out DnsResponse response)
    {
        if (_entries.TryGetValue((name, type), out var entry))
        {
            if (entry.ExpiresAt > Stopwatch.GetTimestamp())
            {
                response = entry.Response;
                return true;
            }

            _entries.TryRemove(KeyValuePair.Create((name, type), entry));
        }

        response = null!;
        return false;
    }

    public void Add(DnsResponse response, uint seconds)
    {
        if (seconds == 0)
        {
            return;
        }

        // Counting a ConcurrentDictionary takes all its locks: look every 1,024 additions (the bound may be passed by that many).
        if ((Interlocked.Increment(ref _adds) & 1023) == 0 && _entries.Count >= MaxEntries)
        {
            Trim();
        }

        _entries[(response.Name, response.Type)] = new Entry(response, Stopwatch.GetTimestamp() + (long)seconds * Stopwatch.Frequency);
    }

    private void Trim()
    {
        lock (_trimming)
        {
            if (_entries.Count < MaxEntries)
            {
                return;
            }

            var now = Stopwatch.GetTimestamp();
            foreach (var pair in _entries)
            {
                if (pair.Value.ExpiresAt <= now)
                {
                    _entries.TryRemove(pair);
                }
            }

            if (_entries.Count >= MaxEntries * 9 / 10)
            {
                _entries.Clear();
            }
        }
    }

    private sealed record Entry(DnsResponse Response, long ExpiresAt);
}
