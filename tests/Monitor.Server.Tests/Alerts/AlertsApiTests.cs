using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Monitor.Contracts.Alerts;

namespace Monitor.Server.Tests.Alerts;

/// <summary>/api/alerts over the marker check: list with filters, one alert with its history, acknowledge, silences.</summary>
public sealed class AlertsApiTests : ServiceFixture
{
    [Fact]
    public async Task A_firing_alert_is_listed_with_its_history_and_can_be_acknowledged_by_a_named_person()
    {
        Dns.Zone.Txt(MarkerCheck.RecordName("shop.test"), "broken").Txt(MarkerCheck.RecordName("fine.test"), "ok");
        await using var app = StartService([.. Domains("shop.test", "fine.test"), ("Monitor:Audit:FirstRunDelay", "00:00:00"), ("Monitor:Alerts:EvaluationInterval", "00:00:01")]);
        var client = app.CreateClient();

        var alert = await PollForAlertAsync(client, "/api/alerts?state=firing&domain=shop.test");
        Assert.Equal(("CheckFailing", "critical", "marker"), (alert.AlertName, alert.Severity, alert.Labels["check"]));
        Assert.Equal("Publish 'ok'.", alert.Annotations["fix"]);
        Assert.Empty((await client.GetFromJsonAsync<AlertDto[]>("/api/alerts?domain=fine.test"))!);
        Assert.Empty((await client.GetFromJsonAsync<AlertDto[]>("/api/alerts?filter=severity%3Dwarning"))!);

        var noName = await client.PostAsJsonAsync($"/api/alerts/{alert.Fingerprint}/acknowledge", new { by = "" });
        var acknowledged = await client.PostAsJsonAsync($"/api/alerts/{alert.Fingerprint}/acknowledge", new { by = "alice" });
        var unknown = await client.PostAsJsonAsync("/api/alerts/0123456789abcdef/acknowledge", new { by = "alice" });

        Assert.Equal(HttpStatusCode.BadRequest, noName.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("alice", (await acknowledged.Content.ReadFromJsonAsync<AlertDto>())!.AcknowledgedBy);
        var detail = (await client.GetFromJsonAsync<AlertDetailDto>($"/api/alerts/{alert.Fingerprint}"))!;
        Assert.Equal([(null, "firing", null), ("firing", "firing", "acknowledged by alice")], detail.History.Select(h => (h.From, h.To, h.Note)));
        Assert.Single((await client.GetFromJsonAsync<AlertDto[]>("/api/alerts?acknowledged=true"))!);
    }

    [Fact]
    public async Task A_limit_returns_the_first_alerts_in_list_order()
    {
        string[] domains = ["a.test", "b.test", "c.test"];
        foreach (var domain in domains)
        {
            Dns.Zone.Txt(MarkerCheck.RecordName(domain), "broken");
        }

        await using var app = StartService([.. Domains(domains), ("Monitor:Audit:FirstRunDelay", "00:00:00"), ("Monitor:Alerts:EvaluationInterval", "00:00:01")]);
        var client = app.CreateClient();
        var all = await PollForAlertsAsync(client, "/api/alerts?state=firing", domains.Length);

        var limited = (await client.GetFromJsonAsync<AlertDto[]>("/api/alerts?state=firing&limit=2"))!;

        Assert.Equal(all.Take(2).Select(a => a.Fingerprint), limited.Select(a => a.Fingerprint));
    }

    [Fact]
    public async Task Silences_are_created_listed_read_and_expired()
    {
        await using var app = StartService(Domains("shop.test"));
        var client = app.CreateClient();

        var created = await client.PostAsJsonAsync("/api/alerts/silences", new { matchers = new[] { "domain=shop.test", "check=~spf|dkim" }, duration = "02:00:00", createdBy = "bob", comment = "rotating DKIM keys" });
        var silence = (await created.Content.ReadFromJsonAsync<SilenceDto>())!;

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/api/alerts/silences/{silence.Id}", created.Headers.Location!.OriginalString);
        Assert.Equal(("active", "bob", "rotating DKIM keys"), (silence.Status, silence.CreatedBy, silence.Comment));
        Assert.Equal(["domain=\"shop.test\"", "check=~\"spf|dkim\""], silence.Matchers);
        Assert.Equal(TimeSpan.FromHours(2), silence.EndsAt - silence.StartsAt);
        Assert.Equal(silence.Id, Assert.Single((await client.GetFromJsonAsync<SilenceDto[]>("/api/alerts/silences"))!).Id);
        Assert.Equal("active", (await client.GetFromJsonAsync<SilenceDto>($"/api/alerts/silences/{silence.Id}"))!.Status);

        var expired = await client.DeleteFromJsonAsync<SilenceDto>($"/api/alerts/silences/{silence.Id}");

        Assert.Equal("expired", expired!.Status);
        Assert.Empty((await client.GetFromJsonAsync<SilenceDto[]>("/api/alerts/silences"))!);
        Assert.Equal("expired", Assert.Single((await client.GetFromJsonAsync<SilenceDto[]>("/api/alerts/silences?expired=true"))!).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync("/api/alerts/silences/nope")).StatusCode);
    }

    [Theory]
    [InlineData("""{"matchers":["domain"],"duration":"01:00:00","createdBy":"bob","comment":"x"}""", "'domain' is not a label matcher")]
    [InlineData("""{"matchers":[],"duration":"01:00:00","createdBy":"bob","comment":"x"}""", "matchers: a silence needs at least one matcher")]
    [InlineData("""{"matchers":["domain=a.test"],"createdBy":"bob","comment":"x"}""", "endsAt or a positive duration")]
    [InlineData("""{"matchers":["domain=a.test"],"duration":"01:00:00","comment":"x"}""", "createdBy: who silences must be named")]
    public async Task A_bad_silence_is_refused_saying_what_is_wrong(string body, string expected)
    {
        await using var app = StartService(Domains("shop.test"));

        var response = await app.CreateClient().PostAsync("/api/alerts/silences", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, (await response.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/alerts?state=burning", "state must be pending, firing or resolved (was 'burning')")]
    [InlineData("/api/alerts?filter=domain", "filter: 'domain' is not a label matcher")]
    [InlineData("/api/alerts?resolved=true&limit=0", "limit must be 1 to 1000 (was 0).")]
    public async Task A_bad_filter_is_refused_naming_it(string url, string expected)
    {
        await using var app = StartService(Domains("shop.test"));

        var response = await app.CreateClient().GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, (await response.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail, StringComparison.Ordinal);
    }

    private static async Task<AlertDto> PollForAlertAsync(HttpClient client, string url) => Assert.Single(await PollForAlertsAsync(client, url, 1));

    private static async Task<AlertDto[]> PollForAlertsAsync(HttpClient client, string url, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var alerts = (await client.GetFromJsonAsync<AlertDto[]>(url))!;
            if (alerts.Length >= count)
            {
                return alerts;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{alerts.Length} of {count} alerts appeared");
            await Task.Delay(200);
        }
    }
}
