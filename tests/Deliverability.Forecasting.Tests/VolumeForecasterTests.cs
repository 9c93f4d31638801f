namespace Deliverability.Forecasting.Tests;

public sealed class VolumeForecasterTests
{
    private static readonly DateTimeOffset Start = new(2025, 1, 6, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Perturbing_the_values_after_an_origin_leaves_its_forecast_unchanged()
    {
        var history = RetailData.Hourly().Aggregate(SeriesFrequency.Daily);
        var origin = (int)(RetailData.FirstOrigin - history.Points[0].Timestamp).TotalDays;
        var perturbed = VolumeSeries.Create("orders", history.Points.Select((p, i) => i >= origin ? p with { Count = (p.Count * 3) + 17 } : p));

        var original = new OriginForecaster(history, 7, new PeakDayIndex([])).Forecast(origin, fitModel: true, CancellationToken.None);
        var changed = new OriginForecaster(perturbed, 7, new PeakDayIndex([])).Forecast(origin, fitModel: true, CancellationToken.None);

        Assert.Equal(original.Model, changed.Model);
        Assert.Equal(original.SeasonalNaive, changed.SeasonalNaive);
        Assert.NotEqual(history.Points[origin].Count, perturbed.Points[origin].Count);
    }

    [Fact]
    public void A_backtest_does_not_read_values_after_its_last_horizon()
    {
        var history = RetailData.Hourly().Aggregate(SeriesFrequency.Daily);
        var request = new BacktestRequest { Horizon = TimeSpan.FromDays(7), FirstOrigin = RetailData.FirstOrigin, LastOrigin = RetailData.FirstOrigin.AddDays(6) };
        var end = (int)(RetailData.FirstOrigin.AddDays(6 + 7) - history.Points[0].Timestamp).TotalDays;
        var perturbed = VolumeSeries.Create("orders", history.Points.Select((p, i) => i >= end ? p with { Count = p.Count * 5 } : p));

        var original = new VolumeForecaster().Backtest(history, request);
        var changed = new VolumeForecaster().Backtest(perturbed, request);

        Assert.Equal(original, changed);
    }

    [Fact]
    public void The_same_history_gives_the_same_forecast()
    {
        var history = RetailData.Hourly().Aggregate(SeriesFrequency.Daily);
        var request = new ForecastRequest { Horizon = TimeSpan.FromDays(14) };

        var first = new VolumeForecaster().Forecast(history, request);
        var second = new VolumeForecaster().Forecast(history, request);

        Assert.Equal(first.Points, second.Points);
        Assert.Equal(first.Backtest, second.Backtest);
        Assert.Equal(first.ModelVersion, second.ModelVersion);
    }

    [Fact]
    public void An_hourly_forecast_of_the_retailer_uses_the_model_with_intervals_around_each_point()
    {
        var history = RetailData.Hourly();

        var forecast = new VolumeForecaster().Forecast(history, new ForecastRequest { Horizon = TimeSpan.FromDays(1), IntervalLevel = 0.8 });

        Assert.Equal("lightgbm", forecast.Model);
        Assert.Null(forecast.FallbackReason);
        Assert.Equal(24, forecast.Points.Count);
        Assert.Equal(history.Points[^1].Timestamp.AddHours(1), forecast.Points[0].Timestamp);
        Assert.Equal(forecast.HistoryEnd, forecast.Points[0].Timestamp);
        Assert.All(forecast.Points, p => Assert.True(p.Lower <= p.Predicted && p.Predicted <= p.Upper && p.Lower >= 0));
        Assert.True(forecast.Backtest.Wape <= forecast.Backtest.SeasonalNaiveWape);
        Assert.Equal(ForecastLimits.SelectionOrigins, forecast.Backtest.Origins);
        Assert.Equal(0.8, forecast.IntervalLevel);
        Assert.StartsWith("lightgbm/v1/hourly/s168/h24/", forecast.ModelVersion, StringComparison.Ordinal);
    }

    [Fact]
    public void The_chosen_model_never_scores_worse_than_seasonal_naive_and_a_fallback_says_why()
    {
        var history = RetailData.Hourly().Aggregate(SeriesFrequency.Daily);

        var forecast = new VolumeForecaster().Forecast(history, new ForecastRequest { Horizon = TimeSpan.FromDays(14) });

        Assert.True(forecast.Backtest.Wape <= forecast.Backtest.SeasonalNaiveWape);
        Assert.Equal(forecast.Model == "seasonal-naive", forecast.FallbackReason is not null);
        Assert.Equal(forecast.Model, forecast.Backtest.Model);
        Assert.Equal(14, forecast.Points.Count);
    }

    [Fact]
    public void A_planned_campaign_adds_its_volume_on_its_date_only_for_its_stream()
    {
        var history = RetailData.Hourly().Aggregate(SeriesFrequency.Daily);
        var day = DateOnly.FromDateTime(history.End.UtcDateTime).AddDays(2);
        var plain = new VolumeForecaster().Forecast(history, new ForecastRequest { Horizon = TimeSpan.FromDays(7) });

        var planned = new VolumeForecaster().Forecast(history, new ForecastRequest
        {
            Horizon = TimeSpan.FromDays(7),
            Campaigns = [new PlannedCampaign(day, "orders", 500), new PlannedCampaign(day, "marketing", 9000), new PlannedCampaign(day.AddDays(30), "orders", 700)],
        });

        for (var k = 0; k < 7; k++)
        {
            var extra = k == 2 ? 500 : 0;
            Assert.Equal(plain.Points[k].Predicted + extra, planned.Points[k].Predicted, 6);
            Assert.Equal(plain.Points[k].Upper + extra, planned.Points[k].Upper, 6);
        }
    }

    [Fact]
    public void An_hourly_campaign_follows_the_forecast_shape_of_its_day()
    {
        var history = RetailData.Hourly();
        var day = DateOnly.FromDateTime(history.End.UtcDateTime).AddDays(1);

        var forecast = new VolumeForecaster().Forecast(history, new ForecastRequest
        {
            Horizon = TimeSpan.FromDays(2),
            Campaigns = [new PlannedCampaign(day, "orders", 240)],
        });

        var plain = new VolumeForecaster().Forecast(history, new ForecastRequest { Horizon = TimeSpan.FromDays(2) });
        var added = forecast.Points.Zip(plain.Points, (a, b) => a.Predicted - b.Predicted).ToList();
        Assert.Equal(240, added.Sum(), 6);
        Assert.All(added.Take(24), a => Assert.Equal(0, a, 6));
    }

    [Fact]
    public void A_weekly_history_is_forecast_against_last_week()
    {
        var history = VolumeSeries.Create("newsletter", Enumerable.Range(0, 80).Select(w => new VolumePoint(Start.AddDays(7 * w), 10_000 + (100 * w) + (w % 3 * 500))));

        var forecast = new VolumeForecaster().Forecast(history, new ForecastRequest { Horizon = TimeSpan.FromDays(28) });

        Assert.Equal(SeriesFrequency.Weekly, forecast.Frequency);
        Assert.Equal(4, forecast.Points.Count);
        Assert.Equal(Start.AddDays(7 * 80), forecast.Points[0].Timestamp);
        Assert.Contains("/weekly/s1/h4/", forecast.ModelVersion, StringComparison.Ordinal);
        Assert.True(forecast.Backtest.Wape <= forecast.Backtest.SeasonalNaiveWape);
    }

    [Fact]
    public void A_horizon_beyond_the_limit_is_refused()
    {
        var history = RetailData.Hourly();

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new VolumeForecaster().Forecast(history, new ForecastRequest { Horizon = TimeSpan.FromDays(60) }));

        Assert.Contains("at most 31 days", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void An_interval_level_outside_zero_to_one_is_refused(double level)
    {
        var history = RetailData.Hourly().Aggregate(SeriesFrequency.Daily);

        Assert.Throws<ArgumentOutOfRangeException>(() => new VolumeForecaster().Forecast(history, new ForecastRequest { Horizon = TimeSpan.FromDays(7), IntervalLevel = level }));
    }

    [Fact]
    public void A_history_too_short_for_a_backtest_is_refused_with_what_it_needs()
    {
        var history = VolumeSeries.Create("transactional", Enumerable.Range(0, 40).Select(d => new VolumePoint(Start.AddDays(d), 100 + d)));

        var error = Assert.Throws<VolumeHistoryException>(() => new VolumeForecaster().Forecast(history, new ForecastRequest { Horizon = TimeSpan.FromDays(7) }));

        Assert.StartsWith("the history is too short", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_backtest_origin_too_early_or_beyond_the_history_is_refused()
    {
        var history = RetailData.Hourly().Aggregate(SeriesFrequency.Daily);

        Assert.Throws<VolumeHistoryException>(() => new VolumeForecaster().Backtest(history, new BacktestRequest { Horizon = TimeSpan.FromDays(7), FirstOrigin = history.Points[5].Timestamp }));
        Assert.Throws<VolumeHistoryException>(() => new VolumeForecaster().Backtest(history, new BacktestRequest { Horizon = TimeSpan.FromDays(7), LastOrigin = history.End }));
    }
}
