using System.Net;
using System.Text.RegularExpressions;
using Deliverability.Server.Infrastructure;
using Deliverability.Server.Tests.Auth;

namespace Deliverability.Server.Tests.Infrastructure;

/// <summary>
/// Behind a TLS proxy: X-Forwarded-Proto and X-Forwarded-For count only from the proxies named in
/// <c>ForwardedHeaders:KnownProxies</c> / <c>KnownNetworks</c>, so the cookies are <c>secure</c> when the browser uses
/// https and the sign-in throttling sees the real client, and nobody else can pretend either.
/// </summary>
public sealed partial class ForwardedHeadersTests : ServiceFixture
{
    [Fact]
    public async Task Cookies_are_secure_when_a_known_proxy_says_https_and_not_when_an_unknown_client_says_so()
    {
        await using var app = StartService(("ForwardedHeaders:KnownProxies:0", "127.0.0.1"));
        var service = new Uri(app.StartOnKestrel().BaseUrl);

        var viaProxy = await SignInCookiesAsync(service, "127.0.0.1");
        var direct = await SignInCookiesAsync(service, "127.0.0.2");

        Assert.Contains(viaProxy, c => c.StartsWith("monitor.auth=", StringComparison.Ordinal));
        Assert.All(viaProxy, c => Assert.Contains("; secure", c, StringComparison.OrdinalIgnoreCase));
        Assert.Contains(direct, c => c.StartsWith("monitor.auth=", StringComparison.Ordinal));
        Assert.All(direct, c => Assert.DoesNotContain("secure", c, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Without_configuration_no_forwarded_header_is_trusted_not_even_from_loopback()
    {
        await using var app = StartService();
        var service = new Uri(app.StartOnKestrel().BaseUrl);

        var cookies = await SignInCookiesAsync(service, "127.0.0.1");

        Assert.Contains(cookies, c => c.StartsWith("monitor.auth=", StringComparison.Ordinal));
        Assert.All(cookies, c => Assert.DoesNotContain("secure", c, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Behind_a_known_proxy_sign_in_throttling_tells_the_clients_apart_by_x_forwarded_for()
    {
        await using var app = StartService(("ForwardedHeaders:KnownNetworks:0", "127.0.0.0/30"), ("Auth:LockoutAttempts", "2"));
        var service = new Uri(app.StartOnKestrel().BaseUrl);
        var stranger = LoopbackClient.From("127.0.0.1", service);
        stranger.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.9");
        var administrator = LoopbackClient.From("127.0.0.1", service);
        administrator.DefaultRequestHeaders.Add("X-Forwarded-For", "198.51.100.7");

        await AuthorizationTests.SignInAsync(stranger, "admin", "Wrong-guess-password-7");
        await AuthorizationTests.SignInAsync(stranger, "admin", "Wrong-guess-password-7");

        Assert.Contains("locked", await (await AuthorizationTests.SignInAsync(stranger, "admin", TestApiKeys.AdminPassword)).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await AuthorizationTests.SignInAsync(administrator, "admin", TestApiKeys.AdminPassword)).StatusCode);
    }

    [Fact]
    public void Addresses_that_are_not_ip_addresses_or_networks_are_named_by_their_key()
    {
        var options = new TrustedProxyOptions { KnownProxies = ["10.0.0.1", "proxy.example", "12345", "::1"], KnownNetworks = ["10.1.0.0/16", "10.2.0.0/99", "10.3.0.0"] };

        var result = new TrustedProxyOptionsValidator().Validate(null, options);

        Assert.Equal(
            [
                "ForwardedHeaders:KnownProxies:1: 'proxy.example' is not an IP address",
                "ForwardedHeaders:KnownProxies:2: '12345' is not an IP address",
                "ForwardedHeaders:KnownNetworks:1: '10.2.0.0/99' is not a network in CIDR notation (e.g. 10.0.0.0/8 or fd00::/8)",
                "ForwardedHeaders:KnownNetworks:2: '10.3.0.0' is not a network in CIDR notation (e.g. 10.0.0.0/8 or fd00::/8)",
            ],
            result.Failures);
    }

    /// <summary>
    /// The Set-Cookie headers of the sign-in page and of a successful sign-in, both sent as if over https through a proxy.
    /// Cookies are sent back by hand: a cookie container keeps a secure cookie from an http connection to itself.
    /// </summary>
    private static async Task<List<string>> SignInCookiesAsync(Uri service, string from)
    {
        using var client = LoopbackClient.From(from, service, handleCookies: false);
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        var page = await client.GetAsync("/signin");
        var cookies = page.Headers.GetValues("Set-Cookie").ToList();
        using var post = new HttpRequestMessage(HttpMethod.Post, "/signin")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_handler"] = "signin",
                ["__RequestVerificationToken"] = AntiforgeryField().Match(await page.Content.ReadAsStringAsync()).Groups[1].Value,
                ["Input.UserName"] = "admin",
                ["Input.Password"] = TestApiKeys.AdminPassword,
            }),
        };
        post.Headers.Add("Cookie", string.Join("; ", cookies.Select(c => c.Split(';')[0])));
        var signedIn = await client.SendAsync(post);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        cookies.AddRange(signedIn.Headers.GetValues("Set-Cookie"));
        return cookies;
    }

    [GeneratedRegex(@"name=""__RequestVerificationToken"" value=""([^""]+)""")]
    private static partial Regex AntiforgeryField();
}
