using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using Deliverability.Core.Audits;
using Deliverability.Core.Storage;

namespace Deliverability.Core.Tests.Storage;

/// <summary>A store on a fresh database of <see cref="Provider"/>, with time driven by a <see cref="FakeTimeProvider"/>.</summary>
public abstract class StoreFixture : IAsyncLifetime
{
    private readonly string _sqliteFolder = Path.Combine(Path.GetTempPath(), "monitor-store-tests-" + Guid.NewGuid().ToString("N"));

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero));

    /// <summary>A SQLite file in a folder of this test's own (created by the schema step), removed with its WAL files at the end.</summary>
    protected string SqliteConnectionString => $"Data Source={Path.Combine(_sqliteFolder, "monitor.db")}";

    protected abstract StorageProvider Provider { get; }

    /// <summary>A database no other test uses.</summary>
    protected abstract string ConnectionString { get; }

    protected IDbContextFactory<MonitorDbContext> Contexts { get; private set; } = null!;

    protected AuditResultStore Store { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        var options = MonitorDbContext.Configure(new DbContextOptionsBuilder<MonitorDbContext>(), Provider, ConnectionString).Options;
        Contexts = new PooledDbContextFactory<MonitorDbContext>((DbContextOptions<MonitorDbContext>)options);
        await using (var db = await Contexts.CreateDbContextAsync())
        {
            await MonitorDatabase.EnsureSchemaAsync(db);
        }

        Store = new AuditResultStore(Contexts, Time);
    }

    public virtual Task DisposeAsync()
    {
        if (Directory.Exists(_sqliteFolder))
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(_sqliteFolder, recursive: true);
        }

        return Task.CompletedTask;
    }

    /// <summary>A report made now (by the fake clock) with one result per (check, status).</summary>
    protected DomainAuditReport Report(string domain, params (string Check, CheckStatus Status)[] checks)
    {
        var results = checks.Select(c => new CheckResult(c.Check, c.Status, FindingsFor(c.Check, c.Status), [$"{c.Check} record"])).ToArray();
        return new DomainAuditReport(domain, Time.GetUtcNow(), DomainAuditor.OverallStatus(results), results);
    }

    private static Finding[] FindingsFor(string check, CheckStatus status) => status switch
    {
        CheckStatus.Error => [Finding.Error($"{check}.broken", $"{check} is broken.", $"Fix {check}.") with { Subject = "selector1" }],
        CheckStatus.Warning => [Finding.Warning($"{check}.weak", $"{check} is weak.", $"Strengthen {check}.")],
        CheckStatus.Unknown => [Finding.Warning($"{check}.temperror", "DNS did not answer.", "Retry later.")],
        _ => [],
    };
}
