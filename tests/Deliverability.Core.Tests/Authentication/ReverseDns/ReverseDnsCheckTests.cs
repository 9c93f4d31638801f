using System.Net;
using Deliverability.Core.Audits;
using Deliverability.Core.Authentication.ReverseDns;
using Deliverability.Core.Dns;
using Deliverability.Testing.Dns;

namespace Deliverability.Core.Tests.Authentication.ReverseDns;

public sealed class ReverseDnsCheckTests : IAsyncLifetime
{
    private TestDnsServer _server = null!;

    public Task InitializeAsync()
    {
        _server = TestDnsServer.Start(new TestZone()
            .PtrFor("192.0.2.1", "mail.good.test")
            .A("mail.good.test", "192.0.2.1")
            .PtrFor("192.0.2.3", "mail3.good.test")
            .A("mail3.good.test", "198.51.100.9")
            .PtrFor("192.0.2.4", "a.good.test")
            .PtrFor("192.0.2.4", "b.good.test")
            .A("a.good.test", "192.0.2.4")
            .A("b.good.test", "192.0.2.4")
            .PtrFor("192.0.2.5", "5-2-0-192.dyn.isp.test")
            .A("5-2-0-192.dyn.isp.test", "192.0.2.5")
            .Timeout(TestZone.ReverseName(IPAddress.Parse("192.0.2.6")))
            .ServFail(TestZone.ReverseName(IPAddress.Parse("192.0.2.7")))
            .PtrFor("192.0.2.8", "slow.good.test")
            .Timeout("slow.good.test")
            .PtrFor("192.0.2.9", "gone.good.test")
            .PtrFor("192.0.2.11", "alias.good.test")
            .Cname("alias.good.test", "mail11.good.test")
            .A("mail11.good.test", "192.0.2.11")
            .PtrFor("2001:db8::25", "mail6.good.test")
            .Aaaa("mail6.good.test", "2001:db8::25")
            .A("mail6.good.test", "192.0.2.25")
            .PtrFor("192.0.2.12", "192.0.2.12")
            .PtrFor("2001:db8::26", "v4only.good.test")
            .A("v4only.good.test", "192.0.2.26"));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Ptr_that_resolves_back_to_the_ip_is_forward_confirmed()
    {
        var (result, facts) = await RunAsync("192.0.2.1");

        Assert.Equal(CheckStatus.Ok, result.Status);
        Assert.Equal("192.0.2.1", Assert.Single(result.Findings, f => f.Code == "rdns.forward_confirmed").Subject);
        Assert.True(facts.ForwardConfirmed[IPAddress.Parse("192.0.2.1")]);
        Assert.Contains("192.0.2.1 PTR mail.good.test", result.Records);
    }

    [Fact]
    public async Task Ip_without_ptr_is_rdns_missing()
    {
        var (result, facts) = await RunAsync("192.0.2.2");

        Assert.Equal(CheckStatus.Error, result.Status);
        Assert.Equal("192.0.2.2", Assert.Single(result.Findings, f => f.Code == "rdns.missing").Subject);
        Assert.False(facts.ForwardConfirmed[IPAddress.Parse("192.0.2.2")]);
    }

    [Fact]
    public async Task Ptr_name_resolving_elsewhere_is_not_forward_confirmed()
    {
        var (result, facts) = await RunAsync("192.0.2.3");

        Assert.Equal(CheckStatus.Error, result.Status);
        var finding = Assert.Single(result.Findings, f => f.Code == "rdns.not_forward_confirmed");
        Assert.Contains("198.51.100.9", finding.Message);
        Assert.False(facts.ForwardConfirmed[IPAddress.Parse("192.0.2.3")]);
    }

    [Fact]
    public async Task Ptr_name_that_does_not_exist_is_not_forward_confirmed()
    {
        var (result, _) = await RunAsync("192.0.2.9");

        Assert.Equal(CheckStatus.Error, result.Status);
        Assert.Contains(result.Findings, f => f.Code == "rdns.not_forward_confirmed");
    }

    [Fact]
    public async Task Ptr_holding_an_address_instead_of_a_name_is_generic_and_not_forward_confirmed()
    {
        var (result, facts) = await RunAsync("192.0.2.12");

        Assert.Equal(CheckStatus.Error, result.Status);
        Assert.Contains(result.Findings, f => f.Code == "rdns.not_forward_confirmed");
        Assert.Contains(result.Findings, f => f.Code == "rdns.generic");
        Assert.False(facts.ForwardConfirmed[IPAddress.Parse("192.0.2.12")]);
    }

    [Fact]
    public async Task Several_ptr_records_are_a_warning()
    {
        var (result, facts) = await RunAsync("192.0.2.4");

        Assert.Equal(CheckStatus.Warning, result.Status);
        Assert.Contains(result.Findings, f => f.Code == "rdns.multiple_ptr");
        Assert.True(facts.ForwardConfirmed[IPAddress.Parse("192.0.2.4")]);
    }

    [Fact]
    public async Task Generic_ptr_name_is_a_warning_even_when_forward_confirmed()
    {
        var (result, facts) = await RunAsync("192.0.2.5");

        Assert.Equal(CheckStatus.Warning, result.Status);
        Assert.Contains(result.Findings, f => f.Code == "rdns.generic");
        Assert.True(facts.ForwardConfirmed[IPAddress.Parse("192.0.2.5")]);
    }

    [Fact]
    public async Task Ptr_name_behind_a_cname_still_confirms()
    {
        var (result, facts) = await RunAsync("192.0.2.11");

        Assert.Equal(CheckStatus.Ok, result.Status);
        Assert.True(facts.ForwardConfirmed[IPAddress.Parse("192.0.2.11")]);
    }

    [Fact]
    public async Task Ipv6_is_confirmed_through_aaaa()
    {
        var (result, facts) = await RunAsync("2001:db8::25");

        Assert.Equal(CheckStatus.Ok, result.Status);
        Assert.True(facts.ForwardConfirmed[IPAddress.Parse("2001:db8::25")]);
    }

    [Fact]
    public async Task Ipv6_ptr_name_with_only_an_a_record_is_not_forward_confirmed()
    {
        var (result, _) = await RunAsync("2001:db8::26");

        Assert.Equal(CheckStatus.Error, result.Status);
        Assert.Contains(result.Findings, f => f.Code == "rdns.not_forward_confirmed");
    }

    [Theory]
    [InlineData("192.0.2.6")]
    [InlineData("192.0.2.7")]
    public async Task Ptr_query_that_fails_temporarily_is_inconclusive_and_publishes_no_fact(string ip)
    {
        var (result, facts) = await RunAsync(ip);

        Assert.Equal(CheckStatus.Unknown, result.Status);
        Assert.Equal("rdns.dns_unavailable", Assert.Single(result.Findings).Code);
        Assert.False(facts.ForwardConfirmed.ContainsKey(IPAddress.Parse(ip)));
    }

    [Fact]
    public async Task Forward_lookup_that_times_out_is_inconclusive_not_unconfirmed()
    {
        var (result, facts) = await RunAsync("192.0.2.8");

        Assert.Equal(CheckStatus.Unknown, result.Status);
        Assert.DoesNotContain(result.Findings, f => f.Code == "rdns.not_forward_confirmed");
        Assert.Empty(facts.ForwardConfirmed);
    }

    [Fact]
    public async Task Each_ip_is_judged_on_its_own()
    {
        var (result, facts) = await RunAsync("192.0.2.1", "192.0.2.2");

        Assert.Equal(CheckStatus.Error, result.Status);
        Assert.True(facts.ForwardConfirmed[IPAddress.Parse("192.0.2.1")]);
        Assert.False(facts.ForwardConfirmed[IPAddress.Parse("192.0.2.2")]);
    }

    [Fact]
    public async Task No_sending_ips_is_an_info_asking_to_configure_them()
    {
        var (result, facts) = await RunAsync();

        Assert.Equal(CheckStatus.Ok, result.Status);
        Assert.Equal("rdns.no_sending_ips", Assert.Single(result.Findings).Code);
        Assert.Empty(facts.ForwardConfirmed);
    }

    private async Task<(CheckResult Result, ReverseDnsFacts Facts)> RunAsync(params string[] ips)
    {
        var resolver = new DnsStubResolver(new DnsOptions { NameServers = [_server.Endpoint], TimeoutSeconds = 1, Retries = 1, UseCache = false });
        var context = new DomainAuditContext(new DomainAuditRequest("good.test", [], [.. ips.Select(IPAddress.Parse)]), resolver);
        var result = await new ReverseDnsCheck().RunAsync(context, CancellationToken.None);
        return (result, context.Fact<ReverseDnsFacts>() ?? throw new Xunit.Sdk.XunitException("no ReverseDnsFacts published"));
    }
}
