using System.Globalization;
using Deliverability.Core.Audits;

namespace Deliverability.Cli;

/// <summary>The terminal form of an audit: each check with its status, its findings and their fixes, then the verdict.</summary>
public static class AuditReportText
{
    public static async Task WriteAsync(DomainAuditReport report, TextWriter output)
    {
        await output.WriteLineAsync($"Audit of {report.Domain} at {report.CheckedAt.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)}");
        foreach (var check in report.Checks)
        {
            await output.WriteLineAsync();
            await output.WriteLineAsync($"{check.Check,-12} {StatusWord(check.Status)}");
            foreach (var record in check.Records)
            {
                await output.WriteLineAsync($"    record   {record}");
            }

            foreach (var finding in check.Findings.OrderByDescending(f => f.Severity))
            {
                var subject = finding.Subject is null ? "" : $" [{finding.Subject}]";
                await output.WriteLineAsync($"  {SeverityWord(finding.Severity),-7} {finding.Code}{subject}");
                await output.WriteLineAsync($"          {finding.Message}");
                if (finding.Fix.Length > 0)
                {
                    await output.WriteLineAsync($"          fix: {finding.Fix}");
                }
            }
        }

        var findings = report.Findings.ToArray();
        var errors = findings.Count(f => f.Severity == Severity.Error);
        var warnings = findings.Count(f => f.Severity == Severity.Warning);
        var unknown = report.Checks.Count(c => c.Status == CheckStatus.Unknown);
        await output.WriteLineAsync();
        await output.WriteLineAsync(
            $"Verdict: {StatusWord(report.Status)} ({errors} error(s), {warnings} warning(s), {unknown} inconclusive check(s)); exit code {report.ExitCode}");
    }

    private static string StatusWord(CheckStatus status) => status switch
    {
        CheckStatus.Ok => "OK",
        CheckStatus.Warning => "WARNING",
        CheckStatus.Error => "ERROR",
        _ => "INCONCLUSIVE",
    };

    private static string SeverityWord(Severity severity) => severity.ToString().ToLowerInvariant();
}
