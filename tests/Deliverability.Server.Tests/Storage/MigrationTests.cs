using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Deliverability.Core.Audits;
using Deliverability.Core.SendEvents;
using Deliverability.Core.SignIn;
using Deliverability.Core.Storage;
using Deliverability.Migrations;
using Deliverability.Testing.Postgres;

namespace Deliverability.Server.Tests.Storage;

/// <summary>The schema migrations of both models on both providers, and the adoption of a database made before them.</summary>
public sealed class MigrationTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IDisposable
{
    // The monitor model's schema as the last release before migrations made it: the migration that brings it about.
    private const string LastSchemaBeforeMigrations = "MessageCheckAddresses";

    private readonly string _folder = Directory.CreateTempSubdirectory("monitor-migrations-").FullName;

    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.Postgres)]
    public void Every_model_change_has_a_migration(StorageProvider provider)
    {
        // Never opened: comparing the model with the migrations' snapshot needs no database.
        var connectionString = provider == StorageProvider.Postgres ? "Host=127.0.0.1;Database=unused" : "Data Source=unused.db";
        foreach (var context in SchemaContexts.All(provider, connectionString))
        {
            using var db = context;
            Assert.False(db.Database.HasPendingModelChanges(),
                $"{db.GetType().Name}: the model has changes no migration makes. Add one for both providers with: tools/add-migration.sh <MigrationName>");
        }
    }

    [Fact]
    public async Task A_sqlite_database_of_the_release_before_migrations_is_adopted_without_loss()
    {
        var connectionString = $"Data Source={Path.Combine(_folder, "monitor.db")}";
        await MakeReleaseBeforeMigrationsAsync(StorageProvider.Sqlite, connectionString);

        await DatabaseMigrator.MigrateAsync(StorageProvider.Sqlite, connectionString);

        await AssertAdoptedAsync(StorageProvider.Sqlite, connectionString);
    }

    [Fact]
    public async Task A_postgres_database_of_the_release_before_migrations_is_adopted_without_loss_by_two_nodes_starting_together()
    {
        var connectionString = postgres.Server.ConnectionString("adopted");
        await MakeReleaseBeforeMigrationsAsync(StorageProvider.Postgres, connectionString);

        // Two nodes migrate at once: the advisory lock makes the second find the work done.
        await Task.WhenAll(
            DatabaseMigrator.MigrateAsync(StorageProvider.Postgres, connectionString),
            DatabaseMigrator.MigrateAsync(StorageProvider.Postgres, connectionString));

        await AssertAdoptedAsync(StorageProvider.Postgres, connectionString);
    }

    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.Postgres)]
    public async Task A_database_of_a_release_before_the_send_events_tables_is_adopted_and_gains_them(StorageProvider provider)
    {
        var connectionString = provider == StorageProvider.Postgres
            ? postgres.Server.ConnectionString("older")
            : $"Data Source={Path.Combine(_folder, "older.db")}";
        await MakeReleaseBeforeMigrationsAsync(provider, connectionString);
        await DropTablesOfTheMigrationsAfterTheBaselineAsync(provider, connectionString);

        await DatabaseMigrator.MigrateAsync(provider, connectionString);

        await AssertAdoptedAsync(provider, connectionString);
        await using var monitor = (MonitorDbContext)SchemaContexts.Monitor(provider, connectionString);
        Assert.Equal(0, await monitor.Set<SendEventRow>().CountAsync());
    }

    [Fact]
    public async Task Three_nodes_creating_a_new_postgres_database_together_make_it_once()
    {
        var connectionString = postgres.Server.ConnectionString("fresh");

        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => DatabaseMigrator.MigrateAsync(StorageProvider.Postgres, connectionString)));

        Assert.Empty(await DatabaseMigrator.PendingAsync(StorageProvider.Postgres, connectionString));
        foreach (var context in SchemaContexts.All(StorageProvider.Postgres, connectionString))
        {
            await using var db = context;
            Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
        }
    }

    [Fact]
    public async Task The_script_of_a_new_database_makes_every_table_and_an_up_to_date_database_gets_none()
    {
        var connectionString = $"Data Source={Path.Combine(_folder, "scripted.db")}";

        var script = await DatabaseMigrator.ScriptAsync(StorageProvider.Sqlite, connectionString);

        Assert.False(File.Exists(Path.Combine(_folder, "scripted.db")), "the script changes nothing, not even by creating the file");
        Assert.Contains("CREATE TABLE \"domain_audits\"", script, StringComparison.Ordinal);
        Assert.Contains("CREATE TABLE \"auth_users\"", script, StringComparison.Ordinal);

        // Applied by hand (as an operator would with sqlite3), the database is then up to date.
        await using (var connection = new SqliteConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = script;
            await command.ExecuteNonQueryAsync();
        }

        Assert.Empty(await DatabaseMigrator.PendingAsync(StorageProvider.Sqlite, connectionString));
        Assert.DoesNotContain("CREATE TABLE", await DatabaseMigrator.ScriptAsync(StorageProvider.Sqlite, connectionString), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_script_of_a_database_before_migrations_adopts_it()
    {
        var connectionString = $"Data Source={Path.Combine(_folder, "legacy.db")}";
        await MakeReleaseBeforeMigrationsAsync(StorageProvider.Sqlite, connectionString);

        var script = await DatabaseMigrator.ScriptAsync(StorageProvider.Sqlite, connectionString);

        Assert.Contains("CREATE TABLE IF NOT EXISTS \"domain_audits\"", script, StringComparison.Ordinal);
        Assert.Contains(SchemaContexts.MonitorHistoryTable, script, StringComparison.Ordinal);
        await using (var connection = new SqliteConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = script;
            await command.ExecuteNonQueryAsync();
        }

        await AssertAdoptedAsync(StorageProvider.Sqlite, connectionString);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>
    /// A database as the last release before migrations left it, with a result and a user in it: the tables, indexes
    /// and columns of the model as of <see cref="LastSchemaBeforeMigrations"/> (that release made them with IF NOT
    /// EXISTS at each start) and no migrations history.
    /// </summary>
    private static async Task MakeReleaseBeforeMigrationsAsync(StorageProvider provider, string connectionString)
    {
        foreach (var context in SchemaContexts.All(provider, connectionString))
        {
            await using var db = context;
            var ids = db.GetService<IMigrationsAssembly>().Migrations.Keys;
            var target = ids.LastOrDefault(id => id.EndsWith("_" + LastSchemaBeforeMigrations, StringComparison.Ordinal)) ?? ids.Last();
            await db.GetService<IMigrator>().MigrateAsync(target);
            var history = db is SignInDbContext ? SchemaContexts.SignInHistoryTable : SchemaContexts.MonitorHistoryTable;
            await db.Database.ExecuteSqlRawAsync(string.Concat("DROP TABLE \"", history, "\""));
        }

        await using (var monitor = new MonitorDbContext((DbContextOptions<MonitorDbContext>)MonitorDbContext.Configure(new DbContextOptionsBuilder<MonitorDbContext>(), provider, connectionString).Options))
        {
            monitor.DomainAudits.Add(new DomainAuditRow { Domain = "kept.example", Status = CheckStatus.Warning, CheckedAt = DateTimeOffset.UnixEpoch.AddDays(20000) });
            await monitor.SaveChangesAsync();
        }

        await using var signIn = new SignInDbContext((DbContextOptions<SignInDbContext>)MonitorDbContext.Configure(new DbContextOptionsBuilder<SignInDbContext>(), provider, connectionString).Options);
        signIn.Users.Add(new MonitorUser { UserName = "kept-user", NormalizedUserName = "KEPT-USER" });
        await signIn.SaveChangesAsync();
    }

    /// <summary>
    /// Makes the database one of the release before the send events tables: the tables of every migration after the
    /// baseline dropped (they all came later), the baseline's kept.
    /// </summary>
    private static async Task DropTablesOfTheMigrationsAfterTheBaselineAsync(StorageProvider provider, string connectionString)
    {
        await using var monitor = SchemaContexts.Monitor(provider, connectionString);
        var migrations = monitor.GetService<IMigrationsAssembly>();
        var tables = migrations.Migrations.Skip(1)
            .SelectMany(m => migrations.CreateMigration(m.Value, monitor.Database.ProviderName!).UpOperations.OfType<CreateTableOperation>())
            .Select(t => t.Name)
            .ToList();
        Assert.Contains("send_events", tables);

        // Created parents first, so dropped in reverse: no table is dropped while another refers to it.
        foreach (var table in Enumerable.Reverse(tables))
        {
            await monitor.Database.ExecuteSqlRawAsync(string.Concat("DROP TABLE IF EXISTS \"", table, "\""));
        }
    }

    private static async Task AssertAdoptedAsync(StorageProvider provider, string connectionString)
    {
        Assert.Empty(await DatabaseMigrator.PendingAsync(provider, connectionString));
        await using (var monitor = (MonitorDbContext)SchemaContexts.Monitor(provider, connectionString))
        {
            var kept = Assert.Single(await monitor.DomainAudits.ToListAsync());
            Assert.Equal(("kept.example", CheckStatus.Warning), (kept.Domain, kept.Status));
            Assert.Equal(monitor.Database.GetMigrations(), await monitor.Database.GetAppliedMigrationsAsync());
        }

        await using var signIn = SchemaContexts.All(provider, connectionString).OfType<SignInDbContext>().Single();
        Assert.Equal("kept-user", Assert.Single(await signIn.Users.ToListAsync()).UserName);
        Assert.Equal(signIn.Database.GetMigrations(), await signIn.Database.GetAppliedMigrationsAsync());
    }
}
