using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Deliverability.Core.Audits;
using Deliverability.Core.Dns;
using Deliverability.Core.Monitoring;
using Deliverability.Core.Storage;
using Deliverability.Testing.Dns;

namespace Deliverability.Core.Tests.Monitoring;

public sealed class AuditCycleTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "monitor-cycle-tests-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero));
    private TestDnsServer _dns = null!;
    private AuditResultStore _store = null!;
    private IDbContextFactory<MonitorDbContext> _contexts = null!;

    public async Task InitializeAsync()
    {
        _dns = TestDnsServer.Start(new TestZone());
        var options = MonitorDbContext.Configure(new DbContextOptionsBuilder<MonitorDbContext>(), StorageProvider.Sqlite, $"Data Source={Path.Combine(_folder, "monitor.db")}").Options;
        _contexts = new PooledDbContextFactory<MonitorDbContext>((DbContextOptions<MonitorDbContext>)options);
        await using (var db = await _contexts.CreateDbContextAsync())
        {
            await MonitorDatabase.EnsureSchemaAsync(db);
        }

        _store = new AuditResultStore(_contexts, _time);
    }

    public async Task DisposeAsync()
    {
        await _dns.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Cycle_audits_every_configured_domain_and_stores_each_result()
    {
        _dns.Zone.Txt("_marker.a.test", "ok").Txt("_marker.b.test", "broken").ServFail("_marker.c.test");
        var cycle = Cycle(new MarkerCheck(), maxConcurrency: 16, ["a.test", "b.test", "c.test"]);

        var outcome = await cycle.RunAsync(CancellationToken.None);

        Assert.Equal(new AuditCycleOutcome(Audited: 3, Failed: 0, Changes: 3, HistoryRemoved: 0), outcome);
        var statuses = (await _store.GetSummariesAsync()).OrderBy(s => s.Domain).Select(s => (s.Domain, s.Status));
        Assert.Equal([("a.test", CheckStatus.Ok), ("b.test", CheckStatus.Error), ("c.test", CheckStatus.Unknown)], statuses);
    }

    [Fact]
    public async Task Cycle_audits_no_more_domains_at_once_than_max_concurrency()
    {
        var names = Enumerable.Range(1, 8).Select(i => $"d{i}.test").ToArray();
        foreach (var name in names)
        {
            _dns.Zone.Txt($"_marker.{name}", "ok");
        }

        var check = new MarkerCheck { Hold = TimeSpan.FromMilliseconds(50) };
        var outcome = await Cycle(check, maxConcurrency: 2, names).RunAsync(CancellationToken.None);

        Assert.Equal(8, outcome.Audited);
        Assert.InRange(check.MostAtOnce, 1, 2);
    }

    [Fact]
    public async Task Many_domains_saved_at_once_on_one_sqlite_file_are_all_stored()
    {
        var names = Enumerable.Range(1, 120).Select(i => $"d{i}.test").ToArray();
        foreach (var (name, i) in names.Select((n, i) => (n, i)))
        {
            _dns.Zone.Txt($"_marker.{name}", i % 3 == 0 ? "broken" : "ok");
        }

        // A patient resolver: on 2 busy cores a short timeout would turn answers into Unknown, which is not what this tests.
        var outcome = await Cycle(new MarkerCheck(), maxConcurrency: 16, names, dnsTimeoutSeconds: 10).RunAsync(CancellationToken.None);

        Assert.Equal((120, 0, 120), (outcome.Audited, outcome.Failed, outcome.Changes));
        var statuses = (await _store.GetSummariesAsync()).GroupBy(s => s.Status).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(new Dictionary<CheckStatus, int> { [CheckStatus.Ok] = 80, [CheckStatus.Error] = 40 }, statuses);
    }

    [Fact]
    public async Task Internationalized_domains_are_audited_and_stored_under_their_a_label()
    {
        // Configured as typed, asked of DNS (the marker record) and stored in the A-label form.
        _dns.Zone.Txt("_marker.xn--bcher-kva.test", "ok").Txt("_marker.xn--strae-oqa.test", "broken");
        var cycle = Cycle(new MarkerCheck(), maxConcurrency: 4, ["Bücher.Test."]);
        var catalog = new MonitoredDomainCatalog(Options.Create(new MonitorOptions { Domains = [new MonitoredDomain { Name = "Bücher.Test." }] }), _contexts, _time);
        Assert.True(await catalog.AddAsync(new MonitoredDomain { Name = "straße.test" }, "admin", CancellationToken.None));

        var outcome = await cycle.RunAsync(CancellationToken.None);

        Assert.Equal(2, outcome.Audited);
        var statuses = (await _store.GetSummariesAsync()).OrderBy(s => s.Domain).Select(s => (s.Domain, s.Status));
        Assert.Equal([("xn--bcher-kva.test", CheckStatus.Ok), ("xn--strae-oqa.test", CheckStatus.Error)], statuses);
        Assert.Equal(CheckStatus.Ok, (await cycle.AuditDomainAsync(DomainName.Parse("bücher.test"), CancellationToken.None))?.Status);
    }

    [Fact]
    public async Task Audit_of_one_domain_stores_it_and_an_unknown_domain_gives_null()
    {
        _dns.Zone.Txt("_marker.a.test", "broken");
        var cycle = Cycle(new MarkerCheck(), maxConcurrency: 4, ["a.test", "b.test"]);

        var report = await cycle.AuditDomainAsync(DomainName.Parse("A.test."), CancellationToken.None);
        var unknown = await cycle.AuditDomainAsync(DomainName.Parse("z.test"), CancellationToken.None);

        Assert.Equal(("a.test", CheckStatus.Error), (report?.Domain, report?.Status));
        Assert.Null(unknown);
        Assert.Equal(["a.test"], (await _store.GetSummariesAsync()).Select(s => s.Domain));
    }

    [Fact]
    public async Task A_repeated_fire_audits_only_the_domains_not_audited_since_its_cut_off()
    {
        // A node audited a.test and died before b.test: the fire run again from the interrupted one's time does b.test only.
        _dns.Zone.Txt("_marker.a.test", "ok").Txt("_marker.b.test", "ok");
        var interruptedFire = _time.GetUtcNow();
        await Cycle(new MarkerCheck(), maxConcurrency: 4, ["a.test"]).RunAsync(CancellationToken.None);
        var aAudited = (await _store.GetLatestAsync("a.test"))!.Audit.CheckedAt;
        _time.Advance(TimeSpan.FromSeconds(3));

        var outcome = await Cycle(new MarkerCheck(), maxConcurrency: 4, ["a.test", "b.test"]).RunAsync(interruptedFire, CancellationToken.None);

        Assert.Equal(1, outcome.Audited);
        Assert.Equal(aAudited, (await _store.GetLatestAsync("a.test"))!.Audit.CheckedAt);
        Assert.Equal(interruptedFire + TimeSpan.FromSeconds(3), (await _store.GetLatestAsync("b.test"))!.Audit.CheckedAt);
    }

    [Fact]
    public async Task Cycle_applies_retention_after_storing()
    {
        _dns.Zone.Txt("_marker.a.test", "ok");
        var cycle = Cycle(new MarkerCheck(), maxConcurrency: 4, ["a.test"]);
        await cycle.RunAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromDays(100));
        _dns.Zone.ReplaceTxt("_marker.a.test", "broken");

        var outcome = await cycle.RunAsync(CancellationToken.None);

        Assert.Equal(1, outcome.HistoryRemoved);
        Assert.Equal(CheckStatus.Error, Assert.Single(await _store.GetHistoryAsync("a.test", null, 10)).ToStatus);
    }

    [Fact]
    public async Task Each_stored_audit_is_published_after_it_is_saved()
    {
        _dns.Zone.Txt("_marker.a.test", "ok").Txt("_marker.b.test", "broken");
        var feed = new Deliverability.Core.Live.LiveFeed<DomainAuditCompleted>();
        var published = new System.Collections.Concurrent.ConcurrentQueue<(DomainAuditCompleted Event, bool Stored)>();
        var all = new TaskCompletionSource();
        using var subscription = feed.Subscribe(async e =>
        {
            published.Enqueue((e, (await _store.GetLatestAsync(e.Domain)) is not null));
            if (published.Count == 2)
            {
                all.TrySetResult();
            }
        });
        var cycle = Cycle(new MarkerCheck(), maxConcurrency: 2, ["a.test", "b.test"], completed: feed);

        await cycle.RunAsync(CancellationToken.None);
        await all.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal([("a.test", CheckStatus.Ok, 1, true), ("b.test", CheckStatus.Error, 1, true)], published.Select(p => (p.Event.Domain, p.Event.Status, p.Event.Changes, p.Stored)).OrderBy(p => p.Domain));
    }

    private AuditCycle Cycle(IDomainCheck check, int maxConcurrency, string[] domains, double dnsTimeoutSeconds = 2, Deliverability.Core.Live.LiveFeed<DomainAuditCompleted>? completed = null)
    {
        var resolver = new DnsStubResolver(new DnsOptions { NameServers = [_dns.Endpoint], TimeoutSeconds = dnsTimeoutSeconds, Retries = 0, UseCache = false });
        var monitor = new MonitorOptions
        {
            Domains = domains.Select(d => new MonitoredDomain { Name = d }).ToList(),
            Audit = new AuditOptions { MaxConcurrency = maxConcurrency },
        };
        var catalog = new MonitoredDomainCatalog(Options.Create(monitor), _contexts, _time);
        return new AuditCycle(new DomainAuditor(resolver, [check], _time), _store, catalog, Options.Create(monitor), Options.Create(new StorageOptions()), NullLogger<AuditCycle>.Instance, completed);
    }

    /// <summary>Reads <c>_marker.&lt;domain&gt;</c>: "ok" is Ok, anything else an error; counts how many run at once.</summary>
    private sealed class MarkerCheck : IDomainCheck
    {
        private int _running;
        private int _most;

        public TimeSpan Hold { get; init; }

        public int MostAtOnce => Volatile.Read(ref _most);

        public string Name => "marker";

        public async Task<CheckResult> RunAsync(DomainAuditContext context, CancellationToken cancellationToken)
        {
            var now = Interlocked.Increment(ref _running);
            InterlockedMax(ref _most, now);
            try
            {
                var response = await context.Dns.QueryAsync($"_marker.{context.Request.Domain}", DnsRecordType.TXT, cancellationToken);
                if (Hold > TimeSpan.Zero)
                {
                    await Task.Delay(Hold, cancellationToken);
                }

                if (response.IsTemporaryFailure)
                {
                    return CheckResult.From(Name, [], inconclusive: true);
                }

                return response.TxtStrings.FirstOrDefault() == "ok"
                    ? CheckResult.From(Name, [])
                    : CheckResult.From(Name, [Finding.Error("marker.broken", "The marker is broken.", "Publish 'ok'.")]);
            }
            finally
            {
                Interlocked.Decrement(ref _running);
            }
        }

        private static void InterlockedMax(ref int target, int value)
        {
            int seen;
            while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
            {
            }
        }
    }
}
