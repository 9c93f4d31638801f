using Deliverability.Server.Forecasts;

namespace Deliverability.Server.Tests.Forecasts;

public sealed class ForecastOptionsValidatorTests
{
    [Fact]
    public void The_defaults_are_valid_and_a_stream_without_mapping_uses_the_send_path_of_its_name()
    {
        var options = new ForecastOptions { Streams = { ["marketing"] = new ForecastStreamOptions { SendPath = "mta-bulk" } } };

        Assert.True(new ForecastOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal(("mta-bulk", "transactional"), (options.SendPathOf("marketing"), options.SendPathOf("transactional")));
        Assert.Equal((0.3, TimeSpan.FromDays(30)), (options.PlanSettings.SafetyMargin, options.PlanSettings.LoadTestMaxAge));
    }

    [Fact]
    public void Every_bad_value_is_reported_with_its_key()
    {
        var options = new ForecastOptions
        {
            Schedule = "nightly",
            Horizon = TimeSpan.FromMinutes(5),
            IntervalLevel = 1.5,
            SafetyMargin = -0.1,
            LoadTestMaxAgeDays = 0,
            PeakDays = [new PeakDayOptions { Name = "Sale" }],
            Streams = { ["Bad Name"] = new ForecastStreamOptions { SendPath = "mta" }, ["news"] = new ForecastStreamOptions() },
            MaxHistoryBytes = 10,
        };

        var failures = new ForecastOptionsValidator().Validate(null, options).Failures!.ToList();

        Assert.Equal(
            [
                "Monitor:Forecasts:Schedule", "Monitor:Forecasts:Horizon", "Monitor:Forecasts:IntervalLevel", "Monitor:Forecasts:SafetyMargin",
                "Monitor:Forecasts:LoadTestMaxAgeDays", "Monitor:Forecasts:PeakDays:0:Date", "Monitor:Forecasts:Streams:Bad Name",
                "Monitor:Forecasts:Streams:news:SendPath", "Monitor:Forecasts:MaxHistoryBytes",
            ],
            failures.Select(f => f.Split(": ", 2)[0]));
        Assert.Contains(failures, f => f.StartsWith("Monitor:Forecasts:SafetyMargin: a share from 0 to 10, e.g. 0.3 for 30 % (was -0.1)", StringComparison.Ordinal));
    }
}
