using Microsoft.Extensions.DependencyInjection;
using Deliverability.Core.Forecasts;
using Deliverability.Core.Live;
using Deliverability.Server.Forecasts;
using Quartz;

namespace Deliverability.Server.Tests.Forecasts;

/// <summary>The scheduled forecast, fired through the service's real Quartz scheduler.</summary>
public sealed class ForecastJobTests : ServiceFixture
{
    [Fact]
    public async Task The_job_forecasts_every_stream_with_history_one_after_another()
    {
        await using var app = StartService(("Monitor:Forecasts:Horizon", "1.00:00:00"), ("Monitor:Forecasts:Schedule", "0 30 3 * * ?"));
        var store = app.Services.GetRequiredService<ForecastStore>();
        var end = ForecastSamples.ThisHour;
        await store.ImportHistoryAsync("orders", ForecastSamples.HourlyPoints(end, 24 * 50), replace: false);
        await store.ImportHistoryAsync("receipts", ForecastSamples.HourlyPoints(end, 24 * 50, scale: 40), replace: false);
        var done = new List<ForecastCompleted>();
        var both = new TaskCompletionSource();
        using var subscription = app.Services.GetRequiredService<LiveFeed<ForecastCompleted>>().Subscribe(completed =>
        {
            lock (done)
            {
                done.Add(completed);
                if (done.Count == 2)
                {
                    both.TrySetResult();
                }
            }

            return Task.CompletedTask;
        });
        var scheduler = await app.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();

        // The configured schedule is the job's trigger.
        var trigger = Assert.IsAssignableFrom<ICronTrigger>(await scheduler.GetTrigger(new TriggerKey("forecast-schedule", "monitor")));
        Assert.Equal("0 30 3 * * ?", trigger.CronExpressionString);
        await scheduler.TriggerJob(ForecastJob.Key);
        await both.Task.WaitAsync(TimeSpan.FromMinutes(3));

        Assert.Equal(["orders", "receipts"], done.Select(d => d.Stream));
        foreach (var stream in new[] { "orders", "receipts" })
        {
            var run = Assert.Single(await store.ListRunsAsync(stream, 10));
            Assert.Equal((ForecastRunStatus.Completed, "schedule", "scheduler", end, 24), (run.Status, run.Trigger, run.StartedBy, run.HistoryEnd, StoredForecast.Points((await store.GetRunAsync(run.Id))!).Count));
        }
    }
}
