using Deliverability.Core.Audits;
using Deliverability.Core.Authentication.MtaSts;
using Deliverability.Core.Dns;
using Deliverability.Testing.Dns;

namespace Deliverability.Core.Tests.Authentication.MtaSts;

public sealed class MtaStsCheckTests : IAsyncLifetime
{
    private TestDnsServer _server = null!;

    public Task InitializeAsync()
    {
        _server = TestDnsServer.Start(new TestZone()
            .Txt("_mta-sts.good.test", "v=STSv1; id=20240101T000000;")
            .Txt("_mta-sts.good.test", "some-verification=abc")
            .A("mta-sts.good.test", "192.0.2.80")
            .Txt("_mta-sts.split.test", "v=STSv1; ", "id=abc123")
            .Aaaa("mta-sts.split.test", "2001:db8::80")
            .Txt("_mta-sts.other.test", "google-site-verification=xyz")
            .Txt("_mta-sts.twice.test", "v=STSv1; id=1")
            .Txt("_mta-sts.twice.test", "v=STSv1; id=2")
            .A("mta-sts.twice.test", "192.0.2.80")
            .Txt("_mta-sts.badid.test", "v=STSv1; id=2024-01-01;")
            .Txt("_mta-sts.noid.test", "v=STSv1;")
            .Txt("_mta-sts.case.test", "v=stsv1; id=1")
            .Txt("_mta-sts.junk.test", "v=STSv1; id=1; junk")
            .Txt("_mta-sts.nohost.test", "v=STSv1; id=1")
            .Timeout("_mta-sts.slow.test")
            .ServFail("_mta-sts.broken.test")
            .Txt("_mta-sts.slowhost.test", "v=STSv1; id=1")
            .Timeout("mta-sts.slowhost.test")
            .Cname("_mta-sts.delegated.test", "_mta-sts.provider.test")
            .Txt("_mta-sts.provider.test", "v=STSv1; id=provider1")
            .Cname("mta-sts.delegated.test", "mta-sts.provider.test")
            .A("mta-sts.provider.test", "192.0.2.81"));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Valid_record_with_a_resolving_policy_host_is_present()
    {
        var result = await RunAsync("good.test");

        Assert.Equal(CheckStatus.Ok, result.Status);
        Assert.Equal("mtasts.present", Assert.Single(result.Findings).Code);
        Assert.Equal(["_mta-sts.good.test TXT \"v=STSv1; id=20240101T000000;\""], result.Records);
    }

    [Fact]
    public async Task Record_split_into_several_strings_is_joined()
    {
        var result = await RunAsync("split.test");

        Assert.Equal(CheckStatus.Ok, result.Status);
        Assert.Equal("mtasts.present", Assert.Single(result.Findings).Code);
    }

    [Fact]
    public async Task Record_and_policy_host_delegated_by_cname_to_a_provider_are_followed()
    {
        var result = await RunAsync("delegated.test");

        Assert.Equal(CheckStatus.Ok, result.Status);
        Assert.Contains("provider1", Assert.Single(result.Findings, f => f.Code == "mtasts.present").Message);
    }

    [Theory]
    [InlineData("nothing.test")]
    [InlineData("other.test")]
    public async Task No_record_recommends_mta_sts(string domain)
    {
        var result = await RunAsync(domain);

        Assert.Equal(CheckStatus.Ok, result.Status);
        var finding = Assert.Single(result.Findings);
        Assert.Equal("mtasts.missing", finding.Code);
        Assert.Contains(".well-known/mta-sts.txt", finding.Fix);
    }

    [Fact]
    public async Task Several_records_are_an_error()
    {
        var result = await RunAsync("twice.test");

        Assert.Equal(CheckStatus.Error, result.Status);
        Assert.Equal("mtasts.multiple_records", Assert.Single(result.Findings).Code);
    }

    [Theory]
    [InlineData("badid.test", "mtasts.invalid_id")]
    [InlineData("noid.test", "mtasts.missing_id")]
    [InlineData("case.test", "mtasts.invalid_version")]
    [InlineData("junk.test", "mtasts.malformed")]
    public async Task Malformed_record_is_an_error(string domain, string code)
    {
        var result = await RunAsync(domain);

        Assert.Equal(CheckStatus.Error, result.Status);
        Assert.Contains(result.Findings, f => f.Code == code && f.Severity == Severity.Error);
    }

    [Fact]
    public async Task Record_whose_policy_host_does_not_resolve_is_an_error()
    {
        var result = await RunAsync("nohost.test");

        Assert.Equal(CheckStatus.Error, result.Status);
        Assert.Equal("mta-sts.nohost.test", Assert.Single(result.Findings, f => f.Code == "mtasts.policy_host_unresolved").Subject);
    }

    [Theory]
    [InlineData("slow.test")]
    [InlineData("broken.test")]
    [InlineData("slowhost.test")]
    public async Task Dns_failure_is_inconclusive_not_missing(string domain)
    {
        var result = await RunAsync(domain);

        Assert.Equal(CheckStatus.Unknown, result.Status);
        Assert.Contains(result.Findings, f => f.Code == "mtasts.dns_unavailable");
        Assert.DoesNotContain(result.Findings, f => f.Code is "mtasts.missing" or "mtasts.policy_host_unresolved");
    }

    private async Task<CheckResult> RunAsync(string domain)
    {
        var resolver = new DnsStubResolver(new DnsOptions { NameServers = [_server.Endpoint], TimeoutSeconds = 1, Retries = 1, UseCache = false });
        var report = await new DomainAuditor(resolver, [new MtaStsCheck()]).AuditAsync(DomainAuditRequest.For(domain));
        return Assert.Single(report.Checks);
    }
}
