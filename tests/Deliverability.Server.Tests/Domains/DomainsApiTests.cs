using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Deliverability.Server.Domains;

namespace Deliverability.Server.Tests.Domains;

public sealed class DomainsApiTests : ServiceFixture
{
    [Fact]
    public async Task Configured_domains_are_listed_before_their_first_audit()
    {
        await using var app = StartService(Domains("Example.TEST.", "other.test"));
        var client = app.CreateClient();

        var domains = await client.GetFromJsonAsync<DomainSummaryDto[]>("/api/domains");

        Assert.NotNull(domains);
        Assert.Equal(["example.test", "other.test"], domains.Select(d => d.Domain));
        Assert.All(domains, d => Assert.Null(d.Status));
    }

    [Fact]
    public async Task Triggered_audit_is_stored_and_returned_with_its_findings()
    {
        Dns.Zone.Txt(MarkerCheck.RecordName("example.test"), "broken");
        await using var app = StartService(Domains("example.test"));
        var client = app.CreateClient();

        var response = await client.PostAsync("/api/domains/example.test/audit", null);
        response.EnsureSuccessStatusCode();
        var audit = await response.Content.ReadFromJsonAsync<DomainAuditDto>();

        Assert.NotNull(audit);
        Assert.Equal("error", audit.Status);
        var marker = Assert.Single(audit.Checks, c => c.Check == MarkerCheck.CheckName);
        var finding = Assert.Single(marker.Findings);
        Assert.Equal(("marker.broken", "error", "_marker.example.test"), (finding.Code, finding.Severity, finding.Subject));
        Assert.Equal("Publish 'ok'.", finding.Fix);
        Assert.Equal(["broken"], marker.Records);

        var stored = await client.GetFromJsonAsync<DomainAuditDto>("/api/domains/example.test");
        Assert.NotNull(stored);
        Assert.Equal(audit.CheckedAt, stored.CheckedAt);
        Assert.Equal("marker.broken", Assert.Single(Assert.Single(stored.Checks, c => c.Check == MarkerCheck.CheckName).Findings).Code);

        var list = await client.GetFromJsonAsync<DomainSummaryDto[]>("/api/domains");
        Assert.Equal(new DomainSummaryDto("example.test", "error", audit.CheckedAt, 1, 0), Assert.Single(list!));
    }

    [Fact]
    public async Task Each_change_of_status_adds_one_history_row_and_an_unchanged_result_none()
    {
        var marker = MarkerCheck.RecordName("example.test");
        Dns.Zone.Txt(marker, "ok");
        await using var app = StartService(Domains("example.test"));
        var client = app.CreateClient();

        await AuditAsync(client);                   // first result: none -> ok
        await AuditAsync(client);                   // unchanged
        Dns.Zone.ReplaceTxt(marker, "broken");
        await AuditAsync(client);                   // ok -> error
        await AuditAsync(client);                   // unchanged
        Dns.Zone.ReplaceTxt(marker, "warn");
        await AuditAsync(client);                   // error -> warning

        var history = await client.GetFromJsonAsync<TransitionDto[]>($"/api/domains/example.test/history?check={MarkerCheck.CheckName}");

        Assert.NotNull(history);
        Assert.Equal([(null, "ok"), ("ok", "error"), ("error", "warning")], history.Reverse().Select(t => (t.From, t.To)));
        Assert.Equal("marker.warn", history[0].Summary);
        Assert.True(history[0].At >= history[1].At && history[1].At >= history[2].At, "newest first");

        var limited = await client.GetFromJsonAsync<TransitionDto[]>("/api/domains/example.test/history?limit=1");
        Assert.Equal("warning", Assert.Single(limited!).To);
    }

    [Fact]
    public async Task Unchanged_result_moves_checked_at_but_keeps_since()
    {
        Dns.Zone.Txt(MarkerCheck.RecordName("example.test"), "ok");
        await using var app = StartService(Domains("example.test"));
        var client = app.CreateClient();

        var first = Assert.Single((await AuditAsync(client)).Checks, c => c.Check == MarkerCheck.CheckName);
        var second = Assert.Single((await AuditAsync(client)).Checks, c => c.Check == MarkerCheck.CheckName);

        Assert.Equal(first.CheckedAt, second.Since);
        Assert.True(second.CheckedAt >= first.CheckedAt);
    }

    [Fact]
    public async Task A_restart_on_the_same_database_loses_no_result_and_no_history()
    {
        var marker = MarkerCheck.RecordName("example.test");
        Dns.Zone.Txt(marker, "ok");
        DomainAuditDto before;
        TransitionDto[] historyBefore;
        await using (var first = StartService(Domains("example.test")))
        {
            var client = first.CreateClient();
            await AuditAsync(client);
            Dns.Zone.ReplaceTxt(marker, "broken");
            before = await AuditAsync(client);
            historyBefore = (await client.GetFromJsonAsync<TransitionDto[]>("/api/domains/example.test/history"))!;
        }

        await using var second = StartService(Domains("example.test"));
        var restarted = second.CreateClient();

        var after = await restarted.GetFromJsonAsync<DomainAuditDto>("/api/domains/example.test");
        var historyAfter = await restarted.GetFromJsonAsync<TransitionDto[]>("/api/domains/example.test/history");

        Assert.NotNull(after);
        Assert.Equal((before.Status, before.CheckedAt), (after.Status, after.CheckedAt));
        Assert.Equal(before.Checks.Select(c => (c.Check, c.Status, c.Findings.Count)), after.Checks.Select(c => (c.Check, c.Status, c.Findings.Count)));
        Assert.Equal(2, historyBefore.Length);
        Assert.Equal(historyBefore, historyAfter);
        Assert.Equal("error", Assert.Single((await restarted.GetFromJsonAsync<DomainSummaryDto[]>("/api/domains"))!).Status);
    }

    [Theory]
    [InlineData("GET", "/api/domains/unknown.test")]
    [InlineData("POST", "/api/domains/unknown.test/audit")]
    [InlineData("GET", "/api/domains/unknown.test/history")]
    public async Task Unknown_domain_is_404_problem_details(string method, string path)
    {
        await using var app = StartService(Domains("example.test"));
        var client = app.CreateClient();

        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>();
        Assert.Equal(404, problem?.Status);
        Assert.Contains("unknown.test", problem?.Detail);
    }

    [Fact]
    public async Task Configured_domain_never_audited_is_404_problem_details_saying_so()
    {
        await using var app = StartService(Domains("example.test"));

        var response = await app.CreateClient().GetAsync("/api/domains/example.test");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>();
        Assert.Equal("Not audited yet", problem?.Title);
    }

    [Fact]
    public async Task History_limit_out_of_range_is_400_problem_details()
    {
        await using var app = StartService(Domains("example.test"));

        var response = await app.CreateClient().GetAsync("/api/domains/example.test/history?limit=0");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Health_is_healthy_when_the_database_answers()
    {
        await using var app = StartService();

        var response = await app.CreateClient().GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    private static async Task<DomainAuditDto> AuditAsync(HttpClient client)
    {
        var response = await client.PostAsync("/api/domains/example.test/audit", null);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<DomainAuditDto>())!;
    }
}
