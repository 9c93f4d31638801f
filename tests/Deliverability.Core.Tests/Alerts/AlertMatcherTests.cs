using Deliverability.Core.Alerts;

namespace Deliverability.Core.Tests.Alerts;

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
    public void A_catastrophically_backtracking_regex_is_matched_in_linear_time_without_a_timeout()
    {
        var matcher = AlertMatcher.Parse("domain=~(.|.|.|.|.|.|.|.)*z");

        Assert.False(matcher.Matches(new Dictionary<string, string> { ["domain"] = "mail.shop-" + new string('x', 200) + ".example" }));
        Assert.True(matcher.Matches(new Dictionary<string, string> { ["domain"] = "shop.biz" }));
    }

    [Theory]
    [InlineData(@"domain=~(a)\1", "backreference")]
    [InlineData("domain=~shop(?=\\.test)", "positive lookahead")]
    [InlineData("domain=~(?<!www\\.)shop", "negative lookahead")]
    [InlineData("domain=~(?>a+)b", "atomic")]
    [InlineData("domain=~.{0,5000}", "larger than the configured limit")]
    public void A_regex_that_needs_backtracking_is_refused_saying_why(string text, string reason)
    {
        var error = Assert.Throws<FormatException>(() => AlertMatcher.Parse(text));

        Assert.Contains($"'{text}': the regex cannot be matched in linear time", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_regex_cannot_escape_its_anchors()
    {
        // ^(?:shop)|(.*)$ would match any value.
        var error = Assert.Throws<FormatException>(() => AlertMatcher.Parse("domain=~shop)|(.*"));

        Assert.Contains("the regex does not compile", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_regex_is_anchored_at_the_end_of_the_text_as_in_alertmanager()
    {
        var matcher = AlertMatcher.Parse("domain=~shop\\.example\\.com");

        Assert.False(matcher.Matches(new Dictionary<string, string> { ["domain"] = "shop.example.com\n" }));
    }

    [Fact]
    public void A_matcher_longer_than_the_limit_is_refused_with_its_length()
    {
        var text = "domain=" + new string('a', AlertMatcher.MaxLength);

        var error = Assert.Throws<FormatException>(() => AlertMatcher.Parse(text));

        Assert.Contains($"is {text.Length} characters long; a matcher may have at most {AlertMatcher.MaxLength}", error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Length < 200, "the message quotes a shortened matcher");
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
