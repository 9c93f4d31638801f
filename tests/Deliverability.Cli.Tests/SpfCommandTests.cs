using System.Text.Json;
using Deliverability.Cli;
using Deliverability.Testing.Dns;

namespace Deliverability.Cli.Tests;

public sealed class SpfCommandTests : IAsyncLifetime
{
    private TestDnsServer _dns = null!;

    public async Task InitializeAsync()
    {
        _dns = TestDnsServer.Start(new TestZone()
            .Txt("example.test", "v=spf1 ip4:192.0.2.0/24 -all exp=why.example.test")
            .Txt("why.example.test", "%{i} is not one of %{d}'s senders")
            .Txt("helo.example.test", "v=spf1 a -all")
            .A("helo.example.test", "198.51.100.7")
            .Timeout("slow.example.test"));

        // The first answer of a fresh server is slow (JIT): take it before the tests' short DNS timeout applies.
        await MonitorCli.RunAsync(["spf", "check", "--ip", "192.0.2.1", "--helo", "warm-up.invalid", "--dns", _dns.Endpoint, "--dns-timeout", "10"], TextWriter.Null, TextWriter.Null);
    }

    public async Task DisposeAsync() => await _dns.DisposeAsync();

    private async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await MonitorCli.RunAsync([.. args, "--dns", _dns.Endpoint, "--dns-timeout", "1"], stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Json_output_is_one_object_with_the_rfc_result_word()
    {
        var (exit, output, _) = await RunAsync("spf", "check", "--ip", "192.0.2.10", "--sender", "alice@example.test", "--helo", "mail.example.test", "--json");

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal("pass", root.GetProperty("result").GetString());
        Assert.Equal("192.0.2.10", root.GetProperty("ip").GetString());
        Assert.Equal("alice@example.test", root.GetProperty("sender").GetString());
        Assert.Equal("mail.example.test", root.GetProperty("helo").GetString());
        Assert.Equal("example.test", root.GetProperty("domain").GetString());
        Assert.Equal("ip4:192.0.2.0/24", root.GetProperty("mechanism").GetString());
        Assert.Equal(0, root.GetProperty("lookups").GetInt32());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("explanation").ValueKind);
    }

    [Fact]
    public async Task Fail_result_still_exits_0_and_carries_the_expanded_explanation()
    {
        var (exit, output, _) = await RunAsync("spf", "check", "--ip", "203.0.113.5", "--sender", "alice@example.test", "--helo", "mail.example.test", "--json");

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("fail", json.RootElement.GetProperty("result").GetString());
        Assert.Equal("203.0.113.5 is not one of example.test's senders", json.RootElement.GetProperty("explanation").GetString());
        Assert.Equal("-all", json.RootElement.GetProperty("mechanism").GetString());
    }

    [Fact]
    public async Task Empty_sender_checks_the_helo_identity()
    {
        var (exit, output, _) = await RunAsync("spf", "check", "--ip", "198.51.100.7", "--helo", "helo.example.test", "--json");

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("pass", json.RootElement.GetProperty("result").GetString());
        Assert.Equal("helo.example.test", json.RootElement.GetProperty("domain").GetString());
        Assert.Equal(1, json.RootElement.GetProperty("lookups").GetInt32());
    }

    [Fact]
    public async Task Dns_timeout_is_temperror_and_exits_0()
    {
        var (exit, output, _) = await RunAsync("spf", "check", "--ip", "192.0.2.10", "--sender", "bob@slow.example.test", "--json");

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("temperror", json.RootElement.GetProperty("result").GetString());
    }

    [Fact]
    public async Task Text_output_names_result_explanation_mechanism_and_lookups()
    {
        var (exit, output, _) = await RunAsync("spf", "check", "--ip", "203.0.113.5", "--sender", "alice@example.test", "--helo", "mail.example.test");

        Assert.Equal(0, exit);
        Assert.Contains("SPF result:  fail", output);
        Assert.Contains("Explanation: 203.0.113.5 is not one of example.test's senders", output);
        Assert.Contains("Mechanism:   -all (in example.test)", output);
        Assert.Contains("Lookups:     0 of 10", output);
    }

    [Fact]
    public async Task Invalid_ip_is_bad_usage_naming_the_value()
    {
        var (exit, output, error) = await RunAsync("spf", "check", "--ip", "300.1.2.3", "--sender", "alice@example.test");

        Assert.Equal(2, exit);
        Assert.Contains("'300.1.2.3'", error);
        Assert.Equal("", output);
    }

    [Fact]
    public async Task Missing_ip_is_bad_usage()
    {
        var (exit, _, error) = await RunAsync("spf", "check", "--sender", "alice@example.test");

        Assert.Equal(2, exit);
        Assert.Contains("--ip", error);
    }

    [Fact]
    public async Task Empty_sender_and_helo_is_bad_usage()
    {
        var (exit, _, error) = await RunAsync("spf", "check", "--ip", "192.0.2.10");

        Assert.Equal(2, exit);
        Assert.Contains("--sender and --helo are both empty", error);
    }

    [Fact]
    public async Task Dns_timeout_defaults_when_not_given()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var exit = await MonitorCli.RunAsync(["spf", "check", "--ip", "192.0.2.10", "--sender", "alice@example.test", "--dns", _dns.Endpoint, "--json"], stdout, stderr);

        Assert.Equal(0, exit);
        Assert.Equal("", stderr.ToString());
        using var json = JsonDocument.Parse(stdout.ToString());
        Assert.Equal("pass", json.RootElement.GetProperty("result").GetString());
    }

    [Fact]
    public async Task Zero_dns_timeout_is_bad_usage()
    {
        var stderr = new StringWriter();

        var exit = await MonitorCli.RunAsync(["spf", "check", "--ip", "192.0.2.10", "--sender", "alice@example.test", "--dns-timeout", "0"], TextWriter.Null, stderr);

        Assert.Equal(2, exit);
        Assert.Contains("--dns-timeout", stderr.ToString());
    }
}
