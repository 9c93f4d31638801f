using Deliverability.Core.Audits;

namespace Deliverability.Cli;

public enum AuditOutputFormat
{
    Text,
    Json,
    Csv,
}

/// <summary>
/// Writes audits as they come: for many domains one NDJSON line, the CSV rows or the text report of each, in input order;
/// bad input lines go to standard error with their line number. The exit code is the worst over all domains (a bad line
/// counts as 2), and a one-line summary closes standard error.
/// </summary>
public static class BulkAuditOutput
{
    public static async Task WriteSingleAsync(DomainAuditReport report, AuditOutputFormat format, TextWriter stdout)
    {
        switch (format)
        {
            case AuditOutputFormat.Json:
                await stdout.WriteLineAsync(AuditReportJson.Serialize(report));
                break;
            case AuditOutputFormat.Csv:
                await AuditReportCsv.WriteHeaderAsync(stdout);
                await AuditReportCsv.WriteRowsAsync(report, stdout);
                break;
            default:
                await AuditReportText.WriteAsync(report, stdout);
                break;
        }
    }

    public static async Task<int> WriteAsync(
        IAsyncEnumerable<OrderedAudits.Outcome> outcomes, AuditOutputFormat format, TextWriter stdout, TextWriter stderr, AuditProgress? progress)
    {
        var exitCode = 0;
        var statuses = new long[Enum.GetValues<CheckStatus>().Length];
        var badLines = 0L;
        var first = true;
        using var jsonLines = format == AuditOutputFormat.Json ? new AuditReportJson.LineWriter(stdout) : null;
        if (format == AuditOutputFormat.Csv)
        {
            await AuditReportCsv.WriteHeaderAsync(stdout);
        }

        await foreach (var outcome in outcomes)
        {
            if (outcome.Report is not { } report)
            {
                progress?.Finish();
                await stderr.WriteLineAsync($"{outcome.Input.Source}: {outcome.Input.Problem}");
                badLines++;
                exitCode = 2;
                progress?.Advance(problem: true);
                continue;
            }

            switch (format)
            {
                case AuditOutputFormat.Json:
                    await jsonLines!.WriteAsync(report);
                    break;
                case AuditOutputFormat.Csv:
                    await AuditReportCsv.WriteRowsAsync(report, stdout);
                    break;
                default:
                    if (!first)
                    {
                        await stdout.WriteLineAsync();
                    }

                    await AuditReportText.WriteAsync(report, stdout);
                    break;
            }

            first = false;
            statuses[(int)report.Status]++;
            exitCode = Math.Max(exitCode, report.ExitCode);
            progress?.Advance(problem: report.Status != CheckStatus.Ok);
        }

        progress?.Finish();
        var audited = statuses.Sum();
        await stderr.WriteLineAsync(
            $"Audited {audited:N0} domain(s): {statuses[(int)CheckStatus.Ok]:N0} ok, {statuses[(int)CheckStatus.Warning]:N0} warning, " +
            $"{statuses[(int)CheckStatus.Error]:N0} error, {statuses[(int)CheckStatus.Unknown]:N0} inconclusive; {badLines:N0} bad line(s); exit code {exitCode}");
        return exitCode;
    }
}
