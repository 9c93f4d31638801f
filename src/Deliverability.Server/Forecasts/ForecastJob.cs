using Deliverability.Core.Forecasts;
using Quartz;

namespace Deliverability.Server.Forecasts;

/// <summary>The scheduled forecast of every stream with history, one after another. Thin: the work is <see cref="ForecastRunner"/>'s.</summary>
[DisallowConcurrentExecution]
public sealed partial class ForecastJob(ForecastStore store, ForecastRunner runner, ILogger<ForecastJob> logger) : IJob
{
    public static readonly JobKey Key = new("forecast-streams", "monitor");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var streams = await store.ListStreamsAsync(cancellationToken);
        if (streams.Count == 0)
        {
            LogNoHistory();
            return;
        }

        foreach (var stream in streams)
        {
            // A history the forecaster refuses is stored as a failed forecast: it never stops the other streams.
            await runner.RunAsync(stream.Stream, "schedule", "scheduler", wait: true, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "No stream has send-volume history; the scheduled forecast is skipped")]
    private partial void LogNoHistory();
}
