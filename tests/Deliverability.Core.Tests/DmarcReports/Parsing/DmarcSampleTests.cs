using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Deliverability.Core.DmarcReports;
using Deliverability.Core.DmarcReports.Storage;
using Deliverability.Core.Storage;

namespace Deliverability.Core.Tests.DmarcReports.Parsing;

/// <summary>
/// Every sample (Samples/README.md says where each shape comes from) imports with its expected counts, stored as
/// counted, or is refused with the expected reason and nothing stored.
/// </summary>
public sealed class DmarcSampleTests : DmarcImportFixture
{
    protected override StorageProvider Provider => StorageProvider.Sqlite;

    protected override string ConnectionString => SqliteConnectionString;

    public static TheoryData<string> Samples()
    {
        var data = new TheoryData<string>();
        foreach (var name in Expected().Keys)
        {
            data.Add(name);
        }

        return data;
    }

    private static Dictionary<string, JsonElement> Expected() =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(File.ReadAllText(Path.Combine(SamplesFolder, "expected.json")))!;

    [Fact]
    public void Every_sample_file_has_an_expectation()
    {
        var files = Directory.GetFiles(SamplesFolder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(SamplesFolder, f).Replace('\\', '/'))
            .Where(f => f.Contains('/', StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

        Assert.Equal(files, Expected().Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task Sample_imports_with_its_counts_or_is_refused_with_its_reason(string sample)
    {
        var expected = Expected()[sample];

        var result = await ImportSampleAsync(sample);

        var report = Assert.Single(result.Reports);
        Assert.Equal(expected.GetProperty("status").GetString(), report.Status.ToString());
        await using var db = await Contexts.CreateDbContextAsync();
        if (report.Status == ImportStatus.Invalid)
        {
            Assert.True(result.HasInvalid);
            Assert.Contains(expected.GetProperty("reason").GetString()!, report.Reason, StringComparison.Ordinal);
            Assert.False(await db.Set<DmarcReportRow>().AnyAsync());
            Assert.False(await db.Set<DmarcRecordRow>().AnyAsync());
            Assert.False(await db.Set<TlsRptReportRow>().AnyAsync());
            return;
        }

        Assert.False(result.HasInvalid);
        Assert.Equal(expected.GetProperty("kind").GetString(), report.Kind.ToString());
        Assert.Equal(expected.GetProperty("org").GetString(), report.OrgName);
        Assert.Equal(expected.GetProperty("reportId").GetString(), report.ReportId);
        Assert.Equal(expected.GetProperty("policyDomain").GetString(), report.PolicyDomain);
        Assert.Equal(expected.GetProperty("records").GetInt32(), report.Records);
        Assert.Equal(expected.GetProperty("messages").GetInt64(), report.Messages);
        Assert.Equal(expected.GetProperty("dmarcPass").GetInt64(), report.DmarcPass);
        Assert.Equal(expected.GetProperty("spfAlignedPass").GetInt64(), report.SpfAlignedPass);
        Assert.Equal(expected.GetProperty("dkimAlignedPass").GetInt64(), report.DkimAlignedPass);
        Assert.Equal(TimeSpan.Zero, report.Begin!.Value.Offset);

        if (report.Kind == ReportKind.TlsRpt)
        {
            var stored = await db.Set<TlsRptReportRow>().SingleAsync();
            var policies = await db.Set<TlsRptPolicyRow>().Where(p => p.ReportRowId == stored.Id).ToListAsync();
            Assert.Equal(report.Records, policies.Count);
            Assert.Equal(report.Messages, policies.Sum(p => p.SuccessfulSessions + p.FailedSessions));
            return;
        }

        var row = await db.Set<DmarcReportRow>().SingleAsync();
        var records = await db.Set<DmarcRecordRow>().Where(r => r.ReportRowId == row.Id).ToListAsync();
        var daily = await db.Set<DmarcDailyRow>().Where(r => r.ReportRowId == row.Id).ToListAsync();
        Assert.Equal(report.Records, records.Count);
        Assert.Equal(report.Messages, records.Sum(r => r.Count));
        Assert.Equal(report.Messages, daily.Sum(d => d.Messages));
        Assert.Equal(report.DmarcPass, daily.Where(d => d.DkimAligned || d.SpfAligned).Sum(d => d.Messages));
        Assert.NotNull(row.RawGzip);
    }
}
