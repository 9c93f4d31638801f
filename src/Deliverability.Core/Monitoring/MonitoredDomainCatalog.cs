using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Deliverability.Core.Dns;
using Deliverability.Core.Storage;

namespace Deliverability.Core.Monitoring;

/// <summary>Where a monitored domain comes from: configuration (read-only here) or the dashboard (stored, removable).</summary>
public enum DomainOrigin
{
    Configuration,
    Dashboard,
}

/// <summary>A monitored domain: its name, and its settings in their stored form (<see cref="MonitoredDomain.Normalized"/>).</summary>
public sealed record CatalogDomain(DomainName Name, MonitoredDomain Domain, DomainOrigin Origin);

/// <summary>
/// The one list of monitored domains that every feature reads (the audit cycle, the blacklist targets, the pages and the
/// API): <c>Monitor:Domains</c> first, then those added from the dashboard (stored in <c>added_domains</c>). A name in
/// both is the configured one. Names are <see cref="DomainName"/>s: <c>Bücher.Example.</c> in configuration and
/// <c>xn--bcher-kva.example</c> typed in the dashboard are one domain.
/// </summary>
public sealed class MonitoredDomainCatalog
{
    private readonly IDbContextFactory<MonitorDbContext> _contexts;
    private readonly TimeProvider _time;
    private readonly Lazy<Configured> _configured;
    private long _version;

    public MonitoredDomainCatalog(IOptions<MonitorOptions> monitor, IDbContextFactory<MonitorDbContext> contexts, TimeProvider time)
    {
        _contexts = contexts;
        _time = time;
        _configured = new Lazy<Configured>(() => Configured.Of(monitor.Value));
    }

    /// <summary>Raised after a dashboard domain is added, edited or removed (in this process), so caches of the domain list refresh.</summary>
    public event Action? Changed;

    /// <summary>Changes each time this instance adds or removes a domain, so a read model can tell its list is out of date.</summary>
    public long Version => Interlocked.Read(ref _version);

    /// <summary>The domains of <c>Monitor:Domains</c>, known without reading the database.</summary>
    public IReadOnlyList<CatalogDomain> ConfiguredDomains => _configured.Value.Domains;

    public async Task<IReadOnlyList<CatalogDomain>> GetAllAsync(CancellationToken cancellationToken)
    {
        var configured = _configured.Value;
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var added = await db.Set<AddedDomainRow>().AsNoTracking().OrderBy(r => r.Name).ToListAsync(cancellationToken).ConfigureAwait(false);
        var all = new List<CatalogDomain>(configured.Domains.Count + added.Count);
        all.AddRange(configured.Domains);
        all.AddRange(added.Select(FromRow).OfType<CatalogDomain>().Where(d => !configured.ByName.ContainsKey(d.Name)));
        return all;
    }

    /// <summary>The monitored domain of that name, or null.</summary>
    public async Task<CatalogDomain?> FindAsync(DomainName name, CancellationToken cancellationToken)
    {
        if (_configured.Value.ByName.TryGetValue(name, out var configured))
        {
            return configured;
        }

        await using var db = await _contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var row = await db.Set<AddedDomainRow>().AsNoTracking().SingleOrDefaultAsync(r => r.Name == name.Ascii, cancellationToken).ConfigureAwait(false);
        return row is null ? null : FromRow(row);
    }

    /// <summary>Stores a domain validated by the caller; false when a domain of that name is monitored already.</summary>
    /// <exception cref="FormatException">A name of <paramref name="domain"/> is not a domain name (it was not validated).</exception>
    public async Task<bool> AddAsync(MonitoredDomain domain, string addedBy, CancellationToken cancellationToken)
    {
        var normalized = domain.Normalized();
        if (await FindAsync(DomainName.Parse(normalized.Name), cancellationToken).ConfigureAwait(false) is not null)
        {
            return false;
        }

        await using var db = await _contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var row = new AddedDomainRow { Name = normalized.Name, AddedAt = _time.GetUtcNow(), AddedBy = addedBy };
        CopySettings(normalized, row);
        db.Set<AddedDomainRow>().Add(row);
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            OnChanged();
            return true;
        }
        catch (DbUpdateException)
        {
            return false; // added at the same moment by someone else
        }
    }

    /// <summary>Removes a domain added from the dashboard; false when there is none of that name (configured ones stay).</summary>
    public async Task<bool> RemoveAsync(DomainName name, CancellationToken cancellationToken)
    {
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var removed = await db.Set<AddedDomainRow>().Where(r => r.Name == name.Ascii).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false) > 0;
        if (removed)
        {
            OnChanged();
        }

        return removed;
    }

    /// <summary>
    /// Replaces the selectors, sending IPs, return-path and DKIM signing domains of a domain added from the dashboard
    /// (validated by the caller; the name stays). False when there is no dashboard domain of that name: configured
    /// domains are edited in configuration.
    /// </summary>
    /// <exception cref="FormatException">A name of <paramref name="domain"/> is not a domain name (it was not validated).</exception>
    public async Task<bool> UpdateAsync(MonitoredDomain domain, CancellationToken cancellationToken)
    {
        var normalized = domain.Normalized();
        if (_configured.Value.ByName.ContainsKey(DomainName.Parse(normalized.Name)))
        {
            return false;
        }

        await using var db = await _contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var row = await db.Set<AddedDomainRow>().SingleOrDefaultAsync(r => r.Name == normalized.Name, cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            return false;
        }

        CopySettings(normalized, row);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        OnChanged();
        return true;
    }

    private void OnChanged()
    {
        Interlocked.Increment(ref _version);
        Changed?.Invoke();
    }

    // Rows are written in the stored form; one whose name no longer reads as a domain (edited by hand) is left out, not fatal.
    private static CatalogDomain? FromRow(AddedDomainRow row) =>
        DomainName.TryParse(row.Name, out var name, out _) ? new CatalogDomain(name, row.ToMonitoredDomain(), DomainOrigin.Dashboard) : null;

    private static void CopySettings(MonitoredDomain normalized, AddedDomainRow row)
    {
        row.DkimSelectors = string.Join(' ', normalized.DkimSelectors);
        row.SendingIps = string.Join(' ', normalized.SendingIps);
        row.ReturnPathDomain = normalized.ReturnPathDomain;
        row.DkimSigningDomain = normalized.DkimSigningDomain;
    }

    // Monitor:Domains in stored form, read once (the options are validated at start, so every name parses).
    private sealed record Configured(IReadOnlyList<CatalogDomain> Domains, IReadOnlyDictionary<DomainName, CatalogDomain> ByName)
    {
        public static Configured Of(MonitorOptions options)
        {
            var domains = new List<CatalogDomain>();
            var byName = new Dictionary<DomainName, CatalogDomain>();
            foreach (var domain in options.Domains)
            {
                if (DomainName.TryParse(domain.Name, out var name, out _) && !byName.ContainsKey(name))
                {
                    var entry = new CatalogDomain(name, domain.Normalized(), DomainOrigin.Configuration);
                    domains.Add(entry);
                    byName.Add(name, entry);
                }
            }

            return new Configured(domains, byName);
        }
    }
}
