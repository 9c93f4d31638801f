using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Deliverability.Cli;
using Deliverability.Core.Audits;

namespace Deliverability.Cli.Tests;

/// <summary>
/// The <c>--json</c> writer writes field by field; what it prints must stay exactly what the reflection-based serializer
/// printed for the same report (names, enum spelling, dates, escaping, nulls, indentation), which is the reference here.
/// </summary>
public sealed class AuditReportJsonTests
{
    private static readonly JsonSerializerOptions Indented = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private static readonly JsonSerializerOptions Line = new(Indented) { WriteIndented = false };

    // Every status and severity, quotes, a backslash, control characters, non-ASCII and right-to-left text, an empty
    // check, a finding with a subject and one without.
    private static readonly DomainAuditReport Report = new(
        "xn--bcher-kva.example",
        new DateTimeOffset(2026, 12, 2, 23, 47, 40, 234, TimeSpan.FromHours(2)).AddTicks(7591),
        CheckStatus.Error,
        [
            new CheckResult("spf", CheckStatus.Ok, [], ["v=spf1 include:_spf.example.net -all"]),
            new CheckResult("dkim", CheckStatus.Warning, [new Finding("dkim.weak", Severity.Warning, "Key \"s1\" is 1024 bits", "Use 2048 bits: <b>&amp;</b> 'now'") { Subject = "s1" }], ["s1._domainkey TXT \"v=DKIM1; p=MII\\\"\""]),
            new CheckResult("dmarc", CheckStatus.Error, [new Finding("dmarc.missing", Severity.Error, "No record\u001b[31m\r\n\ttab", "Publish one — für Bücher \u202e\u05e9\u05dc\u05d5\u05dd"), new Finding("dmarc.info", Severity.Info, "", "")], []),
            new CheckResult("mx", CheckStatus.Unknown, [], []),
        ]);

    private static string Reference(DomainAuditReport report, JsonSerializerOptions options) => JsonSerializer.Serialize(
        new
        {
            report.Domain,
            report.CheckedAt,
            report.Status,
            report.ExitCode,
            Checks = report.Checks.Select(c => new
            {
                c.Check,
                c.Status,
                c.Records,
                Findings = c.Findings.Select(f => new { f.Code, f.Severity, f.Message, f.Fix, f.Subject }).ToArray(),
            }).ToArray(),
        },
        options);

    [Fact]
    public async Task A_line_is_what_the_serializer_wrote()
    {
        var output = new StringWriter();
        using (var lines = new AuditReportJson.LineWriter(output))
        {
            await lines.WriteAsync(Report);
        }

        Assert.Equal(Reference(Report, Line) + Environment.NewLine, output.ToString());
    }

    [Fact]
    public void The_single_report_is_what_the_serializer_wrote_indented()
    {
        Assert.Equal(Reference(Report, Indented), AuditReportJson.Serialize(Report));
    }

    [Fact]
    public async Task The_line_writer_prints_the_same_lines_reusing_its_buffers()
    {
        var small = Report with { Domain = "a.example", Checks = [Report.Checks[0]] };
        var output = new StringWriter();
        using (var lines = new AuditReportJson.LineWriter(output))
        {
            // A large report between two small ones: the buffers grow, and nothing of the large one leaks into the next.
            await lines.WriteAsync(small);
            await lines.WriteAsync(Report with { Checks = [.. Enumerable.Repeat(Report.Checks[2], 40)] });
            await lines.WriteAsync(small);
        }

        Assert.Equal(
            [Reference(small, Line), Reference(Report with { Checks = [.. Enumerable.Repeat(Report.Checks[2], 40)] }, Line), Reference(small, Line), ""],
            output.ToString().Split(Environment.NewLine));
    }
}
