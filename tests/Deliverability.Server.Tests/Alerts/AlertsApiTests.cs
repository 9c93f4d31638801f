using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Deliverability.Contracts.Alerts;
using Deliverability.Core.Alerts;
using Deliverability.Core.Storage;

namespace Deliverability.Server.Tests.Alerts;

/// <summary>/api/alerts over the marker check: list with filters, one alert with its history, acknowledge, silences.</summary>
public sealed class AlertsApiTests : ServiceFixture
{
    /// <summary>Catastrophic with a backtracking engine (8 choices per character, then no 'z'): linear with ours.</summary>
    private const string Backtracking = "domain=~(.|.|.|.|.|.|.|.)*z";

    [Fact]
    public async Task A_firing_alert_is_listed_with_its_history_and_acknowledged_by_the_api_key_with_the_name_it_gives_as_a_note()
    {
        Dns.Zone.Txt(MarkerCheck.RecordName("shop.test"), "broken").Txt(MarkerCheck.RecordName("fine.test"), "ok");
        await using var app = StartService([.. Domains("shop.test", "fine.test"), ("Monitor:Audit:FirstRunDelay", "00:00:00"), ("Monitor:Alerts:EvaluationInterval", "00:00:01")]);
        var client = app.CreateClient();
        var operatorKey = app.CreateClientAs("Operator");

        var alert = await PollForAlertAsync(client, "/api/alerts?state=firing&domain=shop.test");
        Assert.Equal(("CheckFailing", "critical", "marker"), (alert.AlertName, alert.Severity, alert.Labels["check"]));
        Assert.Equal("Publish 'ok'.", alert.Annotations["fix"]);
        Assert.Empty((await client.GetFromJsonAsync<AlertDto[]>("/api/alerts?domain=fine.test"))!);
        Assert.Empty((await client.GetFromJsonAsync<AlertDto[]>("/api/alerts?filter=severity%3Dwarning"))!);

        var tooLong = await operatorKey.PostAsJsonAsync($"/api/alerts/{alert.Fingerprint}/acknowledge", new { by = new string('a', 201) });
        var acknowledged = await operatorKey.PostAsJsonAsync($"/api/alerts/{alert.Fingerprint}/acknowledge", new { by = "alice" });
        var unknown = await operatorKey.PostAsJsonAsync("/api/alerts/0123456789abcdef/acknowledge", new { by = "alice" });

        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Equal("by: at most 200 characters (was 201)", (await tooLong.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        // The key acted, whatever name it gives: that name is only a note.
        Assert.Equal("api-key:test-operator", (await acknowledged.Content.ReadFromJsonAsync<AlertDto>())!.AcknowledgedBy);
        var detail = (await client.GetFromJsonAsync<AlertDetailDto>($"/api/alerts/{alert.Fingerprint}"))!;
        Assert.Equal([(null, "firing", null), ("firing", "firing", "acknowledged by api-key:test-operator on behalf of alice")], detail.History.Select(h => (h.From, h.To, h.Note)));
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
        Assert.Equal(("active", "api-key:test-admin", "rotating DKIM keys (on behalf of bob)"), (silence.Status, silence.CreatedBy, silence.Comment));
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

    public static TheoryData<string, string> BadSilences => new()
    {
        { """{"matchers":["domain"],"duration":"01:00:00","comment":"x"}""", "'domain' is not a label matcher" },
        { """{"matchers":[],"duration":"01:00:00","comment":"x"}""", "matchers: a silence needs at least one matcher" },
        { """{"matchers":["domain=a.test"],"comment":"x"}""", "endsAt or a positive duration" },
        { """{"matchers":["domain=~shop(?!\\.test)"],"duration":"01:00:00","comment":"x"}""", "'domain=~shop(?!\\.test)': the regex cannot be matched in linear time (RegexOptions.NonBacktracking is not supported in conjunction with expressions containing: 'negative lookahead" },
        { """{"matchers":["domain=~(a)\\1"],"duration":"01:00:00","comment":"x"}""", "backreference" },
        { """{"matchers":["domain=a.test"],"duration":"3000000.00:00:00","comment":"x"}""", "duration: a silence lasts at most 365 days (was 3000000.00:00:00)." },
        { """{"matchers":["domain=a.test"],"startsAt":"2030-01-02T00:00:00Z","endsAt":"2030-01-01T00:00:00Z","comment":"x"}""", "startsAt: must be at most 365 days ahead" },
        { """{"matchers":["domain=a.test"],"endsAt":"2001-01-01T00:00:00Z","comment":"x"}""", "endsAt: must be after the start and after now" },
        { """{"matchers":["domain=a.test"],"endsAt":"9999-12-31T23:59:59Z","comment":"x"}""", "endsAt: a silence lasts at most 365 days" },
        { """{"matchers":["domain=a.test"],"startsAt":"0001-01-01T00:00:00Z","duration":"01:00:00","comment":"x"}""", "endsAt: must be after the start and after now" },
        { """{"matchers":["domain=a.test"],"duration":"soon","comment":"x"}""", "duration: not valid (a time span such as \"02:00:00\" or \"1.00:00:00\" is expected)" },
        { $$"""{"matchers":["domain=a.test"],"duration":"01:00:00","comment":"{{new string('c', 1001)}}"}""", "comment: at most 1000 characters (was 1001)" },
        { $$"""{"matchers":["domain=a.test"],"duration":"01:00:00","comment":"x","createdBy":"{{new string('b', 201)}}"}""", "createdBy: at most 200 characters (was 201)" },
        { """{"matchers":["domain=a.test"],"duration":"01:00:00","comment":"\u001b[2J"}""", "comment: control characters are not accepted (found U+001B)" },
        { $$"""{"matchers":[{{string.Join(",", Enumerable.Range(0, 21).Select(i => $"\"domain=d{i}.test\""))}}],"duration":"01:00:00","comment":"x"}""", "matchers: at most 20 matchers (was 21)" },
        { $$"""{"matchers":["domain={{new string('d', 1100)}}"],"duration":"01:00:00","comment":"x"}""", "characters long; a matcher may have at most 1024" },
    };

    [Theory]
    [MemberData(nameof(BadSilences))]
    public async Task A_bad_silence_is_refused_saying_what_is_wrong(string body, string expected)
    {
        await using var app = StartService(Domains("shop.test"));
        var client = app.CreateClient();

        var response = await client.PostAsync("/api/alerts/silences", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, (await response.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail, StringComparison.Ordinal);
        Assert.Empty((await client.GetFromJsonAsync<SilenceDto[]>("/api/alerts/silences?expired=true"))!);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_refused_before_it_is_read_whole_with_or_without_its_length()
    {
        await using var app = StartService(Domains("shop.test"));
        var client = app.CreateClientAs("Operator");
        var body = $$"""{"matchers":["domain=a.test"],"duration":"01:00:00","comment":"{{new string('c', 10_000_000)}}"}""";

        var announced = await client.PostAsync("/api/alerts/silences", new StringContent(body, Encoding.UTF8, "application/json"));
        var chunked = await client.PostAsync("/api/alerts/silences", new UnannouncedContent(Encoding.UTF8.GetBytes(body)));
        var acknowledgement = await client.PostAsync("/api/alerts/0123456789abcdef/acknowledge", new StringContent($$"""{"by":"{{new string('a', 100_000)}}"}""", Encoding.UTF8, "application/json"));

        foreach (var response in new[] { announced, chunked, acknowledgement })
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            Assert.Equal("body: at most 65536 bytes are accepted", (await response.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail);
        }

        Assert.Empty((await client.GetFromJsonAsync<SilenceDto[]>("/api/alerts/silences?expired=true"))!);
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_refused_as_the_frameworks_binding_refuses_it()
    {
        await using var app = StartService(Domains("shop.test"));
        var client = app.CreateClientAs("Operator");

        var form = await client.PostAsync("/api/alerts/silences", new FormUrlEncodedContent([new("matchers", "domain=a.test"), new("duration", "01:00:00")]));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, form.StatusCode);
        Assert.Equal("body: send JSON (Content-Type: application/json)", (await form.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail);
    }

    [Fact]
    public async Task A_silence_with_a_regex_that_would_backtrack_is_matched_safely_and_the_alerts_still_fire()
    {
        Dns.Zone.Txt(MarkerCheck.RecordName("mail.shop.test"), "broken");
        await using var app = StartService([.. Domains("mail.shop.test"), ("Monitor:Audit:FirstRunDelay", "00:00:00"), ("Monitor:Alerts:EvaluationInterval", "00:00:01")]);
        var client = app.CreateClientAs("Operator");

        var created = await client.PostAsJsonAsync("/api/alerts/silences", new { matchers = new[] { Backtracking }, duration = "01:00:00", createdBy = "olga", comment = "probe" });
        var alert = await PollForAlertAsync(client, "/api/alerts?state=firing&domain=mail.shop.test");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Null(alert.MutedBy);
    }

    [Fact]
    public async Task A_viewers_filter_with_a_regex_that_would_backtrack_answers_the_matching_alerts()
    {
        Dns.Zone.Txt(MarkerCheck.RecordName("mail.shop.test"), "broken");
        await using var app = StartService([.. Domains("mail.shop.test"), ("Monitor:Audit:FirstRunDelay", "00:00:00"), ("Monitor:Alerts:EvaluationInterval", "00:00:01")]);
        var viewer = app.CreateClientAs("Viewer");
        var alert = await PollForAlertAsync(viewer, "/api/alerts?state=firing&domain=mail.shop.test");

        var none = await viewer.GetAsync("/api/alerts?filter=" + Uri.EscapeDataString(Backtracking));
        var one = await viewer.GetAsync("/api/alerts?filter=" + Uri.EscapeDataString("domain=~(.|.|.|.|.|.|.|.)*test"));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (none.StatusCode, one.StatusCode));
        Assert.Empty((await none.Content.ReadFromJsonAsync<AlertDto[]>())!);
        Assert.Equal(alert.Fingerprint, Assert.Single((await one.Content.ReadFromJsonAsync<AlertDto[]>())!).Fingerprint);
    }

    [Fact]
    public async Task Stored_silences_that_break_todays_rules_do_not_stop_alerts_and_are_listed_with_their_problem()
    {
        Dns.Zone.Txt(MarkerCheck.RecordName("mail.shop.test"), "broken");
        await using var app = StartService([.. Domains("mail.shop.test"), ("Monitor:Audit:FirstRunDelay", "00:00:00"), ("Monitor:Alerts:EvaluationInterval", "00:00:01")]);
        var now = DateTimeOffset.UtcNow;
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<MonitorDbContext>>().CreateDbContextAsync())
        {
            // As an earlier release stored them: one that backtracks on every match, one with a lookahead.
            db.Add(StoredSilence("hostile", "domain=~\"(.|.|.|.|.|.|.|.)*z\"", now));
            db.Add(StoredSilence("lookahead", "domain=~\"(?!other).*\"", now));
            await db.SaveChangesAsync();
        }

        var client = app.CreateClient();
        var alert = await PollForAlertAsync(client, "/api/alerts?state=firing&domain=mail.shop.test");
        var silences = (await client.GetFromJsonAsync<SilenceDto[]>("/api/alerts/silences"))!.ToDictionary(s => s.Id);

        Assert.Null(alert.MutedBy);
        Assert.Null(silences["hostile"].Problem);
        Assert.StartsWith("not applied: 'domain=~\"(?!other).*\"': the regex cannot be matched in linear time", silences["lookahead"].Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/alerts?state=burning", "state must be pending, firing or resolved (was 'burning')")]
    [InlineData("/api/alerts?filter=domain", "filter: 'domain' is not a label matcher")]
    [InlineData("/api/alerts?resolved=true&limit=0", "limit must be 1 to 1000 (was 0).")]
    [InlineData("/api/alerts?filter=domain%3D~shop(%3F%3D%5C.test)", "filter: 'domain=~shop(?=\\.test)': the regex cannot be matched in linear time")]
    [InlineData("/api/alerts?filter=a%3D1&filter=a%3D2&filter=a%3D3&filter=a%3D4&filter=a%3D5&filter=a%3D6&filter=a%3D7&filter=a%3D8&filter=a%3D9&filter=a%3D10&filter=a%3D11&filter=a%3D12&filter=a%3D13&filter=a%3D14&filter=a%3D15&filter=a%3D16&filter=a%3D17&filter=a%3D18&filter=a%3D19&filter=a%3D20&filter=a%3D21", "filter: at most 20 filters (was 21).")]
    public async Task A_bad_filter_is_refused_naming_it(string url, string expected)
    {
        await using var app = StartService(Domains("shop.test"));

        var response = await app.CreateClient().GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, (await response.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail, StringComparison.Ordinal);
    }

    private static SilenceRow StoredSilence(string id, string matcher, DateTimeOffset now) => new()
    {
        Id = id,
        MatchersJson = AlertJson.Write([matcher]),
        StartsAt = now.AddMinutes(-1),
        EndsAt = now.AddHours(1),
        CreatedBy = "alice",
        Comment = "stored by an earlier release",
        CreatedAt = now,
        UpdatedAt = now,
    };

    /// <summary>A body sent without Content-Length (chunked), as a client streaming it would.</summary>
    private sealed class UnannouncedContent(byte[] bytes) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => stream.WriteAsync(bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
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
