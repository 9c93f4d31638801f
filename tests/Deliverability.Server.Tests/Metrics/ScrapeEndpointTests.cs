using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Deliverability.Core.Alerts;
using Deliverability.Core.Audits;
using Deliverability.Core.Blacklists;
using Deliverability.Core.LoadTests;
using Deliverability.Core.Metrics;
using Deliverability.Core.Placement;
using Deliverability.Server.Metrics;

namespace Deliverability.Server.Tests.Metrics;

/// <summary><c>/metrics</c>: who may read it, and that it shows every instrument under the name the registry gives it.</summary>
public sealed class ScrapeEndpointTests : ServiceFixture
{
    private const string ScrapeToken = "scrape-token-0123456789abcdef";

    [Fact]
    public async Task Metrics_need_a_viewer_or_the_scrape_token()
    {
        await using var app = StartService(("Monitor:Metrics:ScrapeToken", ScrapeToken));

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateAnonymousClient().GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Bearer(app, "scrape-token-0123456789abcdeX").GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Bearer(app, ScrapeToken).GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.CreateClientAs("Viewer").GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task Without_a_scrape_token_no_bearer_token_is_accepted()
    {
        await using var app = StartService();

        Assert.Equal(HttpStatusCode.Unauthorized, (await Bearer(app, "").GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Bearer(app, "anything-at-all-0123456789").GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task An_audit_shows_in_the_audit_counters()
    {
        Dns.Zone.Txt(MarkerCheck.RecordName("example.test"), "broken");
        await using var app = StartService(Domains("example.test"));

        (await app.CreateClient().PostAsync("/api/domains/example.test/audit", null)).EnsureSuccessStatusCode();
        var samples = PrometheusSample.ParseAll(await app.CreateClientAs("Viewer").GetStringAsync("/metrics"));

        var checks = Assert.Single(samples, s => s.Name == "deliverability_audit_checks_total");
        Assert.Equal(("marker", "error", 1.0), (checks.Labels["check"], checks.Labels["status"], checks.Value));
        Assert.Equal(1, Assert.Single(samples, s => s.Name == "deliverability_audits_total" && s.Labels["status"] == "error").Value);
        var count = Assert.Single(samples, s => s.Name == "deliverability_audit_check_duration_seconds_count");
        Assert.Equal(("marker", 1.0), (count.Labels["check"], count.Value));
        // Duration buckets are in seconds: a DNS check of the test server falls under one second.
        Assert.Equal(1, Assert.Single(samples, s => s.Name == "deliverability_audit_check_duration_seconds_bucket" && s.Labels["le"] == "1").Value);
    }

    [Fact]
    public async Task Every_instrument_of_the_registry_is_scraped_under_its_prometheus_names()
    {
        await using var app = StartService();
        var metrics = app.Services.GetRequiredService<DeliverabilityMetrics>();
        RecordOneOfEach(metrics);

        var client = app.CreateClientAs("Viewer");
        (await client.GetAsync("/health")).EnsureSuccessStatusCode();
        var names = PrometheusSample.ParseAll(await client.GetStringAsync("/metrics")).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);

        var missing = DeliverabilityInstruments.All.SelectMany(i => i.PrometheusSeries).Where(n => !names.Contains(n)).ToList();
        Assert.True(missing.Count == 0, "Not scraped: " + string.Join(", ", missing) + "\nScraped: " + string.Join(", ", names.Where(n => n.StartsWith("deliverability", StringComparison.Ordinal)).Order()));
        // The service's own figures come along (HTTP requests, the runtime's), those the dashboards use included.
        Assert.All(MetricsRegistration.ServiceSeries, name => Assert.Contains(name, names));
    }

    /// <summary>One measurement of every instrument, so each has a series to show.</summary>
    internal static void RecordOneOfEach(DeliverabilityMetrics metrics)
    {
        metrics.CheckCompleted("spf", CheckStatus.Ok, TimeSpan.FromMilliseconds(3));
        metrics.DomainAudited(CheckStatus.Ok, TimeSpan.FromMilliseconds(9));
        metrics.BlacklistAnswered("zen.spamhaus.org", BlacklistStatus.NotListed);
        metrics.BlacklistChanged("zen.spamhaus.org", "listed");
        metrics.PlacementSeedMeasured("gmail", SeedPlacementStatus.Inbox, TimeSpan.FromSeconds(4));
        metrics.PlacementRunEnded("mta-bulk", stored: true);
        metrics.AlertEntered("DomainAuthenticationBroken", AlertState.Firing);
        metrics.NotificationEnded("webhook", sent: true);
        metrics.LoadTestRunEnded("smtp", "service", LoadTestRunStatus.Completed, "smtp-peak-day", 180, 45, 0.001);
        metrics.LoadTestKneeFound("mta-bulk", 850);
        metrics.VolumeForecast("marketing", [new ForecastPeriod(DateTimeOffset.UtcNow.AddMinutes(-5), 1000, 900, 1100)]);
        metrics.VolumeActual("marketing", 950);
        metrics.SendEventsStored("delivered", "mta-bulk", "gmail");
        metrics.DmarcReportReceived(DmarcReportOutcome.Imported);
        metrics.ScheduledJobMisfired("domain-audit");
        metrics.ScheduledJobStarted("domain-audit");
        metrics.ScheduledJobEnded("domain-audit", TimeSpan.FromSeconds(2), succeeded: true);
        metrics.ObserveInfluxBuffer(() => 0);
        metrics.InfluxPointsWritten(10);
        metrics.InfluxPointsDropped(1);
    }

    private static HttpClient Bearer(MonitorApplication app, string token)
    {
        var client = app.CreateAnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
