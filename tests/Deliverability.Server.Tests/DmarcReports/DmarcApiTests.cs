using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Deliverability.Core.DmarcReports;
using Deliverability.Core.DmarcReports.Storage;
using Deliverability.Core.Storage;
using Deliverability.Server.DmarcReports;
using Deliverability.Testing.Host;

namespace Deliverability.Server.Tests.DmarcReports;

/// <summary><c>/api/dmarc</c> over the real service: roles, the analysis of stored reports, raw XML, uploads and their limits.</summary>
public sealed class DmarcApiTests : ServiceFixture
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
    private static readonly DateOnly Yesterday = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1);

    [Fact]
    public async Task Viewers_read_the_domains_daily_rates_sources_readiness_and_a_report_with_its_raw_xml()
    {
        await using var app = Start();
        var reportId = await SeedAsync(app);
        var viewer = app.CreateClientAs("Viewer");

        var domains = await viewer.GetFromJsonAsync<DmarcDomainDto[]>("/api/dmarc/domains", Web);
        var daily = await viewer.GetFromJsonAsync<DmarcDayDto[]>("/api/dmarc/domains/shop.example/daily?days=7", Web);
        var sources = await viewer.GetFromJsonAsync<DmarcSourceDto[]>("/api/dmarc/domains/shop.example/sources", Web);
        var readiness = await viewer.GetFromJsonAsync<PolicyReadinessDto>("/api/dmarc/domains/shop.example/readiness", Web);
        var reports = await viewer.GetFromJsonAsync<DmarcReportDto[]>("/api/dmarc/reports?domain=shop.example", Web);
        var report = await viewer.GetFromJsonAsync<DmarcReportXmlDto>($"/api/dmarc/reports/{reportId}", Web);

        var domain = Assert.Single(domains!);
        Assert.Equal(("shop.example", 200L, 0.9), (domain.Domain, domain.Rates.Messages, domain.Rates.PassRate!.Value));
        Assert.Equal([(Yesterday, 200L)], daily!.Select(d => (d.Day, d.Rates.Messages)));
        Assert.Equal([("192.0.2.10", "aligned", "configured sending IP"), ("203.0.113.66", "unknown_source", null)], sources!.Select(s => (s.Ip, s.Class, s.KnownService)));
        Assert.Equal(("reject", 180L), (readiness!.Verdict, readiness.OwnMessages));
        Assert.Equal(["r-1"], reports!.Select(r => r.ReportId));
        Assert.Contains("<report_id>r-1</report_id>", report!.Xml);
    }

    [Fact]
    public async Task Bad_input_gets_problem_details_never_a_500()
    {
        await using var app = Start();
        var viewer = app.CreateClientAs("Viewer");

        Assert.Equal(HttpStatusCode.BadRequest, (await viewer.GetAsync("/api/dmarc/domains/not_a..domain/sources")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await viewer.GetAsync("/api/dmarc/reports/999999")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await viewer.GetAsync("/api/dmarc/inputs?outcome=lost")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateAnonymousClient().GetAsync("/api/dmarc/domains")).StatusCode);
    }

    [Fact]
    public async Task Operators_upload_reports_an_invalid_one_is_refused_with_its_reason_and_listed_and_viewers_cannot_upload()
    {
        await using var app = Start(("Monitor:DmarcReports:MaxUploadBytes", "2048"));
        var operatorClient = app.CreateClientAs("Operator");

        var viewerUpload = await app.CreateClientAs("Viewer").PostAsync("/api/dmarc/reports", Body("<feedback><report_id>v</report_id></feedback>"));
        var imported = await operatorClient.PostAsync("/api/dmarc/reports?name=google.xml", Body("<feedback><report_id>u-1</report_id></feedback>"));
        var again = await operatorClient.PostAsync("/api/dmarc/reports?name=google.xml", Body("<feedback><report_id>u-1</report_id></feedback>"));
        var invalid = await operatorClient.PostAsync("/api/dmarc/reports?name=notes.txt", Body("hello"));
        var tooLarge = await operatorClient.PostAsync("/api/dmarc/reports", Body(new string('x', 4096)));
        var inputs = await operatorClient.GetFromJsonAsync<ReportInputDto[]>("/api/dmarc/inputs?outcome=invalid", Web);

        Assert.Equal(HttpStatusCode.Forbidden, viewerUpload.StatusCode);
        Assert.Equal("imported", (await imported.Content.ReadFromJsonAsync<UploadResultDto>(Web))!.Outcome);
        Assert.Equal("duplicate", (await again.Content.ReadFromJsonAsync<UploadResultDto>(Web))!.Outcome);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid.StatusCode);
        Assert.Contains("no report found", await invalid.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        var listed = Assert.Single(inputs!);
        Assert.Equal(("notes.txt", "upload by api-key:test-operator", "no report found in the upload"), (listed.Name, listed.Source, listed.Reason));
    }

    private MonitorApplication Start(params (string Key, string? Value)[] settings) =>
        new(DataFolder, Dns.Endpoint, new Dictionary<string, string?>(settings.Select(s => KeyValuePair.Create(s.Key, s.Value)))
        {
            ["Dns:UseCache"] = "false",
            ["Monitor:Audit:FirstRunDelay"] = "01:00:00",
            ["Monitor:Audit:Schedule"] = "01:00:00",
            ["Monitor:Blacklists:FirstRunDelay"] = "01:00:00",
            ["Monitor:Blacklists:Schedule"] = "01:00:00",
            ["Monitor:Domains:0:Name"] = "shop.example",
            ["Monitor:Domains:0:SendingIps:0"] = "192.0.2.10",
        }, services => services.AddSingleton<IReportImporter, UploadImporter>());

    private static ByteArrayContent Body(string text) => new(Encoding.UTF8.GetBytes(text)) { Headers = { ContentType = new("application/octet-stream") } };

    private static async Task<long> SeedAsync(MonitorApplication app)
    {
        var contexts = app.Services.GetRequiredService<IDbContextFactory<MonitorDbContext>>();
        await using var db = await contexts.CreateDbContextAsync();
        var report = new DmarcReportRow
        {
            Kind = ReportKind.DmarcAggregate, OrgName = "google.com", ReportId = "r-1", PolicyDomain = "shop.example", PolicyP = "none", Origin = "test",
            Begin = DateTimeOffset.UtcNow.AddDays(-2), End = DateTimeOffset.UtcNow.AddDays(-1), ImportedAt = DateTimeOffset.UtcNow,
            RawGzip = Gzip("<feedback><report_metadata><report_id>r-1</report_id></report_metadata></feedback>"),
        };
        db.Add(report);
        await db.SaveChangesAsync();
        // The daily sums belong to the report they were spread from.
        db.AddRange(
            new DmarcDailyRow { ReportRowId = report.Id, PolicyDomain = "shop.example", Day = Yesterday, SourceIp = "192.0.2.10", HeaderFrom = "shop.example", Disposition = "none", DkimAligned = true, SpfAligned = true, Messages = 180 },
            new DmarcDailyRow { ReportRowId = report.Id, PolicyDomain = "shop.example", Day = Yesterday, SourceIp = "203.0.113.66", HeaderFrom = "shop.example", Disposition = "none", DkimAligned = false, SpfAligned = false, Messages = 20 });
        await db.SaveChangesAsync();
        return report.Id;
    }

    private static byte[] Gzip(string text)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return output.ToArray();
    }

    /// <summary>A test-only stand-in of the report importer: XML with a report id is a report (the second time a duplicate), anything else is invalid.</summary>
    private sealed class UploadImporter : IReportImporter
    {
        private readonly HashSet<string> _seen = [];

        public async Task<ImportResult> ImportAsync(Stream content, string origin, CancellationToken cancellationToken)
        {
            var text = await new StreamReader(content).ReadToEndAsync(cancellationToken);
            var start = text.IndexOf("<report_id>", StringComparison.Ordinal);
            if (start < 0)
            {
                return new ImportResult([new ImportedReport(ImportStatus.Invalid, null, null, null, null, null, null, 0, 0, 0, 0, 0, "no report found in the upload")]);
            }

            var id = text[(start + 11)..text.IndexOf('<', start + 11)];
            var status = _seen.Add(id) ? ImportStatus.Imported : ImportStatus.Duplicate;
            return new ImportResult([new ImportedReport(status, ReportKind.DmarcAggregate, "google.com", id, "shop.example", null, null, 1, 1, 1, 1, 1, null)]);
        }
    }
}
