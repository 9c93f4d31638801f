using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Deliverability.Core.Storage;

namespace Deliverability.Core.MessageChecks;

/// <summary>One stored check (<c>message_checks</c>): the summary for lists, and the report as the API's JSON.</summary>
public sealed class MessageCheckRow
{
    public Guid Id { get; set; }

    public DateTimeOffset CheckedAt { get; set; }

    public required string Source { get; set; }

    public required string Subject { get; set; }

    public required string From { get; set; }

    public double Score { get; set; }

    public int Errors { get; set; }

    public int Warnings { get; set; }

    public required string ReportJson { get; set; }
}

/// <summary>One render PNG of a stored check (<c>message_check_renders</c>).</summary>
public sealed class MessageCheckRenderRow
{
    public Guid CheckId { get; set; }

    public required string Name { get; set; }

    public required byte[] Png { get; set; }
}

/// <summary>Past message checks, newest first, bounded by <see cref="MessageCheckOptions.MaxStoredChecks"/>.</summary>
public sealed class MessageCheckStore(IDbContextFactory<MonitorDbContext> contexts)
{
    public async Task SaveAsync(MessageCheckReport report, string reportJson, int keep, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        db.Set<MessageCheckRow>().Add(new MessageCheckRow
        {
            Id = report.Id,
            CheckedAt = report.CheckedAt,
            Source = report.Source,
            Subject = Shorten(report.Subject, 300),
            From = Shorten(report.From, 300),
            Score = report.Score,
            Errors = report.Errors,
            Warnings = report.Warnings,
            ReportJson = reportJson,
        });
        db.Set<MessageCheckRenderRow>().AddRange(report.Renders.Images.Select(r => new MessageCheckRenderRow { CheckId = report.Id, Name = r.Name, Png = r.Png }));
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);

        var old = await db.Set<MessageCheckRow>().OrderByDescending(r => r.CheckedAt).Skip(keep).Select(r => r.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        if (old.Count > 0)
        {
            await db.Set<MessageCheckRenderRow>().Where(r => old.Contains(r.CheckId)).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
            await db.Set<MessageCheckRow>().Where(r => old.Contains(r.Id)).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<IReadOnlyList<MessageCheckRow>> ListAsync(int limit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Set<MessageCheckRow>().AsNoTracking().OrderByDescending(r => r.CheckedAt).Take(limit)
            .Select(r => new MessageCheckRow { Id = r.Id, CheckedAt = r.CheckedAt, Source = r.Source, Subject = r.Subject, From = r.From, Score = r.Score, Errors = r.Errors, Warnings = r.Warnings, ReportJson = "" })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<MessageCheckRow?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Set<MessageCheckRow>().AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken).ConfigureAwait(false);
    }

    public async Task<byte[]?> GetRenderAsync(Guid id, string name, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Set<MessageCheckRenderRow>().AsNoTracking().Where(r => r.CheckId == id && r.Name == name).Select(r => r.Png).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..max];
}

internal sealed class MessageCheckRowConfiguration : IEntityTypeConfiguration<MessageCheckRow>
{
    public void Configure(EntityTypeBuilder<MessageCheckRow> e)
    {
        e.ToTable("message_checks");
        e.HasKey(r => r.Id);
        e.HasIndex(r => r.CheckedAt);
        e.Property(r => r.Source).HasMaxLength(16);
        e.Property(r => r.Subject).HasMaxLength(300);
        e.Property(r => r.From).HasMaxLength(300);
    }
}

internal sealed class MessageCheckRenderRowConfiguration : IEntityTypeConfiguration<MessageCheckRenderRow>
{
    public void Configure(EntityTypeBuilder<MessageCheckRenderRow> e)
    {
        e.ToTable("message_check_renders");
        e.HasKey(r => new { r.CheckId, r.Name });
        e.Property(r => r.Name).HasMaxLength(32);
    }
}
