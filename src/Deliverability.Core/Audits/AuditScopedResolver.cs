using Deliverability.Core.Dns;

namespace Deliverability.Core.Audits;

/// <summary>
/// Asks each question once per audit: the SPF audit and the per-IP check_host() read the same records, and the MX and
/// reverse DNS checks may ask for the same addresses. Lives only as long as one audit, so it holds no memory between
/// audits and never serves an answer older than the audit itself.
/// </summary>
/// <remarks>
/// A plain dictionary under a lock rather than a ConcurrentDictionary: an audit asks about a dozen questions, and a
/// ConcurrentDictionary's buckets and lock arrays were the largest allocation of an audit outside the checks (one per audit).
/// </remarks>
internal sealed class AuditScopedResolver(IDnsResolver inner) : IDnsResolver
{
    private readonly Dictionary<(string Name, DnsRecordType Type), Task<DnsResponse>> _answers = [];

    public Task<DnsResponse> QueryAsync(string name, DnsRecordType type, CancellationToken cancellationToken = default)
    {
        var key = (DnsNames.Normalize(name), type);
        lock (_answers)
        {
            if (_answers.TryGetValue(key, out var asked))
            {
                return asked;
            }
        }

        // Asked outside the lock (it sends the query); when two checks race on the same question, the first stored wins.
        var query = inner.QueryAsync(key.Item1, type, cancellationToken);
        lock (_answers)
        {
            return _answers.TryAdd(key, query) ? query : _answers[key];
        }
    }
}
