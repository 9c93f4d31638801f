using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Deliverability.Core.Alerts.Evaluation;
using Deliverability.Core.Live;
using Deliverability.Core.Storage;

namespace Deliverability.Core.Alerts;

/// <summary>What one evaluation did.</summary>
/// <param name="Conditions">Conditions the rules found.</param>
/// <param name="Changes">Changes of alert state (and of muting) recorded in the history.</param>
/// <param name="Notifications">Notifications handed to the sender (one per group and receiver).</param>
/// <param name="Failed">Of those, how many the sender could not deliver (retried at the group's next interval).</param>
/// <param name="Phases">Wall-clock time of each phase (read, rules, lifecycle, store, send), for the benchmark and the logs.</param>
public sealed record AlertCycleOutcome(int Conditions, int Changes, int Notifications, int Failed, IReadOnlyDictionary<string, double>? Phases = null);

/// <summary>The interval between two scheduled audits, for the stale-data rule (null when unknown).</summary>
public sealed record AuditCadence(TimeSpan? Interval);

/// <summary>
/// The alert engine, one evaluation at a time: reads the latest check states and the features' signals, applies the
/// rules, moves each alert through pending, firing and resolved, mutes what silences, maintenance windows and
/// inhibitions cover, stores the changes, and sends the aggregation groups that are due (Alertmanager's group_wait,
/// group_interval, repeat_interval and notification log). Everything is stored, so a restart resumes where it stopped.
/// </summary>
/// <remarks>
/// <para>Time comes only from <see cref="TimeProvider"/>: a test drives the whole lifecycle on a fake clock by calling <see cref="RunOnceAsync"/>.</para>
/// <para>Nothing is notified that is not stored first: each evaluation stores the alerts' changes and a delivery record
/// per notification, then sends, then stores the groups' notification log (<see cref="AtLeastOnceDelivery"/>). When an
/// evaluation fails half-way, the state in memory is dropped and read again from the database, so a change is never
/// taken as done before it is stored. One bad stored silence or one failing rule is skipped and logged; the others are
/// evaluated. Acknowledgements and silences are <see cref="AlertAcknowledgements"/>' and <see cref="AlertSilences"/>'.</para>
/// </remarks>
public sealed partial class AlertEngine
{
    private readonly IDbContextFactory<MonitorDbContext> _contexts;
    private readonly AlertMemory _memory;
    private readonly AlertSignalCollector _signals;
    private readonly AlertRuleRunner _rules;
    private readonly AlertLifecycle _lifecycle;
    private readonly AlertMuting _muting;
    private readonly NotificationPlanner _planner;
    private readonly AtLeastOnceDelivery _delivery;
    private readonly AlertRetention _retention;
    private readonly LiveFeed<AlertChanged> _feed;
    private readonly TimeProvider _time;
    private readonly ILogger<AlertEngine> _logger;

    internal AlertEngine(
        IDbContextFactory<MonitorDbContext> contexts,
        IOptions<AlertOptions> options,
        AlertMemory memory,
        AlertSignalCollector signals,
        AlertRuleRunner rules,
        AlertLifecycle lifecycle,
        AlertMuting muting,
        NotificationPlanner planner,
        AtLeastOnceDelivery delivery,
        AlertRetention retention,
        LiveFeed<AlertChanged> feed,
        TimeProvider time,
        ILogger<AlertEngine> logger)
    {
        _contexts = contexts;
        EvaluationInterval = options.Value.EvaluationInterval;
        _memory = memory;
        _signals = signals;
        _rules = rules;
        _lifecycle = lifecycle;
        _muting = muting;
        _planner = planner;
        _delivery = delivery;
        _retention = retention;
        _feed = feed;
        _time = time;
        _logger = logger;
    }

    public TimeSpan EvaluationInterval { get; }

    /// <summary>One evaluation: rules, lifecycle, muting, the groups that are due. Never runs at the same time as another evaluation or a command.</summary>
    public async Task<AlertCycleOutcome> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        using var turn = await _memory.LockAsync(cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var phases = new Dictionary<string, double>(StringComparer.Ordinal);
        var watch = Stopwatch.StartNew();
        void Phase(string name)
        {
            phases[name] = watch.Elapsed.TotalMilliseconds;
            watch.Restart();
        }

        var changes = new AlertChanges();
        List<DueNotification> due;
        int conditions;
        int failed;
        try
        {
            await using (var db = await _contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
            {
                await _memory.EnsureLoadedAsync(db, now, cancellationToken).ConfigureAwait(false);
                await _memory.Checks.RefreshAsync(db, now, cancellationToken).ConfigureAwait(false);
                Phase("read");
                var signals = await _signals.CollectAsync(cancellationToken).ConfigureAwait(false);
                var found = await _rules.EvaluateAsync(now, _memory.Checks.All, signals.Signals, _memory.StartedAt, cancellationToken).ConfigureAwait(false);
                conditions = found.Conditions.Count;
                Phase("rules");
                _lifecycle.Apply(found, signals.Complete, now, changes);
                _muting.Apply(now, changes);
                due = _planner.Plan(now);
                Phase("lifecycle");
                changes.AddTo(db);
                _planner.AddNewGroupsTo(db);
                _delivery.Record(db, now, due);
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                db.ChangeTracker.Clear();
                changes.Stored();
                Phase("store");
            }

            failed = await _delivery.SendAsync(due, now, cancellationToken).ConfigureAwait(false);
            await _delivery.StoreLogAsync(cancellationToken).ConfigureAwait(false);
            Phase("send");
            await _retention.ApplyAsync(now, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // The state in memory may be ahead of the database (a change applied, not stored): drop it, so that the next
            // evaluation starts again from what is stored and finds the same changes again.
            _memory.Unload();
            throw;
        }

        changes.PublishTo(_feed, _memory.Alerts);
        if (changes.History.Count > 0 || due.Count > 0)
        {
            LogCycle(conditions, changes.History.Count, due.Count, failed);
        }

        return new AlertCycleOutcome(conditions, changes.History.Count, due.Count, failed, phases);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert evaluation: {Conditions} conditions, {Changes} changes, {Notifications} notifications, {Failed} not delivered")]
    private partial void LogCycle(int conditions, int changes, int notifications, int failed);
}
