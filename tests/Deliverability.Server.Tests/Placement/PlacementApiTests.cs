using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Deliverability.Contracts.Placement;
using Deliverability.Core.Placement;
using Deliverability.Core.Secrets;
using Deliverability.Server.Placement;
using Deliverability.Testing.Mail;

namespace Deliverability.Server.Tests.Placement;

/// <summary>The placement API and schedule, over a real Dovecot and a real SMTP server on 127.0.0.1.</summary>
public sealed class PlacementApiTests : ServiceFixture
{
    private const string AlicePassword = "alice-secret-pw";
    private const string SmtpPassword = "smtp-secret-pw";

    private TestImapServer _imap = null!;
    private TestSmtpServer _smtp = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _imap = await TestImapServer.StartAsync([("alice", AlicePassword), ("bob", "bob-pw")]);
        _smtp = TestSmtpServer.Start(_imap, new Dictionary<string, SeedRoute>
        {
            ["alice@gmail.test"] = SeedRoute.File("alice") with { PrependHeaders = ["Authentication-Results: mx.gmail.test; spf=pass; dkim=fail; dmarc=fail"] },
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
    public async Task Run_on_demand_is_stored_and_served_with_seed_and_provider_results()
    {
        await using var app = StartService(Placement());
        var client = app.CreateClient();

        var response = await client.PostAsync("/api/placement/runs", null);
        response.EnsureSuccessStatusCode();
        var run = await response.Content.ReadFromJsonAsync<PlacementRunDto>();

        Assert.NotNull(run);
        Assert.Equal("mta", run.SendPath);
        Assert.Equal([("alice@gmail.test", "inbox", "INBOX"), ("bob@yahoo.test", "spam", "Junk")], run.Seeds.Select(s => (s.Address, s.Placement, s.Folder)));
        Assert.Equal(("pass", "fail", "fail"), (run.Seeds[0].Spf, run.Seeds[0].Dkim, run.Seeds[0].Dmarc));
        Assert.Equal([("Gmail", 1.0), ("Yahoo", 0.0)], run.Providers.Select(p => (p.Provider, p.Rates.InboxRate!.Value)));
        Assert.Equal(0.5, run.Overall.InboxRate);
        Assert.Null(run.PreviousRunId);

        var latest = await client.GetFromJsonAsync<PlacementRunDto>("/api/placement/runs/latest");
        var byId = await client.GetFromJsonAsync<PlacementRunDto>($"/api/placement/runs/{run.Id}");
        Assert.Equal(run.Id, latest!.Id);
        Assert.Equal(run.Seeds.Select(s => s with { AuthenticationResults = [] }), byId!.Seeds.Select(s => s with { AuthenticationResults = [] }));
        Assert.Equal(run.Seeds[0].AuthenticationResults, byId.Seeds[0].AuthenticationResults);
        var list = await client.GetFromJsonAsync<PlacementRunSummaryDto[]>("/api/placement/runs");
        Assert.Equal((run.Id, 2, 1, 1), (Assert.Single(list!).Id, list![0].Seeds, list[0].Inbox, list[0].Spam));
    }

    [Fact]
    public async Task Second_run_is_compared_with_the_first_per_provider()
    {
        await using var app = StartService(Placement());
        var client = app.CreateClient();

        var first = await (await client.PostAsync("/api/placement/runs", null)).Content.ReadFromJsonAsync<PlacementRunDto>();
        var second = await (await client.PostAsync("/api/placement/runs?path=mta", null)).Content.ReadFromJsonAsync<PlacementRunDto>();

        Assert.Equal(first!.Id, second!.PreviousRunId);
        Assert.Equal((0.5, 0.0), (second.PreviousInboxRate!.Value, second.InboxRateChange!.Value));
        Assert.All(second.Providers, p => Assert.Equal(0.0, p.InboxRateChange));
    }

    [Fact]
    public async Task Seeds_and_send_paths_show_passwords_only_as_set()
    {
        await using var app = StartService([.. Placement(), ("Monitor:Placement:SendPaths:0:User", "mailer"), ("Monitor:Placement:SendPaths:0:Password", SmtpPassword)]);
        var client = app.CreateClient();

        var seedsJson = await client.GetStringAsync("/api/placement/seeds");
        var pathsJson = await client.GetStringAsync("/api/placement/send-paths");

        Assert.DoesNotContain(AlicePassword, seedsJson, StringComparison.Ordinal);
        Assert.DoesNotContain(SmtpPassword, pathsJson, StringComparison.Ordinal);
        var seeds = System.Text.Json.JsonSerializer.Deserialize<SeedDto[]>(seedsJson, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web));
        Assert.Equal(["set", "set"], seeds!.Select(s => s.Password));
        Assert.Contains("\"password\":\"set\"", pathsJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_send_path_is_a_bad_request_naming_it()
    {
        await using var app = StartService(Placement());
        var client = app.CreateClient();

        var response = await client.PostAsync("/api/placement/runs?path=nowhere", null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>();
        Assert.Contains("'nowhere' is not a configured send path", problem!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Latest_and_unknown_runs_are_not_found_before_any_run()
    {
        await using var app = StartService(Placement());
        var client = app.CreateClient();

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/placement/runs/latest")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/placement/runs/{Guid.NewGuid()}")).StatusCode);
        Assert.Empty((await client.GetFromJsonAsync<PlacementRunSummaryDto[]>("/api/placement/runs"))!);
    }

    [Fact]
    public async Task Scheduled_job_runs_placement_tests_and_stores_them()
    {
        await using var app = StartService([.. Placement(), ("Monitor:Placement:Schedule", "00:00:01")]);
        var client = app.CreateClient();

        var until = DateTime.UtcNow.AddSeconds(90);
        PlacementRunDto? latest = null;
        while (latest is null && DateTime.UtcNow < until)
        {
            var response = await client.GetAsync("/api/placement/runs/latest");
            latest = response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<PlacementRunDto>() : null;
            await Task.Delay(250);
        }

        Assert.NotNull(latest);
        Assert.Equal(["inbox", "spam"], latest.Seeds.Select(s => s.Placement));
    }

    [Fact]
    public async Task Password_stored_encrypted_with_the_services_keys_is_used()
    {
        var keys = Path.Combine(DataFolder, "keys");
        var services = new ServiceCollection();
        services.AddDataProtection().SetApplicationName(ProtectedSecret.ApplicationName).PersistKeysToFileSystem(new DirectoryInfo(keys));
        var encrypted = ProtectedSecret.Protect(services.BuildServiceProvider().GetRequiredService<IDataProtectionProvider>(), AlicePassword);
        await using var app = StartService([.. Placement(), ("Secrets:KeysFolder", keys), ("Monitor:Placement:Seeds:0:Imap:Password", encrypted)]);
        var client = app.CreateClient();

        var run = await (await client.PostAsync("/api/placement/runs", null)).Content.ReadFromJsonAsync<PlacementRunDto>();

        Assert.Equal("inbox", run!.Seeds[0].Placement);
        Assert.Equal("set", (await client.GetFromJsonAsync<SeedDto[]>("/api/placement/seeds"))![0].Password);
    }

    [Fact]
    public async Task Seed_and_send_path_added_in_the_dashboard_are_used_by_the_next_run()
    {
        // Only alice in configuration; bob and the send path "dash-mta" come from the dashboard.
        await using var app = StartService([.. Placement().Where(s => !s.Item1.Contains(":Seeds:1:", StringComparison.Ordinal)),
            ("Secrets:KeysFolder", Path.Combine(DataFolder, "keys"))]);
        var client = app.CreateClient();
        var catalog = app.Services.GetRequiredService<PlacementCatalog>();
        var bob = new SeedMailboxOptions
        {
            Provider = "Yahoo",
            Address = "bob@yahoo.test",
            Imap = new ImapAccountOptions { Host = _imap.Host, Port = _imap.Port, Security = "none", User = "bob", Password = "bob-pw" },
        };
        Assert.True((await catalog.SaveSeedAsync(bob, isNew: true, "admin", default)).IsSaved);
        Assert.True((await catalog.SaveSendPathAsync(new SendPathOptions { Name = "dash-mta", Host = _smtp.Host, Port = _smtp.Port, Security = "none" }, isNew: true, "admin", default)).IsSaved);

        var response = await client.PostAsync("/api/placement/runs?path=dash-mta", null);
        response.EnsureSuccessStatusCode();
        var run = await response.Content.ReadFromJsonAsync<PlacementRunDto>();

        Assert.Equal("dash-mta", run!.SendPath);
        Assert.Equal([("alice@gmail.test", "inbox"), ("bob@yahoo.test", "spam")], run.Seeds.Select(s => (s.Address, s.Placement)));
        var seedsJson = await client.GetStringAsync("/api/placement/seeds");
        Assert.DoesNotContain("bob-pw", seedsJson, StringComparison.Ordinal);
        var seeds = System.Text.Json.JsonSerializer.Deserialize<SeedDto[]>(seedsJson, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web));
        Assert.Equal([("alice@gmail.test", "configuration", "set"), ("bob@yahoo.test", "dashboard", "set")], seeds!.Select(s => (s.Address, s.Origin, s.Password)));
    }

    [Fact]
    public async Task Dashboard_seed_without_a_configured_sender_address_is_refused_naming_the_key()
    {
        await using var app = StartService([.. Placement().Where(s => !s.Item1.Contains(":Seeds:", StringComparison.Ordinal) && s.Item1 != "Monitor:Placement:Message:From"),
            ("Secrets:KeysFolder", Path.Combine(DataFolder, "keys"))]);
        var client = app.CreateClient();
        var bob = new SeedMailboxOptions
        {
            Provider = "Yahoo",
            Address = "bob@yahoo.test",
            Imap = new ImapAccountOptions { Host = _imap.Host, Port = _imap.Port, Security = "none", User = "bob", Password = "bob-pw" },
        };
        Assert.True((await app.Services.GetRequiredService<PlacementCatalog>().SaveSeedAsync(bob, isNew: true, "admin", default)).IsSaved);

        var response = await client.PostAsync("/api/placement/runs", null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>();
        Assert.Contains("Monitor:Placement:Message:From", problem!.Detail, StringComparison.Ordinal);
        Assert.Empty(_smtp.Received);
    }

    [Theory]
    [InlineData("Monitor:Placement:Seeds:0:Imap:Password", "protected:not-a-payload", "Monitor:Placement:Seeds:0:Imap:Password: the protected value cannot be decrypted")]
    [InlineData("Monitor:Placement:Seeds:0:Address", "not-an-address", "Monitor:Placement:Seeds:0:Address: 'not-an-address' is not an email address")]
    [InlineData("Monitor:Placement:Seeds:1:Imap:Password", "", "Monitor:Placement:Seeds:1:Imap:Password: is required")]
    [InlineData("Monitor:Placement:Seeds:0:Imap:Security", "maybe", "Monitor:Placement:Seeds:0:Imap:Security: 'maybe' is not a security mode")]
    [InlineData("Monitor:Placement:SendPaths:0:Port", "70000", "Monitor:Placement:SendPaths:0:Port:")]
    [InlineData("Monitor:Placement:Message:From", "", "Monitor:Placement:Message:From:")]
    [InlineData("Monitor:Placement:Schedule", "whenever", "Monitor:Placement:Schedule:")]
    [InlineData("Monitor:Placement:Timeout", "00:00:00", "Monitor:Placement:Timeout:")]
    public async Task Bad_placement_setting_stops_start_up_naming_its_key(string key, string value, string expected)
    {
        await using var app = StartService([.. Placement(), (key, value)]);

        var error = Record.Exception(() => app.CreateClient());

        Assert.NotNull(error);
        Assert.Contains(expected, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(AlicePassword, error.ToString(), StringComparison.Ordinal);
    }

    private (string, string?)[] Placement() =>
    [
        ("Monitor:Placement:SendPaths:0:Name", "mta"),
        ("Monitor:Placement:SendPaths:0:Host", _smtp.Host),
        ("Monitor:Placement:SendPaths:0:Port", _smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("Monitor:Placement:SendPaths:0:Security", "none"),
        ("Monitor:Placement:Message:From", "Shop <news@shop.test>"),
        ("Monitor:Placement:Timeout", "00:00:30"),
        ("Monitor:Placement:PollInterval", "00:00:00.500"),
        ("Monitor:Placement:Schedule", "06:00:00"),
        .. SeedSettings(0, "Gmail", "alice@gmail.test", "alice", AlicePassword),
        .. SeedSettings(1, "Yahoo", "bob@yahoo.test", "bob", "bob-pw"),
    ];

    private (string, string?)[] SeedSettings(int i, string provider, string address, string user, string password) =>
    [
        ($"Monitor:Placement:Seeds:{i}:Provider", provider),
        ($"Monitor:Placement:Seeds:{i}:Address", address),
        ($"Monitor:Placement:Seeds:{i}:Imap:Host", _imap.Host),
        ($"Monitor:Placement:Seeds:{i}:Imap:Port", _imap.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ($"Monitor:Placement:Seeds:{i}:Imap:Security", "none"),
        ($"Monitor:Placement:Seeds:{i}:Imap:User", user),
        ($"Monitor:Placement:Seeds:{i}:Imap:Password", password),
    ];
}
