using Microsoft.Extensions.Time.Testing;
using Deliverability.Core.Blacklists;
using Deliverability.Core.Dns;
using Deliverability.Testing.Dns;

namespace Deliverability.Core.Tests.Blacklists;

/// <summary>
/// Answer cache and query budgets, measured by the queries a real DNS server on 127.0.0.1 receives while a
/// <see cref="FakeTimeProvider"/> stands in for the clock. The test server gives every record a TTL of 300 s. A patient
/// resolver (5 s): a retry after a 1 s miss on busy cores would add a query that is not under test.
/// </summary>
public sealed class BlacklistBudgetAndCacheTests : IAsyncLifetime
{
    private static readonly BlacklistZone Zen = BlacklistZones.SpamhausZen with { Name = "zen.test" };

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero));
    private TestDnsServer _dns = null!;

    public Task InitializeAsync()
    {
        _dns = TestDnsServer.Start(new TestZone()
            .A("2.0.0.127.zen.test", "127.0.0.2")
            .A("1.2.0.192.zen.test", "127.0.0.2")
            .ServFail("9.2.0.192.zen.test"));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _dns.DisposeAsync();

    [Fact]
    public async Task Second_check_within_the_ttl_asks_dns_nothing_self_test_included()
    {
        var checker = Checker(new BlacklistCacheOptions());
        var first = await checker.CheckAsync([Ip("192.0.2.1"), Ip("192.0.2.2")], [Zen]);
        var asked = _dns.QueryCount;

        _time.Advance(TimeSpan.FromSeconds(60));
        var second = await checker.CheckAsync([Ip("192.0.2.1"), Ip("192.0.2.2")], [Zen]);

        Assert.Equal(4, asked); // two self-test probes, two targets (the listing's TXT reason is off here)
        Assert.Equal(asked, _dns.QueryCount);
        Assert.Equal(first.Verdicts.Select(v => v.Status), second.Verdicts.Select(v => v.Status));
        Assert.Equal(BlacklistZoneHealthStatus.Healthy, Assert.Single(second.Zones).Status);
    }

    [Fact]
    public async Task Listing_answers_are_asked_again_once_their_ttl_has_passed()
    {
        var checker = Checker(new BlacklistCacheOptions { NegativeTtl = TimeSpan.FromHours(1) });
        await checker.CheckAsync([Ip("192.0.2.1")], [Zen]);
        var asked = _dns.QueryCount;

        _time.Advance(TimeSpan.FromSeconds(299));
        await checker.CheckAsync([Ip("192.0.2.1")], [Zen]);
        Assert.Equal(asked, _dns.QueryCount);

        _time.Advance(TimeSpan.FromSeconds(2));
        await checker.CheckAsync([Ip("192.0.2.1")], [Zen]);
        Assert.Equal(asked + 2, _dns.QueryCount); // the target's listing and the 127.0.0.2 probe; 127.0.0.1's NXDOMAIN is still kept
    }

    [Fact]
    public async Task Not_listed_answers_are_kept_for_the_negative_ttl_only()
    {
        var checker = Checker(new BlacklistCacheOptions { NegativeTtl = TimeSpan.FromSeconds(30) });
        await checker.CheckAsync([Ip("192.0.2.2")], [Zen]);
        var asked = _dns.QueryCount;

        _time.Advance(TimeSpan.FromSeconds(29));
        await checker.CheckAsync([Ip("192.0.2.2")], [Zen]);
        Assert.Equal(asked, _dns.QueryCount);

        _time.Advance(TimeSpan.FromSeconds(2));
        var verdict = Assert.Single((await checker.CheckAsync([Ip("192.0.2.2")], [Zen])).Verdicts);
        Assert.Equal(asked + 2, _dns.QueryCount); // the target and the 127.0.0.1 probe; 127.0.0.2 is listed for 300 s
        Assert.Equal(BlacklistStatus.NotListed, verdict.Status);
    }

    [Fact]
    public async Task Failures_are_never_cached()
    {
        var checker = Checker(new BlacklistCacheOptions());
        var first = Assert.Single((await checker.CheckAsync([Ip("192.0.2.9")], [Zen])).Verdicts);
        var asked = _dns.QueryCount;

        var second = Assert.Single((await checker.CheckAsync([Ip("192.0.2.9")], [Zen])).Verdicts);

        Assert.Equal(BlacklistStatus.Error, first.Status);
        Assert.Equal(BlacklistStatus.Error, second.Status);
        Assert.True(_dns.QueryCount > asked, "the SERVFAIL name must be asked again");
    }

    [Fact]
    public async Task Cache_off_asks_every_time()
    {
        var checker = Checker(new BlacklistCacheOptions { Enabled = false });
        await checker.CheckAsync([Ip("192.0.2.1")], [Zen]);
        var asked = _dns.QueryCount;

        await checker.CheckAsync([Ip("192.0.2.1")], [Zen]);

        Assert.Equal(2 * asked, _dns.QueryCount);
    }

    [Fact]
    public async Task Zone_over_its_daily_cap_is_not_asked_and_its_verdicts_are_capped_errors()
    {
        var capped = Zen with { DailyCap = 3 };
        var checker = Checker(new BlacklistCacheOptions());
        var first = Assert.Single((await checker.CheckAsync([Ip("192.0.2.1")], [capped])).Verdicts);
        var asked = _dns.QueryCount;

        var second = Assert.Single((await checker.CheckAsync([Ip("192.0.2.2")], [capped])).Verdicts);

        Assert.Equal(BlacklistStatus.Listed, first.Status);
        Assert.Equal(3, asked);
        Assert.Equal(asked, _dns.QueryCount);
        Assert.Equal(BlacklistStatus.Error, second.Status);
        Assert.True(second.Capped);
        Assert.False(second.IsDefinitive);
        Assert.Contains("daily cap of 3 queries", second.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Daily_cap_starts_again_on_the_next_utc_day()
    {
        var capped = Zen with { DailyCap = 3 };
        var checker = Checker(new BlacklistCacheOptions { Enabled = false });
        await checker.CheckAsync([Ip("192.0.2.1")], [capped]);
        Assert.True(Assert.Single((await checker.CheckAsync([Ip("192.0.2.1")], [capped])).Verdicts).Capped);

        _time.Advance(TimeSpan.FromHours(14)); // 10:00 -> 00:00 the next day
        var verdict = Assert.Single((await checker.CheckAsync([Ip("192.0.2.1")], [capped])).Verdicts);

        Assert.Equal(BlacklistStatus.Listed, verdict.Status);
        Assert.Equal(6, _dns.QueryCount);
    }

    [Fact]
    public async Task Self_test_over_the_cap_makes_the_zone_capped_and_no_answer_a_verdict()
    {
        var capped = Zen with { DailyCap = 1 };
        var report = await Checker(new BlacklistCacheOptions()).CheckAsync([Ip("192.0.2.1")], [capped]);

        Assert.Equal(BlacklistZoneHealthStatus.Capped, Assert.Single(report.Zones).Status);
        var verdict = Assert.Single(report.Verdicts);
        Assert.Equal(BlacklistStatus.Error, verdict.Status);
        Assert.True(verdict.Capped);
        Assert.Equal(1, _dns.QueryCount);
    }

    [Fact]
    public async Task Rate_limit_lets_a_second_worth_through_then_each_query_waits_its_turn_on_the_clock()
    {
        var budget = new BlacklistQueryBudget(_time);
        var zone = Zen with { RateLimitPerSecond = 2 };

        Assert.True(await budget.TryAcquireAsync(zone, CancellationToken.None));
        Assert.True(await budget.TryAcquireAsync(zone, CancellationToken.None));
        var third = budget.TryAcquireAsync(zone, CancellationToken.None).AsTask();
        var fourth = budget.TryAcquireAsync(zone, CancellationToken.None).AsTask();

        Assert.False(third.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.True(await third);
        Assert.False(fourth.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.True(await fourth);
        Assert.Equal(4, budget.UsedToday(zone));
    }

    [Fact]
    public async Task Rate_limited_check_completes_as_the_clock_moves_and_every_answer_is_a_verdict()
    {
        var slow = Zen with { RateLimitPerSecond = 1 };
        var check = Checker(new BlacklistCacheOptions()).CheckAsync([Ip("192.0.2.1"), Ip("192.0.2.2")], [slow]);

        // Four queries at one a second: the clock must move three seconds; each step is taken once a query waits on it.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!check.IsCompleted && DateTime.UtcNow < deadline)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(50);
        }

        var report = await check;
        Assert.Equal([BlacklistStatus.Listed, BlacklistStatus.NotListed], report.Verdicts.Select(v => v.Status));
        Assert.Equal(4, _dns.QueryCount);
    }

    private BlacklistChecker Checker(BlacklistCacheOptions cache) => new(
        new DnsStubResolver(new DnsOptions { NameServers = [_dns.Endpoint], TimeoutSeconds = 5, Retries = 1, UseCache = false }),
        new BlacklistCheckerOptions { QueryReasonText = false },
        new BlacklistAnswerCache(cache, _time),
        new BlacklistQueryBudget(_time));

    private static BlacklistTarget Ip(string text) => BlacklistTarget.Parse(text);
}
