using Deliverability.Core.Dns;

namespace Deliverability.Core.Tests.Dns;

public sealed class IpAddressTextTests
{
    [Theory]
    [InlineData("192.0.2.1", "192.0.2.1")]
    [InlineData(" 192.0.2.1 ", "192.0.2.1")]
    [InlineData("0.0.0.0", "0.0.0.0")]
    [InlineData("255.255.255.255", "255.255.255.255")]
    [InlineData("2001:db8::1", "2001:db8::1")]
    [InlineData("::1", "::1")]
    [InlineData("::ffff:192.0.2.1", "::ffff:192.0.2.1")]
    public void Dotted_quads_and_ipv6_are_addresses(string text, string expected)
    {
        Assert.True(IpAddressText.TryParse(text, out var address));
        Assert.Equal(expected, address.ToString());
    }

    [Theory]
    [InlineData("12345")] // IPAddress.Parse reads 0.0.48.57
    [InlineData("192.0.2")] // 192.0.0.2
    [InlineData("1.2")]
    [InlineData("010.0.0.1")] // octal: 8.0.0.1
    [InlineData("0x7f.0.0.1")]
    [InlineData("192.0.2.256")]
    [InlineData("192.0.2.1.5")]
    [InlineData("fe80::1%eth0")]
    [InlineData("[::1]")]
    [InlineData("::ffff:1.2.3")]
    [InlineData("2001:db8::zz")]
    [InlineData("")]
    [InlineData(null)]
    public void Other_forms_are_not(string? text)
    {
        Assert.False(IpAddressText.TryParse(text, out _));
        Assert.False(IpAddressText.IsValid(text));
    }
}
