using Microsoft.EntityFrameworkCore;
using Deliverability.Core.Alerts.Evaluation;
using Deliverability.Core.Storage;

namespace Deliverability.Core.Alerts;

/// <summary>A new silence as the API, the CLI or the dashboard asks for it.</summary>
/// <param name="StartsAt">Null: now.</param>
/// <param name="CreatedBy">Who silences: the signed-in user or the API key (never a name the client chose).</param>
/// <param name="OnBehalfOf">A name the client gave (an API key used by a chat bot for a person): kept in the comment as a note, never as the author.</param>
public sealed record SilenceRequest(IReadOnlyList<string> Matchers, DateTimeOffset? StartsAt, DateTimeOffset EndsAt, string CreatedBy, string Comment, string? OnBehalfOf = null);

/// <summary>Creates and expires silences for the API, the CLI and the dashboard; a change takes effect at the next evaluation. Listing is <see cref="AlertStore"/>'s.</summary>
public sealed class AlertSilences
{
    private readonly IDbContextFactory<MonitorDbContext> _contexts;
    private readonly AlertMemory _memory;
    private readonly TimeProvider _time;

    internal AlertSilences(IDbContextFactory<MonitorDbContext> contexts, AlertMemory memory, TimeProvider time)
    {
        _contexts = contexts;
        _memory = memory;
        _time = time;
    }

    /// <summary>Stores a silence; it takes effect at the next evaluation.</summary>
    /// <exception cref="ArgumentException">A matcher does not parse, there is none or too many, the end is not after the start and now, it lasts or starts too far ahead, the author is missing, or a text is too long or holds control characters; the message names the field.</exception>
    public async Task<SilenceRow> CreateAsync(SilenceRequest request, CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        var matchers = Validate(request, now);
        var createdBy = request.CreatedBy.Trim();
        var comment = request.Comment.Trim();
        var onBehalfOf = AlertInputLimits.OnBehalfOf(request.OnBehalfOf, createdBy, "createdBy");
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
        using var turn = await _memory.LockAsync(cancellationToken).ConfigureAwait(false);
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await _memory.EnsureLoadedAsync(db, now, cancellationToken).ConfigureAwait(false);
        db.Add(row);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        db.ChangeTracker.Clear();
        _memory.Silences.Add(new CompiledSilence(row, matchers));
        return row;
    }

    /// <summary>Ends a silence now (a future one never starts). Null when there is no such silence.</summary>
    public async Task<SilenceRow?> ExpireAsync(string id, CancellationToken cancellationToken = default)
    {
        using var turn = await _memory.LockAsync(cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await _memory.EnsureLoadedAsync(db, now, cancellationToken).ConfigureAwait(false);
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

        _memory.Silences.RemoveAll(s => s.Row.Id == id);
        return row;
    }

    private static IReadOnlyList<AlertMatcher> Validate(SilenceRequest request, DateTimeOffset now)
    {
        if (request.Matchers.Count == 0)
        {
            throw new ArgumentException("matchers: a silence needs at least one matcher (a silence of everything is a maintenance window)");
        }

        if (request.Matchers.Count > AlertMatcher.MaxCount)
        {
            throw new ArgumentException($"matchers: at most {AlertMatcher.MaxCount} matchers (was {request.Matchers.Count})");
        }

        IReadOnlyList<AlertMatcher> matchers;
        try
        {
            matchers = AlertMatcher.ParseAll(request.Matchers);
        }
        catch (FormatException ex)
        {
            throw new ArgumentException($"matchers: {ex.Message}", ex);
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
}
