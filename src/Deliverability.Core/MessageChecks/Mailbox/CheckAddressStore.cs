using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Deliverability.Core.Storage;

namespace Deliverability.Core.MessageChecks.Mailbox;

/// <summary>One tagged check address given out (<c>message_check_addresses</c>) and what became of it.</summary>
public sealed class CheckAddressRow
{
    public required string Tag { get; set; }

    public required string Address { get; set; }

    public DateTimeOffset IssuedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>The check of the message that came to it; null while waiting.</summary>
    public Guid? CheckId { get; set; }

    /// <summary>Why the message that came could not be checked (too large, not a message).</summary>
    public string? Problem { get; set; }

    public bool IsWaiting => CheckId is null && Problem is null;
}

/// <summary>The check addresses given out: the tags the mailbox reader looks for, and the check each one led to.</summary>
public sealed class CheckAddressStore(IDbContextFactory<MonitorDbContext> contexts)
{
    /// <summary>Tags the mailbox is searched for at once at most (the newest); older waiting ones wait for a later search.</summary>
    public const int MaxWaiting = 50;

    public async Task<CheckAddressRow> IssueAsync(string mailbox, DateTimeOffset now, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var tag = CheckAddress.NewTag();
        var row = new CheckAddressRow { Tag = tag, Address = CheckAddress.For(mailbox, tag), IssuedAt = now, ExpiresAt = now + lifetime };
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        db.Set<CheckAddressRow>().Add(row);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);

        // Expired addresses are of no use to anyone: each new one clears them.
        var expired = await db.Set<CheckAddressRow>().Where(r => r.ExpiresAt < now).Select(r => r.Tag).ToListAsync(cancellationToken).ConfigureAwait(false);
        if (expired.Count > 0)
        {
            await db.Set<CheckAddressRow>().Where(r => expired.Contains(r.Tag)).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        }

        return row;
    }

    /// <summary>The tags still waiting for their message at <paramref name="now"/>, newest first.</summary>
    public async Task<IReadOnlyList<string>> WaitingAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.Set<CheckAddressRow>().AsNoTracking().Where(r => r.CheckId == null && r.Problem == null).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.Where(r => r.ExpiresAt >= now).OrderByDescending(r => r.IssuedAt).Take(MaxWaiting).Select(r => r.Tag)];
    }

    public async Task<CheckAddressRow?> GetAsync(string tag, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Set<CheckAddressRow>().AsNoTracking().FirstOrDefaultAsync(r => r.Tag == tag, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Records the check (or the reason there is none) of the message that came to <paramref name="tag"/>.</summary>
    public async Task CompleteAsync(string tag, Guid? checkId, string? problem, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await db.Set<CheckAddressRow>().Where(r => r.Tag == tag)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.CheckId, checkId).SetProperty(r => r.Problem, problem), cancellationToken).ConfigureAwait(false);
    }
}

internal sealed class CheckAddressRowConfiguration : IEntityTypeConfiguration<CheckAddressRow>
{
    public void Configure(EntityTypeBuilder<CheckAddressRow> e)
    {
        e.ToTable("message_check_addresses");
        e.HasKey(r => r.Tag);
        e.Property(r => r.Tag).HasMaxLength(CheckAddress.TagLength);
        e.Property(r => r.Address).HasMaxLength(400);
        e.Property(r => r.Problem).HasMaxLength(500);
        e.Ignore(r => r.IsWaiting);
    }
}
