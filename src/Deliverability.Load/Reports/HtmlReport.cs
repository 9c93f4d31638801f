using System.Net;
using System.Text;
using HdrHistogram;

namespace Deliverability.Load;

/// <summary>One self-contained HTML file: no external script, style or font; charts are inline SVG; all text escaped.</summary>
public static class HtmlReport
{
    internal const string Style = """
        body{font-family:system-ui,sans-serif;margin:24px;color:#1d2330;max-width:1100px}
        h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #d0d4dc}h3{font-size:15px}
        table{border-collapse:collapse;margin:8px 0 16px}td,th{border:1px solid #d0d4dc;padding:3px 8px;font-size:13px}
        td.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#f2f4f8}
        .held{color:#17723b;font-weight:600}.breached{color:#b3261e;font-weight:600}
        svg{display:block;margin:8px 0}.grid{stroke:#e3e6ec}.tick{font-size:11px;fill:#555}.axis{font-size:12px;fill:#333}
        .chart-title{font-size:13px;font-weight:600}.muted{color:#666}
        """;

    /// <summary>The report as HTML.</summary>
    public static string Render(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var html = new StringBuilder();
        Open(html, $"Load test: {report.TestName}");
        html.Append("<h1>Load test: ").Append(E(report.TestName)).Append("</h1>");
        html.Append("<table>");
        Row(html, "run", report.RunId);
        Row(html, "generators", string.Join(", ", report.Generators));
        Row(html, "measured from", ReportText.Time(report.StartedAt));
        Row(html, "duration", ReportText.Seconds(report.DurationSeconds));
        Row(html, "stopped", report.StopReason + (report.AbortedBy is null ? "" : $" by {report.AbortedBy}"));
        Row(html, "thresholds", ReportText.Summary(report));
        html.Append("</table>");
        foreach (var scenario in report.Scenarios)
        {
            AppendScenario(html, scenario);
        }

        return Close(html);
    }

    internal static void Open(StringBuilder html, string title)
    {
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">");
        html.Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        html.Append("<title>").Append(E(title)).Append("</title><style>").Append(Style).Append("</style></head><body>");
    }

    internal static string Close(StringBuilder html) => html.Append("</body></html>\n").ToString();

    internal static string E(string text) => WebUtility.HtmlEncode(text);

    private static void Row(StringBuilder html, string label, string value) =>
        html.Append("<tr><th>").Append(E(label)).Append("</th><td>").Append(E(value)).Append("</td></tr>");

    private static void AppendScenario(StringBuilder html, ScenarioReport scenario)
    {
        var stats = scenario.Stats;
        html.Append("<h2>Scenario ").Append(E(scenario.Name)).Append("</h2>");
        html.Append("<p class=\"muted\">").Append(E($"{scenario.LoadModel} model: {string.Join("; ", scenario.Simulations)}")).Append("</p>");
        Table(html, ["planned", "started", "late starts", "dropped starts", "interrupted", "completed", "ok", "failed", "rps", "ok/s", "error rate"],
            [[ReportText.Count(scenario.Planned), ReportText.Count(scenario.Started), ReportText.Count(scenario.LateStarts),
              ReportText.Count(scenario.DroppedStarts), ReportText.Count(scenario.Interrupted), ReportText.Count(stats.Count),
              ReportText.Count(stats.Ok), ReportText.Count(stats.Failed), ReportText.Rate(stats.Rps),
              ReportText.Rate(stats.OkPerSecond), ReportText.Percent(stats.ErrorRate)]], firstIsLabel: false);

        if (scenario.Thresholds.Count > 0)
        {
            html.Append("<h3>Thresholds</h3><table><tr><th>threshold</th><th>verdict</th><th>observed</th><th>limit</th></tr>");
            foreach (var verdict in scenario.Thresholds)
            {
                var status = verdict.Held ? "held" : verdict.AbortedRun ? "breached (aborted the run)" : "breached";
                html.Append("<tr><td><code>").Append(E(verdict.Expression)).Append("</code></td><td class=\"")
                    .Append(verdict.Held ? "held" : "breached").Append("\">").Append(E(status))
                    .Append(verdict.Note is null ? "" : E($" ({verdict.Note})")).Append("</td><td class=\"n\">")
                    .Append(E(ReportText.Observed(verdict))).Append("</td><td class=\"n\">").Append(E(ReportText.Limit(verdict)))
                    .Append("</td></tr>");
            }

            html.Append("</table>");
        }

        AppendCharts(html, scenario);
        foreach (var (title, latency) in new (string, Func<StatsReport, LatencyStats>)[]
                 {
                     ("Response time from the planned start (ms)", s => s.ResponseTime),
                     ("Service time from the actual start (ms)", s => s.ServiceTime),
                 })
        {
            html.Append("<h3>").Append(E(title)).Append("</h3>");
            Table(html, ["step", "count", .. ReportText.LatencyColumns.Select(column => column.Label)],
                ReportText.Rows(scenario).Select(row => (IReadOnlyList<string>)[row.Step, ReportText.Count(latency(row.Stats).Count),
                    .. ReportText.LatencyColumns.Select(column => ReportText.Ms(column.Value(latency(row.Stats))))]).ToList());
        }

        var outcomes = OutcomeClasses.All.Where(outcome => ReportText.Rows(scenario).Any(row => row.Stats.Outcomes.GetValueOrDefault(outcome) > 0)).ToList();
        html.Append("<h3>Outcomes</h3>");
        Table(html, ["step", .. outcomes.Select(outcome => outcome.ToString()), "status codes", "bytes"],
            ReportText.Rows(scenario).Select(row => (IReadOnlyList<string>)[row.Step,
                .. outcomes.Select(outcome => ReportText.Count(row.Stats.Outcomes.GetValueOrDefault(outcome))),
                string.Join(", ", row.Stats.StatusCodes.Select(pair => $"{pair.Key}: {pair.Value}")), ReportText.Count(row.Stats.Bytes)]).ToList());

        if (scenario.TopErrors.Count > 0)
        {
            html.Append("<h3>Top errors</h3>");
            Table(html, ["step", "outcome", "code", "message", "count"],
                scenario.TopErrors.Select(error => (IReadOnlyList<string>)[error.Step ?? ReportText.InvocationRow,
                    error.Outcome.ToString(), error.StatusCode ?? "", error.Message, ReportText.Count(error.Count)]).ToList());
        }
    }

    private static void AppendCharts(StringBuilder html, ScenarioReport scenario)
    {
        var series = scenario.TimeSeries;
        if (series.Count > 0)
        {
            var origin = series[0].Time;
            double At(TimeSeriesPoint point) => (point.Time - origin).TotalSeconds;
            var ticks = SvgChart.SecondTicks(At(series[^1]));
            html.Append(SvgChart.Render("Throughput per second", "time", "per second",
            [
                new SvgChart.Series("started", "#3b6fd1", [.. series.Select(point => (At(point), (double)point.Started))]),
                new SvgChart.Series("completed", "#17723b", [.. series.Select(point => (At(point), (double)point.Completed))]),
                new SvgChart.Series("errors", "#b3261e", [.. series.Select(point => (At(point), (double)point.Errors))]),
                new SvgChart.Series("dropped", "#c77c02", [.. series.Select(point => (At(point), (double)point.Dropped))]),
            ], ticks));
            html.Append(SvgChart.Render("Response time per second (from the planned start)", "time", "ms",
            [
                new SvgChart.Series("p50", "#3b6fd1", [.. series.Select(point => (At(point), point.P50Ms))]),
                new SvgChart.Series("p99", "#b3261e", [.. series.Select(point => (At(point), point.P99Ms))]),
            ], ticks));
        }

        html.Append(SvgChart.Render("Response time by percentile (HDR)", "percentile", "ms",
        [
            new SvgChart.Series("response time", "#b3261e", PercentileCurve(scenario.Stats.ResponseTime.Histogram)),
            new SvgChart.Series("service time", "#3b6fd1", PercentileCurve(scenario.Stats.ServiceTime.Histogram)),
        ],
        [(0, "0%"), (1, "90%"), (2, "99%"), (3, "99.9%"), (4, "99.99%")]));
    }

    /// <summary>The percentile distribution with x = log10(1 / (1 - p)): 0 at 0%, 1 at 90%, 2 at 99%...</summary>
    internal static IReadOnlyList<(double X, double Y)> PercentileCurve(string encoded)
    {
        var histogram = LatencyHistogram.Decode(encoded);
        if (histogram.TotalCount == 0)
        {
            return [];
        }

        var points = new List<(double X, double Y)>();
        foreach (var value in histogram.Percentiles(5))
        {
            var percentile = value.PercentileLevelIteratedTo;
            if (percentile >= 100 || points.Count >= 400)
            {
                break;
            }

            points.Add((Math.Log10(100 / (100 - percentile)), histogram.HighestEquivalentValue(value.ValueIteratedTo) / 1000.0));
        }

        var x = points.Count == 0 ? 0 : Math.Max(points[^1].X, 0) + 0.1;
        points.Add((Math.Min(Math.Max(x, 0.1), 4.5), histogram.GetMaxValue() / 1000.0));
        return points;
    }

    internal static void Table(StringBuilder html, IReadOnlyList<string> header, IReadOnlyList<IReadOnlyList<string>> rows, bool firstIsLabel = true)
    {
        html.Append("<table><tr>");
        foreach (var cell in header)
        {
            html.Append("<th>").Append(E(cell)).Append("</th>");
        }

        html.Append("</tr>");
        foreach (var row in rows)
        {
            html.Append("<tr>");
            for (var index = 0; index < row.Count; index++)
            {
                html.Append(index == 0 && firstIsLabel ? "<td>" : "<td class=\"n\">").Append(E(row[index])).Append("</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</table>");
    }
}
