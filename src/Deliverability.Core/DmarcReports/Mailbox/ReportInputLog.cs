using Microsoft.EntityFrameworkCore;
using Deliverability.Core.Storage;

namespace Deliverability.Core.DmarcReports.Mailbox;

/// <summary>One input and what became of it, as the DMARC page and <c>/api/dmarc/inputs</c> show it.</summary>
public sealed record ReportInput(long Id, DateTimeOffset At, string Source, string Name, ReportInputOutcome Outcome, string? Reason, int Reports, string? MovedTo);

/// <summary>The record of what became of each input (<c>dmarc_inputs</c>): why a message went to <c>Archive/Invalid</c>, for one.</summary>
public sealed class ReportInputLog(IDbContextFactory<MonitorDbContext> contexts, TimeProvider time)
{
    public const int MaxText = 300;
    public const int MaxReason = 2000;

    /// <summary>Inputs older than this are forgotten (the reports themselves are kept).</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(90);

    /// <summary>Records an input. Throws when the database cannot be written (the caller keeps the input).</summary>
    public async Task AddAsync(string source, string name, ReportInputOutcome outcome, string? reason, int reports, string? movedTo, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        db.Set<ReportInputRow>().Add(new ReportInputRow
        {
            At = time.GetUtcNow(),
            Source = Clip(source, MaxText),
            Name = Clip(name, MaxText),
            Outcome = outcome,
            Reason = reason is null ? null : Clip(reason, MaxReason),
            Reports = reports,
            MovedTo = movedTo is null ? null : Clip(movedTo, MaxText),
        });
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The latest inputs, newest first; only those with <paramref name="outcome"/> when given.</summary>
    public async Task<IReadOnlyList<ReportInput>> LatestAsync(int count, ReportInputOutcome? outcome, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = db.Set<ReportInputRow>().AsNoTracking();
        if (outcome is { } wanted)
        {
            rows = rows.Where(r => r.Outcome == wanted);
        }

        return await rows.OrderByDescending(r => r.Id).Take(Math.Clamp(count, 1, 1000))
            .Select(r => new ReportInput(r.Id, r.At, r.Source, r.Name, r.Outcome, r.Reason, r.Reports, r.MovedTo))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Forgets inputs older than <see cref="Retention"/>.</summary>
    public async Task<int> PruneAsync(CancellationToken cancellationToken)
    {
        var before = time.GetUtcNow() - Retention;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.Set<ReportInputRow>().Where(r => r.At < before).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What an import result means for its input, and why when it is invalid.</summary>
    public static (ReportInputOutcome Outcome, string? Reason) Judge(ImportResult result)
    {
        if (result.HasInvalid)
        {
            var reasons = result.Reports.Where(r => r.Status == ImportStatus.Invalid).Select(r => r.Reason).OfType<string>().Distinct().ToList();
            return (ReportInputOutcome.Invalid, reasons.Count > 0 ? string.Join("; ", reasons) : "no report found in it");
        }

        return (result.Reports.All(r => r.Status == ImportStatus.Duplicate) ? ReportInputOutcome.Duplicate : ReportInputOutcome.Imported, null);
    }

    private static string Clip(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
