using Deliverability.Core.Audits;
using Deliverability.Core.Authentication.MtaSts;

namespace Deliverability.Core.Tests.Authentication.MtaSts;

public sealed class MtaStsPolicyTests
{
    [Fact]
    public void Enforce_policy_with_crlf_lines_parses()
    {
        var parse = MtaStsPolicy.Parse("version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\nmax_age: 604800\r\n");

        Assert.Empty(parse.Problems);
        var policy = Assert.IsType<MtaStsPolicy>(parse.Policy);
        Assert.Equal(MtaStsMode.Enforce, policy.Mode);
        Assert.Equal(["mail.example.com", "*.example.net"], policy.MxPatterns);
        Assert.Equal(604800, policy.MaxAgeSeconds);
    }

    [Fact]
    public void Mode_none_needs_no_mx()
    {
        var parse = MtaStsPolicy.Parse("version: STSv1\nmode: none\nmax_age: 86400\n");

        Assert.Empty(parse.Problems);
        Assert.Equal(MtaStsMode.None, parse.Policy?.Mode);
    }

    [Theory]
    [InlineData("mail.example.com", true)]
    [InlineData("MAIL.example.com.", true)]
    [InlineData("mx1.example.net", true)]
    [InlineData("a.mx1.example.net", false)]
    [InlineData("example.net", false)]
    [InlineData("other.example.com", false)]
    public void Mx_patterns_match_exactly_or_one_wildcard_label(string host, bool allowed)
    {
        var policy = MtaStsPolicy.Parse("version: STSv1\nmode: testing\nmx: mail.example.com\nmx: *.example.net\nmax_age: 86400").Policy!;

        Assert.Equal(allowed, policy.Allows(host));
    }

    [Theory]
    [InlineData("mode: enforce\nmx: a.example.com\nmax_age: 86400", "mtasts.policy_invalid_version")]
    [InlineData("version: STSv2\nmode: enforce\nmx: a.example.com\nmax_age: 86400", "mtasts.policy_invalid_version")]
    [InlineData("version: STSv1\nmode: strict\nmx: a.example.com\nmax_age: 86400", "mtasts.policy_invalid_mode")]
    [InlineData("version: STSv1\nmx: a.example.com\nmax_age: 86400", "mtasts.policy_invalid_mode")]
    [InlineData("version: STSv1\nmode: enforce\nmax_age: 86400", "mtasts.policy_missing_mx")]
    [InlineData("version: STSv1\nmode: enforce\nmx: not a host\nmax_age: 86400", "mtasts.policy_invalid_mx")]
    [InlineData("version: STSv1\nmode: enforce\nmx: a.example.com", "mtasts.policy_invalid_max_age")]
    [InlineData("version: STSv1\nmode: enforce\nmx: a.example.com\nmax_age: -1", "mtasts.policy_invalid_max_age")]
    [InlineData("version: STSv1\nmode: enforce\nmx: a.example.com\nmax_age: 31557601", "mtasts.policy_invalid_max_age")]
    [InlineData("version: STSv1\nmode: enforce\nmx: a.example.com\nmax_age: 86400\nmode: testing", "mtasts.policy_duplicate_field")]
    [InlineData("version: STSv1\nmode enforce\nmx: a.example.com\nmax_age: 86400", "mtasts.policy_malformed")]
    public void Invalid_policies_are_rejected_with_their_code(string text, string code)
    {
        var parse = MtaStsPolicy.Parse(text);

        Assert.Null(parse.Policy);
        Assert.Contains(parse.Problems, p => p.Code == code && p.Severity == Severity.Error);
    }

    [Fact]
    public void Short_max_age_is_a_warning_but_the_policy_stands()
    {
        var parse = MtaStsPolicy.Parse("version: STSv1\nmode: testing\nmx: a.example.com\nmax_age: 3600");

        Assert.NotNull(parse.Policy);
        Assert.Equal(Severity.Warning, Assert.Single(parse.Problems, p => p.Code == "mtasts.policy_short_max_age").Severity);
    }
}
