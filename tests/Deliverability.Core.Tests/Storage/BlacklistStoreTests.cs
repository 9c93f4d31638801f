using System.Net;
using Deliverability.Core.Blacklists;
using Deliverability.Core.Storage;
using Deliverability.Testing.Postgres;

namespace Deliverability.Core.Tests.Storage;

/// <summary>What the blacklist store guarantees, on each provider (the subclasses below).</summary>
public abstract class BlacklistStoreTests : StoreFixture
{
    private static readonly BlacklistZone Zen = BlacklistZones.SpamhausZen;
    private static readonly BlacklistZone Barracuda = BlacklistZones.Barracuda;
    private static readonly BlacklistTarget Ip = BlacklistTarget.Parse("192.0.2.1");

    private BlacklistStore BlacklistStore => new(Contexts);

    [Fact]
    public async Task First_listing_is_a_listed_event_since_the_check_that_saw_it()
    {
        var events = await Save(Listed(Zen, "127.0.0.2", "127.0.0.4"), NotListed(Barracuda));

        var listed = Assert.Single(events);
        Assert.Equal(("192.0.2.1", "zen.spamhaus.org", "listed", Time.GetUtcNow(), Time.GetUtcNow(), (double?)null, "127.0.0.2,127.0.0.4"),
            (listed.Target, listed.Zone, listed.Kind, listed.At, listed.ListedSince, listed.DurationSeconds, listed.Codes));
        var states = await BlacklistStore.GetStatesAsync("192.0.2.1");
        Assert.Equal([("b.barracudacentral.org", "not_listed"), ("zen.spamhaus.org", "listed")], states.Select(s => (s.Zone, s.State!)));
        Assert.Equal(Time.GetUtcNow(), states.Single(s => s.Zone == Zen.Name).StateSince);
    }

    [Fact]
    public async Task Continuing_listing_adds_no_event_and_keeps_its_since()
    {
        await Save(Listed(Zen, "127.0.0.2"));
        var since = Time.GetUtcNow();
        Time.Advance(TimeSpan.FromMinutes(30));

        var events = await Save(Listed(Zen, "127.0.0.2", "127.0.0.4"));

        Assert.Empty(events);
        var state = Assert.Single(await BlacklistStore.GetStatesAsync("192.0.2.1"));
        Assert.Equal((since, Time.GetUtcNow(), "127.0.0.2,127.0.0.4"), (state.StateSince!.Value, state.CheckedAt, state.Codes));
    }

    [Fact]
    public async Task Delisting_is_an_event_with_when_and_how_long_the_listing_lasted()
    {
        await Save(Listed(Zen, "127.0.0.3"));
        var since = Time.GetUtcNow();
        Time.Advance(TimeSpan.FromHours(5));

        var events = await Save(NotListed(Zen));

        var delisted = Assert.Single(events);
        Assert.Equal(("delisted", Time.GetUtcNow(), since, (double?)TimeSpan.FromHours(5).TotalSeconds, "127.0.0.3"),
            (delisted.Kind, delisted.At, delisted.ListedSince, delisted.DurationSeconds, delisted.Codes));
        Assert.Equal(["delisted", "listed"], (await BlacklistStore.GetEventsAsync("192.0.2.1", null, 10)).Select(e => e.Kind));
        var state = Assert.Single(await BlacklistStore.GetStatesAsync("192.0.2.1"));
        Assert.Equal(("not_listed", "", Time.GetUtcNow()), (state.State, state.Codes, state.StateSince!.Value));
    }

    [Fact]
    public async Task Refused_error_capped_and_untrusted_answers_never_delist_and_keep_the_last_known_state()
    {
        await Save(Listed(Zen, "127.0.0.2"));
        var since = Time.GetUtcNow();
        BlacklistVerdict[] noVerdicts =
        [
            new(Ip, Zen, BlacklistStatus.Refused, [IPAddress.Parse("127.255.255.254")], "refused: public resolver"),
            new(Ip, Zen, BlacklistStatus.Error, [], "timed out"),
            new(Ip, Zen, BlacklistStatus.Error, [], "the daily cap of 3 queries is reached") { Capped = true },
            new(Ip, Zen, BlacklistStatus.Error, [], "wildcard zone") { Untrusted = true },
        ];

        foreach (var verdict in noVerdicts)
        {
            Time.Advance(TimeSpan.FromMinutes(30));
            Assert.Empty(await Save(verdict));
            var state = Assert.Single(await BlacklistStore.GetStatesAsync("192.0.2.1"));
            Assert.Equal(("listed", since, "127.0.0.2", verdict.StatusWord, verdict.Capped), (state.State, state.StateSince!.Value, state.Codes, state.LastStatus, state.LastCapped));
            Assert.Contains("the last known state is kept: listed since", state.LastMessage, StringComparison.Ordinal);
        }

        Assert.Single(await BlacklistStore.GetEventsAsync(null, null, 10));
    }

    [Fact]
    public async Task Answers_without_a_verdict_before_any_verdict_leave_no_state_and_no_event()
    {
        var events = await Save(new BlacklistVerdict(Ip, Zen, BlacklistStatus.Refused, [], "refused"));

        Assert.Empty(events);
        var state = Assert.Single(await BlacklistStore.GetStatesAsync("192.0.2.1"));
        Assert.Null(state.State);
        Assert.Equal("refused", state.LastStatus);
    }

    [Fact]
    public async Task A_new_store_on_the_same_database_does_not_repeat_a_listing_that_continues()
    {
        await new BlacklistStore(Contexts).SaveAsync(Report(Listed(Zen, "127.0.0.2")), Time.GetUtcNow());
        Time.Advance(TimeSpan.FromMinutes(30));

        var events = await new BlacklistStore(Contexts).SaveAsync(Report(Listed(Zen, "127.0.0.2")), Time.GetUtcNow());

        Assert.Empty(events);
        Assert.Single(await BlacklistStore.GetEventsAsync(null, null, 10));
    }

    [Fact]
    public async Task Events_are_filtered_by_target_and_zone_newest_first_up_to_the_limit()
    {
        var other = BlacklistTarget.Parse("spam.example");
        var dbl = BlacklistZones.SpamhausDbl;
        await Save(Listed(Zen, "127.0.0.2"), Listed(Barracuda, "127.0.0.2"), new BlacklistVerdict(other, dbl, BlacklistStatus.Listed, [IPAddress.Parse("127.0.1.2")], "listed"));
        Time.Advance(TimeSpan.FromHours(1));
        await Save(NotListed(Zen), Listed(Barracuda, "127.0.0.2"), new BlacklistVerdict(other, dbl, BlacklistStatus.Listed, [IPAddress.Parse("127.0.1.2")], "listed"));

        Assert.Equal(4, (await BlacklistStore.GetEventsAsync(null, null, 10)).Count);
        Assert.Equal(["delisted", "listed"], (await BlacklistStore.GetEventsAsync("192.0.2.1", "zen.spamhaus.org", 10)).Select(e => e.Kind));
        Assert.Equal(["spam.example"], (await BlacklistStore.GetEventsAsync(null, "dbl.spamhaus.org", 10)).Select(e => e.Target));
        var newest = Assert.Single(await BlacklistStore.GetEventsAsync(null, null, 1));
        Assert.Equal(("delisted", Time.GetUtcNow()), (newest.Kind, newest.At));
    }

    [Fact]
    public async Task Query_counts_of_today_survive_a_restart_and_count_against_the_daily_cap()
    {
        var zone = Zen with { DailyCap = 3 };
        var beforeRestart = new BlacklistQueryBudget(Time);
        Assert.True(await beforeRestart.TryAcquireAsync(zone, CancellationToken.None));
        Assert.True(await beforeRestart.TryAcquireAsync(zone, CancellationToken.None));
        await BlacklistStore.SaveQueryCountsAsync(beforeRestart.Snapshot());

        var afterRestart = new BlacklistQueryBudget(Time);
        afterRestart.Restore(await BlacklistStore.GetQueryCountsAsync(Today()));

        Assert.Equal(2, afterRestart.UsedToday(zone));
        Assert.True(await afterRestart.TryAcquireAsync(zone, CancellationToken.None));
        Assert.False(await afterRestart.TryAcquireAsync(zone, CancellationToken.None));
        await BlacklistStore.SaveQueryCountsAsync(afterRestart.Snapshot());
        Assert.Equal(3, Assert.Single(await BlacklistStore.GetQueryCountsAsync(Today())).Used);
    }

    [Fact]
    public async Task Yesterdays_query_counts_do_not_count_today()
    {
        var yesterday = new BlacklistQueryBudget(Time);
        Assert.True(await yesterday.TryAcquireAsync(Zen, CancellationToken.None));
        await BlacklistStore.SaveQueryCountsAsync(yesterday.Snapshot());
        var storedDay = Today();

        Time.Advance(TimeSpan.FromDays(1));
        var today = new BlacklistQueryBudget(Time);
        today.Restore(await BlacklistStore.GetQueryCountsAsync(storedDay));

        Assert.Equal(0, today.UsedToday(Zen));
        Assert.Empty(await BlacklistStore.GetQueryCountsAsync(Today()));
    }

    [Fact]
    public async Task Checks_ending_at_once_on_a_new_day_both_store_their_counts_and_the_higher_one_is_kept()
    {
        // A scheduled check and a check on demand (and another node's store) save the day's first row at the same moment.
        var budgets = Enumerable.Range(1, 4).Select(_ => new BlacklistQueryBudget(Time)).ToArray();
        for (var i = 0; i < budgets.Length; i++)
        {
            for (var query = 0; query <= i; query++)
            {
                Assert.True(await budgets[i].TryAcquireAsync(Zen, CancellationToken.None));
            }
        }

        var otherNode = new BlacklistStore(Contexts);
        var store = BlacklistStore;
        await Task.WhenAll(budgets.Select((b, i) => Task.Run(() => (i % 2 == 0 ? store : otherNode).SaveQueryCountsAsync(b.Snapshot()))));

        var stored = Assert.Single(await BlacklistStore.GetQueryCountsAsync(Today()));
        Assert.Equal((Zen.Name, 4), (stored.Zone, stored.Used));
    }

    private DateOnly Today() => DateOnly.FromDateTime(Time.GetUtcNow().UtcDateTime);

    private Task<IReadOnlyList<BlacklistEventRow>> Save(params BlacklistVerdict[] verdicts) => BlacklistStore.SaveAsync(Report(verdicts), Time.GetUtcNow());

    private static BlacklistReport Report(params BlacklistVerdict[] verdicts) => new(verdicts, []);

    private static BlacklistVerdict Listed(BlacklistZone zone, params string[] codes) =>
        new(Ip, zone, BlacklistStatus.Listed, codes.Select(IPAddress.Parse).ToArray(), "listed") { Meaning = "listed for a reason" };

    private static BlacklistVerdict NotListed(BlacklistZone zone) => new(Ip, zone, BlacklistStatus.NotListed, [], "not listed");
}

public sealed class SqliteBlacklistStoreTests : BlacklistStoreTests
{
    protected override StorageProvider Provider => StorageProvider.Sqlite;

    protected override string ConnectionString => SqliteConnectionString;
}

public sealed class PostgresBlacklistStoreTests(PostgresFixture postgres) : BlacklistStoreTests, IClassFixture<PostgresFixture>
{
    private readonly string _database = "blstore_" + Guid.NewGuid().ToString("N");

    protected override StorageProvider Provider => StorageProvider.Postgres;

    protected override string ConnectionString => postgres.Server.ConnectionString(_database);
}
