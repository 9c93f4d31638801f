using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Monitor.Core.Dns;
using Monitor.Core.Storage;

namespace Monitor.Core.Monitoring;

/// <summary>Where a monitored domain comes from: configuration (read-only here) or the dashboard (stored, removable).</summary>
public enum DomainOrigin
{
    Configuration,
    Dashboard,
}

public sealed record CatalogDomain(MonitoredDomain Domain, DomainOrigin Origin)
{
    public string Name => DnsNames.Normalize(Domain.Name);
}

/// <summary>
/// Every monitored domain: <c>Monitor:Domains</c> first, then those added from the dashboard (stored in
/// <c>added_domains</c>). A name in both is the configured one.
/// </summary>
public sealed class MonitoredDomainCatalog(IOptions<MonitorOptions> monitor, IDbContextFactory<MonitorDbContext> contexts, TimeProvider time)
{
    /// <summary>Raised after a dashboard domain is added, edited or removed (in this process), so caches of the domain list refresh.</summary>
    public event Action? Changed;

    private long _version;

    /// <summary>Changes each time this instance adds or removes a domain, so a read model can tell its list is out of date.</summary>
    public long Version => Interlocked.Read(ref _version);

    public async Task<IReadOnlyList<CatalogDomain>> GetAllAsync(CancellationToken cancellationToken)
    {
        var configured = monitor.Value.Domains.Select(d => new CatalogDomain(d, DomainOrigin.Configuration)).ToList();
        var names = configured.Select(d => d.Name).ToHashSet(StringComparer.Ordinal);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var added = await db.Set<AddedDomainRow>().AsNoTracking().OrderBy(r => r.Name).ToListAsync(cancellationToken).ConfigureAwait(false);
        configured.AddRange(added.Where(r => !names.Contains(r.Name)).Select(r => new CatalogDomain(r.ToMonitoredDomain(), DomainOrigin.Dashboard)));
        return configured;
    }

    /// <summary>The domain named <paramref name="domain"/> (any case, trailing dot allowed), or null.</summary>
    public async Task<CatalogDomain?> FindAsync(string domain, CancellationToken cancellationToken)
    {
        if (monitor.Value.Find(domain) is { } configured)
        {
            return new CatalogDomain(configured, DomainOrigin.Configuration);
        }

        var name = DnsNames.Normalize(domain);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var row = await db.Set<AddedDomainRow>().AsNoTracking().SingleOrDefaultAsync(r => r.Name == name, cancellationToken).ConfigureAwait(false);
        return row is null ? null : new CatalogDomain(row.ToMonitoredDomain(), DomainOrigin.Dashboard);
    }

    /// <summary>Stores a domain validated by the caller; false when a domain of that name is monitored already.</summary>
    public async Task<bool> AddAsync(MonitoredDomain domain, string addedBy, CancellationToken cancellationToken)
    {
        if (await FindAsync(domain.Name, cancellationToken).ConfigureAwait(false) is not null)
        {
            return false;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var row = new AddedDomainRow { Name = DnsNames.Normalize(domain.Name), AddedAt = time.GetUtcNow(), AddedBy = addedBy };
        CopySettings(domain, row);
        db.Set<AddedDomainRow>().Add(row);
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            Changed?.Invoke();
            Interlocked.Increment(ref _version);
            return true;
        }
        catch (DbUpdateException)
        {
            return false; // added at the same moment by someone else
        }
    }

    /// <summary>Removes a domain added from the dashboard; false when there is none of that name (configured ones stay).</summary>
    public async Task<bool> RemoveAsync(string domain, CancellationToken cancellationToken)
    {
        var name = DnsNames.Normalize(domain);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var removed = await db.Set<AddedDomainRow>().Where(r => r.Name == name).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false) > 0;
        if (removed)
        {
            Changed?.Invoke();
            Interlocked.Increment(ref _version);
        }

        return removed;
    }

    /// <summary>
    /// Replaces the selectors, sending IPs, return-path and DKIM signing domains of a domain added from the dashboard
    /// (validated by the caller; the name stays). False when there is no dashboard domain of that name: configured
    /// domains are edited in configuration.
    /// </summary>
    public async Task<bool> UpdateAsync(MonitoredDomain domain, CancellationToken cancellationToken)
    {
        var name = DnsNames.Normalize(domain.Name);
        if (monitor.Value.Find(name) is not null)
        {
            return false;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var row = await db.Set<AddedDomainRow>().SingleOrDefaultAsync(r => r.Name == name, cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            return false;
        }

        CopySettings(domain, row);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        Changed?.Invoke();
        Interlocked.Increment(ref _version);
        return true;
    }

    private static void CopySettings(MonitoredDomain domain, AddedDomainRow row)
    {
        row.DkimSelectors = string.Join(' ', domain.DkimSelectors.Select(s => s.Trim().ToLowerInvariant()).Where(s => s.Length > 0).Distinct());
        row.SendingIps = string.Join(' ', domain.SendingIps.Select(s => s.Trim()).Where(s => s.Length > 0).Distinct());
        row.ReturnPathDomain = string.IsNullOrWhiteSpace(domain.ReturnPathDomain) ? null : DnsNames.Normalize(domain.ReturnPathDomain);
        row.DkimSigningDomain = string.IsNullOrWhiteSpace(domain.DkimSigningDomain) ? null : DnsNames.Normalize(domain.DkimSigningDomain);
    }
}
