using System.Net;
using Deliverability.Server.Infrastructure;

namespace Deliverability.Server.Tests.Settings;

/// <summary>
/// Who may use <c>/api/settings</c> (Admins, as for the Settings pages: even reading is refused to Viewers and Operators)
/// and what a bad body gets: a problem naming the field, 413 past the size limit, never a 500.
/// </summary>
public sealed class SettingsApiAccessTests : ServiceFixture
{
    public static TheoryData<string, string> Endpoints => new()
    {
        { "GET", "/api/settings/domains" },
        { "GET", "/api/settings/domains/shop.test" },
        { "POST", "/api/settings/domains" },
        { "PUT", "/api/settings/domains/shop.test" },
        { "DELETE", "/api/settings/domains/shop.test" },
        { "GET", "/api/settings/seeds" },
        { "GET", "/api/settings/seeds/a@b.test" },
        { "POST", "/api/settings/seeds" },
        { "PUT", "/api/settings/seeds/a@b.test" },
        { "DELETE", "/api/settings/seeds/a@b.test" },
        { "GET", "/api/settings/send-paths" },
        { "POST", "/api/settings/send-paths" },
        { "PUT", "/api/settings/send-paths/relay" },
        { "DELETE", "/api/settings/send-paths/relay" },
        { "GET", "/api/settings/receivers" },
        { "POST", "/api/settings/receivers" },
        { "PUT", "/api/settings/receivers/hook" },
        { "DELETE", "/api/settings/receivers/hook" },
        { "GET", "/api/settings/alert-rules" },
        { "GET", "/api/settings/alert-rules/InboxRate" },
        { "PUT", "/api/settings/alert-rules/InboxRate" },
        { "DELETE", "/api/settings/alert-rules/InboxRate" },
    };

    public static TheoryData<string> Creations => ["/api/settings/domains", "/api/settings/seeds", "/api/settings/send-paths", "/api/settings/receivers"];

    [Fact]
    public async Task Viewers_and_operators_are_forbidden_everywhere_anonymous_is_unauthorized_and_admins_are_served()
    {
        await using var app = StartService();
        using var viewer = app.CreateClientAs("Viewer");
        using var operatorClient = app.CreateClientAs("Operator");
        using var anonymous = app.CreateAnonymousClient();
        using var admin = app.CreateClientAs("Admin");

        foreach (var (method, url) in Endpoints.Select(row => ((string)row[0], (string)row[1])))
        {
            var body = method is "POST" or "PUT" ? new { } : null;
            Assert.True(HttpStatusCode.Forbidden == (await viewer.SendAsync(new HttpMethod(method), url, body)).Status, $"Viewer {method} {url}");
            Assert.True(HttpStatusCode.Forbidden == (await operatorClient.SendAsync(new HttpMethod(method), url, body)).Status, $"Operator {method} {url}");
            Assert.True(HttpStatusCode.Unauthorized == (await anonymous.SendAsync(new HttpMethod(method), url, body)).Status, $"anonymous {method} {url}");
            var served = await admin.SendAsync(new HttpMethod(method), url, body);
            Assert.True((int)served.Status is >= 200 and < 500 and not 401 and not 403, $"Admin {method} {url}: {served.Status} {served.Body}");
        }

        Assert.Equal(HttpStatusCode.OK, (await admin.GetAnswerAsync("/api/settings/seeds")).Status);
    }

    [Theory]
    [MemberData(nameof(Creations))]
    public async Task Body_over_the_limit_is_413_and_stores_nothing(string url)
    {
        await using var app = StartService();
        var client = app.CreateClient();

        var answer = await client.SendRawAsync(HttpMethod.Post, url, $$"""{"name": "{{new string('x', BoundedJsonBody<object>.MaxBytes)}}"}""");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, answer.Status);
        Assert.Contains($"body: at most {BoundedJsonBody<object>.MaxBytes} bytes are accepted", answer.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("[]", (await client.GetAnswerAsync(url)).Body);
    }

    [Theory]
    [InlineData("/api/settings/seeds", """{"provider": "Gmail", "imap": {"host": "imap.gmail.test", "pasword": "typo"}}""", "imap.pasword: is not a field of this request")]
    [InlineData("/api/settings/seeds", """{"provider": "Gmail", "imap": {"port": true}}""", "imap.port: not valid (a whole number is expected)")]
    [InlineData("/api/settings/seeds", """{"folders": {"other": "Promotions"}}""", "folders.other: not valid (a list of strings is expected)")]
    [InlineData("/api/settings/send-paths", """{"name": "relay", "timeout": "00:00:10"}""", "timeout: is not a field of this request")]
    [InlineData("/api/settings/domains", """{"name": "shop.test", "dkimSelectors": "s1"}""", "dkimSelectors: not valid (a list of strings is expected)")]
    [InlineData("/api/settings/receivers", """{"name": "hook", "type": "webhook", "maxAttempts": 3}""", "maxAttempts: is not a field of this request")]
    [InlineData("/api/settings/receivers", """{"name": "hook", "sendResolved": "yes"}""", "sendResolved: not valid (true or false is expected)")]
    [InlineData("/api/settings/receivers", """{"name": "hook", "email": {"to": [1]}}""", "email.to[0]: not valid (a string is expected)")]
    [InlineData("/api/settings/receivers", """["hook"]""", "body: not a JSON object")]
    [InlineData("/api/settings/receivers", """{"name": "hook", """, "body: not a JSON object")]
    [InlineData("/api/settings/receivers", "", "body: a JSON object is required")]
    public async Task Body_not_of_the_settings_shape_is_a_problem_naming_the_field(string url, string json, string expected)
    {
        await using var app = StartService();
        var client = app.CreateClient();

        var answer = await client.SendRawAsync(HttpMethod.Post, url, json);

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal(expected, answer.Json.GetProperty("detail").GetString());
        Assert.Equal("[]", (await client.GetAnswerAsync(url)).Body);
    }

    [Fact]
    public async Task Form_post_is_refused_as_unsupported()
    {
        await using var app = StartService();

        var answer = await app.CreateClient().SendRawAsync(HttpMethod.Post, "/api/settings/receivers", "name=hook&type=webhook", "application/x-www-form-urlencoded");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, answer.Status);
    }
}
