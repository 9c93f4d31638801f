using System.Net;
using Deliverability.Core.Blacklists;

namespace Deliverability.Core.Tests.Blacklists;

public sealed class BlacklistZoneDecodingTests
{
    [Theory]
    [InlineData("127.0.0.2", "SBL")]
    [InlineData("127.0.0.3", "CSS")]
    [InlineData("127.0.0.4", "XBL")]
    [InlineData("127.0.0.7", "XBL")]
    [InlineData("127.0.0.9", "DROP")]
    [InlineData("127.0.0.10", "PBL")]
    [InlineData("127.0.0.11", "PBL")]
    public void Zen_codes_are_listings_with_their_list_name(string code, string list)
    {
        var answer = BlacklistZones.SpamhausZen.Decode(IPAddress.Parse(code));

        Assert.Equal(BlacklistAnswerKind.Listing, answer.Kind);
        Assert.StartsWith(list + ":", answer.Meaning, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.255.255.252", "typing error")]
    [InlineData("127.255.255.254", "public or open resolver")]
    [InlineData("127.255.255.255", "too many queries")]
    public void Zen_refusal_codes_are_refusals_with_the_reason(string code, string reason)
    {
        var answer = BlacklistZones.SpamhausZen.Decode(IPAddress.Parse(code));

        Assert.Equal(BlacklistAnswerKind.Refusal, answer.Kind);
        Assert.Contains(reason, answer.Meaning, StringComparison.Ordinal);
    }

    [Fact]
    public void No_answer_in_127_255_255_0_24_is_a_listing_on_any_default_zone()
    {
        foreach (var zone in BlacklistZones.Defaults)
        {
            for (var last = 0; last <= 255; last++)
            {
                var answer = zone.Decode(new IPAddress([127, 255, 255, (byte)last]));
                Assert.True(answer.Kind == BlacklistAnswerKind.Refusal, $"{zone.Name} read 127.255.255.{last} as {answer.Kind}");
            }
        }
    }

    [Theory]
    [InlineData("127.0.1.2", BlacklistAnswerKind.Listing, "spam domain")]
    [InlineData("127.0.1.4", BlacklistAnswerKind.Listing, "phishing")]
    [InlineData("127.0.1.102", BlacklistAnswerKind.Listing, "abused legitimate")]
    [InlineData("127.0.1.77", BlacklistAnswerKind.Listing, "DBL: listed domain")]
    [InlineData("127.0.1.255", BlacklistAnswerKind.Refusal, "IP address was asked")]
    public void Dbl_codes_decode_and_127_0_1_255_is_a_refusal(string code, BlacklistAnswerKind kind, string meaning)
    {
        var answer = BlacklistZones.SpamhausDbl.Decode(IPAddress.Parse(code));

        Assert.Equal(kind, answer.Kind);
        Assert.Contains(meaning, answer.Meaning, StringComparison.Ordinal);
    }

    [Fact]
    public void Surbl_bitmask_names_every_set_bit()
    {
        var answer = BlacklistZones.Surbl.Decode(IPAddress.Parse("127.0.0.24"));

        Assert.Equal(BlacklistAnswerKind.Listing, answer.Kind);
        Assert.Equal("SURBL PH: phishing, SURBL MW: malware", answer.Meaning);
    }

    [Fact]
    public void Uribl_bitmask_reports_unknown_bits_and_127_0_0_1_is_a_refusal()
    {
        var listed = BlacklistZones.Uribl.Decode(IPAddress.Parse("127.0.0.34"));
        var refused = BlacklistZones.Uribl.Decode(IPAddress.Parse("127.0.0.1"));

        Assert.Equal("URIBL black, unknown bits 32", listed.Meaning);
        Assert.Equal(BlacklistAnswerKind.Refusal, refused.Kind);
    }

    [Theory]
    [InlineData("10.0.0.2")]
    [InlineData("192.0.2.1")]
    [InlineData("2001:db8::2")]
    public void Answer_outside_127_0_0_0_8_is_unexpected(string code)
    {
        Assert.Equal(BlacklistAnswerKind.Unexpected, BlacklistZones.Barracuda.Decode(IPAddress.Parse(code)).Kind);
    }

    [Fact]
    public void Unknown_code_in_127_0_0_0_8_is_a_listing_that_says_the_meaning_is_unknown()
    {
        var answer = BlacklistZones.SpamCop.Decode(IPAddress.Parse("127.0.0.5"));

        Assert.Equal(BlacklistAnswerKind.Listing, answer.Kind);
        Assert.Contains("meaning not known", answer.Meaning, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_set_has_the_nine_public_lists_and_no_sorbs()
    {
        Assert.Equal(
            ["zen.spamhaus.org", "dbl.spamhaus.org", "b.barracudacentral.org", "bl.spamcop.net", "dnsbl-1.uceprotect.net",
             "psbl.surriel.com", "bl.mailspike.net", "multi.surbl.org", "multi.uribl.com"],
            BlacklistZones.Defaults.Select(z => z.Name));
        Assert.DoesNotContain(BlacklistZones.Defaults, z => z.Name.Contains("sorbs", StringComparison.Ordinal));
        Assert.All(BlacklistZones.Defaults, z => Assert.NotNull(z.DelistUrl));
        Assert.True(BlacklistZones.Surbl.IsBitmask && BlacklistZones.Uribl.IsBitmask);
    }
}
