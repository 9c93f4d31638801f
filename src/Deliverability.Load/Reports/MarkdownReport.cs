using System.Text;

namespace Deliverability.Load;

/// <summary>Markdown: summary, outcomes, latencies per scenario and step, thresholds.</summary>
public static class MarkdownReport
{
    /// <summary>The report as Markdown.</summary>
    public static string Render(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder();
        text.AppendLine($"# Load test: {Escape(report.TestName)}").AppendLine();
        text.AppendLine($"- run: {Escape(report.RunId)}, generators: {Escape(string.Join(", ", report.Generators))}");
        text.AppendLine($"- measured from {ReportText.Time(report.StartedAt)} for {ReportText.Seconds(report.DurationSeconds)}");
        text.AppendLine($"- stopped: {report.StopReason}{(report.AbortedBy is null ? "" : $" by {Escape(report.AbortedBy)}")}");
        text.AppendLine($"- thresholds: {ReportText.Summary(report)}");
        foreach (var scenario in report.Scenarios)
        {
            AppendScenario(text, scenario);
        }

        return text.ToString();
    }

    private static void AppendScenario(StringBuilder text, ScenarioReport scenario)
    {
        text.AppendLine().AppendLine($"## Scenario {Escape(scenario.Name)}").AppendLine();
        text.AppendLine($"{scenario.LoadModel} model: {Escape(string.Join("; ", scenario.Simulations))}").AppendLine();
        text.AppendLine("| planned | started | late starts | dropped starts | interrupted | completed | ok | failed | rps | ok/s | error rate |");
        text.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        var stats = scenario.Stats;
        text.AppendLine($"| {scenario.Planned} | {scenario.Started} | {scenario.LateStarts} | {scenario.DroppedStarts} | {scenario.Interrupted} | {stats.Count} | {stats.Ok} | {stats.Failed} | {ReportText.Rate(stats.Rps)} | {ReportText.Rate(stats.OkPerSecond)} | {ReportText.Percent(stats.ErrorRate)} |");

        AppendLatency(text, scenario, "Response time from the planned start (ms)", stats => stats.ResponseTime);
        AppendLatency(text, scenario, "Service time from the actual start (ms)", stats => stats.ServiceTime);

        text.AppendLine().AppendLine("### Outcomes").AppendLine();
        var outcomes = OutcomeClasses.All.Where(outcome => ReportText.Rows(scenario).Any(row => row.Stats.Outcomes.GetValueOrDefault(outcome) > 0)).ToList();
        text.AppendLine("| step | " + string.Join(" | ", outcomes) + " | bytes |");
        text.AppendLine("|---|" + string.Concat(outcomes.Select(_ => "---:|")) + "---:|");
        foreach (var (step, rowStats) in ReportText.Rows(scenario))
        {
            text.AppendLine($"| {Escape(step)} | " + string.Join(" | ", outcomes.Select(outcome => rowStats.Outcomes.GetValueOrDefault(outcome))) + $" | {rowStats.Bytes} |");
        }

        var codes = ReportText.Rows(scenario).Where(row => row.Stats.StatusCodes.Count > 0).ToList();
        if (codes.Count > 0)
        {
            text.AppendLine().AppendLine("### Status codes").AppendLine();
            text.AppendLine("| step | code | count |").AppendLine("|---|---|---:|");
            foreach (var (step, rowStats) in codes)
            {
                foreach (var (code, count) in rowStats.StatusCodes)
                {
                    text.AppendLine($"| {Escape(step)} | {Escape(code)} | {count} |");
                }
            }
        }

        if (scenario.Thresholds.Count > 0)
        {
            text.AppendLine().AppendLine("### Thresholds").AppendLine();
            text.AppendLine("| threshold | verdict | observed | limit |").AppendLine("|---|---|---:|---:|");
            foreach (var verdict in scenario.Thresholds)
            {
                var status = verdict.Held ? "held" : verdict.AbortedRun ? "**breached** (aborted the run)" : "**breached**";
                var note = verdict.Note is null ? "" : $" ({Escape(verdict.Note)})";
                text.AppendLine($"| {Escape(verdict.Expression)} | {status}{note} | {ReportText.Observed(verdict)} | {ReportText.Limit(verdict)} |");
            }
        }

        if (scenario.TopErrors.Count > 0)
        {
            text.AppendLine().AppendLine("### Top errors").AppendLine();
            text.AppendLine("| step | outcome | code | message | count |").AppendLine("|---|---|---|---|---:|");
            foreach (var error in scenario.TopErrors)
            {
                text.AppendLine($"| {Escape(error.Step ?? ReportText.InvocationRow)} | {error.Outcome} | {Escape(error.StatusCode ?? "")} | {Escape(error.Message)} | {error.Count} |");
            }
        }
    }

    private static void AppendLatency(StringBuilder text, ScenarioReport scenario, string title, Func<StatsReport, LatencyStats> latency)
    {
        text.AppendLine().AppendLine($"### {title}").AppendLine();
        text.AppendLine("| step | count | " + string.Join(" | ", ReportText.LatencyColumns.Select(column => column.Label)) + " |");
        text.AppendLine("|---|---:|" + string.Concat(ReportText.LatencyColumns.Select(_ => "---:|")));
        foreach (var (step, stats) in ReportText.Rows(scenario))
        {
            var values = latency(stats);
            text.AppendLine($"| {Escape(step)} | {values.Count} | " + string.Join(" | ", ReportText.LatencyColumns.Select(column => ReportText.Ms(column.Value(values)))) + " |");
        }
    }

    /// <summary>Escapes Markdown and HTML specials and flattens line breaks, so a name cannot break a table or inject markup.</summary>
    internal static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var character in text)
        {
            switch (character)
            {
                case '\\' or '`' or '*' or '_' or '[' or ']' or '|' or '#' or '!':
                    builder.Append('\\').Append(character);
                    break;
                case '<':
                    builder.Append("&lt;");
                    break;
                case '>':
                    builder.Append("&gt;");
                    break;
                case '&':
                    builder.Append("&amp;");
                    break;
                case var control when char.IsControl(control):
                    builder.Append(' ');
                    break;
                default:
                    builder.Append(character);
                    break;
            }
        }

        return builder.ToString();
    }
}
