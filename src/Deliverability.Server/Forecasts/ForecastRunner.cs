using Microsoft.Extensions.Options;
using Deliverability.Core.Forecasts;
using Deliverability.Core.Live;
using Deliverability.Forecasting;

namespace Deliverability.Server.Forecasts;

/// <summary>Published on <c>LiveFeed&lt;ForecastCompleted&gt;</c> when a forecast (or its failure) is stored.</summary>
public sealed record ForecastCompleted(Guid RunId, string Stream, ForecastRunStatus Status);

/// <summary>
/// Makes and stores the forecast of one stream: reads its history and planned campaigns, runs the forecaster on the
/// thread pool (training takes seconds: never on a request or circuit thread), and stores the forecast with its
/// model version, the end of its history and its backtest scores, or the reason it failed. One forecast at a time:
/// training takes both cores of a small machine.
/// </summary>
public sealed partial class ForecastRunner(
    ForecastStore store,
    IVolumeForecaster forecaster,
    IOptionsMonitor<ForecastOptions> options,
    LiveFeed<ForecastCompleted> completed,
    TimeProvider time,
    ILogger<ForecastRunner> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Whether a forecast is being made now.</summary>
    public bool IsRunning => _gate.CurrentCount == 0;

    /// <summary>
    /// Forecasts <paramref name="stream"/> and stores the result; null when another forecast is being made and
    /// <paramref name="wait"/> is false, or when the stream has no history.
    /// </summary>
    public async Task<ForecastRunRow?> RunAsync(string stream, string trigger, string startedBy, bool wait, CancellationToken cancellationToken)
    {
        if (!await _gate.WaitAsync(wait ? Timeout.InfiniteTimeSpan : TimeSpan.Zero, cancellationToken))
        {
            return null;
        }

        try
        {
            var history = await store.GetHistoryAsync(stream, cancellationToken);
            if (history.Count == 0)
            {
                return null;
            }

            var settings = options.CurrentValue;
            var campaigns = await store.ListCampaignsAsync(stream, cancellationToken);
            var request = new ForecastRequest
            {
                Horizon = settings.Horizon,
                IntervalLevel = settings.IntervalLevel,
                Campaigns = [.. campaigns.Select(c => new PlannedCampaign(c.Date, c.Stream, c.ExpectedVolume))],
                ExtraPeakDays = settings.ExtraPeakDays,
            };
            var run = new ForecastRunRow
            {
                Id = Guid.NewGuid(),
                Stream = stream,
                CreatedAt = time.GetUtcNow(),
                Trigger = trigger,
                StartedBy = startedBy,
                HistoryPoints = history.Count,
                Horizon = settings.Horizon,
                IntervalLevel = settings.IntervalLevel,
                CampaignsJson = StoredForecast.WriteStrings(campaigns.Select(c => $"{c.Date:yyyy-MM-dd} {c.ExpectedVolume} {c.Name}".TrimEnd())),
            };

            try
            {
                var (series, forecast) = await Task.Run(
                    () =>
                    {
                        var series = VolumeSeries.Create(stream, history.Select(p => new VolumePoint(p.Timestamp, p.Count)));
                        // An hourly forecast reaches a month at most; a daily or weekly one as far as configured.
                        var longest = ForecastLimits.MaxHorizon(series.Frequency);
                        var fitted = request.Horizon > longest ? request with { Horizon = longest } : request;
                        return (series, forecaster.Forecast(series, fitted, cancellationToken));
                    },
                    cancellationToken);
                Fill(run, series, forecast);
            }
            catch (VolumeHistoryException ex)
            {
                run.Status = ForecastRunStatus.Failed;
                run.Error = "history: " + ex.Message;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The forecaster is the only code here that can fail this way; its failure is stored and shown, the next run retries.
                LogFailed(ex, stream);
                run.Status = ForecastRunStatus.Failed;
                run.Error = $"the forecaster failed: {ex.Message.Split('\n', 2)[0].Trim()}";
            }

            await store.AddRunAsync(run, CancellationToken.None);
            LogStored(stream, run.Status, run.Model ?? "-", trigger);
            completed.Publish(new ForecastCompleted(run.Id, stream, run.Status));
            return run;
        }
        finally
        {
            _gate.Release();
        }
    }

    private static void Fill(ForecastRunRow run, VolumeSeries series, VolumeForecast forecast)
    {
        run.Status = ForecastRunStatus.Completed;
        run.Frequency = StoredForecast.Word(forecast.Frequency);
        run.Model = forecast.Model;
        run.ModelVersion = forecast.ModelVersion;
        run.FallbackReason = forecast.FallbackReason;
        run.IntervalLevel = forecast.IntervalLevel;
        run.HistoryEnd = forecast.HistoryEnd;
        run.BacktestWape = Finite(forecast.Backtest.Wape);
        run.BacktestMase = Finite(forecast.Backtest.Mase);
        run.BacktestCoverage = Finite(forecast.Backtest.Coverage);
        run.SeasonalNaiveWape = Finite(forecast.Backtest.SeasonalNaiveWape);
        run.BacktestOrigins = forecast.Backtest.Origins;
        run.BacktestHorizon = forecast.Backtest.Horizon;
        run.RepairsJson = StoredForecast.WriteStrings(series.Repairs);
        run.PointsJson = StoredForecast.WritePoints(forecast.Points);
    }

    // A score of a series without variation can be infinite or NaN; neither is a number JSON or a database column holds.
    private static double? Finite(double value) => double.IsFinite(value) ? value : null;

    public void Dispose() => _gate.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "Forecast of stream {Stream} stored: {Status}, model {Model} ({Trigger})")]
    private partial void LogStored(string stream, ForecastRunStatus status, string model, string trigger);

    [LoggerMessage(Level = LogLevel.Error, Message = "The forecaster failed on stream {Stream}; the failure is stored and the next run retries")]
    private partial void LogFailed(Exception exception, string stream);
}
