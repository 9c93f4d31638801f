using Microsoft.EntityFrameworkCore;
using Deliverability.Core.DmarcReports;
using Deliverability.Core.DmarcReports.Storage;
using Deliverability.Core.Storage;
using Deliverability.Testing.Postgres;

namespace Deliverability.Core.Tests.DmarcReports.Parsing;

/// <summary>What storing reports guarantees, on each provider (the subclasses below).</summary>
public abstract class DmarcReportStorageTests : DmarcImportFixture
{
    private const string Google = "packed/google.com!shop.example!1795651200!1795737599.zip";

    [Fact]
    public async Task The_same_report_twice_is_stored_once_and_the_duplicate_counted()
    {
        var first = await ImportSampleAsync(Google);
        // Another importer on the same database: a restart, or another node.
        var second = await ImportSampleAsync("packed/google-report.eml", Importer());

        Assert.Equal(ImportStatus.Imported, Assert.Single(first.Reports).Status);
        var duplicate = Assert.Single(second.Reports);
        Assert.Equal(ImportStatus.Duplicate, duplicate.Status);
        Assert.False(second.HasInvalid);
        Assert.Equal(1239, duplicate.Messages);
        Assert.Contains(Google, duplicate.Reason, StringComparison.Ordinal);
        await using var db = await Contexts.CreateDbContextAsync();
        Assert.Equal(1, await db.Set<DmarcReportRow>().CountAsync());
        Assert.Equal(3, await db.Set<DmarcRecordRow>().CountAsync());
        var counted = await db.Set<DmarcReportDuplicateRow>().SingleAsync();
        Assert.Equal(("google.com", "14023417298761934512", "shop.example"), (counted.OrgName, counted.ReportId, counted.PolicyDomain));
        Assert.Equal("packed/google-report.eml (e-mail part 1 (google.com!shop.example!1795651200!1795737599.zip), zip entry 'google.com!shop.example!1795651200!1795737599.xml')", counted.Origin);
    }

    [Fact]
    public async Task Two_nodes_importing_the_same_report_at_once_store_it_once()
    {
        var imports = Enumerable.Range(0, 4).Select(_ => Task.Run(() => ImportSampleAsync("xml/yahoo.xml", Importer()))).ToList();
        var results = await Task.WhenAll(imports);

        var statuses = results.Select(r => Assert.Single(r.Reports).Status).ToList();
        Assert.Equal(1, statuses.Count(s => s == ImportStatus.Imported));
        Assert.Equal(3, statuses.Count(s => s == ImportStatus.Duplicate));
        await using var db = await Contexts.CreateDbContextAsync();
        Assert.Equal(1, await db.Set<DmarcReportRow>().CountAsync());
        Assert.Equal(3, await db.Set<DmarcRecordRow>().CountAsync());
        Assert.Equal(97, await db.Set<DmarcDailyRow>().SumAsync(d => d.Messages));
        Assert.Equal(3, await db.Set<DmarcReportDuplicateRow>().CountAsync());
    }

    [Fact]
    public async Task A_bad_record_after_a_full_batch_leaves_nothing_of_the_report()
    {
        var records = string.Concat(Enumerable.Range(0, DmarcAggregateStore.BatchSize + 10).Select(i => Record($"192.0.2.{i % 250}", 1)));
        var xml = Report("big-then-broken", 1795651200, 1795737599, records + Record("999.1.1.1", 1));

        var result = await ImportTextAsync(xml);

        var report = Assert.Single(result.Reports);
        Assert.Equal(ImportStatus.Invalid, report.Status);
        Assert.Contains($"record {DmarcAggregateStore.BatchSize + 11}: source_ip '999.1.1.1'", report.Reason, StringComparison.Ordinal);
        Assert.Equal("big-then-broken", report.ReportId);
        await using var db = await Contexts.CreateDbContextAsync();
        Assert.False(await db.Set<DmarcReportRow>().AnyAsync());
        Assert.False(await db.Set<DmarcRecordRow>().AnyAsync());
        Assert.False(await db.Set<DmarcDailyRow>().AnyAsync());
        // Refused, not stored: a corrected delivery of the same report is then imported.
        var corrected = await ImportTextAsync(Report("big-then-broken", 1795651200, 1795737599, records));
        Assert.Equal(ImportStatus.Imported, Assert.Single(corrected.Reports).Status);
        Assert.Equal(DmarcAggregateStore.BatchSize + 10, await db.Set<DmarcRecordRow>().CountAsync());
    }

    [Fact]
    public async Task A_report_over_several_days_is_spread_over_its_utc_days()
    {
        // 2026-11-26 12:00Z to 2026-11-28 00:00Z: half a day, then a whole one.
        var result = await ImportTextAsync(Report("36h", 1795651200 + 43200, 1795824000, Record("192.0.2.10", 90) + Record("192.0.2.10", 30, dkim: "fail", spf: "fail")));

        var report = Assert.Single(result.Reports);
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero), report.Begin);
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.Zero), report.End);
        await using var db = await Contexts.CreateDbContextAsync();
        var days = await db.Set<DmarcDailyRow>().OrderBy(d => d.Day).ThenBy(d => d.DkimAligned).ToListAsync();
        Assert.Equal(
            [(new DateOnly(2026, 11, 26), false, 10L), (new DateOnly(2026, 11, 26), true, 30L), (new DateOnly(2026, 11, 27), false, 20L), (new DateOnly(2026, 11, 27), true, 60L)],
            days.Select(d => (d.Day, d.DkimAligned, d.Messages)));
        Assert.All(days, d => Assert.Equal(("shop.example", "192.0.2.10", "shop.example", "none"), (d.PolicyDomain, d.SourceIp, d.HeaderFrom, d.Disposition)));
    }

    [Fact]
    public async Task Record_details_are_stored_with_the_rfc_9990_policy()
    {
        await ImportSampleAsync("xml/rfc9990.xml");

        await using var db = await Contexts.CreateDbContextAsync();
        var report = await db.Set<DmarcReportRow>().SingleAsync();
        Assert.Equal(("dmarc-2.0", "quarantine", "reject", "treewalk", "n", "Example MTA 4.2", (int?)null),
            (report.Schema, report.PolicyP, report.PolicyNp, report.DiscoveryMethod, report.Testing, report.Generator, report.Pct));
        var failing = await db.Set<DmarcRecordRow>().SingleAsync(r => r.SourceIp == "198.51.100.20");
        Assert.Equal("""[{"type":"local_policy","comment":"known forwarder, delivered"}]""", failing.OverrideReasons);
        Assert.Equal("""[{"domain":"shop.example","selector":"s2026","result":"fail","humanResult":"body hash mismatch"}]""", failing.DkimResults);
        Assert.Equal("""[{"domain":"relay.example","scope":"mfrom","result":"pass","humanResult":null}]""", failing.SpfResults);
        Assert.Equal("relay.example", failing.EnvelopeFrom);
    }

    [Fact]
    public async Task A_tls_report_twice_is_stored_once_with_its_failures()
    {
        var first = await ImportSampleAsync("packed/google-tlsrpt.eml");
        var second = await ImportSampleAsync("packed/google-tlsrpt.eml", Importer());

        Assert.Equal(ImportStatus.Imported, Assert.Single(first.Reports).Status);
        Assert.Equal(ImportStatus.Duplicate, Assert.Single(second.Reports).Status);
        await using var db = await Contexts.CreateDbContextAsync();
        var policy = await db.Set<TlsRptPolicyRow>().SingleAsync();
        Assert.Equal(("sts", "mx1.shop.example\nmx2.shop.example", 1500L, 12L), (policy.PolicyType, policy.MxHosts, policy.SuccessfulSessions, policy.FailedSessions));
        Assert.Contains("\"resultType\":\"certificate-expired\"", policy.FailureDetails, StringComparison.Ordinal);
        Assert.Contains("\"failedSessions\":10", policy.FailureDetails, StringComparison.Ordinal);
        Assert.Equal(ReportKind.TlsRpt, (await db.Set<DmarcReportDuplicateRow>().SingleAsync()).Kind);
    }

    internal static string Record(string ip, long count, string dkim = "pass", string spf = "pass") =>
        $"<record><row><source_ip>{ip}</source_ip><count>{count}</count><policy_evaluated><disposition>none</disposition><dkim>{dkim}</dkim><spf>{spf}</spf></policy_evaluated></row>"
        + "<identifiers><header_from>shop.example</header_from></identifiers><auth_results><spf><domain>shop.example</domain><result>pass</result></spf></auth_results></record>\n";

    internal static string Report(string id, long begin, long end, string records) =>
        $"<feedback><report_metadata><org_name>Example Receiver</org_name><email>dmarc@receiver.example</email><report_id>{id}</report_id>"
        + $"<date_range><begin>{begin}</begin><end>{end}</end></date_range></report_metadata>"
        + $"<policy_published><domain>shop.example</domain><p>none</p></policy_published>\n{records}</feedback>\n";
}

public sealed class SqliteDmarcReportStorageTests : DmarcReportStorageTests
{
    protected override StorageProvider Provider => StorageProvider.Sqlite;

    protected override string ConnectionString => SqliteConnectionString;
}

public sealed class PostgresDmarcReportStorageTests(PostgresFixture postgres) : DmarcReportStorageTests, IClassFixture<PostgresFixture>
{
    private readonly string _database = "dmarc_" + Guid.NewGuid().ToString("N");

    protected override StorageProvider Provider => StorageProvider.Postgres;

    protected override string ConnectionString => postgres.Server.ConnectionString(_database);
}
