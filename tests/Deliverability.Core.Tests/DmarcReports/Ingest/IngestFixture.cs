using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Options;
using Deliverability.Core.DmarcReports;
using Deliverability.Core.DmarcReports.Mailbox;
using Deliverability.Core.DmarcReports.Storage;
using Deliverability.Core.Storage;
using Deliverability.Core.Tests.Storage;

namespace Deliverability.Core.Tests.DmarcReports.Ingest;

/// <summary>
/// A fresh database (see <see cref="StoreFixture"/>) with the real report importer and stores on it, their database
/// contexts carrying <see cref="Faults"/>, so a test can make a report's commit fail where the store meets the database.
/// </summary>
public abstract class IngestFixture : StoreFixture
{
    internal StorageFaults Faults { get; } = new();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Importer = Node();
    }

    /// <summary>The importer the tests read with.</summary>
    protected IReportImporter Importer { get; private set; } = null!;

    /// <summary>An importer of its own (own stores, own context pool) on the same database: another node.</summary>
    protected IReportImporter Node()
    {
        var options = MonitorDbContext.Configure(new DbContextOptionsBuilder<MonitorDbContext>(), Provider, ConnectionString).AddInterceptors(Faults).Options;
        var contexts = new PooledDbContextFactory<MonitorDbContext>((DbContextOptions<MonitorDbContext>)options);
        return new DmarcReportImporter(Options.Create(new ReportLimits()), new DmarcAggregateStore(contexts, Time), new TlsRptStore(contexts, Time));
    }

    protected ReportInputLog Log() => new(Contexts, Time);

    /// <summary>The report ids stored, aggregate and TLS, from the database itself.</summary>
    protected async Task<List<string>> StoredReportIdsAsync()
    {
        await using var db = await Contexts.CreateDbContextAsync();
        var aggregate = await db.Set<DmarcReportRow>().Select(r => r.ReportId).ToListAsync();
        var tls = await db.Set<TlsRptReportRow>().Select(r => r.ReportId).ToListAsync();
        return [.. aggregate.Concat(tls).Order(StringComparer.Ordinal)];
    }

    protected async Task<int> DuplicateCountAsync()
    {
        await using var db = await Contexts.CreateDbContextAsync();
        return await db.Set<DmarcReportDuplicateRow>().CountAsync();
    }
}
