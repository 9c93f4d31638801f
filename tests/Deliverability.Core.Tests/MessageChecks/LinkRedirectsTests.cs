using System.Collections.Concurrent;
using System.Net;
using Deliverability.Core.Dns;
using Deliverability.Core.MessageChecks;
using Deliverability.Core.MessageChecks.Links;
using Deliverability.Testing.Dns;
using Deliverability.Testing.Mail;
using Deliverability.Testing.Network;

namespace Deliverability.Core.Tests.MessageChecks;

/// <summary>
/// Following links through their redirects, against a real HTTP server (HttpListener on 127.0.0.1) and URI block lists
/// served by a real DNS server: only allowed hosts are requested, and the domains the links end at are checked too.
/// </summary>
public sealed class LinkRedirectsTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<(string Method, string Path)> _requests = new();
    private readonly Dictionary<string, (int Status, string? Location)> _routes = [];
    private readonly HttpListener _listener = new();
    private readonly int _port = FreePort.Tcp();
    private TestDnsServer _dns = null!;
    private DnsStubResolver _resolver = null!;
    private Task _serving = Task.CompletedTask;

    private string Base => $"http://127.0.0.1:{_port}";

    public Task InitializeAsync()
    {
        _dns = TestDnsServer.Start(new TestZone().A("test.dbl.test", "127.0.1.2").A("badlinks.example.dbl.test", "127.0.1.2").Txt("_dmarc.shop.example.test", "v=DMARC1; p=none"));
        _resolver = new DnsStubResolver(new DnsOptions { NameServers = [_dns.Endpoint], TimeoutSeconds = 2, Retries = 0 });
        _listener.Prefixes.Add(Base + "/");
        _listener.Start();
        _serving = ServeAsync();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _serving;
        _resolver.Dispose();
        await _dns.DisposeAsync();
    }

    [Fact]
    public async Task Links_are_followed_to_allowed_hosts_only_and_the_domain_they_end_at_is_checked_on_the_lists()
    {
        _routes["/click/1"] = (302, "/hop");
        _routes["/hop"] = (301, "https://go.badlinks.example/landing?c=1");

        var report = await CheckAsync($"""<p><a href="{Base}/click/1">See the sale</a></p>""", allowed: ["127.0.0.1"]);

        var redirect = Assert.Single(report.Redirects);
        Assert.Equal([$"{Base}/hop", "https://go.badlinks.example/landing?c=1"], redirect.Hops);
        Assert.Null(redirect.Problem);
        Assert.Equal([("HEAD", "/click/1"), ("HEAD", "/hop")], _requests);
        Assert.Contains(report.Findings, f => f.Finding.Code == "message.links.listed" && f.Finding.Subject == "badlinks.example");
        Assert.Contains(report.Findings, f => f.Finding.Code == "message.links.redirects" && f.Group == MessageCheckGroups.Links);
    }

    [Fact]
    public async Task Without_allowed_hosts_no_link_is_requested_and_only_the_domains_the_message_shows_are_checked()
    {
        _routes["/click/1"] = (302, "https://go.badlinks.example/landing");

        var report = await CheckAsync($"""<p><a href="{Base}/click/1">See the sale</a></p>""", allowed: []);

        Assert.Empty(report.Redirects);
        Assert.Empty(_requests);
        Assert.DoesNotContain(report.Findings, f => f.Finding.Code == "message.links.listed");
    }

    [Fact]
    public async Task A_server_that_refuses_head_is_asked_with_get_and_a_redirect_loop_stops_at_the_limit()
    {
        _routes["/no-head"] = (405, null);
        _routes["/loop"] = (302, "/loop");

        var report = await CheckAsync($"""<p><a href="{Base}/no-head">One</a> <a href="{Base}/loop">Two</a></p>""", allowed: ["127.0.0.1"], maxRedirects: 3);

        Assert.Contains(("GET", "/no-head"), _requests);
        Assert.Equal(3, _requests.Count(r => r.Path == "/loop"));
        var loop = Assert.Single(report.Redirects, r => r.Link.EndsWith("/loop", StringComparison.Ordinal));
        Assert.Equal(3, loop.Hops.Count);
        Assert.Contains("still redirecting after 3 redirects", loop.Problem);
        Assert.Contains(report.Findings, f => f.Finding.Code == "message.links.redirect_unfollowed" && f.Finding.Subject == loop.Link);
    }

    private async Task<MessageCheckReport> CheckAsync(string links, List<string> allowed, int maxRedirects = 5)
    {
        var message = TestMessages.Campaign(html: TestMessages.Html(links));
        var options = new MessageCheckOptions
        {
            UriBlocklists = ["domain:dbl.test=127.0.1.2-127.0.1.99"],
            Redirects = new RedirectOptions { AllowedHosts = allowed, MaxRedirects = maxRedirects, TimeoutSeconds = 10 },
        };
        return await new MessageChecker(_resolver, options).CheckAsync(new MessageCheckRequest(TestDkimKey.Bytes(message), "test"));
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            var path = context.Request.Url!.AbsolutePath;
            _requests.Enqueue((context.Request.HttpMethod, path));
            var (status, location) = _routes.TryGetValue(path, out var route) ? route : (200, null);
            if (status == 405 && context.Request.HttpMethod == "GET")
            {
                status = 200;
            }

            context.Response.StatusCode = status;
            if (location is not null)
            {
                context.Response.RedirectLocation = location;
            }

            context.Response.Close();
        }
    }
}
