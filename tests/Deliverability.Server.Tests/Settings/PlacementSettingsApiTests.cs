using System.Globalization;
using System.Net;
using Bunit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Deliverability.Contracts.Placement;
using Deliverability.Core.Placement;
using Deliverability.Core.Storage;
using Deliverability.Server.Auth;
using Deliverability.Server.Placement;
using Deliverability.Testing.Logging;
using Deliverability.Testing.Mail;
using MudBlazor;

namespace Deliverability.Server.Tests.Settings;

/// <summary>
/// <c>/api/settings/seeds</c> and <c>/api/settings/send-paths</c> over the real service: what the API adds is what the
/// next placement run uses (a real SMTP server filing into a real Dovecot on 127.0.0.1) and what the settings page shows;
/// passwords never come back; configured items are read-only; bad input is refused field by field.
/// </summary>
public sealed class PlacementSettingsApiTests : ServiceFixture
{
    private const string AlicePassword = "Alice-imap-Pa55-never-shown";
    private const string BobPassword = "Bob-imap-Pa55-never-shown";
    private const string SmtpPassword = "Smtp-Pa55-never-shown";

    private TestImapServer _imap = null!;
    private TestSmtpServer _smtp = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _imap = await TestImapServer.StartAsync([("alice", AlicePassword), ("bob", BobPassword)]);
        _smtp = TestSmtpServer.Start(_imap, new Dictionary<string, SeedRoute>
        {
            ["alice@gmail.test"] = SeedRoute.File("alice"),
            ["bob@yahoo.test"] = SeedRoute.File("bob", "Junk"),
        });
    }

    public override async Task DisposeAsync()
    {
        await _smtp.DisposeAsync();
        await _imap.DisposeAsync();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task Seeds_and_send_path_added_through_the_api_are_used_by_the_next_run_and_shown_on_the_settings_page()
    {
        await using var app = StartService(MessageOnly());
        var client = app.CreateClient();

        var path = await client.SendAsync(HttpMethod.Post, "/api/settings/send-paths", new { name = "api-mta", host = _smtp.Host, port = _smtp.Port, security = "none" });
        var alice = await client.SendAsync(HttpMethod.Post, "/api/settings/seeds", Seed("Gmail", "alice@gmail.test", "alice", AlicePassword));
        var bob = await client.SendAsync(HttpMethod.Post, "/api/settings/seeds", Seed("Yahoo", "bob@yahoo.test", "bob", BobPassword));

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.Created], new[] { path.Status, alice.Status, bob.Status });
        Assert.Equal(("alice@gmail.test", "dashboard", true), (alice.Json.GetProperty("address").GetString(), alice.Json.GetProperty("source").GetString(), alice.Json.GetProperty("imap").GetProperty("passwordSet").GetBoolean()));
        var list = await client.GetAnswerAsync("/api/settings/seeds");
        Assert.Equal(["alice@gmail.test", "bob@yahoo.test"], list.Json.EnumerateArray().Select(s => s.GetProperty("address").GetString()));
        AssertNoSecret(path, alice, bob, list, await client.GetAnswerAsync("/api/settings/seeds/bob@yahoo.test"), await client.GetAnswerAsync("/api/settings/send-paths"));

        var run = await client.PostAsync("/api/placement/runs?path=api-mta", null);
        run.EnsureSuccessStatusCode();
        var stored = await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<PlacementRunDto>(run.Content);
        Assert.Equal("api-mta", stored!.SendPath);
        Assert.Equal([("alice@gmail.test", "inbox"), ("bob@yahoo.test", "spam")], stored.Seeds.Select(s => (s.Address, s.Placement)));

        await using var context = PageContext.Over(app.Services);
        context.AddAuthorization().SetAuthorized("ada").SetRoles(MonitorRoles.Admin).SetPolicies(AuthPolicies.Viewer, AuthPolicies.Operator, AuthPolicies.Admin);
        context.Render<MudPopoverProvider>();
        var page = context.Render<PlacementSettings>();
        var row = page.WaitForElement("tr[data-seed='bob@yahoo.test']", TimeSpan.FromSeconds(30));
        Assert.Equal("dashboard", row.GetAttribute("data-origin"));
        Assert.Equal("dashboard", page.Find("tr[data-send-path=api-mta]").GetAttribute("data-origin"));
        Assert.DoesNotContain(BobPassword, page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_without_the_password_keeps_the_stored_one_and_changes_the_rest()
    {
        var logs = new CapturingLoggerProvider();
        await using var service = StartService(MessageOnly());
        await using var app = service.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(logs).SetMinimumLevel(LogLevel.Trace)));
        var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(HttpMethod.Post, "/api/settings/send-paths", new { name = "api-mta", host = _smtp.Host, port = _smtp.Port, security = "none" })).Status);
        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(HttpMethod.Post, "/api/settings/seeds", Seed("Gmail", "alice@gmail.test", "alice", AlicePassword))).Status);
        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(HttpMethod.Post, "/api/settings/send-paths", new { name = "relay", host = "smtp.shop.test", user = "mailer", password = SmtpPassword })).Status);

        var seed = await client.SendAsync(HttpMethod.Put, "/api/settings/seeds/ALICE@gmail.test", new
        {
            provider = "Google Mail",
            imap = new { host = _imap.Host, port = _imap.Port, security = "none", user = "alice" },
            folders = new { other = new[] { "Promotions" } },
        });
        var relay = await client.SendAsync(HttpMethod.Put, "/api/settings/send-paths/relay", new { host = "smtp2.shop.test", port = 2525, user = "mailer", envelopeSender = "bounces@shop.test" });

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (seed.Status, relay.Status));
        Assert.Equal(("Google Mail", true, "Promotions"), (seed.Json.GetProperty("provider").GetString(), seed.Json.GetProperty("imap").GetProperty("passwordSet").GetBoolean(), seed.Json.GetProperty("folders").GetProperty("other")[0].GetString()));
        Assert.Equal(("smtp2.shop.test", 2525, "bounces@shop.test", true), (relay.Json.GetProperty("host").GetString(), relay.Json.GetProperty("port").GetInt32(), relay.Json.GetProperty("envelopeSender").GetString(), relay.Json.GetProperty("passwordSet").GetBoolean()));
        AssertNoSecret(seed, relay);
        var options = await app.Services.GetRequiredService<PlacementCatalog>().GetRunOptionsAsync(default);
        Assert.Equal(SmtpPassword, options.FindSendPath("relay")!.Password);

        // The kept password still logs in to the real mailbox.
        var run = await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<PlacementRunDto>((await client.PostAsync("/api/placement/runs?path=api-mta", null)).Content);
        Assert.Equal(("Google Mail", "inbox"), (run!.Seeds.Single().Provider, run.Seeds.Single().Placement));

        // Stored encrypted, as the page stores it.
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<MonitorDbContext>>().CreateDbContextAsync();
        var row = await db.Set<DashboardSendPathRow>().SingleAsync(r => r.Key == "relay");
        Assert.StartsWith("protected:", row.Password, StringComparison.Ordinal);
        Assert.DoesNotContain(SmtpPassword, row.Password, StringComparison.Ordinal);
        Assert.DoesNotContain(SmtpPassword, logs.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(AlicePassword, logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deleted_seed_and_send_path_are_gone_from_the_api_and_the_next_run()
    {
        await using var app = StartService(MessageOnly());
        var client = app.CreateClient();
        await client.SendAsync(HttpMethod.Post, "/api/settings/send-paths", new { name = "api-mta", host = _smtp.Host, port = _smtp.Port, security = "none" });
        await client.SendAsync(HttpMethod.Post, "/api/settings/seeds", Seed("Gmail", "alice@gmail.test", "alice", AlicePassword));
        await client.SendAsync(HttpMethod.Post, "/api/settings/seeds", Seed("Yahoo", "bob@yahoo.test", "bob", BobPassword));

        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(HttpMethod.Delete, "/api/settings/seeds/bob@yahoo.test")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAnswerAsync("/api/settings/seeds/bob@yahoo.test")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(HttpMethod.Delete, "/api/settings/seeds/bob@yahoo.test")).Status);

        var run = await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<PlacementRunDto>((await client.PostAsync("/api/placement/runs", null)).Content);
        Assert.Equal(["alice@gmail.test"], run!.Seeds.Select(s => s.Address));

        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(HttpMethod.Delete, "/api/settings/send-paths/api-mta")).Status);
        Assert.Equal("[]", (await client.GetAnswerAsync("/api/settings/send-paths")).Body);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/api/placement/runs", null)).StatusCode);
    }

    [Fact]
    public async Task Configured_seed_and_send_path_are_listed_read_only_without_their_passwords()
    {
        await using var app = StartService([.. MessageOnly(), .. ConfiguredSeedAndPath()]);
        var client = app.CreateClient();

        var seeds = await client.GetAnswerAsync("/api/settings/seeds");
        var paths = await client.GetAnswerAsync("/api/settings/send-paths");
        var put = await client.SendAsync(HttpMethod.Put, "/api/settings/seeds/alice@gmail.test", Seed("Gmail", "alice@gmail.test", "alice", "other"));
        var delete = await client.SendAsync(HttpMethod.Delete, "/api/settings/send-paths/MTA");
        var post = await client.SendAsync(HttpMethod.Post, "/api/settings/seeds", Seed("Gmail", "Alice@Gmail.test", "alice", "other"));

        Assert.Equal(("configuration", true), (seeds.Json[0].GetProperty("source").GetString(), seeds.Json[0].GetProperty("imap").GetProperty("passwordSet").GetBoolean()));
        Assert.Equal(("configuration", true), (paths.Json[0].GetProperty("source").GetString(), paths.Json[0].GetProperty("passwordSet").GetBoolean()));
        Assert.Equal([HttpStatusCode.Conflict, HttpStatusCode.Conflict, HttpStatusCode.Conflict], new[] { put.Status, delete.Status, post.Status });
        Assert.Contains("is set in configuration (Monitor:Placement:Seeds): it is read-only here", put.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("configuration (Monitor:Placement:SendPaths)", delete.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        AssertNoSecret(seeds, paths, put, delete, post);
        var options = await app.Services.GetRequiredService<PlacementCatalog>().GetRunOptionsAsync(default);
        Assert.Equal((AlicePassword, "mta"), (options.Seeds.Single().Imap.Password, options.SendPaths.Single().Name));
    }

    [Fact]
    public async Task Every_problem_of_a_seed_is_reported_at_once_by_field_and_nothing_is_stored()
    {
        await using var app = StartService(MessageOnly());
        var client = app.CreateClient();

        var answer = await client.SendAsync(HttpMethod.Post, "/api/settings/seeds", new
        {
            provider = new string('p', 101),
            address = "not-an-address",
            imap = new { host = "bad host!", port = 70000, security = "tls", user = "alice" },
            folders = new { other = new[] { "Promotions", " " } },
        });

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal(["provider", "address", "imap.host", "imap.port", "imap.security", "imap.password", "folders.other[1]"], answer.ErrorFields);
        Assert.Equal("is too long (101 characters; at most 100)", answer.Error("provider"));
        Assert.Equal("'not-an-address' is not an email address", answer.Error("address"));
        Assert.Equal(PlacementOptionsValidation.SendPathProblems(new SendPathOptions { Name = "x", Host = "h", Security = "tls" }).Single().Message, answer.Error("imap.security"));
        Assert.Equal("is required", answer.Error("imap.password"));
        Assert.Equal("[]", (await client.GetAnswerAsync("/api/settings/seeds")).Body);
    }

    [Fact]
    public async Task Send_path_problems_are_those_of_the_page_and_a_seed_cannot_be_renamed_by_update()
    {
        await using var app = StartService(MessageOnly());
        var client = app.CreateClient();
        await client.SendAsync(HttpMethod.Post, "/api/settings/seeds", Seed("Gmail", "alice@gmail.test", "alice", AlicePassword));

        var path = await client.SendAsync(HttpMethod.Post, "/api/settings/send-paths", new { name = "relay", host = "smtp.shop.test", user = "mailer", envelopeSender = "Bounces <b@shop.test>" });
        var renamed = await client.SendAsync(HttpMethod.Put, "/api/settings/seeds/alice@gmail.test", Seed("Gmail", "carol@gmail.test", "alice", AlicePassword));
        var unknown = await client.SendAsync(HttpMethod.Put, "/api/settings/seeds/nobody@gmail.test", Seed("Gmail", "nobody@gmail.test", "alice", AlicePassword));

        Assert.Equal(HttpStatusCode.BadRequest, path.Status);
        Assert.Equal(["password", "envelopeSender"], path.ErrorFields);
        Assert.Equal("is required when User is set", path.Error("password"));
        Assert.Equal(HttpStatusCode.BadRequest, renamed.Status);
        Assert.Contains("cannot be renamed", renamed.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Equal(["alice@gmail.test"], (await client.GetAnswerAsync("/api/settings/seeds")).Json.EnumerateArray().Select(s => s.GetProperty("address").GetString()));
    }

    [Fact]
    public async Task Text_too_long_for_its_column_is_refused_by_the_catalog_the_page_and_the_api_save_through()
    {
        await using var app = StartService(MessageOnly());
        var catalog = app.Services.GetRequiredService<PlacementCatalog>();
        var seed = new SeedMailboxOptions
        {
            Provider = "Gmail",
            Address = "alice@gmail.test",
            Imap = new ImapAccountOptions { Host = "127.0.0.1", User = new string('u', 321), Password = "pw" },
            Folders = new SeedFolderOptions { Other = [.. Enumerable.Range(0, 51).Select(i => "F" + i.ToString(CultureInfo.InvariantCulture))] },
        };

        var saved = await catalog.SaveSeedAsync(seed, isNew: true, "ada", default);

        Assert.Equal(
            [("Imap:User", "is too long (321 characters; at most 320)"), ("Folders:Other", "has too many items (51; at most 50)")],
            saved.Problems.Select(p => (p.Field, p.Message)));
        Assert.Empty(await catalog.GetSeedsAsync(default));
    }

    /// <summary>A seed on the test Dovecot, as a client posts it.</summary>
    private object Seed(string provider, string address, string user, string password) =>
        new { provider, address, imap = new { host = _imap.Host, port = _imap.Port, security = "none", user, password } };

    private static void AssertNoSecret(params SettingsAnswer[] answers)
    {
        foreach (var answer in answers)
        {
            foreach (var secret in new[] { AlicePassword, BobPassword, SmtpPassword })
            {
                Assert.DoesNotContain(secret, answer.Body, StringComparison.Ordinal);
            }
        }
    }

    private (string, string?)[] MessageOnly() =>
    [
        ("Monitor:Placement:Message:From", "Shop <news@shop.test>"),
        ("Monitor:Placement:Timeout", "00:00:30"),
        ("Monitor:Placement:PollInterval", "00:00:00.500"),
    ];

    private (string, string?)[] ConfiguredSeedAndPath() =>
    [
        ("Monitor:Placement:SendPaths:0:Name", "mta"),
        ("Monitor:Placement:SendPaths:0:Host", _smtp.Host),
        ("Monitor:Placement:SendPaths:0:User", "mailer"),
        ("Monitor:Placement:SendPaths:0:Password", SmtpPassword),
        ("Monitor:Placement:Seeds:0:Provider", "Gmail"),
        ("Monitor:Placement:Seeds:0:Address", "alice@gmail.test"),
        ("Monitor:Placement:Seeds:0:Imap:Host", _imap.Host),
        ("Monitor:Placement:Seeds:0:Imap:Port", _imap.Port.ToString(CultureInfo.InvariantCulture)),
        ("Monitor:Placement:Seeds:0:Imap:Security", "none"),
        ("Monitor:Placement:Seeds:0:Imap:User", "alice"),
        ("Monitor:Placement:Seeds:0:Imap:Password", AlicePassword),
    ];
}
