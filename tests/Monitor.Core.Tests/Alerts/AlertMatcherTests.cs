using Monitor.Core.Alerts;

namespace Monitor.Core.Tests.Alerts;

public sealed class AlertMatcherTests
{
    private static readonly Dictionary<string, string> Labels = new() { ["alertname"] = "CheckFailing", ["domain"] = "shop.example.com", ["check"] = "spf" };

    [Theory]
    [InlineData("domain=shop.example.com", true)]
    [InlineData("domain=\"shop.example.com\"", true)]
    [InlineData("domain!=shop.example.com", false)]
    [InlineData("domain=~.*\\.example\\.com", true)]
    [InlineData("domain=~example", false)] // a regex matches the whole value, as in Alertmanager
    [InlineData("check!~dkim|dmarc", true)]
    [InlineData("ip=", true)] // a missing label is the empty value
    [InlineData("ip!=", false)]
    public void Matchers_follow_alertmanager_semantics(string text, bool matches) =>
        Assert.Equal(matches, AlertMatcher.Parse(text).Matches(Labels));

    [Theory]
    [InlineData("domain")]
    [InlineData("=x")]
    [InlineData("1domain=x")]
    [InlineData("domain=~[")]
    public void A_malformed_matcher_is_refused_naming_it(string text)
    {
        var error = Assert.Throws<FormatException>(() => AlertMatcher.Parse(text));
        Assert.Contains($"'{text}'", error.Message);
    }

    [Fact]
    public void Fingerprint_depends_on_labels_not_on_their_order()
    {
        var reordered = new Dictionary<string, string> { ["check"] = "spf", ["domain"] = "shop.example.com", ["alertname"] = "CheckFailing" };

        Assert.Equal(AlertLabels.Fingerprint(Labels), AlertLabels.Fingerprint(reordered));
        Assert.NotEqual(AlertLabels.Fingerprint(Labels), AlertLabels.Fingerprint(new Dictionary<string, string>(Labels) { ["check"] = "dkim" }));
        Assert.Matches("^[0-9a-f]{16}$", AlertLabels.Fingerprint(Labels));
    }

    [Fact]
    public void A_weekly_maintenance_window_that_crosses_midnight_is_open_the_next_morning()
    {
        var errors = new List<string>();
        var window = MaintenanceWindow.TryCreate(new MaintenanceWindowOptions { Name = "sunday-night", Days = ["Sunday"], StartTime = "22:00", Duration = TimeSpan.FromHours(4) }, errors)!;

        Assert.Empty(errors);
        Assert.True(window.IsActive(new DateTimeOffset(2026, 11, 29, 23, 0, 0, TimeSpan.Zero)));
        Assert.True(window.IsActive(new DateTimeOffset(2026, 11, 30, 1, 59, 0, TimeSpan.Zero)));
        Assert.False(window.IsActive(new DateTimeOffset(2026, 11, 30, 2, 0, 0, TimeSpan.Zero)));
        Assert.False(window.IsActive(new DateTimeOffset(2026, 11, 28, 23, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void A_maintenance_window_with_both_kinds_or_a_bad_day_is_refused()
    {
        var errors = new List<string>();

        var window = MaintenanceWindow.TryCreate(new MaintenanceWindowOptions
        {
            Name = "x",
            Start = DateTimeOffset.UnixEpoch,
            End = DateTimeOffset.UnixEpoch.AddHours(1),
            StartTime = "25:00",
            Days = ["Funday"],
        }, errors);

        Assert.Null(window);
        Assert.Contains(errors, e => e.StartsWith("give either Start and End", StringComparison.Ordinal));
        Assert.Contains("StartTime: '25:00' is not a time of day HH:mm", errors);
        Assert.Contains("Days: 'Funday' is not a day of the week (Monday ... Sunday)", errors);
    }
}
