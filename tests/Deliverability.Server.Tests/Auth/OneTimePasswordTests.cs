using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Deliverability.Server.Auth;
using Deliverability.Testing.Logging;
using Deliverability.Core.SignIn;

namespace Deliverability.Server.Tests.Auth;

/// <summary>
/// A session signed in with a one-time password (the first administrator's from the log, or one an Admin gave out) may
/// choose its own password and sign out, nothing else; choosing one keeps the session signed in.
/// </summary>
public sealed partial class OneTimePasswordTests : ServiceFixture
{
    private const string OneTime = "One-time-password-42";
    private const string Chosen = "Chosen-password-2026";

    [Fact]
    public async Task A_one_time_password_session_may_only_change_its_password_or_sign_out()
    {
        await using var app = StartService(Domains("example.test"));
        await CreateUserAsync(app, "olga", MonitorRoles.Admin, OneTime, mustChangePassword: true);
        var browser = app.CreateAnonymousClient();

        var signIn = await AuthorizationTests.SignInAsync(browser, "olga", OneTime);
        Assert.Equal("/account/password", Location(signIn));

        foreach (var (method, path) in new[] { ("GET", "/api/domains"), ("POST", "/api/api-keys"), ("POST", "/api/domains/example.test/audit"), ("POST", "/hubs/alerts/negotiate?negotiateVersion=1"), ("POST", "/_blazor/negotiate?negotiateVersion=1") })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "POST" ? JsonContent.Create(new { name = "x", role = "Admin" }) : null };
            var response = await browser.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{method} {path}: {(int)response.StatusCode}");
            if (path.StartsWith("/api", StringComparison.Ordinal))
            {
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Assert.Contains("Choose your own password at /account/password", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
        }

        foreach (var page in new[] { "/", "/alerts", "/settings/users", "/settings/api-keys", "/domains/example.test" })
        {
            Assert.Equal("/account/password", Location(await browser.GetAsync(page)));
        }

        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/account/password")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.CreateClientAs("Admin").GetAsync("/api/domains")).StatusCode); // API keys are not sessions

        var signOut = await SignOutAsync(browser);
        Assert.Equal("/signin", Location(signOut));
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/domains")).StatusCode);
    }

    [Fact]
    public async Task The_first_administrators_one_time_password_from_the_log_must_be_replaced_before_anything_else()
    {
        var logs = new CapturingLoggerProvider();
        await using var service = StartService(("Auth:FirstAdmin:Password", ""));
        await using var app = service.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(logs)));
        _ = app.Services;
        var logged = Assert.Single(logs.Entries, e => e.Message.Contains("one-time password", StringComparison.Ordinal));
        var oneTime = logged.Values.Single(v => v.StartsWith("Password=", StringComparison.Ordinal))["Password=".Length..];
        var browser = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        browser.DefaultRequestHeaders.Remove(TestApiKeys.Header);

        Assert.Equal("/account/password", Location(await AuthorizationTests.SignInAsync(browser, "admin", oneTime)));
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.GetAsync("/api/domains")).StatusCode);

        var changed = await ChangePasswordAsync(browser, oneTime, Chosen);

        Assert.Equal("/", Location(changed));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/domains")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/")).StatusCode);
        var again = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        again.DefaultRequestHeaders.Remove(TestApiKeys.Header);
        Assert.Contains("Wrong user name or password.", await (await AuthorizationTests.SignInAsync(again, "admin", oneTime)).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await AuthorizationTests.SignInAsync(again, "admin", Chosen)).StatusCode);
    }

    [Fact]
    public async Task Changing_ones_password_keeps_this_session_signed_in_and_signs_out_the_others()
    {
        // Every request checks the cookie against the store, as happens once per interval in production.
        await using var app = StartService(("Auth:RevalidationInterval", "00:00:00.001"));
        await CreateUserAsync(app, "olga", MonitorRoles.Operator, OneTime, mustChangePassword: false);
        var browser = app.CreateAnonymousClient();
        var otherBrowser = app.CreateAnonymousClient();
        Assert.Equal("/", Location(await AuthorizationTests.SignInAsync(browser, "olga", OneTime)));
        Assert.Equal("/", Location(await AuthorizationTests.SignInAsync(otherBrowser, "olga", OneTime)));

        var changed = await ChangePasswordAsync(browser, OneTime, Chosen);

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Contains("Password changed.", await changed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/domains")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/alerts")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await otherBrowser.GetAsync("/api/domains")).StatusCode);
    }

    [Fact]
    public async Task A_wrong_current_password_changes_nothing_and_is_not_shown_back()
    {
        await using var app = StartService();
        await CreateUserAsync(app, "olga", MonitorRoles.Viewer, OneTime, mustChangePassword: true);
        var browser = app.CreateAnonymousClient();
        await AuthorizationTests.SignInAsync(browser, "olga", OneTime);

        var refused = await ChangePasswordAsync(browser, "Not-the-password-1", Chosen);
        var html = await refused.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("Incorrect password.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Not-the-password-1", html, StringComparison.Ordinal);
        Assert.DoesNotContain(Chosen, html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.GetAsync("/api/domains")).StatusCode);
    }

    internal static async Task CreateUserAsync(MonitorApplication app, string name, string role, string password, bool mustChangePassword)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<MonitorUser>>();
        var user = new MonitorUser { UserName = name, MustChangePassword = mustChangePassword };
        Assert.True((await users.CreateAsync(user, password)).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, role)).Succeeded);
    }

    /// <summary>Posts the form of <c>/account/password</c> as a browser does (with its antiforgery token).</summary>
    internal static async Task<HttpResponseMessage> ChangePasswordAsync(HttpClient browser, string current, string chosen)
    {
        var form = await browser.GetStringAsync("/account/password");
        return await browser.PostAsync("/account/password", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "change-password",
            ["__RequestVerificationToken"] = AntiforgeryField().Match(form).Groups[1].Value,
            ["Input.Current"] = current,
            ["Input.New"] = chosen,
            ["Input.Again"] = chosen,
        }));
    }

    private static async Task<HttpResponseMessage> SignOutAsync(HttpClient browser)
    {
        var form = await browser.GetStringAsync("/account/password");
        return await browser.PostAsync("/signout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AntiforgeryField().Match(form).Groups[1].Value,
        }));
    }

    private static string? Location(HttpResponseMessage response) =>
        response.Headers.Location is { } location ? new Uri(new Uri("http://localhost"), location).AbsolutePath : $"(no redirect: {(int)response.StatusCode})";

    [GeneratedRegex(@"name=""__RequestVerificationToken"" value=""([^""]+)""")]
    private static partial Regex AntiforgeryField();
}
