using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;

namespace Deliverability.Load.Running;

/// <summary>
/// Runs one scenario's load. Open model: a dispatcher thread computes each planned start from the plan and hands it
/// to a bounded pool of workers; a start that waits for a worker is late (its latency still counts from the plan),
/// and beyond the backlog bound starts are dropped. Closed model: copies loop, as many as the plan says now.
/// </summary>
internal sealed class ScenarioRunner
{
    private static readonly TimeSpan MinIdleWait = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan MaxIdleWait = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan AbandonAfter = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan CleanTimeout = TimeSpan.FromSeconds(30);

    private readonly LoadRun _run;
    private readonly long _lateTicks;
    private readonly long _warmUpTicks;
    private readonly CancellationTokenSource _hardStop;
    private WorkerSlot[] _workers = [];
    private ArrivalHandOff? _arrivals;
    private CancellationTokenRegistration _hardStopRegistration;
    private Task[] _loops = [];
    private int _busy;
    private long _nextNumber;
    private long _completedAt;
    private volatile bool _recordingClosed;

    public ScenarioRunner(LoadRun run, ScenarioProps props, LoadPlan plan, int seed)
    {
        _run = run;
        Props = props;
        Plan = plan;
        Seed = seed;
        _lateTicks = (long)(run.Options.LateStartTolerance.TotalSeconds * Stopwatch.Frequency);
        _warmUpTicks = (long)(props.WarmUpDuration.TotalSeconds * Stopwatch.Frequency);
        _hardStop = CancellationTokenSource.CreateLinkedTokenSource(run.HardStopToken);
        WorkerCount = plan.IsOpen ? props.MaxConcurrency : Math.Max(1, plan.MaxCopies);
    }

    public ScenarioProps Props { get; }

    public LoadPlan Plan { get; }

    public int Seed { get; }

    /// <summary>Set by <see cref="Begin"/>, when the run's clock starts.</summary>
    public ScenarioStats Stats { get; private set; } = null!;

    public int WorkerCount { get; }

    public ScenarioInitContext? InitContext { get; private set; }

    public int Active => Volatile.Read(ref _busy);

    public int Backlog => _arrivals?.Backlog ?? 0;

    /// <summary>When the last invocation finished (or the run stopped waiting for it).</summary>
    public long CompletedTimestamp => Volatile.Read(ref _completedAt);

    public bool WarmingUp(long now) => now < Stats.MeasureStartTimestamp;

    public double TargetRate(long now) => Plan.RateAt(PlanOffset(now));

    public int TargetCopies(long now) => Plan.CopiesAt(PlanOffset(now));

    public async Task InitAsync()
    {
        InitContext = new ScenarioInitContext(Props.Name, WorkerCount, _run.Logger, new Random(Seed), _run.CancelToken);
        if (Props.Init is not null)
        {
            // WaitAsync: an init that ignores its token still cannot hold the run past its max duration.
            await Props.Init(InitContext).WaitAsync(_run.CancelToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Creates the workers and, in the open model, starts them waiting for arrivals, so the first planned starts
    /// do not wait for the thread pool to schedule a hundred tasks.
    /// </summary>
    public async Task PrepareAsync()
    {
        var data = (InitContext?.Data ?? []).ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);
        _workers = [.. Enumerable.Range(0, WorkerCount).Select(number => new WorkerSlot(
            new ScenarioContext(Props.Name, number, WorkerCount, new Random(SeedMix.Derive(Seed, number, 2)), _run.Logger,
                data, 0, default) { RunCancellationToken = _hardStop.Token },
            _hardStop.Token))];
        if (!Plan.IsOpen)
        {
            return;
        }

        _arrivals = new ArrivalHandOff();
        _hardStopRegistration = _hardStop.Token.Register(() => _arrivals.Close(discardBacklog: true));
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var waiting = 0;
        _loops = [.. _workers.Select(worker => Task.Run(() =>
        {
            if (Interlocked.Increment(ref waiting) == _workers.Length)
            {
                ready.TrySetResult();
            }

            return OpenWorkerAsync(worker, _arrivals);
        }))];
        await Completes(ready.Task, TimeSpan.FromSeconds(5)).ConfigureAwait(false);
    }

    /// <summary>Creates the statistics once the run's clock has started.</summary>
    public void Begin()
    {
        Stats = new ScenarioStats(Props.Name, _run.StartTimestamp, _run.StartTime, _run.StartTimestamp + _warmUpTicks);
        Volatile.Write(ref _completedAt, Stats.MeasureStartTimestamp);
        foreach (var worker in _workers)
        {
            worker.Context.RunStartTimestamp = _run.StartTimestamp;
            worker.Context.RunStartTime = _run.StartTime;
        }
    }

    public async Task RunAsync()
    {
        Task[] loops;
        if (_arrivals is { } arrivals)
        {
            loops = _loops;
            var dispatched = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var dispatcher = new Thread(() =>
            {
                try
                {
                    Dispatch(arrivals);
                }
                finally
                {
                    arrivals.Close(_run.DiscardBacklog);
                    dispatched.TrySetResult();
                }
            })
            { IsBackground = true, Name = $"load dispatcher: {Props.Name}", Priority = ThreadPriority.AboveNormal };
            dispatcher.Start();
            await dispatched.Task.ConfigureAwait(false);
        }
        else
        {
            loops = [.. _workers.Select(worker => Task.Run(() => ClosedWorkerAsync(worker)))];
        }

        await FinishAsync(Task.WhenAll(loops)).ConfigureAwait(false);
    }

    public async Task CleanAsync()
    {
        if (InitContext is null)
        {
            return;
        }

        InitContext.WorkerStates = [.. _workers.Select(worker => worker.Context.WorkerState)];
        try
        {
            if (Props.Clean is not null)
            {
                await Props.Clean(InitContext).WaitAsync(CleanTimeout).ConfigureAwait(false);
            }
        }
        catch (Exception exception)
        {
            _run.Logger.LogWarning(exception, "The clean step of scenario {Scenario} failed", Props.Name);
        }

        foreach (var worker in _workers)
        {
            try
            {
                switch (worker.Context.WorkerState)
                {
                    case IAsyncDisposable asyncDisposable:
                        await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                        break;
                    case IDisposable disposable:
                        disposable.Dispose();
                        break;
                }
            }
            catch (Exception exception)
            {
                _run.Logger.LogWarning(exception, "Disposing a worker state of scenario {Scenario} failed", Props.Name);
            }

            worker.Dispose();
        }

        _hardStopRegistration.Dispose();
        _hardStop.Dispose();
    }

    private async Task FinishAsync(Task loops)
    {
        // The plan has ended or the run is stopping: in-flight invocations get the graceful timeout, then are cancelled.
        if (await Completes(loops, _run.Options.GracefulStopTimeout).ConfigureAwait(false))
        {
            Volatile.Write(ref _completedAt, Stopwatch.GetTimestamp());
            return;
        }

        Volatile.Write(ref _completedAt, Stopwatch.GetTimestamp());
        await _hardStop.CancelAsync().ConfigureAwait(false);
        if (!await Completes(loops, AbandonAfter).ConfigureAwait(false))
        {
            _run.Logger.LogWarning("Scenario {Scenario}: invocations ignored cancellation and were abandoned", Props.Name);
        }

        _recordingClosed = true;
    }

    private static async Task<bool> Completes(Task task, TimeSpan timeout)
    {
        try
        {
            await task.WaitAsync(timeout).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private long PlanOffsetTicks(long now)
    {
        var elapsed = now - _run.StartTimestamp;
        return elapsed < _warmUpTicks ? elapsed : elapsed - _warmUpTicks;
    }

    private TimeSpan PlanOffset(long now) => TimeSpan.FromSeconds(PlanOffsetTicks(now) / (double)Stopwatch.Frequency);

    private void Dispatch(ArrivalHandOff arrivals)
    {
        var frequency = (double)Stopwatch.Frequency;
        var phases = _warmUpTicks > 0 ? new[] { true, false } : [false];
        foreach (var warmUp in phases)
        {
            var phaseStart = _run.StartTimestamp + (warmUp ? 0 : _warmUpTicks);
            var schedule = new ArrivalSchedule(Plan);
            while (schedule.TryNext(out var offsetSeconds))
            {
                var offsetTicks = (long)(offsetSeconds * frequency);
                if (warmUp && offsetTicks >= _warmUpTicks)
                {
                    break;
                }

                var due = phaseStart + offsetTicks;
                if (!WaitUntil(due) || !_run.TryTakeInvocation())
                {
                    return;
                }

                var limit = Props.MaxBacklog ?? Math.Max(Props.MaxConcurrency, (int)Math.Ceiling(Plan.RateAt(TimeSpan.FromSeconds(offsetSeconds))));
                if (!arrivals.Offer(new Arrival(_nextNumber, due), limit))
                {
                    _run.ReturnInvocation();
                    if (Stats.IsMeasured(due))
                    {
                        Stats.RecordDropped(Stopwatch.GetTimestamp());
                    }

                    continue;
                }

                _nextNumber++;
            }
        }
    }

    /// <summary>
    /// Waits for the due time in sleeps of about a millisecond (Linux's timer granularity) and never spins: starts that
    /// came due during a sleep go out together, about a millisecond late at most, far below the late-start tolerance,
    /// and their latency still counts from their plan. Spinning for the last stretch was measured to cost more CPU
    /// than it saved latency on a shared 2-core machine. False when starting has stopped.
    /// </summary>
    private bool WaitUntil(long due)
    {
        var stop = _run.StopStartingToken;
        while (true)
        {
            if (stop.IsCancellationRequested)
            {
                return false;
            }

            var remaining = due - Stopwatch.GetTimestamp();
            if (remaining <= 0)
            {
                return true;
            }

            var milliseconds = Math.Clamp((remaining * 1000 / Stopwatch.Frequency) - 1, 1, 50);
            stop.WaitHandle.WaitOne((int)milliseconds);
        }
    }

    private async Task OpenWorkerAsync(WorkerSlot worker, ArrivalHandOff arrivals)
    {
        while (true)
        {
            var arrival = await arrivals.NextAsync(worker.Signal).ConfigureAwait(false);
            if (arrival.IsEnd)
            {
                return;
            }

            Interlocked.Increment(ref _busy);
            try
            {
                await InvokeAsync(worker, arrival.Number, arrival.PlannedTimestamp).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Decrement(ref _busy);
            }
        }
    }

    private async Task ClosedWorkerAsync(WorkerSlot worker)
    {
        var planEnd = _warmUpTicks + (long)(Plan.Duration.TotalSeconds * Stopwatch.Frequency);
        var stop = _run.StopStartingToken;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var now = Stopwatch.GetTimestamp();
                if (now - _run.StartTimestamp >= planEnd)
                {
                    return;
                }

                if (worker.Context.WorkerNumber >= TargetCopies(now))
                {
                    await Task.Delay(IdleWait(worker.Context.WorkerNumber, now, planEnd), stop).ConfigureAwait(false);
                    continue;
                }

                if (!_run.TryTakeInvocation())
                {
                    return;
                }

                Interlocked.Increment(ref _busy);
                try
                {
                    await InvokeAsync(worker, Interlocked.Increment(ref _nextNumber) - 1, Stopwatch.GetTimestamp()).ConfigureAwait(false);
                }
                finally
                {
                    Interlocked.Decrement(ref _busy);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>How long an idle copy sleeps: until the plan needs it (or its phase ends), at most a second, at least 1 ms.</summary>
    private TimeSpan IdleWait(int workerNumber, long now, long planEnd)
    {
        var elapsed = now - _run.StartTimestamp;
        var warmingUp = elapsed < _warmUpTicks;
        var phaseStart = warmingUp ? 0 : _warmUpTicks;
        var phaseEnd = warmingUp ? _warmUpTicks : planEnd;
        var next = Plan.NextTimeCopiesExceed(workerNumber, PlanOffset(now));
        var wakeAt = next is { } offset ? Math.Min(phaseStart + (long)(offset.TotalSeconds * Stopwatch.Frequency), phaseEnd) : phaseEnd;
        var wait = Stopwatch.GetElapsedTime(elapsed, wakeAt);
        return wait < MinIdleWait ? MinIdleWait : wait > MaxIdleWait ? MaxIdleWait : wait;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask InvokeAsync(WorkerSlot worker, long number, long planned)
    {
        var context = worker.Context;
        var start = Stopwatch.GetTimestamp();
        var measured = Stats.IsMeasured(planned);
        if (measured)
        {
            Stats.RecordStart(start, start - planned > _lateTicks);
        }

        context.InvocationNumber = number;
        context.PlannedStartTimestamp = planned;
        context.StartTimestamp = start;
        context.StartDelayAttributed = false;
        context.Stats = measured ? Stats : null;
        if (Props.InvocationTimeout is { } timeout)
        {
            worker.Invocation.CancelAfter(timeout);
        }

        context.CancellationToken = worker.Invocation.Token;
        Response response;
        try
        {
            response = await Props.Run(context).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            response = worker.Invocation.IsCancellationRequested && !worker.HardStop.IsCancellationRequested
                ? Response.Fail(OutcomeClass.Timeout, message: "the invocation timed out")
                : Response.FromException(exception);
        }

        var end = Stopwatch.GetTimestamp();
        worker.ResetInvocation();
        if (!measured || _recordingClosed)
        {
            return;
        }

        if (worker.HardStop.IsCancellationRequested && !response.IsOk)
        {
            Stats.RecordInterrupted();
            return;
        }

        Stats.RecordInvocation(response, planned, start, end);
    }

    /// <summary>A worker's context and its reusable invocation cancellation (timeout and the run's stop).</summary>
    private sealed class WorkerSlot(ScenarioContext context, CancellationToken hardStop) : IDisposable
    {
        public ScenarioContext Context { get; } = context;

        public CancellationToken HardStop { get; } = hardStop;

        public WorkerSignal Signal { get; } = new();

        public CancellationTokenSource Invocation { get; private set; } = CancellationTokenSource.CreateLinkedTokenSource(hardStop);

        public void ResetInvocation()
        {
            if (!Invocation.TryReset())
            {
                Invocation.Dispose();
                Invocation = CancellationTokenSource.CreateLinkedTokenSource(HardStop);
            }
        }

        public void Dispose() => Invocation.Dispose();
    }
}
