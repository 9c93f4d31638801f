namespace Deliverability.Forecasting.Tests;

/// <summary>
/// The targets on the online retailer's orders: rolling origin, one origin a day from 2011-10-03 to 2011-12-02,
/// both models on the same origins. The slowest test of the project (two full backtests, about half a minute).
/// </summary>
public sealed class RetailTargetTests
{
    [Fact]
    public void Full_backtest_on_online_retail_beats_seasonal_naive_daily_and_hourly_with_calibrated_intervals()
    {
        var hourly = RetailData.Hourly();
        var forecaster = new VolumeForecaster();

        var daily = forecaster.Backtest(hourly.Aggregate(SeriesFrequency.Daily), Protocol(TimeSpan.FromDays(7)));
        var perHour = forecaster.Backtest(hourly, Protocol(TimeSpan.FromHours(24)));

        Assert.Equal(61, daily.Origins);
        Assert.Equal(0.154, daily.SeasonalNaiveWape, 3);
        Assert.True(daily.Wape < daily.SeasonalNaiveWape, $"daily WAPE {daily.Wape:P2} against seasonal naive's {daily.SeasonalNaiveWape:P2}");
        Assert.InRange(daily.Coverage, 0.85, 0.95);

        Assert.Equal(61, perHour.Origins);
        Assert.Equal(0.397, perHour.SeasonalNaiveWape, 3);
        Assert.True(perHour.Wape < perHour.SeasonalNaiveWape, $"hourly WAPE {perHour.Wape:P2} against seasonal naive's {perHour.SeasonalNaiveWape:P2}");
        Assert.InRange(perHour.Coverage, 0.85, 0.95);
    }

    private static BacktestRequest Protocol(TimeSpan horizon) => new()
    {
        Horizon = horizon,
        FirstOrigin = RetailData.FirstOrigin,
        LastOrigin = RetailData.LastOrigin,
        IntervalLevel = 0.9,
    };
}
