using System.CommandLine;
using System.Text.Json;
using Deliverability.Cli;
using Deliverability.Testing.Dns;

namespace Deliverability.Cli.Tests;

/// <summary>
/// What every command does with what the user types: a malformed value is exit code 2 and one line on stderr (never a
/// stack trace), and an argument starting with '@' is a value, never a response file to read.
/// </summary>
public sealed class CommandLineUsageTests : IAsyncLifetime
{
    private TestDnsServer _dns = null!;

    public Task InitializeAsync()
    {
        // The RFC 7208 suite's "nolocalpart" zone: an empty local part is checked as "postmaster" (RFC 7208 4.3).
        _dns = TestDnsServer.Start(new TestZone()
            .Txt("example.net", "v=spf1 -all exp=exp.example.net")
            .Txt("exp.example.net", "%{l}"));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _dns.DisposeAsync();

    private static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await MonitorCli.RunAsync(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [Fact]
    public async Task Every_command_lists_each_option_once_in_its_help()
    {
        var root = MonitorCli.CreateRootCommand(TextWriter.Null, TextWriter.Null);
        foreach (var path in CommandPaths(root, []))
        {
            var (exit, output, _) = await RunAsync([.. path, "--help"]);

            Assert.Equal(0, exit);
            var options = Lines(output).SkipWhile(l => l != "Options:").Skip(1)
                .Select(l => l.Split(' ', 2)[0].TrimEnd(','))
                .Where(o => o.StartsWith('-'));
            var repeated = options.GroupBy(o => o).Where(g => g.Count() > 1).Select(g => g.Key);
            Assert.True(!repeated.Any(), $"monitor {string.Join(' ', path)} --help lists {string.Join(", ", repeated)} more than once");
        }
    }

    private static IEnumerable<string[]> CommandPaths(Command command, string[] path)
    {
        foreach (var sub in command.Subcommands)
        {
            string[] subPath = [.. path, sub.Name];
            yield return subPath;
            foreach (var deeper in CommandPaths(sub, subPath))
            {
                yield return deeper;
            }
        }
    }

    /// <summary>Every option that takes a number, on every command that has one, with a value that is not a number.</summary>
    public static TheoryData<string, string, string[], string> NonNumericValues => WithLoadTestRows(new()
    {
        { "spf check", "--dns-timeout", ["spf", "check", "--ip", "192.0.2.1", "--helo", "mail.example.test", "--dns-timeout", "abc"], "is not a number of seconds" },
        { "audit", "--dns-timeout", ["audit", "example.test", "--dns-timeout", "abc"], "is not a number of seconds" },
        { "audit", "--concurrency", ["audit", "example.test", "--concurrency", "abc"], "is not a whole number (1 to 1024)" },
        { "blacklist", "--dns-timeout", ["blacklist", "192.0.2.1", "--dns-timeout", "abc"], "is not a number of seconds" },
        { "alerts test", "--timeout", ["alerts", "test", "ops-webhook", "--timeout", "abc"], "is not a number of seconds" },
        { "dmarc summary", "--days", ["dmarc", "summary", "--domain", "example.test", "--days", "abc"], "is not a whole number (1 to 3650)" },
        { "dmarc summary", "--until", ["dmarc", "summary", "--domain", "example.test", "--until", "abc"], "is not a date (yyyy-MM-dd)" },
        { "message check", "--dns-timeout", ["message", "check", "x.eml", "--dns-timeout", "abc"], "is not a number of seconds" },
        { "forecast", "--horizon", ["forecast", "--history", "h.csv", "--horizon", "abc"], "is not a horizon" },
        { "forecast", "--interval", ["forecast", "--history", "h.csv", "--interval", "abc"], "is not a level between 0 and 1" },
        { "forecast", "--level", ["forecast", "--history", "h.csv", "--level", "abc"], "is not hourly, daily or weekly" },
        { "forecast", "--peak-day", ["forecast", "--history", "h.csv", "--peak-day", "abc"], "is not DATE or DATE=NAME" },
        { "forecast backtest", "--horizon", ["forecast", "backtest", "--history", "h.csv", "--horizon", "abc"], "is not a horizon" },
        { "forecast backtest", "--interval", ["forecast", "backtest", "--history", "h.csv", "--interval", "abc"], "is not a level between 0 and 1" },
        { "forecast backtest", "--level", ["forecast", "backtest", "--history", "h.csv", "--level", "abc"], "is not hourly, daily or weekly" },
        { "forecast backtest", "--from", ["forecast", "backtest", "--history", "h.csv", "--from", "abc"], "is not a date" },
        { "forecast backtest", "--to", ["forecast", "backtest", "--history", "h.csv", "--to", "abc"], "is not a date" },
    });

    private static TheoryData<string, string, string[], string> WithLoadTestRows(TheoryData<string, string, string[], string> data)
    {
        foreach (var (command, option, args, expected) in LoadTestRows())
        {
            data.Add(command, option, args, expected);
        }

        return data;
    }

    // monitor loadtest: every numeric option of every run command, on an otherwise complete command line.
    private static IEnumerable<(string Command, string Option, string[] Args, string Expected)> LoadTestRows()
    {
        string[] smtp = ["--host", "127.0.0.1", "--from", "a@example.com", "--to", "b@example.com"];
        string[] http = ["--url", "http://127.0.0.1:1/send"];
        string[] load = ["--rate", "10", "--duration", "1s"];
        string[] capacity = ["--max-rate", "10"];
        var commands = new (string Path, string[] Args, (string Option, string Expected)[] Options)[]
        {
            ("loadtest smtp", [.. smtp, .. load], [("--port", "is not a whole number (1 to 65535)"), ("--recipients-per-message", "is not a whole number (1 to 100)"), ("--connections", "is not a whole number (1 to 10000)"), ("--messages-per-connection", "is not a whole number (1 to 1000000)"), ("--size", "is not a size"), ("--rate", "is not a rate per second"), ("--duration", "is not a duration"), ("--warm-up", "is not a duration"), ("--ramp-up", "is not a duration"), ("--max-messages", "is not a whole number (1 to 100000000)")]),
            ("loadtest http", [.. http, .. load], [("--connections", "is not a whole number (1 to 10000)"), ("--rate", "is not a rate per second"), ("--duration", "is not a duration"), ("--warm-up", "is not a duration"), ("--ramp-up", "is not a duration"), ("--max-messages", "is not a whole number (1 to 100000000)")]),
            ("loadtest capacity smtp", [.. smtp, .. capacity], [("--port", "is not a whole number (1 to 65535)"), ("--recipients-per-message", "is not a whole number (1 to 100)"), ("--connections", "is not a whole number (1 to 10000)"), ("--messages-per-connection", "is not a whole number (1 to 1000000)"), ("--size", "is not a size"), ("--max-rate", "is not a rate per second"), ("--start-rate", "is not a rate per second"), ("--step-duration", "is not a duration"), ("--tolerance", "is not a fraction"), ("--step-factor", "is not a fraction")]),
            ("loadtest capacity http", [.. http, .. capacity], [("--connections", "is not a whole number (1 to 10000)"), ("--max-rate", "is not a rate per second"), ("--start-rate", "is not a rate per second"), ("--step-duration", "is not a duration"), ("--tolerance", "is not a fraction"), ("--step-factor", "is not a fraction")]),
        };
        foreach (var (path, args, options) in commands)
        {
            foreach (var (option, expected) in options)
            {
                var line = args.ToList();
                if (line.IndexOf(option) is >= 0 and var at)
                {
                    line.RemoveRange(at, 2);
                }

                yield return (path, option, [.. path.Split(' '), .. line, option, "abc"], expected);
            }
        }
    }

    [Theory]
    [MemberData(nameof(NonNumericValues))]
    public async Task Non_numeric_value_is_exit_2_and_one_line_naming_the_option(string command, string option, string[] args, string expected)
    {
        var (exit, output, error) = await RunAsync(args);

        Assert.Equal(MonitorCli.UsageError, exit);
        Assert.Equal("", output);
        var line = Assert.Single(Lines(error));
        Assert.StartsWith($"error: {option}: 'abc' {expected}", line, StringComparison.Ordinal);
        Assert.EndsWith($"Run 'monitor {command} --help' for usage.", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_numeric_option_is_in_the_non_numeric_value_test()
    {
        var numeric = LeafCommands(MonitorCli.CreateRootCommand(TextWriter.Null, TextWriter.Null))
            .SelectMany(c => c.Options.Select(o => (c.Path, Option: o)))
            .Where(o => o.Option.GetType().GetGenericArguments() is [var type] && type != typeof(string) && type != typeof(string[]) && type != typeof(bool))
            .Select(o => $"{o.Path} {o.Option.Name}")
            .Order(StringComparer.Ordinal);

        var tested = NonNumericValues.Select(row => $"{row[0]} {row[1]}").Order(StringComparer.Ordinal);

        Assert.Equal(tested, numeric);
    }

    [Theory]
    [InlineData("-s1")]
    [InlineData("s1-")]
    [InlineData("s1..s2")]
    [InlineData("s 1")]
    public async Task A_selector_refused_by_configuration_is_refused_by_the_cli(string selector)
    {
        var (exit, output, error) = await RunAsync("audit", "example.test", $"--selector={selector}");

        Assert.Equal(MonitorCli.UsageError, exit);
        Assert.Equal("", output);
        Assert.StartsWith($"error: --selector: '{selector}' is not a valid DKIM selector", Assert.Single(Lines(error)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0", "must be more than 0 and at most 60 seconds (was 0)")]
    [InlineData("61", "must be more than 0 and at most 60 seconds (was 61)")]
    [InlineData("NaN", "'NaN' is not a number of seconds")]
    [InlineData("1e999", "'1e999' is not a number of seconds")]
    public async Task Out_of_range_seconds_are_one_usage_error(string value, string expected)
    {
        var (exit, _, error) = await RunAsync("blacklist", "192.0.2.1", "--dns-timeout", value);

        Assert.Equal(MonitorCli.UsageError, exit);
        Assert.Contains($"error: --dns-timeout: {expected}", Assert.Single(Lines(error)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("spf", "check", "--ip", "192.0.2.1", "--ip", "192.0.2.2", "--helo", "mail.example.test")]
    [InlineData("audit", "example.test", "--return-path-domain", "a.example.test", "--return-path-domain", "b.example.test")]
    [InlineData("alerts", "test", "ops-webhook", "--server", "http://127.0.0.1:1", "--server", "http://127.0.0.1:2")]
    public async Task A_single_value_option_given_twice_is_a_usage_error_not_a_crash(params string[] args)
    {
        var (exit, _, error) = await RunAsync(args);

        Assert.Equal(MonitorCli.UsageError, exit);
        Assert.Contains("expects a single argument but 2 were provided", Assert.Single(Lines(error)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("192.0.2")]
    [InlineData("010.0.0.1")]
    [InlineData("fe80::1%eth0")]
    public async Task Spf_and_audit_take_only_dotted_quad_or_ipv6_addresses(string ip)
    {
        var spf = await RunAsync("spf", "check", "--ip", ip, "--helo", "mail.example.test");
        var audit = await RunAsync("audit", "example.test", "--ip", ip);

        Assert.Equal((MonitorCli.UsageError, MonitorCli.UsageError), (spf.Exit, audit.Exit));
        Assert.Contains($"--ip: '{ip}' is not an IPv4 or IPv6 address", spf.Err, StringComparison.Ordinal);
        Assert.Contains($"--ip: '{ip}' is not an IPv4 or IPv6 address", audit.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Null_sender_starting_with_at_is_evaluated_as_postmaster()
    {
        var (exit, output, error) = await RunAsync(
            "spf", "check", "--ip", "1.2.3.4", "--sender", "@example.net", "--helo", "mail.example.net", "--json", "--dns", _dns.Endpoint, "--dns-timeout", "10");

        Assert.Equal((0, ""), (exit, error));
        using var json = JsonDocument.Parse(output);
        Assert.Equal("fail", json.RootElement.GetProperty("result").GetString());
        Assert.Equal("postmaster", json.RootElement.GetProperty("explanation").GetString());
        Assert.Equal("@example.net", json.RootElement.GetProperty("sender").GetString());
    }

    [Theory]
    [InlineData("'@example.test' is not a valid domain name", "audit", "@example.test")]
    [InlineData("'@example.test' is neither an IP address nor a valid domain name", "blacklist", "@example.test")]
    [InlineData("'@example.test' is not a valid domain name", "dmarc", "summary", "--domain", "@example.test", "--database", "@unused.db")]
    [InlineData("'@no-such-report.xml' is neither a file nor a folder", "dmarc", "import", "@no-such-report.xml")]
    [InlineData("@no-such-message.eml: no such file", "message", "check", "@no-such-message.eml")]
    [InlineData("@no-such-settings.json' does not exist", "db", "migrate", "--config", "@no-such-settings.json")]
    [InlineData("--dns: '@127.0.0.1' is not host:port", "spf", "check", "--ip", "192.0.2.1", "--helo", "mail.example.test", "--dns", "@127.0.0.1")]
    public async Task Argument_starting_with_at_is_a_value_checked_like_any_other(string expected, params string[] args)
    {
        var (exit, _, error) = await RunAsync(args);

        Assert.Equal(MonitorCli.UsageError, exit);
        Assert.DoesNotContain("Response file", error, StringComparison.Ordinal);
        Assert.Contains(expected, Assert.Single(Lines(error)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Placement_settings_file_whose_name_starts_with_at_is_read()
    {
        var name = $"@placement-{Guid.NewGuid():N}.json";
        var file = Path.Combine(Environment.CurrentDirectory, name);
        await File.WriteAllTextAsync(file, """{ "Monitor": { "Placement": { "Seeds": [] } } }""");
        try
        {
            var (exit, _, error) = await RunAsync("placement", "run", "--config", name);

            Assert.Equal(PlacementCommand.ErrorsOrBadSettings, exit);
            Assert.Contains($"Monitor:Placement:Seeds: no seed mailbox is configured in {file}", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Placement_settings_report_a_value_that_does_not_convert_with_the_other_problems()
    {
        var file = Path.Combine(Path.GetTempPath(), $"monitor-cli-usage-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, """
            { "Monitor": { "Placement": {
                "Timeout": "ten minutes",
                "Seeds": [ { "Provider": "Gmail", "Address": "not-an-address", "Imap": { "Host": "imap.example.test", "User": "seed", "Password": "pw" } } ],
                "SendPaths": [ { "Name": "mta", "Host": "smtp.example.test" } ] } } }
            """);
        try
        {
            var (exit, _, error) = await RunAsync("placement", "run", "--config", file);

            Assert.Equal(PlacementCommand.ErrorsOrBadSettings, exit);
            Assert.Contains("error: Monitor:Placement:Timeout: 'ten minutes' is not a duration (use hh:mm:ss, e.g. 00:10:00)", error, StringComparison.Ordinal);
            Assert.Contains("error: Monitor:Placement:Seeds:0:Address: 'not-an-address'", error, StringComparison.Ordinal);
            Assert.Contains("error: Monitor:Placement:Message:From:", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Where each command's '@'-argument is tested: here, in PlacementCommandTests (secret protect), AlertsCommandTests (the alerts commands), LoadTestCommandTests (monitor loadtest) and ForecastCommandTests (monitor forecast).</summary>
    [Fact]
    public void Every_command_has_an_at_argument_test()
    {
        string[] tested =
        [
            "spf check", "audit", "blacklist", "placement run", "secret protect",
            "alerts list", "alerts ack", "alerts silence", "alerts silences", "alerts unsilence", "alerts test",
            "loadtest smtp", "loadtest http", "loadtest run", "loadtest capacity smtp", "loadtest capacity http", "loadtest merge",
            "forecast", "forecast backtest", "dmarc import", "dmarc summary", "message check", "db migrate",
        ];

        var commands = LeafCommands(MonitorCli.CreateRootCommand(TextWriter.Null, TextWriter.Null)).Select(c => c.Path);

        Assert.Equal(tested.Order(StringComparer.Ordinal), commands.Order(StringComparer.Ordinal));
    }

    /// <summary>The commands that run something, with their path below <c>monitor</c> ("alerts test").</summary>
    private static IEnumerable<(string Path, IEnumerable<Option> Options)> LeafCommands(Command command, string path = "", IEnumerable<Option>? inherited = null)
    {
        var recursive = (inherited ?? []).Concat(command.Options.Where(o => o.Recursive)).ToList();
        foreach (var subcommand in command.Subcommands)
        {
            var subPath = path.Length == 0 ? subcommand.Name : $"{path} {subcommand.Name}";
            if (subcommand.Action is not null)
            {
                yield return (subPath, subcommand.Options.Concat(recursive));
            }

            foreach (var leaf in LeafCommands(subcommand, subPath, recursive))
            {
                yield return leaf;
            }
        }
    }
}
