using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Deliverability.Core.Storage;

/// <summary>One model for both providers (SQLite and PostgreSQL); each provider has its own migrations (Deliverability.Migrations).</summary>
public class MonitorDbContext : DbContext
{
    public MonitorDbContext(DbContextOptions<MonitorDbContext> options)
        : base(options)
    {
    }

    /// <summary>For the provider-specific contexts that own the migrations; the model is this one.</summary>
    protected MonitorDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<CheckStateRow> CheckStates => Set<CheckStateRow>();

    public DbSet<CheckTransitionRow> CheckTransitions => Set<CheckTransitionRow>();

    public DbSet<DomainAuditRow> DomainAudits => Set<DomainAuditRow>();

    /// <summary>Points <paramref name="builder"/> at the configured database.</summary>
    // A list in a query (ids.Contains(e.Id)) goes as one parameter (json_each on SQLite, = ANY on PostgreSQL), not one
    // parameter an item: SQLite finds each of thousands of named parameters by a scan of all their names, in time square
    // to their count (the send event processor marks 2,000 ids at once).
    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder builder, StorageProvider provider, string connectionString) => provider switch
    {
        StorageProvider.Postgres => builder.UseNpgsql(connectionString, o => o.UseParameterizedCollectionMode(ParameterTranslationMode.Parameter)),
        _ => builder.UseSqlite(connectionString, o => o.UseParameterizedCollectionMode(ParameterTranslationMode.Parameter))
            .AddInterceptors(SqliteBusyTimeout.Instance),
    };

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite cannot compare or order DateTimeOffset values stored as text; as a number it can. Times are stored in UTC.
        if (Database.IsSqlite())
        {
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        }
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<CheckStateRow>(e =>
        {
            e.ToTable("check_states");
            e.HasIndex(r => new { r.Domain, r.Check }).IsUnique();
            e.Property(r => r.Domain).HasMaxLength(253);
            e.Property(r => r.Check).HasMaxLength(64);
            e.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
            e.Property(r => r.BadStatus).HasConversion<string>().HasMaxLength(16);
        });

        modelBuilder.Entity<CheckTransitionRow>(e =>
        {
            e.ToTable("check_transitions");
            e.HasIndex(r => new { r.Domain, r.Check, r.At });
            e.HasIndex(r => r.At);
            e.Property(r => r.Domain).HasMaxLength(253);
            e.Property(r => r.Check).HasMaxLength(64);
            e.Property(r => r.FromStatus).HasConversion<string>().HasMaxLength(16);
            e.Property(r => r.ToStatus).HasConversion<string>().HasMaxLength(16);
        });

        modelBuilder.Entity<DomainAuditRow>(e =>
        {
            e.ToTable("domain_audits");
            e.HasKey(r => r.Domain);
            e.Property(r => r.Domain).HasMaxLength(253);
            e.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
        });

        // Each feature (blacklists, placement, alerts) maps its own rows with IEntityTypeConfiguration classes beside
        // them and reads them with Set<TRow>(); this file does not grow with every feature.
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(MonitorDbContext).Assembly);
    }
}
