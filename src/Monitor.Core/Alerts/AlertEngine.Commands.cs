using Microsoft.EntityFrameworkCore;

namespace Monitor.Core.Alerts;

public enum AcknowledgeResult
{
    Acknowledged,
    NotFound,

    /// <summary>The alert is resolved: there is nothing to acknowledge.</summary>
    NotActive,
}

/// <summary>A new silence as the API or CLI asks for it.</summary>
/// <param name="StartsAt">Null: now.</param>
public sealed record SilenceRequest(IReadOnlyList<string> Matchers, DateTimeOffset? StartsAt, DateTimeOffset EndsAt, string CreatedBy, string Comment);

public sealed partial class AlertEngine
{
    /// <summary>Marks a pending or firing alert as acknowledged by <paramref name="by"/> until it resolves; repeats of a fully acknowledged group stop.</summary>
    public async Task<AcknowledgeResult> AcknowledgeAsync(string fingerprint, string by, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = _time.GetUtcNow();
            await using var db = await _contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            await EnsureLoadedAsync(db, now, cancellationToken).ConfigureAwait(false);
            if (!_alerts.TryGetValue(fingerprint, out var alert))
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
            var change = History(alert, alert.Row.State, alert.Row.State, now, $"acknowledged by {by}");
            db.Update(alert.Row);
            db.Add(change);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            db.ChangeTracker.Clear();
            _feed.Publish(new AlertChanged(fingerprint, alert.Row.AlertName, alert.Row.State, alert.Row.State, alert.Labels, now, by, alert.Row.MutedBy is not null));
            return AcknowledgeResult.Acknowledged;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stores a silence; it takes effect at the next evaluation.</summary>
    /// <exception cref="ArgumentException">A matcher does not parse, there is none, the end is not after the start and now, or the author is missing; the message says which.</exception>
    public async Task<SilenceRow> CreateSilenceAsync(SilenceRequest request, CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        var matchers = ValidateSilence(request, now);
        var row = new SilenceRow
        {
            Id = Guid.NewGuid().ToString("N"),
            MatchersJson = AlertJson.Write(matchers.Select(m => m.ToString())),
            StartsAt = request.StartsAt ?? now,
            EndsAt = request.EndsAt,
            CreatedBy = request.CreatedBy.Trim(),
            Comment = request.Comment.Trim(),
            CreatedAt = now,
            UpdatedAt = now,
        };
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var db = await _contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            await EnsureLoadedAsync(db, now, cancellationToken).ConfigureAwait(false);
            db.Add(row);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            db.ChangeTracker.Clear();
            _silences.Add((row, matchers));
            return row;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Ends a silence now (a future one never starts). Null when there is no such silence.</summary>
    public async Task<SilenceRow?> ExpireSilenceAsync(string id, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = _time.GetUtcNow();
            await using var db = await _contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            await EnsureLoadedAsync(db, now, cancellationToken).ConfigureAwait(false);
            var row = await db.Set<SilenceRow>().SingleOrDefaultAsync(s => s.Id == id, cancellationToken).ConfigureAwait(false);
            if (row is null)
            {
                return null;
            }

            if (row.EndsAt > now)
            {
                row.StartsAt = row.StartsAt > now ? now : row.StartsAt;
                row.EndsAt = now;
                row.UpdatedAt = now;
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            }

            _silences.RemoveAll(s => s.Row.Id == id);
            return row;
        }
        finally
        {
            _gate.Release();
        }
    }

    private static IReadOnlyList<AlertMatcher> ValidateSilence(SilenceRequest request, DateTimeOffset now)
    {
        if (request.Matchers.Count == 0)
        {
            throw new ArgumentException("matchers: a silence needs at least one matcher (a silence of everything is a maintenance window)");
        }

        var matchers = new List<AlertMatcher>();
        foreach (var text in request.Matchers)
        {
            try
            {
                matchers.Add(AlertMatcher.Parse(text));
            }
            catch (FormatException ex)
            {
                throw new ArgumentException($"matchers: {ex.Message}", ex);
            }
        }

        var start = request.StartsAt ?? now;
        if (request.EndsAt <= start || request.EndsAt <= now)
        {
            throw new ArgumentException($"endsAt: must be after the start and after now (was {request.EndsAt:o}, start {start:o})");
        }

        if (string.IsNullOrWhiteSpace(request.CreatedBy))
        {
            throw new ArgumentException("createdBy: who silences must be named");
        }

        return matchers;
    }
}
