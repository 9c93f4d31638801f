using Deliverability.Core.Alerts;

namespace Deliverability.Core.Tests.Alerts;

/// <summary>Matchers typed as one text (the dashboard's silence form) split where a person means them to.</summary>
public sealed class MatcherListTests
{
    [Theory]
    [InlineData("domain=shop.example, check=~spf|dkim", new[] { "domain=shop.example", "check=~spf|dkim" })]
    [InlineData("check=~a{1,3}", new[] { "check=~a{1,3}" })]
    [InlineData("check=~a{1,3}, domain=shop.test", new[] { "check=~a{1,3}", "domain=shop.test" })]
    [InlineData("summary=\"a, b\",check=~(spf,dkim)", new[] { "summary=\"a, b\"", "check=~(spf,dkim)" })]
    [InlineData("check=~[,(], domain=x", new[] { "check=~[,(]", "domain=x" })]
    [InlineData("summary=\"say \\\"a, b\\\"\", domain=x", new[] { "summary=\"say \\\"a, b\\\"\"", "domain=x" })]
    [InlineData("check=~a\\{, domain=x", new[] { "check=~a\\{", "domain=x" })]
    [InlineData("domain=a\ncheck=spf\r\n, ,", new[] { "domain=a", "check=spf" })]
    [InlineData("  ", new string[0])]
    public void Splits_at_commas_and_line_breaks_outside_quotes_and_regex_brackets(string text, string[] expected) =>
        Assert.Equal(expected, MatcherList.Split(text));

    [Fact]
    public void A_regex_with_a_comma_in_its_repetition_parses_as_one_matcher_that_matches_the_whole_value()
    {
        var matcher = AlertMatcher.Parse(Assert.Single(MatcherList.Split("check=~a{1,3}")));

        Assert.True(matcher.Matches(new Dictionary<string, string> { ["check"] = "aaa" }));
        Assert.False(matcher.Matches(new Dictionary<string, string> { ["check"] = "aaaa" }));
    }
}
