using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Deliverability.Cli;
using Deliverability.LoadScenarios.Tests;
using Deliverability.Testing.Mail;

namespace Deliverability.Cli.Tests.LoadTests;

public sealed class LoadTestCommandTests : IAsyncLifetime
{
    private SmtpSink _sink = null!;

    public async Task InitializeAsync() => _sink = await SmtpSink.StartAsync();

    public async Task DisposeAsync() => await _sink.DisposeAsync();

    private static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await MonitorCli.RunAsync(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private string[] Smtp(params string[] more) =>
        ["loadtest", "smtp", "--host", "127.0.0.1", "--port", _sink.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--from", "load@example.com", "--to", "sink@example.com", "--rate", "20", "--duration", "1s", "--connections", "2", .. more];

    [Fact]
    public async Task Json_is_one_object_with_outcomes_rates_starts_latency_per_step_and_threshold_verdicts()
    {
        var (exit, output, error) = await RunAsync(Smtp("--json", "--threshold", "p99 < 5s", "--threshold", "data.p99 < 5s"));

        Assert.Equal(0, exit);
        Assert.Equal("", error);
        var json = JsonDocument.Parse(output).RootElement;
        Assert.Equal(20, json.GetProperty("counts").GetProperty("byOutcome").GetProperty("smtpAccepted").GetInt64());
        Assert.True(json.GetProperty("achievedRate").GetDouble() > 0);
        Assert.True(json.TryGetProperty("lateStarts", out _) && json.TryGetProperty("droppedStarts", out _));
        Assert.True(json.GetProperty("latencyMs").GetProperty("p99").GetDouble() > 0);
        Assert.Contains(json.GetProperty("steps").EnumerateArray(), step => step.GetProperty("name").GetString() == "data" && step.GetProperty("latencyMs").GetProperty("p50").GetDouble() > 0);
        var verdicts = json.GetProperty("thresholds").EnumerateArray().ToList();
        Assert.Equal(2, verdicts.Count);
        Assert.All(verdicts, verdict => Assert.Equal("held", verdict.GetProperty("verdict").GetString()));
        Assert.True(json.GetProperty("thresholdsHeld").GetBoolean());
    }

    [Fact]
    public async Task A_breached_threshold_is_exit_1_and_the_summary_says_so()
    {
        var (exit, output, _) = await RunAsync(Smtp("--threshold", "p50 < 1us"));

        Assert.Equal(1, exit);
        Assert.Contains("✗ p50 < 1us", output);
        Assert.Contains("breached", output);
        Assert.Contains("mail+rcpt", output);
    }

    [Fact]
    public async Task Report_writes_html_markdown_csv_and_json_and_merge_reads_them_back()
    {
        var folder = Directory.CreateTempSubdirectory("loadtest-report").FullName;
        try
        {
            var (exit, _, _) = await RunAsync(Smtp("--report", Path.Combine(folder, "a")));
            Assert.Equal(0, exit);
            await RunAsync(Smtp("--report", Path.Combine(folder, "b")));
            foreach (var file in new[] { "report.html", "report.md", "report.csv", "report.json" })
            {
                Assert.True(new FileInfo(Path.Combine(folder, "a", file)).Length > 0, file);
            }

            var (mergeExit, output, _) = await RunAsync("loadtest", "merge", Path.Combine(folder, "a", "report.json"), Path.Combine(folder, "b", "report.json"), "--json");
            Assert.Equal(0, mergeExit);
            Assert.Equal(40, JsonDocument.Parse(output).RootElement.GetProperty("counts").GetProperty("total").GetInt64());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("--to", "someone@gmail.com")]
    [InlineData("--host", "192.0.2.1")]
    public async Task A_refused_recipient_or_host_is_exit_2_before_any_connection(string option, string value)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var args = new List<string> { "loadtest", "smtp", "--host", "127.0.0.1", "--port", port, "--from", "load@example.com", "--to", "sink@example.com", "--rate", "20", "--duration", "1s" };
        args[args.IndexOf(option) + 1] = value;

        var (exit, output, error) = await RunAsync([.. args]);

        Assert.Equal(MonitorCli.UsageError, exit);
        Assert.Equal("", output);
        Assert.StartsWith("error: ", error);
        Assert.Contains(value.Contains('@') ? value.Split('@')[1] : value, error);
        Assert.False(listener.Pending(), "a connection was made");
    }

    [Theory]
    [InlineData("--rate", "fast", "--rate: 'fast' is not a rate per second")]
    [InlineData("--duration", "forever", "--duration: 'forever' is not a duration")]
    [InlineData("--size", "huge", "--size: 'huge' is not a size")]
    [InlineData("--threshold", "p99 <", "--threshold: 'p99 <'")]
    public async Task A_bad_value_is_exit_2_with_one_line_naming_the_option(string option, string value, string expected)
    {
        var args = Smtp().ToList();
        if (args.IndexOf(option) is >= 0 and var at)
        {
            args[at + 1] = value;
        }
        else
        {
            args.AddRange([option, value]);
        }

        var (exit, _, error) = await RunAsync([.. args]);

        Assert.Equal(MonitorCli.UsageError, exit);
        Assert.Contains(expected, error);
    }

    [Fact]
    public async Task A_bad_scenario_file_is_exit_2_naming_the_field()
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, """{ "name": "x", "kind": "smtp", "smtp": { "host": "127.0.0.1", "port": 99999, "from": "a@example.com", "recipients": ["b@example.com"] } }""");
            var (exit, _, error) = await RunAsync("loadtest", "run", file);

            Assert.Equal(MonitorCli.UsageError, exit);
            Assert.Contains("smtp.port: must be 1 to 65535", error);
            Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Capacity_without_a_rate_that_holds_is_exit_1_and_prints_the_curve()
    {
        var port = Deliverability.Testing.Network.FreePort.Tcp().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var (exit, output, _) = await RunAsync("loadtest", "capacity", "smtp", "--host", "127.0.0.1", "--port", port, "--from", "load@example.com", "--to", "sink@example.com",
            "--max-rate", "20", "--start-rate", "5", "--step-duration", "1s", "--json");

        Assert.Equal(1, exit);
        var capacity = JsonDocument.Parse(output).RootElement.GetProperty("capacity");
        Assert.Equal(JsonValueKind.Null, capacity.GetProperty("kneeRate").ValueKind);
        Assert.False(capacity.GetProperty("curve")[0].GetProperty("held").GetBoolean());
    }

    /// <summary>An argument starting with '@' is a value (here a malformed address or path), never a response file to read.</summary>
    [Theory]
    [InlineData("loadtest", "smtp", "--host", "127.0.0.1", "--from", "a@example.com", "--to", "@sink", "--rate", "1", "--duration", "1s")]
    [InlineData("loadtest", "capacity", "smtp", "--host", "127.0.0.1", "--from", "a@example.com", "--to", "@sink", "--max-rate", "10")]
    [InlineData("loadtest", "http", "--url", "http://127.0.0.1:1/send", "--recipient", "@sink", "--rate", "1", "--duration", "1s")]
    [InlineData("loadtest", "capacity", "http", "--url", "http://127.0.0.1:1/send", "--recipient", "@sink", "--max-rate", "10")]
    [InlineData("loadtest", "run", "@scenario.json")]
    [InlineData("loadtest", "merge", "@a.json", "@b.json")]
    public async Task An_at_argument_is_a_value_never_a_response_file(params string[] args)
    {
        var (exit, output, error) = await RunAsync(args);

        Assert.Equal(MonitorCli.UsageError, exit);
        Assert.Equal("", output);
        Assert.Contains("@", error);
    }
}

