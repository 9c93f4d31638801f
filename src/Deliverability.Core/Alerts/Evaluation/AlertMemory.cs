using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Deliverability.Core.Storage;

namespace Deliverability.Core.Alerts.Evaluation;

/// <summary>A silence with its matchers compiled.</summary>
internal sealed record CompiledSilence(SilenceRow Row, IReadOnlyList<AlertMatcher> Matchers);

/// <summary>
/// What the engine holds between evaluations: the alerts, the aggregation groups, the silences, the deliveries in
/// flight and the rules' view of the checks. Read from the database on first use, and dropped (<see cref="Unload"/>)
/// whenever a change may not have been stored, so that memory is never ahead of the database.
/// </summary>
/// <remarks>
/// Evaluations and commands (acknowledge, silences) change it one at a time, each holding <see cref="LockAsync"/>.
/// When several nodes share the database (<see cref="AlertStateSharing"/>), another node may have changed the state
/// since: each turn then starts from what is stored.
/// </remarks>
internal sealed partial class AlertMemory(ILogger<AlertMemory> logger, AlertStateSharing? sharing = null)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _loaded;

    public Dictionary<string, LiveAlert> Alerts { get; } = new(StringComparer.Ordinal);

    public Dictionary<(string GroupKey, string Receiver), LiveGroup> Groups { get; } = [];

    /// <summary>Stored groups dropped from <see cref="Groups"/>, to delete with the next notification log.</summary>
    public List<AlertGroupRow> ForgottenGroups { get; } = [];

    /// <summary>The silences not yet ended whose matchers compile.</summary>
    public List<CompiledSilence> Silences { get; } = [];

    /// <summary>Delivery records found at load: notifications that were being sent when an evaluation stopped.</summary>
    public Dictionary<(string GroupKey, string Receiver), AlertDeliveryRow> InterruptedDeliveries { get; } = [];

    /// <summary>Delivery records stored by this evaluation, removed with the notification log once the calls ended.</summary>
    public List<AlertDeliveryRow> DeliveriesInFlight { get; } = [];

    public LatestCheckStates Checks { get; private set; } = new();

    /// <summary>When the first evaluation (or command) of this process loaded the state.</summary>
    public DateTimeOffset StartedAt { get; private set; }

    /// <summary>Waits for the turn to read and change the state; dispose the result to give the turn back.</summary>
    public async Task<Turn> LockAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (sharing?.SharedWithOtherNodes == true)
        {
            Unload();
        }

        return new Turn(_gate);
    }

    public async Task EnsureLoadedAsync(MonitorDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (_loaded)
        {
            return;
        }

        foreach (var row in await db.Set<AlertRow>().AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false))
        {
            Alerts[row.Fingerprint] = new LiveAlert(row);
        }

        foreach (var row in await db.Set<AlertGroupRow>().AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false))
        {
            Groups[(row.GroupKey, row.Receiver)] = new LiveGroup(row);
        }

        foreach (var row in await db.Set<SilenceRow>().AsNoTracking().Where(s => s.EndsAt > now).ToListAsync(cancellationToken).ConfigureAwait(false))
        {
            // A silence stored by an earlier release (or written to the table by hand) may not be valid now: skipped, never fatal.
            if (SilenceMatchers.TryCompile(row, out var matchers, out var problem))
            {
                Silences.Add(new CompiledSilence(row, matchers));
            }
            else
            {
                LogSilenceSkipped(row.Id, problem);
            }
        }

        foreach (var row in await db.Set<AlertDeliveryRow>().AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false))
        {
            InterruptedDeliveries[(row.GroupKey, row.Receiver)] = row;
            LogDeliveryInterrupted(row.Receiver, row.GroupKey, row.IdempotencyKey, row.StartedAt);
        }

        if (StartedAt == default)
        {
            StartedAt = now;
        }

        _loaded = true;
    }

    /// <summary>Forgets the state; the next use reads it again from the database.</summary>
    public void Unload()
    {
        _loaded = false;
        Alerts.Clear();
        Groups.Clear();
        ForgottenGroups.Clear();
        Silences.Clear();
        InterruptedDeliveries.Clear();
        DeliveriesInFlight.Clear();
        Checks = new LatestCheckStates();
    }

    /// <summary>The turn of one evaluation or command; disposing it lets the next one in.</summary>
    public readonly struct Turn(SemaphoreSlim gate) : IDisposable
    {
        public void Dispose() => gate.Release();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Silence {SilenceId} is not applied: {Problem}. Expire it and create it again with valid matchers")]
    private partial void LogSilenceSkipped(string silenceId, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert notification to {Receiver} for group {GroupKey} (idempotency key {IdempotencyKey}) was being sent at {StartedAt} when an evaluation was interrupted (the service stopped or failed); the receiver may have it. If it is still due, it is sent again with the same idempotency key")]
    private partial void LogDeliveryInterrupted(string receiver, string groupKey, string idempotencyKey, DateTimeOffset startedAt);
}
