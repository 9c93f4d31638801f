using AngleSharp.Dom;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Deliverability.Core.Dns;
using Deliverability.Core.Monitoring;
using Deliverability.Server.Auth;
using Deliverability.Server.Domains;
using MudBlazor;

namespace Deliverability.Server.Tests.Domains;

/// <summary>bUnit tests of Settings → Domains over the real service's catalog: editing a domain added from the dashboard.</summary>
public sealed class DomainsSettingsPageTests : ServiceFixture
{
    private MonitorApplication _service = null!;
    private BunitContext _context = null!;

    private MonitoredDomainCatalog Catalog => _service.Services.GetRequiredService<MonitoredDomainCatalog>();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _service = StartService([.. Domains("configured.example.test")]);
        Assert.True(await Catalog.AddAsync(new MonitoredDomain { Name = "shop.example.test", DkimSelectors = ["s1"], SendingIps = ["192.0.2.1"] }, "admin", CancellationToken.None));

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
    public async Task Editing_a_dashboard_domain_shows_a_bad_ip_next_to_its_field_and_saves_nothing_until_it_is_fixed()
    {
        var page = _context.Render<DomainsSettings>();
        page.WaitForElement("tr[data-domain='shop.example.test'] [data-testid=edit-domain]", TimeSpan.FromSeconds(30)).Click();

        Assert.Equal("192.0.2.1", Field(page, "ips").GetAttribute("value"));
        Field(page, "ips").Change("192.0.2.1, 300.1.1.1");
        page.Find("[data-testid=save-domain]").Click();

        page.WaitForAssertion(() => Assert.Contains("'300.1.1.1' is not an IP address.", Control(page, "ips").TextContent, StringComparison.Ordinal));
        Assert.Equal(["192.0.2.1"], (await Catalog.FindAsync(DomainName.Parse("shop.example.test"), CancellationToken.None))!.Domain.SendingIps);

        Field(page, "ips").Change("192.0.2.1, 192.0.2.2");
        Field(page, "selectors").Change("s1 s2");
        Field(page, "return-path").Change("bounce.shop.example.test");
        page.Find("[data-testid=save-domain]").Click();

        page.WaitForAssertion(() => Assert.Contains("192.0.2.2", page.Find("tr[data-domain='shop.example.test']").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        var saved = (await Catalog.FindAsync(DomainName.Parse("shop.example.test"), CancellationToken.None))!;
        Assert.Equal((DomainOrigin.Dashboard, "s1 s2", "192.0.2.1 192.0.2.2", "bounce.shop.example.test"),
            (saved.Origin, string.Join(' ', saved.Domain.DkimSelectors), string.Join(' ', saved.Domain.SendingIps), saved.Domain.ReturnPathDomain));
        Assert.Empty(page.FindAll("[data-testid=save-domain]")); // back to the "add" form
    }

    [Fact]
    public async Task Adding_a_domain_written_in_unicode_stores_and_lists_its_a_label()
    {
        var page = _context.Render<DomainsSettings>();
        page.WaitForElement("[data-testid=add-domain]", TimeSpan.FromSeconds(30));

        Field(page, "name").Change("Bücher.Example.Test");
        page.Find("[data-testid=add-domain]").Click();

        var name = DomainName.Parse("xn--bcher-kva.example.test");
        await WaitUntilAsync(async () => await Catalog.FindAsync(name, CancellationToken.None) is not null);
        var added = (await Catalog.FindAsync(name, CancellationToken.None))!;
        Assert.Equal(("xn--bcher-kva.example.test", "bücher.example.test", DomainOrigin.Dashboard), (added.Domain.Name, added.Name.Unicode, added.Origin));
    }

    [Fact]
    public void Configured_domain_has_no_edit_button_and_says_where_it_is_edited()
    {
        var page = _context.Render<DomainsSettings>();

        var row = page.WaitForElement("tr[data-domain='configured.example.test']", TimeSpan.FromSeconds(30));

        Assert.Null(row.QuerySelector("[data-testid=edit-domain]"));
        Assert.Contains("Edited in appsettings (Monitor:Domains)", row.TextContent, StringComparison.Ordinal);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the domain was not added within 30 s");
            await Task.Delay(50);
        }
    }

    /// <summary>The input of the field marked <c>data-field</c> (MudBlazor puts the attribute on the input).</summary>
    private static IElement Field(IRenderedComponent<DomainsSettings> page, string field)
    {
        var marked = page.Find($"[data-field='{field}']");
        return marked.TagName == "INPUT" ? marked : marked.QuerySelector("input")!;
    }

    /// <summary>The whole control of a field: its input, label and the validation message under it.</summary>
    private static IElement Control(IRenderedComponent<DomainsSettings> page, string field) => Field(page, field).Closest(".mud-input-control")!;
}
