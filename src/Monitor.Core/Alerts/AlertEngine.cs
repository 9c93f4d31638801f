using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Monitor.Core.Alerts.Rules;
using Monitor.Core.Live;
using Monitor.Core.Storage;

namespace Monitor.Core.Alerts;

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
/// The alert engine, one evaluation at a time: reads the latest results and the features' signals, applies the rules,
/// moves each alert through pending, firing and resolved, mutes what silences, maintenance windows and inhibitions
/// cover, and flushes the aggregation groups that are due (Alertmanager's group_wait, group_interval,
/// repeat_interval and notification log). Everything is stored, so a restart resumes where it stopped.
/// </summary>
/// <remarks>
/// <para>Time comes only from <see cref="TimeProvider"/>: a test drives the whole lifecycle on a fake clock by calling <see cref="RunOnceAsync"/>.</para>
/// <para>Nothing is notified that is not stored first: each evaluation stores the alerts' changes and a delivery record
/// per notification, then sends, then stores the groups' notification log. When an evaluation fails half-way, the
/// state in memory is dropped and read again from the database, so a change is never taken as done before it is
/// stored. Delivery is at least once: a notification sent just before a crash (its log not yet stored) is sent again
/// after the restart, with the same idempotency key. One bad stored silence or one failing rule is skipped and logged;
/// the others are evaluated.</para>
/// </remarks>
public sealed partial class AlertEngine
{
    private const int MaxParallelSends = 8;
    private static readonly TimeSpan RetentionEvery = TimeSpan.FromHours(1);

    private readonly IDbContextFactory<MonitorDbContext> _contexts;
    private readonly AlertOptions _options;
    private readonly IAlertNotificationSender _sender;
    private readonly IReadOnlyList<IAlertSignalSource> _sources;
    private readonly LiveFeed<AlertChanged> _feed;
    private readonly TimeProvider _time;
    private readonly ILogger<AlertEngine> _logger;
    private readonly TimeSpan? _auditInterval;
    private readonly EffectiveAlertRules? _effectiveRules;
    private IReadOnlyList<IAlertRule> _rules;
    private long _rulesVersion;
    private readonly AlertRoute _route;
    private readonly IReadOnlyList<Inhibition> _inhibitions;
    private readonly IReadOnlyList<MaintenanceWindow> _windows;
    private readonly SemaphoreSlim _gate = new(1, 1);

    private readonly Dictionary<string, LiveAlert> _alerts = new(StringComparer.Ordinal);
    private readonly Dictionary<(string GroupKey, string Receiver), LiveGroup> _groups = [];
    private readonly List<(SilenceRow Row, IReadOnlyList<AlertMatcher> Matchers)> _silences = [];
    private readonly Dictionary<(string GroupKey, string Receiver), AlertDeliveryRow> _interruptedDeliveries = [];
    private readonly List<AlertDeliveryRow> _deliveriesInFlight = [];
    private readonly HashSet<string> _failingRules = new(StringComparer.Ordinal);
    private LatestCheckStates _checks = new();
    private bool _loaded;
    private DateTimeOffset _startedAt;
    private DateTimeOffset _lastRetention;

    public AlertEngine(
        IDbContextFactory<MonitorDbContext> contexts,
        IOptions<AlertOptions> options,
        IAlertNotificationSender sender,
        IEnumerable<IAlertSignalSource> sources,
        LiveFeed<AlertChanged> feed,
        TimeProvider time,
        AuditCadence cadence,
        ILogger<AlertEngine> logger,
        EffectiveAlertRules? effectiveRules = null)
    {
        _effectiveRules = effectiveRules;
        _contexts = contexts;
        _options = options.Value;
        _sender = sender;
        _sources = sources.ToArray();
        _feed = feed;
        _time = time;
        _logger = logger;
        _auditInterval = cadence.Interval;
        _rules = AlertRules.From(_options);
        _route = AlertRoute.Build(_options.Route);
        _inhibitions = [.. _options.DefaultInhibition ? [Inhibition.ListedIpMutesPlacement] : Array.Empty<Inhibition>(), .. _options.Inhibitions.Select(Inhibition.From)];
        var errors = new List<string>();
        _windows = _options.MaintenanceWindows.Select(w => MaintenanceWindow.TryCreate(w, errors)).OfType<MaintenanceWindow>().ToArray();
    }

    public TimeSpan EvaluationInterval => _options.EvaluationInterval;

    // The dashboard's rule changes apply from the next evaluation; the rules are rebuilt only when they changed.
    private async Task<IReadOnlyList<IAlertRule>> RulesInForceAsync(CancellationToken cancellationToken)
    {
        if (_effectiveRules is null)
        {
            return _rules;
        }

        var inForce = await _effectiveRules.GetAsync(cancellationToken).ConfigureAwait(false);
        if (inForce.Version != _rulesVersion)
        {
            _rules = AlertRules.From(inForce.Rules, _options.ExternalUrl);
            _rulesVersion = inForce.Version;
        }

        return _rules;
    }

    /// <summary>One evaluation: rules, lifecycle, muting, the groups that are due. Never runs twice at once.</summary>
    public async Task<AlertCycleOutcome> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await RunLockedAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<AlertCycleOutcome> RunLockedAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var phases = new Dictionary<string, double>(StringComparer.Ordinal);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        void Phase(string name)
        {
            phases[name] = watch.Elapsed.TotalMilliseconds;
            watch.Restart();
        }

        var changes = new List<AlertHistoryRow>();
        var dirty = new HashSet<LiveAlert>();
        List<Flush> flushes;
        int conditionCount;
        int failed;
        try
        {
            await using (var db = await _contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
            {
                await EnsureLoadedAsync(db, now, cancellationToken).ConfigureAwait(false);
                await _checks.RefreshAsync(db, now, cancellationToken).ConfigureAwait(false);
                Phase("read");
                var (signals, signalsComplete) = await GatherSignalsAsync(cancellationToken).ConfigureAwait(false);
                var input = new AlertRuleInput(now, _checks.All, signals, _auditInterval, _startedAt);
                var (conditions, failedRules) = EvaluateRules(await RulesInForceAsync(cancellationToken).ConfigureAwait(false), input);
                conditionCount = conditions.Count;
                Phase("rules");
                ApplyConditions(conditions, signalsComplete, failedRules, now, changes, dirty);
                ApplyMuting(now, changes, dirty);
                flushes = PlanFlushes(now);
                Phase("lifecycle");
                await SaveAsync(db, now, changes, dirty, flushes, cancellationToken).ConfigureAwait(false);
                Phase("store");
            }

            failed = await SendAsync(flushes, now, cancellationToken).ConfigureAwait(false);
            await SaveGroupsAsync(cancellationToken).ConfigureAwait(false);
            Phase("send");
            await ApplyRetentionAsync(now, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // The state in memory may be ahead of the database (a change applied, not stored): drop it, so that the next
            // evaluation starts again from what is stored and finds the same changes again.
            Unload();
            throw;
        }

        foreach (var change in changes)
        {
            var alert = _alerts.GetValueOrDefault(change.Fingerprint);
            _feed.Publish(new AlertChanged(change.Fingerprint, change.AlertName, change.FromState, change.ToState,
                alert?.Labels ?? new Dictionary<string, string>(), change.At, alert?.Row.AcknowledgedBy, alert?.Row.MutedBy is not null));
        }

        if (changes.Count > 0 || flushes.Count > 0)
        {
            LogCycle(conditionCount, changes.Count, flushes.Count, failed);
        }

        return new AlertCycleOutcome(conditionCount, changes.Count, flushes.Count, failed, phases);
    }

    /// <summary>The conditions of every rule; a rule that throws is skipped (and logged once), and its alerts are kept as they are.</summary>
    private (Dictionary<string, AlertCondition> Conditions, HashSet<string> FailedRules) EvaluateRules(IReadOnlyList<IAlertRule> rules, AlertRuleInput input)
    {
        var conditions = new Dictionary<string, AlertCondition>(StringComparer.Ordinal);
        var failed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rule in rules)
        {
            List<AlertCondition> found;
            try
            {
                found = [.. rule.Evaluate(input)];
            }
#pragma warning disable CA1031 // One rule's defect (a bad stored value, a bug) must not stop the other rules.
            catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
            {
                failed.Add(rule.AlertName);
                if (_failingRules.Add(rule.AlertName))
                {
                    LogRuleFailed(ex, rule.AlertName);
                }

                continue;
            }

            if (_failingRules.Remove(rule.AlertName))
            {
                LogRuleRecovered(rule.AlertName);
            }

            foreach (var condition in found)
            {
                conditions.TryAdd(condition.Fingerprint, condition);
            }
        }

        return (conditions, failed);
    }

    /// <summary>Forgets the state in memory; the next use reads it again from the database.</summary>
    private void Unload()
    {
        _loaded = false;
        _alerts.Clear();
        _groups.Clear();
        _silences.Clear();
        _forgotten.Clear();
        _checks = new LatestCheckStates();
        _interruptedDeliveries.Clear();
        _deliveriesInFlight.Clear();
    }

    private async Task EnsureLoadedAsync(MonitorDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (_loaded)
        {
            return;
        }

        foreach (var row in await db.Set<AlertRow>().AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false))
        {
            _alerts[row.Fingerprint] = new LiveAlert(row);
        }

        foreach (var row in await db.Set<AlertGroupRow>().AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false))
        {
            _groups[(row.GroupKey, row.Receiver)] = new LiveGroup(row);
        }

        foreach (var row in await db.Set<SilenceRow>().AsNoTracking().Where(s => s.EndsAt > now).ToListAsync(cancellationToken).ConfigureAwait(false))
        {
            // A silence stored by an earlier release (or written to the table by hand) may not be valid now: skipped, never fatal.
            if (SilenceMatchers.TryCompile(row, out var matchers, out var problem))
            {
                _silences.Add((row, matchers));
            }
            else
            {
                LogSilenceSkipped(row.Id, problem);
            }
        }

        foreach (var row in await db.Set<AlertDeliveryRow>().AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false))
        {
            _interruptedDeliveries[(row.GroupKey, row.Receiver)] = row;
            LogDeliveryInterrupted(row.Receiver, row.GroupKey, row.IdempotencyKey, row.StartedAt);
        }

        if (_startedAt == default)
        {
            _startedAt = now;
            _lastRetention = now;
        }

        _loaded = true;
    }

    /// <summary>The signals of every source; <c>Complete</c> is false when one failed.</summary>
    private async Task<(List<AlertSignal> Signals, bool Complete)> GatherSignalsAsync(CancellationToken cancellationToken)
    {
        var signals = new List<AlertSignal>();
        var complete = true;
        foreach (var source in _sources)
        {
            try
            {
                signals.AddRange(await source.GetSignalsAsync(cancellationToken).ConfigureAwait(false));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                complete = false;
                LogSourceFailed(ex, source.GetType().Name);
            }
        }

        return (signals, complete);
    }

    private void ApplyConditions(Dictionary<string, AlertCondition> conditions, bool signalsComplete, HashSet<string> failedRules, DateTimeOffset now, List<AlertHistoryRow> changes, HashSet<LiveAlert> dirty)
    {
        foreach (var condition in conditions.Values)
        {
            if (_alerts.TryGetValue(condition.Fingerprint, out var alert) && alert.Row.State is AlertState.Pending or AlertState.Firing)
            {
                if (!SameMap(alert.Annotations, condition.Annotations))
                {
                    alert.Annotations = condition.Annotations;
                    alert.Row.AnnotationsJson = AlertJson.Write(condition.Annotations);
                    alert.Row.UpdatedAt = now;
                    dirty.Add(alert);
                }

                if (alert.Row.State == AlertState.Pending && condition.MayFire(now))
                {
                    Move(alert, AlertState.Firing, now, changes, dirty);
                }

                continue;
            }

            if (alert is null)
            {
                alert = new LiveAlert(new AlertRow
                {
                    Fingerprint = condition.Fingerprint,
                    AlertName = condition.AlertName,
                    Severity = condition.Labels.GetValueOrDefault(AlertLabels.Severity, ""),
                    LabelsJson = AlertJson.Write(condition.Labels),
                    AnnotationsJson = AlertJson.Write(condition.Annotations),
                })
                { IsNew = true };
                _alerts[condition.Fingerprint] = alert;
            }

            // New, or back after a resolve: a new incident of the same alert.
            alert.Annotations = condition.Annotations;
            alert.Row.AnnotationsJson = AlertJson.Write(condition.Annotations);
            alert.Row.ActiveSince = condition.ActiveSince;
            alert.Row.StartsAt = null;
            alert.Row.EndsAt = null;
            alert.Row.AcknowledgedBy = null;
            alert.Row.AcknowledgedAt = null;
            var from = alert.IsNew ? (AlertState?)null : alert.Row.State;
            alert.Row.State = AlertState.Pending;
            if (condition.MayFire(now))
            {
                alert.Row.State = AlertState.Firing;
                alert.Row.StartsAt = now;
            }

            alert.Row.UpdatedAt = now;
            changes.Add(History(alert, from, alert.Row.State, now, null));
            dirty.Add(alert);
        }

        foreach (var alert in _alerts.Values)
        {
            if (alert.Row.State is AlertState.Pending or AlertState.Firing && !conditions.ContainsKey(alert.Row.Fingerprint))
            {
                if (!signalsComplete && alert.Row.AlertName is Rules.BlacklistRule.Name or Rules.InboxRateRule.Name)
                {
                    continue; // a source failed: no evidence that its conditions healed
                }

                if (failedRules.Contains(alert.Row.AlertName))
                {
                    continue; // its rule failed: no evidence either
                }

                alert.Row.EndsAt = now;
                Move(alert, AlertState.Resolved, now, changes, dirty);
            }
        }
    }

    private void Move(LiveAlert alert, AlertState to, DateTimeOffset now, List<AlertHistoryRow> changes, HashSet<LiveAlert> dirty)
    {
        var from = alert.Row.State;
        alert.Row.State = to;
        alert.Row.UpdatedAt = now;
        if (to == AlertState.Firing)
        {
            alert.Row.StartsAt = now;
        }

        changes.Add(History(alert, from, to, now, null));
        dirty.Add(alert);
    }

    private void ApplyMuting(DateTimeOffset now, List<AlertHistoryRow> changes, HashSet<LiveAlert> dirty)
    {
        _silences.RemoveAll(s => s.Row.EndsAt <= now);
        var firing = _alerts.Values.Where(a => a.Row.State == AlertState.Firing).Select(a => (a.Row.Fingerprint, a.Labels)).ToArray();
        var sources = _inhibitions.Select(i => i.SourceKeys(firing)).ToArray();
        var activeSilences = _silences.Where(s => s.Row.StartsAt <= now).ToArray();
        var activeWindows = _windows.Where(w => w.IsActive(now)).ToArray();
        foreach (var alert in _alerts.Values)
        {
            if (!alert.HasFired)
            {
                continue;
            }

            var mutedBy = MutedBy(alert, activeSilences, activeWindows, sources);
            if (mutedBy == alert.Row.MutedBy)
            {
                continue;
            }

            var was = alert.Row.MutedBy;
            alert.Row.MutedBy = mutedBy;
            dirty.Add(alert);
            if (alert.Row.State == AlertState.Firing)
            {
                changes.Add(History(alert, alert.Row.State, alert.Row.State, now, mutedBy is null ? $"unmuted (was {was})" : $"muted by {mutedBy}"));
            }
        }
    }

    private string? MutedBy(LiveAlert alert, (SilenceRow Row, IReadOnlyList<AlertMatcher> Matchers)[] silences, MaintenanceWindow[] windows, Dictionary<string, string>[] sources)
    {
        foreach (var (row, matchers) in silences)
        {
            if (AlertMatcher.MatchesAll(matchers, alert.Labels))
            {
                return $"silence:{row.Id}";
            }
        }

        foreach (var window in windows)
        {
            if (AlertMatcher.MatchesAll(window.Matchers, alert.Labels))
            {
                return $"maintenance:{window.Name}";
            }
        }

        for (var i = 0; i < _inhibitions.Count; i++)
        {
            if (alert.Row.State == AlertState.Firing && _inhibitions[i].Mutes(sources[i], alert.Row.Fingerprint, alert.Labels))
            {
                return "inhibited";
            }
        }

        return null;
    }

    private static AlertHistoryRow History(LiveAlert alert, AlertState? from, AlertState to, DateTimeOffset at, string? note) => new()
    {
        Fingerprint = alert.Row.Fingerprint,
        AlertName = alert.Row.AlertName,
        FromState = from,
        ToState = to,
        At = at,
        Note = note,
    };

    private static bool SameMap(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var value) && value == kv.Value);

    private async Task SaveAsync(MonitorDbContext db, DateTimeOffset now, List<AlertHistoryRow> changes, HashSet<LiveAlert> dirty, List<Flush> flushes, CancellationToken cancellationToken)
    {
        foreach (var alert in dirty)
        {
            if (alert.IsNew)
            {
                db.Add(alert.Row);
            }
            else
            {
                db.Update(alert.Row);
            }
        }

        db.AddRange(changes);

        foreach (var group in _groups.Values.Where(g => g.IsNew))
        {
            db.Add(group.Row);
            group.IsNew = false;
            group.Dirty = false;
        }

        RecordDeliveries(db, now, flushes);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        db.ChangeTracker.Clear();
        foreach (var alert in dirty)
        {
            alert.IsNew = false;
        }
    }

    private async Task ApplyRetentionAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (now - _lastRetention < RetentionEvery)
        {
            return;
        }

        _lastRetention = now;
        var cutoff = now - _options.ResolvedRetention;
        var known = _groups.Values.SelectMany(g => g.NotifiedFiring).ToHashSet(StringComparer.Ordinal);
        var expired = _alerts.Values.Where(a => a.Row.State == AlertState.Resolved && a.Row.EndsAt < cutoff && !known.Contains(a.Row.Fingerprint)).ToArray();
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        foreach (var alert in expired)
        {
            _alerts.Remove(alert.Row.Fingerprint);
            db.Remove(alert.Row);
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await db.Set<AlertHistoryRow>().Where(h => h.At < cutoff).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        await db.Set<SilenceRow>().Where(s => s.EndsAt < cutoff).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Silence {SilenceId} is not applied: {Problem}. Expire it and create it again with valid matchers")]
    private partial void LogSilenceSkipped(string silenceId, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "Alert rule {AlertName} failed and is skipped until it works again; its alerts are kept as they are, the other rules are evaluated")]
    private partial void LogRuleFailed(Exception exception, string alertName);

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert rule {AlertName} is evaluated again")]
    private partial void LogRuleRecovered(string alertName);

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert evaluation: {Conditions} conditions, {Changes} changes, {Notifications} notifications, {Failed} not delivered")]
    private partial void LogCycle(int conditions, int changes, int notifications, int failed);

    [LoggerMessage(Level = LogLevel.Error, Message = "Alert signal source {Source} failed; blacklist and inbox-rate alerts are kept as they are until it answers again")]
    private partial void LogSourceFailed(Exception exception, string source);
}
