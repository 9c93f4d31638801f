using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Deliverability.Core.Placement;
using Deliverability.Server.Auth;
using Deliverability.Server.Placement;
using MudBlazor;

namespace Deliverability.Server.Tests.Placement;

/// <summary>
/// bUnit tests of the seeds and send paths settings page over the real service (its catalogs and database):
/// problems next to the field, typed input kept, secrets never rendered back, configured items read-only.
/// </summary>
public sealed class PlacementSettingsPageTests : ServiceFixture
{
    private const string ImapPassword = "Imap-Pa55-w0rd-typed";

    private MonitorApplication _service = null!;
    private BunitContext _context = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _service = StartService(
            ("Secrets:KeysFolder", Path.Combine(DataFolder, "keys")),
            ("Monitor:Placement:Seeds:0:Provider", "Gmail"),
            ("Monitor:Placement:Seeds:0:Address", "alice@gmail.test"),
            ("Monitor:Placement:Seeds:0:Imap:Host", "127.0.0.1"),
            ("Monitor:Placement:Seeds:0:Imap:User", "alice"),
            ("Monitor:Placement:Seeds:0:Imap:Password", "configured-pw"),
            ("Monitor:Placement:SendPaths:0:Name", "mta"),
            ("Monitor:Placement:SendPaths:0:Host", "127.0.0.1"),
            ("Monitor:Placement:Message:From", "news@shop.test"));
        _ = _service.Services; // starts the host: its start-up validation passed

        _context = PageContext.Over(_service.Services);
        _context.AddAuthorization().SetAuthorized("ada").SetRoles(MonitorRoles.Admin).SetPolicies(AuthPolicies.Viewer, AuthPolicies.Operator, AuthPolicies.Admin);
        _context.Render<MudPopoverProvider>();
    }

    public override async Task DisposeAsync()
    {
        await _context.DisposeAsync();
        await _service.DisposeAsync();
        await base.DisposeAsync();
    }

    [Fact]
    public void Configured_seed_is_shown_read_only_and_marked_configuration()
    {
        var page = _context.Render<PlacementSettings>();

        var row = page.WaitForElement("tr[data-seed='alice@gmail.test']", TimeSpan.FromSeconds(30));
        Assert.Equal("configuration", row.GetAttribute("data-origin"));
        Assert.Contains("configuration (Monitor:Placement:Seeds)", row.TextContent, StringComparison.Ordinal);
        Assert.Empty(row.QuerySelectorAll("[data-testid=edit-seed], [data-testid=remove-seed]"));
        Assert.DoesNotContain("configured-pw", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_seed_shows_each_problem_next_to_its_field_keeps_the_input_and_stores_nothing()
    {
        var page = _context.Render<PlacementSettings>();
        page.WaitForElement("tr[data-seed='alice@gmail.test']", TimeSpan.FromSeconds(30));

        Type(page, "provider", "Yahoo");
        Type(page, "address", "not-an-address");
        Type(page, "imap-host", "bad host!");
        page.Find("[data-testid=save-seed]").Click();

        page.WaitForAssertion(() => Assert.Contains("'not-an-address' is not an email address.", page.Find("div[data-field=address]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Assert.Contains("'bad host!' is not a host name or IP address.", page.Find("div[data-field=imap-host]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Is required.", page.Find("div[data-field=imap-password]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("is not", page.Find("div[data-field=provider]").TextContent, StringComparison.Ordinal);
        Assert.Equal("not-an-address", page.Find("div[data-field=address] input").GetAttribute("value"));
        Assert.Equal("Yahoo", page.Find("div[data-field=provider] input").GetAttribute("value"));
        Assert.Single(await _service.Services.GetRequiredService<PlacementCatalog>().GetSeedsAsync(default));
    }

    [Fact]
    public async Task Added_seed_shows_its_password_as_set_and_never_renders_it_back()
    {
        var page = _context.Render<PlacementSettings>();
        page.WaitForElement("tr[data-seed='alice@gmail.test']", TimeSpan.FromSeconds(30));

        Type(page, "provider", "Yahoo");
        Type(page, "address", "bob@yahoo.test");
        Type(page, "imap-host", "127.0.0.1");
        Type(page, "imap-user", "bob");
        Type(page, "imap-password", ImapPassword);
        page.Find("[data-testid=save-seed]").Click();

        var row = page.WaitForElement("tr[data-seed='bob@yahoo.test']", TimeSpan.FromSeconds(30));
        Assert.Equal("dashboard", row.GetAttribute("data-origin"));
        Assert.Contains("set", row.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(ImapPassword, page.Markup, StringComparison.Ordinal);

        row.QuerySelector("[data-testid=edit-seed]")!.Click();
        page.WaitForAssertion(() => Assert.Contains("Set: leave empty to keep it", page.Find("div[data-field=imap-password]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Assert.Equal("bob", page.Find("div[data-field=imap-user] input").GetAttribute("value"));
        Assert.DoesNotContain(ImapPassword, page.Markup, StringComparison.Ordinal);

        // Saved again with the password field left empty: the stored password is kept.
        Type(page, "provider", "Yahoo Mail");
        page.Find("[data-testid=save-seed]").Click();
        page.WaitForAssertion(() => Assert.Contains("Yahoo Mail", page.Find("tr[data-seed='bob@yahoo.test']").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        var run = await _service.Services.GetRequiredService<PlacementCatalog>().GetRunOptionsAsync(default);
        Assert.Equal(ImapPassword, run.Seeds.Single(s => s.Address == "bob@yahoo.test").Imap.Password);
    }

    [Fact]
    public void Bad_send_path_shows_the_password_rule_next_to_the_password()
    {
        var page = _context.Render<PlacementSettings>();
        page.WaitForElement("tr[data-send-path=mta]", TimeSpan.FromSeconds(30));

        Type(page, "path-name", "relay");
        Type(page, "path-host", "smtp.shop.test");
        Type(page, "path-user", "mailer");
        page.Find("[data-testid=save-send-path]").Click();

        page.WaitForAssertion(() => Assert.Contains("Is required when User is set.", page.Find("div[data-field=path-password]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Assert.Empty(page.FindAll("tr[data-send-path=relay]"));
    }

    private static void Type(IRenderedComponent<PlacementSettings> page, string field, string value) => page.Find($"div[data-field={field}] input").Change(value);
}
