using System.Net;
using Deliverability.Core.Authentication.Spf;
using Deliverability.Core.Dns;
using Deliverability.Testing.Dns;

namespace Deliverability.Core.Tests.Authentication.Spf;

public sealed class SpfEvaluatorTests : IAsyncLifetime
{
    private static readonly IPAddress Client = IPAddress.Parse("192.0.2.10");
    private TestDnsServer _dns = null!;

    public async Task InitializeAsync()
    {
        _dns = await WarmDnsServer.StartAsync(new TestZone()
            .Txt("pass.test", "v=spf1 ip4:192.0.2.0/24 -all")
            .Txt("split.test", "v=spf1 ip4:192.0.2.10", " -all")
            .Txt("fail.test", "v=spf1 -all exp=why.fail.test")
            .Txt("why.fail.test", "%{i} may not send for %{d} (%{s})")
            .Txt("badexp.test", "v=spf1 -all exp=nowhere.badexp.test")
            .Txt("loop-a.test", "v=spf1 include:loop-b.test -all")
            .Txt("loop-b.test", "v=spf1 include:loop-a.test -all")
            .Txt("include-none.test", "v=spf1 include:nothing.test -all")
            .Txt("include-pass.test", "v=spf1 include:pass.test -all")
            .Txt("redirect.test", "v=spf1 redirect=pass.test")
            .Txt("eleven.test", "v=spf1 a a a a a a a a a a a -all")
            .A("eleven.test", "198.51.100.1")
            .Txt("voids.test", "v=spf1 a:v1.voids.test a:v2.voids.test a:v3.voids.test -all")
            .Txt("mx-many.test", "v=spf1 mx -all")
            .Txt("mx.test", "v=spf1 mx -all")
            .Mx("mx.test", 10, "mx1.mx.test")
            .A("mx1.mx.test", "192.0.2.10")
            .Txt("ptr.test", "v=spf1 ptr -all")
            .PtrFor("192.0.2.10", "host.ptr.test")
            .A("host.ptr.test", "192.0.2.10")
            .Txt("dup.test", "v=spf1 a a a -all")
            .A("dup.test", "198.51.100.2")
            .Txt("helo.test", "v=spf1 a -all")
            .A("helo.test", "192.0.2.10")
            .Txt("two.test", "v=spf1 -all")
            .Txt("two.test", "v=spf1 +all")
            .Txt("syntax.test", "v=spf1 ip4:192.0.2 -all")
            .Txt("exists-slow.test", "v=spf1 exists:slow.test -all")
            .Txt("p-macro.test", "v=spf1 exists:%{p}.allowed.test -all")
            .A("host.ptr.test.allowed.test", "127.0.0.2")
            .Timeout("slow.test")
            .ServFail("broken.test"));
        for (var i = 0; i < 11; i++)
        {
            _dns.Zone.Mx("mx-many.test", (ushort)i, $"mx{i}.mx-many.test");
        }
    }

    public async Task DisposeAsync() => await _dns.DisposeAsync();

    private SpfEvaluator Evaluator() =>
        new(new DnsStubResolver(new DnsOptions { NameServers = [_dns.Endpoint], TimeoutSeconds = 1, Retries = 1, UseCache = false }));

    private Task<SpfEvaluation> CheckAsync(string domain, IPAddress? ip = null) =>
        Evaluator().CheckHostAsync(ip ?? Client, domain, "alice@" + domain, "mail.client.test");

    [Fact]
    public async Task Matching_ip4_network_passes_and_names_the_mechanism()
    {
        var evaluation = await CheckAsync("pass.test");

        Assert.Equal(SpfResult.Pass, evaluation.Result);
        Assert.Equal("ip4:192.0.2.0/24", evaluation.Mechanism);
        Assert.Equal("pass.test", evaluation.MechanismDomain);
        Assert.Null(evaluation.Explanation);
    }

    [Fact]
    public async Task Character_strings_are_joined_with_nothing_between()
    {
        var evaluation = await CheckAsync("split.test");

        Assert.Equal(SpfResult.Pass, evaluation.Result);
    }

    [Fact]
    public async Task Fail_carries_the_expanded_exp_text()
    {
        var evaluation = await CheckAsync("fail.test");

        Assert.Equal(SpfResult.Fail, evaluation.Result);
        Assert.Equal("192.0.2.10 may not send for fail.test (alice@fail.test)", evaluation.Explanation);
    }

    [Fact]
    public async Task Exp_that_cannot_be_read_falls_back_to_the_default_explanation()
    {
        var evaluation = await CheckAsync("badexp.test");

        Assert.Equal(SpfResult.Fail, evaluation.Result);
        Assert.Equal(SpfEvaluation.DefaultExplanation("badexp.test", Client), evaluation.Explanation);
        Assert.Equal(0, evaluation.VoidLookupCount);
    }

    [Fact]
    public async Task Spf_include_loop_is_permerror()
    {
        var evaluation = await CheckAsync("loop-a.test");

        Assert.Equal(SpfResult.PermError, evaluation.Result);
        Assert.Contains("more than 10", evaluation.Problem);
    }

    [Fact]
    public async Task Include_of_a_domain_without_spf_is_permerror()
    {
        var evaluation = await CheckAsync("include-none.test");

        Assert.Equal(SpfResult.PermError, evaluation.Result);
        Assert.Contains("nothing.test has no SPF record", evaluation.Problem);
    }

    [Fact]
    public async Task Include_that_passes_matches_and_counts_one_lookup()
    {
        var evaluation = await CheckAsync("include-pass.test");

        Assert.Equal(SpfResult.Pass, evaluation.Result);
        Assert.Equal("include:pass.test", evaluation.Mechanism);
        Assert.Equal(1, evaluation.LookupCount);
    }

    [Fact]
    public async Task Redirect_evaluates_the_target_record()
    {
        var evaluation = await CheckAsync("redirect.test");

        Assert.Equal(SpfResult.Pass, evaluation.Result);
        Assert.Equal("pass.test", evaluation.MechanismDomain);
    }

    [Fact]
    public async Task Eleventh_dns_mechanism_is_permerror()
    {
        var evaluation = await CheckAsync("eleven.test");

        Assert.Equal(SpfResult.PermError, evaluation.Result);
        Assert.Equal(11, evaluation.LookupCount);
    }

    [Fact]
    public async Task Third_void_lookup_is_permerror()
    {
        var evaluation = await CheckAsync("voids.test");

        Assert.Equal(SpfResult.PermError, evaluation.Result);
        Assert.Equal(3, evaluation.VoidLookupCount);
    }

    [Fact]
    public async Task Mx_with_more_than_10_names_is_permerror()
    {
        var evaluation = await CheckAsync("mx-many.test");

        Assert.Equal(SpfResult.PermError, evaluation.Result);
        Assert.Contains("11 MX records", evaluation.Problem);
    }

    [Fact]
    public async Task Mx_matches_the_address_of_an_exchange()
    {
        var evaluation = await CheckAsync("mx.test");

        Assert.Equal(SpfResult.Pass, evaluation.Result);
    }

    [Fact]
    public async Task Ptr_matches_a_validated_name_under_the_domain()
    {
        var evaluation = await CheckAsync("ptr.test");

        Assert.Equal(SpfResult.Pass, evaluation.Result);
    }

    [Fact]
    public async Task P_macro_expands_to_the_validated_name()
    {
        var evaluation = await CheckAsync("p-macro.test");

        Assert.Equal(SpfResult.Pass, evaluation.Result);
    }

    [Fact]
    public async Task Ipv4_mapped_ipv6_client_is_evaluated_as_ipv4()
    {
        var evaluation = await CheckAsync("pass.test", IPAddress.Parse("::ffff:192.0.2.10"));

        Assert.Equal(SpfResult.Pass, evaluation.Result);
        Assert.Equal(IPAddress.Parse("192.0.2.10"), evaluation.Ip);
    }

    [Fact]
    public async Task Empty_sender_evaluates_the_helo_as_postmaster_at_helo()
    {
        var evaluation = await Evaluator().CheckSenderAsync(Client, "", "helo.test");

        Assert.Equal(SpfResult.Pass, evaluation.Result);
        Assert.Equal("helo.test", evaluation.Domain);
    }

    [Fact]
    public async Task Dns_timeout_reading_the_record_is_temperror_not_fail()
    {
        var evaluation = await CheckAsync("slow.test");

        Assert.Equal(SpfResult.TempError, evaluation.Result);
        Assert.Contains("timed out", evaluation.Problem);
    }

    [Fact]
    public async Task Servfail_reading_the_record_is_temperror()
    {
        var evaluation = await CheckAsync("broken.test");

        Assert.Equal(SpfResult.TempError, evaluation.Result);
    }

    [Fact]
    public async Task Timeout_inside_a_mechanism_is_temperror()
    {
        var evaluation = await CheckAsync("exists-slow.test");

        Assert.Equal(SpfResult.TempError, evaluation.Result);
    }

    [Fact]
    public async Task Nxdomain_is_none()
    {
        var evaluation = await CheckAsync("nothing.test");

        Assert.Equal(SpfResult.None, evaluation.Result);
    }

    [Fact]
    public async Task Single_label_domain_is_none_without_a_query()
    {
        var before = _dns.QueryCount;

        var evaluation = await CheckAsync("localhost");

        Assert.Equal(SpfResult.None, evaluation.Result);
        Assert.Equal(before, _dns.QueryCount);
    }

    [Fact]
    public async Task Two_spf_records_are_permerror()
    {
        var evaluation = await CheckAsync("two.test");

        Assert.Equal(SpfResult.PermError, evaluation.Result);
        Assert.Contains("more than one SPF record", evaluation.Problem);
    }

    [Fact]
    public async Task Syntax_error_is_permerror_with_the_reason()
    {
        var evaluation = await CheckAsync("syntax.test");

        Assert.Equal(SpfResult.PermError, evaluation.Result);
        Assert.Contains("'192.0.2' is not an IPv4 address", evaluation.Problem);
    }

    [Fact]
    public async Task Same_name_is_queried_once_per_evaluation_but_every_mechanism_counts()
    {
        var before = _dns.QueryCount;

        var evaluation = await CheckAsync("dup.test");

        Assert.Equal(SpfResult.Fail, evaluation.Result);
        Assert.Equal(3, evaluation.LookupCount);
        Assert.Equal(2, _dns.QueryCount - before);
    }

    [Fact]
    public async Task Trace_lists_the_queries_in_order()
    {
        var evaluation = await CheckAsync("include-pass.test");

        Assert.StartsWith("TXT include-pass.test", evaluation.Trace[0]);
        Assert.Contains(evaluation.Trace, line => line.StartsWith("TXT pass.test", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Evaluation_that_runs_out_of_time_is_temperror()
    {
        var resolver = new DnsStubResolver(new DnsOptions { NameServers = [_dns.Endpoint], TimeoutSeconds = 30, Retries = 0, UseCache = false });
        var evaluator = new SpfEvaluator(resolver, new SpfEvaluatorOptions { MaxDuration = TimeSpan.FromSeconds(0.3) });

        var evaluation = await evaluator.CheckHostAsync(Client, "slow.test", "alice@slow.test", "mail.client.test");

        Assert.Equal(SpfResult.TempError, evaluation.Result);
        Assert.Contains("took longer", evaluation.Problem);
    }
}
