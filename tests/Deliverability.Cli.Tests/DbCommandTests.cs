using Microsoft.Data.Sqlite;

namespace Deliverability.Cli.Tests;

/// <summary><c>monitor db migrate</c> on a SQLite database named by a settings file.</summary>
public sealed class DbCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("monitor-db-cli-").FullName;

    [Fact]
    public async Task Migrate_makes_the_schema_once_and_then_finds_it_up_to_date()
    {
        var config = Settings("""{ "Storage": { "Provider": "Sqlite", "ConnectionString": "Data Source=data/monitor.db" } }""");

        var (exit, output, error) = await RunAsync("db", "migrate", "--config", config);

        Assert.Equal((0, ""), (exit, error));
        Assert.StartsWith("Applied ", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_folder, "data", "monitor.db")), "the relative path is resolved against the settings file's folder");
        var (again, upToDate, _) = await RunAsync("db", "migrate", "--config", config);
        Assert.Equal((0, "The database is up to date."), (again, upToDate.Trim()));
        var (scripted, script, _) = await RunAsync("db", "migrate", "--config", config, "--script");
        Assert.Equal(0, scripted);
        Assert.DoesNotContain("CREATE TABLE", script, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Script_prints_the_sql_and_creates_nothing()
    {
        var config = Settings("""{ "Storage": { "ConnectionString": "Data Source=new.db" } }""");

        var (exit, output, _) = await RunAsync("db", "migrate", "--config", config, "--script");

        Assert.Equal(0, exit);
        Assert.Contains("CREATE TABLE \"check_states\"", output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_folder, "new.db")));
    }

    [Theory]
    [InlineData("""{ "Storage": { "Provider": "Oracle" } }""", "Storage:Provider")]
    [InlineData("""{ "Storage": { "Provider": "Postgres" } }""", "Storage:ConnectionString")]
    [InlineData("""{ "Storage": { "Provider": "Postgres", "ConnectionString": "Host=x;Password=XXSECRETXX;Bogus=1" } }""", "Storage")]
    public async Task Bad_settings_are_a_usage_error_naming_the_key_and_never_the_password(string json, string key)
    {
        var (exit, output, error) = await RunAsync("db", "migrate", "--config", Settings(json));

        Assert.Equal((2, ""), (exit, output));
        Assert.StartsWith($"error: {key}", error, StringComparison.Ordinal);
        Assert.DoesNotContain("XXSECRETXX", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_database_is_exit_1_naming_the_server()
    {
        var config = Settings("""{ "Storage": { "Provider": "Postgres", "ConnectionString": "Host=127.0.0.1;Port=1;Database=monitor;Password=XXSECRETXX;Timeout=2" } }""");

        var (exit, _, error) = await RunAsync("db", "migrate", "--config", config);

        Assert.Equal(1, exit);
        Assert.Contains("'monitor' on 127.0.0.1:1", error, StringComparison.Ordinal);
        Assert.DoesNotContain("XXSECRETXX", error, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private string Settings(string json)
    {
        var file = Path.Combine(_folder, "appsettings.json");
        File.WriteAllText(file, json);
        return file;
    }

    private static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await MonitorCli.RunAsync(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
