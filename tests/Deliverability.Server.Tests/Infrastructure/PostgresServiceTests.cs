using System.Net.Http.Json;
using Deliverability.Server.Domains;
using Deliverability.Testing.Postgres;

namespace Deliverability.Server.Tests.Infrastructure;

/// <summary>The same service on PostgreSQL: results, history and the Quartz job store all live there.</summary>
public sealed class PostgresServiceTests(PostgresFixture postgres) : ServiceFixture, IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task Scheduled_audit_on_postgres_is_stored_and_survives_a_restart()
    {
        var marker = MarkerCheck.RecordName("example.test");
        Dns.Zone.Txt(marker, "warn");
        (string, string?)[] settings =
        [
            .. Domains("example.test"),
            ("Storage:Provider", "Postgres"),
            ("Storage:ConnectionString", postgres.Server.ConnectionString("monitor")),
            ("Monitor:Audit:FirstRunDelay", "00:00:00"),
            ("Monitor:Audit:Schedule", "00:00:01"),
        ];

        TransitionDto[] historyBefore;
        await using (var first = StartService(settings))
        {
            var client = first.CreateClient();
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while ((await client.GetFromJsonAsync<DomainSummaryDto[]>("/api/domains"))!.Single().Status is null)
            {
                Assert.True(DateTime.UtcNow < deadline, "The scheduled audit stored nothing on PostgreSQL.");
                await Task.Delay(200);
            }

            Dns.Zone.ReplaceTxt(marker, "broken");
            await client.PostAsync("/api/domains/example.test/audit", null);
            historyBefore = (await client.GetFromJsonAsync<TransitionDto[]>("/api/domains/example.test/history?check=marker"))!;
        }

        // The restarted service's own cycle waits: what it serves is what the first one stored.
        await using var second = StartService([.. settings, ("Monitor:Audit:FirstRunDelay", "01:00:00"), ("Monitor:Audit:Schedule", "01:00:00")]);
        var restarted = second.CreateClient();

        var history = await restarted.GetFromJsonAsync<TransitionDto[]>("/api/domains/example.test/history?check=marker");
        Assert.Equal([(null, "warning"), ("warning", "error")], historyBefore.Reverse().Select(t => (t.From, t.To)));
        Assert.Equal(historyBefore, history);
        Assert.Equal("error", (await restarted.GetFromJsonAsync<DomainAuditDto>("/api/domains/example.test"))!.Status);
    }
}
