using System.Collections.Concurrent;
using Deliverability.Core.Dns;

namespace Deliverability.Benchmarks;

/// <summary>
/// Counts what the audit asks, by record type and by outcome, on its way to the real resolver. An exception out of the
/// resolver breaks its contract (it must never throw for DNS failures): it is counted by type and rethrown.
/// </summary>
public sealed class CountingResolver(IDnsResolver inner) : IDnsResolver
{
    private readonly long[] _byType = new long[Enum.GetValues<DnsRecordType>().Length];
    private readonly long[] _byStatus = new long[Enum.GetValues<DnsStatus>().Length];
    private readonly ConcurrentDictionary<string, long> _exceptions = new();

    public long Queries => _byType.Sum();

    /// <summary>Answers that were not definitive (timeout, SERVFAIL, refused, error): a healthy run has none.</summary>
    public long Failures => Enum.GetValues<DnsStatus>().Where(s => s is not (DnsStatus.NoError or DnsStatus.NxDomain)).Sum(s => Interlocked.Read(ref _byStatus[(int)s])) + _exceptions.Values.Sum();

    public IReadOnlyDictionary<string, long> ByType =>
        Enum.GetValues<DnsRecordType>().Where(t => _byType[(int)t] > 0).ToDictionary(t => t.ToString(), t => Interlocked.Read(ref _byType[(int)t]));

    /// <summary>Outcomes by <see cref="DnsStatus"/>, and exceptions the resolver threw as <c>threw ExceptionType</c>.</summary>
    public IReadOnlyDictionary<string, long> ByStatus =>
        Enum.GetValues<DnsStatus>().Where(s => _byStatus[(int)s] > 0).Select(s => KeyValuePair.Create(s.ToString(), Interlocked.Read(ref _byStatus[(int)s])))
            .Concat(_exceptions.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => KeyValuePair.Create($"threw {e.Key}", e.Value)))
            .ToDictionary();

    public long Exceptions => _exceptions.Values.Sum();

    public async Task<DnsResponse> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _byType[(int)type]);
        try
        {
            var response = await inner.QueryAsync(name, type, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _byStatus[(int)response.Status]);
            return response;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            _exceptions.AddOrUpdate(ex.GetType().Name, 1, (_, n) => n + 1);
            throw;
        }
    }
}
