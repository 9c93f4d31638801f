using Bunit;
using Deliverability.Server.Auth;
using Deliverability.Server.Forecasts;
using MudBlazor;

namespace Deliverability.Server.Tests.Forecasts;

/// <summary>The Forecasts page of a service without any history.</summary>
public sealed class ForecastsEmptyPageTests : ServiceFixture
{
    [Fact]
    public async Task Without_history_the_page_says_how_to_import_it_and_that_the_plan_waits_for_a_forecast()
    {
        await using var service = StartService();
        await using var context = PageContext.Over(service.Services);
        context.AddAuthorization().SetAuthorized("vera").SetRoles(MonitorRoles.Viewer).SetPolicies(AuthPolicies.Viewer);
        context.Render<MudPopoverProvider>();

        var page = context.Render<ForecastsPage>();

        page.WaitForElement("[data-testid=no-history]", TimeSpan.FromSeconds(30));
        Assert.Contains("POST /api/forecasts/history/{stream}", page.Find("[data-testid=no-history]").TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.Find("[data-testid=no-plan]"));
        Assert.NotNull(page.Find("[data-testid=no-campaigns]"));
    }
}
