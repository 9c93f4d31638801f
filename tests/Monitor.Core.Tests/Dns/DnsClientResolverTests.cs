using System.Net;
using Monitor.Core.Dns;
using Monitor.Testing.Dns;

namespace Monitor.Core.Tests.Dns;

public sealed class DnsClientResolverTests : IAsyncLifetime
{
    private TestDnsServer _server = null!;

    public Task InitializeAsync()
    {
        _server = TestDnsServer.Start(new TestZone()
            .Txt("multi.test", "v=spf1 ", "ip4:192.0.2.1 ", "-all")
            .Txt("multi.test", "other")
            .Mx("mail.test", 10, "mx1.mail.test")
            .Mx("mail.test", 20, "mx2.mail.test")
            .PtrFor("192.0.2.1", "mx1.mail.test")
            .A("mx1.mail.test", "192.0.2.1")
            .Aaaa("mx1.mail.test", "2001:db8::1")
            .Cname("alias.test", "multi.test")
            .Timeout("slow.test")
            .ServFail("broken.test"));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private DnsClientResolver Resolver() => new(new DnsOptions { NameServers = [_server.Endpoint], TimeoutSeconds = 1, Retries = 1, UseCache = false });

    [Fact]
    public async Task Txt_record_keeps_its_character_strings_and_joins_them()
    {
        var response = await Resolver().QueryAsync("multi.test", DnsRecordType.TXT);

        Assert.Equal(DnsStatus.NoError, response.Status);
        var spf = Assert.Single(response.Records<TxtRecord>(), r => r.Strings.Count == 3);
        Assert.Equal("v=spf1 ip4:192.0.2.1 -all", spf.Text);
        Assert.Contains("other", response.TxtStrings);
    }

    [Fact]
    public async Task Mx_ptr_and_addresses_are_read()
    {
        var resolver = Resolver();

        var mx = await resolver.QueryAsync("mail.test", DnsRecordType.MX);
        var ptr = await resolver.QueryAsync(DnsNames.ReverseName(IPAddress.Parse("192.0.2.1")), DnsRecordType.PTR);
        var aaaa = await resolver.QueryAsync("mx1.mail.test", DnsRecordType.AAAA);

        Assert.Equal(["mx1.mail.test", "mx2.mail.test"], mx.Records<MxRecord>().OrderBy(r => r.Preference).Select(r => r.Exchange));
        Assert.Equal("mx1.mail.test", Assert.Single(ptr.Records<PtrRecord>()).Target);
        Assert.Equal(IPAddress.Parse("2001:db8::1"), Assert.Single(aaaa.Records<AddressRecord>()).Address);
    }

    [Fact]
    public async Task Missing_name_is_nxdomain_and_missing_type_is_nodata()
    {
        var resolver = Resolver();

        var nx = await resolver.QueryAsync("nothing.test", DnsRecordType.TXT);
        var nodata = await resolver.QueryAsync("mail.test", DnsRecordType.TXT);

        Assert.Equal(DnsStatus.NxDomain, nx.Status);
        Assert.True(nx.IsEmpty && nx.IsDefinitive);
        Assert.Equal(DnsStatus.NoError, nodata.Status);
        Assert.True(nodata.IsNoData && nodata.IsDefinitive);
    }

    [Fact]
    public async Task Timeout_is_a_temporary_failure_not_an_empty_answer()
    {
        var response = await Resolver().QueryAsync("slow.test", DnsRecordType.TXT);

        Assert.Equal(DnsStatus.Timeout, response.Status);
        Assert.True(response.IsTemporaryFailure);
        Assert.False(response.IsEmpty);
    }

    [Fact]
    public async Task Servfail_is_a_temporary_failure_not_an_empty_answer()
    {
        var response = await Resolver().QueryAsync("broken.test", DnsRecordType.TXT);

        Assert.Equal(DnsStatus.ServFail, response.Status);
        Assert.True(response.IsTemporaryFailure);
        Assert.False(response.IsEmpty);
    }

    [Fact]
    public async Task Cname_chain_is_reported_with_the_target_records()
    {
        var response = await Resolver().QueryAsync("alias.test", DnsRecordType.TXT);

        Assert.Equal("multi.test", Assert.Single(response.CnameChain).Target);
        Assert.Contains("v=spf1 ip4:192.0.2.1 -all", response.TxtStrings);
    }

    [Fact]
    public async Task Unreachable_server_times_out()
    {
        var closedPort = _server.Port;
        await _server.DisposeAsync();
        var resolver = new DnsClientResolver(new DnsOptions { NameServers = [$"127.0.0.1:{closedPort}"], TimeoutSeconds = 0.5, Retries = 0, UseCache = false });

        var response = await resolver.QueryAsync("multi.test", DnsRecordType.TXT);

        Assert.True(response.IsTemporaryFailure);
        _server = TestDnsServer.Start();
    }

    [Theory]
    [InlineData("127.0.0.1:5353", "127.0.0.1", 5353)]
    [InlineData("[::1]:53", "::1", 53)]
    [InlineData("9.9.9.9", "9.9.9.9", 53)]
    [InlineData("localhost:8053", "127.0.0.1", 8053)]
    public void Name_server_endpoints_parse(string text, string address, int port)
    {
        Assert.True(DnsOptions.TryParseEndpoint(text, out var endpoint, out _));
        Assert.Equal(new IPEndPoint(IPAddress.Parse(address), port), endpoint);
    }

    [Theory]
    [InlineData("dns.example:53")]
    [InlineData("127.0.0.1:0")]
    [InlineData("127.0.0.1:70000")]
    [InlineData("[::1")]
    [InlineData("")]
    public void Bad_name_server_endpoints_are_rejected_with_a_reason(string text)
    {
        Assert.False(DnsOptions.TryParseEndpoint(text, out _, out var error));
        Assert.NotEmpty(error);
    }

    [Fact]
    public void Reverse_names_follow_rfc_1035_and_3596()
    {
        Assert.Equal("1.2.0.192.in-addr.arpa", DnsNames.ReverseName(IPAddress.Parse("192.0.2.1")));
        Assert.Equal(
            "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa",
            DnsNames.ReverseName(IPAddress.Parse("2001:db8::1")));
    }
}
