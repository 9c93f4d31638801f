using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Deliverability.Core.Alerts;
using Deliverability.Core.Alerts.Notifications;
using Deliverability.Core.Configuration;
using Deliverability.Core.Placement;
using Deliverability.Core.Storage;
using Deliverability.Testing.Postgres;

namespace Deliverability.Core.Tests.Storage;

/// <summary>
/// Seeds, send paths and receivers added in the dashboard, on each provider: merged after the configured ones, checked
/// with the start-up rules, secrets encrypted at rest and write-only.
/// </summary>
public abstract class DashboardSettingsStoreTests : StoreFixture
{
    private const string ImapPassword = "Imap-Pa55-w0rd";
    private const string SmtpPassword = "Smtp-Pa55-w0rd";
    private const string WebhookUrl = "https://hooks.example.test/services/T0/B0/S3CR3TT0KEN";
    private const string RoutingKey = "R0UT1NGKEY0123456789abcdef0123456";

    private readonly string _keys = Path.Combine(Path.GetTempPath(), "monitor-settings-keys-" + Guid.NewGuid().ToString("N"));
    private PlacementOptions _placement = null!;
    private AlertReceiversOptions _receivers = null!;
    private AlertOptions _alerts = new();

    private IDataProtectionProvider Protection => DataProtectionProvider.Create(new DirectoryInfo(_keys), b => b.SetApplicationName("monitor"));

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _placement = new PlacementOptions
        {
            Seeds = [Seed("Gmail", "alice@gmail.test", "configured-pw")],
            SendPaths = [new SendPathOptions { Name = "mta", Host = "127.0.0.1", Port = 2525, Security = "none" }],
            Message = new PlacementMessageOptions { From = "news@shop.test" },
        };
        _receivers = new AlertReceiversOptions { Receivers = [new ReceiverOptions { Name = "ops-webhook", Type = "webhook", Url = "https://hooks.example.test/configured" }] };
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(_keys))
        {
            Directory.Delete(_keys, recursive: true);
        }
    }

    [Fact]
    public async Task Seed_added_in_the_dashboard_runs_after_the_configured_ones_with_its_password_encrypted_at_rest()
    {
        var catalog = Placement();

        var saved = await catalog.SaveSeedAsync(Seed("Yahoo", " Bob@Yahoo.test ", ImapPassword), isNew: true, "admin", default);

        Assert.True(saved.IsSaved);
        var seeds = await catalog.GetSeedsAsync(default);
        Assert.Equal([("alice@gmail.test", SettingOrigin.Configuration), ("Bob@Yahoo.test", SettingOrigin.Dashboard)], seeds.Select(s => (s.Seed.Address, s.Origin)));
        var run = await catalog.GetRunOptionsAsync(default);
        Assert.Equal(["configured-pw", ImapPassword], run.Seeds.Select(s => s.Imap.Password));
        Assert.Equal("news@shop.test", run.Message.From);
        await using var db = await Contexts.CreateDbContextAsync();
        var row = await db.Set<DashboardSeedRow>().SingleAsync();
        Assert.StartsWith("protected:", row.ImapPassword, StringComparison.Ordinal);
        Assert.DoesNotContain(ImapPassword, row.ImapPassword, StringComparison.Ordinal);
        Assert.Equal(("bob@yahoo.test", "admin"), (row.Key, row.AddedBy));
    }

    [Fact]
    public async Task Seed_breaking_the_rules_is_refused_by_field_with_the_start_up_messages_and_nothing_is_stored()
    {
        var catalog = Placement();
        var broken = new SeedMailboxOptions
        {
            Provider = "",
            Address = "not-an-address",
            Imap = new ImapAccountOptions { Host = "bad host!", Port = 70000, Security = "maybe", User = "" },
        };

        var saved = await catalog.SaveSeedAsync(broken, isNew: true, "admin", default);

        Assert.False(saved.IsSaved);
        Assert.Equal(
            [SeedFields.Provider, SeedFields.Address, SeedFields.Host, SeedFields.Port, SeedFields.Security, SeedFields.User, SeedFields.Password],
            saved.Problems.Select(p => p.Field));
        // The very messages start-up gives for the same seed in configuration (minus the key): the two never disagree.
        var startUp = PlacementOptionsValidation.Problems(new PlacementOptions { Seeds = [broken], SendPaths = _placement.SendPaths, Message = _placement.Message });
        Assert.All(saved.Problems, p => Assert.Contains(startUp, s => s.StartsWith(p.WithKey("Monitor:Placement:Seeds:0"), StringComparison.Ordinal)));
        Assert.Single(await catalog.GetSeedsAsync(default));
    }

    [Fact]
    public async Task Seed_with_a_configured_or_added_address_is_refused_on_the_address()
    {
        var catalog = Placement();
        await catalog.SaveSeedAsync(Seed("Yahoo", "bob@yahoo.test", ImapPassword), isNew: true, "admin", default);

        var configured = await catalog.SaveSeedAsync(Seed("Gmail", "ALICE@gmail.test", "pw"), isNew: true, "admin", default);
        var added = await catalog.SaveSeedAsync(Seed("Yahoo", "bob@yahoo.test", "pw"), isNew: true, "admin", default);

        Assert.Equal(new FieldProblem(SeedFields.Address, "'ALICE@gmail.test' is already a seed (configuration, Monitor:Placement:Seeds)"), Assert.Single(configured.Problems));
        Assert.Equal(new FieldProblem(SeedFields.Address, "'bob@yahoo.test' is already a seed (dashboard)"), Assert.Single(added.Problems));
    }

    [Fact]
    public async Task Editing_a_seed_with_an_empty_password_keeps_the_stored_one()
    {
        var catalog = Placement();
        await catalog.SaveSeedAsync(Seed("Yahoo", "bob@yahoo.test", ImapPassword), isNew: true, "admin", default);

        var edited = await catalog.SaveSeedAsync(Seed("Yahoo Mail", "bob@yahoo.test", ""), isNew: false, "admin", default);

        Assert.True(edited.IsSaved);
        var bob = (await catalog.GetRunOptionsAsync(default)).Seeds[1];
        Assert.Equal(("Yahoo Mail", ImapPassword), (bob.Provider, bob.Imap.Password));
    }

    [Fact]
    public async Task Seed_later_added_to_configuration_is_the_configured_one_and_runs_once()
    {
        await Placement().SaveSeedAsync(Seed("Yahoo", "bob@yahoo.test", ImapPassword), isNew: true, "admin", default);
        _placement.Seeds.Add(Seed("Yahoo", "Bob@Yahoo.test", "configured-bob-pw"));

        var catalog = Placement();
        var seeds = await catalog.GetSeedsAsync(default);
        var run = await catalog.GetRunOptionsAsync(default);

        Assert.Equal([("alice@gmail.test", SettingOrigin.Configuration), ("Bob@Yahoo.test", SettingOrigin.Configuration)], seeds.Select(s => (s.Seed.Address, s.Origin)));
        Assert.Equal("configured-bob-pw", run.Seeds[1].Imap.Password);
        Assert.Empty(PlacementOptionsValidation.Problems(run));
    }

    [Fact]
    public async Task Send_path_added_in_the_dashboard_follows_the_configured_default_and_can_be_removed()
    {
        var catalog = Placement();

        var saved = await catalog.SaveSendPathAsync(new SendPathOptions { Name = "relay", Host = "smtp.shop.test", Security = "starttls", User = "mailer", Password = SmtpPassword }, isNew: true, "admin", default);
        var duplicate = await catalog.SaveSendPathAsync(new SendPathOptions { Name = "MTA", Host = "127.0.0.1" }, isNew: true, "admin", default);
        var noPassword = await catalog.SaveSendPathAsync(new SendPathOptions { Name = "other", Host = "127.0.0.1", User = "mailer" }, isNew: true, "admin", default);

        Assert.True(saved.IsSaved);
        Assert.Equal(SendPathFields.Name, Assert.Single(duplicate.Problems).Field);
        Assert.Equal(new FieldProblem(SendPathFields.Password, "is required when User is set"), Assert.Single(noPassword.Problems));
        var run = await catalog.GetRunOptionsAsync(default);
        Assert.Equal("mta", run.FindSendPath(null)!.Name);
        Assert.Equal(SmtpPassword, run.FindSendPath("RELAY")!.Password);
        await using (var db = await Contexts.CreateDbContextAsync())
        {
            Assert.DoesNotContain(SmtpPassword, (await db.Set<DashboardSendPathRow>().SingleAsync()).Password, StringComparison.Ordinal);
        }

        Assert.True(await catalog.RemoveSendPathAsync("Relay", default));
        Assert.False(await catalog.RemoveSendPathAsync("mta", default));
        Assert.Equal(["mta"], (await catalog.GetSendPathsAsync(default)).Select(p => p.Path.Name));
    }

    [Fact]
    public async Task Send_path_envelope_sender_is_checked_stored_and_given_to_runs()
    {
        var catalog = Placement();

        var refused = await catalog.SaveSendPathAsync(new SendPathOptions { Name = "esp", Host = "smtp.esp.test", EnvelopeSender = "Bounces <b@mail.shop.test>" }, isNew: true, "admin", default);
        var saved = await catalog.SaveSendPathAsync(new SendPathOptions { Name = "esp", Host = "smtp.esp.test", EnvelopeSender = " bounces@mail.shop.test " }, isNew: true, "admin", default);

        Assert.Equal(SendPathFields.EnvelopeSender, Assert.Single(refused.Problems).Field);
        Assert.True(saved.IsSaved);
        Assert.Equal("bounces@mail.shop.test", (await catalog.GetRunOptionsAsync(default)).FindSendPath("esp")!.EnvelopeSender);
        Assert.Equal("", (await catalog.GetRunOptionsAsync(default)).FindSendPath("mta")!.EnvelopeSender);
    }

    [Fact]
    public async Task Send_path_table_of_an_earlier_release_gains_the_envelope_sender_column_and_keeps_its_rows()
    {
        var catalog = Placement();
        await catalog.SaveSendPathAsync(new SendPathOptions { Name = "relay", Host = "smtp.shop.test", Security = "ssl" }, isNew: true, "admin", default);
        await using (var db = await Contexts.CreateDbContextAsync())
        {
            // As an earlier release made it: no EnvelopeSender column, and 'tls' (which it took for ssl) stored.
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE dashboard_send_paths DROP COLUMN \"EnvelopeSender\"");
            await db.Database.ExecuteSqlRawAsync("UPDATE dashboard_send_paths SET \"Security\" = 'tls'");
        }

        await using (var db = await Contexts.CreateDbContextAsync())
        {
            await MonitorDatabase.EnsureSchemaAsync(db);
        }

        var relay = (await catalog.GetRunOptionsAsync(default)).FindSendPath("relay")!;
        Assert.Equal(("smtp.shop.test", "ssl", ""), (relay.Host, relay.Security, relay.EnvelopeSender));
        Assert.True((await catalog.SaveSendPathAsync(new SendPathOptions { Name = "relay", Host = "smtp.shop.test", Security = "ssl", EnvelopeSender = "bounces@mail.shop.test" }, isNew: false, "admin", default)).IsSaved);
        Assert.Equal("bounces@mail.shop.test", (await catalog.GetRunOptionsAsync(default)).FindSendPath("relay")!.EnvelopeSender);
    }

    [Fact]
    public async Task Receiver_added_in_the_dashboard_joins_the_receivers_with_its_url_and_key_encrypted_at_rest()
    {
        var catalog = Receivers();
        Assert.Equal(["ops-webhook"], catalog.Receivers.Select(r => r.Name));

        var webhook = await catalog.SaveAsync(new ReceiverOptions { Name = "team-hook", Type = "webhook", Url = WebhookUrl }, isNew: true, "admin", default);
        var pagerDuty = await catalog.SaveAsync(new ReceiverOptions { Name = "oncall", Type = "pagerduty", RoutingKey = RoutingKey, SendResolved = false }, isNew: true, "admin", default);

        Assert.True(webhook.IsSaved && pagerDuty.IsSaved);
        Assert.Equal(["ops-webhook", "oncall", "team-hook"], catalog.Receivers.Select(r => r.Name));
        Assert.Equal(WebhookUrl, catalog.Find("TEAM-HOOK")!.Url);
        Assert.Equal((RoutingKey, ReceiverOptions.PagerDutyEventsUrl, false), (catalog.Find("oncall")!.RoutingKey, catalog.Find("oncall")!.EffectiveUrl, catalog.Find("oncall")!.SendResolved));
        await using var db = await Contexts.CreateDbContextAsync();
        var rows = await db.Set<DashboardReceiverRow>().ToListAsync();
        Assert.All(rows, r => Assert.DoesNotContain("S3CR3T", r.Url + r.RoutingKey, StringComparison.Ordinal));
        Assert.DoesNotContain(RoutingKey, string.Concat(rows.Select(r => r.RoutingKey)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Receiver_breaking_the_rules_is_refused_by_field_with_the_start_up_messages()
    {
        var catalog = Receivers();
        var broken = new ReceiverOptions { Name = "bad name", Type = "email", Email = new EmailReceiverOptions { Port = 0, User = "alerts", From = "nobody", To = ["ops@example.com", "oops"] } };

        var saved = await catalog.SaveAsync(broken, isNew: true, "admin", default);
        var configuredName = await catalog.SaveAsync(new ReceiverOptions { Name = "OPS-webhook", Type = "webhook", Url = WebhookUrl }, isNew: true, "admin", default);
        var badUrl = await catalog.SaveAsync(new ReceiverOptions { Name = "hook", Type = "slack", Url = "ftp://" + WebhookUrl }, isNew: true, "admin", default);

        Assert.Equal(["Name", "Email:Host", "Email:Port", "Email:Password", "Email:From", "Email:To:1"], saved.Problems.Select(p => p.Field));
        var startUp = ReceiverOptionsValidation.Validate(new AlertReceiversOptions { Receivers = [broken] });
        Assert.All(saved.Problems.Where(p => p.Field != "Email:Password"), p => Assert.Contains(p.WithKey("Monitor:Alerts:Receivers:0"), startUp));
        Assert.Equal("Name", Assert.Single(configuredName.Problems).Field);
        var url = Assert.Single(badUrl.Problems);
        Assert.Equal("Url", url.Field);
        Assert.DoesNotContain("S3CR3T", url.Message, StringComparison.Ordinal);
        Assert.Equal(["ops-webhook"], (await catalog.GetAllAsync(default)).Select(r => r.Name));
    }

    [Fact]
    public async Task Editing_a_receiver_with_empty_secrets_keeps_the_stored_ones()
    {
        var catalog = Receivers();
        await catalog.SaveAsync(new ReceiverOptions { Name = "team-hook", Type = "webhook", Url = WebhookUrl }, isNew: true, "admin", default);

        var edited = await catalog.SaveAsync(new ReceiverOptions { Name = "team-hook", Type = "webhook", Url = "", SendResolved = false }, isNew: false, "admin", default);

        Assert.True(edited.IsSaved);
        Assert.Equal((WebhookUrl, false), (catalog.Find("team-hook")!.Url, catalog.Find("team-hook")!.SendResolved));
    }

    [Fact]
    public async Task Receiver_whose_secrets_cannot_be_decrypted_is_shown_but_not_used()
    {
        await Receivers().SaveAsync(new ReceiverOptions { Name = "team-hook", Type = "webhook", Url = WebhookUrl }, isNew: true, "admin", default);
        Directory.Delete(_keys, recursive: true); // the keys are lost

        var catalog = Receivers();
        var all = await catalog.GetAllAsync(default);

        var lost = all.Single(r => r.Name == "team-hook");
        Assert.True(lost.SecretUnreadable);
        Assert.Null(lost.Receiver.Url);
        Assert.Equal(["ops-webhook"], catalog.Receivers.Select(r => r.Name));
    }

    [Fact]
    public async Task Removing_a_receiver_takes_it_out_of_the_receivers_and_leaves_configured_ones()
    {
        var catalog = Receivers();
        await catalog.SaveAsync(new ReceiverOptions { Name = "team-hook", Type = "webhook", Url = WebhookUrl }, isNew: true, "admin", default);

        Assert.True(await catalog.RemoveAsync("Team-Hook", default));
        Assert.False(await catalog.RemoveAsync("ops-webhook", default));
        Assert.Equal(["ops-webhook"], catalog.Receivers.Select(r => r.Name));
    }

    [Fact]
    public async Task Receiver_named_by_a_route_is_not_removed_and_a_route_naming_no_receiver_is_reported()
    {
        _alerts = new AlertOptions { Route = new AlertRouteOptions { Routes = [new AlertRouteOptions { Matchers = ["severity=critical"], Receivers = ["team-hook", "pager"] }] } };
        var catalog = Receivers();
        await catalog.SaveAsync(new ReceiverOptions { Name = "team-hook", Type = "webhook", Url = WebhookUrl }, isNew: true, "admin", default);

        Assert.False(await catalog.RemoveAsync("TEAM-HOOK", default));
        Assert.Equal(["Monitor:Alerts:Route:Routes:0:Receivers:0"], catalog.RoutesNaming("team-hook"));
        Assert.Equal([("Monitor:Alerts:Route:Routes:0:Receivers:1", "pager")], catalog.UnknownRouteNames(await catalog.GetAllAsync(default)));
        Assert.Contains("team-hook", catalog.Receivers.Select(r => r.Name));
    }

    [Fact]
    public async Task Texts_longer_than_their_columns_are_refused_by_field_without_quoting_them_and_nothing_is_stored()
    {
        var placement = Placement();
        var receivers = Receivers();
        var longAddress = new string('b', 400) + "@yahoo.test";
        var longUrl = "https://hooks.example.test/" + new string('S', 3000);

        var seed = await placement.SaveSeedAsync(Seed("Yahoo", longAddress, ImapPassword), isNew: true, "admin", default);
        var path = await placement.SaveSendPathAsync(new SendPathOptions { Name = "relay", Host = "smtp.shop.test", User = "mailer", Password = new string('p', 1025) }, isNew: true, "admin", default);
        var receiver = await receivers.SaveAsync(new ReceiverOptions { Name = "team-hook", Type = "webhook", Url = longUrl }, isNew: true, "admin", default);

        Assert.Equal([("Address", "is too long (411 characters; at most 320)")], seed.Problems.Where(p => p.Field == "Address").Select(p => (p.Field, p.Message)));
        Assert.Equal([("Password", "is too long (1025 characters; at most 1024)")], path.Problems.Select(p => (p.Field, p.Message)));
        Assert.Equal([("Url", "is too long (3027 characters; at most 2048)")], receiver.Problems.Select(p => (p.Field, p.Message)));
        Assert.DoesNotContain(seed.Problems, p => p.Message.Contains(longAddress, StringComparison.Ordinal));
        Assert.Single(await placement.GetSeedsAsync(default));
        Assert.Single(await placement.GetSendPathsAsync(default));
        Assert.Equal(["ops-webhook"], (await receivers.GetAllAsync(default)).Select(r => r.Name));
    }

    [Fact]
    public async Task Receiver_changed_to_another_type_keeps_only_the_fields_of_that_type()
    {
        var catalog = Receivers();
        await catalog.SaveAsync(new ReceiverOptions { Name = "team", Type = "webhook", Url = WebhookUrl }, isNew: true, "admin", default);

        var email = new ReceiverOptions
        {
            Name = "team",
            Type = "email",
            RoutingKey = RoutingKey,
            Email = new EmailReceiverOptions { Host = "smtp.example.test", From = "monitor@example.test", To = ["ops@example.test"] },
        };
        var saved = await catalog.SaveAsync(email, isNew: false, "admin", default);

        Assert.True(saved.IsSaved);
        var stored = catalog.Find("team")!;
        Assert.Equal((ReceiverType.Email, null, null, "smtp.example.test"), (stored.ParsedType, stored.Url, stored.RoutingKey, stored.Email.Host));
        await using var db = await Contexts.CreateDbContextAsync();
        var row = await db.Set<DashboardReceiverRow>().SingleAsync();
        Assert.Equal(("", ""), (row.Url, row.RoutingKey));
    }

    private PlacementCatalog Placement() => new(new FixedOptionsMonitor<PlacementOptions>(_placement), Contexts, Protection, Time);

    private AlertReceiverCatalog Receivers() => new(Options.Create(_receivers), Options.Create(_alerts), Contexts, Protection, Time);

    private static SeedMailboxOptions Seed(string provider, string address, string password) => new()
    {
        Provider = provider,
        Address = address,
        Imap = new ImapAccountOptions { Host = "127.0.0.1", Port = 1143, Security = "none", User = address.Trim().Split('@')[0], Password = password },
    };

    private sealed class FixedOptionsMonitor<T>(T value) : IOptionsMonitor<T>
    {
        public T CurrentValue => value;

        public T Get(string? name) => value;

        public IDisposable? OnChange(Action<T, string?> listener) => null;
    }
}

public sealed class SqliteDashboardSettingsStoreTests : DashboardSettingsStoreTests
{
    protected override StorageProvider Provider => StorageProvider.Sqlite;

    protected override string ConnectionString => SqliteConnectionString;
}

public sealed class PostgresDashboardSettingsStoreTests(PostgresFixture postgres) : DashboardSettingsStoreTests, IClassFixture<PostgresFixture>
{
    private readonly string _database = "settings_" + Guid.NewGuid().ToString("N");

    protected override StorageProvider Provider => StorageProvider.Postgres;

    protected override string ConnectionString => postgres.Server.ConnectionString(_database);
}
