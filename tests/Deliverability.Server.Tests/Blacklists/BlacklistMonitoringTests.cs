using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Deliverability.Core.Alerts;
using Deliverability.Core.Blacklists;
using Deliverability.Core.Dns;
using Deliverability.Core.Live;
using Deliverability.Core.Monitoring;
using Deliverability.Server.Blacklists;
using Deliverability.Testing.Dns;
using Deliverability.Testing.Postgres;

namespace Deliverability.Server.Tests.Blacklists;

/// <summary>
/// The blacklist job and API against block lists served by the fixture's real DNS server on 127.0.0.1: Spamhaus ZEN
/// and DBL under their real names (nothing leaves the machine), a wildcard list and a list that never answers.
/// </summary>
public sealed class BlacklistMonitoringTests : ServiceFixture
{
    private const string Zen = "zen.spamhaus.org";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        ServeLists(Dns.Zone);
    }

    /// <summary>The block lists the tests ask, served by <paramref name="zone"/>.</summary>
    internal static void ServeLists(TestZone zone) =>
        zone
            .A("2.0.0.127.zen.spamhaus.org", "127.0.0.2")
            .A("1.2.0.192.zen.spamhaus.org", "127.0.0.2").A("1.2.0.192.zen.spamhaus.org", "127.0.0.4")
            .Txt("1.2.0.192.zen.spamhaus.org", "https://check.spamhaus.org/sbl/query/SBL1")
            .A("10.2.0.192.zen.spamhaus.org", "127.255.255.252")
            .A("11.2.0.192.zen.spamhaus.org", "127.255.255.254")
            .A("12.2.0.192.zen.spamhaus.org", "127.255.255.255")
            .A("13.2.0.192.zen.spamhaus.org", "127.0.0.2").A("13.2.0.192.zen.spamhaus.org", "127.255.255.254")
            .A("test.dbl.spamhaus.org", "127.0.1.2")
            .A("spam.example.test.dbl.spamhaus.org", "127.0.1.2")
            .A("asked-by-ip.example.test.dbl.spamhaus.org", "127.0.1.255")
            // A wildcard list: everything is "listed", 127.0.0.1 included.
            .A("2.0.0.127.wild.example.test", "127.0.0.2").A("1.0.0.127.wild.example.test", "127.0.0.2").A("1.2.0.192.wild.example.test", "127.0.0.2")
            .A("2.2.0.192.wild.example.test", "127.0.0.2")
            // A list that never answers.
            .Timeout("2.0.0.127.slow.example.test").Timeout("1.0.0.127.slow.example.test").Timeout("1.2.0.192.slow.example.test");

    [Theory]
    [InlineData("192.0.2.1", "listed")]
    [InlineData("192.0.2.2", "not_listed")]
    [InlineData("192.0.2.10", "refused")]
    [InlineData("192.0.2.11", "refused")]
    [InlineData("192.0.2.12", "refused")]
    [InlineData("192.0.2.13", "refused")]
    public async Task Check_now_gives_each_ip_its_status_and_a_refusal_code_is_never_listed(string ip, string status)
    {
        await using var app = StartService([.. OnlyZones(Zen), ("Monitor:Blacklists:Targets:0", ip)]);
        var client = app.CreateClient();

        var response = await client.PostAsync($"/api/blacklists/{ip}/check", null);

        response.EnsureSuccessStatusCode();
        var target = (await response.Content.ReadFromJsonAsync<BlacklistTargetDto>())!;
        var result = Assert.Single(target.Results);
        Assert.Equal((Zen, status), (result.Zone, result.Status));
        var events = (await client.GetFromJsonAsync<BlacklistEventDto[]>("/api/blacklists/events"))!;
        if (status == "listed")
        {
            Assert.Equal(("listed", 1), (result.State, target.ListedOn));
            Assert.Equal(["127.0.0.2", "127.0.0.4"], result.Codes);
            Assert.Contains("SBL", result.Meaning, StringComparison.Ordinal);
            Assert.Equal("https://check.spamhaus.org/sbl/query/SBL1", result.Reason);
            Assert.Equal("https://check.spamhaus.org/", result.DelistUrl);
            Assert.Equal([("listed", ip, Zen)], events.Select(e => (e.Kind, e.Target, e.Zone)));
        }
        else
        {
            Assert.Equal(status == "not_listed" ? "not_listed" : null, result.State);
            Assert.Equal(0, target.ListedOn);
            Assert.Empty(events);
        }

        if (status == "refused")
        {
            Assert.Contains("this is not a listing", result.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Domain_lists_check_the_configured_domain_names()
    {
        await using var app = StartService([.. OnlyZones("dbl.spamhaus.org"), .. Domains("spam.example.test", "clean.example.test", "asked-by-ip.example.test")]);
        var client = app.CreateClient();

        var overview = (await (await client.PostAsync("/api/blacklists/check", null)).Content.ReadFromJsonAsync<BlacklistOverviewDto>())!;

        Assert.Equal(
            [("spam.example.test", "listed"), ("clean.example.test", "not_listed"), ("asked-by-ip.example.test", "refused")],
            overview.Targets.Select(t => (t.Target, Assert.Single(t.Results).Status!)));
        Assert.Equal((3, 1, 1, 1, 1), (overview.Summary.Targets, overview.Summary.ListedTargets, overview.Summary.Listings, overview.Summary.NoVerdict, overview.Summary.Zones));
        Assert.Equal(("healthy", "domain"), (overview.Zones.Single().Health, overview.Zones.Single().Kind));
    }

    [Fact]
    public async Task Wildcard_list_is_unhealthy_and_its_listed_answers_are_untrusted_errors_without_events()
    {
        await using var app = StartService([.. OnlyZones(Zen), .. Zone(1, "wild.example.test=127.0.0.2"), ("Monitor:Blacklists:Targets:0", "192.0.2.1"), ("Monitor:Blacklists:Targets:1", "192.0.2.2")]);
        var client = app.CreateClient();

        var overview = (await (await client.PostAsync("/api/blacklists/check", null)).Content.ReadFromJsonAsync<BlacklistOverviewDto>())!;

        var wild = overview.Zones.Single(z => z.Zone == "wild.example.test");
        Assert.Equal("unhealthy", wild.Health);
        Assert.Contains("answers 'listed' for everything", wild.HealthReason, StringComparison.Ordinal);
        var answers = overview.Targets.Select(t => t.Results.Single(r => r.Zone == "wild.example.test")).ToList();
        Assert.All(answers, r => Assert.Equal(("error", true, (string?)null), (r.Status, r.Untrusted, r.State)));
        Assert.Equal(1, overview.Summary.UnhealthyZones);
        Assert.Equal(1, overview.Summary.Listings); // 192.0.2.1 on ZEN only
        Assert.DoesNotContain((await client.GetFromJsonAsync<BlacklistEventDto[]>("/api/blacklists/events"))!, e => e.Zone == "wild.example.test");
    }

    [Fact]
    public async Task List_that_times_out_is_an_error_and_the_other_lists_still_answer()
    {
        await using var app = StartService([.. OnlyZones(Zen), .. Zone(1, "slow.example.test=127.0.0.2"), ("Monitor:Blacklists:Targets:0", "192.0.2.1"), ("Dns:TimeoutSeconds", "1"), ("Dns:Retries", "0")]);
        var client = app.CreateClient();

        var target = (await (await client.PostAsync("/api/blacklists/192.0.2.1/check", null)).Content.ReadFromJsonAsync<BlacklistTargetDto>())!;

        var slow = target.Results.Single(r => r.Zone == "slow.example.test");
        Assert.Equal(("error", (string?)null), (slow.Status, slow.State));
        Assert.Contains("timed out", slow.Message, StringComparison.Ordinal);
        Assert.Equal("listed", target.Results.Single(r => r.Zone == Zen).Status);
        var overview = (await client.GetFromJsonAsync<BlacklistOverviewDto>("/api/blacklists"))!;
        Assert.Equal("unreachable", overview.Zones.Single(z => z.Zone == "slow.example.test").Health);
    }

    [Fact]
    public async Task Scheduled_job_checks_every_target_and_stores_the_statuses()
    {
        await using var app = StartService([
            .. OnlyZones(Zen), .. Domains("example.test"),
            ("Monitor:Domains:0:SendingIps:0", "192.0.2.1"), ("Monitor:Domains:0:SendingIps:1", "192.0.2.11"), ("Monitor:Blacklists:Targets:0", "192.0.2.2"),
            ("Monitor:Blacklists:FirstRunDelay", "00:00:00"), ("Monitor:Blacklists:Schedule", "00:00:01")]);
        var client = app.CreateClient();

        var overview = await PollAsync(client, o => o.Targets.All(t => t.Results.All(r => r.Status is not null)));

        Assert.Equal(
            [("192.0.2.1", "listed"), ("192.0.2.11", "refused"), ("192.0.2.2", "not_listed")],
            overview.Targets.Where(t => t.Kind == "ip").Select(t => (t.Target, Assert.Single(t.Results).Status!)));
        Assert.Equal("healthy", overview.Zones.Single().Health);
        Assert.Contains("blacklist-check-schedule", await TriggersAsync("blacklist-check")); // the first-run trigger is gone once fired
        // The job runs every second: the listing that continues stays one event.
        await PollAsync(client, o => o.Targets.First(t => t.Target == "192.0.2.1").Results.Single().CheckedAt > overview.Targets.First(t => t.Target == "192.0.2.1").Results.Single().CheckedAt);
        Assert.Single((await client.GetFromJsonAsync<BlacklistEventDto[]>("/api/blacklists/events"))!);
    }

    [Fact]
    public async Task Listing_then_delisting_stores_both_events_with_their_times_and_the_duration_and_publishes_them()
    {
        // 23:00 UTC today, so the listing and the delisting fall on two UTC days (the day's query counts start again).
        var time = new FakeTimeProvider(new DateTimeOffset(DateTime.UtcNow.Date.AddHours(23), TimeSpan.Zero));
        // Quartz runs on the container's clock too: without a day's delay, advancing it 2 h fires the scheduled check
        // alongside the test's own (see Checks_ending_at_once_on_a_new_day_... in the store tests for that race).
        await using var service = StartService([
            .. OnlyZones(Zen), ("Monitor:Blacklists:Targets:0", "192.0.2.1"),
            ("Monitor:Blacklists:FirstRunDelay", "1.00:00:00"), ("Monitor:Blacklists:Schedule", "1.00:00:00"),
            ("Monitor:Audit:FirstRunDelay", "1.00:00:00"), ("Monitor:Audit:Schedule", "1.00:00:00")]);
        await using var app = service.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(time)));
        var client = app.CreateClient();
        var published = new List<BlacklistChanged>();
        using var subscription = app.Services.GetRequiredService<LiveFeed<BlacklistChanged>>().Subscribe(change =>
        {
            lock (published)
            {
                published.Add(change);
            }

            return Task.CompletedTask;
        });

        var listedAt = time.GetUtcNow();
        (await client.PostAsync("/api/blacklists/192.0.2.1/check", null)).EnsureSuccessStatusCode();
        time.Advance(TimeSpan.FromHours(2) + TimeSpan.FromMinutes(15));
        Dns.Zone.Remove("1.2.0.192.zen.spamhaus.org");
        var after = (await (await client.PostAsync("/api/blacklists/192.0.2.1/check", null)).Content.ReadFromJsonAsync<BlacklistTargetDto>())!;

        Assert.Equal(("not_listed", "not_listed"), (after.Results.Single().Status, after.Results.Single().State));
        var events = (await client.GetFromJsonAsync<BlacklistEventDto[]>("/api/blacklists/events?target=192.0.2.1&zone=zen.spamhaus.org"))!;
        Assert.Equal(2, events.Length);
        Assert.Equal(("delisted", time.GetUtcNow(), listedAt, (double?)8100), (events[0].Kind, events[0].At, events[0].ListedSince, events[0].DurationSeconds));
        Assert.Equal(("listed", listedAt), (events[1].Kind, events[1].At));
        Assert.Equal(["127.0.0.2", "127.0.0.4"], events[1].Codes);
        Assert.Equal(["delisted"], (await client.GetFromJsonAsync<BlacklistEventDto[]>("/api/blacklists/events?limit=1"))!.Select(e => e.Kind));
        await PollUntil(() => { lock (published) { return published.Count == 2; } });
        Assert.Equal([("listed", (TimeSpan?)null), ("delisted", TimeSpan.FromSeconds(8100))], published.Select(p => (p.Kind, p.Duration)));
    }

    [Fact]
    public async Task Domain_added_in_the_dashboard_and_its_sending_ip_are_checked_their_listings_stored_and_alerted_with_the_domain()
    {
        await using var app = StartService([.. OnlyZones(Zen, "dbl.spamhaus.org"), ("Monitor:Blacklists:Targets:0", "192.0.2.2")]);
        var client = app.CreateClient();
        var catalog = app.Services.GetRequiredService<MonitoredDomainCatalog>();
        Assert.True(await catalog.AddAsync(new MonitoredDomain { Name = "spam.example.test", SendingIps = ["192.0.2.1"] }, "admin", CancellationToken.None));

        var overview = (await (await client.PostAsync("/api/blacklists/check", null)).Content.ReadFromJsonAsync<BlacklistOverviewDto>())!;

        Assert.Equal(
            [("spam.example.test", "dbl.spamhaus.org", "listed"), ("192.0.2.1", Zen, "listed"), ("192.0.2.2", Zen, "not_listed")],
            overview.Targets.SelectMany(t => t.Results.Select(r => (t.Target, r.Zone, r.Status!))));
        var events = (await client.GetFromJsonAsync<BlacklistEventDto[]>("/api/blacklists/events"))!;
        Assert.Equal([("192.0.2.1", Zen), ("spam.example.test", "dbl.spamhaus.org")], events.Select(e => (e.Target, e.Zone)).Order());
        var signals = await app.Services.GetServices<IAlertSignalSource>().OfType<BlacklistAlertSignals>().Single().GetSignalsAsync(CancellationToken.None);
        Assert.Equal(
            [("192.0.2.1", "spam.example.test"), ("spam.example.test", "spam.example.test")],
            signals.Cast<BlacklistListingSignal>().Select(l => (l.Target, l.Domain)).Order());
    }

    [Fact]
    public async Task Sending_ip_added_to_a_dashboard_domain_becomes_a_target_without_waiting_for_a_check_and_a_removed_domain_stops_being_one()
    {
        await using var app = StartService([.. OnlyZones(Zen)]);
        var client = app.CreateClient();
        var catalog = app.Services.GetRequiredService<MonitoredDomainCatalog>();
        var monitor = app.Services.GetRequiredService<BlacklistMonitor>();
        await catalog.AddAsync(new MonitoredDomain { Name = "shop.example.test", SendingIps = ["192.0.2.1"] }, "admin", CancellationToken.None);

        Assert.True(await catalog.UpdateAsync(new MonitoredDomain { Name = "shop.example.test", SendingIps = ["192.0.2.1", "192.0.2.2"] }, CancellationToken.None));
        await PollUntil(() => monitor.Targets.Any(t => t.Text == "192.0.2.2"));
        var checkedNow = (await (await client.PostAsync("/api/blacklists/192.0.2.2/check", null)).Content.ReadFromJsonAsync<BlacklistTargetDto>())!;
        Assert.Equal("not_listed", checkedNow.Results.Single().Status);

        Assert.True(await catalog.RemoveAsync(DomainName.Parse("shop.example.test"), CancellationToken.None));
        await PollUntil(() => monitor.Targets.Count == 0);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/api/blacklists/192.0.2.2/check", null)).StatusCode);
    }

    [Fact]
    public async Task Restart_keeps_every_event_and_does_not_repeat_a_listing_that_continues()
    {
        (string, string?)[] settings = [.. OnlyZones(Zen), ("Monitor:Blacklists:Targets:0", "192.0.2.1"), ("Monitor:Blacklists:Cache:Enabled", "false")];
        await using (var first = StartService(settings))
        {
            (await first.CreateClient().PostAsync("/api/blacklists/check", null)).EnsureSuccessStatusCode();
        }

        SqliteConnection.ClearAllPools();
        await using var second = StartService(settings);
        var client = second.CreateClient();
        var before = (await client.GetFromJsonAsync<BlacklistEventDto[]>("/api/blacklists/events"))!;
        var listed = (await (await client.PostAsync("/api/blacklists/check", null)).Content.ReadFromJsonAsync<BlacklistOverviewDto>())!;
        var afterRecheck = (await client.GetFromJsonAsync<BlacklistEventDto[]>("/api/blacklists/events"))!;
        Dns.Zone.Remove("1.2.0.192.zen.spamhaus.org");
        (await client.PostAsync("/api/blacklists/192.0.2.1/check", null)).EnsureSuccessStatusCode();
        var afterDelisting = (await client.GetFromJsonAsync<BlacklistEventDto[]>("/api/blacklists/events"))!;

        var original = Assert.Single(before);
        Assert.Equal("listed", original.Kind);
        Assert.Equal(("listed", original.At), (listed.Targets.Single().Results.Single().State, listed.Targets.Single().Results.Single().ListedSince!.Value));
        Assert.Equal([original.Id], afterRecheck.Select(e => e.Id));
        Assert.Equal(["delisted", "listed"], afterDelisting.Select(e => e.Kind));
        Assert.Equal(original.At, afterDelisting[0].ListedSince);
    }

    [Fact]
    public async Task List_over_its_daily_cap_is_not_asked_keeps_the_listing_and_says_why()
    {
        // One check costs 4 queries: the two self-test probes, the listing and its TXT reason.
        await using var app = StartService([
            .. OnlyZones(Zen), .. Zone(1, Zen), ("Monitor:Blacklists:Zones:1:DailyCap", "4"),
            ("Monitor:Blacklists:Cache:Enabled", "false"), ("Monitor:Blacklists:Targets:0", "192.0.2.1")]);
        var client = app.CreateClient();
        (await client.PostAsync("/api/blacklists/check", null)).EnsureSuccessStatusCode();
        var asked = Dns.QueryCount;
        Dns.Zone.Remove("1.2.0.192.zen.spamhaus.org"); // delisted meanwhile, but the list may not be asked today

        var overview = (await (await client.PostAsync("/api/blacklists/check", null)).Content.ReadFromJsonAsync<BlacklistOverviewDto>())!;

        Assert.Equal(asked, Dns.QueryCount);
        var result = overview.Targets.Single().Results.Single();
        Assert.Equal(("error", true, "listed"), (result.Status, result.Capped, result.State));
        Assert.Contains("daily cap of 4 queries", result.Message, StringComparison.Ordinal);
        Assert.Contains("the last known state is kept: listed since", result.Message, StringComparison.Ordinal);
        Assert.Equal(("capped", 4, 4), (overview.Zones.Single().Health, overview.Zones.Single().QueriesToday, overview.Zones.Single().DailyCap));
        Assert.Equal(["listed"], (await client.GetFromJsonAsync<BlacklistEventDto[]>("/api/blacklists/events"))!.Select(e => e.Kind));
    }

    [Fact]
    public async Task Unknown_target_is_404_and_a_bad_limit_or_target_is_400()
    {
        await using var app = StartService([.. OnlyZones(Zen), ("Monitor:Blacklists:Targets:0", "192.0.2.1")]);
        var client = app.CreateClient();

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/blacklists/198.51.100.1")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/api/blacklists/198.51.100.1/check", null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/blacklists/events?limit=0")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/blacklists/events?target=300.1.1.1")).StatusCode);
        var notChecked = (await client.GetFromJsonAsync<BlacklistTargetDto>("/api/blacklists/192.0.2.1"))!;
        Assert.Equal(("192.0.2.1", "ip", (string?)null), (notChecked.Target, notChecked.Kind, notChecked.Results.Single().Status));
    }

    /// <summary>Settings that disable every default list except <paramref name="keep"/>.</summary>
    internal static (string, string?)[] OnlyZones(params string[] keep) =>
        BlacklistZones.Defaults.Where(z => !keep.Contains(z.Name)).SelectMany((z, i) => Zone(100 + i, z.Name, enabled: false)).ToArray();

    private static (string, string?)[] Zone(int index, string spec, bool enabled = true) =>
        [($"Monitor:Blacklists:Zones:{index}:Zone", spec), ($"Monitor:Blacklists:Zones:{index}:Enabled", enabled ? "true" : "false")];

    private async Task<string[]> TriggersAsync(string job)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(DataFolder, "monitor.db")};Mode=ReadOnly;Pooling=false");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT TRIGGER_NAME FROM QRTZ_TRIGGERS WHERE JOB_NAME = $job ORDER BY TRIGGER_NAME";
        command.Parameters.AddWithValue("$job", job);
        var triggers = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            triggers.Add(reader.GetString(0));
        }

        return [.. triggers];
    }

    // Generous: the job's first run and the 2 shared cores decide how long this takes; nothing here measures time.
    private static async Task<BlacklistOverviewDto> PollAsync(HttpClient client, Func<BlacklistOverviewDto, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var overview = (await client.GetFromJsonAsync<BlacklistOverviewDto>("/api/blacklists"))!;
            if (done(overview))
            {
                return overview;
            }

            Assert.True(DateTime.UtcNow < deadline, "The scheduled blacklist check did not store the expected results in time");
            await Task.Delay(200);
        }
    }

    private static async Task PollUntil(Func<bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!done())
        {
            Assert.True(DateTime.UtcNow < deadline, "The live feed did not deliver the events in time");
            await Task.Delay(50);
        }
    }
}

/// <summary>The blacklist job, store and API on PostgreSQL (states, events and the Quartz job store all live there).</summary>
public sealed class PostgresBlacklistMonitoringTests(PostgresFixture postgres) : ServiceFixture, IClassFixture<PostgresFixture>
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        BlacklistMonitoringTests.ServeLists(Dns.Zone);
    }

    [Fact]
    public async Task Scheduled_check_on_postgres_stores_the_listing_and_a_restart_neither_loses_nor_repeats_it()
    {
        (string, string?)[] settings =
        [
            .. BlacklistMonitoringTests.OnlyZones("zen.spamhaus.org"),
            ("Monitor:Blacklists:Targets:0", "192.0.2.1"),
            ("Storage:Provider", "Postgres"),
            ("Storage:ConnectionString", postgres.Server.ConnectionString("monitor")),
            ("Monitor:Blacklists:FirstRunDelay", "00:00:00"),
            ("Monitor:Blacklists:Schedule", "01:00:00"),
        ];

        BlacklistEventDto[] before;
        await using (var first = StartService(settings))
        {
            var client = first.CreateClient();
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while ((before = (await client.GetFromJsonAsync<BlacklistEventDto[]>("/api/blacklists/events"))!).Length == 0)
            {
                Assert.True(DateTime.UtcNow < deadline, "The scheduled blacklist check stored nothing on PostgreSQL.");
                await Task.Delay(200);
            }
        }

        await using var second = StartService([.. settings, ("Monitor:Blacklists:FirstRunDelay", "01:00:00")]);
        var restarted = second.CreateClient();
        var target = (await (await restarted.PostAsync("/api/blacklists/192.0.2.1/check", null)).Content.ReadFromJsonAsync<BlacklistTargetDto>())!;

        var listed = Assert.Single(before);
        Assert.Equal(("listed", "192.0.2.1", "zen.spamhaus.org"), (listed.Kind, listed.Target, listed.Zone));
        Assert.Equal(("listed", "listed", listed.At), (target.Results.Single().Status, target.Results.Single().State, target.Results.Single().ListedSince!.Value));
        Assert.Equal([listed.Id], (await restarted.GetFromJsonAsync<BlacklistEventDto[]>("/api/blacklists/events"))!.Select(e => e.Id));
    }
}
