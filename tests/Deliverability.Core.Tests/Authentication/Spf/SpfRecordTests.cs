using System.Net;
using Deliverability.Core.Authentication.Spf;

namespace Deliverability.Core.Tests.Authentication.Spf;

public sealed class SpfRecordTests
{
    [Fact]
    public void Record_parses_qualifiers_mechanisms_and_dual_cidr_lengths()
    {
        var record = SpfRecord.Parse("v=spf1 +a -mx:mail.example.com/24//64 ~ip4:192.0.2.0/24 ?ip6:2001:db8::/32 ptr include:_spf.example.net exists:%{i}.bl.example.org -all");

        Assert.Equal(
            [SpfMechanismKind.A, SpfMechanismKind.Mx, SpfMechanismKind.Ip4, SpfMechanismKind.Ip6, SpfMechanismKind.Ptr, SpfMechanismKind.Include, SpfMechanismKind.Exists, SpfMechanismKind.All],
            record.Mechanisms.Select(m => m.Kind));
        Assert.Equal(
            [SpfQualifier.Pass, SpfQualifier.Fail, SpfQualifier.SoftFail, SpfQualifier.Neutral, SpfQualifier.Pass, SpfQualifier.Pass, SpfQualifier.Pass, SpfQualifier.Fail],
            record.Mechanisms.Select(m => m.Qualifier));
        var mx = record.Mechanisms[1];
        Assert.Equal("mail.example.com", mx.DomainSpec!.Text);
        Assert.Equal(24, mx.Ip4Prefix);
        Assert.Equal(64, mx.Ip6Prefix);
        Assert.Equal(IPAddress.Parse("192.0.2.0"), record.Mechanisms[2].Network);
        Assert.Equal(32, record.Mechanisms[3].Ip6Prefix);
        Assert.Null(record.Mechanisms[0].DomainSpec);
    }

    [Fact]
    public void Redirect_exp_and_unknown_modifiers_are_read()
    {
        var record = SpfRecord.Parse("v=spf1 redirect=_spf.example.com exp=explain.%{d} moo.cow-far_out=man:dog/cat");

        Assert.Equal("_spf.example.com", record.Redirect!.Text);
        Assert.Equal("explain.%{d}", record.Explanation!.Text);
        var unknown = Assert.Single(record.UnknownModifiers);
        Assert.Equal("moo.cow-far_out", unknown.Name);
    }

    [Theory]
    [InlineData("v=spf1 redirect=a.example.com redirect=b.example.com", "more than once")]
    [InlineData("v=spf1 exp=a.example.com exp=b.example.com", "more than once")]
    [InlineData("v=spf1 foo", "'foo' in 'foo' is not a mechanism")]
    [InlineData("v=spf1 ip4:192.0.2", "is not an IPv4 address")]
    [InlineData("v=spf1 ip4:192.0.2.1/33", "prefix length")]
    [InlineData("v=spf1 ip6:2001:db8::/129", "prefix length")]
    [InlineData("v=spf1 a/24/64", "IPv4 prefix length '/64'")]
    [InlineData("v=spf1 a/24/16", "expected ':domain'")]
    [InlineData("v=spf1 a:192.0.2.1", "use ip4: or ip6:")]
    [InlineData("v=spf1 include:", "empty domain")]
    [InlineData("v=spf1 -all:foo", "takes no argument")]
    [InlineData("v=spf1 a:example.com\u00e9", "non-ASCII")]
    [InlineData("v=spf1 a:example.com\rptr", "control character")]
    [InlineData("v=spf1 exists:%{x}.example.com", "not a macro letter")]
    [InlineData("v=spf1 exists:%{r}.example.com", "only in explanation")]
    [InlineData("v=spf1 exists:%{d0}.example.com", "at least 1")]
    [InlineData("v=spf1 1up=foo", "must start with a letter")]
    [InlineData("v=spf1 =foo", "without a name")]
    public void Syntax_errors_are_rejected_with_a_reason(string text, string reason)
    {
        Assert.False(SpfRecord.TryParse(text, out _, out var error));
        Assert.Contains(reason, error);
        Assert.Throws<FormatException>(() => SpfRecord.Parse(text));
    }

    [Theory]
    [InlineData("v=spf1", true)]
    [InlineData("v=spf1 -all", true)]
    [InlineData("V=SpF1 -all", true)]
    [InlineData("v=spf10 -all", false)]
    [InlineData("v=spf1-all", false)]
    [InlineData("spf1 -all", false)]
    [InlineData("google-site-verification=abc", false)]
    public void Only_v_spf1_followed_by_space_or_end_is_an_spf_record(string text, bool expected) =>
        Assert.Equal(expected, SpfRecord.IsSpfRecord(text));

    [Fact]
    public void Extra_spaces_between_and_after_terms_are_allowed()
    {
        var record = SpfRecord.Parse("v=spf1  a   -all ");

        Assert.Equal(2, record.Mechanisms.Count);
    }

    [Fact]
    public void Top_label_may_hold_inner_hyphens_but_not_be_all_digits()
    {
        Assert.True(SpfRecord.TryParse("v=spf1 a:foo.example.xn--zckzah", out _, out _));
        Assert.False(SpfRecord.TryParse("v=spf1 a:abc.123", out _, out _));
        Assert.False(SpfRecord.TryParse("v=spf1 a:example.-com", out _, out _));
        Assert.False(SpfRecord.TryParse("v=spf1 a:museum", out _, out _));
    }
}
