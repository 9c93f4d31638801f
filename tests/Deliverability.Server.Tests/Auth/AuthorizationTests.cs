using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Deliverability.Server.Tests.Auth;

/// <summary>
/// Authorization of EVERY endpoint the service maps, read from its EndpointDataSource, so an endpoint added by any
/// feature is covered without a new test: nothing is open without sign-in except the sign-in page, /health and static
/// files; reading needs Viewer; changing anything under /api needs Operator; settings, users and API keys need Admin.
/// </summary>
public sealed partial class AuthorizationTests : ServiceFixture
{
    // Erasing a person's send events (GDPR) is for Admins.
    private static readonly string[] AdminOnlyPrefixes = ["/api/api-keys", "/api/users", "/api/settings", "/settings", "/api/recipients"];

    [Fact]
    public async Task Anonymous_requests_are_refused_everywhere_except_sign_in_health_and_static_files()
    {
        await using var app = StartService(Domains("example.test"));
        var client = app.CreateAnonymousClient();

        var routes = Routes(app);
        Assert.Contains(routes, r => r.Path == "/api/domains");
        foreach (var (method, path) in routes)
        {
            var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
            var what = $"anonymous {method} {path}: {(int)response.StatusCode}";
            if (IsOpen(path))
            {
                Assert.True(response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden) && !RedirectsToSignIn(response), what);
            }
            else if (AuthenticatesItself(path))
            {
                // No credentials of its own scheme: refused (401), or no such webhook source (404); never served.
                Assert.True(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.NotFound, what + " should be 401 or 404");
            }
            else if (IsPage(path))
            {
                Assert.True(RedirectsToSignIn(response), what + " should redirect to /signin");
            }
            else
            {
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, what + " should be 401");
            }
        }
    }

    [Theory]
    [InlineData("Viewer")]
    [InlineData("Operator")]
    [InlineData("Admin")]
    public async Task Each_role_reaches_exactly_the_endpoints_its_rank_allows(string role)
    {
        await using var app = StartService(Domains("example.test"));
        var client = app.CreateClientAs(role);

        // Webhooks take the ESPs' own credentials (signatures, basic auth), not the dashboard's roles.
        foreach (var (method, path) in Routes(app).Where(r => !IsOpen(r.Path) && !r.Path.StartsWith("/hooks/", StringComparison.Ordinal)))
        {
            var required = RequiredRole(method, path);
            var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
            var what = $"{role} {method} {path} (needs {required}): {(int)response.StatusCode}";
            if (Rank(role) >= Rank(required))
            {
                Assert.True(response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden) && !RedirectsToSignIn(response), what + " should be allowed");
            }
            else
            {
                Assert.True(response.StatusCode == HttpStatusCode.Forbidden, what + " should be 403");
            }
        }
    }

    [Fact]
    public async Task Viewer_cannot_run_an_audit_and_an_operator_can()
    {
        Dns.Zone.Txt(MarkerCheck.RecordName("example.test"), "ok");
        await using var app = StartService(Domains("example.test"));

        var viewer = await app.CreateClientAs("Viewer").PostAsync("/api/domains/example.test/audit", null);
        var viewerReads = await app.CreateClientAs("Viewer").GetAsync("/api/domains");
        var operatorRuns = await app.CreateClientAs("Operator").PostAsync("/api/domains/example.test/audit", null);

        Assert.Equal(HttpStatusCode.Forbidden, viewer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, viewerReads.StatusCode);
        Assert.Equal(HttpStatusCode.OK, operatorRuns.StatusCode);
    }

    [Fact]
    public async Task Api_keys_endpoints_declare_the_admin_policy_explicitly()
    {
        await using var app = StartService();
        _ = app.CreateClient();

        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => ("/" + e.RoutePattern.RawText?.TrimStart('/')).StartsWith("/api/api-keys", StringComparison.Ordinal))
            .ToArray();

        Assert.NotEmpty(endpoints);
        Assert.All(endpoints, e => Assert.Contains(e.Metadata.GetOrderedMetadata<IAuthorizeData>(), a => a.Policy == "Admin"));
    }

    [Fact]
    public async Task Unknown_or_revoked_key_is_401_and_a_key_made_by_an_admin_works_with_its_role()
    {
        await using var app = StartService(Domains("example.test"));
        var admin = app.CreateClient();

        var created = await admin.PostAsJsonAsync("/api/api-keys", new { name = "ci", role = "Viewer" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var key = await created.Content.ReadFromJsonAsync<CreatedKey>();
        Assert.NotNull(key);
        Assert.StartsWith("mk_", key.Key);

        var withKey = app.CreateAnonymousClient();
        withKey.DefaultRequestHeaders.Add(TestApiKeys.Header, key.Key);
        Assert.Equal(HttpStatusCode.OK, (await withKey.GetAsync("/api/domains")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await withKey.PostAsync("/api/domains/example.test/audit", null)).StatusCode);

        var listed = await admin.GetStringAsync("/api/api-keys");
        Assert.Contains("\"ci\"", listed);
        Assert.DoesNotContain(key.Key, listed);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/api-keys/{key.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await withKey.GetAsync("/api/domains")).StatusCode);

        var wrong = app.CreateAnonymousClient();
        wrong.DefaultRequestHeaders.Add(TestApiKeys.Header, "mk_not-a-key");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("/api/domains")).StatusCode);
    }

    [Fact]
    public async Task Signing_in_with_the_form_gives_a_cookie_that_opens_pages_and_the_api()
    {
        await using var app = StartService(Domains("example.test"));
        var browser = app.CreateAnonymousClient();

        var response = await SignInAsync(browser, "admin", TestApiKeys.AdminPassword);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", new Uri(new Uri("http://localhost"), response.Headers.Location!).AbsolutePath);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/domains")).StatusCode);
        var overview = await browser.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, overview.StatusCode);
        Assert.Contains("Readiness per sending domain", await overview.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Wrong_password_is_refused_and_locks_the_account_after_five_attempts()
    {
        await using var app = StartService();
        var browser = app.CreateAnonymousClient();

        var first = await SignInAsync(browser, "admin", "wrong password");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Contains("Wrong user name or password.", await first.Content.ReadAsStringAsync());
        for (var i = 0; i < 4; i++)
        {
            await SignInAsync(browser, "admin", "wrong password");
        }

        var afterLockout = await SignInAsync(browser, "admin", TestApiKeys.AdminPassword);

        Assert.Contains("locked", await afterLockout.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/domains")).StatusCode);
    }

    [Fact]
    public async Task Sign_in_attempts_beyond_the_limit_per_minute_get_429()
    {
        await using var app = StartService(("Auth:SignInAttemptsPerMinute", "3"));
        var browser = app.CreateAnonymousClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            statuses.Add((await SignInAsync(browser, "nobody", "x")).StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/signin")).StatusCode);
    }

    [Fact]
    public async Task Sign_in_form_without_its_antiforgery_token_is_refused()
    {
        await using var app = StartService();
        var browser = app.CreateAnonymousClient();

        var response = await browser.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "signin",
            ["Input.UserName"] = "admin",
            ["Input.Password"] = TestApiKeys.AdminPassword,
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/domains")).StatusCode);
    }

    internal static async Task<HttpResponseMessage> SignInAsync(HttpClient browser, string user, string password)
    {
        var form = await browser.GetStringAsync("/signin");
        var token = AntiforgeryField().Match(form).Groups[1].Value;
        return await browser.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "signin",
            ["__RequestVerificationToken"] = token,
            ["Input.UserName"] = user,
            ["Input.Password"] = password,
        }));
    }

    /// <summary>Every (method, path) the app maps, route parameters filled with harmless values.</summary>
    private static List<(string Method, string Path)> Routes(MonitorApplication app)
    {
        _ = app.CreateClient(); // starts the host
        var routes = new List<(string, string)>();
        var open = new List<string>();
        foreach (var endpoint in app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var path = "/" + RouteParameter().Replace(endpoint.RoutePattern.RawText?.TrimStart('/') ?? "", m => Sample(m.Groups[1].Value)).TrimEnd('/');
            var methods = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            routes.AddRange(methods.Select(m => (m, path)));
            if (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null)
            {
                open.Add(path);
            }
        }

        // What the service opens to everyone must be exactly what IsOpen expects: no feature opens an endpoint unnoticed.
        Assert.All(open, path => Assert.True(IsOpen(path) || AuthenticatesItself(path), $"{path} allows anonymous access"));
        return routes.Distinct().ToList();
    }

    private static string Sample(string parameter)
    {
        var name = parameter.TrimStart('*').Split(':', '=', '?')[0].ToLowerInvariant();
        return name switch
        {
            "id" => "999999",
            "domain" or "name" => "example.test",
            _ => "sample",
        };
    }

    private static bool IsOpen(string path) =>
        path is "/signin" or "/health" || (FileName().IsMatch(path) && !path.StartsWith("/api/", StringComparison.Ordinal)); // an API path ending in .png is no static file

    /// <summary>
    /// Endpoints outside the sign-in scheme that check their own credentials: the ESPs' webhooks (each provider's
    /// signature or basic auth) and the Prometheus scrape (a Viewer, or the scrape token Prometheus sends).
    /// </summary>
    private static bool AuthenticatesItself(string path) =>
        path == "/metrics" || path.StartsWith("/hooks/", StringComparison.Ordinal);

    private static bool IsPage(string path) => !path.StartsWith("/api", StringComparison.Ordinal) && !path.StartsWith("/hubs", StringComparison.Ordinal) && !path.StartsWith("/_blazor", StringComparison.Ordinal);

    private static string RequiredRole(string method, string path)
    {
        if (AdminOnlyPrefixes.Any(p => path.StartsWith(p, StringComparison.Ordinal)))
        {
            return "Admin";
        }

        return path.StartsWith("/api/", StringComparison.Ordinal) && method is not ("GET" or "HEAD") ? "Operator" : "Viewer";
    }

    private static int Rank(string role) => role switch { "Viewer" => 1, "Operator" => 2, "Admin" => 3, _ => 0 };

    private static bool RedirectsToSignIn(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.OriginalString.Contains("/signin", StringComparison.Ordinal) == true;

    private sealed record CreatedKey(long Id, string Name, string Role, string Key);

    [GeneratedRegex(@"\{([^}]+)\}")]
    private static partial Regex RouteParameter();

    [GeneratedRegex(@"name=""__RequestVerificationToken"" value=""([^""]+)""")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex(@"^/(_content/|_framework/)?[^/]+(/[^/]+)*\.(css|js|mjs|json|map|png|ico|svg|woff2?|ttf|txt|html|gz|br|wasm|dat)$")]
    private static partial Regex FileName();
}
