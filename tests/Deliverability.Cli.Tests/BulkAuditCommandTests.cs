using System.CommandLine;
using System.Text.Json;
using Deliverability.Core.Audits;
using Deliverability.Core.Dns;
using Deliverability.Testing.Dns;

namespace Deliverability.Cli.Tests;

/// <summary><c>monitor audit</c> over many domains: arguments, <c>--file</c>, standard input; NDJSON, CSV and text; order and exit code.</summary>
public sealed class BulkAuditCommandTests(AuditZoneFixture dns) : IClassFixture<AuditZoneFixture>, IDisposable
{
    private readonly TestDnsServer _server = dns.Server;
    private readonly string _directory = Directory.CreateTempSubdirectory("monitor-bulk-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Many_domains_print_one_json_line_each_in_input_order_and_exit_with_the_worst()
    {
        var run = await RunAsync("audit", "dupmx.test", "badmx.test", "dupmx.test", "--selector", "s1", "--json");

        var lines = JsonLines(run.Stdout);
        Assert.Equal(["dupmx.test", "badmx.test", "dupmx.test"], lines.Select(l => l.GetProperty("domain").GetString()));
        Assert.Equal("error", lines[1].GetProperty("status").GetString());
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Audited 3 domain(s)", run.Stderr);
    }

    [Fact]
    public async Task Exit_code_is_the_worst_of_the_domains_warning_when_none_has_an_error()
    {
        var single = await RunAsync("audit", "dupmx.test", "--selector", "s1", "--ip", "192.0.2.2", "--json");
        var run = await RunAsync("audit", "dupmx.test", "dupmx.test", "--selector", "s1", "--ip", "192.0.2.2", "--json");

        Assert.Equal(1, single.ExitCode);
        Assert.Equal(1, run.ExitCode);
        Assert.Equal(2, JsonLines(run.Stdout).Count);
    }

    [Fact]
    public async Task File_skips_blank_lines_and_comments_and_reports_bad_lines_without_stopping_the_others()
    {
        var path = Path.Combine(_directory, "domains.txt");
        await File.WriteAllTextAsync(path, "# customers\n\ndupmx.test\nnot a domain\n  badmx.test   # the broken one\r\nexample..test\ndupmx.test");

        var run = await RunAsync("audit", "--file", path, "--selector", "s1", "--json");

        Assert.Equal(["dupmx.test", "badmx.test", "dupmx.test"], JsonLines(run.Stdout).Select(l => l.GetProperty("domain").GetString()));
        Assert.Contains($"{path}:4: 'not a domain' is not a valid domain name", run.Stderr);
        Assert.Contains($"{path}:6: 'example..test' is not a valid domain name", run.Stderr);
        Assert.Contains("2 bad line(s)", run.Stderr);
        Assert.Equal(2, run.ExitCode);
    }

    [Fact]
    public async Task File_lines_written_in_unicode_are_audited_under_their_a_label()
    {
        var path = Path.Combine(_directory, "idn.txt");
        await File.WriteAllTextAsync(path, "Bücher.Test.\nbü cher.test\ndupmx.test\n");

        var run = await RunAsync("audit", "--file", path, "--selector", "s1", "--json");

        Assert.Equal(["xn--bcher-kva.test", "dupmx.test"], JsonLines(run.Stdout).Select(l => l.GetProperty("domain").GetString()));
        Assert.Contains($"{path}:2: 'bü cher.test' is not a valid domain name. The label 'bü cher' holds a space", run.Stderr);
    }

    [Fact]
    public async Task Dash_reads_the_domains_from_standard_input()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var root = new RootCommand();
        root.Subcommands.Add(AuditCommand.Create(stdout, stderr, new StringReader("dupmx.test\n# comment\nbadmx.test\n")));

        var exitCode = await root.Parse(["audit", "--file", "-", "--json", "--selector", "s1", "--dns", _server.Endpoint])
            .InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr });

        Assert.Equal(["dupmx.test", "badmx.test"], JsonLines(stdout.ToString()).Select(l => l.GetProperty("domain").GetString()));
        Assert.Equal(2, exitCode);
    }

    [Fact]
    public async Task Order_of_the_input_is_kept_when_an_early_domain_is_slow()
    {
        var run = await RunAsync("audit", "slow.test", "dupmx.test", "badmx.test", "dupmx.test", "--concurrency", "4", "--dns-timeout", "0.5", "--json");

        var lines = JsonLines(run.Stdout);
        Assert.Equal(["slow.test", "dupmx.test", "badmx.test", "dupmx.test"], lines.Select(l => l.GetProperty("domain").GetString()));
        Assert.Equal("unknown", lines[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task Csv_is_a_header_and_a_row_per_finding_quoted_as_rfc_4180()
    {
        var run = await RunAsync("audit", "dupmx.test", "badmx.test", "--selector", "s1", "--csv");

        var rows = ParseCsv(run.Stdout);
        Assert.Equal(AuditReportCsv.Header.Split(','), rows[0]);
        Assert.All(rows, r => Assert.Equal(9, r.Count));
        var expected = new[] { "dupmx.test", "badmx.test" }.Select(async d => JsonDocument.Parse((await RunAsync("audit", d, "--selector", "s1", "--json")).Stdout));
        var findings = 0;
        foreach (var document in await Task.WhenAll(expected))
        {
            findings += document.RootElement.GetProperty("checks").EnumerateArray().Sum(c => c.GetProperty("findings").GetArrayLength());
        }

        Assert.Equal(findings, rows.Count - 1);
        Assert.Equal(["dupmx.test", "badmx.test"], rows.Skip(1).Select(r => r[0]).Distinct());
        var unresolved = Assert.Single(rows, r => r[5] == "mx.target_unresolved");
        Assert.Equal(["badmx.test", "error", "mx", "error", "error", "mx.target_unresolved", "nowhere.badmx.test"], unresolved.Take(7));
        Assert.Contains(rows.Skip(1), r => r[7].Contains(',', StringComparison.Ordinal));
        Assert.EndsWith("\r\n", run.Stdout);
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData("=HYPERLINK(1)", "'=HYPERLINK(1)")]
    public void Csv_fields_are_quoted_only_when_needed_and_never_start_a_formula(string value, string field) =>
        Assert.Equal(field, AuditReportCsv.Field(value));

    [Fact]
    public async Task Text_of_many_domains_is_each_report_in_order()
    {
        var run = await RunAsync("audit", "badmx.test", "dupmx.test", "--selector", "s1");

        var first = run.Stdout.IndexOf("Audit of badmx.test", StringComparison.Ordinal);
        var second = run.Stdout.IndexOf("Audit of dupmx.test", StringComparison.Ordinal);
        Assert.True(first >= 0 && second > first, run.Stdout);
        Assert.Equal(2, run.Stdout.Split("Verdict: ").Length - 1);
    }

    [Fact]
    public async Task Single_domain_keeps_the_indented_json_object()
    {
        var run = await RunAsync("audit", "dupmx.test", "--selector", "s1", "--json");

        Assert.StartsWith("{\n", run.Stdout.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Equal("dupmx.test", JsonDocument.Parse(run.Stdout).RootElement.GetProperty("domain").GetString());
        Assert.DoesNotContain("Audited", run.Stderr);
    }

    [Theory]
    [InlineData(new[] { "audit" }, "give a domain")]
    [InlineData(new[] { "audit", "a.test", "--json", "--csv" }, "--json and --csv")]
    [InlineData(new[] { "audit", "a.test", "b.test", "--concurrency", "0" }, "--concurrency: must be 1 to 1024")]
    [InlineData(new[] { "audit", "--file", "/nonexistent/domains.txt" }, "--file: '/nonexistent/domains.txt' does not exist")]
    public async Task Bad_usage_exits_2_with_the_reason_and_asks_nothing(string[] args, string reason)
    {
        var queriesBefore = _server.QueryCount;

        var run = await RunAsync(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(reason, run.Stderr);
        Assert.Equal(queriesBefore, _server.QueryCount);
    }

    [Fact]
    public async Task Input_is_read_only_a_bounded_window_ahead_of_the_output()
    {
        using var resolver = new DnsStubResolver(new DnsOptions { NameServers = [_server.Endpoint], TimeoutSeconds = 2, Retries = 0 });
        var auditor = new DomainAuditor(resolver, DomainChecks.All());
        var read = 0;
        const int concurrency = 4;

        var outcomes = 0;
        await foreach (var outcome in OrderedAudits.RunAsync(Endless(), (d, t) => auditor.AuditAsync(DomainAuditRequest.For(d), t), concurrency))
        {
            Assert.Equal("dupmx.test", outcome.Report!.Domain);
            if (++outcomes == 50)
            {
                break;
            }
        }

        // Of a million-line input only the window (queued, in flight or finished) and the concurrency were read past the output.
        Assert.InRange(read, 50, 50 + OrderedAudits.WindowFor(concurrency) + concurrency + 2);

        async IAsyncEnumerable<AuditInputItem> Endless()
        {
            for (var i = 0; i < 1_000_000; i++)
            {
                read++;
                await Task.Yield();
                yield return new AuditInputItem($"line {i + 1}", "dupmx.test", null);
            }
        }
    }

    private Task<CliRun> RunAsync(params string[] args) => RunRawAsync([.. args, "--dns", _server.Endpoint]);

    private static async Task<CliRun> RunRawAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exitCode = await MonitorCli.RunAsync(args, stdout, stderr);
        return new CliRun(exitCode, stdout.ToString(), stderr.ToString());
    }

    private static List<JsonElement> JsonLines(string stdout) =>
        [.. stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement)];

    // A small RFC 4180 reader: quoted fields may hold commas, quotes (doubled) and line breaks.
    private static List<List<string>> ParseCsv(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                row.Add(field.ToString());
                field.Clear();
                rows.Add(row);
                row = [];
                i++;
            }
            else
            {
                field.Append(c);
            }
        }

        return rows;
    }

    private sealed record CliRun(int ExitCode, string Stdout, string Stderr);
}
