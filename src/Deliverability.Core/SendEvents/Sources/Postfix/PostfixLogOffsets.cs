using Microsoft.EntityFrameworkCore;
using Deliverability.Core.Storage;

namespace Deliverability.Core.SendEvents.Sources.Postfix;

/// <summary>Reads and saves where each followed log was read up to.</summary>
public sealed class PostfixLogOffsets(IDbContextFactory<MonitorDbContext> contexts, TimeProvider time)
{
    public async Task<LogPosition?> LoadAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var row = await db.Set<PostfixLogOffsetRow>().FindAsync([name], cancellationToken).ConfigureAwait(false);
        return row is null ? null : new LogPosition(row.Offset, row.Fingerprint, row.FingerprintLength);
    }

    public async Task SaveAsync(string name, LogPosition position, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var row = await db.Set<PostfixLogOffsetRow>().FindAsync([name], cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            row = new PostfixLogOffsetRow { Name = name, Fingerprint = "" };
            db.Add(row);
        }

        (row.Offset, row.Fingerprint, row.FingerprintLength, row.UpdatedAt) = (position.Offset, position.Fingerprint, position.FingerprintLength, time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }
}
