using AngleSharp.Dom;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Deliverability.Core.Alerts;
using Deliverability.Server.Alerts;
using Deliverability.Server.Auth;
using MudBlazor;

namespace Deliverability.Server.Tests.Alerts;

/// <summary>bUnit tests of Settings → Alert rules over the real service (its rules in force and their table).</summary>
public sealed class AlertRulesSettingsPageTests : ServiceFixture
{
    private MonitorApplication _service = null!;
    private BunitContext _context = null!;

    private EffectiveAlertRules Rules => _service.Services.GetRequiredService<EffectiveAlertRules>();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _service = StartService(("Monitor:Alerts:Rules:InboxRate:Threshold", "0.7"), ("Monitor:Alerts:EvaluationInterval", "00:10:00"));
        _ = _service.Services; // starts the host (the schema is made at start)

        _context = PageContext.Over(_service.Services);
        _context.AddAuthorization().SetAuthorized("ada").SetRoles(MonitorRoles.Admin).SetPolicies(AuthPolicies.Viewer, AuthPolicies.Operator, AuthPolicies.Admin);
        _context.Render<MudPopoverProvider>();
        await Task.CompletedTask;
    }

    public override async Task DisposeAsync()
    {
        await _context.DisposeAsync();
        await _service.DisposeAsync();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task A_bad_threshold_is_shown_next_to_its_field_and_a_good_one_is_saved_marked_as_changed_and_reset()
    {
        var page = _context.Render<AlertRulesSettings>();
        var threshold = () => Field(page, "InboxRate:Threshold");
        page.WaitForAssertion(() => Assert.Equal("0.7", threshold().GetAttribute("value")), TimeSpan.FromSeconds(30));
        Assert.Equal("configuration", Origin(page, "InboxRate:Threshold"));

        threshold().Change("1.5");
        page.Find("[data-testid='save-InboxRate']").Click();

        page.WaitForAssertion(() => Assert.Contains("must be a share above 0 and at most 1, e.g. 0.8 for 80 % (was 1.5)", Control(page, "InboxRate:Threshold").TextContent, StringComparison.Ordinal));
        Assert.DoesNotContain("must be", Control(page, "InboxRate:MinMessages").TextContent, StringComparison.Ordinal);
        Assert.Empty((await Rules.GetAsync()).Overrides);

        threshold().Change("0.9");
        page.Find("[data-testid='save-InboxRate']").Click();

        page.WaitForAssertion(() => Assert.Equal("dashboard", Origin(page, "InboxRate:Threshold")), TimeSpan.FromSeconds(30));
        Assert.Contains("changed in the dashboard by ada", page.Find("[data-setting='InboxRate:Threshold']").TextContent, StringComparison.Ordinal);
        Assert.Contains("configuration: 0.7", page.Find("[data-setting='InboxRate:Threshold']").TextContent, StringComparison.Ordinal);
        Assert.Equal("configuration", Origin(page, "InboxRate:MinMessages"));
        Assert.Equal(0.9, (await Rules.GetAsync()).Rules.InboxRate.Threshold);

        page.Find("[data-testid='reset-InboxRate']").Click();

        page.WaitForAssertion(() => Assert.Equal("configuration", Origin(page, "InboxRate:Threshold")), TimeSpan.FromSeconds(30));
        Assert.Equal("0.7", threshold().GetAttribute("value"));
        Assert.Equal(0.7, (await Rules.GetAsync()).Rules.InboxRate.Threshold);
    }

    private static string Origin(IRenderedComponent<AlertRulesSettings> page, string key) =>
        page.Find($"[data-setting='{key}'] [data-origin]").GetAttribute("data-origin")!;

    private static IElement Field(IRenderedComponent<AlertRulesSettings> page, string key)
    {
        var marked = page.Find($"[data-setting='{key}'] [data-field]");
        return marked.TagName == "INPUT" ? marked : marked.QuerySelector("input")!;
    }

    private static IElement Control(IRenderedComponent<AlertRulesSettings> page, string key) => Field(page, key).Closest(".mud-input-control")!;
}
