using Deliverability.Core.Live;

namespace Deliverability.Server.LoadTests;

/// <summary>The run going on in this node, if any, with its latest progress: for a page opened in the middle of a run.</summary>
public sealed record ActiveLoadTest(Guid RunId, string Scenario, string? SendPath, string StartedBy, DateTimeOffset StartedAt, LoadTestProgress? Progress);

/// <summary>
/// What this node is running now. The runner sets it; the progress sink moves it and publishes each step on
/// <see cref="LiveFeed{T}"/>; pages read <see cref="Current"/> when they load.
/// </summary>
public sealed class LoadTestActivity(LiveFeed<LoadTestProgress> progress)
{
    private ActiveLoadTest? _current;

    public ActiveLoadTest? Current => Volatile.Read(ref _current);

    internal void Began(ActiveLoadTest run) => Volatile.Write(ref _current, run);

    internal void Report(LoadTestProgress step)
    {
        if (Volatile.Read(ref _current) is { } run && run.RunId == step.RunId)
        {
            Volatile.Write(ref _current, run with { Progress = step });
        }

        progress.Publish(step);
    }

    internal void Ended(Guid runId)
    {
        if (Volatile.Read(ref _current) is { } run && run.RunId == runId)
        {
            Volatile.Write(ref _current, null);
        }
    }
}
