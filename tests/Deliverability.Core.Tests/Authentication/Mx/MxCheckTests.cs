using Deliverability.Core.Audits;
using Deliverability.Core.Authentication.Mx;
using Deliverability.Core.Dns;
using Deliverability.Testing.Dns;

namespace Deliverability.Core.Tests.Authentication.Mx;

public sealed class MxCheckTests : IAsyncLifetime
{
    private TestDnsServer _server = null!;

    public Task InitializeAsync()
    {
        _server = TestDnsServer.Start(new TestZone()
            .Mx("good.test", 10, "mx1.good.test")
            .Mx("good.test", 20, "mx2.good.test")
            .A("mx1.good.test", "192.0.2.1")
            .Aaaa("mx2.good.test", "2001:db8::2")
            .A("implicit.test", "192.0.2.10")
            .Txt("nodata.test", "v=spf1 -all")
            .Mx("nullmx.test", 0, ".")
            .Mx("nullmixed.test", 0, ".")
            .Mx("nullmixed.test", 10, "mx1.good.test")
            .Mx("nullpref.test", 10, ".")
            .Mx("cname.test", 10, "alias.cname.test")
            .Cname("alias.cname.test", "mx1.good.test")
            .Mx("unresolved.test", 10, "nowhere.unresolved.test")
            .Mx("literal.test", 10, "192.0.2.1")
            .Mx("dup.test", 10, "mx1.good.test")
            .Mx("dup.test", 20, "mx1.good.test")
            .Timeout("slow.test", TestRecordType.MX)
            .ServFail("broken.test", TestRecordType.MX)
            .Refused("refused.test", TestRecordType.MX)
            .Mx("slowtarget.test", 10, "mx.slowtarget.test")
            .Timeout("mx.slowtarget.test")
            .Mx("mixed.test", 10, "nowhere.mixed.test")
            .Mx("mixed.test", 20, "mx.slowtarget.test")
            .Timeout("noaddress.test", TestRecordType.A)
            .Exists("sub.noaddress.test"));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Resolvable_mx_hosts_are_ok()
    {
        var result = await RunAsync("good.test");

        Assert.Equal(CheckStatus.Ok, result.Status);
        Assert.Contains(result.Findings, f => f.Code == "mx.ok");
        Assert.Equal(["MX 10 mx1.good.test", "MX 20 mx2.good.test"], result.Records);
    }

    [Fact]
    public async Task No_mx_with_an_address_record_warns_of_the_implicit_mx()
    {
        var result = await RunAsync("implicit.test");

        Assert.Equal(CheckStatus.Warning, result.Status);
        Assert.Equal("mx.implicit", Assert.Single(result.Findings).Code);
    }

    [Fact]
    public async Task No_mx_and_no_address_is_an_error()
    {
        var result = await RunAsync("nodata.test");

        Assert.Equal(CheckStatus.Error, result.Status);
        Assert.Equal("mx.missing", Assert.Single(result.Findings).Code);
    }

    [Fact]
    public async Task Nxdomain_is_mx_missing()
    {
        var result = await RunAsync("nothing-here.test");

        Assert.Equal(CheckStatus.Error, result.Status);
        Assert.Equal("mx.missing", Assert.Single(result.Findings).Code);
    }

    [Fact]
    public async Task Null_mx_alone_says_the_domain_accepts_no_mail()
    {
        var result = await RunAsync("nullmx.test");

        Assert.Equal(CheckStatus.Ok, result.Status);
        var finding = Assert.Single(result.Findings);
        Assert.Equal("mx.null", finding.Code);
        Assert.Equal(Severity.Info, finding.Severity);
        Assert.Equal(["MX 0 ."], result.Records);
    }

    [Fact]
    public async Task Null_mx_mixed_with_other_mx_records_is_an_error()
    {
        var result = await RunAsync("nullmixed.test");

        Assert.Equal(CheckStatus.Error, result.Status);
        Assert.Contains(result.Findings, f => f.Code == "mx.null_mixed" && f.Severity == Severity.Error);
    }

    [Fact]
    public async Task Null_mx_with_a_preference_other_than_zero_is_an_error()
    {
        var result = await RunAsync("nullpref.test");

        Assert.Equal(CheckStatus.Error, result.Status);
        Assert.Contains(result.Findings, f => f.Code == "mx.null_preference");
    }

    [Fact]
    public async Task Mx_target_that_is_a_cname_is_an_error()
    {
        var result = await RunAsync("cname.test");

        Assert.Equal(CheckStatus.Error, result.Status);
        var finding = Assert.Single(result.Findings, f => f.Code == "mx.target_cname");
        Assert.Equal("alias.cname.test", finding.Subject);
        Assert.Contains("mx1.good.test", finding.Fix);
    }

    [Fact]
    public async Task Mx_target_without_address_is_an_error()
    {
        var result = await RunAsync("unresolved.test");

        Assert.Equal(CheckStatus.Error, result.Status);
        Assert.Equal("nowhere.unresolved.test", Assert.Single(result.Findings, f => f.Code == "mx.target_unresolved").Subject);
    }

    [Fact]
    public async Task Mx_target_that_is_an_ip_literal_is_an_error()
    {
        var result = await RunAsync("literal.test");

        Assert.Equal(CheckStatus.Error, result.Status);
        Assert.Equal("192.0.2.1", Assert.Single(result.Findings, f => f.Code == "mx.target_ip_literal").Subject);
    }

    [Fact]
    public async Task Same_target_listed_twice_is_a_warning()
    {
        var result = await RunAsync("dup.test");

        Assert.Equal(CheckStatus.Warning, result.Status);
        Assert.Equal("mx1.good.test", Assert.Single(result.Findings, f => f.Code == "mx.duplicate_target").Subject);
    }

    [Theory]
    [InlineData("slow.test")]
    [InlineData("broken.test")]
    [InlineData("refused.test")]
    public async Task Mx_query_that_fails_temporarily_is_inconclusive_not_missing(string domain)
    {
        var result = await RunAsync(domain);

        Assert.Equal(CheckStatus.Unknown, result.Status);
        Assert.Equal("mx.dns_unavailable", Assert.Single(result.Findings).Code);
    }

    [Fact]
    public async Task Target_lookup_that_times_out_is_inconclusive_not_unresolved()
    {
        var result = await RunAsync("slowtarget.test");

        Assert.Equal(CheckStatus.Unknown, result.Status);
        Assert.DoesNotContain(result.Findings, f => f.Code == "mx.target_unresolved");
        Assert.Equal("mx.slowtarget.test", Assert.Single(result.Findings, f => f.Code == "mx.dns_unavailable").Subject);
    }

    [Fact]
    public async Task A_definite_error_beside_a_timeout_keeps_the_error_status()
    {
        var result = await RunAsync("mixed.test");

        Assert.Equal(CheckStatus.Error, result.Status);
        Assert.Contains(result.Findings, f => f.Code == "mx.target_unresolved");
        Assert.Contains(result.Findings, f => f.Code == "mx.dns_unavailable");
    }

    [Fact]
    public async Task No_mx_and_address_lookup_timing_out_is_inconclusive()
    {
        var result = await RunAsync("noaddress.test");

        Assert.Equal(CheckStatus.Unknown, result.Status);
        Assert.Equal("mx.dns_unavailable", Assert.Single(result.Findings).Code);
    }

    private async Task<CheckResult> RunAsync(string domain)
    {
        var resolver = new DnsStubResolver(new DnsOptions { NameServers = [_server.Endpoint], TimeoutSeconds = 1, Retries = 1, UseCache = false });
        var report = await new DomainAuditor(resolver, [new MxCheck()]).AuditAsync(DomainAuditRequest.For(domain));
        return Assert.Single(report.Checks);
    }
}
