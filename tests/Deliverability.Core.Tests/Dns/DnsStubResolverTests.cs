using System.Net;
using Deliverability.Core.Dns;
using Deliverability.Testing.Dns;

namespace Deliverability.Core.Tests.Dns;

public sealed class DnsStubResolverTests : IAsyncLifetime
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
            .Cname("alias2.test", "alias.test")
            .A("two.test", "192.0.2.10")
            .A("two.test", "192.0.2.11")
            .Txt("big.test", [.. Enumerable.Range(0, 8).Select(i => new string((char)('a' + i), 250))])
            .Timeout("slow.test")
            .ServFail("broken.test")
            .Refused("refused.test"));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private DnsStubResolver Resolver() => new(new DnsOptions { NameServers = [_server.Endpoint], TimeoutSeconds = 1, Retries = 1, UseCache = false });

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
    public async Task A_records_are_all_read()
    {
        var response = await Resolver().QueryAsync("two.test", DnsRecordType.A);

        Assert.Equal(DnsStatus.NoError, response.Status);
        Assert.Equal(["192.0.2.10", "192.0.2.11"], response.Records<AddressRecord>().Select(r => r.Address.ToString()).Order());
        Assert.All(response.Answers, r => Assert.Equal("two.test", r.Name));
    }

    [Fact]
    public async Task Names_are_compared_in_lower_case_without_the_trailing_dot()
    {
        var response = await Resolver().QueryAsync("MX1.Mail.TEST.", DnsRecordType.A);

        Assert.Equal("mx1.mail.test", response.Name);
        Assert.Equal("mx1.mail.test", Assert.Single(response.Records<AddressRecord>()).Name);
    }

    [Fact]
    public async Task Cname_chain_of_two_links_is_followed_to_the_records()
    {
        var response = await Resolver().QueryAsync("alias2.test", DnsRecordType.TXT);

        Assert.Equal(["alias2.test -> alias.test", "alias.test -> multi.test"], response.CnameChain.Select(c => $"{c.Name} -> {c.Target}"));
        Assert.Contains("v=spf1 ip4:192.0.2.1 -all", response.TxtStrings);
        Assert.All(response.Records<TxtRecord>(), r => Assert.Equal("multi.test", r.Name));
    }

    [Fact]
    public async Task Refused_is_a_temporary_failure()
    {
        var response = await Resolver().QueryAsync("refused.test", DnsRecordType.TXT);

        Assert.Equal(DnsStatus.Refused, response.Status);
        Assert.True(response.IsTemporaryFailure);
    }

    [Fact]
    public async Task Truncated_udp_answer_is_asked_again_over_tcp()
    {
        var response = await Resolver().QueryAsync("big.test", DnsRecordType.TXT);

        Assert.Equal(DnsStatus.NoError, response.Status);
        var record = Assert.Single(response.Records<TxtRecord>());
        Assert.Equal(8, record.Strings.Count);
        Assert.Equal(2000, record.Text.Length);
        Assert.True(_server.TcpQueryCount >= 1, "an answer of 2,000 bytes does not fit the 1,232 bytes offered over UDP: it must have come over TCP");
    }

    [Fact]
    public async Task Concurrent_queries_each_get_the_answer_to_their_own_question()
    {
        for (var i = 0; i < 400; i++)
        {
            _server.Zone.A($"host{i}.many.test", $"10.0.{i / 256}.{i % 256}");
        }

        var resolver = Resolver();
        var responses = await Task.WhenAll(Enumerable.Range(0, 400).Select(i => resolver.QueryAsync($"host{i}.many.test", DnsRecordType.A)));

        for (var i = 0; i < 400; i++)
        {
            Assert.Equal(DnsStatus.NoError, responses[i].Status);
            Assert.Equal($"host{i}.many.test", responses[i].Name);
            Assert.Equal($"10.0.{i / 256}.{i % 256}", Assert.Single(responses[i].Records<AddressRecord>()).Address.ToString());
        }
    }

    [Fact]
    public async Task Source_port_changes_as_queries_go_on()
    {
        // RFC 5452 section 9.2: an off-path attacker must guess the port as well as the id.
        var resolver = Resolver();
        for (var i = 0; i < 3 * Deliverability.Core.Dns.Transport.UdpSocketPool.QueriesPerLane; i++)
        {
            await resolver.QueryAsync("mx1.mail.test", DnsRecordType.A);
        }

        Assert.True(_server.UdpSourcePortCount > 2, $"{_server.UdpSourcePortCount} source port(s) for {3 * Deliverability.Core.Dns.Transport.UdpSocketPool.QueriesPerLane} queries");
    }

    [Fact]
    public async Task Servfail_from_the_first_server_asks_the_next()
    {
        await using var failing = TestDnsServer.Start(new TestZone().ServFail("multi.test"));
        var resolver = new DnsStubResolver(new DnsOptions { NameServers = [failing.Endpoint, _server.Endpoint], TimeoutSeconds = 1, Retries = 0 });

        var response = await resolver.QueryAsync("multi.test", DnsRecordType.TXT);

        Assert.Equal(DnsStatus.NoError, response.Status);
        Assert.Equal(1, failing.QueryCount);
    }

    [Fact]
    public async Task Cache_answers_again_without_asking_and_never_keeps_a_failure()
    {
        var resolver = new DnsStubResolver(new DnsOptions { NameServers = [_server.Endpoint], TimeoutSeconds = 1, Retries = 0, UseCache = true });

        await resolver.QueryAsync("multi.test", DnsRecordType.TXT);
        await resolver.QueryAsync("broken.test", DnsRecordType.TXT);
        var asked = _server.QueryCount;
        var again = await resolver.QueryAsync("Multi.Test", DnsRecordType.TXT);
        var failedAgain = await resolver.QueryAsync("broken.test", DnsRecordType.TXT);

        Assert.Contains("v=spf1 ip4:192.0.2.1 -all", again.TxtStrings);
        Assert.Equal(DnsStatus.ServFail, failedAgain.Status);
        Assert.Equal(asked + 1, _server.QueryCount);
    }

    [Fact]
    public async Task Unreachable_server_times_out()
    {
        var closedPort = _server.Port;
        await _server.DisposeAsync();
        var resolver = new DnsStubResolver(new DnsOptions { NameServers = [$"127.0.0.1:{closedPort}"], TimeoutSeconds = 0.5, Retries = 0, UseCache = false });

        var response = await resolver.QueryAsync("multi.test", DnsRecordType.TXT);

        Assert.True(response.IsTemporaryFailure);
        _server = TestDnsServer.Start();
    }

    [Fact]
    public async Task Timeout_is_retried_on_the_same_server()
    {
        await using var server = ScriptedDnsServer.Start(query => query.Number == 1 ? Task.CompletedTask : query.SendAsync(DnsPackets.AnswerA(query.Message, "192.0.2.1")));
        // The first attempt is never answered, so a roomy timeout costs nothing and keeps the retry's answer in time on a busy machine.
        var resolver = new DnsStubResolver(new DnsOptions { NameServers = [server.Endpoint], TimeoutSeconds = 2, Retries = 1 });

        var response = await resolver.QueryAsync("retry.test", DnsRecordType.A);

        Assert.Equal(DnsStatus.NoError, response.Status);
        Assert.Equal(2, server.QueryCount);
    }

    [Theory]
    [InlineData(DnsPackets.Garbage.WrongId)]
    [InlineData(DnsPackets.Garbage.WrongQuestion)]
    [InlineData(DnsPackets.Garbage.ShorterThanHeader)]
    public async Task Datagram_that_answers_another_query_is_ignored_and_the_right_answer_taken(DnsPackets.Garbage kind)
    {
        await using var server = ScriptedDnsServer.Start(async query =>
        {
            await query.SendAsync(DnsPackets.Broken(query.Message, kind));
            await Task.Delay(50);
            await query.SendAsync(DnsPackets.AnswerA(query.Message, "192.0.2.1"));
        });
        var resolver = new DnsStubResolver(new DnsOptions { NameServers = [server.Endpoint], TimeoutSeconds = 10, Retries = 0 });

        var response = await resolver.QueryAsync("spoofed.test", DnsRecordType.A);

        Assert.Equal(DnsStatus.NoError, response.Status);
        Assert.Equal("192.0.2.1", Assert.Single(response.Records<AddressRecord>()).Address.ToString());
    }

    [Theory]
    [InlineData(DnsPackets.Garbage.WrongId)]
    [InlineData(DnsPackets.Garbage.WrongQuestion)]
    [InlineData(DnsPackets.Garbage.ShorterThanHeader)]
    public async Task Only_datagrams_that_answer_no_query_of_ours_end_in_a_timeout(DnsPackets.Garbage kind)
    {
        await using var server = ScriptedDnsServer.Answering(query => DnsPackets.Broken(query, kind));
        var resolver = new DnsStubResolver(new DnsOptions { NameServers = [server.Endpoint], TimeoutSeconds = 0.3, Retries = 0 });

        var response = await resolver.QueryAsync("spoofed.test", DnsRecordType.A);

        Assert.Equal(DnsStatus.Timeout, response.Status);
        Assert.True(response.IsTemporaryFailure);
        Assert.Equal("timed out", response.Error);
    }

    [Fact]
    public async Task Late_answer_to_a_timed_out_attempt_is_ignored()
    {
        byte[]? first = null;
        await using var server = ScriptedDnsServer.Start(async query =>
        {
            if (query.Number == 1)
            {
                first = query.Message; // held back: the attempt times out
                return;
            }

            // The retry is here: the answer to the first attempt arrives only now, with another address, then the right one.
            await query.SendAsync(DnsPackets.AnswerA(first!, "192.0.2.99"));
            await Task.Delay(50);
            await query.SendAsync(DnsPackets.AnswerA(query.Message, "192.0.2.1"));
        });
        // The first attempt is held back for good, so its timeout needs no tightness: 2 s leaves the retry room on a busy machine.
        var resolver = new DnsStubResolver(new DnsOptions { NameServers = [server.Endpoint], TimeoutSeconds = 2, Retries = 1 });

        var response = await resolver.QueryAsync("late.test", DnsRecordType.A);

        Assert.Equal(DnsStatus.NoError, response.Status);
        Assert.Equal("192.0.2.1", Assert.Single(response.Records<AddressRecord>()).Address.ToString());
        Assert.Equal(2, server.QueryCount);
    }

    [Theory]
    [InlineData(DnsPackets.Garbage.CompressionLoop)]
    [InlineData(DnsPackets.Garbage.CutInAnswer)]
    [InlineData(DnsPackets.Garbage.RdLengthPastEnd)]
    [InlineData(DnsPackets.Garbage.BadLabelType)]
    public async Task Malformed_answer_is_a_temporary_failure_with_a_short_message(DnsPackets.Garbage kind)
    {
        await using var server = ScriptedDnsServer.Answering(query => DnsPackets.Broken(query, kind));
        // A long timeout: the malformed answer must end the query, not the clock.
        var resolver = new DnsStubResolver(new DnsOptions { NameServers = [server.Endpoint], TimeoutSeconds = 30, Retries = 0 });

        var response = await resolver.QueryAsync("garbage.test", DnsRecordType.A);

        Assert.Equal(DnsStatus.Error, response.Status);
        Assert.True(response.IsTemporaryFailure);
        Assert.False(response.IsEmpty);
        Assert.Equal($"malformed answer from 127.0.0.1:{server.Port}", response.Error);
    }

    [Fact]
    public async Task Malformed_answer_from_the_first_server_asks_the_next()
    {
        await using var garbage = ScriptedDnsServer.Answering(query => DnsPackets.Broken(query, DnsPackets.Garbage.CompressionLoop));
        var resolver = new DnsStubResolver(new DnsOptions { NameServers = [garbage.Endpoint, _server.Endpoint], TimeoutSeconds = 30, Retries = 0 });

        var response = await resolver.QueryAsync("multi.test", DnsRecordType.TXT);

        Assert.Equal(DnsStatus.NoError, response.Status);
        Assert.Equal(1, garbage.QueryCount);
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
