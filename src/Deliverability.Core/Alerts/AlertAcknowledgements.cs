using Microsoft.EntityFrameworkCore;
using Deliverability.Core.Alerts.Evaluation;
using Deliverability.Core.Live;
using Deliverability.Core.Storage;

namespace Deliverability.Core.Alerts;

public enum AcknowledgeResult
{
    Acknowledged,
    NotFound,

    /// <summary>The alert is resolved: there is nothing to acknowledge.</summary>
    NotActive,
}

/// <summary>
/// Acknowledges alerts for the API, the CLI and the dashboard: a pending or firing alert is marked as acknowledged until
/// it resolves, and repeats of a group whose firing alerts are all acknowledged stop. Stored first, then published.
/// </summary>
public sealed class AlertAcknowledgements
{
    private readonly IDbContextFactory<MonitorDbContext> _contexts;
    private readonly AlertMemory _memory;
    private readonly LiveFeed<AlertChanged> _feed;
    private readonly TimeProvider _time;

    internal AlertAcknowledgements(IDbContextFactory<MonitorDbContext> contexts, AlertMemory memory, LiveFeed<AlertChanged> feed, TimeProvider time)
    {
        _contexts = contexts;
        _memory = memory;
        _feed = feed;
        _time = time;
    }

    /// <summary>Marks a pending or firing alert as acknowledged by <paramref name="by"/> until it resolves.</summary>
    public Task<AcknowledgeResult> AcknowledgeAsync(string fingerprint, string by, CancellationToken cancellationToken = default) =>
        AcknowledgeAsync(fingerprint, by, onBehalfOf: null, cancellationToken);

    /// <summary>As <see cref="AcknowledgeAsync(string, string, CancellationToken)"/>, with a name the client gave kept as a note of the history (never as who acknowledged).</summary>
    /// <param name="by">Who acknowledges: the signed-in user or the API key.</param>
    /// <exception cref="ArgumentException"><paramref name="by"/> is empty, or a name is too long or holds control characters; the message names the field.</exception>
    public async Task<AcknowledgeResult> AcknowledgeAsync(string fingerprint, string by, string? onBehalfOf, CancellationToken cancellationToken = default)
    {
        by = by.Trim();
        onBehalfOf = AlertInputLimits.OnBehalfOf(onBehalfOf, by, "by");
        if ((by.Length == 0 ? "by: who acknowledges must be named" : AlertInputLimits.Problem("by", by, AlertInputLimits.MaxNameLength)) is { } problem)
        {
            throw new ArgumentException(problem);
        }

        using var turn = await _memory.LockAsync(cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await _memory.EnsureLoadedAsync(db, now, cancellationToken).ConfigureAwait(false);
        if (!_memory.Alerts.TryGetValue(fingerprint, out var alert))
        {
            return AcknowledgeResult.NotFound;
        }

        if (alert.Row.State == AlertState.Resolved)
        {
            return AcknowledgeResult.NotActive;
        }

        alert.Row.AcknowledgedBy = by;
        alert.Row.AcknowledgedAt = now;
        alert.Row.UpdatedAt = now;
        var changes = new AlertChanges();
        changes.Record(alert, alert.Row.State, alert.Row.State, now, onBehalfOf is null ? $"acknowledged by {by}" : $"acknowledged by {by} on behalf of {onBehalfOf}");
        changes.AddTo(db);
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _memory.Unload(); // not stored: memory must not say acknowledged either
            throw;
        }

        db.ChangeTracker.Clear();
        changes.PublishTo(_feed, _memory.Alerts);
        return AcknowledgeResult.Acknowledged;
    }
}
