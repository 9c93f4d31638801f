namespace Deliverability.Core.Dns;

/// <summary>
/// How a query ended. A timeout or SERVFAIL (a temporary failure) is never the same as NXDOMAIN or an empty answer
/// (definitive "does not exist"): SPF turns the first into temperror, the second into none or a void lookup.
/// </summary>
public enum DnsStatus
{
    /// <summary>The server answered; the answer may still hold no record of the asked type (NODATA).</summary>
    NoError,

    /// <summary>The name does not exist.</summary>
    NxDomain,

    /// <summary>The server failed to answer (SERVFAIL).</summary>
    ServFail,

    /// <summary>No answer came in time.</summary>
    Timeout,

    /// <summary>The server refused the query.</summary>
    Refused,

    /// <summary>Any other failure: a malformed answer, a socket error, an unexpected response code.</summary>
    Error,
}

/// <summary>The outcome of one DNS query.</summary>
public sealed record DnsResponse(string Name, DnsRecordType Type, DnsStatus Status, IReadOnlyList<DnsRecord> Answers, string? Error = null)
{
    /// <summary>True when the server gave a definitive answer (records, NODATA or NXDOMAIN).</summary>
    public bool IsDefinitive => Status is DnsStatus.NoError or DnsStatus.NxDomain;

    /// <summary>True for failures that may pass: timeout, SERVFAIL, refused, network or format errors.</summary>
    public bool IsTemporaryFailure => !IsDefinitive;

    /// <summary>NXDOMAIN, or NOERROR with no record of the asked type: what RFC 7208 calls a void lookup.</summary>
    public bool IsEmpty => Status == DnsStatus.NxDomain || (Status == DnsStatus.NoError && !HasRecordsOfAskedType);

    public bool IsNoData => Status == DnsStatus.NoError && !HasRecordsOfAskedType;

    public IEnumerable<T> Records<T>() where T : DnsRecord => Answers.OfType<T>();

    public IEnumerable<string> TxtStrings => Records<TxtRecord>().Select(r => r.Text);

    /// <summary>CNAMEs met on the way to the answer (empty when the name owns its records).</summary>
    public IEnumerable<CnameRecord> CnameChain => Records<CnameRecord>();

    // Asked several times per answer (IsEmpty, IsNoData): a loop, without LINQ's iterator and delegate each time.
    private bool HasRecordsOfAskedType
    {
        get
        {
            foreach (var record in Answers)
            {
                if (IsOfAskedType(record))
                {
                    return true;
                }
            }

            return false;
        }
    }

    private bool IsOfAskedType(DnsRecord record) => Type switch
    {
        DnsRecordType.A => record is AddressRecord { Address.AddressFamily: System.Net.Sockets.AddressFamily.InterNetwork },
        DnsRecordType.AAAA => record is AddressRecord { Address.AddressFamily: System.Net.Sockets.AddressFamily.InterNetworkV6 },
        DnsRecordType.TXT => record is TxtRecord,
        DnsRecordType.MX => record is MxRecord,
        DnsRecordType.PTR => record is PtrRecord,
        DnsRecordType.NS => record is NsRecord,
        DnsRecordType.CNAME => record is CnameRecord,
        _ => true,
    };

    public string Describe() => Status switch
    {
        DnsStatus.NoError when IsNoData => $"no {Type} record at {Name}",
        DnsStatus.NoError => $"{Answers.Count} answer(s) for {Name} {Type}",
        DnsStatus.NxDomain => $"{Name} does not exist (NXDOMAIN)",
        DnsStatus.ServFail => $"the name server failed for {Name} {Type} (SERVFAIL)",
        DnsStatus.Timeout => $"the query {Name} {Type} timed out",
        DnsStatus.Refused => $"the name server refused {Name} {Type}",
        _ => $"the query {Name} {Type} failed: {Error}",
    };
}

/// <summary>Our resolver seam: every check asks DNS through this, so tests can point it at a server on 127.0.0.1.</summary>
public interface IDnsResolver
{
    /// <summary>Asks one question. Never throws for DNS or network failures: they come back as a <see cref="DnsStatus"/>.</summary>
    Task<DnsResponse> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken = default);
}
