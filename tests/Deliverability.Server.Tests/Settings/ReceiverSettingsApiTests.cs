using System.Net;
using Bunit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Deliverability.Core.Alerts.Notifications;
using Deliverability.Core.Configuration;
using Deliverability.Core.Storage;
using Deliverability.Server.Alerts;
using Deliverability.Server.Auth;
using Deliverability.Testing.Http;
using Deliverability.Testing.Logging;
using MudBlazor;

namespace Deliverability.Server.Tests.Settings;

/// <summary>
/// <c>/api/settings/receivers</c> over the real service: a receiver added through the API gets notifications (a real
/// HTTP receiver on 127.0.0.1), is on the settings page, and never shows its URL, routing key or password, in answers
/// or logs; configured receivers are read-only; the email rules are those of the page and of seeds.
/// </summary>
public sealed class ReceiverSettingsApiTests : ServiceFixture
{
    private const string Token = "T0K3N-never-shown-0123456789";
    private const string RoutingKey = "R0UT1NGKEY-never-shown-0123456789";
    private const string SmtpPassword = "Smtp-Pa55-never-shown";

    private TestHttpReceiver _receiver = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _receiver = await TestHttpReceiver.StartAsync();
    }

    public override async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await base.DisposeAsync();
    }

    private string SecretUrl => _receiver.Url("hooks/" + Token);

    [Fact]
    public async Task Webhook_added_through_the_api_is_notified_kept_on_update_shown_on_the_page_and_removed()
    {
        var logs = new CapturingLoggerProvider();
        await using var service = StartService();
        await using var app = service.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(logs).SetMinimumLevel(LogLevel.Trace)));
        var client = app.CreateClient();

        var created = await client.SendAsync(HttpMethod.Post, "/api/settings/receivers", new { name = "team-hook", type = "webhook", url = SecretUrl });
        var tested = await client.PostAsync("/api/alerts/receivers/team-hook/test", null);
        var updated = await client.SendAsync(HttpMethod.Put, "/api/settings/receivers/team-hook", new { type = "webhook", sendResolved = false });
        var testedAgain = await client.PostAsync("/api/alerts/receivers/team-hook/test", null);
        var one = await client.GetAnswerAsync("/api/settings/receivers/team-hook");

        Assert.Equal((HttpStatusCode.Created, "/api/settings/receivers/team-hook"), (created.Status, "/api/settings/receivers/team-hook"));
        Assert.Equal(("webhook", true, "dashboard"), (created.Json.GetProperty("type").GetString(), created.Json.GetProperty("urlSet").GetBoolean(), created.Json.GetProperty("source").GetString()));
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (tested.StatusCode, testedAgain.StatusCode));
        Assert.Equal(2, _receiver.Requests.Count(r => r.Path == "/hooks/" + Token));
        Assert.Equal((HttpStatusCode.OK, false, true), (updated.Status, updated.Json.GetProperty("sendResolved").GetBoolean(), updated.Json.GetProperty("urlSet").GetBoolean()));
        Assert.False(one.Json.GetProperty("sendResolved").GetBoolean());
        foreach (var answer in new[] { created, updated, one, await client.GetAnswerAsync("/api/settings/receivers") })
        {
            Assert.DoesNotContain(Token, answer.Body, StringComparison.Ordinal);
        }

        await using (var context = PageContext.Over(app.Services))
        {
            context.AddAuthorization().SetAuthorized("ada").SetRoles(MonitorRoles.Admin).SetPolicies(AuthPolicies.Viewer, AuthPolicies.Operator, AuthPolicies.Admin);
            context.Render<MudPopoverProvider>();
            var page = context.Render<ReceiversSettings>();
            var row = page.WaitForElement("tr[data-receiver=team-hook]", TimeSpan.FromSeconds(30));
            Assert.Equal("dashboard", row.GetAttribute("data-origin"));
            Assert.Contains("URL set", row.TextContent, StringComparison.Ordinal);
            Assert.DoesNotContain(Token, page.Markup, StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(HttpMethod.Delete, "/api/settings/receivers/team-hook")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/api/alerts/receivers/team-hook/test", null)).StatusCode);
        Assert.DoesNotContain(Token, logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Email_and_pagerduty_secrets_are_write_only_and_stored_encrypted()
    {
        await using var app = StartService();
        var client = app.CreateClient();

        var mail = await client.SendAsync(HttpMethod.Post, "/api/settings/receivers", new
        {
            name = "ops-mail",
            type = "email",
            email = new { host = "smtp.example.test", port = 465, security = "ssl", user = "alerts", password = SmtpPassword, from = "monitor@example.test", to = new[] { "oncall@example.test" } },
        });
        var pager = await client.SendAsync(HttpMethod.Post, "/api/settings/receivers", new { name = "oncall", type = "pagerduty", routingKey = RoutingKey });
        var mailKept = await client.SendAsync(HttpMethod.Put, "/api/settings/receivers/ops-mail", new
        {
            type = "email",
            email = new { host = "smtp.example.test", port = 465, security = "SslOnConnect", user = "alerts", from = "monitor@example.test", to = new[] { "oncall@example.test", "lead@example.test" } },
        });

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.OK), (mail.Status, pager.Status, mailKept.Status));
        Assert.True(mailKept.Json.GetProperty("email").GetProperty("passwordSet").GetBoolean());
        Assert.Equal(2, mailKept.Json.GetProperty("email").GetProperty("to").GetArrayLength());
        Assert.True(pager.Json.GetProperty("routingKeySet").GetBoolean());
        foreach (var answer in new[] { mail, pager, mailKept, await client.GetAnswerAsync("/api/settings/receivers") })
        {
            Assert.DoesNotContain(SmtpPassword, answer.Body, StringComparison.Ordinal);
            Assert.DoesNotContain(RoutingKey, answer.Body, StringComparison.Ordinal);
        }

        var catalog = app.Services.GetRequiredService<AlertReceiverCatalog>();
        await catalog.GetAllAsync(default);
        Assert.Equal(SmtpPassword, catalog.Find("ops-mail")!.Email.Password);
        Assert.Equal(RoutingKey, catalog.Find("oncall")!.RoutingKey);
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<MonitorDbContext>>().CreateDbContextAsync();
        var rows = await db.Set<DashboardReceiverRow>().ToListAsync();
        Assert.All(rows, r => Assert.DoesNotContain(SmtpPassword, r.EmailPassword + r.RoutingKey + r.Url, StringComparison.Ordinal));
        Assert.All(rows, r => Assert.DoesNotContain(RoutingKey, r.EmailPassword + r.RoutingKey + r.Url, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Email_receiver_refuses_tls_as_seeds_do_and_reports_every_problem_at_once()
    {
        await using var app = StartService();
        var client = app.CreateClient();

        var answer = await client.SendAsync(HttpMethod.Post, "/api/settings/receivers", new
        {
            name = "ops mail",
            type = "email",
            email = new { port = 0, security = "tls", user = "alerts", from = "nobody", to = new[] { "ok@example.test", "bad" } },
        });

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal(["name", "email.host", "email.port", "email.security", "email.password", "email.from", "email.to[1]"], answer.ErrorFields);
        Assert.Equal(AmbiguousTls.Message, answer.Error("email.security"));
        Assert.Equal("[]", (await client.GetAnswerAsync("/api/settings/receivers")).Body);
    }

    [Fact]
    public async Task Configured_receiver_is_read_only_and_shows_no_secret()
    {
        await using var app = StartService(
            ("Monitor:Alerts:Receivers:0:Name", "ops-webhook"),
            ("Monitor:Alerts:Receivers:0:Type", "webhook"),
            ("Monitor:Alerts:Receivers:0:Url", SecretUrl));
        var client = app.CreateClient();

        var list = await client.GetAnswerAsync("/api/settings/receivers");
        var put = await client.SendAsync(HttpMethod.Put, "/api/settings/receivers/ops-webhook", new { type = "slack", url = "https://hooks.example.test/x" });
        var delete = await client.SendAsync(HttpMethod.Delete, "/api/settings/receivers/OPS-WEBHOOK");
        var post = await client.SendAsync(HttpMethod.Post, "/api/settings/receivers", new { name = "ops-webhook", type = "webhook", url = "https://hooks.example.test/x" });

        Assert.Equal(("configuration", true), (list.Json[0].GetProperty("source").GetString(), list.Json[0].GetProperty("urlSet").GetBoolean()));
        Assert.Equal([HttpStatusCode.Conflict, HttpStatusCode.Conflict, HttpStatusCode.Conflict], new[] { put.Status, delete.Status, post.Status });
        Assert.Contains("configuration (Monitor:Alerts:Receivers)", put.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        foreach (var answer in new[] { list, put, delete, post })
        {
            Assert.DoesNotContain(Token, answer.Body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Receiver_a_route_names_is_not_deleted()
    {
        await using var app = StartService(
            ("Monitor:Alerts:Route:Routes:0:Matchers:0", "severity=critical"),
            ("Monitor:Alerts:Route:Routes:0:Receivers:0", "team-hook"));
        var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(HttpMethod.Post, "/api/settings/receivers", new { name = "team-hook", type = "webhook", url = SecretUrl })).Status);

        var delete = await client.SendAsync(HttpMethod.Delete, "/api/settings/receivers/team-hook");

        Assert.Equal(HttpStatusCode.Conflict, delete.Status);
        Assert.Contains("Monitor:Alerts:Route:Routes:0", delete.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAnswerAsync("/api/settings/receivers/team-hook")).Status);
    }
}
