using System.Net;
using Deliverability.Core.Audits;
using Deliverability.Core.Authentication.Spf;
using Deliverability.Core.Dns;
using Deliverability.Testing.Dns;

namespace Deliverability.Core.Tests.Authentication.Spf;

public sealed class SpfCheckTests : IAsyncLifetime
{
    private TestDnsServer _dns = null!;

    public async Task InitializeAsync()
    {
        var zone = new TestZone()
            .Txt("good.test", "v=spf1 ip4:192.0.2.0/24 include:provider.test -all")
            .Txt("good.test", "google-site-verification=abc")
            .Txt("provider.test", "v=spf1 ip4:198.51.100.0/24 ~all")
            .Txt("multi.test", "v=spf1 -all")
            .Txt("multi.test", "v=spf1 ip4:192.0.2.1 -all")
            .Txt("syntax.test", "v=spf1 ip4:192.0.2.300 -all")
            .Txt("loop.test", "v=spf1 include:loop2.test -all")
            .Txt("loop2.test", "v=spf1 include:loop.test -all")
            .Txt("redirect-loop.test", "v=spf1 redirect=redirect-loop.test")
            .Txt("include-missing.test", "v=spf1 include:gone.test -all")
            .Txt("include-invalid.test", "v=spf1 include:syntax.test -all")
            .Txt("ptr.test", "v=spf1 ptr -all")
            .Txt("plus-all.test", "v=spf1 +all")
            .Txt("include-plus-all.test", "v=spf1 include:plus-all.test -all")
            .Txt("neutral-all.test", "v=spf1 ip4:192.0.2.1 ?all")
            .Txt("no-all.test", "v=spf1 ip4:192.0.2.1")
            .Txt("redirect.test", "v=spf1 redirect=good.test")
            .Txt("macro.test", "v=spf1 include:%{d2}.spf.provider.test -all")
            .Txt("void1.test", "v=spf1 a:nothing1.void1.test ip4:192.0.2.1 -all")
            .Txt("voids.test", "v=spf1 a:n1.voids.test a:n2.voids.test mx:n3.voids.test -all")
            .Txt("mx-many.test", "v=spf1 mx -all")
            .Txt("slow-record.test", "v=spf1 include:slow.test -all")
            .Timeout("slow.test")
            .ServFail("broken.test")
            .Txt("long.test", "v=spf1 " + string.Join(' ', Enumerable.Range(1, 20).Select(i => $"ip4:192.0.{i}.0/24")), " " + string.Join(' ', Enumerable.Range(21, 20).Select(i => $"ip4:192.0.{i}.0/24")) + " -all");
        for (var i = 1; i <= 11; i++)
        {
            zone.Txt($"inc{i}.test", $"v=spf1 ip4:203.0.113.{i} -all");
            zone.Mx("mx-many.test", (ushort)i, $"mx{i}.mx-many.test");
        }

        zone.Txt("eleven.test", "v=spf1 " + string.Join(' ', Enumerable.Range(1, 11).Select(i => $"include:inc{i}.test")) + " -all");
        zone.Txt("eight.test", "v=spf1 " + string.Join(' ', Enumerable.Range(1, 6).Select(i => $"include:inc{i}.test")) + " a mx -all");
        zone.A("eight.test", "192.0.2.8").Mx("eight.test", 10, "mx.eight.test");
        _dns = await WarmDnsServer.StartAsync(zone);
    }

    public async Task DisposeAsync() => await _dns.DisposeAsync();

    private async Task<(CheckResult Result, DomainAuditContext Context)> RunAsync(string domain, params string[] ips) =>
        await RunAsync(new DomainAuditRequest(domain, [], [.. ips.Select(IPAddress.Parse)]));

    private async Task<(CheckResult Result, DomainAuditContext Context)> RunAsync(DomainAuditRequest request)
    {
        var resolver = new DnsStubResolver(new DnsOptions { NameServers = [_dns.Endpoint], TimeoutSeconds = 1, Retries = 1, UseCache = false });
        var context = new DomainAuditContext(request, resolver);
        return (await new SpfCheck().RunAsync(context, CancellationToken.None), context);
    }

    private static Finding Single(CheckResult result, string code) => Assert.Single(result.Findings, f => f.Code == code);

    [Fact]
    public async Task Good_record_is_ok_and_publishes_facts()
    {
        var (result, context) = await RunAsync("good.test", "192.0.2.7", "198.51.100.9");

        Assert.Equal("spf", result.Check);
        Assert.Equal(CheckStatus.Ok, result.Status);
        Assert.Empty(result.Findings);
        Assert.Equal(["v=spf1 ip4:192.0.2.0/24 include:provider.test -all"], result.Records);
        var facts = context.Fact<SpfFacts>();
        Assert.NotNull(facts);
        Assert.True(facts.RecordFound);
        Assert.Equal(SpfResult.Pass, facts.ResultsByIp[IPAddress.Parse("192.0.2.7")]);
        Assert.Equal(SpfResult.Pass, facts.ResultsByIp[IPAddress.Parse("198.51.100.9")]);
    }

    [Fact]
    public async Task Unauthorized_sending_ip_is_an_error_about_that_ip()
    {
        var (result, context) = await RunAsync("good.test", "192.0.2.7", "203.0.113.50");

        var finding = Single(result, "spf.ip_not_authorized");
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Equal("203.0.113.50", finding.Subject);
        Assert.Contains("fail", finding.Message);
        Assert.Equal(SpfResult.Fail, context.Fact<SpfFacts>()!.ResultsByIp[IPAddress.Parse("203.0.113.50")]);
        Assert.Equal(CheckStatus.Error, result.Status);
    }

    [Fact]
    public async Task Missing_record_is_an_error()
    {
        var (result, context) = await RunAsync("nothing.test", "192.0.2.7");

        Assert.Equal(Severity.Error, Single(result, "spf.missing").Severity);
        Assert.False(context.Fact<SpfFacts>()!.RecordFound);
        Assert.Equal(SpfResult.None, context.Fact<SpfFacts>()!.ResultsByIp[IPAddress.Parse("192.0.2.7")]);
        Assert.Equal(CheckStatus.Error, result.Status);
    }

    [Fact]
    public async Task Nxdomain_is_a_missing_record_that_says_the_name_does_not_exist()
    {
        var (result, _) = await RunAsync("absent.test");

        Assert.Contains("does not exist", Single(result, "spf.missing").Message);
    }

    [Fact]
    public async Task Several_records_are_an_error_and_all_are_shown()
    {
        var (result, context) = await RunAsync("multi.test", "192.0.2.1");

        Assert.Equal(Severity.Error, Single(result, "spf.multiple_records").Severity);
        Assert.Equal(2, result.Records.Count);
        Assert.False(context.Fact<SpfFacts>()!.RecordFound);
        Assert.Equal(SpfResult.PermError, context.Fact<SpfFacts>()!.ResultsByIp[IPAddress.Parse("192.0.2.1")]);
    }

    [Fact]
    public async Task Malformed_record_is_a_syntax_finding_not_a_crash()
    {
        var (result, _) = await RunAsync("syntax.test", "192.0.2.7");

        var finding = Single(result, "spf.syntax");
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Contains("192.0.2.300", finding.Message);
    }

    [Fact]
    public async Task Eleven_includes_are_too_many_lookups_with_the_count_per_mechanism()
    {
        var (result, _) = await RunAsync("eleven.test");

        var finding = Single(result, "spf.too_many_lookups");
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Contains("11 DNS lookups", finding.Message);
        Assert.Contains("include: 11", finding.Message);
    }

    [Fact]
    public async Task Eight_lookups_are_near_the_limit()
    {
        var (result, _) = await RunAsync("eight.test");

        var finding = Single(result, "spf.lookups_near_limit");
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Contains("include: 6", finding.Message);
        Assert.Contains("a: 1", finding.Message);
        Assert.Contains("mx: 1", finding.Message);
    }

    [Fact]
    public async Task One_void_lookup_is_a_warning()
    {
        var (result, _) = await RunAsync("void1.test");

        var finding = Single(result, "spf.void_lookup");
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Contains("a:nothing1.void1.test", finding.Message);
        Assert.DoesNotContain(result.Findings, f => f.Code == "spf.too_many_void_lookups");
    }

    [Fact]
    public async Task Three_void_lookups_are_an_error()
    {
        var (result, _) = await RunAsync("voids.test");

        Assert.Equal(Severity.Error, Single(result, "spf.too_many_void_lookups").Severity);
        Assert.Equal(3, result.Findings.Count(f => f.Code == "spf.void_lookup"));
    }

    [Fact]
    public async Task Include_loop_is_an_error()
    {
        var (result, _) = await RunAsync("loop.test");

        var finding = Single(result, "spf.include_loop");
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Contains("loop.test -> loop2.test -> loop.test", finding.Message);
    }

    [Fact]
    public async Task Redirect_to_itself_is_a_loop()
    {
        var (result, _) = await RunAsync("redirect-loop.test");

        Assert.Equal(Severity.Error, Single(result, "spf.include_loop").Severity);
    }

    [Fact]
    public async Task Include_of_a_domain_without_spf_is_an_error()
    {
        var (result, _) = await RunAsync("include-missing.test");

        var finding = Single(result, "spf.include_missing");
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Contains("gone.test", finding.Message);
    }

    [Fact]
    public async Task Include_of_an_invalid_record_is_an_error()
    {
        var (result, _) = await RunAsync("include-invalid.test");

        Assert.Equal(Severity.Error, Single(result, "spf.include_invalid").Severity);
    }

    [Fact]
    public async Task Ptr_is_deprecated()
    {
        var (result, _) = await RunAsync("ptr.test");

        Assert.Equal(Severity.Warning, Single(result, "spf.ptr_deprecated").Severity);
    }

    [Fact]
    public async Task Plus_all_is_an_error()
    {
        var (result, _) = await RunAsync("plus-all.test");

        Assert.Equal(Severity.Error, Single(result, "spf.permissive_all").Severity);
    }

    [Fact]
    public async Task Plus_all_in_an_included_record_is_an_error_too()
    {
        var (result, _) = await RunAsync("include-plus-all.test");

        Assert.Equal("plus-all.test", Single(result, "spf.permissive_all").Subject);
    }

    [Fact]
    public async Task Question_mark_all_is_a_warning()
    {
        var (result, _) = await RunAsync("neutral-all.test");

        Assert.Equal(Severity.Warning, Single(result, "spf.neutral_all").Severity);
        Assert.Equal(CheckStatus.Warning, result.Status);
    }

    [Fact]
    public async Task Record_without_all_or_redirect_is_a_warning()
    {
        var (result, _) = await RunAsync("no-all.test");

        Assert.Equal(Severity.Warning, Single(result, "spf.no_all").Severity);
    }

    [Fact]
    public async Task Redirect_counts_as_a_terminal_and_is_followed()
    {
        var (result, _) = await RunAsync("redirect.test", "198.51.100.9");

        Assert.DoesNotContain(result.Findings, f => f.Code == "spf.no_all");
        Assert.Equal(CheckStatus.Ok, result.Status);
    }

    [Fact]
    public async Task Include_with_macros_is_noted_as_not_followed()
    {
        var (result, _) = await RunAsync("macro.test");

        Assert.Equal(Severity.Info, Single(result, "spf.macro_not_followed").Severity);
        Assert.Equal(CheckStatus.Ok, result.Status);
    }

    [Fact]
    public async Task Mx_with_more_than_10_names_is_an_error()
    {
        var (result, _) = await RunAsync("mx-many.test");

        Assert.Equal(Severity.Error, Single(result, "spf.mx_too_many_names").Severity);
    }

    [Fact]
    public async Task Answer_over_512_bytes_is_a_warning()
    {
        var (result, _) = await RunAsync("long.test");

        Assert.Equal(Severity.Warning, Single(result, "spf.record_too_long").Severity);
    }

    [Fact]
    public void Character_string_over_255_bytes_is_an_error()
    {
        var answer = new[] { new TxtRecord("big.test", 300, ["v=spf1 " + new string('a', 300) + " -all"]) };

        var finding = Assert.Single(SpfRecordAudit.SizeFindings("big.test", answer), f => f.Code == "spf.string_too_long");

        Assert.Equal(Severity.Error, finding.Severity);
    }

    [Fact]
    public async Task Timeout_reading_the_record_is_inconclusive_not_missing()
    {
        var (result, context) = await RunAsync("slow.test", "192.0.2.7");

        Assert.Equal(CheckStatus.Unknown, result.Status);
        Single(result, "spf.dns_temporary");
        Assert.DoesNotContain(result.Findings, f => f.Code == "spf.missing");
        // No facts: later stages (the bulk-sender verdict) must read "unknown", not "no SPF record".
        Assert.Null(context.Fact<SpfFacts>());
    }

    [Fact]
    public async Task Servfail_reading_the_record_is_inconclusive()
    {
        var (result, _) = await RunAsync("broken.test");

        Assert.Equal(CheckStatus.Unknown, result.Status);
        Single(result, "spf.dns_temporary");
    }

    [Fact]
    public async Task Timeout_inside_an_include_makes_the_ip_result_temperror_and_the_check_inconclusive()
    {
        var (result, context) = await RunAsync("slow-record.test", "192.0.2.7");

        Assert.Equal(CheckStatus.Unknown, result.Status);
        Assert.Equal(SpfResult.TempError, context.Fact<SpfFacts>()!.ResultsByIp[IPAddress.Parse("192.0.2.7")]);
        Assert.DoesNotContain(result.Findings, f => f.Code is "spf.ip_not_authorized" or "spf.include_missing");
    }

    [Fact]
    public async Task From_domain_different_from_return_path_is_audited_too()
    {
        var (result, context) = await RunAsync(new DomainAuditRequest("no-all.test", [], [IPAddress.Parse("192.0.2.7")], ReturnPathDomain: "good.test"));

        Assert.Equal("good.test", context.Fact<SpfFacts>()!.Domain);
        Assert.Equal("no-all.test", Single(result, "spf.no_all").Subject);
        Assert.Equal(2, result.Records.Count);
    }

    [Fact]
    public async Task From_domain_without_spf_is_only_information_when_the_return_path_differs()
    {
        var (result, _) = await RunAsync(new DomainAuditRequest("nothing.test", [], [], ReturnPathDomain: "good.test"));

        Assert.Equal(Severity.Info, Single(result, "spf.from_domain_missing").Severity);
        Assert.Equal(CheckStatus.Ok, result.Status);
    }

    [Fact]
    public void Full_audit_runs_the_spf_check() =>
        Assert.Contains(DomainChecks.All(), c => c is SpfCheck && c.Name == "spf");
}
