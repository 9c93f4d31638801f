using System.Diagnostics;

namespace Deliverability.Load;

/// <summary>Times a step and records it in the scenario's statistics (nothing is recorded during warm-up).</summary>
internal static class StepRunner
{
    public static async Task<Response> RunAsync(string name, ScenarioContext context, Func<Task<Response>> run)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(run);
        var start = Stopwatch.GetTimestamp();
        var delayedFrom = start;
        if (!context.StartDelayAttributed)
        {
            context.StartDelayAttributed = true;
            if (context.PlannedStartTimestamp != 0 && context.PlannedStartTimestamp < start)
            {
                delayedFrom = context.PlannedStartTimestamp;
            }
        }

        Response response;
        try
        {
            response = await run().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RunCancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception exception)
        {
            response = Response.FromException(exception);
        }

        var end = Stopwatch.GetTimestamp();
        context.Stats?.Step(name).Record(response,
            LatencyHistogram.Microseconds(end - delayedFrom), LatencyHistogram.Microseconds(end - start));
        return response;
    }
}
