using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Deliverability.Server.Auth;
using Deliverability.Testing.Postgres;
using Deliverability.Core.SignIn;

namespace Deliverability.Server.Tests.Auth;

/// <summary>Sign-in on PostgreSQL: users, roles and API keys live in the same database as the results.</summary>
public sealed class PostgresSignInTests(PostgresFixture postgres) : ServiceFixture, IClassFixture<PostgresFixture>
{
    private const string OlgaPassword = "Olga-password-123";

    [Fact]
    public async Task On_postgres_the_first_admin_signs_in_manages_a_user_and_an_api_key_and_all_survive_a_restart()
    {
        (string, string?)[] settings =
        [
            ("Storage:Provider", "Postgres"),
            ("Storage:ConnectionString", postgres.Server.ConnectionString("monitor")),
        ];
        string createdKey;
        await using (var first = StartService(settings))
        {
            // The first administrator (from Auth:FirstAdmin:Password) signs in with the form and uses the API with the cookie.
            var admin = first.CreateAnonymousClient();
            Assert.Equal(HttpStatusCode.Redirect, (await AuthorizationTests.SignInAsync(admin, "admin", TestApiKeys.AdminPassword)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/domains")).StatusCode);

            // An API key made by the admin is stored (hashed) and works with its role.
            var created = await admin.PostAsJsonAsync("/api/api-keys", new CreateApiKeyRequest("ci", MonitorRoles.Viewer));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            createdKey = (await created.Content.ReadFromJsonAsync<CreatedApiKeyDto>())!.Key;

            // A user managed as Settings → Users does: created with a role, role changed, password reset.
            await using (var scope = first.Services.CreateAsyncScope())
            {
                var users = scope.ServiceProvider.GetRequiredService<UserManager<MonitorUser>>();
                var olga = new MonitorUser { UserName = "olga" };
                Assert.True((await users.CreateAsync(olga, "Initial-password-1")).Succeeded);
                Assert.True((await users.AddToRoleAsync(olga, MonitorRoles.Viewer)).Succeeded);
                Assert.True((await users.RemoveFromRolesAsync(olga, await users.GetRolesAsync(olga))).Succeeded);
                Assert.True((await users.AddToRoleAsync(olga, MonitorRoles.Operator)).Succeeded);
                Assert.True((await users.RemovePasswordAsync(olga)).Succeeded);
                Assert.True((await users.AddPasswordAsync(olga, OlgaPassword)).Succeeded);
                Assert.True((await users.SetLockoutEndDateAsync(olga, null)).Succeeded);
            }

            var operatorBrowser = first.CreateAnonymousClient();
            Assert.Equal(HttpStatusCode.Redirect, (await AuthorizationTests.SignInAsync(operatorBrowser, "olga", OlgaPassword)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await operatorBrowser.PostAsJsonAsync("/api/alerts/0123456789abcdef/acknowledge", new { by = "olga" })).StatusCode);
        }

        await using var restarted = StartService(settings);
        var viewerByKey = restarted.CreateAnonymousClient();
        viewerByKey.DefaultRequestHeaders.Add(TestApiKeys.Header, createdKey);
        Assert.Equal(HttpStatusCode.OK, (await viewerByKey.GetAsync("/api/domains")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewerByKey.PostAsync("/api/domains/example.test/audit", null)).StatusCode);

        var olgaAgain = restarted.CreateAnonymousClient();
        Assert.Equal(HttpStatusCode.Redirect, (await AuthorizationTests.SignInAsync(olgaAgain, "olga", OlgaPassword)).StatusCode);
        await using var check = restarted.Services.CreateAsyncScope();
        var stored = check.ServiceProvider.GetRequiredService<UserManager<MonitorUser>>();
        Assert.Equal(["admin", "olga"], stored.Users.Select(u => u.UserName!).OrderBy(n => n).ToArray());
        Assert.Equal([MonitorRoles.Operator], await stored.GetRolesAsync((await stored.FindByNameAsync("olga"))!));

        // Deleting the user removes it and its role from PostgreSQL.
        Assert.True((await stored.DeleteAsync((await stored.FindByNameAsync("olga"))!)).Succeeded);
        Assert.Null(await stored.FindByNameAsync("olga"));
        Assert.Equal(HttpStatusCode.OK, (await AuthorizationTests.SignInAsync(restarted.CreateAnonymousClient(), "olga", OlgaPassword)).StatusCode); // the form again: refused
    }
}
