using System.Net;
using Deliverability.Core.Blacklists;

namespace Deliverability.Core.Tests.Blacklists;

public sealed class BlacklistInputTests
{
    [Fact]
    public void Ipv4_is_queried_with_reversed_octets_under_the_zone()
    {
        Assert.Equal("1.2.0.192.zen.spamhaus.org", BlacklistTarget.Parse("192.0.2.1").QueryName(BlacklistZones.SpamhausZen));
    }

    [Fact]
    public void Ipv6_is_queried_in_nibble_form_under_the_zone()
    {
        var name = BlacklistTarget.Parse("2001:DB8::1").QueryName(BlacklistZones.SpamhausZen);

        Assert.Equal("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.zen.spamhaus.org", name);
    }

    [Fact]
    public void Ipv4_mapped_ipv6_is_checked_as_ipv4()
    {
        var target = BlacklistTarget.Parse("::ffff:192.0.2.1");

        Assert.False(target.IsIpv6);
        Assert.Equal("192.0.2.1", target.Text);
    }

    [Fact]
    public void Domain_is_queried_as_is_in_lower_case()
    {
        var target = BlacklistTarget.Parse("Mail.Example.COM.");

        Assert.Equal(BlacklistZoneKind.Domain, target.Kind);
        Assert.Equal("mail.example.com.dbl.spamhaus.org", target.QueryName(BlacklistZones.SpamhausDbl));
    }

    [Theory]
    [InlineData("192.0.2.256")]
    [InlineData("192.0.2")]
    [InlineData("1")]
    [InlineData("2001:db8::zz")]
    [InlineData("fe80::1%eth0")]
    [InlineData("010.0.0.1")]
    [InlineData("not a domain")]
    [InlineData("localhost")]
    [InlineData("-bad.example")]
    [InlineData("")]
    public void Malformed_target_is_an_error_naming_the_value(string text)
    {
        var error = Assert.Throws<FormatException>(() => BlacklistTarget.Parse(text));

        Assert.Contains($"'{text}'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("zen.spamhaus.org")]
    [InlineData(" ZEN.Spamhaus.org. ")]
    public void Spec_with_a_default_name_is_that_default_zone(string spec)
    {
        Assert.Same(BlacklistZones.SpamhausZen, BlacklistZoneSpec.Parse(spec));
    }

    [Fact]
    public void Spec_with_codes_is_a_custom_zone_listing_those_codes()
    {
        var zone = BlacklistZoneSpec.Parse("My.List.Example=127.0.0.2, 127.0.0.4-127.0.0.7");

        Assert.Equal("my.list.example", zone.Name);
        Assert.Equal(BlacklistZoneKind.Ip, zone.Kind);
        Assert.Equal(2, zone.Codes.Count);
        Assert.Equal(BlacklistAnswerKind.Listing, zone.Decode(IPAddress.Parse("127.0.0.5")).Kind);
        Assert.Contains("127.0.0.4-127.0.0.7", zone.Decode(IPAddress.Parse("127.0.0.5")).Meaning, StringComparison.Ordinal);
    }

    [Fact]
    public void Custom_zone_can_be_a_domain_list()
    {
        Assert.Equal(BlacklistZoneKind.Domain, BlacklistZoneSpec.Parse("rhs.example=127.0.0.2", BlacklistZoneKind.Domain).Kind);
    }

    [Theory]
    [InlineData("unknown.example", "give its listing codes")]
    [InlineData("x.example=", "is not a return code")]
    [InlineData("x.example=10.0.0.2", "is not a return code")]
    [InlineData("x.example=127.0.0.2,,127.0.0.3", "is not a return code")]
    [InlineData("x.example=127.0.0.9-127.0.0.3", "ends before it starts")]
    [InlineData("bad zone=127.0.0.2", "not a valid zone name")]
    [InlineData("x.example=127.255.255.254", "never 'listed'")]
    [InlineData("x.example=127.0.0.2-127.255.255.255", "never 'listed'")]
    [InlineData("=127.0.0.2", "not a valid zone name")]
    public void Malformed_zone_spec_is_an_error_naming_the_value(string spec, string why)
    {
        var error = Assert.Throws<FormatException>(() => BlacklistZoneSpec.Parse(spec));

        Assert.Contains($"'{spec}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(why, error.Message, StringComparison.Ordinal);
    }
}
