namespace Deliverability.Forecasting;

/// <summary>Gradient-boosted regression on calendar, peak-day, lag and campaign features, chosen against seasonal naive by backtest.</summary>
public sealed class VolumeForecaster : IVolumeForecaster
{
    private readonly TimeProvider _time;

    public VolumeForecaster(TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
    }

    public VolumeForecast Forecast(VolumeSeries history, ForecastRequest request, CancellationToken cancellationToken = default)
        => throw new NotImplementedException();

    public BacktestScore Backtest(VolumeSeries history, BacktestRequest request, CancellationToken cancellationToken = default)
        => throw new NotImplementedException();
}
