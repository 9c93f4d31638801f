using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Deliverability.Core.DmarcReports.Mailbox;

/// <summary>What became of one input (a mailbox message, a watched file, an upload): <c>dmarc_inputs</c>.</summary>
public sealed class ReportInputRow
{
    public long Id { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>Where it came from: <c>mailbox reports</c>, <c>folder</c>, <c>upload by alice</c>.</summary>
    public string Source { get; set; } = "";

    /// <summary>The message's subject or the file's name.</summary>
    public string Name { get; set; } = "";

    public ReportInputOutcome Outcome { get; set; }

    /// <summary>Why it is invalid or unsaved; null otherwise.</summary>
    public string? Reason { get; set; }

    /// <summary>How many reports it carried (imported or duplicate).</summary>
    public int Reports { get; set; }

    /// <summary>The folder it was moved to (<c>Archive/Invalid</c>, <c>done</c>); null for an upload.</summary>
    public string? MovedTo { get; set; }
}

/// <summary>What became of an input.</summary>
public enum ReportInputOutcome
{
    /// <summary>Every report in it is stored (some may have been there already).</summary>
    Imported,

    /// <summary>Every report in it was stored before: counted, not stored again.</summary>
    Duplicate,

    /// <summary>Nothing in it could be read as a report, or a report in it was broken.</summary>
    Invalid,

    /// <summary>Its save failed too many times: kept aside (<c>Archive/Unsaved</c>), never deleted.</summary>
    Unsaved,
}

internal sealed class ReportInputRowConfiguration : IEntityTypeConfiguration<ReportInputRow>
{
    public void Configure(EntityTypeBuilder<ReportInputRow> e)
    {
        e.ToTable("dmarc_inputs");
        e.HasIndex(r => r.At);
        e.Property(r => r.Source).HasMaxLength(ReportInputLog.MaxText);
        e.Property(r => r.Name).HasMaxLength(ReportInputLog.MaxText);
        e.Property(r => r.Outcome).HasConversion<string>().HasMaxLength(16);
        e.Property(r => r.Reason).HasMaxLength(ReportInputLog.MaxReason);
        e.Property(r => r.MovedTo).HasMaxLength(ReportInputLog.MaxText);
    }
}
