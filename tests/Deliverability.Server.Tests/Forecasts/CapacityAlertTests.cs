using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Deliverability.Contracts.Alerts;
using Deliverability.Core.Alerts;
using Deliverability.Core.Forecasts;
using Deliverability.Core.LoadTests;
using Deliverability.Server.Forecasts;
using Deliverability.Server.Tests.LoadTests;

namespace Deliverability.Server.Tests.Forecasts;

/// <summary>The <c>CapacityNotReady</c> alert rule fed by the capacity plan, through the real alert engine.</summary>
public sealed class CapacityAlertTests : ServiceFixture
{
    [Fact]
    public async Task A_send_path_under_the_forecast_peak_and_one_with_a_stale_load_test_raise_alerts_and_a_ready_one_does_not()
    {
        await using var app = StartService(
            ("Monitor:Alerts:EvaluationInterval", "00:00:01"),
            ("Monitor:Forecasts:LoadTestMaxAgeDays", "10"),
            ("Monitor:Forecasts:Streams:orders:SendPath", "mta"),
            ("Monitor:Forecasts:Streams:receipts:SendPath", "api"),
            ("Monitor:Forecasts:Streams:news:SendPath", "bulk"));
        var forecasts = app.Services.GetRequiredService<ForecastStore>();
        var loadTests = app.Services.GetRequiredService<LoadTestRunStore>();
        var end = ForecastSamples.ThisHour;
        // Each stream's busiest hour: 720,000 messages, 200/s; 260/s with the margin.
        foreach (var stream in new[] { "orders", "receipts", "news" })
        {
            await forecasts.AddRunAsync(ForecastSamples.Forecast(stream, end, 24, 720_000));
        }

        await loadTests.AddAsync(LoadTestSamples.Run("smtp-capacity", "mta", DateTimeOffset.UtcNow.AddDays(-1), knee: 150, held: true));
        await loadTests.AddAsync(LoadTestSamples.Run("http-capacity", "api", DateTimeOffset.UtcNow.AddDays(-1), knee: 400, held: true));
        await loadTests.AddAsync(LoadTestSamples.Run("bulk-capacity", "bulk", DateTimeOffset.UtcNow.AddDays(-11), knee: 400, held: true));

        var signals = (await app.Services.GetServices<IAlertSignalSource>().OfType<CapacityAlertSignals>().Single().GetSignalsAsync(CancellationToken.None))
            .Cast<CapacitySignal>().Where(s => s.Period == "Forecast").OrderBy(s => s.SendPath, StringComparer.Ordinal).ToList();
        Assert.Equal([("bulk", CapacityProblem.StaleLoadTest), ("mta", CapacityProblem.OverCapacity)], signals.Select(s => (s.SendPath, s.Problem)));

        var client = app.CreateClientAs("Viewer");
        AlertDto[] alerts = [];
        for (var attempt = 0; attempt < 60 && alerts.Count(a => a.Labels.GetValueOrDefault("peak") == "Forecast") < 2; attempt++)
        {
            await Task.Delay(500);
            alerts = (await client.GetFromJsonAsync<AlertDto[]>("/api/alerts"))!.Where(a => a.AlertName == "CapacityNotReady").ToArray();
        }

        var mta = Assert.Single(alerts, a => a.Labels["send_path"] == "mta" && a.Labels["peak"] == "Forecast");
        Assert.Equal(("firing", "warning"), (mta.State, mta.Severity));
        Assert.Equal("Send path mta cannot carry the forecast peak", mta.Annotations["summary"]);
        Assert.Contains("needs 260/s", mta.Annotations["description"], StringComparison.Ordinal);
        var bulk = Assert.Single(alerts, a => a.Labels["send_path"] == "bulk" && a.Labels["peak"] == "Forecast");
        Assert.Equal("The load test of send path bulk is too old for the forecast peak", bulk.Annotations["summary"]);
        Assert.DoesNotContain(alerts, a => a.Labels["send_path"] == "api");
    }
}
