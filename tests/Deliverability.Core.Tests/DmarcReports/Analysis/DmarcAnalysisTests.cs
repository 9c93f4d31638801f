using Microsoft.Extensions.Options;
using Deliverability.Core.Alerts;
using Deliverability.Core.Alerts.Rules;
using Deliverability.Core.Dns;
using Deliverability.Core.DmarcReports.Alerts;
using Deliverability.Core.DmarcReports.Analysis;
using Deliverability.Core.DmarcReports.Mailbox;
using Deliverability.Core.DmarcReports.Storage;
using Deliverability.Core.Monitoring;
using Deliverability.Core.Storage;
using Deliverability.Core.Tests.Storage;
using Deliverability.Testing.Dns;

namespace Deliverability.Core.Tests.DmarcReports.Analysis;

/// <summary>
/// The reports' daily counts read back as rates, sources identified through a real DNS server (PTR, SPF includes) and
/// the configured sending IPs, classified, judged for a stricter policy, and turned into alerts on a fixed timeline.
/// </summary>
public sealed class DmarcAnalysisTests : StoreFixture
{
    private const string Domain = "shop.example";
    private const string OwnIp = "192.0.2.10";
    private const string EspIp = "198.51.100.7";
    private const string ForwarderIp = "203.0.113.5";
    private const string SpooferIp = "203.0.113.66";

    private TestDnsServer _dns = null!;
    private DnsStubResolver _resolver = null!;

    protected override StorageProvider Provider => StorageProvider.Sqlite;

    protected override string ConnectionString => SqliteConnectionString;

    private DateOnly Today => DateOnly.FromDateTime(Time.GetUtcNow().UtcDateTime);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var zone = new TestZone()
            .Txt(Domain, "v=spf1 ip4:192.0.2.10 include:_spf.esp.example -all")
            .Txt("_spf.esp.example", "v=spf1 ip4:198.51.100.0/24 -all")
            .PtrFor(OwnIp, "mail.shop.example")
            .PtrFor(EspIp, "o7.send.esp.example")
            .PtrFor(ForwarderIp, "lists.university.ac.uk");
        _dns = TestDnsServer.Start(zone);
        _resolver = new DnsStubResolver(new DnsOptions { NameServers = [_dns.Endpoint], UseCache = false });
    }

    public override async Task DisposeAsync()
    {
        _resolver.Dispose();
        await _dns.DisposeAsync();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task Sources_are_named_by_reverse_DNS_base_domain_and_known_service_and_classified()
    {
        await SeedAsync(Today.AddDays(-1), (OwnIp, 500, true, true), (EspIp, 300, true, false), (EspIp, 100, false, false), (ForwarderIp, 40, true, false), (SpooferIp, 60, false, false));

        var sources = (await Analyzer().SourcesAsync(Domain, 30, CancellationToken.None)).ToDictionary(s => s.Ip);

        Assert.Equal(("mail.shop.example", "shop.example", "configured sending IP", SourceClass.Aligned),
            (sources[OwnIp].Identity.ReverseName, sources[OwnIp].Identity.BaseDomain, sources[OwnIp].Identity.KnownService, sources[OwnIp].Class));
        Assert.Equal(("esp.example", "SPF include _spf.esp.example", SourceClass.Aligned, 0.75),
            (sources[EspIp].Identity.BaseDomain, sources[EspIp].Identity.KnownService, sources[EspIp].Class, sources[EspIp].Rates.PassRate));
        Assert.Equal(("university.ac.uk", null, SourceClass.Forwarded), (sources[ForwarderIp].Identity.BaseDomain, sources[ForwarderIp].Identity.KnownService, sources[ForwarderIp].Class));
        Assert.Equal((null, SourceClass.UnknownSource), (sources[SpooferIp].Identity.ReverseName, sources[SpooferIp].Class));
    }

    [Fact]
    public async Task Daily_rates_are_per_UTC_day_with_dispositions()
    {
        await SeedAsync(Today.AddDays(-2), (OwnIp, 90, true, true), (SpooferIp, 10, false, false));
        await SeedAsync(Today.AddDays(-1), (OwnIp, 100, true, false));

        var days = await Analyzer().DailyAsync(Domain, 30, CancellationToken.None);

        Assert.Equal([(Today.AddDays(-2), 100L, 0.9, 0.9, 0.9, 10L), (Today.AddDays(-1), 100L, 1.0, 1.0, 0.0, 0L)],
            days.Select(d => (d.Day, d.Rates.Messages, d.Rates.PassRate!.Value, d.Rates.DkimRate!.Value, d.Rates.SpfRate!.Value, d.Rates.Quarantine)));
    }

    [Fact]
    public async Task A_known_source_failing_keeps_the_domain_at_none_and_says_which()
    {
        await SeedAsync(Today.AddDays(-3), (OwnIp, 1000, true, true), (EspIp, 200, false, false), (SpooferIp, 500, false, false));

        var readiness = await Analyzer().ReadinessAsync(Domain, new PolicyReadinessOptions(), CancellationToken.None);

        Assert.Equal(PolicyVerdict.NotReady, readiness.Verdict);
        Assert.Contains(readiness.Reasons, r => r.StartsWith("198.51.100.7 (SPF include _spf.esp.example) passes DMARC for 0.0 %", StringComparison.Ordinal));
        Assert.Equal([SpooferIp, EspIp], readiness.StillFailing.Select(s => s.Ip));
    }

    [Theory]
    [InlineData(990, 10, PolicyVerdict.Reject)]
    [InlineData(960, 40, PolicyVerdict.Quarantine)]
    [InlineData(900, 100, PolicyVerdict.NotReady)]
    [InlineData(40, 10, PolicyVerdict.NoData)]
    public async Task The_verdict_follows_the_share_of_the_domains_own_mail_that_passes(int passing, int forwardedFailing, PolicyVerdict expected)
    {
        // Unknown spoofing does not count against the domain's own mail: enforcing is what stops it.
        await SeedAsync(Today.AddDays(-1), (OwnIp, passing, true, true), (OwnIp, forwardedFailing, false, false), (SpooferIp, 5000, false, false));

        var readiness = await Analyzer().ReadinessAsync(Domain, new PolicyReadinessOptions { MinMessages = 100, KnownSourceShare = 0.5 }, CancellationToken.None);

        Assert.Equal(expected, readiness.Verdict);
    }

    [Fact]
    public async Task Alerts_fire_for_a_low_pass_rate_a_new_unknown_source_an_unaligned_sending_IP_and_TLS_failures_and_a_source_stops_being_new()
    {
        await SeedAsync(Today.AddDays(-1), (OwnIp, 100, true, false), (SpooferIp, 150, false, false));
        await SeedTlsAsync(Time.GetUtcNow().AddDays(-1), successful: 80, failed: 20);
        var rules = new AlertRulesOptions();

        var now = await EvaluateAsync(rules);
        Time.Advance(TimeSpan.FromDays(8));
        await SeedAsync(Today.AddDays(-1), (SpooferIp, 150, false, false));
        var later = await EvaluateAsync(rules);

        Assert.Equal(
            [(DmarcPassRateRule.Name, ""), (DmarcSendingIpRule.Name, OwnIp), (DmarcUnknownSourceRule.Name, SpooferIp), (TlsRptFailuresRule.Name, "")],
            now.Select(c => (c.Labels[AlertLabels.AlertName], c.Labels.GetValueOrDefault(AlertLabels.Ip, ""))).Order());
        Assert.Contains("fails SPF alignment", now.Single(c => c.Labels[AlertLabels.AlertName] == DmarcSendingIpRule.Name).Annotations[AlertLabels.Summary]);
        // Eight days on, the spoofer is no longer new (first seen 9 days ago); the pass rate is still low.
        Assert.DoesNotContain(later, c => c.Labels[AlertLabels.AlertName] == DmarcUnknownSourceRule.Name);
        Assert.Contains(later, c => c.Labels[AlertLabels.AlertName] == DmarcPassRateRule.Name);
    }

    [Fact]
    public async Task Thresholds_below_the_numbers_keep_the_rules_quiet()
    {
        await SeedAsync(Today.AddDays(-1), (OwnIp, 100, true, true), (SpooferIp, 50, false, false));
        var rules = new AlertRulesOptions();
        rules.DmarcPassRate.Threshold = 0.5;

        Assert.Empty(await EvaluateAsync(rules));
    }

    private async Task<IReadOnlyList<AlertCondition>> EvaluateAsync(AlertRulesOptions rules)
    {
        var signals = await new DmarcAlertSignals(new StoredReports(Contexts), Analyzer(), Time).GetSignalsAsync(CancellationToken.None);
        var input = new AlertRuleInput(Time.GetUtcNow(), [], signals, null, Time.GetUtcNow().AddDays(-30));
        return [.. AlertRules.From(rules, null).Where(r => r.AlertName.StartsWith("Dmarc", StringComparison.Ordinal) || r.AlertName.StartsWith("TlsRpt", StringComparison.Ordinal)).SelectMany(r => r.Evaluate(input))];
    }

    private DmarcAnalyzer Analyzer()
    {
        var monitor = new MonitorOptions { Domains = [new MonitoredDomain { Name = Domain, SendingIps = [OwnIp] }] };
        return new DmarcAnalyzer(new StoredReports(Contexts), new SourceIdentifier(_resolver, Time), new MonitoredDomainCatalog(Options.Create(monitor), Contexts, Time), Time);
    }

    private async Task SeedAsync(DateOnly day, params (string Ip, long Messages, bool Dkim, bool Spf)[] rows)
    {
        await using var db = await Contexts.CreateDbContextAsync();
        // The daily sums belong to the report they were spread from: one report per seeded day.
        var report = new DmarcReportRow
        {
            OrgName = "google.com", ReportId = Guid.NewGuid().ToString("N"), PolicyDomain = Domain, Origin = "test",
            Begin = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), End = new DateTimeOffset(day.ToDateTime(TimeOnly.MaxValue), TimeSpan.Zero),
            ImportedAt = new DateTimeOffset(day.ToDateTime(TimeOnly.MaxValue), TimeSpan.Zero),
        };
        db.Add(report);
        await db.SaveChangesAsync();
        foreach (var (ip, messages, dkim, spf) in rows)
        {
            var disposition = dkim || spf ? "none" : "quarantine";
            var existing = db.Set<DmarcDailyRow>().Local.FirstOrDefault(r => r.Day == day && r.SourceIp == ip && r.DkimAligned == dkim && r.SpfAligned == spf);
            if (existing is not null)
            {
                existing.Messages += messages;
                continue;
            }

            db.Set<DmarcDailyRow>().Add(new DmarcDailyRow { ReportRowId = report.Id, PolicyDomain = Domain, Day = day, SourceIp = ip, HeaderFrom = Domain, Disposition = disposition, DkimAligned = dkim, SpfAligned = spf, Messages = messages });
        }

        await db.SaveChangesAsync();
    }

    private async Task SeedTlsAsync(DateTimeOffset end, long successful, long failed)
    {
        await using var db = await Contexts.CreateDbContextAsync();
        var report = new TlsRptReportRow { OrgName = "Google Inc.", ReportId = Guid.NewGuid().ToString("N"), PolicyDomain = Domain, Begin = end.AddDays(-1), End = end, Origin = "test", ImportedAt = end };
        db.Add(report);
        await db.SaveChangesAsync();
        db.Add(new TlsRptPolicyRow { ReportRowId = report.Id, PolicyType = "sts", PolicyDomain = Domain, SuccessfulSessions = successful, FailedSessions = failed });
        await db.SaveChangesAsync();
    }
}
