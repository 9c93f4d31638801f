using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Deliverability.Server.Auth;
using Deliverability.Core.SignIn;

namespace Deliverability.Server.Tests.Auth;

/// <summary>A role changed or a user deleted in Settings → Users applies within <c>Auth:RevalidationInterval</c>, not at the next sign-in.</summary>
public sealed class RoleRevalidationTests : ServiceFixture
{
    private const string Password = "Olga-password-123";

    [Fact]
    public async Task An_operator_demoted_to_viewer_gets_403_on_an_operator_action_with_the_old_cookie_after_revalidation()
    {
        await using var app = StartService(("Auth:RevalidationInterval", "00:00:01"));
        await CreateUserAsync(app, "olga", MonitorRoles.Operator);
        var cookie = await SignInCookieAsync(app, "olga");
        Assert.Equal(HttpStatusCode.NotFound, await AcknowledgeUnknownAlertAsync(app, cookie)); // allowed: there is no such alert

        await ChangeRoleAsync(app, "olga", MonitorRoles.Viewer);

        Assert.Equal(HttpStatusCode.Forbidden, await PollAsync(() => AcknowledgeUnknownAlertAsync(app, cookie), HttpStatusCode.Forbidden));
        Assert.Equal(HttpStatusCode.OK, await GetWithCookieAsync(app, cookie, "/api/domains")); // still signed in, as a Viewer
    }

    [Fact]
    public async Task A_viewer_promoted_to_operator_may_act_with_the_old_cookie_after_revalidation()
    {
        await using var app = StartService(("Auth:RevalidationInterval", "00:00:01"));
        await CreateUserAsync(app, "olga", MonitorRoles.Viewer);
        var cookie = await SignInCookieAsync(app, "olga");
        Assert.Equal(HttpStatusCode.Forbidden, await AcknowledgeUnknownAlertAsync(app, cookie));

        await ChangeRoleAsync(app, "olga", MonitorRoles.Operator);

        Assert.Equal(HttpStatusCode.NotFound, await PollAsync(() => AcknowledgeUnknownAlertAsync(app, cookie), HttpStatusCode.NotFound));
    }

    [Fact]
    public async Task A_deleted_user_is_signed_out_with_the_old_cookie_after_revalidation()
    {
        await using var app = StartService(("Auth:RevalidationInterval", "00:00:01"));
        await CreateUserAsync(app, "olga", MonitorRoles.Operator);
        var cookie = await SignInCookieAsync(app, "olga");
        Assert.Equal(HttpStatusCode.OK, await GetWithCookieAsync(app, cookie, "/api/domains"));

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<MonitorUser>>();
            Assert.True((await users.DeleteAsync((await users.FindByNameAsync("olga"))!)).Succeeded);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await PollAsync(() => GetWithCookieAsync(app, cookie, "/api/domains"), HttpStatusCode.Unauthorized));
    }

    [Fact]
    public async Task An_open_dashboard_keeps_its_user_only_while_role_stamp_and_account_are_unchanged()
    {
        await using var app = StartService();
        _ = app.CreateClient();
        await CreateUserAsync(app, "olga", MonitorRoles.Operator);
        await CreateUserAsync(app, "vera", MonitorRoles.Viewer);
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<MonitorUser>>();
        var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<MonitorUser>>();
        var identity = scope.ServiceProvider.GetRequiredService<IOptions<IdentityOptions>>().Value;
        var olga = (await users.FindByNameAsync("olga"))!;
        var vera = (await users.FindByNameAsync("vera"))!;
        var olgaAsSignedIn = await signIn.CreateUserPrincipalAsync(olga);
        var veraAsSignedIn = await signIn.CreateUserPrincipalAsync(vera);

        Assert.True(await IdentityRevalidatingAuthenticationStateProvider.IsStillValidAsync(users, identity, olgaAsSignedIn));

        await users.RemoveFromRolesAsync(olga, await users.GetRolesAsync(olga));
        await users.AddToRoleAsync(olga, MonitorRoles.Viewer);
        await users.UpdateSecurityStampAsync(vera);

        Assert.False(await IdentityRevalidatingAuthenticationStateProvider.IsStillValidAsync(users, identity, olgaAsSignedIn));
        Assert.False(await IdentityRevalidatingAuthenticationStateProvider.IsStillValidAsync(users, identity, veraAsSignedIn));
        Assert.True(await IdentityRevalidatingAuthenticationStateProvider.IsStillValidAsync(users, identity, await signIn.CreateUserPrincipalAsync(olga)));
        await users.DeleteAsync(olga);
        Assert.False(await IdentityRevalidatingAuthenticationStateProvider.IsStillValidAsync(users, identity, olgaAsSignedIn));
    }

    private static async Task CreateUserAsync(MonitorApplication app, string name, string role)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<MonitorUser>>();
        var user = new MonitorUser { UserName = name };
        Assert.True((await users.CreateAsync(user, Password)).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, role)).Succeeded);
    }

    /// <summary>What Settings → Users does when an Admin picks another role.</summary>
    private static async Task ChangeRoleAsync(MonitorApplication app, string name, string role)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<MonitorUser>>();
        var user = (await users.FindByNameAsync(name))!;
        await users.RemoveFromRolesAsync(user, await users.GetRolesAsync(user));
        Assert.True((await users.AddToRoleAsync(user, role)).Succeeded);
    }

    /// <summary>The sign-in cookie as the sign-in form sets it; later requests send this very value, never a renewed one.</summary>
    private static async Task<string> SignInCookieAsync(MonitorApplication app, string name)
    {
        var browser = app.CreateAnonymousClient();
        var response = await AuthorizationTests.SignInAsync(browser, name, Password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("monitor.auth=", StringComparison.Ordinal));
        return cookie[..cookie.IndexOf(';', StringComparison.Ordinal)];
    }

    private static HttpClient CookieClient(MonitorApplication app)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Remove(TestApiKeys.Header);
        return client;
    }

    private static async Task<HttpStatusCode> AcknowledgeUnknownAlertAsync(MonitorApplication app, string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/alerts/0123456789abcdef/acknowledge") { Content = JsonContent.Create(new { by = "olga" }) };
        request.Headers.Add("Cookie", cookie);
        return (await CookieClient(app).SendAsync(request)).StatusCode;
    }

    private static async Task<HttpStatusCode> GetWithCookieAsync(MonitorApplication app, string cookie, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", cookie);
        return (await CookieClient(app).SendAsync(request)).StatusCode;
    }

    /// <summary>Asks until the answer is <paramref name="expected"/> (the interval is 1 s; 60 s allows for 2 busy cores); returns the last answer.</summary>
    private static async Task<HttpStatusCode> PollAsync(Func<Task<HttpStatusCode>> ask, HttpStatusCode expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        var status = await ask();
        while (status != expected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            status = await ask();
        }

        return status;
    }
}
