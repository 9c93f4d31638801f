using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using DnsClient;
using DnsClient.Protocol;
using Deliverability.Core.Dns;

namespace Deliverability.Benchmarks;

/// <summary>
/// DnsClient's LookupClient behind <see cref="IDnsResolver"/>, as the product used it before <see cref="DnsStubResolver"/>:
/// kept here only so that the baseline can show what the library costs on the same machine in the same run.
/// </summary>
public sealed class DnsClientLibraryResolver : IDnsResolver
{
    private readonly LookupClient _client;

    public DnsClientLibraryResolver(DnsOptions options)
    {
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", problems), nameof(options));
        }

        var servers = options.NameServers
            .Select(s => DnsOptions.TryParseEndpoint(s, out var endpoint, out _) ? endpoint : throw new UnreachableException())
            .ToArray();
        var lookupOptions = servers.Length > 0 ? new LookupClientOptions(servers) : new LookupClientOptions();
        lookupOptions.Timeout = TimeSpan.FromSeconds(options.TimeoutSeconds);
        lookupOptions.Retries = options.Retries;
        lookupOptions.UseCache = options.UseCache;
        lookupOptions.ThrowDnsErrors = false;
        lookupOptions.UseTcpFallback = true;
        // An empty answer is an answer (NODATA): asking the next server would hide it.
        lookupOptions.ContinueOnEmptyResponse = false;
        lookupOptions.UseRandomNameServer = false;
        _client = new LookupClient(lookupOptions);
    }

    public async Task<DnsResponse> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken = default)
    {
        var question = DnsNames.Normalize(name);
        if (!DnsNames.IsQueryable(question, out var invalid))
        {
            return new DnsResponse(question, type, DnsStatus.Error, [], invalid);
        }

        try
        {
            var response = await _client.QueryAsync(question, ToQueryType(type), QueryClass.IN, cancellationToken).ConfigureAwait(false);
            var status = response.Header.ResponseCode switch
            {
                DnsHeaderResponseCode.NoError => DnsStatus.NoError,
                DnsHeaderResponseCode.NotExistentDomain => DnsStatus.NxDomain,
                DnsHeaderResponseCode.ServerFailure => DnsStatus.ServFail,
                DnsHeaderResponseCode.Refused => DnsStatus.Refused,
                _ => DnsStatus.Error,
            };
            var answers = response.Answers.Select(ToRecord).OfType<Deliverability.Core.Dns.DnsRecord>().ToArray();
            return new DnsResponse(question, type, status, answers, status == DnsStatus.Error ? response.ErrorMessage : null);
        }
        catch (DnsResponseException ex) when (ex.Code == DnsResponseCode.ConnectionTimeout)
        {
            return new DnsResponse(question, type, DnsStatus.Timeout, [], "timed out");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new DnsResponse(question, type, DnsStatus.Timeout, [], "timed out");
        }
        catch (DnsResponseException ex)
        {
            return new DnsResponse(question, type, DnsStatus.Error, [], ex.Message);
        }
        catch (SocketException ex)
        {
            return new DnsResponse(question, type, DnsStatus.Error, [], ex.Message);
        }
        catch (DnsXidMismatchException ex)
        {
            // A late answer to an earlier, timed-out query arrived on the same port: the question is unanswered.
            return new DnsResponse(question, type, DnsStatus.Timeout, [], ex.Message);
        }
    }

    private static QueryType ToQueryType(DnsRecordType type) => type switch
    {
        DnsRecordType.A => QueryType.A,
        DnsRecordType.AAAA => QueryType.AAAA,
        DnsRecordType.CNAME => QueryType.CNAME,
        DnsRecordType.MX => QueryType.MX,
        DnsRecordType.NS => QueryType.NS,
        DnsRecordType.PTR => QueryType.PTR,
        DnsRecordType.TXT => QueryType.TXT,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    private static Deliverability.Core.Dns.DnsRecord? ToRecord(DnsResourceRecord record)
    {
        var name = DnsNames.Normalize(record.DomainName.Value);
        var ttl = (uint)Math.Max(0, record.TimeToLive);
        return record switch
        {
            ARecord a => new Deliverability.Core.Dns.AddressRecord(name, ttl, a.Address),
            AaaaRecord aaaa => new Deliverability.Core.Dns.AddressRecord(name, ttl, aaaa.Address),
            DnsClient.Protocol.TxtRecord txt => new Deliverability.Core.Dns.TxtRecord(name, ttl, txt.Text.ToArray()),
            DnsClient.Protocol.MxRecord mx => new Deliverability.Core.Dns.MxRecord(name, ttl, mx.Preference, DnsNames.Normalize(mx.Exchange.Value)),
            DnsClient.Protocol.PtrRecord ptr => new Deliverability.Core.Dns.PtrRecord(name, ttl, DnsNames.Normalize(ptr.PtrDomainName.Value)),
            CNameRecord cname => new Deliverability.Core.Dns.CnameRecord(name, ttl, DnsNames.Normalize(cname.CanonicalName.Value)),
            DnsClient.Protocol.NsRecord ns => new Deliverability.Core.Dns.NsRecord(name, ttl, DnsNames.Normalize(ns.NSDName.Value)),
            _ => null,
        };
    }
}
