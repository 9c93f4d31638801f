using System.Net;
using Deliverability.Core.Authentication.Spf;

namespace Deliverability.Core.Tests.Authentication.Spf;

/// <summary>The examples of RFC 7208 section 7.4, and the escapes of section 7.1.</summary>
public sealed class SpfMacroStringTests
{
    private static readonly SpfMacroValues Ipv4 = new(IPAddress.Parse("192.0.2.3"), "strong-bad@email.example.com", "mx.example.org", "mx.receiver.example", DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));

    [Theory]
    [InlineData("%{s}", "strong-bad@email.example.com")]
    [InlineData("%{o}", "email.example.com")]
    [InlineData("%{d}", "email.example.com")]
    [InlineData("%{d4}", "email.example.com")]
    [InlineData("%{d3}", "email.example.com")]
    [InlineData("%{d2}", "example.com")]
    [InlineData("%{d1}", "com")]
    [InlineData("%{dr}", "com.example.email")]
    [InlineData("%{d2r}", "example.email")]
    [InlineData("%{l}", "strong-bad")]
    [InlineData("%{l-}", "strong.bad")]
    [InlineData("%{lr}", "strong-bad")]
    [InlineData("%{lr-}", "bad.strong")]
    [InlineData("%{l1r-}", "strong")]
    [InlineData("%{ir}.%{v}._spf.%{d2}", "3.2.0.192.in-addr._spf.example.com")]
    [InlineData("%{lr-}.lp._spf.%{d2}", "bad.strong.lp._spf.example.com")]
    [InlineData("%{lr-}.lp.%{ir}.%{v}._spf.%{d2}", "bad.strong.lp.3.2.0.192.in-addr._spf.example.com")]
    [InlineData("%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}", "3.2.0.192.in-addr.strong.lp._spf.example.com")]
    [InlineData("%{d2}.trusted-domains.example.net", "example.com.trusted-domains.example.net")]
    [InlineData("%{h}", "mx.example.org")]
    [InlineData("a%%b%_c%-d", "a%b c%20d")]
    public void Rfc_7208_examples_expand(string macro, string expected)
    {
        Assert.True(SpfMacroString.TryParse(macro, out var parsed, out var error), error);
        Assert.Equal(expected, parsed.Expand(Ipv4, "email.example.com"));
    }

    [Fact]
    public void Ipv6_i_macro_is_dotted_nibbles()
    {
        var values = new SpfMacroValues(IPAddress.Parse("2001:db8::cb01"), "strong-bad@email.example.com", "h.example", "r", DateTimeOffset.UnixEpoch);
        SpfMacroString.TryParse("%{ir}.%{v}._spf.%{d2}", out var parsed, out _);

        Assert.Equal("1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com", parsed!.Expand(values, "email.example.com"));
    }

    [Fact]
    public void Explanation_letters_c_r_t_expand_only_in_explanations()
    {
        Assert.False(SpfMacroString.TryParse("%{c}", out _, out _));
        Assert.True(SpfMacroString.TryParseExplanation("%{c} via %{r} at %{t}", out var parsed, out _));

        Assert.Equal("192.0.2.3 via mx.receiver.example at 1700000000", parsed.Expand(Ipv4, "email.example.com"));
    }

    [Fact]
    public void Upper_case_letters_are_url_escaped()
    {
        var values = new SpfMacroValues(IPAddress.Parse("192.0.2.3"), "~jack&jill=up-a_b3.c@example.com", "h.example", "r", DateTimeOffset.UnixEpoch);
        SpfMacroString.TryParse("%{L}", out var parsed, out _);

        Assert.Equal("~jack%26jill%3Dup-a_b3.c", parsed!.Expand(values, "example.com"));
    }

    [Fact]
    public void Sender_without_local_part_uses_postmaster()
    {
        var values = new SpfMacroValues(IPAddress.Parse("192.0.2.3"), "@example.com", "h.example", "r", DateTimeOffset.UnixEpoch);
        SpfMacroString.TryParse("%{l}", out var parsed, out _);

        Assert.Equal("postmaster", parsed!.Expand(values, "example.com"));
    }

    [Theory]
    [InlineData("%")]
    [InlineData("%x")]
    [InlineData("%{d")]
    [InlineData("%{}")]
    [InlineData("%{d2x}")]
    public void Malformed_macros_are_rejected(string text) =>
        Assert.False(SpfMacroString.TryParse(text, out _, out _));
}
