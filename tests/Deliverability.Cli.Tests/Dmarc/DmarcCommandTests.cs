using System.Diagnostics;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Deliverability.Cli;
using Deliverability.Cli.Dmarc;
using Deliverability.Testing.Postgres;

namespace Deliverability.Cli.Tests.Dmarc;

/// <summary><c>monitor dmarc import</c> and <c>summary</c> on the sample reports, into a database of the test's own.</summary>
public sealed class DmarcCommandTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "monitor-dmarc-cli-" + Guid.NewGuid().ToString("N"));

    public DmarcCommandTests() => Directory.CreateDirectory(_folder);

    private static string Samples => Path.Combine(AppContext.BaseDirectory, "DmarcSamples");

    private string Database => Path.Combine(_folder, "reports.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await MonitorCli.RunAsync(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Import_of_a_folder_prints_one_line_per_report_and_exits_0_when_all_are_stored()
    {
        var (exit, output, error) = await RunAsync("dmarc", "import", Path.Combine(Samples, "packed"), "--database", Database);

        Assert.Equal(DmarcCommand.AllImported, exit);
        Assert.Equal("", error);
        Assert.Contains("imported   dmarc  google.com  14023417298761934512  shop.example  2026-11-26 00:00:00Z to 2026-11-26 23:59:59Z  3 records, 1239 messages, dmarc pass 1235 (99.7%), spf aligned 1200, dkim aligned 1235", output, StringComparison.Ordinal);
        Assert.Contains("duplicate  dmarc  google.com  14023417298761934512", output, StringComparison.Ordinal);
        Assert.Contains("imported   tls-rpt  Google Inc.  2026-11-26T00:00:00Z_shop.example  shop.example", output, StringComparison.Ordinal);
        Assert.EndsWith($"11 reports: 9 imported, 2 duplicates, 0 invalid; stored in SQLite {Database}\n", output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_report_exits_1_with_its_reason_and_the_others_are_still_imported()
    {
        var broken = Path.Combine(Samples, "malformed", "truncated.xml.gz");
        var (exit, output, _) = await RunAsync("dmarc", "import", broken, Path.Combine(Samples, "xml", "yahoo.xml"), "--database", Database, "--json");

        Assert.Equal(DmarcCommand.SomeInvalid, exit);
        using var json = JsonDocument.Parse(output);
        var reports = json.RootElement.GetProperty("reports").EnumerateArray().ToList();
        Assert.Equal(2, reports.Count);
        Assert.Equal(("invalid", broken), (reports[0].GetProperty("status").GetString(), reports[0].GetProperty("file").GetString()));
        Assert.Contains("cut short", reports[0].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal("imported", reports[1].GetProperty("status").GetString());
        Assert.Equal(97, reports[1].GetProperty("messages").GetInt64());
        Assert.Equal(88, reports[1].GetProperty("dmarcPass").GetInt64());
        Assert.Equal((1, 0, 1), (json.RootElement.GetProperty("imported").GetInt32(), json.RootElement.GetProperty("duplicates").GetInt32(), json.RootElement.GetProperty("invalid").GetInt32()));
    }

    [Theory]
    [InlineData("dmarc import", "Required argument missing")]
    [InlineData("dmarc import /no/such/report.xml", "'/no/such/report.xml' is neither a file nor a folder")]
    [InlineData("dmarc import . --config /no/such/appsettings.json", "--config: the settings file '/no/such/appsettings.json' does not exist")]
    [InlineData("dmarc summary", "--domain")]
    [InlineData("dmarc summary --domain shop.example --days 0", "--days")]
    [InlineData("dmarc summary --domain shop.example --until 26.11.2026", "--until: '26.11.2026' is not a date (yyyy-MM-dd)")]
    public async Task Bad_usage_exits_2_with_one_line_naming_the_problem(string command, string message)
    {
        var (exit, output, error) = await RunAsync(command.Split(' '));

        Assert.Equal(MonitorCli.UsageError, exit);
        Assert.Equal("", output);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Summary_sums_the_stored_reports_per_day_and_source()
    {
        await RunAsync("dmarc", "import", Path.Combine(Samples, "packed"), Path.Combine(Samples, "xml", "multi-day-72h.xml"), "--database", Database);

        var (exit, output, _) = await RunAsync("dmarc", "summary", "--domain", "Shop.Example.", "--until", "2026-11-30", "--days", "7", "--database", Database, "--json");

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        // Google 1239, Microsoft 312, Yahoo 97, Mimecast 45, the three small ones 3 + 9 + 7, and 300 over three days.
        Assert.Equal(1239 + 312 + 97 + 45 + 3 + 9 + 7 + 300, root.GetProperty("messages").GetInt64());
        Assert.Equal(8, root.GetProperty("reports").GetInt32());
        Assert.Equal(2, root.GetProperty("duplicates").GetInt32());
        var days = root.GetProperty("days").EnumerateArray().Select(d => (d.GetProperty("day").GetString(), d.GetProperty("messages").GetInt64())).ToList();
        Assert.Equal([("2026-11-26", 1239 + 312 + 97 + 45 + 3 + 9 + 7 + 100L), ("2026-11-27", 100L), ("2026-11-28", 100L)], days);
        var busiest = root.GetProperty("sources")[0];
        Assert.Equal(("192.0.2.10", 1200 + 310 + 88 + 40 + 3 + 9 + 7 + 300L), (busiest.GetProperty("sourceIp").GetString(), busiest.GetProperty("messages").GetInt64()));
        Assert.Equal((2, 1920L, 12L), (root.GetProperty("tls").GetProperty("reports").GetInt32(), root.GetProperty("tls").GetProperty("successfulSessions").GetInt64(), root.GetProperty("tls").GetProperty("failedSessions").GetInt64()));
    }

    [Fact]
    public async Task An_org_name_with_control_characters_is_shown_escaped()
    {
        var file = Path.Combine(_folder, "hostile.xml");
        await File.WriteAllTextAsync(file, """
            <feedback><report_metadata><org_name>Evil&#x1b;]0;owned&#x7;</org_name><report_id>h1</report_id><date_range><begin>1795651200</begin><end>1795737599</end></date_range></report_metadata>
            <policy_published><domain>shop.example</domain><p>none</p></policy_published>
            <record><row><source_ip>192.0.2.1</source_ip><count>1</count><policy_evaluated><disposition>none</disposition><dkim>pass</dkim><spf>pass</spf></policy_evaluated></row>
            <identifiers><header_from>shop.example</header_from></identifiers><auth_results/></record></feedback>
            """);

        var (exit, output, _) = await RunAsync("dmarc", "import", file, "--database", Database);

        Assert.Equal(0, exit);
        Assert.DoesNotContain(output, c => char.IsControl(c) && c != '\n');
        Assert.Contains("imported   dmarc  Evil\\u001b]0;owned\\u0007  h1", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_holds_inputs_to_the_limits_of_the_settings_file()
    {
        var settings = Path.Combine(_folder, "appsettings.json");
        await File.WriteAllTextAsync(settings, """{ "Monitor": { "DmarcReports": { "Limits": { "MaxIntervalDays": 1 } } } }""");
        var threeDays = Path.Combine(Samples, "xml", "multi-day-72h.xml");

        var (exit, output, _) = await RunAsync("dmarc", "import", threeDays, "--config", settings, "--database", Database, "--json");
        var (defaultExit, _, _) = await RunAsync("dmarc", "import", threeDays, "--database", Database);

        Assert.Equal(DmarcCommand.SomeInvalid, exit);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("invalid", json.RootElement.GetProperty("reports")[0].GetProperty("status").GetString());
        Assert.Equal(DmarcCommand.AllImported, defaultExit);
    }

    [Theory]
    [InlineData("""{ "Monitor": { "DmarcReports": { "Limits": { "MaxZipEntries": 0 } } } }""", "Monitor:DmarcReports:Limits:MaxZipEntries: must be 1 to 10000 entries (was 0)")]
    [InlineData("""{ "Monitor": { "DmarcReports": { "Limits": { "MaxNesting": "deep" } } } }""", "Monitor:DmarcReports:Limits:MaxNesting:")]
    [InlineData("""{ "Monitor": { "DmarcReports": { "Limits": { "MaxReportBytes": 4096, "MaxTotalDecompressedBytes": 2048 } } } }""", "Monitor:DmarcReports:Limits:MaxTotalDecompressedBytes: must be at least MaxReportBytes (4096)")]
    public async Task A_limit_out_of_range_in_the_settings_file_exits_2_naming_its_key(string settingsJson, string message)
    {
        var settings = Path.Combine(_folder, "appsettings.json");
        await File.WriteAllTextAsync(settings, settingsJson);

        var (exit, output, error) = await RunAsync("dmarc", "import", Path.Combine(Samples, "xml", "google.xml"), "--config", settings, "--database", Database);

        Assert.Equal(MonitorCli.UsageError, exit);
        Assert.Equal("", output);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.False(File.Exists(Database));
    }

    [Fact]
    public async Task The_database_is_the_one_the_settings_file_names_resolved_against_its_folder()
    {
        var settings = Path.Combine(_folder, "appsettings.json");
        await File.WriteAllTextAsync(settings, """{ "Storage": { "Provider": "Sqlite", "ConnectionString": "Data Source=state/monitor.db" } }""");

        var (exit, output, _) = await RunAsync("dmarc", "import", Path.Combine(Samples, "xml", "google.xml"), "--config", settings);

        Assert.Equal(0, exit);
        Assert.Contains($"stored in SQLite {Path.Combine(_folder, "state", "monitor.db")}", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_folder, "state", "monitor.db")));
    }

    [Fact]
    public async Task Report_times_and_days_are_utc_on_a_host_far_from_utc()
    {
        // A separate process: the host's time zone is read once per process. UTC+14 puts every local date a day ahead.
        var import = await RunProcessAsync("Pacific/Kiritimati", "dmarc", "import", Path.Combine(Samples, "xml", "multi-day-72h.xml"), "--database", Database, "--json");
        var summary = await RunProcessAsync("Pacific/Kiritimati", "dmarc", "summary", "--domain", "shop.example", "--until", "2026-11-30", "--database", Database, "--json");

        Assert.Equal(0, import.Exit);
        using var imported = JsonDocument.Parse(import.Out);
        var report = imported.RootElement.GetProperty("reports")[0];
        Assert.Equal("2026-11-26T00:00:00+00:00", report.GetProperty("begin").GetString());
        Assert.Equal("2026-11-28T23:59:59+00:00", report.GetProperty("end").GetString());
        using var summed = JsonDocument.Parse(summary.Out);
        Assert.Equal(["2026-11-26", "2026-11-27", "2026-11-28"], summed.RootElement.GetProperty("days").EnumerateArray().Select(d => d.GetProperty("day").GetString()));
        Assert.All(summed.RootElement.GetProperty("days").EnumerateArray(), d => Assert.Equal(100, d.GetProperty("messages").GetInt64()));
    }

    /// <summary>The CLI's own build output (built with this project, same configuration): its runtime config names its frameworks.</summary>
    private static string BuiltCli()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var (framework, configuration) = (output.Name, output.Parent!.Name);
        var root = output;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Monitor.sln")))
        {
            root = root.Parent;
        }

        return Path.Combine(root!.FullName, "src", "Deliverability.Cli", "bin", configuration, framework, "monitor.dll");
    }

    private static async Task<(int Exit, string Out, string Err)> RunProcessAsync(string timeZone, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(BuiltCli());
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["TZ"] = timeZone;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(patience.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}

/// <summary>The CLI on PostgreSQL, named by a settings file's Storage section as the service reads it.</summary>
public sealed class DmarcCommandPostgresTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("monitor-dmarc-pg-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Import_twice_into_postgres_stores_once()
    {
        var settings = Path.Combine(_folder, "appsettings.json");
        var connection = postgres.Server.ConnectionString("dmarc_cli_" + Guid.NewGuid().ToString("N"));
        await File.WriteAllTextAsync(settings, JsonSerializer.Serialize(new { Storage = new { Provider = "Postgres", ConnectionString = connection } }));
        var sample = Path.Combine(AppContext.BaseDirectory, "DmarcSamples", "packed", "microsoft-report.eml");

        var first = new StringWriter();
        var second = new StringWriter();
        Assert.Equal(0, await MonitorCli.RunAsync(["dmarc", "import", sample, "--config", settings], first, new StringWriter()));
        Assert.Equal(0, await MonitorCli.RunAsync(["dmarc", "import", sample, "--config", settings], second, new StringWriter()));

        Assert.Contains("imported   dmarc  Enterprise Outlook", first.ToString(), StringComparison.Ordinal);
        Assert.Contains("1 reports: 0 imported, 1 duplicates, 0 invalid; stored in PostgreSQL", second.ToString(), StringComparison.Ordinal);
    }
}
