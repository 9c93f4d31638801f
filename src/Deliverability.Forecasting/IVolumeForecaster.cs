namespace Deliverability.Forecasting;

/// <summary>Forecasts a stream's volume and scores the forecaster by rolling-origin backtest.</summary>
public interface IVolumeForecaster
{
    VolumeForecast Forecast(VolumeSeries history, ForecastRequest request, CancellationToken cancellationToken = default);

    BacktestScore Backtest(VolumeSeries history, BacktestRequest request, CancellationToken cancellationToken = default);
}
