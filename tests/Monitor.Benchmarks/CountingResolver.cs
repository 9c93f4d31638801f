using Monitor.Core.Dns;

namespace Monitor.Benchmarks;

/// <summary>Counts what the audit asks, by record type and by outcome, on its way to the real resolver.</summary>
public sealed class CountingResolver(IDnsResolver inner) : IDnsResolver
{
    private readonly long[] _byType = new long[Enum.GetValues<DnsRecordType>().Length];
    private readonly long[] _byStatus = new long[Enum.GetValues<DnsStatus>().Length];

    public long Queries => _byType.Sum();

    /// <summary>Answers that were not definitive (timeout, SERVFAIL, refused, error): a healthy run has none.</summary>
    public long Failures => Enum.GetValues<DnsStatus>().Where(s => s is not (DnsStatus.NoError or DnsStatus.NxDomain)).Sum(s => Interlocked.Read(ref _byStatus[(int)s]));

    public IReadOnlyDictionary<string, long> ByType =>
        Enum.GetValues<DnsRecordType>().Where(t => _byType[(int)t] > 0).ToDictionary(t => t.ToString(), t => Interlocked.Read(ref _byType[(int)t]));

    public IReadOnlyDictionary<string, long> ByStatus =>
        Enum.GetValues<DnsStatus>().Where(s => _byStatus[(int)s] > 0).ToDictionary(s => s.ToString(), s => Interlocked.Read(ref _byStatus[(int)s]));

    public async Task<DnsResponse> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _byType[(int)type]);
        var response = await inner.QueryAsync(name, type, cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _byStatus[(int)response.Status]);
        return response;
    }
}
