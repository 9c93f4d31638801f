using Microsoft.EntityFrameworkCore;

namespace Monitor.Core.Alerts;

public enum AcknowledgeResult
{
    Acknowledged,
    NotFound,

    /// <summary>The alert is resolved: there is nothing to acknowledge.</summary>
    NotActive,
}

/// <summary>A new silence as the API, the CLI or the dashboard asks for it.</summary>
/// <param name="StartsAt">Null: now.</param>
/// <param name="CreatedBy">Who silences: the signed-in user or the API key (never a name the client chose).</param>
/// <param name="OnBehalfOf">A name the client gave (an API key used by a chat bot for a person): kept in the comment as a note, never as the author.</param>
public sealed record SilenceRequest(IReadOnlyList<string> Matchers, DateTimeOffset? StartsAt, DateTimeOffset EndsAt, string CreatedBy, string Comment, string? OnBehalfOf = null);

public sealed partial class AlertEngine
{
    /// <summary>Marks a pending or firing alert as acknowledged by <paramref name="by"/> until it resolves; repeats of a fully acknowledged group stop.</summary>
    public Task<AcknowledgeResult> AcknowledgeAsync(string fingerprint, string by, CancellationToken cancellationToken = default) =>
        AcknowledgeAsync(fingerprint, by, onBehalfOf: null, cancellationToken);

    /// <summary>As <see cref="AcknowledgeAsync(string, string, CancellationToken)"/>, with a name the client gave kept as a note of the history (never as who acknowledged).</summary>
    /// <param name="by">Who acknowledges: the signed-in user or the API key.</param>
    /// <exception cref="ArgumentException"><paramref name="by"/> is empty, or a name is too long or holds control characters; the message names the field.</exception>
    public async Task<AcknowledgeResult> AcknowledgeAsync(string fingerprint, string by, string? onBehalfOf, CancellationToken cancellationToken = default)
    {
        by = by.Trim();
        onBehalfOf = OnBehalfOf(onBehalfOf, by, "by");
        if ((by.Length == 0 ? "by: who acknowledges must be named" : AlertInputLimits.Problem("by", by, AlertInputLimits.MaxNameLength)) is { } problem)
        {
            throw new ArgumentException(problem);
        }

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
            var change = History(alert, alert.Row.State, alert.Row.State, now, onBehalfOf is null ? $"acknowledged by {by}" : $"acknowledged by {by} on behalf of {onBehalfOf}");
            db.Update(alert.Row);
            db.Add(change);
            try
            {
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                Unload(); // not stored: memory must not say acknowledged either
                throw;
            }

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
    /// <exception cref="ArgumentException">A matcher does not parse, there is none or too many, the end is not after the start and now, it lasts or starts too far ahead, the author is missing, or a text is too long or holds control characters; the message names the field.</exception>
    public async Task<SilenceRow> CreateSilenceAsync(SilenceRequest request, CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        var matchers = ValidateSilence(request, now);
        var createdBy = request.CreatedBy.Trim();
        var comment = request.Comment.Trim();
        var onBehalfOf = OnBehalfOf(request.OnBehalfOf, createdBy, "createdBy");
        var row = new SilenceRow
        {
            Id = Guid.NewGuid().ToString("N"),
            MatchersJson = AlertJson.Write(matchers.Select(m => m.ToString())),
            StartsAt = request.StartsAt ?? now,
            EndsAt = request.EndsAt,
            CreatedBy = createdBy,
            Comment = onBehalfOf is null ? comment : $"{comment} (on behalf of {onBehalfOf})".TrimStart(),
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

        if (request.Matchers.Count > AlertMatcher.MaxCount)
        {
            throw new ArgumentException($"matchers: at most {AlertMatcher.MaxCount} matchers (was {request.Matchers.Count})");
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
        var longest = AlertInputLimits.MaxSilenceLength;
        if (start > now + longest)
        {
            throw new ArgumentException($"startsAt: must be at most {longest.TotalDays:0} days ahead (was {start:o})");
        }

        if (request.EndsAt <= start || request.EndsAt <= now)
        {
            throw new ArgumentException($"endsAt: must be after the start and after now (was {request.EndsAt:o}, start {start:o})");
        }

        if (request.EndsAt - start > longest)
        {
            throw new ArgumentException($"endsAt: a silence lasts at most {longest.TotalDays:0} days (was {request.EndsAt - start:%d} days from {start:o} to {request.EndsAt:o})");
        }

        if (string.IsNullOrWhiteSpace(request.CreatedBy))
        {
            throw new ArgumentException("createdBy: who silences must be named");
        }

        var problem = AlertInputLimits.Problem("createdBy", request.CreatedBy.Trim(), AlertInputLimits.MaxNameLength)
            ?? AlertInputLimits.Problem("comment", request.Comment.Trim(), AlertInputLimits.MaxCommentLength, multiline: true);
        if (problem is not null)
        {
            throw new ArgumentException(problem);
        }

        return matchers;
    }

    /// <summary>The name a client gave, trimmed, when it says something the author does not (null otherwise).</summary>
    /// <exception cref="ArgumentException">It is too long or holds control characters.</exception>
    private static string? OnBehalfOf(string? name, string author, string field)
    {
        var trimmed = name?.Trim();
        if (string.IsNullOrEmpty(trimmed) || string.Equals(trimmed, author, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return AlertInputLimits.Problem(field, trimmed, AlertInputLimits.MaxNameLength) is { } problem ? throw new ArgumentException(problem) : trimmed;
    }
}
