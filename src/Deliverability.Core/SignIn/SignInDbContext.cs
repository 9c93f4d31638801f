using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Deliverability.Core.SignIn;

/// <summary>A dashboard account. One role per user (see <see cref="MonitorRoles"/>).</summary>
public sealed class MonitorUser : IdentityUser
{
    /// <summary>Set for the generated first administrator: the password was printed to the log and must be replaced.</summary>
    public bool MustChangePassword { get; set; }
}

/// <summary>
/// Users, roles and API keys, in their own context on the same database as the results (SQLite or PostgreSQL); the
/// tables are made by the sign-in migrations (Deliverability.Migrations) at start, like the monitor's own. On PostgreSQL
/// it also keeps the Data Protection key ring (sign-in cookies, antiforgery tokens, stored secrets), shared by every node.
/// </summary>
public class SignInDbContext : IdentityDbContext<MonitorUser>, IDataProtectionKeyContext
{
    public SignInDbContext(DbContextOptions<SignInDbContext> options)
        : base(options)
    {
    }

    /// <summary>For the provider-specific contexts that own the migrations; the model is this one.</summary>
    protected SignInDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<ApiKeyRow> ApiKeys => Set<ApiKeyRow>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // As in MonitorDbContext: SQLite orders DateTimeOffset only when stored as a number.
        if (Database.IsSqlite())
        {
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        }
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<MonitorUser>().ToTable("auth_users");
        builder.Entity<IdentityRole>().ToTable("auth_roles");
        builder.Entity<IdentityUserRole<string>>().ToTable("auth_user_roles");
        builder.Entity<IdentityUserClaim<string>>().ToTable("auth_user_claims");
        builder.Entity<IdentityUserLogin<string>>().ToTable("auth_user_logins");
        builder.Entity<IdentityUserToken<string>>().ToTable("auth_user_tokens");
        builder.Entity<IdentityRoleClaim<string>>().ToTable("auth_role_claims");
        builder.Entity<DataProtectionKey>().ToTable("data_protection_keys");
        builder.Entity<ApiKeyRow>(e =>
        {
            e.ToTable("api_keys");
            e.HasIndex(k => k.Hash).IsUnique();
            e.Property(k => k.Name).HasMaxLength(100);
            e.Property(k => k.Role).HasMaxLength(16);
            e.Property(k => k.Hash).HasMaxLength(64);
            e.Property(k => k.Prefix).HasMaxLength(16);
            e.Property(k => k.CreatedBy).HasMaxLength(256);
        });
    }
}

/// <summary>An API key: only its SHA-256 hash is stored, and the first characters to recognise it in a list.</summary>
public sealed class ApiKeyRow
{
    public long Id { get; set; }

    public required string Name { get; set; }

    public required string Role { get; set; }

    /// <summary>SHA-256 of the whole key, lower-case hex. The keys are 256 random bits, so a fast hash is enough.</summary>
    public required string Hash { get; set; }

    public required string Prefix { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public required string CreatedBy { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }
}
