using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Deliverability.Core.Storage;

namespace Deliverability.Core.Alerts.Notifications;

/// <summary>The recent delivery attempts (newest first), bounded to the configured count.</summary>
public sealed class NotificationAttemptStore(IDbContextFactory<MonitorDbContext> contexts, IOptions<AlertReceiversOptions> options)
{
    // Pruning on every insert would double the writes; every so often is enough for a bound.
    private const int PruneEvery = 50;

    public async Task AddAsync(NotificationAttemptRow row, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        row.Error = row.Error is { Length: > 1024 } error ? error[..1024] : row.Error;
        db.Set<NotificationAttemptRow>().Add(row);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        if (row.Id % PruneEvery == 0)
        {
            var oldest = row.Id - options.Value.Delivery.AttemptsKept;
            await db.Set<NotificationAttemptRow>().Where(r => r.Id <= oldest).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<IReadOnlyList<NotificationAttemptRow>> GetRecentAsync(string? receiver, int limit, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = db.Set<NotificationAttemptRow>().AsNoTracking();
        if (receiver is not null)
        {
            rows = rows.Where(r => r.Receiver == receiver);
        }

        return await rows.OrderByDescending(r => r.Id).Take(limit).ToListAsync(cancellationToken).ConfigureAwait(false);
    }
}
