using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Deliverability.Core.Forecasts;
using Deliverability.Server.Auth;
using Deliverability.Server.Forecasts;
using MudBlazor;

namespace Deliverability.Server.Tests.Forecasts;

/// <summary>The Forecasts page of a service without history, and of a stream whose only forecast failed.</summary>
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

    [Fact]
    public async Task A_stream_whose_forecast_failed_shows_the_reason()
    {
        await using var service = StartService();
        var store = service.Services.GetRequiredService<ForecastStore>();
        await store.ImportHistoryAsync("orders", ForecastSamples.HourlyPoints(ForecastSamples.ThisHour, 48), replace: false);
        await store.AddRunAsync(new ForecastRunRow
        {
            Id = Guid.NewGuid(), Stream = "orders", CreatedAt = DateTimeOffset.UtcNow, Trigger = "schedule", StartedBy = "scheduler",
            Status = ForecastRunStatus.Failed, Error = "history: the history is too short",
        });
        await using var context = PageContext.Over(service.Services);
        context.AddAuthorization().SetAuthorized("vera").SetRoles(MonitorRoles.Viewer).SetPolicies(AuthPolicies.Viewer);
        context.Render<MudPopoverProvider>();

        var page = context.Render<ForecastsPage>();

        page.WaitForElement("[data-testid=latest-failed]", TimeSpan.FromSeconds(30));
        Assert.Contains("failed: history: the history is too short", page.Find("[data-testid=latest-failed]").TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.Find("[data-testid=no-forecast]"));
    }
}
