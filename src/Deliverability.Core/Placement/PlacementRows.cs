using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Deliverability.Core.Placement;

/// <summary>One placement run with its overall counts (<c>placement_runs</c>).</summary>
public sealed class PlacementRunRow
{
    public Guid Id { get; set; }

    public required string SendPath { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset FinishedAt { get; set; }

    public int Seeds { get; set; }

    public int Inbox { get; set; }

    public int Spam { get; set; }

    public int Other { get; set; }

    public int Missing { get; set; }

    public int Errors { get; set; }
}

/// <summary>One seed's result in a run (<c>placement_seed_results</c>).</summary>
public sealed class PlacementSeedResultRow
{
    public long Id { get; set; }

    public Guid RunId { get; set; }

    /// <summary>The seed's place in the run, to give results back in configuration order.</summary>
    public int Position { get; set; }

    public required string Provider { get; set; }

    public required string Address { get; set; }

    /// <summary>inbox, spam, other, missing or error.</summary>
    public required string Placement { get; set; }

    public string? Folder { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    public DateTimeOffset? ArrivedAt { get; set; }

    public string? Spf { get; set; }

    public string? Dkim { get; set; }

    public string? Dmarc { get; set; }

    /// <summary>The receiver's Authentication-Results header values as a JSON array of strings.</summary>
    public required string AuthenticationResultsJson { get; set; }

    public string? Error { get; set; }
}

internal sealed class PlacementRunRowConfiguration : IEntityTypeConfiguration<PlacementRunRow>
{
    public void Configure(EntityTypeBuilder<PlacementRunRow> e)
    {
        e.ToTable("placement_runs");
        e.HasKey(r => r.Id);
        e.HasIndex(r => r.StartedAt);
        e.Property(r => r.SendPath).HasMaxLength(200);
    }
}

internal sealed class PlacementSeedResultRowConfiguration : IEntityTypeConfiguration<PlacementSeedResultRow>
{
    public void Configure(EntityTypeBuilder<PlacementSeedResultRow> e)
    {
        e.ToTable("placement_seed_results");
        e.HasIndex(r => new { r.RunId, r.Position }).IsUnique();
        e.HasOne<PlacementRunRow>().WithMany().HasForeignKey(r => r.RunId).OnDelete(DeleteBehavior.Cascade);
        e.Property(r => r.Provider).HasMaxLength(100);
        e.Property(r => r.Address).HasMaxLength(320);
        e.Property(r => r.Placement).HasMaxLength(16);
        e.Property(r => r.Folder).HasMaxLength(500);
        e.Property(r => r.Spf).HasMaxLength(32);
        e.Property(r => r.Dkim).HasMaxLength(32);
        e.Property(r => r.Dmarc).HasMaxLength(32);
        e.Property(r => r.Error).HasMaxLength(2000);
    }
}
