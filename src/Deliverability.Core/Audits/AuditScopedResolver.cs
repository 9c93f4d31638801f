using System.Collections.Concurrent;
using Deliverability.Core.Dns;

namespace Deliverability.Core.Audits;

/// <summary>
/// Asks each question once per audit: the SPF audit and the per-IP check_host() read the same records, and the MX and
/// reverse DNS checks may ask for the same addresses. Lives only as long as one audit, so it holds no memory between
/// audits and never serves an answer older than the audit itself.
/// </summary>
internal sealed class AuditScopedResolver(IDnsResolver inner) : IDnsResolver
{
    private readonly ConcurrentDictionary<(string Name, DnsRecordType Type), Task<DnsResponse>> _answers = new();

    public Task<DnsResponse> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken = default) =>
        _answers.GetOrAdd((DnsNames.Normalize(name), type), key => inner.QueryAsync(key.Name, key.Type, cancellationToken));
}
