using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Deliverability.Core.Blacklists;

/// <summary>
/// What is known of one target on one zone. <see cref="State"/> moves only with a definitive verdict (listed or not
/// listed from a self-tested zone); the last attempt, whatever it gave (refused, error, capped, untrusted), is kept
/// beside it so the API can say why the state is not fresh.
/// </summary>
public sealed class BlacklistStateRow
{
    public long Id { get; set; }

    public required string Target { get; set; }

    public required string Zone { get; set; }

    /// <summary><c>listed</c> or <c>not_listed</c>; null until the first definitive verdict.</summary>
    public string? State { get; set; }

    /// <summary>When <see cref="State"/> last changed (for a listing: listed since when).</summary>
    public DateTimeOffset? StateSince { get; set; }

    /// <summary>When the last definitive verdict came.</summary>
    public DateTimeOffset? VerdictAt { get; set; }

    /// <summary>The listing codes of the current listing, comma-separated (empty when not listed).</summary>
    public string Codes { get; set; } = "";

    public string? Meaning { get; set; }

    /// <summary>The list's own TXT text for the current listing.</summary>
    public string? ReasonText { get; set; }

    /// <summary>The status word of the last attempt: <c>listed</c>, <c>not_listed</c>, <c>refused</c> or <c>error</c>.</summary>
    public required string LastStatus { get; set; }

    public bool LastCapped { get; set; }

    public bool LastUntrusted { get; set; }

    /// <summary>What the last attempt said (why there was no verdict, when there was none).</summary>
    public required string LastMessage { get; set; }

    public DateTimeOffset CheckedAt { get; set; }
}

/// <summary>A listing began (<c>listed</c>) or ended (<c>delisted</c>) for one target on one zone.</summary>
public sealed class BlacklistEventRow
{
    public const string Listed = "listed";
    public const string Delisted = "delisted";

    public long Id { get; set; }

    public required string Target { get; set; }

    public required string Zone { get; set; }

    /// <summary><see cref="Listed"/> or <see cref="Delisted"/>.</summary>
    public required string Kind { get; set; }

    /// <summary>When the change was seen (the check that found it).</summary>
    public DateTimeOffset At { get; set; }

    /// <summary>When the listing began (for <c>listed</c>, the same as <see cref="At"/>).</summary>
    public DateTimeOffset ListedSince { get; set; }

    /// <summary>How long the listing lasted, in seconds (delisted only).</summary>
    public double? DurationSeconds { get; set; }

    /// <summary>The listing codes, comma-separated (of the listing that began or ended).</summary>
    public string Codes { get; set; } = "";

    public string? Meaning { get; set; }
}

/// <summary>The queries sent to one zone on one UTC day (the daily cap survives a restart).</summary>
public sealed class BlacklistQueryCountRow
{
    public long Id { get; set; }

    public required string Zone { get; set; }

    public DateOnly Day { get; set; }

    public int Used { get; set; }
}

internal sealed class BlacklistQueryCountRowConfiguration : IEntityTypeConfiguration<BlacklistQueryCountRow>
{
    public void Configure(EntityTypeBuilder<BlacklistQueryCountRow> e)
    {
        e.ToTable("blacklist_query_counts");
        e.HasIndex(r => new { r.Zone, r.Day }).IsUnique();
        e.Property(r => r.Zone).HasMaxLength(253);
    }
}

internal sealed class BlacklistStateRowConfiguration : IEntityTypeConfiguration<BlacklistStateRow>
{
    public void Configure(EntityTypeBuilder<BlacklistStateRow> e)
    {
        e.ToTable("blacklist_states");
        e.HasIndex(r => new { r.Target, r.Zone }).IsUnique();
        e.HasIndex(r => r.State); // the alert signals read only the listed rows, every evaluation
        e.Property(r => r.Target).HasMaxLength(253);
        e.Property(r => r.Zone).HasMaxLength(253);
        e.Property(r => r.State).HasMaxLength(16);
        e.Property(r => r.LastStatus).HasMaxLength(16);
    }
}

internal sealed class BlacklistEventRowConfiguration : IEntityTypeConfiguration<BlacklistEventRow>
{
    public void Configure(EntityTypeBuilder<BlacklistEventRow> e)
    {
        e.ToTable("blacklist_events");
        e.HasIndex(r => new { r.Target, r.Zone, r.At });
        e.HasIndex(r => r.At);
        e.Property(r => r.Target).HasMaxLength(253);
        e.Property(r => r.Zone).HasMaxLength(253);
        e.Property(r => r.Kind).HasMaxLength(16);
    }
}
