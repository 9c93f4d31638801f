using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Deliverability.Core.Alerts.Notifications;
using Deliverability.Server.Alerts;
using Deliverability.Server.Auth;
using Deliverability.Testing.Http;
using MudBlazor;

namespace Deliverability.Server.Tests.Alerts;

/// <summary>
/// bUnit tests of the receivers settings page over the real service (its catalogs and database):
/// problems next to the field, typed input kept, secrets never rendered back, configured items read-only.
/// </summary>
public sealed class ReceiversSettingsPageTests : ServiceFixture
{
    private const string UrlToken = "S3CR3TT0KEN";

    private TestHttpReceiver _receiver = null!;
    private MonitorApplication _service = null!;
    private BunitContext _context = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _receiver = await TestHttpReceiver.StartAsync();
        _service = StartService(
            ("Secrets:KeysFolder", Path.Combine(DataFolder, "keys")),
            ("Monitor:Alerts:Receivers:0:Name", "ops-webhook"),
            ("Monitor:Alerts:Receivers:0:Type", "webhook"),
            ("Monitor:Alerts:Receivers:0:Url", _receiver.Url("configured/C0NF1GT0KEN")),
            ("Monitor:Alerts:Route:Routes:0:Matchers:0", "severity=critical"),
            ("Monitor:Alerts:Route:Routes:0:Receivers:0", "team-hook"));
        _ = _service.Services; // starts the host: its start-up validation passed

        _context = PageContext.Over(_service.Services);
        _context.AddAuthorization().SetAuthorized("ada").SetRoles(MonitorRoles.Admin).SetPolicies(AuthPolicies.Viewer, AuthPolicies.Operator, AuthPolicies.Admin);
        _context.Render<MudPopoverProvider>();
    }

    public override async Task DisposeAsync()
    {
        await _context.DisposeAsync();
        await _service.DisposeAsync();
        await _receiver.DisposeAsync();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task Added_webhook_receiver_never_shows_its_url_and_gets_a_test_notification()
    {
        var page = _context.Render<ReceiversSettings>();
        var configured = page.WaitForElement("tr[data-receiver=ops-webhook]", TimeSpan.FromSeconds(30));
        Assert.Equal("configuration", configured.GetAttribute("data-origin"));
        Assert.Contains("every receiver", page.Find("[data-testid=routing-note]").TextContent, StringComparison.Ordinal);

        Type(page, "name", "team-hook");
        Type(page, "url", _receiver.Url($"services/T0/B0/{UrlToken}"));
        page.Find("[data-testid=save-receiver]").Click();

        var row = page.WaitForElement("tr[data-receiver=team-hook]", TimeSpan.FromSeconds(30));
        Assert.Equal("dashboard", row.GetAttribute("data-origin"));
        Assert.Contains("URL set", row.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(UrlToken, page.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("C0NF1GT0KEN", page.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain(_receiver.BaseAddress.Authority, page.Markup, StringComparison.Ordinal);

        row.QuerySelector("[data-testid=test-receiver]")!.Click();

        var request = Assert.Single(await _receiver.WaitForRequestsAsync(1, TimeSpan.FromSeconds(30)));
        Assert.Equal($"/services/T0/B0/{UrlToken}", request.Path);
        Assert.Contains("TestNotification", request.Body, StringComparison.Ordinal);
        page.WaitForAssertion(() => Assert.Equal("true", page.Find("[data-testid=test-outcome]").GetAttribute("data-delivered")), TimeSpan.FromSeconds(30));
        Assert.DoesNotContain(UrlToken, page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Route_naming_a_missing_receiver_is_flagged_until_it_is_added_and_then_it_cannot_be_removed()
    {
        var page = _context.Render<ReceiversSettings>();
        var warning = page.WaitForElement("[data-testid=unknown-route-receiver]", TimeSpan.FromSeconds(30));
        Assert.Contains("Monitor:Alerts:Route:Routes:0:Receivers:0 names 'team-hook'", warning.TextContent, StringComparison.Ordinal);

        Type(page, "name", "team-hook");
        Type(page, "url", _receiver.Url($"services/T0/B0/{UrlToken}"));
        page.Find("[data-testid=save-receiver]").Click();
        var row = page.WaitForElement("tr[data-receiver=team-hook]", TimeSpan.FromSeconds(30));
        Assert.Empty(page.FindAll("[data-testid=unknown-route-receiver]"));

        row.QuerySelector("[data-testid=remove-receiver]")!.Click();

        Assert.Contains("team-hook", _service.Services.GetRequiredService<AlertReceiverCatalog>().Receivers.Select(r => r.Name));
        Assert.Single(page.FindAll("tr[data-receiver=team-hook]"));
    }

    [Fact]
    public void Bad_receiver_shows_the_problem_next_to_the_field_without_quoting_the_url()
    {
        var page = _context.Render<ReceiversSettings>();
        page.WaitForElement("tr[data-receiver=ops-webhook]", TimeSpan.FromSeconds(30));

        Type(page, "name", "ops-webhook");
        Type(page, "url", $"ftp://hooks.example.test/{UrlToken}");
        page.Find("[data-testid=save-receiver]").Click();

        page.WaitForAssertion(() => Assert.Contains("Is not an absolute http:// or https:// URL (the value is not shown", page.Find("div[data-field=url]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Assert.DoesNotContain(UrlToken, page.Find("div[data-field=url]").TextContent, StringComparison.Ordinal);
        Assert.Contains("'ops-webhook' is already the name of a receiver (configuration, Monitor:Alerts:Receivers).", page.Find("div[data-field=name]").TextContent, StringComparison.Ordinal);
        Assert.Equal("ops-webhook", page.Find("div[data-field=name] input").GetAttribute("value"));
        Assert.Single(page.FindAll("tr[data-receiver]"));
    }

    private static void Type(IRenderedComponent<ReceiversSettings> page, string field, string value) => page.Find($"div[data-field={field}] input").Change(value);
}
