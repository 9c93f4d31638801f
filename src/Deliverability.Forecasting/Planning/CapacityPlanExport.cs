using System.Globalization;
using System.Text;

namespace Deliverability.Forecasting.Planning;

/// <summary>The plan as CSV (one row per line of the plan) and as Markdown (for the planners' meeting).</summary>
public static class CapacityPlanExport
{
    private static readonly string[] CsvHeader =
    [
        "send_path", "period", "date", "last_date", "streams", "peak_hour", "peak_hour_messages", "peak_rate_per_s", "required_rate_per_s",
        "capacity_per_s", "capacity_kind", "capacity_measured_at", "headroom", "verdict", "reason", "explanation",
    ];

    public static string Csv(CapacityPlan plan)
    {
        var text = new StringBuilder();
        text.AppendJoin(',', CsvHeader).Append('\n');
        foreach (var row in plan.Rows)
        {
            string?[] cells =
            [
                row.SendPath, row.Period, Date(row.PeakDate), Date(row.LastDate), string.Join(' ', row.Streams), Time(row.PeakHour), Number(row.PeakHourVolume),
                Number(row.PeakRate), Number(row.RequiredRate), Number(row.Capacity?.Rate), row.Capacity is null ? null : row.Capacity.IsKnee ? "knee" : "achieved",
                Time(row.Capacity?.MeasuredAt), Number(row.Headroom), ReadinessWords.Of(row.Verdict), ReadinessWords.Of(row.Reason), row.Explanation,
            ];
            text.AppendJoin(',', cells.Select(Quote)).Append('\n');
        }

        return text.ToString();
    }

    public static string Markdown(CapacityPlan plan)
    {
        var text = new StringBuilder();
        text.Append("# Capacity plan\n\n");
        text.Append(CultureInfo.InvariantCulture, $"Made {Time(plan.At)}. Safety margin {CapacityPlanner.Percent(plan.Settings.SafetyMargin)}; ");
        text.Append(CultureInfo.InvariantCulture, $"a load test counts for {plan.Settings.LoadTestMaxAge.TotalDays:0} days. ");
        text.Append("Rates are messages per second; the peak is the upper bound of the forecast interval at the busiest hour.\n\n");
        if (plan.Rows.Count == 0)
        {
            text.Append("No stream has a forecast yet.\n");
            return text.ToString();
        }

        text.Append("| Send path | Period | Streams | Peak hour | Peak | Required | Capacity | Headroom | Verdict |\n");
        text.Append("|---|---|---|---|---:|---:|---:|---:|---|\n");
        foreach (var row in plan.Rows)
        {
            var period = row.PeakDate is { } date ? $"{row.Period} ({Date(date)}{(row.LastDate is { } last && last != date ? " to " + Date(last) : "")})" : row.Period;
            text.Append(CultureInfo.InvariantCulture, $"| {Cell(row.SendPath)} | {Cell(period)} | {Cell(string.Join(", ", row.Streams))} | {Time(row.PeakHour) ?? "-"} ");
            text.Append(CultureInfo.InvariantCulture, $"| {RateCell(row.PeakRate)} | {RateCell(row.RequiredRate)} | {RateCell(row.Capacity?.Rate)} ");
            text.Append(CultureInfo.InvariantCulture, $"| {(row.Headroom is { } h ? CapacityPlanner.Percent(h) : "-")} | **{ReadinessWords.Of(row.Verdict)}** |\n");
        }

        text.Append("\n## Why\n\n");
        foreach (var row in plan.Rows)
        {
            text.Append(CultureInfo.InvariantCulture, $"- **{Cell(row.SendPath)}, {Cell(row.Period)}**: {ReadinessWords.Of(row.Verdict)} ({ReadinessWords.Of(row.Reason)}): {Cell(row.Explanation)}\n");
        }

        return text.ToString();
    }

    private static string RateCell(double? rate) => rate is { } r ? CapacityPlanner.Rate(r) : "-";

    private static string? Number(double? value) => value?.ToString("0.###", CultureInfo.InvariantCulture);

    private static string? Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string? Time(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm'Z'", CultureInfo.InvariantCulture);

    // Names come from configuration and the API: a pipe or a line break would break the table.
    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace('\n', ' ').Replace('\r', ' ');

    // RFC 4180, and a leading = + - @ is quoted with an apostrophe so that a spreadsheet does not run it as a formula.
    private static string Quote(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        if (value[0] is '=' or '+' or '-' or '@' && !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            value = "'" + value;
        }

        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
