using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using Deliverability.Server.Domains;

namespace Deliverability.Server.Tests.Domains;

public sealed class ScheduledAuditTests : ServiceFixture
{
    [Fact]
    public async Task Scheduled_job_audits_every_configured_domain_and_stores_the_results()
    {
        Dns.Zone.Txt(MarkerCheck.RecordName("example.test"), "ok").Txt(MarkerCheck.RecordName("other.test"), "broken");
        await using var app = StartService([.. Domains("example.test", "other.test"), ("Monitor:Audit:FirstRunDelay", "00:00:00"), ("Monitor:Audit:Schedule", "00:00:01")]);
        var client = app.CreateClient();

        var domains = await PollAsync(client, list => list.All(d => d.Status is not null));

        Assert.Equal([("example.test", "ok"), ("other.test", "error")], domains.Select(d => (d.Domain, d.Status)));
        var stored = await client.GetFromJsonAsync<DomainAuditDto>("/api/domains/other.test");
        Assert.Equal("marker.broken", Assert.Single(Assert.Single(stored!.Checks, c => c.Check == MarkerCheck.CheckName).Findings).Code);
    }

    [Fact]
    public async Task Scheduled_job_keeps_running_and_picks_up_a_change_in_dns()
    {
        var marker = MarkerCheck.RecordName("example.test");
        Dns.Zone.Txt(marker, "ok");
        await using var app = StartService([.. Domains("example.test"), ("Monitor:Audit:FirstRunDelay", "00:00:00"), ("Monitor:Audit:Schedule", "00:00:01")]);
        var client = app.CreateClient();
        await PollAsync(client, list => list.Single().Status == "ok");

        Dns.Zone.ReplaceTxt(marker, "broken");
        await PollAsync(client, list => list.Single().Status == "error");

        var history = await client.GetFromJsonAsync<TransitionDto[]>("/api/domains/example.test/history");
        Assert.Equal([(null, "ok"), ("ok", "error")], history!.Reverse().Select(t => (t.From, t.To)));
    }

    [Fact]
    public async Task Cron_schedule_runs_the_audit()
    {
        Dns.Zone.Txt(MarkerCheck.RecordName("example.test"), "warn");
        // The first run waits an hour: only the cron trigger (every second) can store this result.
        await using var app = StartService([.. Domains("example.test"), ("Monitor:Audit:FirstRunDelay", "01:00:00"), ("Monitor:Audit:Schedule", "* * * * * ?")]);

        var domains = await PollAsync(app.CreateClient(), list => list.Single().Status is not null);

        Assert.Equal("warning", domains.Single().Status);
    }

    [Fact]
    public async Task Schedule_is_kept_in_the_persistent_job_store_beside_the_results()
    {
        await using (var app = StartService(Domains("example.test")))
        {
            (await app.CreateClient().GetAsync("/health")).EnsureSuccessStatusCode();
        }

        await using var connection = new SqliteConnection($"Data Source={Path.Combine(DataFolder, "monitor.db")};Mode=ReadOnly;Pooling=false");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT TRIGGER_NAME FROM QRTZ_TRIGGERS WHERE JOB_NAME = 'domain-audit' ORDER BY TRIGGER_NAME";
        var triggers = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            triggers.Add(reader.GetString(0));
        }

        Assert.Equal(["domain-audit-first-run", "domain-audit-schedule"], triggers);
    }

    // Generous: the job's first run and the 2 shared cores decide how long this takes; nothing here measures time.
    private static async Task<DomainSummaryDto[]> PollAsync(HttpClient client, Func<DomainSummaryDto[], bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var list = (await client.GetFromJsonAsync<DomainSummaryDto[]>("/api/domains"))!;
            if (done(list))
            {
                return list;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"The scheduled audit did not store the expected results in time; last: {string.Join(", ", list.Select(d => $"{d.Domain}={d.Status}"))}");
            }

            await Task.Delay(200);
        }
    }
}
