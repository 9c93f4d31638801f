using Deliverability.Core.Readiness;

namespace Deliverability.Server.Tests.Overview;

public sealed class PeakDaysTests
{
    [Theory]
    [InlineData(2024, "2024-11-29")] // 1 Nov is a Friday: Thanksgiving 28 Nov
    [InlineData(2025, "2025-11-28")]
    [InlineData(2026, "2026-11-27")]
    [InlineData(2018, "2018-11-23")] // 1 Nov is a Thursday: Thanksgiving 22 Nov
    [InlineData(2019, "2019-11-29")] // five Thursdays: the fourth (28), not the last, is Thanksgiving
    public void Black_friday_is_the_day_after_the_fourth_thursday_of_november_and_cyber_monday_three_days_later(int year, string expected)
    {
        var peak = PeakDays.Of(year);

        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), peak.BlackFriday);
        Assert.Equal(DayOfWeek.Friday, peak.BlackFriday.DayOfWeek);
        Assert.Equal(peak.BlackFriday.AddDays(3), peak.CyberMonday);
    }

    [Fact]
    public void Upcoming_peak_days_stay_this_years_until_cyber_monday_has_passed()
    {
        Assert.Equal(2026, PeakDays.Upcoming(new DateOnly(2026, 11, 30)).BlackFriday.Year);
        Assert.Equal(new DateOnly(2027, 11, 26), PeakDays.Upcoming(new DateOnly(2026, 12, 1)).BlackFriday);
    }
}
