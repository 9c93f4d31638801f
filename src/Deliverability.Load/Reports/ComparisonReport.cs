using System.Globalization;
using System.Text;

namespace Deliverability.Load;

/// <summary>Two runs side by side (baseline and candidate), with the change of each number.</summary>
public static class ComparisonReport
{
    /// <summary>The comparison as Markdown.</summary>
    public static string RenderMarkdown(RunReport baseline, RunReport candidate)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(candidate);
        var text = new StringBuilder();
        text.AppendLine($"# Comparison: {MarkdownReport.Escape(baseline.TestName)} vs {MarkdownReport.Escape(candidate.TestName)}").AppendLine();
        text.AppendLine($"- baseline: {MarkdownReport.Escape(baseline.RunId)} from {ReportText.Time(baseline.StartedAt)}, {ReportText.Summary(baseline)}");
        text.AppendLine($"- candidate: {MarkdownReport.Escape(candidate.RunId)} from {ReportText.Time(candidate.StartedAt)}, {ReportText.Summary(candidate)}");
        foreach (var (name, rows) in Compare(baseline, candidate))
        {
            text.AppendLine().AppendLine($"## {MarkdownReport.Escape(name)}").AppendLine();
            text.AppendLine("| metric | baseline | candidate | change |").AppendLine("|---|---:|---:|---:|");
            foreach (var row in rows)
            {
                text.AppendLine($"| {MarkdownReport.Escape(row.Metric)} | {row.Baseline} | {row.Candidate} | {row.Change} |");
            }
        }

        return text.ToString();
    }

    /// <summary>The comparison as self-contained HTML.</summary>
    public static string RenderHtml(RunReport baseline, RunReport candidate)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(candidate);
        var html = new StringBuilder();
        HtmlReport.Open(html, $"Comparison: {baseline.TestName} vs {candidate.TestName}");
        html.Append("<h1>").Append(HtmlReport.E($"Comparison: {baseline.TestName} vs {candidate.TestName}")).Append("</h1>");
        HtmlReport.Table(html, ["", "run", "measured from", "thresholds"],
        [
            ["baseline", baseline.RunId, ReportText.Time(baseline.StartedAt), ReportText.Summary(baseline)],
            ["candidate", candidate.RunId, ReportText.Time(candidate.StartedAt), ReportText.Summary(candidate)],
        ]);
        foreach (var (name, rows) in Compare(baseline, candidate))
        {
            html.Append("<h2>").Append(HtmlReport.E(name)).Append("</h2>");
            HtmlReport.Table(html, ["metric", "baseline", "candidate", "change"],
                rows.Select(row => (IReadOnlyList<string>)[row.Metric, row.Baseline, row.Candidate, row.Change]).ToList());
            var scenarioName = name.StartsWith("Scenario ", StringComparison.Ordinal) ? name["Scenario ".Length..] : name;
            var left = baseline.FindScenario(scenarioName);
            var right = candidate.FindScenario(scenarioName);
            if (left is not null && right is not null)
            {
                html.Append(SvgChart.Render("Response time by percentile (HDR)", "percentile", "ms",
                [
                    new SvgChart.Series("baseline", "#3b6fd1", HtmlReport.PercentileCurve(left.Stats.ResponseTime.Histogram)),
                    new SvgChart.Series("candidate", "#b3261e", HtmlReport.PercentileCurve(right.Stats.ResponseTime.Histogram)),
                ],
                [(0, "0%"), (1, "90%"), (2, "99%"), (3, "99.9%"), (4, "99.99%")]));
            }
        }

        return HtmlReport.Close(html);
    }

    private sealed record Row(string Metric, string Baseline, string Candidate, string Change);

    private static IEnumerable<(string Name, List<Row> Rows)> Compare(RunReport baseline, RunReport candidate)
    {
        var names = baseline.Scenarios.Select(scenario => scenario.Name)
            .Concat(candidate.Scenarios.Select(scenario => scenario.Name)).Distinct(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var left = baseline.FindScenario(name);
            var right = candidate.FindScenario(name);
            var rows = new List<Row>
            {
                Number("rps", left?.Stats.Rps, right?.Stats.Rps, ReportText.Rate),
                Number("ok/s", left?.Stats.OkPerSecond, right?.Stats.OkPerSecond, ReportText.Rate),
                Number("error rate", left?.Stats.ErrorRate, right?.Stats.ErrorRate, ReportText.Percent),
                Number("dropped starts", left?.DroppedStarts, right?.DroppedStarts, value => ReportText.Count((long)value)),
                Number("late starts", left?.LateStarts, right?.LateStarts, value => ReportText.Count((long)value)),
            };
            rows.AddRange(ReportText.LatencyColumns.Select(column => Number($"response {column.Label} (ms)",
                left is null ? null : column.Value(left.Stats.ResponseTime),
                right is null ? null : column.Value(right.Stats.ResponseTime), ReportText.Ms)));
            var steps = (left?.Steps ?? []).Select(step => step.Name).Concat((right?.Steps ?? []).Select(step => step.Name))
                .Distinct(StringComparer.Ordinal);
            foreach (var step in steps)
            {
                rows.Add(Number($"{step}: p99 (ms)", left?.FindStep(step)?.Stats.ResponseTime.P99Ms,
                    right?.FindStep(step)?.Stats.ResponseTime.P99Ms, ReportText.Ms));
            }

            yield return ($"Scenario {name}", rows);
        }
    }

    private static Row Number(string metric, double? baseline, double? candidate, Func<double, string> format)
    {
        var change = baseline is { } b && candidate is { } c
            ? b == 0 ? (c == 0 ? "0%" : "new") : ((c - b) / b * 100).ToString("+0.#;-0.#;0", CultureInfo.InvariantCulture) + "%"
            : "";
        return new Row(metric, baseline is null ? "-" : format(baseline.Value), candidate is null ? "-" : format(candidate.Value), change);
    }
}
