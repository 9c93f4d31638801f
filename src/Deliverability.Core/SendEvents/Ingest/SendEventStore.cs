using Microsoft.EntityFrameworkCore;
using Deliverability.Core.SendEvents.Privacy;
using Deliverability.Core.Storage;

namespace Deliverability.Core.SendEvents.Ingest;

/// <summary>What is done to stored send events besides writing them: quarantine, erasure of one person, retention.</summary>
public sealed class SendEventStore(IDbContextFactory<MonitorDbContext> contexts, TimeProvider time)
{
    /// <summary>Keeps a refused body (cut to <see cref="SendEventQuarantineRow.MaxBodyChars"/>) with why it was refused.</summary>
    public async Task QuarantineAsync(string source, string reason, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var text = System.Text.Encoding.UTF8.GetString(body.Span[..Math.Min(body.Length, SendEventQuarantineRow.MaxBodyChars)]);
        var truncated = body.Length > SendEventQuarantineRow.MaxBodyChars;
        if (text.Length > SendEventQuarantineRow.MaxBodyChars)
        {
            text = text[..SendEventQuarantineRow.MaxBodyChars];
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        db.Set<SendEventQuarantineRow>().Add(new SendEventQuarantineRow
        {
            Source = source.Length <= SendEventRowConfiguration.NameLength ? source : source[..SendEventRowConfiguration.NameLength],
            ReceivedAt = time.GetUtcNow(),
            Reason = reason.Length <= 1000 ? reason : reason[..1000],
            Body = text.Replace('\0', ' '),
            Truncated = truncated,
        });
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes every event of <paramref name="address"/> (by its hash, or the address where it was kept) and every quarantined body that names it.</summary>
    public async Task<RecipientErasure> EraseRecipientAsync(RecipientIdentity identity, string address, CancellationToken cancellationToken)
    {
        var forms = identity.StoredForms(address);
        if (forms.Count == 0)
        {
            return new RecipientErasure(0, 0);
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var events = await db.Set<SendEventRow>().Where(r => r.RecipientHash != null && forms.Contains(r.RecipientHash))
            .ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        var normal = forms[^1];
        var quarantined = await db.Set<SendEventQuarantineRow>().Where(r => r.Body.ToLower().Contains(normal))
            .ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        return new RecipientErasure(events, quarantined);
    }

    /// <summary>Deletes events and quarantined bodies received more than <paramref name="retentionDays"/> days ago.</summary>
    public async Task<int> DeleteExpiredAsync(int retentionDays, CancellationToken cancellationToken)
    {
        var before = time.GetUtcNow().AddDays(-retentionDays);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        // Ids grow with the time of receipt, so the expired events are the ones below the first kept id: found by a
        // scan in id order that stops there, which spares every insert an index on ReceivedAt.
        var firstKept = await db.Set<SendEventRow>().Where(r => r.ReceivedAt >= before).OrderBy(r => r.Id)
            .Select(r => (long?)r.Id).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false) ?? long.MaxValue;
        var deleted = await db.Set<SendEventRow>().Where(r => r.Id < firstKept && r.ReceivedAt < before)
            .ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        deleted += await db.Set<SendEventQuarantineRow>().Where(r => r.ReceivedAt < before).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        return deleted;
    }
}

/// <summary>What an erasure deleted.</summary>
public sealed record RecipientErasure(int Events, int QuarantinedBodies);
