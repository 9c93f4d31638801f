using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Deliverability.Core.Audits;
using Deliverability.Core.Dns;
using Deliverability.Core.Live;
using Deliverability.Core.Monitoring;
using Deliverability.Core.Storage;
using Deliverability.Server.Domains;

namespace Deliverability.Server.Tests.Domains;

/// <summary>The shared tile snapshot: kept up to date from the audits announced, re-reading only what changed.</summary>
public sealed class DomainBoardTests : IAsyncLifetime, IDisposable
{
    private TemporarySqliteDatabase _database = null!;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
    private readonly LiveFeed<DomainAuditCompleted> _completed = new();
    private IDbContextFactory<MonitorDbContext> _contexts = null!;
    private MonitoredDomainCatalog _catalog = null!;
    private AuditResultStore _store = null!;
    private DomainBoard _board = null!;

    public async Task InitializeAsync()
    {
        _database = await TemporarySqliteDatabase.CreateAsync();
        _contexts = _database.Contexts;

        _catalog = new MonitoredDomainCatalog(Options.Create(new MonitorOptions()), _contexts, _time);
        _store = new AuditResultStore(_contexts, _time);
        _board = new DomainBoard(_catalog, _store, _contexts, _completed, _time);
        foreach (var name in new[] { "a.test", "b.test", "c.test" })
        {
            await _catalog.AddAsync(new MonitoredDomain { Name = name }, "test", CancellationToken.None);
            await SaveAsync(name, CheckStatus.Ok, announce: false);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _board.Dispose();
        _database.Dispose();
    }

    [Fact]
    public async Task An_announced_audit_is_in_the_next_tiles_and_every_other_tile_is_the_same_object()
    {
        var before = await _board.GetTilesAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(5));

        await SaveAsync("b.test", CheckStatus.Error, announce: true);
        var after = await _board.GetTilesAsync(CancellationToken.None);

        var b = after.Single(t => t.Domain == "b.test");
        Assert.Equal((CheckStatus.Error, _time.GetUtcNow(), 1), (b.Status!.Value, b.CheckedAt!.Value, b.Errors));
        Assert.Equal([(CheckStatus?)null, CheckStatus.Ok], b.Strip.Select(m => m.From));
        Assert.Equal(["a.test", "b.test", "c.test"], after.Select(t => t.Domain));
        Assert.Same(before.Single(t => t.Domain == "a.test"), after.Single(t => t.Domain == "a.test"));
        Assert.Same(before.Single(t => t.Domain == "c.test"), after.Single(t => t.Domain == "c.test"));
    }

    [Fact]
    public async Task Without_a_new_announcement_the_same_snapshot_is_served_until_it_is_due_for_a_full_read()
    {
        var first = await _board.GetTilesAsync(CancellationToken.None);

        // Stored but not announced here (as by another node sharing the database).
        await SaveAsync("c.test", CheckStatus.Warning, announce: false);
        Assert.Same(first, await _board.GetTilesAsync(CancellationToken.None));

        _time.Advance(DomainBoard.FullReloadAfter);
        var reread = await _board.GetTilesAsync(CancellationToken.None);
        Assert.Equal(CheckStatus.Warning, reread.Single(t => t.Domain == "c.test").Status);
    }

    [Fact]
    public async Task A_domain_added_or_removed_is_in_or_out_of_the_next_tiles()
    {
        await _board.GetTilesAsync(CancellationToken.None);

        await _catalog.AddAsync(new MonitoredDomain { Name = "d.test" }, "test", CancellationToken.None);
        var added = await _board.GetTilesAsync(CancellationToken.None);
        await _catalog.RemoveAsync(DomainName.Parse("a.test"), CancellationToken.None);
        var removed = await _board.GetTilesAsync(CancellationToken.None);

        Assert.Equal(["a.test", "b.test", "c.test", "d.test"], added.Select(t => t.Domain));
        Assert.Null(added.Single(t => t.Domain == "d.test").Status);
        Assert.Equal(["b.test", "c.test", "d.test"], removed.Select(t => t.Domain));
    }

    [Fact]
    public async Task A_burst_of_announcements_larger_than_an_incremental_read_is_read_whole()
    {
        await _board.GetTilesAsync(CancellationToken.None);
        for (var i = 0; i < 250; i++)
        {
            _completed.Publish(new DomainAuditCompleted($"gone{i}.test", CheckStatus.Ok, _time.GetUtcNow(), 0));
        }

        await SaveAsync("a.test", CheckStatus.Error, announce: true);
        var tiles = await _board.GetTilesAsync(CancellationToken.None);

        Assert.Equal([CheckStatus.Error, CheckStatus.Ok, CheckStatus.Ok], tiles.Select(t => t.Status!.Value));
    }

    /// <summary>Stores an audit of one check (and announces it as the audit cycle does, when <paramref name="announce"/>).</summary>
    private async Task SaveAsync(string domain, CheckStatus status, bool announce)
    {
        Finding[] findings = status switch
        {
            CheckStatus.Error => [Finding.Error("spf.broken", "broken", "fix it")],
            CheckStatus.Warning => [Finding.Warning("spf.weak", "weak", "strengthen it")],
            _ => [],
        };
        var report = new DomainAuditReport(domain, _time.GetUtcNow(), status, [new CheckResult("spf", status, findings, ["v=spf1 -all"])]);
        var transitions = await _store.SaveAsync(report);
        if (announce)
        {
            _completed.Publish(new DomainAuditCompleted(domain, status, report.CheckedAt, transitions.Count));
        }
    }
}
