using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Deliverability.Core.DmarcReports;
using Deliverability.Testing.Dns;

namespace Deliverability.Browser.Tests;

/// <summary>
/// The DMARC page in a real browser: a week of aggregate reports from two receivers imported through the service's own
/// importer; the page shows the domain's rates per day, its sources classified (the configured sending IP aligned, a
/// forwarder, an unknown sender), the readiness verdict, and the reports with their raw XML.
/// </summary>
public sealed class DmarcPageTests(Chromium chromium) : IClassFixture<Chromium>, IAsyncLifetime
{
    private const string Domain = "shop.example";
    private const string OwnIp = "192.0.2.10";
    private const string ForwarderIp = "198.51.100.7";
    private const string UnknownIp = "203.0.113.66";
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);
    private TestDnsServer _dns = null!;
    private DashboardServer _server = null!;

    public async Task InitializeAsync()
    {
        var zone = new TestZone()
            .Txt(Domain, "v=spf1 ip4:192.0.2.10 -all")
            .Txt("_dmarc." + Domain, "v=DMARC1; p=none; rua=mailto:dmarc@shop.example")
            .PtrFor(OwnIp, "mta1.shop.example")
            .A("mta1.shop.example", OwnIp)
            .PtrFor(ForwarderIp, "relay.lists.example.org");
        _dns = TestDnsServer.Start(zone);
        _server = new DashboardServer(_dns.Endpoint, Domain);
        _server.ExtraSettings["Monitor:Domains:0:SendingIps:0"] = OwnIp;
        await _server.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _dns.DisposeAsync();
    }

    [Fact]
    public async Task Viewer_reads_the_rates_per_day_the_classified_sources_the_verdict_and_a_reports_raw_xml()
    {
        var importer = _server.Services.GetRequiredService<IReportImporter>();
        var imported = new List<ImportedReport>();
        for (var daysAgo = 6; daysAgo >= 1; daysAgo--)
        {
            foreach (var org in new[] { "google.com", "Yahoo" })
            {
                using var xml = new MemoryStream(Encoding.UTF8.GetBytes(Report(org, Today.AddDays(-daysAgo), failing: daysAgo % 3 == 0 ? 2 : 0)));
                imported.AddRange((await importer.ImportAsync(xml, $"{org}-{daysAgo}.xml", CancellationToken.None)).Reports);
            }
        }

        Assert.All(imported, r => Assert.Equal(ImportStatus.Imported, r.Status));

        var page = await DashboardPage.SignInAsync(chromium.Browser, _server, "viewer", new ViewportSize { Width = 1400, Height = 1600 });
        await page.GotoAsync($"{_server.BaseUrl}/dmarc?domain={Domain}");
        await DashboardPage.WaitForInteractivityAsync(page);

        var row = page.Locator($"[data-testid=dmarc-domains] tr[data-domain='{Domain}']");
        // 12 reports x (100 own + 6 forwarded + 4 unknown) messages.
        await Assertions.Expect(row).ToContainTextAsync("1,320");
        await Assertions.Expect(page.Locator("[data-testid=dmarc-chart] circle.rate-pass")).ToHaveCountAsync(6);
        await Assertions.Expect(page.Locator("[data-testid=dmarc-chart] polyline[data-series=pass]")).ToHaveCountAsync(1);
        var sources = page.Locator("[data-testid=dmarc-sources]");
        await Assertions.Expect(sources.Locator($"tr[data-ip='{OwnIp}']")).ToHaveAttributeAsync("data-class", "aligned");
        await Assertions.Expect(sources.Locator($"tr[data-ip='{OwnIp}']")).ToContainTextAsync("configured sending IP");
        await Assertions.Expect(sources.Locator($"tr[data-ip='{OwnIp}']")).ToContainTextAsync("mta1.shop.example");
        await Assertions.Expect(sources.Locator($"tr[data-ip='{ForwarderIp}']")).ToHaveAttributeAsync("data-class", "forwarded");
        await Assertions.Expect(sources.Locator($"tr[data-ip='{UnknownIp}']")).ToHaveAttributeAsync("data-class", "unknown_source");
        var readiness = page.Locator("[data-testid=dmarc-readiness]");
        await Assertions.Expect(readiness).ToHaveAttributeAsync("data-verdict", "reject");
        await Assertions.Expect(readiness).ToContainTextAsync("1 unknown sources sent 48 failing messages");

        var reports = page.Locator("[data-testid=dmarc-reports] tr[data-report]");
        await Assertions.Expect(reports).ToHaveCountAsync(12);
        await reports.First.Locator("[data-testid=show-xml]").ClickAsync();
        var raw = page.Locator("[data-testid=raw-xml]");
        await Assertions.Expect(raw).ToContainTextAsync("<feedback>");
        await Assertions.Expect(raw).ToContainTextAsync($"<source_ip>{UnknownIp}</source_ip>");
        await DashboardPage.ScreenshotAsync(page, "dmarc");
    }

    /// <summary>
    /// One receiver's report of one UTC day: 100 messages from the configured IP (<paramref name="failing"/> of them failing
    /// both), 6 relayed by a mailing list (DKIM kept, SPF not) and 4 from an unknown sender failing both.
    /// </summary>
    private static string Report(string org, DateOnly day, int failing)
    {
        var begin = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeSeconds();
        var id = $"{org}-{day:yyyyMMdd}";
        return $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <feedback>
              <report_metadata><org_name>{org}</org_name><email>noreply-dmarc@{org.ToLowerInvariant()}</email><report_id>{id}</report_id>
                <date_range><begin>{begin.ToString(CultureInfo.InvariantCulture)}</begin><end>{(begin + 86399).ToString(CultureInfo.InvariantCulture)}</end></date_range></report_metadata>
              <policy_published><domain>{Domain}</domain><adkim>r</adkim><aspf>r</aspf><p>none</p><sp>none</sp><pct>100</pct></policy_published>
            {Record(OwnIp, 100 - failing, "pass", "pass")}{(failing > 0 ? Record(OwnIp, failing, "fail", "fail") : "")}{Record(ForwarderIp, 6, "pass", "fail")}{Record(UnknownIp, 4, "fail", "fail")}</feedback>
            """;
    }

    private static string Record(string ip, int count, string dkim, string spf) =>
        $"  <record><row><source_ip>{ip}</source_ip><count>{count}</count><policy_evaluated><disposition>none</disposition><dkim>{dkim}</dkim><spf>{spf}</spf></policy_evaluated></row>"
        + $"<identifiers><header_from>{Domain}</header_from></identifiers><auth_results><dkim><domain>{Domain}</domain><selector>s1</selector><result>{dkim}</result></dkim>"
        + $"<spf><domain>{Domain}</domain><result>{spf}</result></spf></auth_results></record>\n";
}
