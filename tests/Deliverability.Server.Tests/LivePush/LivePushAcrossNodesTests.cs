using System.Net.Http.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using Deliverability.Contracts.Alerts;
using Deliverability.Core.Alerts;
using Deliverability.Core.Live;
using Deliverability.Server.Alerts;
using Deliverability.Testing.Logging;
using Deliverability.Testing.Postgres;
using Deliverability.Testing.Redis;

namespace Deliverability.Server.Tests.LivePush;

/// <summary>
/// Two nodes on one PostgreSQL database and one Redis (<c>Monitor:LiveFeed:Redis</c>): an alert raised and acknowledged
/// through node A's API reaches node B's live feed, B's shared alert panel and B's SignalR clients.
/// </summary>
public sealed class LivePushAcrossNodesTests(PostgresFixture postgres, RedisFixture redis)
    : ServiceFixture, IClassFixture<PostgresFixture>, IClassFixture<RedisFixture>
{
    private const string Domain = "shop.test";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private (string, string?)[] NodeSettings(string database, string evaluationInterval) =>
    [
        .. Domains(Domain),
        ("Storage:Provider", "Postgres"),
        ("Storage:ConnectionString", postgres.Server.ConnectionString(database)),
        ("Monitor:LiveFeed:Redis", redis.Server.ConnectionString),
        ("Monitor:Alerts:EvaluationInterval", evaluationInterval),
        ("Monitor:Alerts:Rules:CheckStatus:ForRuns", "1"),
        ("Monitor:Alerts:Rules:StaleData:Enabled", "false"),
    ];

    [Fact]
    public async Task An_alert_raised_and_acknowledged_on_node_a_reaches_node_b_feed_panel_and_hub_clients()
    {
        Dns.Zone.Txt(MarkerCheck.RecordName(Domain), "broken");
        // A evaluates every second; B would only at its start and in ten minutes, so whatever B hears came from A.
        await using var nodeA = StartService(NodeSettings("across", "00:00:01"));
        var clientA = nodeA.CreateClientAs("Operator");
        await using var nodeB = StartService(NodeSettings("across", "00:10:00")).StartOnKestrel();
        await WaitUntilHealthyAsync(nodeA.CreateClient());
        await WaitUntilHealthyAsync(nodeB.CreateClient());

        var onB = Channel.CreateUnbounded<AlertChanged>();
        using var subscription = nodeB.Services.GetRequiredService<LiveFeed<AlertChanged>>().Subscribe(c => onB.Writer.WriteAsync(c).AsTask());
        var hubOnB = Channel.CreateUnbounded<AlertChangedMessage>();
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(new Uri(nodeB.BaseUrl + "/"), AlertsHub.Path.TrimStart('/')), o => o.Headers.Add(TestApiKeys.Header, TestApiKeys.Viewer))
            .Build();
        hub.On<AlertChangedMessage>(AlertsHub.MethodName, m => hubOnB.Writer.TryWrite(m));
        await hub.StartAsync();

        (await clientA.PostAsync($"/api/domains/{Domain}/audit", null)).EnsureSuccessStatusCode();

        var firing = await NextAsync(onB, c => c.To == AlertState.Firing && c.Labels.GetValueOrDefault("domain") == Domain);
        Assert.Null(firing.AcknowledgedBy);
        Assert.Equal("firing", (await NextAsync(hubOnB, m => m.Fingerprint == firing.Fingerprint && m.To == "firing")).To);
        var board = nodeB.Services.GetRequiredService<ActiveAlertsBoard>();
        Assert.Null(Assert.Single((await board.GetAsync(CancellationToken.None)).First, a => a.Fingerprint == firing.Fingerprint).AcknowledgedBy);

        (await clientA.PostAsJsonAsync($"/api/alerts/{firing.Fingerprint}/acknowledge", new { by = "alice" })).EnsureSuccessStatusCode();

        var acknowledged = await NextAsync(onB, c => c.Fingerprint == firing.Fingerprint && c.AcknowledgedBy is not null);
        Assert.Equal("api-key:test-operator", acknowledged.AcknowledgedBy);
        Assert.Equal("api-key:test-operator", (await NextAsync(hubOnB, m => m.Fingerprint == firing.Fingerprint && m.AcknowledgedBy is not null)).AcknowledgedBy);
        // B's shared panel read the alert before; the change announced through Redis made it read again (its own renewal
        // waits 30 s and B changed nothing itself).
        Assert.Equal("api-key:test-operator", Assert.Single((await board.GetAsync(CancellationToken.None)).First, a => a.Fingerprint == firing.Fingerprint).AcknowledgedBy);
        // B's API reads the same database.
        Assert.Equal("api-key:test-operator", (await nodeB.CreateClient().GetFromJsonAsync<AlertDetailDto>($"/api/alerts/{firing.Fingerprint}"))!.Alert.AcknowledgedBy);
    }

    [Fact]
    public async Task A_node_hears_each_event_of_another_node_once_and_never_its_own_twice_and_skips_what_is_not_an_event()
    {
        await using var nodeA = StartService(NodeSettings("once", "00:10:00"));
        await using var nodeB = StartService(NodeSettings("once", "00:10:00"));
        await WaitUntilHealthyAsync(nodeA.CreateClient());
        await WaitUntilHealthyAsync(nodeB.CreateClient());
        var onA = Channel.CreateUnbounded<AlertChanged>();
        var onB = Channel.CreateUnbounded<AlertChanged>();
        using var a = nodeA.Services.GetRequiredService<LiveFeed<AlertChanged>>().Subscribe(c => onA.Writer.WriteAsync(c).AsTask());
        using var b = nodeB.Services.GetRequiredService<LiveFeed<AlertChanged>>().Subscribe(c => onB.Writer.WriteAsync(c).AsTask());

        // Garbage on the channel (too large, not JSON, an unknown feed, a bad event) is dropped; what follows still arrives.
        await using (var other = await ConnectionMultiplexer.ConnectAsync(redis.Server.ConnectionString))
        {
            var channel = RedisChannel.Literal("deliverability-monitor:live");
            await other.GetSubscriber().PublishAsync(channel, new string('x', 100_000));
            await other.GetSubscriber().PublishAsync(channel, "not json");
            await other.GetSubscriber().PublishAsync(channel, """{"node":"elsewhere","feed":"no-such-feed","event":{}}""");
            await other.GetSubscriber().PublishAsync(channel, """{"node":"elsewhere","feed":"alert-changed","event":{"fingerprint":null}}""");
        }

        nodeA.Services.GetRequiredService<LiveFeed<AlertChanged>>().Publish(Change("first"));
        nodeA.Services.GetRequiredService<LiveFeed<AlertChanged>>().Publish(Change("second"));

        Assert.Equal(["first", "second"], [(await NextAsync(onB, _ => true)).Fingerprint, (await NextAsync(onB, _ => true)).Fingerprint]);
        var second = await NextAsync(onA, c => c.Fingerprint == "second");
        Assert.Equal(("second", "CheckFailing", AlertState.Firing, Domain), (second.Fingerprint, second.AlertName, second.To, second.Labels["domain"]));
        // Once more round the channel: had A heard its own events back, they would be queued before this one.
        nodeB.Services.GetRequiredService<LiveFeed<AlertChanged>>().Publish(Change("from-b"));
        Assert.Equal("from-b", (await NextAsync(onA, _ => true)).Fingerprint);
        Assert.Equal("from-b", (await NextAsync(onB, _ => true)).Fingerprint);
        nodeA.Services.GetRequiredService<LiveFeed<AlertChanged>>().Publish(Change("last"));
        Assert.Equal("last", (await NextAsync(onB, _ => true)).Fingerprint);
    }

    [Fact]
    public async Task A_node_whose_redis_is_down_at_start_serves_warns_without_the_password_and_pushes_across_once_redis_is_up()
    {
        await using var down = TestRedisServer.NotStarted();
        var logs = new CapturingLoggerProvider();
        (string, string?)[] settings = [.. NodeSettings("down", "00:10:00"), ("Monitor:LiveFeed:Redis", $"{down.ConnectionString},connectTimeout=1000")];
        await using var nodeA = StartServiceWith(s => s.AddSingleton<ILoggerProvider>(logs), settings);
        var clientA = nodeA.CreateClient();

        // It serves: its API, its dashboard, and /health says the live push is what is wrong.
        Assert.Contains(Domain, await clientA.GetStringAsync("/api/domains"), StringComparison.Ordinal);
        Assert.True((await nodeA.CreateAnonymousClient().GetAsync("/signin")).IsSuccessStatusCode);
        Assert.Equal("Degraded", await clientA.GetStringAsync("/health"));
        await WaitForAsync(() => logs.Entries.Any(e => e.Level == LogLevel.Warning && e.Message.Contains("unreachable", StringComparison.Ordinal)), "no warning about the unreachable Redis");
        var warning = logs.Entries.First(e => e.Level == LogLevel.Warning && e.Message.Contains("unreachable", StringComparison.Ordinal));
        Assert.Contains($"127.0.0.1:{down.Port}", warning.Message, StringComparison.Ordinal);
        // Its own events still reach its own pages.
        var onA = Channel.CreateUnbounded<AlertChanged>();
        using var a = nodeA.Services.GetRequiredService<LiveFeed<AlertChanged>>().Subscribe(c => onA.Writer.WriteAsync(c).AsTask());
        nodeA.Services.GetRequiredService<LiveFeed<AlertChanged>>().Publish(Change("local"));
        Assert.Equal("local", (await NextAsync(onA, _ => true)).Fingerprint);

        await down.StartAgainAsync();
        await using var nodeB = StartService(settings);
        await WaitUntilHealthyAsync(clientA);
        await WaitUntilHealthyAsync(nodeB.CreateClient());
        var onB = Channel.CreateUnbounded<AlertChanged>();
        using var b = nodeB.Services.GetRequiredService<LiveFeed<AlertChanged>>().Subscribe(c => onB.Writer.WriteAsync(c).AsTask());
        nodeA.Services.GetRequiredService<LiveFeed<AlertChanged>>().Publish(Change("after-reconnect"));

        Assert.Equal("after-reconnect", (await NextAsync(onB, _ => true)).Fingerprint);
        Assert.Contains(logs.Entries, e => e.Message.Contains("reachable again", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_password_of_the_redis_connection_string_is_never_logged()
    {
        await using var down = TestRedisServer.NotStarted();
        var logs = new CapturingLoggerProvider();
        await using var node = StartServiceWith(
            s => s.AddSingleton<ILoggerProvider>(logs),
            [.. NodeSettings("secret", "00:10:00"), ("Monitor:LiveFeed:Redis", $"{down.ConnectionString},password=pw-never-printed,connectTimeout=1000")]);

        Assert.Equal("Degraded", await node.CreateClient().GetStringAsync("/health"));
        await WaitForAsync(() => logs.Entries.Any(e => e.Message.Contains("unreachable", StringComparison.Ordinal)), "no warning about the unreachable Redis");

        Assert.DoesNotContain("pw-never-printed", logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_redis_setting_that_cannot_be_read_stops_start_up_naming_the_key_without_quoting_it()
    {
        var output = await StartUpFailureAsync([("Monitor:LiveFeed:Redis", "127.0.0.1:6379,connectTimeout=XXSECRETXX")]);

        Assert.Contains("Monitor:LiveFeed:Redis: not a StackExchange.Redis connection string", output, StringComparison.Ordinal);
    }

    private static AlertChanged Change(string fingerprint) => new(
        fingerprint,
        "CheckFailing",
        AlertState.Pending,
        AlertState.Firing,
        new Dictionary<string, string> { ["alertname"] = "CheckFailing", ["domain"] = Domain },
        new DateTimeOffset(2026, 11, 27, 9, 30, 0, TimeSpan.Zero));

    private static async Task WaitUntilHealthyAsync(HttpClient client) =>
        await WaitForAsync(async () => await client.GetStringAsync("/health") == "Healthy", "the node never reported the live push healthy");

    private static Task WaitForAsync(Func<bool> condition, string failure) => WaitForAsync(() => Task.FromResult(condition()), failure);

    private static async Task WaitForAsync(Func<Task<bool>> condition, string failure)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(100);
        }
    }

    private static async Task<T> NextAsync<T>(Channel<T> received, Func<T, bool> wanted)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (true)
        {
            var item = await received.Reader.ReadAsync(timeout.Token);
            if (wanted(item))
            {
                return item;
            }
        }
    }
}
