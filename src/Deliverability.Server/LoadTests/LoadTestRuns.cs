using Microsoft.Extensions.Options;
using Deliverability.Core.LoadTests;
using Deliverability.Core.Live;
using Deliverability.Load;
using Deliverability.LoadScenarios;

namespace Deliverability.Server.LoadTests;

/// <summary>What asking for a run did.</summary>
public enum LoadTestLaunchKind
{
    /// <summary>The run is stored and goes on in the background (or already ended: see the status).</summary>
    Started,

    /// <summary>This node runs another load test: the API's 409.</summary>
    Busy,

    /// <summary>No stored scenario has that name: 404.</summary>
    Unknown,

    /// <summary>The scenario file cannot be used: 400 with its problem.</summary>
    Invalid,

    /// <summary>A target or recipient is outside the safety allow-lists; nothing connected: 400 with the reason.</summary>
    Refused,
}

/// <summary>The answer to a start; <see cref="Error"/> says why when it did not start.</summary>
public sealed record LoadTestLaunch(LoadTestLaunchKind Kind, Guid? RunId = null, LoadTestRunStatus Status = LoadTestRunStatus.Running, string? Error = null);

/// <summary>
/// Runs stored scenarios one at a time on this node, in the background. Each run is stored as running before it starts,
/// its progress while it goes, and its end (completed, aborted, failed or refused) whatever happens: a crash of the run
/// stores <c>failed</c> with the reason, a stop of the service cancels it and stores it <c>aborted</c>, and a run a killed
/// process left running is marked aborted at the next start.
/// </summary>
public sealed partial class LoadTestRuns(
    ScenarioCatalog catalog,
    LoadTestRunStore store,
    LoadTestActivity activity,
    LiveFeed<LoadTestRunChanged> changed,
    IOptionsMonitor<LoadTestOptions> options,
    TimeProvider time,
    ILogger<LoadTestRuns> logger) : IHostedService, IDisposable
{
    /// <summary>How long a start waits for the run to pass its safety checks and begin, to answer with a refusal rather than an accepted run.</summary>
    public static readonly TimeSpan StartWait = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private Task _running = Task.CompletedTask;

    /// <summary>The node's name in the runs it stores: a restart aborts only its own leftovers.</summary>
    public static string Node { get; } = Environment.MachineName;

    public bool IsRunning => _oneAtATime.CurrentCount == 0;

    /// <summary>Starts the stored scenario <paramref name="scenario"/>; returns once it began, was refused, or broke at once.</summary>
    public async Task<LoadTestLaunch> StartAsync(string scenario, string startedBy, CancellationToken cancellationToken)
    {
        var stored = catalog.Find(scenario);
        if (stored is null)
        {
            var known = catalog.List().Select(s => s.Name).ToArray();
            return new LoadTestLaunch(LoadTestLaunchKind.Unknown, Error: $"No stored scenario is named '{Shown(scenario)}' (in {catalog.Folder}: {(known.Length == 0 ? "none" : string.Join(", ", known))}).");
        }

        if (stored.Definition is not { } definition)
        {
            return new LoadTestLaunch(LoadTestLaunchKind.Invalid, Error: $"{stored.File}: {stored.Problem}");
        }

        if (_stopping.IsCancellationRequested || !await _oneAtATime.WaitAsync(TimeSpan.Zero, cancellationToken))
        {
            return new LoadTestLaunch(LoadTestLaunchKind.Busy);
        }

        var row = new LoadTestRunRow
        {
            Id = Guid.NewGuid(),
            Scenario = definition.Name,
            Kind = definition.Kind.ToString().ToLowerInvariant(),
            SendPath = definition.SendPath,
            Origin = "service",
            StartedBy = startedBy,
            Node = Node,
            StartedAt = time.GetUtcNow(),
            Status = LoadTestRunStatus.Running,
        };
        try
        {
            await store.AddAsync(row, cancellationToken);
        }
        catch
        {
            _oneAtATime.Release();
            throw;
        }

        activity.Began(new ActiveLoadTest(row.Id, row.Scenario, row.SendPath, startedBy, row.StartedAt, null));
        changed.Publish(new LoadTestRunChanged(row.Id, row.Scenario, LoadTestRunStatus.Running));
        LogStarted(row.Id, row.Scenario, startedBy);

        var began = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = Task.Run(() => RunHoldingTheLockAsync(row, definition, began));
        _running = run;
        using (var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            await Task.WhenAny(began.Task, run, Task.Delay(StartWait, time, waiting.Token));
            await waiting.CancelAsync(); // no timer left behind for a run that began at once
        }

        if (run.IsCompleted)
        {
            var (status, reason) = await run;
            return status == LoadTestRunStatus.Refused
                ? new LoadTestLaunch(LoadTestLaunchKind.Refused, row.Id, status, reason)
                : new LoadTestLaunch(LoadTestLaunchKind.Started, row.Id, status, reason);
        }

        return new LoadTestLaunch(LoadTestLaunchKind.Started, row.Id);
    }

    private async Task<(LoadTestRunStatus Status, string? Reason)> RunHoldingTheLockAsync(LoadTestRunRow row, LoadTestDefinition definition, TaskCompletionSource began)
    {
        var token = _stopping.Token;
        var sink = new LoadTestProgressSink(row.Id, row.Scenario, store, activity, time, began, logger);
        LoadTestRunEnd end;
        try
        {
            var settings = options.CurrentValue;
            var safety = LoadTestSafety.WithAllowLists(settings.AllowedHosts, settings.AllowedRecipientDomains);
            var outcome = await LoadTestExecution.RunAsync(definition, safety, [sink], token);
            var stopped = token.IsCancellationRequested;
            end = ReportNumbers.End(
                stopped ? LoadTestRunStatus.Aborted : LoadTestRunStatus.Completed,
                time.GetUtcNow(),
                outcome.Report,
                outcome.Capacity,
                stopped ? "The service stopped during the run." : null);
        }
        catch (LoadTestRefusedException ex)
        {
            end = new LoadTestRunEnd(LoadTestRunStatus.Refused, time.GetUtcNow(), Reason: OneLine(ex.Message));
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            end = new LoadTestRunEnd(LoadTestRunStatus.Aborted, time.GetUtcNow(), Reason: "The service stopped during the run.");
        }
#pragma warning disable CA1031 // Whatever broke the run, its record must say so: nobody else awaits a background run.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogFailed(ex, row.Id, row.Scenario);
            end = new LoadTestRunEnd(LoadTestRunStatus.Failed, time.GetUtcNow(), Reason: Reason(ex));
        }

        try
        {
            // Not the stopping token: the end of an aborted run must still be written.
            await store.FinishAsync(row.Id, end, CancellationToken.None);
        }
#pragma warning disable CA1031 // The row stays "running"; the next start of this node marks it aborted.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogNotStored(ex, row.Id);
        }
        finally
        {
            activity.Ended(row.Id);
            _oneAtATime.Release();
            changed.Publish(new LoadTestRunChanged(row.Id, row.Scenario, end.Status));
        }

        LogEnded(row.Id, row.Scenario, end.Status, end.Reason ?? end.StopReason ?? "");
        return (end.Status, end.Reason);
    }

    /// <summary>Marks the runs a killed process of this node left running as aborted.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var aborted = await store.AbortLeftoversAsync(Node, time.GetUtcNow(), cancellationToken);
        if (aborted > 0)
        {
            LogLeftovers(aborted);
        }
    }

    /// <summary>Cancels the run in progress and waits (as long as the host lets it) until its end is stored as aborted.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        try
        {
            await _running.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The host's shutdown timeout passed first: the next start marks the run aborted.
        }
    }

    /// <summary>
    /// Cancels a run still going, like a stop, and disposes nothing: a host may stop again after (or while) it disposes
    /// its services (a test host torn down with its derived hosts), and a run that outlived the shutdown wait still
    /// releases the lock when it ends. Neither the token source (no timer, no linked token) nor the semaphore (no wait
    /// handle) holds anything to free.
    /// </summary>
    public void Dispose() => _stopping.Cancel();

    /// <summary>The innermost message says what happened, on one line.</summary>
    private static string Reason(Exception exception)
    {
        var innermost = exception;
        while (innermost.InnerException is not null)
        {
            innermost = innermost.InnerException;
        }

        return OneLine($"{exception.GetType().Name}: {innermost.Message}");
    }

    private static string OneLine(string text)
    {
        var line = text.Split('\n', 2)[0].Trim();
        return line.Length <= 500 ? line : line[..497] + "...";
    }

    private static string Shown(string text) => text.Length <= 64 ? text : text[..64] + "...";

    [LoggerMessage(Level = LogLevel.Information, Message = "Load test {RunId} of scenario {Scenario} started by {User}")]
    private partial void LogStarted(Guid runId, string scenario, string user);

    [LoggerMessage(Level = LogLevel.Information, Message = "Load test {RunId} of scenario {Scenario} ended: {Status} {Detail}")]
    private partial void LogEnded(Guid runId, string scenario, LoadTestRunStatus status, string detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "Load test {RunId} of scenario {Scenario} failed")]
    private partial void LogFailed(Exception exception, Guid runId, string scenario);

    [LoggerMessage(Level = LogLevel.Error, Message = "The end of load test {RunId} could not be stored")]
    private partial void LogNotStored(Exception exception, Guid runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} load test(s) left running by an earlier process of this node are marked aborted")]
    private partial void LogLeftovers(int count);
}
