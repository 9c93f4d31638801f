using Deliverability.Core.Blacklists;
using Deliverability.Core.Dns;
using Deliverability.Core.MessageChecks;
using Deliverability.Core.MessageChecks.Links;
using Deliverability.Testing.Dns;
using Deliverability.Testing.Mail;

namespace Deliverability.Core.Tests.MessageChecks;

/// <summary>Link and image domains asked of URI block lists served by a real DNS server on 127.0.0.1.</summary>
public sealed class LinkDomainListingsTests : IAsyncLifetime
{
    private static readonly BlacklistZone Dbl = BlacklistZones.SpamhausDbl with { Name = "dbl.test" };
    private static readonly BlacklistZone Uribl = BlacklistZones.Uribl with { Name = "uribl.test" };

    private TestDnsServer _dns = null!;
    private DnsStubResolver _resolver = null!;

    public Task InitializeAsync()
    {
        _dns = TestDnsServer.Start(new TestZone()
            .A("test.dbl.test", "127.0.1.2").A("badlinks.example.dbl.test", "127.0.1.2")
            .A("test.uribl.test", "127.0.0.14").A("cdn-spam.example.uribl.test", "127.0.0.2")
            .Txt("_dmarc.shop.example.test", "v=DMARC1; p=none"));
        _resolver = new DnsStubResolver(new DnsOptions { NameServers = [_dns.Endpoint], TimeoutSeconds = 2, Retries = 0 });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _resolver.Dispose();
        await _dns.DisposeAsync();
    }

    [Fact]
    public async Task Listed_link_and_image_domains_are_errors_and_clean_ones_are_not_listed()
    {
        var (verdicts, findings) = await new LinkDomainListings(_resolver, [Dbl, Uribl])
            .CheckAsync(["www.badlinks.example", "img.cdn-spam.example", "shop.example.test", "tracking.shop.example.test"]);

        Assert.Equal(["cdn-spam.example", "badlinks.example"], findings.Where(f => f.Code == "message.links.listed").Select(f => f.Subject).Order().Reverse());
        Assert.Equal(6, verdicts.Count); // three registered domains on two lists
        Assert.All(verdicts.Where(v => v.Domain == "example.test"), v => Assert.Equal("not_listed", v.Status));
    }

    [Fact]
    public async Task Message_check_puts_listed_link_domains_in_the_links_group()
    {
        var html = TestMessages.Html("""<p><a href="https://go.badlinks.example/x">Our partner</a></p>""");
        var message = TestMessages.Campaign(html: html);
        var options = new MessageCheckOptions { UriBlocklists = ["domain:dbl.test=127.0.1.2-127.0.1.99"] };

        var report = await new MessageChecker(_resolver, options).CheckAsync(new MessageCheckRequest(Testing.Mail.TestDkimKey.Bytes(message), "test"));

        var listed = Assert.Single(report.Findings, f => f.Finding.Code == "message.links.listed");
        Assert.Equal(MessageCheckGroups.Links, listed.Group);
        Assert.Contains(report.LinkDomains, l => l.Domain == "badlinks.example" && l.Status == "listed");
    }

    [Fact]
    public async Task A_list_that_fails_its_self_test_is_a_warning_not_a_listing()
    {
        var broken = BlacklistZones.Surbl with { Name = "nothing-here.test" };

        var (verdicts, findings) = await new LinkDomainListings(_resolver, [broken]).CheckAsync(["badlinks.example"]);

        Assert.DoesNotContain(verdicts, v => v.Status == "listed");
        Assert.Equal("message.links.list_unchecked", Assert.Single(findings).Code);
    }
}
