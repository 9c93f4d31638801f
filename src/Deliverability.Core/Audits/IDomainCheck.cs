using Deliverability.Core.Dns;

namespace Deliverability.Core.Audits;

/// <summary>One check of a domain: a small class that never throws for what it finds in DNS; it returns findings.</summary>
public interface IDomainCheck
{
    /// <summary>Stable name: <c>spf</c>, <c>dkim</c>, <c>dmarc</c>, <c>mx</c>, ...</summary>
    string Name { get; }

    /// <summary>Checks of stage 0 run together; a later stage runs after them and may read their facts.</summary>
    int Stage => 0;

    Task<CheckResult> RunAsync(DomainAuditContext context, CancellationToken cancellationToken);
}

/// <summary>What checks of one audit share: the request, the resolver, and facts a check publishes for later stages.</summary>
public sealed class DomainAuditContext(DomainAuditRequest request, IDnsResolver dns)
{
    // A few facts per audit: a dictionary under a lock costs far less to create than a ConcurrentDictionary.
    private readonly Dictionary<Type, object> _facts = [];

    public DomainAuditRequest Request { get; } = request;

    public IDnsResolver Dns { get; } = dns;

    public void Publish<T>(T fact) where T : class
    {
        lock (_facts)
        {
            _facts[typeof(T)] = fact;
        }
    }

    public T? Fact<T>() where T : class
    {
        lock (_facts)
        {
            return _facts.TryGetValue(typeof(T), out var value) ? (T)value : null;
        }
    }
}
