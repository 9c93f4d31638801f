using Deliverability.Forecasting.Planning;

namespace Deliverability.Forecasting.Tests.Planning;

public sealed class CapacityPlannerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 16, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly BlackFriday = new(2026, 11, 27);
    private static readonly CapacityPlanSettings Settings = new() { SafetyMargin = 0.3, LoadTestMaxAge = TimeSpan.FromDays(30) };

    [Fact]
    public void Required_rate_is_the_peak_hours_upper_bound_per_second_with_the_margin()
    {
        // 360,000 messages in the busiest hour's upper bound: 100/s at the peak, 130/s with a 30 % margin.
        var forecast = Hourly("orders", "mta", (Now.AddHours(1), 1000, 180_000), (Now.AddHours(2), 200_000, 360_000), (Now.AddHours(3), 50, 90));

        var row = Single(CapacityPlanner.Plan([forecast], [Capacity("mta", 150)], [], Settings, Now));

        Assert.Equal((Now.AddHours(2), 360_000.0), (row.PeakHour, row.PeakHourVolume));
        Assert.Equal(100, row.PeakRate!.Value, 9);
        Assert.Equal(130, row.RequiredRate!.Value, 9);
        Assert.Equal(0.5, row.Headroom!.Value, 9);
        Assert.Equal((ReadinessVerdict.Ready, ReadinessReason.Covered), (row.Verdict, row.Reason));
        Assert.Contains("needs 130/s (100/s at 2026-11-16 11:00 UTC + 30%)", row.Explanation, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(130.0, ReadinessVerdict.Ready, ReadinessReason.Covered)] // exactly the margin
    [InlineData(129.9, ReadinessVerdict.AtRisk, ReadinessReason.BelowMargin)]
    [InlineData(100.0, ReadinessVerdict.AtRisk, ReadinessReason.BelowMargin)] // exactly the peak: no headroom left
    [InlineData(99.9, ReadinessVerdict.NotReady, ReadinessReason.OverCapacity)]
    public void The_verdict_follows_the_headroom_against_the_margin(double capacity, ReadinessVerdict verdict, ReadinessReason reason)
    {
        var forecast = Hourly("orders", "mta", (Now.AddHours(1), 0, 360_000));

        var row = Single(CapacityPlanner.Plan([forecast], [Capacity("mta", capacity)], [], Settings, Now));

        Assert.Equal((verdict, reason), (row.Verdict, row.Reason));
        Assert.Equal(capacity / 100 - 1, row.Headroom!.Value, 9);
    }

    [Fact]
    public void A_larger_margin_turns_the_same_capacity_at_risk()
    {
        var forecast = Hourly("orders", "mta", (Now.AddHours(1), 0, 360_000));

        var loose = Single(CapacityPlanner.Plan([forecast], [Capacity("mta", 140)], [], Settings, Now));
        var strict = Single(CapacityPlanner.Plan([forecast], [Capacity("mta", 140)], [], Settings with { SafetyMargin = 0.5 }, Now));

        Assert.Equal(ReadinessVerdict.Ready, loose.Verdict);
        Assert.Equal((ReadinessVerdict.AtRisk, 150.0), (strict.Verdict, strict.RequiredRate!.Value));
    }

    [Fact]
    public void Without_a_load_test_the_verdict_is_unknown_but_the_required_rate_is_given()
    {
        var row = Single(CapacityPlanner.Plan([Hourly("orders", "mta", (Now.AddHours(1), 0, 36_000))], [Capacity("api", 500)], [], Settings, Now));

        Assert.Equal((ReadinessVerdict.Unknown, ReadinessReason.NoLoadTest), (row.Verdict, row.Reason));
        Assert.Equal(13, row.RequiredRate!.Value, 9);
        Assert.Null(row.Headroom);
        Assert.Contains("no load test of mta", row.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void A_load_test_older_than_the_allowed_age_makes_the_verdict_unknown_with_its_numbers()
    {
        var forecast = Hourly("orders", "mta", (Now.AddHours(1), 0, 360_000));
        var old = Capacity("mta", 500, measuredAt: Now.AddDays(-31));
        var recentEnough = Capacity("mta", 500, measuredAt: Now.AddDays(-30));

        var stale = Single(CapacityPlanner.Plan([forecast], [old], [], Settings, Now));
        var fresh = Single(CapacityPlanner.Plan([forecast], [recentEnough], [], Settings, Now));

        Assert.Equal((ReadinessVerdict.Unknown, ReadinessReason.StaleLoadTest), (stale.Verdict, stale.Reason));
        Assert.Equal(4, stale.Headroom!.Value, 9); // the numbers stay visible
        Assert.Contains("is 31 days old, older than 30 days", stale.Explanation, StringComparison.Ordinal);
        Assert.Equal(ReadinessVerdict.Ready, fresh.Verdict);
    }

    [Fact]
    public void The_latest_capacity_of_a_send_path_counts_not_the_highest()
    {
        var forecast = Hourly("orders", "mta", (Now.AddHours(1), 0, 360_000));

        var row = Single(CapacityPlanner.Plan([forecast], [Capacity("mta", 500, Now.AddDays(-5)), Capacity("mta", 90, Now.AddDays(-1))], [], Settings, Now));

        Assert.Equal((ReadinessVerdict.NotReady, 90.0), (row.Verdict, row.Capacity!.Rate));
    }

    [Fact]
    public void Streams_of_one_send_path_add_up_hour_by_hour()
    {
        // Orders peak at 10:00, newsletters at 11:00: the send path's peak is the busiest sum, 11:00 (150,000 + 250,000).
        var orders = Hourly("orders", "mta", (Now.AddHours(1), 0, 300_000), (Now.AddHours(2), 0, 150_000));
        var newsletter = Hourly("newsletter", "mta", (Now.AddHours(1), 0, 50_000), (Now.AddHours(2), 0, 250_000));
        var receipts = Hourly("receipts", "api", (Now.AddHours(1), 0, 3_600));

        var plan = CapacityPlanner.Plan([orders, newsletter, receipts], [Capacity("mta", 200), Capacity("api", 10)], [], Settings, Now);

        Assert.Equal(["api", "mta"], plan.Rows.Select(r => r.SendPath));
        var mta = plan.Summary("mta")!;
        Assert.Equal((Now.AddHours(2), 400_000.0), (mta.PeakHour, mta.PeakHourVolume));
        Assert.Equal(["newsletter", "orders"], mta.Streams);
        Assert.Equal(1.3, plan.Summary("api")!.RequiredRate!.Value, 9);
    }

    [Fact]
    public void Each_upcoming_peak_day_gets_its_own_row_and_one_beyond_the_forecast_is_unknown()
    {
        var start = new DateTimeOffset(BlackFriday.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(-1);
        var points = Enumerable.Range(0, 48).Select(h => (start.AddHours(h), 0.0, h == 30 ? 720_000.0 : h == 10 ? 900_000.0 : 3_600.0)).ToArray();
        var forecast = Hourly("orders", "mta", points);
        PeakDay[] peaks = [new(new DateOnly(2026, 11, 1), "Past sale"), new(BlackFriday, "Black Friday"), new(BlackFriday.AddDays(3), "Cyber Monday")];

        var plan = CapacityPlanner.Plan([forecast], [Capacity("mta", 300)], peaks, Settings, Now);

        Assert.Equal([CapacityPlanRow.WholeForecast, "Black Friday", "Cyber Monday"], plan.Rows.Select(r => r.Period));
        var whole = plan.Rows[0];
        Assert.Equal((start.AddHours(10), ReadinessVerdict.AtRisk), (whole.PeakHour, whole.Verdict)); // 250/s: under 300 but not 325
        var blackFriday = plan.Rows[1];
        Assert.Equal((BlackFriday, start.AddHours(30), 200.0), (blackFriday.PeakDate, blackFriday.PeakHour, blackFriday.PeakRate!.Value));
        Assert.Equal(ReadinessVerdict.Ready, blackFriday.Verdict);
        var cyberMonday = plan.Rows[2];
        Assert.Equal((ReadinessVerdict.Unknown, ReadinessReason.BeyondHorizon), (cyberMonday.Verdict, cyberMonday.Reason));
        Assert.Contains("after the end of the forecast (2026-11-27)", cyberMonday.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Consecutive_days_of_one_name_make_one_period_judged_on_its_busiest_hour()
    {
        var christmasWeek = Enumerable.Range(18, 7).Select(d => new PeakDay(new DateOnly(2026, 12, d), "Christmas week"));
        var start = new DateTimeOffset(2026, 12, 17, 0, 0, 0, TimeSpan.Zero);
        // Busiest on the 21st (500/s); the 17th, outside the week, is busier still (600/s) but does not count for it.
        var points = Enumerable.Range(0, 24 * 9).Select(h => (start.AddHours(h), 0.0, h == 5 ? 2_160_000.0 : h == 24 * 4 + 12 ? 1_800_000.0 : 36_000.0)).ToArray();

        var plan = CapacityPlanner.Plan([Hourly("orders", "mta", points)], [Capacity("mta", 1000)], christmasWeek, Settings, Now);

        var week = Assert.Single(plan.Rows, r => r.Period == "Christmas week");
        Assert.Equal((new DateOnly(2026, 12, 18), new DateOnly(2026, 12, 24)), (week.PeakDate, week.LastDate));
        Assert.Equal((start.AddHours(24 * 4 + 12), 500.0), (week.PeakHour, week.PeakRate!.Value));
        Assert.Equal(600, plan.Summary("mta")!.PeakRate!.Value, 9);
    }

    [Fact]
    public void A_daily_forecast_has_no_peak_hour_and_says_so()
    {
        var daily = new StreamForecast("orders", "mta", SeriesFrequency.Daily, [new ForecastPoint(Now.Date, 10, 5, 2_000_000)]);

        var row = Single(CapacityPlanner.Plan([daily], [Capacity("mta", 100)], [], Settings, Now));

        Assert.Equal((ReadinessVerdict.Unknown, ReadinessReason.NotHourly), (row.Verdict, row.Reason));
        Assert.Null(row.RequiredRate);
        Assert.Contains("orders is forecast per day", row.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void A_forecast_of_no_traffic_is_ready()
    {
        var row = Single(CapacityPlanner.Plan([Hourly("orders", "mta", (Now.AddHours(1), 0, 0))], [Capacity("mta", 1)], [], Settings, Now));

        Assert.Equal((ReadinessVerdict.Ready, 0.0), (row.Verdict, row.RequiredRate!.Value));
        Assert.Null(row.Headroom);
    }

    [Fact]
    public void A_negative_margin_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CapacityPlanner.Plan([], [], [], Settings with { SafetyMargin = -0.1 }, Now));
    }

    private static CapacityPlanRow Single(CapacityPlan plan) => Assert.Single(plan.Rows);

    private static SendPathCapacity Capacity(string sendPath, double rate, DateTimeOffset? measuredAt = null) =>
        new(sendPath, rate, measuredAt ?? Now.AddDays(-2), IsKnee: true, "capacity-search", Guid.NewGuid());

    private static StreamForecast Hourly(string stream, string sendPath, params (DateTimeOffset At, double Lower, double Upper)[] points) =>
        new(stream, sendPath, SeriesFrequency.Hourly, [.. points.Select(p => new ForecastPoint(p.At, (p.Lower + p.Upper) / 2, p.Lower, p.Upper))]);
}
