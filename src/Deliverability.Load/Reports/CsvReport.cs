using System.Text;

namespace Deliverability.Load;

/// <summary>CSV (RFC 4180): one row per scenario and per step with counts, rates and percentiles.</summary>
public static class CsvReport
{
    /// <summary>The report as CSV.</summary>
    public static string Render(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder();
        var header = new List<string>
        {
            "scenario", "step", "count", "ok", "failed", "rps", "ok_per_s", "error_rate", "bytes",
            "planned", "started", "late_starts", "dropped_starts", "interrupted",
        };
        header.AddRange(ReportText.LatencyColumns.Select(column => $"response_{column.Label}_ms"));
        header.AddRange(ReportText.LatencyColumns.Select(column => $"service_{column.Label}_ms"));
        header.AddRange(OutcomeClasses.All.Select(outcome => $"outcome_{outcome}"));
        AppendRow(text, header);
        foreach (var scenario in report.Scenarios)
        {
            foreach (var (step, stats) in ReportText.Rows(scenario))
            {
                var invocation = step == ReportText.InvocationRow;
                var row = new List<string>
                {
                    scenario.Name, invocation ? "" : step, ReportText.Count(stats.Count), ReportText.Count(stats.Ok),
                    ReportText.Count(stats.Failed), ReportText.Rate(stats.Rps), ReportText.Rate(stats.OkPerSecond),
                    stats.ErrorRate.ToString("0.######", System.Globalization.CultureInfo.InvariantCulture),
                    ReportText.Count(stats.Bytes),
                    invocation ? ReportText.Count(scenario.Planned) : "",
                    invocation ? ReportText.Count(scenario.Started) : "",
                    invocation ? ReportText.Count(scenario.LateStarts) : "",
                    invocation ? ReportText.Count(scenario.DroppedStarts) : "",
                    invocation ? ReportText.Count(scenario.Interrupted) : "",
                };
                row.AddRange(ReportText.LatencyColumns.Select(column => ReportText.Ms(column.Value(stats.ResponseTime))));
                row.AddRange(ReportText.LatencyColumns.Select(column => ReportText.Ms(column.Value(stats.ServiceTime))));
                row.AddRange(OutcomeClasses.All.Select(outcome => ReportText.Count(stats.Outcomes.GetValueOrDefault(outcome))));
                AppendRow(text, row);
            }
        }

        return text.ToString();
    }

    private static void AppendRow(StringBuilder text, IEnumerable<string> fields)
    {
        text.AppendJoin(',', fields.Select(Field)).Append("\r\n");
    }

    /// <summary>Quotes when needed, and defuses text a spreadsheet would run as a formula.</summary>
    private static string Field(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' && !double.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out _))
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
