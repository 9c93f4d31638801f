using System.Text.RegularExpressions;

namespace Deliverability.Load.Tests;

public sealed partial class ReportWriterTests
{
    private const string HostileName = "<script>alert('x')</script> | *bold* =cmd";

    private static async Task<RunReport> HostileReportAsync()
    {
        var scenario = Scenario.Create(HostileName, async context =>
            {
                await Step.Run("connect", context, () => Task.FromResult(Response.Smtp(220)));
                return context.InvocationNumber % 5 == 0
                    ? Response.Fail(OutcomeClass.SmtpRejected, "554", "<img src=x onerror=alert(1)>\nrejected, \"quoted\"")
                    : Response.Smtp(250, sizeBytes: 512);
            })
            .WithLoadSimulations(Simulation.Inject(rate: 40, interval: TimeSpan.FromSeconds(1), during: TimeSpan.FromSeconds(2)))
            .WithThresholds("p99 < 5s", "error_rate < 1%");
        return await LoadRunner.RunAsync(scenario, new LoadRunOptions { Seed = 30, TestName = "peak <rehearsal>" });
    }

    [Fact]
    public async Task Html_is_self_contained_and_escapes_every_text()
    {
        var report = await HostileReportAsync();

        var html = HtmlReport.Render(report);

        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.DoesNotMatch(ExternalReference(), html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;", html);
        Assert.Contains("peak &lt;rehearsal&gt;", html);
        Assert.Contains("default-src 'none'", html);
        Assert.Equal(3, Regex.Count(html, "<svg "));
        Assert.Contains("Throughput per second", html);
        Assert.Contains("Response time per second", html);
        Assert.Contains(">99.99%</text>", html);
        Assert.Contains(">99.9%</text>", html);
        Assert.Contains("SmtpRejected", html);
        Assert.Contains("error_rate &lt; 1%", html);
        Assert.Contains("breached", html);
    }

    [Fact]
    public async Task Csv_has_one_row_per_scenario_and_step_with_percentiles_and_counts()
    {
        var report = await HostileReportAsync();

        var csv = CsvReport.Render(report);

        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        var header = lines[0].Split(',');
        Assert.Equal(["scenario", "step", "count", "ok", "failed"], header[..5]);
        Assert.Contains("response_p99_ms", header);
        Assert.Contains("service_p99.9_ms", header);
        Assert.Contains("outcome_SmtpRejected", header);
        Assert.StartsWith("<script>alert('x')</script> | *bold* =cmd,,80,64,16,", lines[1]);
        Assert.StartsWith("<script>alert('x')</script> | *bold* =cmd,connect,80,80,0,", lines[2]);
        Assert.Equal("16", lines[1].Split(',')[Array.IndexOf(header, "outcome_SmtpRejected")]);
        Assert.Equal("80", lines[2].Split(',')[Array.IndexOf(header, "outcome_SmtpAccepted")]);
        Assert.Equal(header.Length, lines[1].Split(',').Length);
    }

    [Fact]
    public void Csv_defuses_spreadsheet_formulas_and_quotes_separators()
    {
        var report = new RunReport
        {
            RunId = "r",
            TestName = "t",
            StartedAt = DateTimeOffset.UnixEpoch,
            EndedAt = DateTimeOffset.UnixEpoch.AddSeconds(1),
            Scenarios =
            [
                new ScenarioReport
                {
                    Name = "=HYPERLINK(\"x\")",
                    LoadModel = "open",
                    StartedAt = DateTimeOffset.UnixEpoch,
                    EndedAt = DateTimeOffset.UnixEpoch.AddSeconds(1),
                    Stats = EmptyStats(),
                    Steps = [new StepReport { Name = "a,b", Stats = EmptyStats() }],
                },
            ],
        };

        var lines = CsvReport.Render(report).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.StartsWith("\"'=HYPERLINK(\"\"x\"\")\",,0,", lines[1]);
        Assert.StartsWith("\"'=HYPERLINK(\"\"x\"\")\",\"a,b\",0,", lines[2]);
    }

    [Fact]
    public async Task Markdown_has_the_summary_tables_and_escapes_names()
    {
        var report = await HostileReportAsync();

        var markdown = MarkdownReport.Render(report);

        Assert.StartsWith("# Load test: peak &lt;rehearsal&gt;", markdown);
        Assert.Contains("## Scenario &lt;script&gt;alert('x')&lt;/script&gt; \\| \\*bold\\* =cmd", markdown);
        Assert.DoesNotContain("<script>", markdown);
        Assert.Contains("| planned | started | late starts | dropped starts |", markdown);
        Assert.Contains("### Response time from the planned start (ms)", markdown);
        Assert.Contains("### Service time from the actual start (ms)", markdown);
        Assert.Contains("| (invocation) | 80 |", markdown);
        Assert.Contains("| connect | 80 |", markdown);
        Assert.Contains("| error\\_rate &lt; 1% | **breached** | 20% | 1% |", markdown);
        Assert.Contains("| p99 &lt; 5s | held |", markdown);
        Assert.Contains("| (invocation) | SmtpRejected | 554 | &lt;img src=x onerror=alert(1)&gt; rejected, \"quoted\" | 16 |", markdown);
        Assert.Contains("- thresholds: 1 of 2 thresholds breached", markdown);
    }

    [Fact]
    public async Task Comparison_puts_two_runs_side_by_side()
    {
        var baseline = await HostileReportAsync();
        var candidate = baseline with
        {
            RunId = "candidate",
            Scenarios = [baseline.Scenarios[0] with { Stats = baseline.Scenarios[0].Stats with { Rps = baseline.Scenarios[0].Stats.Rps * 2 } }],
        };

        var markdown = ComparisonReport.RenderMarkdown(baseline, candidate);
        var html = ComparisonReport.RenderHtml(baseline, candidate);

        Assert.Contains("| rps |", markdown);
        Assert.Contains("| +100% |", markdown);
        Assert.Contains("connect: p99 (ms)", markdown);
        Assert.DoesNotMatch(ExternalReference(), html);
        Assert.DoesNotContain("<script", html);
        Assert.Contains("+100%", html);
    }

    [Theory]
    [InlineData("md", ReportFormat.Markdown)]
    [InlineData("HTML", ReportFormat.Html)]
    [InlineData(" csv ", ReportFormat.Csv)]
    [InlineData("json", ReportFormat.Json)]
    public void Formats_parse_by_name(string text, ReportFormat expected)
    {
        Assert.True(ReportWriter.TryParseFormat(text, out var format));
        Assert.Equal(expected, format);
        Assert.False(ReportWriter.TryParseFormat("pdf", out _));
    }

    private static StatsReport EmptyStats() => new()
    {
        ResponseTime = new LatencyStats(),
        ServiceTime = new LatencyStats(),
    };

    [GeneratedRegex("""(src|href)\s*=\s*["']?\s*(https?:)?//""", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalReference();
}
