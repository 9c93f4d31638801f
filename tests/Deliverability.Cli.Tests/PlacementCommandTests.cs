using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Options;
using Deliverability.Cli;
using Deliverability.Core.Placement;
using Deliverability.Core.Storage;
using Deliverability.Testing.Mail;

namespace Deliverability.Cli.Tests;

/// <summary><c>monitor placement run</c> against a real Dovecot and a real SMTP server on 127.0.0.1.</summary>
public sealed class PlacementCommandTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "monitor-cli-placement-" + Guid.NewGuid().ToString("N"));
    private TestImapServer _imap = null!;
    private TestSmtpServer _smtp = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        _imap = await TestImapServer.StartAsync([("alice", "alice-pw"), ("bob", "bob-pw")]);
        _smtp = TestSmtpServer.Start(_imap, new Dictionary<string, SeedRoute>
        {
            ["alice@gmail.test"] = SeedRoute.File("alice") with { PrependHeaders = ["Authentication-Results: mx.gmail.test; spf=pass smtp.mailfrom=shop.test; dkim=pass header.d=shop.test; dmarc=pass"] },
            ["bob@yahoo.test"] = SeedRoute.File("bob"),
            ["bob-spam@yahoo.test"] = SeedRoute.File("bob", "Junk"),
        });
    }

    public async Task DisposeAsync()
    {
        await _smtp.DisposeAsync();
        await _imap.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task All_seeds_in_the_inbox_print_the_seed_and_provider_tables_and_exit_0()
    {
        var config = WriteConfig(Seed("Gmail", "alice@gmail.test", "alice", "alice-pw"), Seed("Yahoo", "bob@yahoo.test", "bob", "bob-pw"));

        var (exit, output, error) = await RunAsync("placement", "run", "--config", config);

        Assert.Equal(PlacementCommand.AllInbox, exit);
        Assert.Equal("", error);
        var lines = output.Split('\n').Select(l => l.TrimEnd()).ToArray();
        Assert.Contains(lines, l => l.StartsWith("PROVIDER", StringComparison.Ordinal) && l.Contains("PLACEMENT", StringComparison.Ordinal) && l.Contains("DMARC", StringComparison.Ordinal));
        Assert.Contains(lines, l => Words(l) is ["Gmail", "alice@gmail.test", "inbox", "INBOX", _, "s", "pass", "pass", "pass"]);
        Assert.Contains(lines, l => Words(l) is ["Yahoo", "bob@yahoo.test", "inbox", "INBOX", _, "s", "-", "-", "-"]);
        Assert.Contains(lines, l => Words(l) is ["all", "2", "2", "0", "0", "0", "0", "100%"]);
    }

    [Fact]
    public async Task Spam_placement_exits_1_and_json_has_seeds_and_providers()
    {
        var config = WriteConfig(Seed("Gmail", "alice@gmail.test", "alice", "alice-pw"), Seed("Yahoo", "bob-spam@yahoo.test", "bob", "bob-pw"));

        var (exit, output, _) = await RunAsync("placement", "run", "--config", config, "--json", "--path", "MTA");

        Assert.Equal(PlacementCommand.PlacementProblem, exit);
        var json = JsonNode.Parse(output)!;
        Assert.Equal("mta", (string?)json["sendPath"]);
        var seeds = json["seeds"]!.AsArray();
        Assert.Equal(["inbox", "spam"], seeds.Select(s => (string?)s!["placement"]));
        Assert.Equal("Junk", (string?)seeds[1]!["folder"]);
        Assert.Equal("pass", (string?)seeds[0]!["dkim"]);
        Assert.Equal([("Gmail", 1.0), ("Yahoo", 0.0)], json["providers"]!.AsArray().Select(p => ((string?)p!["provider"], (double)p["rates"]!["inboxRate"]!)));
        Assert.Equal(0.5, (double)json["overall"]!["inboxRate"]!);
    }

    [Fact]
    public async Task Json_has_the_shape_of_the_api_with_every_rate_of_overall()
    {
        var config = WriteConfig(Seed("Gmail", "alice@gmail.test", "alice", "alice-pw"), Seed("Yahoo", "bob-spam@yahoo.test", "bob", "bob-pw"));

        var (_, output, _) = await RunAsync("placement", "run", "--config", config, "--json");

        // The names of GET /api/placement/runs/{id} (PlacementApiTests reads the same ones).
        var json = JsonNode.Parse(output)!.AsObject();
        Assert.Equal(["id", "sendPath", "startedAt", "finishedAt", "overall", "previousRunId", "previousInboxRate", "inboxRateChange", "providers", "seeds"], json.Select(p => p.Key));
        var overall = json["overall"]!.AsObject();
        Assert.Equal(["seeds", "inbox", "spam", "other", "missing", "errors", "inboxRate", "spamRate", "otherRate", "missingRate"], overall.Select(p => p.Key));
        Assert.Equal((0.0, 0.0, 0.5), ((double)overall["otherRate"]!, (double)overall["missingRate"]!, (double)overall["spamRate"]!));
        Assert.Equal(["provider", "rates", "previousInboxRate", "inboxRateChange"], json["providers"]![0]!.AsObject().Select(p => p.Key));
        Assert.Null(json["previousRunId"]);
    }

    [Fact]
    public async Task Seed_added_in_the_dashboard_of_the_service_is_run_too()
    {
        var keys = Path.Combine(_folder, "keys");
        await AddDashboardSeedAsync(Path.Combine(_folder, "data", "monitor.db"), keys, "Yahoo", "bob@yahoo.test", "bob", "bob-pw");
        // The service's settings beside its database (Storage default data/monitor.db) and keys, as the service resolves them.
        var config = WriteConfig([Seed("Gmail", "alice@gmail.test", "alice", "alice-pw")], secretsKeysFolder: "keys");

        var (exit, output, error) = await RunAsync("placement", "run", "--config", config);

        Assert.Equal("", error);
        Assert.Equal(PlacementCommand.AllInbox, exit);
        Assert.Contains(output.Split('\n'), l => Words(l) is ["Gmail", "alice@gmail.test", "inbox", ..]);
        Assert.Contains(output.Split('\n'), l => Words(l) is ["Yahoo", "bob@yahoo.test", "inbox", ..]);
        Assert.Contains(output.Split('\n'), l => Words(l) is ["all", "2", "2", "0", "0", "0", "0", "100%"]);
    }

    [Fact]
    public async Task Dashboard_seeds_alone_are_enough_to_run()
    {
        var database = Path.Combine(_folder, "service", "monitor.db");
        var keys = Path.Combine(_folder, "service-keys");
        await AddDashboardSeedAsync(database, keys, "Yahoo", "bob@yahoo.test", "bob", "bob-pw");
        var config = WriteConfig([], secretsKeysFolder: keys, storage: $"Data Source={database}");

        var (exit, output, error) = await RunAsync("placement", "run", "--config", config, "--json");

        Assert.Equal(("", PlacementCommand.AllInbox), (error, exit));
        Assert.Equal(["bob@yahoo.test"], JsonNode.Parse(output)!["seeds"]!.AsArray().Select(s => (string?)s!["address"]));
    }

    [Fact]
    public async Task Dashboard_seed_whose_password_cannot_be_decrypted_is_left_out_with_a_warning()
    {
        var database = Path.Combine(_folder, "data", "monitor.db");
        await AddDashboardSeedAsync(database, Path.Combine(_folder, "keys-a"), "Yahoo", "bob@yahoo.test", "bob", "bob-pw");
        var config = WriteConfig(Seed("Gmail", "alice@gmail.test", "alice", "alice-pw"));

        var (exit, output, error) = await RunAsync("placement", "run", "--config", config, "--keys", Path.Combine(_folder, "keys-b"));

        Assert.Equal(PlacementCommand.AllInbox, exit);
        Assert.Contains("warning: the seed bob@yahoo.test added in the dashboard is left out: its IMAP password cannot be decrypted", error, StringComparison.Ordinal);
        Assert.DoesNotContain("bob@yahoo.test", output, StringComparison.Ordinal);
        Assert.DoesNotContain("bob-pw", error + output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Seed_that_cannot_be_read_exits_2_with_the_reason_and_not_the_password()
    {
        var config = WriteConfig(Seed("Gmail", "alice@gmail.test", "alice", "wrong-secret"));

        var (exit, output, _) = await RunAsync("placement", "run", "--config", config);

        Assert.Equal(PlacementCommand.ErrorsOrBadSettings, exit);
        Assert.Contains("login refused", output, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-secret", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_settings_file_exits_2_naming_it()
    {
        var (exit, _, error) = await RunAsync("placement", "run", "--config", Path.Combine(_folder, "nope.json"));

        Assert.Equal(PlacementCommand.ErrorsOrBadSettings, exit);
        Assert.Contains("nope.json' does not exist", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_setting_exits_2_naming_its_key()
    {
        var config = WriteConfig(Seed("Gmail", "not an address", "alice", "alice-pw"));

        var (exit, _, error) = await RunAsync("placement", "run", "--config", config);

        Assert.Equal(PlacementCommand.ErrorsOrBadSettings, exit);
        Assert.Contains("Monitor:Placement:Seeds:0:Address: 'not an address' is not an email address", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_send_path_exits_2_listing_the_configured_ones()
    {
        var config = WriteConfig(Seed("Gmail", "alice@gmail.test", "alice", "alice-pw"));

        var (exit, _, error) = await RunAsync("placement", "run", "--config", config, "--path", "elsewhere");

        Assert.Equal(PlacementCommand.ErrorsOrBadSettings, exit);
        Assert.Contains("'elsewhere' is not a send path", error, StringComparison.Ordinal);
        Assert.Contains("SendPaths: mta", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Password_protected_by_secret_protect_is_decrypted_by_placement_run()
    {
        var keys = Path.Combine(_folder, "keys");
        var protectedPassword = await ProtectAsync("alice-pw", keys);
        var config = WriteConfig(Seed("Gmail", "alice@gmail.test", "alice", protectedPassword));

        var (exit, output, _) = await RunAsync("placement", "run", "--config", config, "--keys", keys);

        Assert.StartsWith("protected:", protectedPassword, StringComparison.Ordinal);
        Assert.DoesNotContain("alice-pw", protectedPassword, StringComparison.Ordinal);
        Assert.Equal(PlacementCommand.AllInbox, exit);
        Assert.Contains(output.Split('\n'), l => Words(l) is ["Gmail", "alice@gmail.test", "inbox", ..]);
    }

    [Fact]
    public async Task Password_protected_with_other_keys_exits_2_naming_its_key()
    {
        var protectedPassword = await ProtectAsync("alice-pw", Path.Combine(_folder, "keys-a"));
        var config = WriteConfig(Seed("Gmail", "alice@gmail.test", "alice", protectedPassword));

        var (exit, _, error) = await RunAsync("placement", "run", "--config", config, "--keys", Path.Combine(_folder, "keys-b"));

        Assert.Equal(PlacementCommand.ErrorsOrBadSettings, exit);
        Assert.Contains("Monitor:Placement:Seeds:0:Imap:Password: the protected value cannot be decrypted", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_folder_starting_with_at_is_a_folder_not_a_response_file()
    {
        var keys = $"@keys-{Guid.NewGuid():N}";
        try
        {
            var protectedPassword = await ProtectAsync("alice-pw", keys);
            var config = WriteConfig(Seed("Gmail", "alice@gmail.test", "alice", protectedPassword));

            var (exit, _, error) = await RunAsync("placement", "run", "--config", config, "--keys", keys);

            Assert.Equal((PlacementCommand.AllInbox, ""), (exit, error));
        }
        finally
        {
            if (Directory.Exists(keys))
            {
                Directory.Delete(keys, recursive: true);
            }
        }
    }

    private static async Task<string> ProtectAsync(string secret, string keys)
    {
        var stdin = Console.In;
        Console.SetIn(new StringReader(secret + "\n"));
        try
        {
            var (exit, output, error) = await RunAsync("secret", "protect", "--keys", keys);
            Assert.Equal((0, ""), (exit, error));
            return output.Trim();
        }
        finally
        {
            Console.SetIn(stdin);
        }
    }

    private static string[] Words(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await MonitorCli.RunAsync(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private JsonObject Seed(string provider, string address, string user, string password) => new()
    {
        ["Provider"] = provider,
        ["Address"] = address,
        ["Imap"] = new JsonObject { ["Host"] = _imap.Host, ["Port"] = _imap.Port, ["Security"] = "none", ["User"] = user, ["Password"] = password },
    };

    /// <summary>A seed added in the dashboard of a service whose database and keys are these, through its catalog.</summary>
    private async Task AddDashboardSeedAsync(string database, string keys, string provider, string address, string user, string password)
    {
        var options = MonitorDbContext.Configure(new DbContextOptionsBuilder<MonitorDbContext>(), StorageProvider.Sqlite, $"Data Source={database}").Options;
        var contexts = new PooledDbContextFactory<MonitorDbContext>((DbContextOptions<MonitorDbContext>)options);
        await using (var db = await contexts.CreateDbContextAsync())
        {
            await MonitorDatabase.EnsureSchemaAsync(db);
        }

        var catalog = new PlacementCatalog(new ServiceSettings(new PlacementOptions()), contexts, SecretCommand.Provider(keys), TimeProvider.System);
        var seed = new SeedMailboxOptions { Provider = provider, Address = address, Imap = new ImapAccountOptions { Host = _imap.Host, Port = _imap.Port, Security = "none", User = user, Password = password } };
        Assert.True((await catalog.SaveSeedAsync(seed, isNew: true, "admin", default)).IsSaved);
        SqliteConnection.ClearAllPools();
    }

    private string WriteConfig(params JsonObject[] seeds) => WriteConfig(seeds, secretsKeysFolder: null);

    private string WriteConfig(JsonObject[] seeds, string? secretsKeysFolder, string? storage = null)
    {
        var settings = new JsonObject
        {
            ["Monitor"] = new JsonObject
            {
                ["Placement"] = new JsonObject
                {
                    ["Seeds"] = new JsonArray([.. seeds]),
                    ["SendPaths"] = new JsonArray(new JsonObject { ["Name"] = "mta", ["Host"] = _smtp.Host, ["Port"] = _smtp.Port, ["Security"] = "none" }),
                    ["Message"] = new JsonObject { ["From"] = "Shop <news@shop.test>" },
                    ["Timeout"] = "00:00:30",
                    ["PollInterval"] = "00:00:00.500",
                },
            },
        };
        if (secretsKeysFolder is not null)
        {
            settings["Secrets"] = new JsonObject { ["KeysFolder"] = secretsKeysFolder };
        }

        if (storage is not null)
        {
            settings["Storage"] = new JsonObject { ["ConnectionString"] = storage };
        }

        var file = Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(file, settings.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return file;
    }

    private sealed class ServiceSettings(PlacementOptions value) : IOptionsMonitor<PlacementOptions>
    {
        public PlacementOptions CurrentValue => value;

        public PlacementOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<PlacementOptions, string?> listener) => null;
    }
}
