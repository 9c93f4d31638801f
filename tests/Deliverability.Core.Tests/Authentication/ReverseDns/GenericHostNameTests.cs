using System.Net;
using Deliverability.Core.Authentication.ReverseDns;

namespace Deliverability.Core.Tests.Authentication.ReverseDns;

public sealed class GenericHostNameTests
{
    [Theory]
    [InlineData("192-0-2-5.static.isp.test", "192.0.2.5")]
    [InlineData("5-2-0-192.isp.test", "192.0.2.5")]
    [InlineData("host5.2.0.192.isp.test", "192.0.2.5")]
    [InlineData("c0000205.isp.test", "192.0.2.5")]
    [InlineData("192000002005.isp.test", "192.0.2.5")]
    [InlineData("cpe-host.dynamic.isp.test", "192.0.2.5")]
    [InlineData("pool-7.isp.test", "192.0.2.5")]
    [InlineData("adsl.isp.test", "192.0.2.5")]
    [InlineData("x.dhcp.isp.test", "192.0.2.5")]
    [InlineData("2001-db8--25.v6.isp.test", "2001:db8::25")]
    public void Generated_names_are_generic(string name, string ip) =>
        Assert.NotNull(GenericHostName.Reason(name, IPAddress.Parse(ip)));

    [Theory]
    [InlineData("mail.example.com", "192.0.2.5")]
    [InlineData("mta5.example.com", "192.0.2.5")]
    [InlineData("outbound-2.example.com", "192.0.2.5")]
    [InlineData("dynamite-shop.example", "192.0.2.5")]
    [InlineData("mail6.example.com", "2001:db8::25")]
    public void Chosen_names_are_not_generic(string name, string ip) =>
        Assert.Null(GenericHostName.Reason(name, IPAddress.Parse(ip)));
}
