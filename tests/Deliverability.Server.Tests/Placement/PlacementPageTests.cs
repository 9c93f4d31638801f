using System.Globalization;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Deliverability.Core.Live;
using Deliverability.Core.Placement;
using Deliverability.Core.Storage;
using Deliverability.Server.Auth;
using Deliverability.Server.Placement;
using Deliverability.Testing.Mail;
using MudBlazor;
using MudBlazor.Services;

namespace Deliverability.Server.Tests.Placement;

/// <summary>
/// bUnit tests of the Placement page over the real service: runs written through the real store, and runs started from
/// the page through a real SMTP server into a real Dovecot on 127.0.0.1.
/// </summary>
public sealed class PlacementPageTests : ServiceFixture
{
    private static readonly DateTimeOffset FirstRunAt = new(2026, 11, 26, 6, 0, 0, TimeSpan.Zero);

    private TestImapServer _imap = null!;
    private TestSmtpServer _smtp = null!;
    private MonitorApplication? _service;
    private BunitContext _context = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _imap = await TestImapServer.StartAsync([("alice", "alice-pw"), ("bob", "bob-pw")]);
        _smtp = TestSmtpServer.Start(_imap, new Dictionary<string, SeedRoute>
        {
            ["alice@gmail.test"] = SeedRoute.File("alice"),
            // Filed a little later: a run lasts long enough for a second press to find it in progress.
            ["bob@yahoo.test"] = SeedRoute.File("bob", "Junk") with { Delay = TimeSpan.FromSeconds(2) },
        });
        _context = new BunitContext();
        _context.JSInterop.Mode = JSRuntimeMode.Loose;
        _context.Services.AddMudServices();
    }

    public override async Task DisposeAsync()
    {
        await _context.DisposeAsync();
        if (_service is not null)
        {
            await _service.DisposeAsync();
        }

        await _smtp.DisposeAsync();
        await _imap.DisposeAsync();
        await base.DisposeAsync();
    }

    [Fact]
    public void Without_seeds_the_page_says_what_to_configure()
    {
        Start();
        AsViewer();

        var page = _context.Render<PlacementPage>();

        var hint = page.WaitForElement("[data-testid=placement-not-configured]", TimeSpan.FromSeconds(30)).TextContent;
        Assert.Contains("no seed mailbox is configured", hint, StringComparison.Ordinal);
        Assert.Contains("Monitor:Placement:Seeds", hint, StringComparison.Ordinal);
        Assert.Contains("Monitor:Placement:SendPaths", hint, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=run-placement]"));
    }

    [Fact]
    public void With_seeds_and_no_run_the_page_says_how_one_comes()
    {
        Start(PlacementSettings());
        AsViewer();

        var page = _context.Render<PlacementPage>();

        var hint = page.WaitForElement("[data-testid=no-run]", TimeSpan.FromSeconds(30)).TextContent;
        Assert.Contains("No placement run yet", hint, StringComparison.Ordinal);
        Assert.Contains("2 seed mailbox(es) at Gmail, Yahoo, sent From Shop <news@shop.test>", hint, StringComparison.Ordinal);
        Assert.True(page.Find("[data-testid=run-placement]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task Seeds_and_send_path_added_only_in_the_dashboard_let_an_operator_run_a_test_from_the_page()
    {
        // Only the test message in configuration: every seed and the send path come from the dashboard (or the settings API).
        Start([.. PlacementSettings().Where(s => !s.Item1.Contains(":Seeds:", StringComparison.Ordinal) && !s.Item1.Contains(":SendPaths:", StringComparison.Ordinal)),
            ("Secrets:KeysFolder", Path.Combine(DataFolder, "keys"))]);
        var catalog = _service!.Services.GetRequiredService<PlacementCatalog>();
        foreach (var (provider, address, user) in new[] { ("Gmail", "alice@gmail.test", "alice"), ("Yahoo", "bob@yahoo.test", "bob") })
        {
            var seed = new SeedMailboxOptions
            {
                Provider = provider,
                Address = address,
                Imap = new ImapAccountOptions { Host = _imap.Host, Port = _imap.Port, Security = "none", User = user, Password = user + "-pw" },
            };
            Assert.True((await catalog.SaveSeedAsync(seed, isNew: true, "ada", default)).IsSaved);
        }

        Assert.True((await catalog.SaveSendPathAsync(new SendPathOptions { Name = "dash-mta", Host = _smtp.Host, Port = _smtp.Port, Security = "none" }, isNew: true, "ada", default)).IsSaved);
        AsOperator();

        var page = _context.Render<PlacementPage>();

        var hint = page.WaitForElement("[data-testid=no-run]", TimeSpan.FromSeconds(30)).TextContent;
        Assert.Contains("2 seed mailbox(es) at Gmail, Yahoo, sent From Shop <news@shop.test>", hint, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=placement-not-configured]"));
        page.Find("[data-testid=run-placement]").Click();
        page.WaitForAssertion(() => Assert.Equal("spam", page.Find("tr[data-seed='bob@yahoo.test']").GetAttribute("data-placement")), TimeSpan.FromSeconds(60));
        Assert.Contains("dash-mta", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Latest_run_shows_rates_the_change_since_the_previous_run_per_provider_and_per_seed()
    {
        Start(PlacementSettings());
        await StoreRunsAsync();
        AsViewer();

        var page = _context.Render<PlacementPage>();

        page.WaitForElement("[data-testid=run-title]", TimeSpan.FromSeconds(30));
        Assert.Equal("Latest run of 2026-11-26 12:00:00 UTC", page.Find("[data-testid=run-title]").TextContent);
        Assert.Equal("50%", page.Find("[data-counter=inbox]").TextContent.Trim());
        Assert.Equal("−50 pts since the previous run (100%)", page.Find("[data-testid=inbox-change]").TextContent);
        Assert.Equal("50%", page.Find("[data-counter=spam]").TextContent);
        Assert.Equal(["100%", "0%"], page.FindAll(".providers tr[data-provider] td:nth-child(3)").Select(c => c.TextContent));
        var bob = page.Find("tr[data-seed='bob@yahoo.test']");
        Assert.Equal("spam", bob.GetAttribute("data-placement"));
        Assert.Contains("in Junk", bob.TextContent, StringComparison.Ordinal);
        Assert.Contains("42 s", bob.TextContent, StringComparison.Ordinal);
        Assert.Equal(["pass", "fail", "fail"], bob.QuerySelectorAll(".status-pill").Skip(1).Select(p => p.TextContent));
        Assert.Equal(2, page.FindAll("[data-testid=run-strip] button[data-run]").Count);
    }

    [Fact]
    public async Task Picking_a_past_run_in_the_strip_shows_it()
    {
        Start(PlacementSettings());
        var (first, _) = await StoreRunsAsync();
        AsViewer();
        var page = _context.Render<PlacementPage>();
        page.WaitForElement("[data-testid=run-title]", TimeSpan.FromSeconds(30));

        page.Find($"button[data-run='{first}']").Click();

        page.WaitForAssertion(() => Assert.Equal("Run of 2026-11-26 06:00:00 UTC", page.Find("[data-testid=run-title]").TextContent), TimeSpan.FromSeconds(30));
        Assert.Equal("100%", page.Find("[data-counter=inbox]").TextContent.Trim());
        Assert.Equal("no previous run to compare", page.Find("[data-testid=inbox-change]").TextContent);
        Assert.Contains("selected", page.Find($"button[data-run='{first}']").ClassList);
        Assert.Single(page.FindAll("[data-testid=show-latest]"));
    }

    [Fact]
    public void Operator_runs_a_test_now_and_the_stored_run_appears_live()
    {
        Start(PlacementSettings());
        AsOperator();
        var page = _context.Render<PlacementPage>();

        page.WaitForElement("[data-testid=run-placement]", TimeSpan.FromSeconds(30)).Click();

        var snackbar = _context.Services.GetRequiredService<ISnackbar>();
        Assert.Contains("Placement run started. It takes a few minutes; this page shows it when it is stored.", snackbar.ShownSnackbars.Select(s => s.Message));
        page.WaitForAssertion(() => Assert.Equal("spam", page.Find("tr[data-seed='bob@yahoo.test']").GetAttribute("data-placement")), TimeSpan.FromSeconds(60));
        Assert.Equal("inbox", page.Find("tr[data-seed='alice@gmail.test']").GetAttribute("data-placement"));
        Assert.Equal("50%", page.Find("[data-counter=inbox]").TextContent.Trim());
        page.WaitForAssertion(() => Assert.False(page.Find("[data-testid=run-placement]").HasAttribute("disabled")), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_second_press_while_a_run_is_going_says_it_is_in_progress_and_the_run_is_announced_when_stored()
    {
        Start(PlacementSettings());
        var launcher = _service!.Services.GetRequiredService<PlacementRunLauncher>();
        var stored = new TaskCompletionSource<PlacementRunCompleted>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = _service.Services.GetRequiredService<LiveFeed<PlacementRunCompleted>>().Subscribe(e =>
        {
            stored.TrySetResult(e);
            return Task.CompletedTask;
        });

        Assert.Equal(PlacementLaunch.Started, (await launcher.StartAsync(null, "olga")).Launch);
        Assert.Equal(PlacementLaunch.Busy, (await launcher.StartAsync(null, "otto")).Launch);

        var completed = await stored.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(("mta", 0.5), (completed.SendPath, completed.InboxRate));
        Assert.Equal(completed.RunId, (await _service.Services.GetRequiredService<PlacementResultStore>().GetLatestAsync())!.Run.Id);
    }

    [Fact]
    public async Task A_run_started_from_the_page_that_fails_is_announced_on_every_open_page()
    {
        Start(PlacementSettings());
        // The database refuses the run when it is stored: the run ends with an exception, not a result.
        await using (var db = await _service!.Services.GetRequiredService<IDbContextFactory<MonitorDbContext>>().CreateDbContextAsync())
        {
            await db.Database.ExecuteSqlRawAsync("CREATE TRIGGER refuse_runs BEFORE INSERT ON placement_runs BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;");
        }

        AsOperator();
        var pressing = _context.Render<PlacementPage>();
        var watching = _context.Render<PlacementPage>();
        watching.WaitForElement("[data-testid=run-placement]", TimeSpan.FromSeconds(30));

        pressing.WaitForElement("[data-testid=run-placement]", TimeSpan.FromSeconds(30)).Click();

        foreach (var page in new[] { pressing, watching })
        {
            page.WaitForAssertion(() => Assert.Matches("failed and was not stored: .*database or disk is full", page.Find("[data-testid=run-failed]").TextContent), TimeSpan.FromSeconds(60));
            Assert.Equal("Run now", page.Find("[data-testid=run-placement]").TextContent.Trim());
            Assert.False(page.Find("[data-testid=run-placement]").HasAttribute("disabled"));
            Assert.Empty(page.FindAll("[data-testid=run-in-progress]"));
        }
    }

    [Fact]
    public async Task A_page_opened_after_a_run_failed_says_so_until_a_run_is_stored()
    {
        Start(PlacementSettings());
        await using (var db = await _service!.Services.GetRequiredService<IDbContextFactory<MonitorDbContext>>().CreateDbContextAsync())
        {
            await db.Database.ExecuteSqlRawAsync("CREATE TRIGGER refuse_runs BEFORE INSERT ON placement_runs BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;");
        }

        var runs = _service.Services.GetRequiredService<PlacementRuns>();
        await Assert.ThrowsAnyAsync<DbUpdateException>(() => runs.TryRunAsync(null));
        AsViewer();
        var afterFailure = _context.Render<PlacementPage>();
        Assert.Contains("database or disk is full", afterFailure.WaitForElement("[data-testid=run-failed]", TimeSpan.FromSeconds(30)).TextContent, StringComparison.Ordinal);

        await using (var db = await _service.Services.GetRequiredService<IDbContextFactory<MonitorDbContext>>().CreateDbContextAsync())
        {
            await db.Database.ExecuteSqlRawAsync("DROP TRIGGER refuse_runs;");
        }

        Assert.NotNull(await runs.TryRunAsync(null));
        afterFailure.WaitForAssertion(() => Assert.Empty(afterFailure.FindAll("[data-testid=run-failed]")), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Unknown_send_path_is_refused_with_the_configured_ones_named()
    {
        Start(PlacementSettings());

        var (launch, error) = await _service!.Services.GetRequiredService<PlacementRunLauncher>().StartAsync("nope", "olga");

        Assert.Equal(PlacementLaunch.Refused, launch);
        Assert.Equal("'nope' is not a configured send path (Monitor:Placement:SendPaths and the dashboard's: mta).", error);
    }

    [Fact]
    public void Run_now_is_refused_on_the_server_to_a_viewer_even_when_the_button_is_pressed()
    {
        Start(PlacementSettings());
        _context.AddAuthorization().SetAuthorized("vera").SetRoles(MonitorRoles.Viewer).SetPolicies(AuthPolicies.Viewer, AuthPolicies.Operator);
        _context.Render<MudPopoverProvider>();
        var page = _context.Render<PlacementPage>();

        page.WaitForElement("[data-testid=run-placement]", TimeSpan.FromSeconds(30)).Click();

        var snackbar = _context.Services.GetRequiredService<ISnackbar>();
        page.WaitForAssertion(() => Assert.Contains("Only Operators and administrators can run a placement test.", snackbar.ShownSnackbars.Select(s => s.Message)), TimeSpan.FromSeconds(30));
        Assert.False(_service!.Services.GetRequiredService<PlacementRuns>().IsRunning);
    }

    private void Start(params (string, string?)[] settings)
    {
        _service = StartService(settings);
        _context.Services.AddFallbackServiceProvider(_service.Services);
    }

    private void AsViewer()
    {
        _context.AddAuthorization().SetAuthorized("vera").SetRoles(MonitorRoles.Viewer).SetPolicies(AuthPolicies.Viewer);
        _context.Render<MudPopoverProvider>();
    }

    private void AsOperator()
    {
        _context.AddAuthorization().SetAuthorized("olga").SetRoles(MonitorRoles.Operator).SetPolicies(AuthPolicies.Viewer, AuthPolicies.Operator);
        _context.Render<MudPopoverProvider>();
    }

    /// <summary>Two runs through the real store: all in the inbox at 06:00, then Yahoo's seed in spam at 12:00.</summary>
    private async Task<(Guid First, Guid Second)> StoreRunsAsync()
    {
        var store = _service!.Services.GetRequiredService<PlacementResultStore>();
        var first = Run(FirstRunAt, SeedPlacementStatus.Inbox, "INBOX");
        var second = Run(FirstRunAt.AddHours(6), SeedPlacementStatus.Spam, "Junk");
        await store.SaveAsync(first);
        await store.SaveAsync(second);
        return (first.Id, second.Id);
    }

    private static PlacementRunReport Run(DateTimeOffset at, SeedPlacementStatus yahoo, string yahooFolder) => new(Guid.NewGuid(), "mta", at, at.AddSeconds(50),
    [
        new SeedPlacement("Gmail", "alice@gmail.test", SeedPlacementStatus.Inbox, "INBOX", at, at.AddSeconds(3), new ReceiverAuthentication("pass", "pass", "pass"), [], null),
        new SeedPlacement("Yahoo", "bob@yahoo.test", yahoo, yahooFolder, at, at.AddSeconds(42), new ReceiverAuthentication("pass", "fail", "fail"), ["mx.yahoo.test; spf=pass; dkim=fail; dmarc=fail"], null),
    ]);

    private (string, string?)[] PlacementSettings() =>
    [
        ("Monitor:Placement:SendPaths:0:Name", "mta"),
        ("Monitor:Placement:SendPaths:0:Host", _smtp.Host),
        ("Monitor:Placement:SendPaths:0:Port", _smtp.Port.ToString(CultureInfo.InvariantCulture)),
        ("Monitor:Placement:SendPaths:0:Security", "none"),
        ("Monitor:Placement:Message:From", "Shop <news@shop.test>"),
        ("Monitor:Placement:Timeout", "00:00:30"),
        ("Monitor:Placement:PollInterval", "00:00:00.500"),
        .. Seed(0, "Gmail", "alice@gmail.test", "alice", "alice-pw"),
        .. Seed(1, "Yahoo", "bob@yahoo.test", "bob", "bob-pw"),
    ];

    private (string, string?)[] Seed(int i, string provider, string address, string user, string password) =>
    [
        ($"Monitor:Placement:Seeds:{i}:Provider", provider),
        ($"Monitor:Placement:Seeds:{i}:Address", address),
        ($"Monitor:Placement:Seeds:{i}:Imap:Host", _imap.Host),
        ($"Monitor:Placement:Seeds:{i}:Imap:Port", _imap.Port.ToString(CultureInfo.InvariantCulture)),
        ($"Monitor:Placement:Seeds:{i}:Imap:Security", "none"),
        ($"Monitor:Placement:Seeds:{i}:Imap:User", user),
        ($"Monitor:Placement:Seeds:{i}:Imap:Password", password),
    ];
}
