using Deliverability.Load;

namespace Deliverability.LoadScenarios.Tests;

public sealed class PeakDayProfileTests
{
    private static string Csv(string header, Func<int, string> key, Func<int, double> count) =>
        header + "\n" + string.Join("\n", Enumerable.Range(0, 24).Select(h => $"{key(h)},{count(h).ToString(System.Globalization.CultureInfo.InvariantCulture)}"));

    [Fact]
    public void The_busiest_hour_runs_at_the_peak_rate_and_the_others_in_proportion()
    {
        var counts = PeakDayProfile.ParseCounts(Csv("hour,count", h => h.ToString(), h => h == 19 ? 30_000 : 1_500 * (h % 4 + 1)));
        var profile = new PeakDayProfile { HourlyCounts = counts, PeakRate = 200, CompressTo = TimeSpan.FromMinutes(12) };

        var simulations = profile.ToSimulations();
        Assert.Equal(24, simulations.Count);
        Assert.All(simulations, s => Assert.Equal(LoadSimulationKind.RampingInject, s.Kind));
        Assert.All(simulations, s => Assert.Equal(TimeSpan.FromSeconds(30), s.During));
        Assert.Equal(200, simulations[19].Rate);
        Assert.Equal(1_500 * 4 / 30_000.0 * 200, simulations[3].Rate, 6);
        var plan = LoadPlan.Create(simulations);
        Assert.Equal(TimeSpan.FromMinutes(12), plan.Duration);
        Assert.Equal(200, plan.RateAt(TimeSpan.FromSeconds(30 * 20) - TimeSpan.FromMilliseconds(1)), 0);
    }

    [Fact]
    public void Timestamps_an_hour_apart_read_as_hours_in_order()
    {
        var start = new DateTimeOffset(2026, 11, 27, 0, 0, 0, TimeSpan.Zero);
        var counts = PeakDayProfile.ParseCounts(Csv("timestamp,count", h => start.AddHours(h).ToString("O"), h => h * 10));

        Assert.Equal(230, counts[23]);
        Assert.Equal(0, counts[0]);
    }

    [Theory]
    [InlineData("hour,count\n0,1", "it needs 24")]
    [InlineData("when,count\n0,1", "header must be")]
    [InlineData("hour,count\n0,1\n0,2", "hour 0 is given twice")]
    [InlineData("hour,count\n24,1", "not 0 to 23")]
    [InlineData("hour,count\n0,-5", "is not a number of messages")]
    public void A_bad_profile_names_its_line(string csv, string expected)
    {
        var error = Assert.Throws<FormatException>(() => PeakDayProfile.ParseCounts(csv));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void The_example_profile_is_a_day()
    {
        var counts = PeakDayProfile.ParseCounts(File.ReadAllText(Path.Combine(ScenarioFiles.Folder, "profiles", "peak-day.csv")));
        Assert.Equal(24, counts.Count);
    }
}
