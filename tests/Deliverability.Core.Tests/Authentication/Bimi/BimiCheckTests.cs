using Deliverability.Core.Audits;
using Deliverability.Core.Authentication.Bimi;
using Deliverability.Core.Authentication.Dmarc;
using Deliverability.Core.Dns;
using Deliverability.Testing.Dns;

namespace Deliverability.Core.Tests.Authentication.Bimi;

public sealed class BimiCheckTests : IAsyncLifetime
{
    private static readonly DmarcFacts Reject = new(true, "reject", true, true);

    private TestDnsServer _server = null!;

    public Task InitializeAsync()
    {
        _server = TestDnsServer.Start(new TestZone()
            .Txt("default._bimi.good.test", "v=BIMI1; l=https://brand.good.test/logo.svg; a=https://brand.good.test/vmc.pem")
            .Txt("default._bimi.nocert.test", "v=BIMI1; l=https://brand.nocert.test/logo.svg")
            .Txt("default._bimi.declined.test", "v=BIMI1; l=;")
            .Txt("default._bimi.http.test", "v=BIMI1; l=http://brand.http.test/logo.svg")
            .Txt("default._bimi.png.test", "v=BIMI1; l=https://brand.png.test/logo.png")
            .Txt("default._bimi.badcert.test", "v=BIMI1; l=https://brand.badcert.test/logo.svg; a=ftp://brand.badcert.test/vmc.pem")
            .Txt("default._bimi.version.test", "v=BIMI2; l=https://brand.version.test/logo.svg")
            .Txt("default._bimi.twice.test", "v=BIMI1; l=https://a.twice.test/logo.svg")
            .Txt("default._bimi.twice.test", "v=BIMI1; l=https://b.twice.test/logo.svg")
            .Txt("default._bimi.other.test", "unrelated")
            .Timeout("default._bimi.slow.test")
            .ServFail("default._bimi.broken.test"));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Valid_record_under_an_enforced_dmarc_policy_is_present()
    {
        var result = await RunAsync("good.test", Reject);

        Assert.Equal(CheckStatus.Ok, result.Status);
        Assert.Equal("bimi.present", Assert.Single(result.Findings).Code);
        Assert.Single(result.Records);
    }

    [Fact]
    public void Bimi_runs_after_dmarc() => Assert.True(((IDomainCheck)new BimiCheck()).Stage > 0);

    [Fact]
    public async Task Record_without_certificate_notes_that_gmail_needs_one()
    {
        var result = await RunAsync("nocert.test", Reject);

        Assert.Equal(CheckStatus.Ok, result.Status);
        Assert.Contains(result.Findings, f => f.Code == "bimi.no_authority" && f.Message.Contains("Gmail"));
    }

    [Theory]
    [InlineData("none")]
    [InlineData(null)]
    public async Task Record_without_dmarc_enforcement_is_a_warning(string? policy)
    {
        var result = await RunAsync("good.test", new DmarcFacts(policy is not null, policy, true, true));

        Assert.Equal(CheckStatus.Warning, result.Status);
        Assert.Contains(result.Findings, f => f.Code == "bimi.dmarc_not_enforced");
    }

    [Fact]
    public async Task Unknown_dmarc_makes_the_check_inconclusive()
    {
        var result = await RunAsync("good.test", dmarc: null);

        Assert.Equal(CheckStatus.Unknown, result.Status);
        Assert.Contains(result.Findings, f => f.Code == "bimi.dmarc_unknown");
    }

    [Fact]
    public async Task Declination_record_is_reported_as_such()
    {
        var result = await RunAsync("declined.test", dmarc: null);

        Assert.Equal(CheckStatus.Ok, result.Status);
        Assert.Equal("bimi.declined", Assert.Single(result.Findings).Code);
    }

    [Theory]
    [InlineData("nothing.test")]
    [InlineData("other.test")]
    public async Task No_record_is_an_info(string domain)
    {
        var result = await RunAsync(domain, Reject);

        Assert.Equal(CheckStatus.Ok, result.Status);
        Assert.Equal("bimi.missing", Assert.Single(result.Findings).Code);
    }

    [Fact]
    public async Task Several_records_are_an_error()
    {
        var result = await RunAsync("twice.test", Reject);

        Assert.Equal(CheckStatus.Error, result.Status);
        Assert.Equal("bimi.multiple_records", Assert.Single(result.Findings).Code);
    }

    [Theory]
    [InlineData("http.test", "bimi.invalid_logo_url")]
    [InlineData("png.test", "bimi.logo_not_svg")]
    [InlineData("badcert.test", "bimi.invalid_authority_url")]
    [InlineData("version.test", "bimi.invalid_version")]
    public async Task Malformed_record_is_an_error(string domain, string code)
    {
        var result = await RunAsync(domain, Reject);

        Assert.Equal(CheckStatus.Error, result.Status);
        Assert.Contains(result.Findings, f => f.Code == code);
    }

    [Theory]
    [InlineData("slow.test")]
    [InlineData("broken.test")]
    public async Task Dns_failure_is_inconclusive_not_missing(string domain)
    {
        var result = await RunAsync(domain, Reject);

        Assert.Equal(CheckStatus.Unknown, result.Status);
        Assert.Equal("bimi.dns_unavailable", Assert.Single(result.Findings).Code);
    }

    private async Task<CheckResult> RunAsync(string domain, DmarcFacts? dmarc)
    {
        var resolver = new DnsStubResolver(new DnsOptions { NameServers = [_server.Endpoint], TimeoutSeconds = 1, Retries = 1, UseCache = false });
        var context = new DomainAuditContext(DomainAuditRequest.For(domain), resolver);
        if (dmarc is not null)
        {
            context.Publish(dmarc);
        }

        return await new BimiCheck().RunAsync(context, CancellationToken.None);
    }
}
