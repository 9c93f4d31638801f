using Deliverability.Testing.Prometheus;

namespace Deliverability.Server.Tests.Metrics;

/// <summary>Debian's Prometheus, private on 127.0.0.1, scrapes a running service with the scrape token and answers queries over what it scraped.</summary>
public sealed class PrometheusScrapeTests : ServiceFixture
{
    private const string ScrapeToken = "prometheus-scrape-token-0123456789";

    [Fact]
    public async Task Prometheus_scrapes_the_service_and_a_query_returns_the_audit_counters()
    {
        Dns.Zone.Txt(MarkerCheck.RecordName("shop.test"), "warn");
        Dns.Zone.Txt(MarkerCheck.RecordName("news.test"), "ok");
        await using var app = StartService([.. Domains("shop.test", "news.test"), ("Monitor:Metrics:ScrapeToken", ScrapeToken)]).StartOnKestrel();
        var client = app.CreateClientAs("Operator");
        client.BaseAddress = new Uri(app.BaseUrl);
        (await client.PostAsync("/api/domains/shop.test/audit", null)).EnsureSuccessStatusCode();
        (await client.PostAsync("/api/domains/news.test/audit", null)).EnsureSuccessStatusCode();
        (await client.PostAsync("/api/domains/news.test/audit", null)).EnsureSuccessStatusCode();

        await using var prometheus = await TestPrometheusServer.StartAsync(new Uri(app.BaseUrl).Authority, "/metrics", ScrapeToken);
        var result = await PollAsync(prometheus, "sum by (status) (deliverability_audits_total)", r => r.Count == 2);

        Assert.Equal(1, result.Single(r => r.Labels["status"] == "warning").Value);
        Assert.Equal(2, result.Single(r => r.Labels["status"] == "ok").Value);
        var checks = await prometheus.QueryAsync("deliverability_audit_checks_total{check=\"marker\"}");
        Assert.Equal(3, checks.Sum(c => c.Value));
        Assert.All(checks, c => Assert.Equal("monitor", c.Labels["job"]));
        // Histograms come through with their buckets: a quantile can be asked for.
        var p99 = await prometheus.QueryAsync("histogram_quantile(0.99, sum by (le) (deliverability_audit_check_duration_seconds_bucket))");
        Assert.InRange(Assert.Single(p99).Value, 0, 60);
    }

    private static async Task<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>> PollAsync(
        TestPrometheusServer prometheus, string promql, Func<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)> result = [];
        while (DateTime.UtcNow < deadline)
        {
            result = await prometheus.QueryAsync(promql);
            if (done(result))
            {
                return result;
            }

            await Task.Delay(250);
        }

        Assert.Fail($"{promql} gave {result.Count} series within 60 s; target {await prometheus.TargetStateAsync()}\n{prometheus.Output}");
        return result;
    }
}
