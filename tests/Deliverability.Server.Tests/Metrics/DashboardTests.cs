using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Deliverability.Core.Metrics;
using Deliverability.Server.Metrics;

namespace Deliverability.Server.Tests.Metrics;

/// <summary>
/// The Grafana dashboards of <c>dashboards/</c>: valid JSON with panels and queries, each query naming only series
/// (Prometheus) or measurements and fields (InfluxDB) the service writes, as the registry names them; the PromQL also
/// passes Prometheus's own parser (promtool).
/// </summary>
public sealed partial class DashboardTests
{
    private static readonly string Folder = RepositoryFiles.PathOf("dashboards");

    private static readonly HashSet<string> PrometheusSeries =
        [.. DeliverabilityInstruments.All.SelectMany(i => i.PrometheusSeries), .. MetricsRegistration.ServiceSeries];

    private static readonly Dictionary<string, MetricInstrument> Measurements = DeliverabilityInstruments.All.ToDictionary(i => i.InfluxMeasurement);

    public static TheoryData<string> Dashboards() => [.. Directory.GetFiles(Folder, "*.json").Select(f => Path.GetFileName(f)).Order()];

    [Fact]
    public void Every_dashboard_exists_for_both_data_sources()
    {
        var names = Directory.GetFiles(Folder, "*.json").Select(Path.GetFileNameWithoutExtension).ToList();
        string[] expected = ["overview", "audits-blacklists", "placement", "sending", "load-tests", "forecast-vs-actual"];

        Assert.All(expected, slug => Assert.Contains($"prometheus-{slug}", names));
        Assert.All(expected, slug => Assert.Contains($"influxdb-{slug}", names));
        Assert.Equal(expected.Length * 2, names.Count);
    }

    [Theory]
    [MemberData(nameof(Dashboards))]
    public void A_dashboard_is_valid_and_queries_only_what_the_service_writes(string file)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, file)));
        var root = document.RootElement;
        Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("uid").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("title").GetString()));
        var panels = root.GetProperty("panels").EnumerateArray().ToList();
        Assert.NotEmpty(panels);
        Assert.Equal(panels.Count, panels.Select(p => p.GetProperty("id").GetInt32()).Distinct().Count());

        var influx = file.StartsWith("influxdb-", StringComparison.Ordinal);
        var problems = new List<string>();
        foreach (var panel in panels)
        {
            var title = panel.GetProperty("title").GetString();
            var targets = panel.GetProperty("targets").EnumerateArray().ToList();
            if (targets.Count == 0)
            {
                problems.Add($"{title}: no query");
            }

            foreach (var target in targets)
            {
                var source = target.GetProperty("datasource").GetProperty("uid").GetString();
                problems.AddRange(influx
                    ? FluxProblems(target.GetProperty("query").GetString()!, source).Select(p => $"{title}: {p}")
                    : PromQlProblems(target.GetProperty("expr").GetString()!, source).Select(p => $"{title}: {p}"));
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task Every_promql_query_parses_with_promtool()
    {
        var expressions = Directory.GetFiles(Folder, "prometheus-*.json")
            .SelectMany(file => JsonDocument.Parse(File.ReadAllText(file)).RootElement.GetProperty("panels").EnumerateArray())
            .SelectMany(panel => panel.GetProperty("targets").EnumerateArray())
            .Select(target => target.GetProperty("expr").GetString()!.Replace("$__rate_interval", "5m", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(expressions);
        var rules = Path.Combine(Path.GetTempPath(), $"monitor-dashboard-rules-{Guid.NewGuid():N}.yml");
        await File.WriteAllLinesAsync(rules, [
            "groups:",
            "  - name: dashboards",
            "    rules:",
            .. expressions.SelectMany((expr, i) => new[] { $"      - record: dashboard_query_{i}", "        expr: " + JsonSerializer.Serialize(expr) })]);
        try
        {
            var (exit, output) = await RunAsync("/usr/bin/promtool", "check", "rules", rules);
            Assert.True(exit == 0, output);
            Assert.Contains($"{expressions.Count} rules found", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(rules);
        }
    }

    private static IEnumerable<string> PromQlProblems(string expr, string? source)
    {
        if (source != "monitor-prometheus")
        {
            yield return $"data source {source}, not monitor-prometheus";
        }

        // What is left once strings, label matchers, ranges and by/without lists are gone: functions, operators and series.
        var bare = Ranges().Replace(Matchers().Replace(Strings().Replace(expr, ""), ""), "");
        bare = Grouping().Replace(bare, "");
        var series = Identifiers().Matches(bare).Select(m => m.Value).Where(name => !PromQlWords.Contains(name)).ToList();
        if (series.Count == 0)
        {
            yield return $"names no series: {expr}";
        }

        foreach (var name in series.Where(n => !PrometheusSeries.Contains(n)))
        {
            yield return $"{name} is not a series the service writes: {expr}";
        }
    }

    private static IEnumerable<string> FluxProblems(string query, string? source)
    {
        if (source != "monitor-influxdb")
        {
            yield return $"data source {source}, not monitor-influxdb";
        }

        var measurements = FluxMeasurement().Matches(query).Select(m => m.Groups[1].Value).ToList();
        if (measurements.Count == 0)
        {
            yield return $"names no measurement: {query}";
        }

        foreach (var measurement in measurements)
        {
            if (!Measurements.TryGetValue(measurement, out var instrument))
            {
                yield return $"{measurement} is not a measurement the service writes";
                continue;
            }

            foreach (var field in FluxField().Matches(query).Select(m => m.Groups[1].Value).Where(f => !instrument.InfluxFields.Contains(f)))
            {
                yield return $"{measurement} has no field {field} (it has {string.Join(", ", instrument.InfluxFields)})";
            }

            var groupedBy = FluxGroup().Matches(query).SelectMany(m => FluxString().Matches(m.Groups[1].Value).Select(s => s.Groups[1].Value));
            foreach (var tag in groupedBy.Where(t => t != "_field" && !instrument.Tags.Contains(t)))
            {
                yield return $"{measurement} has no tag {tag} (it has {string.Join(", ", instrument.Tags)})";
            }
        }
    }

    private static readonly HashSet<string> PromQlWords =
    [
        "sum", "max", "min", "avg", "count", "rate", "increase", "irate", "histogram_quantile", "by", "without", "on", "ignoring",
        "group_left", "group_right", "offset", "bool", "and", "or", "unless", "topk", "bottomk", "abs", "clamp_min", "clamp_max",
    ];

    private static async Task<(int Exit, string Output)> RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    [GeneratedRegex("\"[^\"]*\"", RegexOptions.NonBacktracking)]
    private static partial Regex Strings();

    [GeneratedRegex(@"\{[^}]*\}", RegexOptions.NonBacktracking)]
    private static partial Regex Matchers();

    [GeneratedRegex(@"\[[^\]]*\]", RegexOptions.NonBacktracking)]
    private static partial Regex Ranges();

    [GeneratedRegex(@"\b(by|without|on|ignoring)\s*\([^)]*\)", RegexOptions.NonBacktracking)]
    private static partial Regex Grouping();

    [GeneratedRegex(@"[a-zA-Z_:][a-zA-Z0-9_:]*", RegexOptions.NonBacktracking)]
    private static partial Regex Identifiers();

    [GeneratedRegex(@"r\._measurement == ""([^""]+)""", RegexOptions.NonBacktracking)]
    private static partial Regex FluxMeasurement();

    [GeneratedRegex(@"r\._field == ""([^""]+)""", RegexOptions.NonBacktracking)]
    private static partial Regex FluxField();

    [GeneratedRegex(@"group\(columns: \[([^\]]*)\]\)", RegexOptions.NonBacktracking)]
    private static partial Regex FluxGroup();

    [GeneratedRegex(@"""([^""]*)""", RegexOptions.NonBacktracking)]
    private static partial Regex FluxString();
}
