using Deliverability.Core.Dns;
using Deliverability.Core.MessageChecks;
using Deliverability.Core.MessageChecks.Authentication;
using Deliverability.Testing.Dns;
using Deliverability.Testing.Mail;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace Deliverability.Core.Tests.MessageChecks;

/// <summary>Keys made once for the class (RSA 2048 takes a moment): RSA 1024 and 2048, Ed25519.</summary>
public sealed class DkimKeys
{
    public TestDkimKey Rsa2048 { get; } = TestDkimKey.Rsa("shop.example.test", "s2048", 2048);

    public TestDkimKey Rsa1024 { get; } = TestDkimKey.Rsa("shop.example.test", "s1024", 1024);

    public TestDkimKey Ed25519 { get; } = TestDkimKey.Ed25519("shop.example.test", "ed");

    /// <summary>Signs for a domain that publishes no key.</summary>
    public TestDkimKey Unpublished { get; } = TestDkimKey.Ed25519("shop.example.test", "gone");

    /// <summary>Signs for a domain whose key lookups time out.</summary>
    public TestDkimKey Unreachable { get; } = TestDkimKey.Ed25519("slow.example.test", "s1");
}

/// <summary>DKIM verification of messages signed here, with the keys served by a real DNS server on 127.0.0.1.</summary>
public sealed class MessageDkimTests(DkimKeys keys) : IClassFixture<DkimKeys>, IAsyncLifetime
{
    private static readonly string[] Signed = ["From", "To", "Subject", "Date", "Message-ID", "List-Unsubscribe", "List-Unsubscribe-Post"];

    private TestDnsServer _dns = null!;
    private DnsStubResolver _resolver = null!;

    public Task InitializeAsync()
    {
        var zone = new TestZone().Txt("_dmarc.shop.example.test", "v=DMARC1; p=reject; rua=mailto:d@shop.example.test");
        keys.Rsa2048.PublishIn(zone);
        keys.Rsa1024.PublishIn(zone);
        keys.Ed25519.PublishIn(zone);
        zone.Timeout("s1._domainkey.slow.example.test");
        _dns = TestDnsServer.Start(zone);
        _resolver = new DnsStubResolver(new DnsOptions { NameServers = [_dns.Endpoint], TimeoutSeconds = 1, Retries = 0 });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _resolver.Dispose();
        await _dns.DisposeAsync();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Rsa_2048_signature_passes_with_relaxed_and_simple_canonicalization(bool relaxed)
    {
        var message = TestMessages.Campaign();
        keys.Rsa2048.Sign(message, Signed, relaxed);

        var result = Assert.Single((await CheckAsync(TestDkimKey.Bytes(message))).Dkim);

        Assert.Equal(DkimVerdict.Pass, result.Verdict);
        Assert.Equal(2048, result.KeyBits);
        Assert.Equal("rsa-sha256", result.Algorithm);
        Assert.Equal(relaxed ? "relaxed/relaxed" : "simple/simple", result.Canonicalization);
        Assert.True(result.Covers("List-Unsubscribe-Post"));
    }

    [Fact]
    public async Task Rsa_1024_signature_passes_but_its_key_is_flagged_as_weak()
    {
        var message = TestMessages.Campaign();
        keys.Rsa1024.Sign(message, Signed, relaxed: false);

        var authentication = await CheckAsync(TestDkimKey.Bytes(message));

        var result = Assert.Single(authentication.Dkim);
        Assert.Equal(DkimVerdict.Pass, result.Verdict);
        Assert.Equal(1024, result.KeyBits);
        Assert.Contains(authentication.Findings, f => f.Code == "message.dkim.key_1024");
    }

    [Fact]
    public async Task Ed25519_signature_passes_per_rfc_8463()
    {
        var message = TestMessages.Campaign();
        keys.Ed25519.Sign(message, Signed);

        var authentication = await CheckAsync(TestDkimKey.Bytes(message));

        var result = Assert.Single(authentication.Dkim);
        Assert.Equal(DkimVerdict.Pass, result.Verdict);
        Assert.Equal("ed25519-sha256", result.Algorithm);
        Assert.Equal(256, result.KeyBits);
        Assert.Equal("pass", authentication.Dmarc.Result);
        Assert.True(authentication.Dmarc.DkimAligned);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Body_changed_after_signing_fails_on_the_body_hash(bool relaxed)
    {
        var message = TestMessages.Campaign();
        keys.Rsa2048.Sign(message, Signed, relaxed);
        var changed = TestDkimKey.Replace(TestDkimKey.Bytes(message), "forty percent off", "fifty percent off");

        var authentication = await CheckAsync(changed);

        var result = Assert.Single(authentication.Dkim);
        Assert.Equal(DkimVerdict.Fail, result.Verdict);
        Assert.Contains("body hash", result.Reason);
        Assert.Contains(authentication.Findings, f => f.Code == "message.dkim.fail");
        Assert.Equal("fail", authentication.Dmarc.Result);
    }

    [Fact]
    public async Task Signed_header_changed_after_signing_fails_on_the_signature()
    {
        var message = TestMessages.Campaign();
        keys.Ed25519.Sign(message, Signed);
        var changed = TestDkimKey.Replace(TestDkimKey.Bytes(message), "Subject: Black Friday: 40% off", "Subject: Black Friday: 70% off");

        var result = Assert.Single((await CheckAsync(changed)).Dkim);

        Assert.Equal(DkimVerdict.Fail, result.Verdict);
        Assert.Contains("signed header changed", result.Reason);
    }

    [Fact]
    public async Task Header_added_after_signing_keeps_the_signature_but_is_flagged()
    {
        var message = TestMessages.Campaign();
        keys.Rsa2048.Sign(message, Signed);
        var added = TestDkimKey.Prepend(TestDkimKey.Bytes(message), "Subject: Your account is suspended");

        var authentication = await CheckAsync(added);

        Assert.Equal(DkimVerdict.Pass, Assert.Single(authentication.Dkim).Verdict);
        var finding = Assert.Single(authentication.Findings, f => f.Code == "message.dkim.unsigned_header_instance");
        Assert.Contains("2 subject headers", finding.Message);
    }

    [Fact]
    public async Task Expired_signature_is_permerror()
    {
        var message = TestMessages.Campaign();
        keys.Rsa2048.Sign(message, Signed, expiresAfter: TimeSpan.FromHours(1));
        var later = new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(2));

        var result = Assert.Single((await CheckAsync(TestDkimKey.Bytes(message), later)).Dkim);

        Assert.Equal(DkimVerdict.PermError, result.Verdict);
        Assert.Contains("expired", result.Reason);
        Assert.NotNull(result.ExpiresAt);
    }

    [Fact]
    public async Task Signature_still_valid_before_its_expiry_passes()
    {
        var message = TestMessages.Campaign();
        keys.Rsa2048.Sign(message, Signed, expiresAfter: TimeSpan.FromHours(1));

        Assert.Equal(DkimVerdict.Pass, Assert.Single((await CheckAsync(TestDkimKey.Bytes(message))).Dkim).Verdict);
    }

    [Fact]
    public async Task Missing_key_is_permerror_and_a_dns_timeout_is_temperror()
    {
        var message = TestMessages.Campaign();
        keys.Unpublished.Sign(message, Signed);
        keys.Unreachable.Sign(message, Signed);

        var results = (await CheckAsync(TestDkimKey.Bytes(message))).Dkim;

        Assert.Equal(2, results.Count);
        var missing = Assert.Single(results, r => r.Selector == "gone");
        Assert.Equal(DkimVerdict.PermError, missing.Verdict);
        Assert.Contains("no key is published", missing.Reason);
        var slow = Assert.Single(results, r => r.Domain == "slow.example.test");
        Assert.Equal(DkimVerdict.TempError, slow.Verdict);
    }

    [Fact]
    public async Task One_click_header_outside_the_signature_is_flagged()
    {
        var message = TestMessages.Campaign(oneClick: false);
        message.Headers.Add(HeaderId.ListUnsubscribe, $"<{TestMessages.UnsubscribeUrl}>");
        keys.Rsa2048.Sign(message, ["From", "To", "Subject", "Date", "Message-ID", "List-Unsubscribe"]);
        var added = TestDkimKey.Prepend(TestDkimKey.Bytes(message), "List-Unsubscribe-Post: List-Unsubscribe=One-Click");

        var report = await new MessageChecker(_resolver, new MessageCheckOptions { UriBlocklists = [] }).CheckAsync(new MessageCheckRequest(added, "test"));

        var finding = Assert.Single(report.Findings, f => f.Finding.Code == "message.bulk.one_click_unsigned");
        Assert.Equal(MessageCheckGroups.BulkSender, finding.Group);
        Assert.Contains("List-Unsubscribe-Post is not covered", finding.Finding.Message);
    }

    [Fact]
    public async Task Unsigned_message_is_an_error_and_fails_dmarc_alignment()
    {
        var authentication = await CheckAsync(TestDkimKey.Bytes(TestMessages.Campaign()));

        Assert.Empty(authentication.Dkim);
        Assert.Contains(authentication.Findings, f => f.Code == "message.dkim.unsigned");
        Assert.Equal("fail", authentication.Dmarc.Result);
        Assert.Equal("reject", authentication.Dmarc.Policy);
    }

    private Task<MessageAuthentication> CheckAsync(byte[] bytes, TimeProvider? time = null) =>
        new MessageAuthenticationCheck(_resolver, time: time).CheckAsync(MessageInput.Parse(bytes, 1 << 20), null, null);
}
