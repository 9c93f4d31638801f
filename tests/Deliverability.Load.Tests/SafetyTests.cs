namespace Deliverability.Load.Tests;

public sealed class SafetyTests
{
    [Theory]
    [InlineData("user@mail.invalid")]
    [InlineData("user@sink.test")]
    [InlineData("<user@deep.sub.example>")]
    [InlineData("user@localhost")]
    [InlineData("user@box.localhost")]
    [InlineData("user@example.com")]
    [InlineData("USER@Mail.Example.NET.")]
    [InlineData("\"odd@local\"@example.org")]
    public void Sink_domains_and_their_subdomains_are_accepted(string recipient)
    {
        var decision = SinkRecipientPolicy.SinkDomainsOnly.CheckRecipient(recipient);

        Assert.True(decision.Allowed, decision.Reason);
        Assert.Null(decision.Reason);
    }

    [Theory]
    [InlineData("user@gmail.com", "'gmail.com' is not a sink domain")]
    [InlineData("user@example.com.evil.net", "'example.com.evil.net' is not a sink domain")]
    [InlineData("user@notexample.com", "is not a sink domain")]
    [InlineData("user@test.com", "is not a sink domain")]
    [InlineData("user@[127.0.0.1]", "address literals are not sink domains")]
    [InlineData("no-at-sign", "is not an address")]
    [InlineData("user@", "is not an address")]
    [InlineData("", "the recipient is empty")]
    [InlineData("user@exam ple.com", "spaces or control characters")]
    [InlineData("user@bücher.test", "must be ASCII")]
    [InlineData("user@a..test", "is not a domain name")]
    public void Other_recipients_are_refused_with_a_reason(string recipient, string expected)
    {
        var decision = SinkRecipientPolicy.SinkDomainsOnly.CheckRecipient(recipient);

        Assert.False(decision.Allowed);
        Assert.Contains(expected, decision.Reason);
    }

    [Fact]
    public void An_allow_list_admits_exact_domains_and_addresses_only()
    {
        var policy = new SinkRecipientPolicy(allowedDomains: ["Sink.Corp.Internal"], allowedRecipients: ["<Seed@Provider.com>"]);

        Assert.True(policy.CheckRecipient("anyone@sink.corp.internal").Allowed);
        Assert.True(policy.CheckRecipient("seed@provider.com").Allowed);
        Assert.False(policy.CheckRecipient("other@provider.com").Allowed);
        Assert.False(policy.CheckRecipient("anyone@sub.sink.corp.internal").Allowed);
        Assert.True(policy.CheckDomain("example.net").Allowed);
        Assert.False(policy.CheckDomain("corp.internal").Allowed);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.12.0.3")]
    [InlineData("::1")]
    [InlineData("[::1]")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("localhost")]
    [InlineData("LOCALHOST.")]
    public void Loopback_targets_are_accepted(string host) =>
        Assert.True(LoadTargetGuard.LoopbackOnly.CheckHost(host).Allowed);

    [Theory]
    [InlineData("10.0.0.5", "10.0.0.5 is not a loopback address")]
    [InlineData("::2", "is not a loopback address")]
    [InlineData("smtp.example.com", "'smtp.example.com' is not loopback")]
    [InlineData("127.0.0.1.nip.io", "is not loopback")]
    [InlineData("localhost.evil.net", "is not loopback")]
    [InlineData("", "the target host is empty")]
    public void Other_targets_are_refused_with_a_reason(string host, string expected)
    {
        var decision = LoadTargetGuard.LoopbackOnly.CheckHost(host);

        Assert.False(decision.Allowed);
        Assert.Contains(expected, decision.Reason);
    }

    [Fact]
    public void An_allow_list_names_hosts_exactly_and_uris_are_checked_by_host()
    {
        var guard = new LoadTargetGuard(["Staging-MTA.internal", "10.1.2.3"]);

        Assert.True(guard.CheckHost("staging-mta.internal").Allowed);
        Assert.True(guard.CheckHost("10.1.2.3").Allowed);
        Assert.False(guard.CheckHost("mta.internal").Allowed);
        Assert.True(guard.CheckUri(new Uri("http://127.0.0.1:8080/send")).Allowed);
        Assert.True(guard.CheckUri(new Uri("https://[::1]/v3/mail/send")).Allowed);
        Assert.False(guard.CheckUri(new Uri("https://api.sendgrid.com/v3/mail/send")).Allowed);
        Assert.False(guard.CheckUri(new Uri("/relative", UriKind.Relative)).Allowed);
    }
}
