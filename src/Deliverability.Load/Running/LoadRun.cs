using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Deliverability.Load.Running;

/// <summary>
/// One run: validates, initialises the scenarios, runs them side by side under the run's bounds, reports to the
/// sinks, checks abortOnFail thresholds, and builds the report. Stopping has two levels: stop starting (the plan
/// ended, max invocations, a threshold abort) lets in-flight invocations finish within the graceful timeout; the
/// hard stop (max duration, the caller's cancellation) cancels them at once.
/// </summary>
internal sealed class LoadRun
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(250);

    private readonly CancellationTokenSource _stopStarting = new();
    private readonly CancellationTokenSource _hardStop = new();
    private readonly CancellationTokenSource _cancel = new();
    private readonly List<ScenarioRunner> _runners = [];
    private readonly IReadOnlyList<IReportingSink> _sinks;
    private readonly Task?[] _sinkCalls;
    private readonly object _stopLock = new();
    private long _invocationsLeft;
    private StopReason? _stopReason;
    private string? _abortedBy;

    private LoadRun(LoadRunOptions options, IReadOnlyList<IReportingSink> sinks, int seed)
    {
        Options = options;
        Seed = seed;
        Logger = options.Logger ?? NullLogger.Instance;
        _sinks = sinks;
        _sinkCalls = new Task?[sinks.Count];
        _invocationsLeft = options.MaxInvocations ?? long.MaxValue;
        RunId = options.RunId ?? Guid.NewGuid().ToString("n");
        Generator = options.GeneratorName ?? Environment.MachineName;
    }

    public LoadRunOptions Options { get; }

    public int Seed { get; }

    public ILogger Logger { get; }

    public string RunId { get; }

    public string Generator { get; }

    public long StartTimestamp { get; private set; }

    public DateTimeOffset StartTime { get; private set; }

    public CancellationToken StopStartingToken => _stopStarting.Token;

    public CancellationToken HardStopToken => _hardStop.Token;

    public CancellationToken CancelToken => _cancel.Token;

    /// <summary>Whether planned starts still waiting should be thrown away (the run is cut short).</summary>
    public bool DiscardBacklog => _stopReason is StopReason.ThresholdAbort or StopReason.MaxDuration or StopReason.Cancelled;

    public static async Task<RunReport> ExecuteAsync(IEnumerable<ScenarioProps> scenarios, LoadRunOptions options,
        IEnumerable<IReportingSink>? sinks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scenarios);
        var list = scenarios.ToList();
        var problems = Problems(list, options);
        if (problems.Count > 0)
        {
            throw new LoadConfigurationException(string.Join("; ", problems));
        }

        var seed = options.Seed ?? Random.Shared.Next();
        var run = new LoadRun(options, [.. sinks ?? []], seed);
        return await run.RunAsync(list, cancellationToken).ConfigureAwait(false);
    }

    private static List<string> Problems(List<ScenarioProps> scenarios, LoadRunOptions options)
    {
        var problems = new List<string>(options.Validate());
        if (scenarios.Count == 0)
        {
            problems.Add("no scenario to run");
        }

        foreach (var scenario in scenarios)
        {
            if (scenario is null)
            {
                problems.Add("a scenario is null");
                continue;
            }

            problems.AddRange(scenario.Validate());
        }

        problems.AddRange(scenarios.Where(scenario => scenario is not null)
            .GroupBy(scenario => scenario.Name, StringComparer.Ordinal)
            .Where(group => group.Count() > 1)
            .Select(group => $"scenario name '{group.Key}' is used more than once"));
        return problems;
    }

    public bool TryTakeInvocation()
    {
        if (Interlocked.Decrement(ref _invocationsLeft) >= 0)
        {
            return true;
        }

        RequestStop(StopReason.MaxInvocations, hard: false);
        return false;
    }

    public void ReturnInvocation() => Interlocked.Increment(ref _invocationsLeft);

    public void RequestStop(StopReason reason, bool hard, string? abortedBy = null)
    {
        lock (_stopLock)
        {
            if (_stopReason is null)
            {
                _stopReason = reason;
                _abortedBy = abortedBy;
            }
        }

        _stopStarting.Cancel();
        if (hard)
        {
            _hardStop.Cancel();
        }
    }

    private async Task<RunReport> RunAsync(List<ScenarioProps> scenarios, CancellationToken cancellationToken)
    {
        for (var index = 0; index < scenarios.Count; index++)
        {
            var plan = LoadPlan.Create(scenarios[index].LoadSimulations, SeedMix.Derive(Seed, index));
            _runners.Add(new ScenarioRunner(this, scenarios[index], plan, SeedMix.Derive(Seed, index, 1)));
        }

        using var cancelRegistration = cancellationToken.Register(() =>
        {
            _cancel.Cancel();
            RequestStop(StopReason.Cancelled, hard: true);
        });

        // The max duration bounds everything from here, init included: it stops the run and cancels init and sinks.
        using var maxDuration = new CancellationTokenSource(Options.MaxDuration);
        using var maxDurationRegistration = maxDuration.Token.Register(() =>
        {
            RequestStop(StopReason.MaxDuration, hard: true);
            _cancel.Cancel();
        });
        foreach (var runner in _runners)
        {
            try
            {
                await runner.InitAsync().ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                await CleanAllAsync().ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                throw new LoadConfigurationException(maxDuration.IsCancellationRequested
                    ? $"scenario '{runner.Props.Name}': init did not finish within the run's max duration"
                    : $"scenario '{runner.Props.Name}': init failed: {OneLine(exception.Message)}");
            }
        }

        foreach (var runner in _runners)
        {
            await runner.PrepareAsync().ConfigureAwait(false);
        }

        // Init may take a while (opening connections): the plan's clock starts after it.
        StartTimestamp = Stopwatch.GetTimestamp();
        StartTime = DateTimeOffset.UtcNow;
        foreach (var runner in _runners)
        {
            runner.Begin();
        }

        var startInfo = new RunStartInfo(RunId, Options.TestName, Generator, StartTime,
            [.. _runners.Select(runner => runner.Props.Name)], Options.MaxDuration);
        await CallSinksAsync(sink => sink.StartAsync(startInfo, CancelToken), "start", TimeSpan.FromSeconds(10)).ConfigureAwait(false);

        using var reporterStop = new CancellationTokenSource();
        var reporter = Task.Run(() => ReportLoopAsync(reporterStop.Token));
        try
        {
            await Task.WhenAll(_runners.Select(runner => Task.Run(runner.RunAsync))).ConfigureAwait(false);
        }
        finally
        {
            await reporterStop.CancelAsync().ConfigureAwait(false);
            await reporter.ConfigureAwait(false);
        }

        RequestStop(StopReason.Completed, hard: false);
        var report = BuildReport();
        await WaitForSinksAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        await CallSinksAsync(sink => sink.SaveFinalStatsAsync(report, CancellationToken.None), "save the final statistics",
            TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        await CleanAllAsync().ConfigureAwait(false);
        return report;
    }

    private async Task ReportLoopAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(Tick);
        var lastReport = StartTimestamp;
        var previousCompleted = new long[_runners.Count];
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                try
                {
                    var now = Stopwatch.GetTimestamp();
                    foreach (var runner in _runners)
                    {
                        runner.Stats.Series.CloseUpTo(runner.Stats.UnixSecond(now) - 2);
                    }

                    CheckAbortThresholds(now);
                    if (Stopwatch.GetElapsedTime(lastReport, now) >= Options.ReportingInterval)
                    {
                        var snapshot = Snapshot(now, Stopwatch.GetElapsedTime(lastReport, now), previousCompleted);
                        lastReport = now;
                        SendToSinks(sink => sink.SaveRealtimeStatsAsync(snapshot, CancelToken), "save realtime statistics");
                    }
                }
                catch (Exception exception)
                {
                    // One bad tick must not end the abortOnFail checks of the rest of the run.
                    Logger.LogError(exception, "A tick of the load run's reporter failed");
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private void CheckAbortThresholds(long now)
    {
        foreach (var runner in _runners)
        {
            if (runner.WarmingUp(now))
            {
                continue;
            }

            var seconds = Stopwatch.GetElapsedTime(runner.Stats.MeasureStartTimestamp, now).TotalSeconds;
            foreach (var threshold in runner.Props.Thresholds)
            {
                var isRate = threshold.Metric is ThresholdMetric.RequestsPerSecond or ThresholdMetric.AcceptedPerSecond;
                if (!threshold.AbortOnFail || seconds < threshold.AbortGracePeriod.TotalSeconds || (isRate && seconds < 1))
                {
                    continue;
                }

                var verdict = ThresholdEvaluator.Evaluate(threshold, runner.Props.Name,
                    step => LiveSubject.For(runner.Stats, step, seconds));
                if (!verdict.Held && verdict.Note is null)
                {
                    Logger.LogWarning("Threshold {Threshold} of scenario {Scenario} breached ({Observed}): stopping the run",
                        threshold.Expression, runner.Props.Name, ThresholdEvaluator.FormatObserved(verdict.Observed, verdict.Unit));
                    RequestStop(StopReason.ThresholdAbort, hard: false, $"{runner.Props.Name}: {threshold.Expression}");
                    return;
                }
            }
        }
    }

    private RealtimeStats Snapshot(long now, TimeSpan interval, long[] previousCompleted)
    {
        var scenarios = new List<ScenarioRealtimeStats>(_runners.Count);
        for (var index = 0; index < _runners.Count; index++)
        {
            var runner = _runners[index];
            var stats = runner.Stats;
            var completed = stats.Invocations.Count;
            var seconds = Math.Max(0, Stopwatch.GetElapsedTime(stats.MeasureStartTimestamp, now).TotalSeconds);
            var last = stats.Series.LastPoint;
            scenarios.Add(new ScenarioRealtimeStats
            {
                Scenario = runner.Props.Name,
                WarmingUp = runner.WarmingUp(now),
                TargetRate = runner.TargetRate(now),
                TargetCopies = runner.TargetCopies(now),
                Active = runner.Active,
                Backlog = runner.Backlog,
                Started = stats.Started,
                Completed = completed,
                Ok = stats.Invocations.Ok,
                Failed = stats.Invocations.Failed,
                LateStarts = stats.LateStarts,
                DroppedStarts = stats.DroppedStarts,
                IntervalRps = (completed - previousCompleted[index]) / Math.Max(interval.TotalSeconds, 0.001),
                IntervalP50Ms = last?.P50Ms ?? 0,
                IntervalP99Ms = last?.P99Ms ?? 0,
                P99Ms = LatencyHistogram.ValueAtPercentileMs(stats.Invocations.ResponseTime, 99),
                ErrorRate = completed == 0 ? 0 : stats.Invocations.Failed / (double)completed,
                Outcomes = stats.Invocations.Outcomes(),
                Thresholds = [.. runner.Props.Thresholds.Select(threshold => ThresholdEvaluator.Evaluate(threshold,
                    runner.Props.Name, step => LiveSubject.For(stats, step, seconds)))],
            });
            previousCompleted[index] = completed;
        }

        return new RealtimeStats
        {
            RunId = RunId,
            Timestamp = DateTimeOffset.UtcNow,
            Elapsed = Stopwatch.GetElapsedTime(StartTimestamp, now),
            Scenarios = scenarios,
        };
    }

    private RunReport BuildReport()
    {
        var scenarios = _runners.Select(BuildScenario).ToList();
        var startedAt = scenarios.Min(scenario => scenario.StartedAt);
        var endedAt = scenarios.Max(scenario => scenario.EndedAt);
        return new RunReport
        {
            RunId = RunId,
            TestName = Options.TestName,
            Generators = [Generator],
            StartedAt = startedAt,
            EndedAt = endedAt,
            StopReason = _stopReason ?? StopReason.Completed,
            AbortedBy = _abortedBy,
            Seed = Seed,
            Scenarios = scenarios,
        };
    }

    private ScenarioReport BuildScenario(ScenarioRunner runner) => ReportBuilder.Scenario(runner.Stats,
        runner.Plan.IsOpen ? "open" : "closed", [.. runner.Props.LoadSimulations.Select(simulation => simulation.ToString())],
        runner.CompletedTimestamp, runner.Props.Thresholds, _stopReason == StopReason.ThresholdAbort ? _abortedBy : null);

    private void SendToSinks(Func<IReportingSink, Task> call, string what)
    {
        for (var index = 0; index < _sinks.Count; index++)
        {
            if (_sinkCalls[index] is { IsCompleted: false })
            {
                continue; // the sink is still busy with the previous snapshot: never call it concurrently
            }

            _sinkCalls[index] = SafeCallAsync(_sinks[index], call, what);
        }
    }

    private async Task CallSinksAsync(Func<IReportingSink, Task> call, string what, TimeSpan timeout)
    {
        for (var index = 0; index < _sinks.Count; index++)
        {
            _sinkCalls[index] = SafeCallAsync(_sinks[index], call, what);
        }

        await WaitForSinksAsync(timeout).ConfigureAwait(false);
    }

    private async Task WaitForSinksAsync(TimeSpan timeout)
    {
        var pending = _sinkCalls.Where(call => call is not null).Select(call => call!).ToArray();
        try
        {
            await Task.WhenAll(pending).WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Logger.LogWarning("A reporting sink did not answer within {Timeout}; the run goes on without waiting for it", timeout);
        }
    }

    private async Task SafeCallAsync(IReportingSink sink, Func<IReportingSink, Task> call, string what)
    {
        try
        {
            await call(sink).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            Logger.LogWarning(exception, "Reporting sink {Sink} failed to {What}", sink.GetType().Name, what);
        }
    }

    private async Task CleanAllAsync()
    {
        foreach (var runner in _runners)
        {
            await runner.CleanAsync().ConfigureAwait(false);
        }
    }

    private static string OneLine(string text) => ThresholdParser.Sanitise(text.Length > 300 ? text[..300] : text);
}
