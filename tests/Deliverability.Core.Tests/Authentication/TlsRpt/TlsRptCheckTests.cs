using Deliverability.Core.Audits;
using Deliverability.Core.Authentication.TlsRpt;
using Deliverability.Core.Dns;
using Deliverability.Testing.Dns;

namespace Deliverability.Core.Tests.Authentication.TlsRpt;

public sealed class TlsRptCheckTests : IAsyncLifetime
{
    private TestDnsServer _server = null!;

    public Task InitializeAsync()
    {
        _server = TestDnsServer.Start(new TestZone()
            .Txt("_smtp._tls.good.test", "v=TLSRPTv1; rua=mailto:tls@good.test,https://reports.good.test/tls")
            .Txt("_smtp._tls.other.test", "unrelated=1")
            .Txt("_smtp._tls.twice.test", "v=TLSRPTv1; rua=mailto:a@twice.test")
            .Txt("_smtp._tls.twice.test", "v=TLSRPTv1; rua=mailto:b@twice.test")
            .Txt("_smtp._tls.norua.test", "v=TLSRPTv1;")
            .Txt("_smtp._tls.http.test", "v=TLSRPTv1; rua=http://reports.http.test/")
            .Txt("_smtp._tls.version.test", "v=TLSRPTv2; rua=mailto:tls@version.test")
            .Timeout("_smtp._tls.slow.test")
            .ServFail("_smtp._tls.broken.test"));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Valid_record_lists_its_destinations()
    {
        var result = await RunAsync("good.test");

        Assert.Equal(CheckStatus.Ok, result.Status);
        var finding = Assert.Single(result.Findings);
        Assert.Equal("tlsrpt.present", finding.Code);
        Assert.Contains("mailto:tls@good.test", finding.Message);
        Assert.Single(result.Records);
    }

    [Theory]
    [InlineData("nothing.test")]
    [InlineData("other.test")]
    public async Task No_record_recommends_tls_rpt(string domain)
    {
        var result = await RunAsync(domain);

        Assert.Equal(CheckStatus.Ok, result.Status);
        Assert.Equal("tlsrpt.missing", Assert.Single(result.Findings).Code);
    }

    [Fact]
    public async Task Several_records_are_an_error()
    {
        var result = await RunAsync("twice.test");

        Assert.Equal(CheckStatus.Error, result.Status);
        Assert.Equal("tlsrpt.multiple_records", Assert.Single(result.Findings).Code);
    }

    [Theory]
    [InlineData("norua.test", "tlsrpt.missing_rua")]
    [InlineData("http.test", "tlsrpt.invalid_rua")]
    [InlineData("version.test", "tlsrpt.invalid_version")]
    public async Task Malformed_record_is_an_error(string domain, string code)
    {
        var result = await RunAsync(domain);

        Assert.Equal(CheckStatus.Error, result.Status);
        Assert.Contains(result.Findings, f => f.Code == code);
    }

    [Theory]
    [InlineData("slow.test")]
    [InlineData("broken.test")]
    public async Task Dns_failure_is_inconclusive_not_missing(string domain)
    {
        var result = await RunAsync(domain);

        Assert.Equal(CheckStatus.Unknown, result.Status);
        Assert.Equal("tlsrpt.dns_unavailable", Assert.Single(result.Findings).Code);
    }

    private async Task<CheckResult> RunAsync(string domain)
    {
        var resolver = new DnsStubResolver(new DnsOptions { NameServers = [_server.Endpoint], TimeoutSeconds = 1, Retries = 1, UseCache = false });
        var report = await new DomainAuditor(resolver, [new TlsRptCheck()]).AuditAsync(DomainAuditRequest.For(domain));
        return Assert.Single(report.Checks);
    }
}
