using Deliverability.Forecasting.Planning;

namespace Deliverability.Forecasting.Tests.Planning;

public sealed class CapacityPlanExportTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 16, 9, 0, 0, TimeSpan.Zero);

    private static CapacityPlan Plan(string sendPath = "mta") => CapacityPlanner.Plan(
        [new StreamForecast("orders", sendPath, SeriesFrequency.Hourly, [new ForecastPoint(Now.AddHours(1), 100_000, 80_000, 360_000)])],
        [new SendPathCapacity(sendPath, 120, Now.AddDays(-1), IsKnee: true)],
        [new PeakDay(new DateOnly(2026, 12, 1), "Giving Tuesday")],
        new CapacityPlanSettings(),
        Now);

    [Fact]
    public void Csv_has_one_line_per_row_with_the_numbers_behind_each_verdict()
    {
        var lines = CapacityPlanExport.Csv(Plan()).TrimEnd('\n').Split('\n');

        Assert.Equal(3, lines.Length);
        Assert.StartsWith("send_path,period,date,last_date,streams,peak_hour,peak_hour_messages,peak_rate_per_s,required_rate_per_s,capacity_per_s,", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("mta,Forecast,,,orders,2026-11-16T10:00Z,360000,100,130,120,knee,2026-11-15T09:00Z,0.2,at risk,below margin,", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("mta,Giving Tuesday,2026-12-01,2026-12-01,orders,,,,,120,knee,", lines[2], StringComparison.Ordinal);
        Assert.Contains(",unknown,beyond horizon,", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_quotes_commas_and_defuses_spreadsheet_formulas_in_names()
    {
        var csv = CapacityPlanExport.Csv(Plan("=cmd,evil"));

        Assert.Contains("\"'=cmd,evil\",Forecast,", csv, StringComparison.Ordinal);
    }

    [Fact]
    public void Markdown_has_a_table_and_the_reason_of_each_verdict()
    {
        var markdown = CapacityPlanExport.Markdown(Plan("mta|eu"));

        Assert.StartsWith("# Capacity plan\n", markdown, StringComparison.Ordinal);
        Assert.Contains("Safety margin 30%; a load test counts for 30 days.", markdown, StringComparison.Ordinal);
        Assert.Contains("| mta\\|eu | Forecast | orders | 2026-11-16T10:00Z | 100/s | 130/s | 120/s | 20% | **at risk** |", markdown, StringComparison.Ordinal);
        Assert.Contains("| mta\\|eu | Giving Tuesday (2026-12-01) | orders | - | - | - | 120/s | - | **unknown** |", markdown, StringComparison.Ordinal);
        Assert.Contains("- **mta\\|eu, Forecast**: at risk (below margin): needs 130/s", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_plan_says_that_nothing_is_forecast()
    {
        Assert.Contains("No stream has a forecast yet.", CapacityPlanExport.Markdown(CapacityPlan.Empty(Now, new CapacityPlanSettings())), StringComparison.Ordinal);
        Assert.Single(CapacityPlanExport.Csv(CapacityPlan.Empty(Now, new CapacityPlanSettings())).TrimEnd('\n').Split('\n'));
    }
}
