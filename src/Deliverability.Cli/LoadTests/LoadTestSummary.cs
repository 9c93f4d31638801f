using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Deliverability.Load;
using Deliverability.LoadScenarios;

namespace Deliverability.Cli.LoadTests;

/// <summary>
/// The end of a <c>monitor loadtest</c> run: one JSON object (<c>--json</c>), or a summary to read, like k6's: the
/// thresholds with their verdicts first, then counts, rates, late and dropped starts, latency per step.
/// </summary>
internal static class LoadTestSummary
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string Json(RunReport report, CapacitySearchResult? capacity, LoadTestDefinition? definition)
    {
        var scenarios = report.Scenarios.Select(ScenarioJson).ToList();
        var root = new JsonObject
        {
            ["testName"] = report.TestName,
            ["runId"] = report.RunId,
            ["kind"] = definition is null ? null : definition.Kind == LoadTestKind.Smtp ? "smtp" : "http",
            ["generators"] = new JsonArray([.. report.Generators.Select(g => (JsonNode?)g)]),
            ["startedAt"] = report.StartedAt,
            ["durationSeconds"] = Round(report.DurationSeconds),
            ["stopReason"] = JsonNamingPolicy.CamelCase.ConvertName(report.StopReason.ToString()),
            ["abortedBy"] = report.AbortedBy,
            ["thresholdsHeld"] = capacity is null ? report.ThresholdsHeld : capacity.KneeRate is not null,
        };
        // The run's one scenario at the top; every scenario (a merged report may hold several) under "scenarios".
        if (scenarios.Count > 0)
        {
            foreach (var (key, value) in scenarios[0].ToList())
            {
                root[key] = value?.DeepClone();
            }
        }

        if (scenarios.Count > 1)
        {
            root["scenarios"] = new JsonArray([.. scenarios]);
        }

        if (capacity is not null)
        {
            root["capacity"] = new JsonObject
            {
                ["kneeRate"] = Round(capacity.KneeRate),
                ["firstBrokenRate"] = Round(capacity.FirstBrokenRate),
                ["stop"] = JsonNamingPolicy.CamelCase.ConvertName(capacity.Stop.ToString()),
                ["elapsedSeconds"] = Round(capacity.Elapsed.TotalSeconds),
                ["curve"] = new JsonArray([.. capacity.Curve.Select(point => (JsonNode)new JsonObject
                {
                    ["targetRate"] = Round(point.TargetRate),
                    ["achievedRate"] = Round(point.AchievedRate),
                    ["okPerSecond"] = Round(point.OkPerSecond),
                    ["p99Ms"] = Round(point.P99Ms),
                    ["errorRate"] = Round(point.ErrorRate, 4),
                    ["droppedStarts"] = point.DroppedStarts,
                    ["held"] = point.Held,
                    ["phase"] = point.Phase,
                    ["brokenBecause"] = point.BrokenBecause,
                })]),
            };
        }

        return root.ToJsonString(Indented);
    }

    public static async Task WriteTextAsync(TextWriter output, RunReport report, CapacitySearchResult? capacity)
    {
        var lines = new List<string>();
        foreach (var scenario in report.Scenarios)
        {
            lines.Add($"  scenario {scenario.Name} ({scenario.LoadModel} model): {string.Join(", ", scenario.Simulations)}");
            lines.Add($"  stopped: {JsonNamingPolicy.CamelCase.ConvertName(report.StopReason.ToString())} after {Number(report.DurationSeconds, "0.0")} s measured{(report.AbortedBy is { } by ? $" (aborted by {by})" : "")}");
            lines.Add("");
            foreach (var verdict in scenario.Thresholds)
            {
                lines.Add($"  {(verdict.Held ? "✓" : "✗")} {Dots(verdict.Expression, 32)} {Observed(verdict)}  {verdict.Status}");
            }

            if (scenario.Thresholds.Count > 0)
            {
                lines.Add("");
            }

            var stats = scenario.Stats;
            lines.Add($"  {Dots("messages", 18)} {stats.Count} done, {stats.Ok} ok, {stats.Failed} failed ({Number(stats.ErrorRate * 100, "0.##")}% errors)");
            lines.Add($"  {Dots("rate", 18)} {Number(scenario.StartRate, "0.##")}/s started, {Number(stats.OkPerSecond, "0.##")}/s ok, {Number(stats.BytesPerSecond / 1024, "0.#")} KiB/s");
            lines.Add($"  {Dots("starts", 18)} {scenario.Planned} planned, {scenario.LateStarts} late, {scenario.DroppedStarts} dropped, {scenario.Interrupted} interrupted");
            lines.Add($"  {Dots("outcomes", 18)} {string.Join(", ", stats.Outcomes.Where(o => o.Value > 0).Select(o => $"{JsonNamingPolicy.SnakeCaseLower.ConvertName(o.Key.ToString())} {o.Value}"))}");
            lines.Add($"  {Dots("response time", 18)} {Latency(stats.ResponseTime)}  (from the planned start)");
            lines.Add($"  {Dots("service time", 18)} {Latency(stats.ServiceTime)}  (from the actual start)");
            foreach (var step in scenario.Steps)
            {
                lines.Add($"    {Dots(step.Name, 16)} {step.Stats.Count} done, {step.Stats.Failed} failed  {Latency(step.Stats.ResponseTime)}");
            }

            foreach (var error in scenario.TopErrors.Take(5))
            {
                lines.Add($"  error {error.Step ?? "-"}: {error.Message} x{error.Count}");
            }

            lines.Add("");
        }

        if (capacity is not null)
        {
            lines.Add(capacity.KneeRate is { } knee
                ? $"  capacity: the knee is {Number(knee, "0.##")}/s (first broken: {(capacity.FirstBrokenRate is { } broken ? Number(broken, "0.##") + "/s" : "none up to the maximum")}; {JsonNamingPolicy.CamelCase.ConvertName(capacity.Stop.ToString())})"
                : $"  capacity: no rate held ({JsonNamingPolicy.CamelCase.ConvertName(capacity.Stop.ToString())})");
            foreach (var point in capacity.Curve)
            {
                lines.Add($"    {point.Phase,-6} {Number(point.TargetRate, "0.##"),9}/s  achieved {Number(point.AchievedRate, "0.##"),9}/s  p99 {Number(point.P99Ms, "0.0"),9} ms  errors {Number(point.ErrorRate * 100, "0.##")}%  {(point.Held ? "held" : "broke: " + point.BrokenBecause)}");
            }
        }

        foreach (var line in lines)
        {
            await output.WriteLineAsync(line);
        }
    }

    private static JsonObject ScenarioJson(ScenarioReport scenario) => new()
    {
        ["scenario"] = scenario.Name,
        ["counts"] = Counts(scenario.Stats),
        ["planned"] = scenario.Planned,
        ["started"] = scenario.Started,
        ["achievedRate"] = Round(scenario.StartRate),
        ["okPerSecond"] = Round(scenario.Stats.OkPerSecond),
        ["errorRate"] = Round(scenario.Stats.ErrorRate, 4),
        ["lateStarts"] = scenario.LateStarts,
        ["droppedStarts"] = scenario.DroppedStarts,
        ["interrupted"] = scenario.Interrupted,
        ["latencyMs"] = LatencyJson(scenario.Stats.ResponseTime),
        ["serviceTimeMs"] = LatencyJson(scenario.Stats.ServiceTime),
        ["steps"] = new JsonArray([.. scenario.Steps.Select(step => (JsonNode)new JsonObject
        {
            ["name"] = step.Name,
            ["counts"] = Counts(step.Stats),
            ["latencyMs"] = LatencyJson(step.Stats.ResponseTime),
        })]),
        ["thresholds"] = new JsonArray([.. scenario.Thresholds.Select(verdict => (JsonNode)new JsonObject
        {
            ["expression"] = verdict.Expression,
            ["step"] = verdict.Step,
            ["verdict"] = verdict.Status,
            ["held"] = verdict.Held,
            ["observed"] = Round(verdict.Observed, 4),
            ["limit"] = Round(verdict.Limit, 4),
            ["unit"] = verdict.Unit,
        })]),
    };

    private static JsonObject Counts(StatsReport stats)
    {
        var outcomes = new JsonObject();
        foreach (var (outcome, count) in stats.Outcomes)
        {
            outcomes[JsonNamingPolicy.CamelCase.ConvertName(outcome.ToString())] = count;
        }

        var codes = new JsonObject();
        foreach (var (code, count) in stats.StatusCodes)
        {
            codes[code] = count;
        }

        return new JsonObject
        {
            ["total"] = stats.Count,
            ["ok"] = stats.Ok,
            ["failed"] = stats.Failed,
            ["byOutcome"] = outcomes,
            ["byStatusCode"] = codes,
            ["bytes"] = stats.Bytes,
        };
    }

    private static JsonObject LatencyJson(LatencyStats latency) => new()
    {
        ["count"] = latency.Count,
        ["p50"] = Round(latency.P50Ms),
        ["p90"] = Round(latency.P90Ms),
        ["p95"] = Round(latency.P95Ms),
        ["p99"] = Round(latency.P99Ms),
        ["p999"] = Round(latency.P999Ms),
        ["max"] = Round(latency.MaxMs),
        ["mean"] = Round(latency.MeanMs),
    };

    private static string Latency(LatencyStats latency) =>
        $"p50 {Number(latency.P50Ms, "0.##")} ms  p90 {Number(latency.P90Ms, "0.##")} ms  p99 {Number(latency.P99Ms, "0.##")} ms  max {Number(latency.MaxMs, "0.##")} ms";

    private static string Observed(ThresholdVerdict verdict) => verdict.Unit switch
    {
        "ms" => $"{Number(verdict.Observed, "0.##")} ms",
        "ratio" => $"{Number(verdict.Observed * 100, "0.###")}%",
        "per_s" => $"{Number(verdict.Observed, "0.##")}/s",
        _ => Number(verdict.Observed, "0"),
    };

    private static string Dots(string label, int width) => label.Length + 1 >= width ? label + ":" : label + " " + new string('.', width - label.Length - 1) + ":";

    private static string Number(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private static double? Round(double? value, int digits = 3) => value is { } v && double.IsFinite(v) ? Math.Round(v, digits) : null;
}
