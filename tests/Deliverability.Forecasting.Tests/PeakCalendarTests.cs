namespace Deliverability.Forecasting.Tests;

public sealed class PeakCalendarTests
{
    /// <summary>
    /// US Thanksgiving (the fourth Thursday of November) plus one day, from the published Thanksgiving dates; each is a
    /// Friday between the 23rd and the 29th.
    /// </summary>
    public static TheoryData<int, int> BlackFridays => new()
    {
        { 2011, 25 }, { 2012, 23 }, { 2013, 29 }, { 2014, 28 }, { 2015, 27 },
        { 2016, 25 }, { 2017, 24 }, { 2018, 23 }, { 2019, 29 }, { 2020, 27 },
        { 2021, 26 }, { 2022, 25 }, { 2023, 24 }, { 2024, 29 }, { 2025, 28 },
        { 2026, 27 }, { 2027, 26 }, { 2028, 24 }, { 2029, 23 }, { 2030, 29 },
    };

    [Theory]
    [MemberData(nameof(BlackFridays))]
    public void Black_friday_is_the_day_after_the_fourth_thursday_of_november(int year, int day)
    {
        var blackFriday = PeakCalendar.BlackFriday(year);

        Assert.Equal(new DateOnly(year, 11, day), blackFriday);
        Assert.Equal(DayOfWeek.Friday, blackFriday.DayOfWeek);
    }

    [Theory]
    [MemberData(nameof(BlackFridays))]
    public void Cyber_monday_is_the_monday_after_black_friday(int year, int day)
    {
        var cyberMonday = PeakCalendar.CyberMonday(year);

        Assert.Equal(new DateOnly(year, 11, day).AddDays(3), cyberMonday);
        Assert.Equal(DayOfWeek.Monday, cyberMonday.DayOfWeek);
    }

    [Fact]
    public void Peak_days_name_black_friday_cyber_monday_the_week_before_christmas_and_configured_days_in_date_order()
    {
        var extra = new[] { new PeakDay(new DateOnly(2011, 11, 11), "Singles' Day"), new PeakDay(new DateOnly(2012, 1, 1), "Next year") };

        var days = PeakCalendar.PeakDays(2011, extra);

        Assert.Equal(new PeakDay(new DateOnly(2011, 11, 11), "Singles' Day"), days[0]);
        Assert.Equal(new PeakDay(new DateOnly(2011, 11, 25), PeakCalendar.BlackFridayName), days[1]);
        Assert.Equal(new PeakDay(new DateOnly(2011, 11, 28), PeakCalendar.CyberMondayName), days[2]);
        Assert.Equal(Enumerable.Range(18, 7).Select(d => new DateOnly(2011, 12, d)), days.Where(d => d.Name == PeakCalendar.ChristmasWeekName).Select(d => d.Date));
        Assert.DoesNotContain(days, d => d.Date.Year != 2011);
    }
}
