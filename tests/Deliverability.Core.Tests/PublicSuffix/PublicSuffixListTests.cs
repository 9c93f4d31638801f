using System.Globalization;
using Deliverability.Core.PublicSuffix;

namespace Deliverability.Core.Tests.PublicSuffix;

public sealed class PublicSuffixListTests
{
    private static readonly PublicSuffixList Psl = PublicSuffixList.Default;

    /// <summary>
    /// The list's own test vectors (publicsuffix.org tests/test_psl.txt, checkPublicSuffix), run against the shipped file.
    /// An empty expectation is the vectors' null: the name is itself a public suffix or is not a valid domain.
    /// </summary>
    [Theory]
    // Mixed case.
    [InlineData("COM", "")]
    [InlineData("example.COM", "example.com")]
    [InlineData("WwW.example.COM", "example.com")]
    // Leading dot.
    [InlineData(".com", "")]
    [InlineData(".example", "")]
    [InlineData(".example.com", "")]
    [InlineData(".example.example", "")]
    // Unlisted TLD.
    [InlineData("example", "")]
    [InlineData("example.example", "example.example")]
    [InlineData("b.example.example", "example.example")]
    [InlineData("a.b.example.example", "example.example")]
    // TLD with only 1 rule.
    [InlineData("biz", "")]
    [InlineData("domain.biz", "domain.biz")]
    [InlineData("b.domain.biz", "domain.biz")]
    [InlineData("a.b.domain.biz", "domain.biz")]
    // TLD with some 2-level rules.
    [InlineData("com", "")]
    [InlineData("example.com", "example.com")]
    [InlineData("b.example.com", "example.com")]
    [InlineData("a.b.example.com", "example.com")]
    [InlineData("uk.com", "")]
    [InlineData("example.uk.com", "example.uk.com")]
    [InlineData("b.example.uk.com", "example.uk.com")]
    [InlineData("a.b.example.uk.com", "example.uk.com")]
    [InlineData("test.ac", "test.ac")]
    // TLD with only 1 (wildcard) rule.
    [InlineData("mm", "")]
    [InlineData("c.mm", "")]
    [InlineData("b.c.mm", "b.c.mm")]
    [InlineData("a.b.c.mm", "b.c.mm")]
    // More complex TLD.
    [InlineData("jp", "")]
    [InlineData("test.jp", "test.jp")]
    [InlineData("www.test.jp", "test.jp")]
    [InlineData("ac.jp", "")]
    [InlineData("test.ac.jp", "test.ac.jp")]
    [InlineData("www.test.ac.jp", "test.ac.jp")]
    [InlineData("kyoto.jp", "")]
    [InlineData("test.kyoto.jp", "test.kyoto.jp")]
    [InlineData("ide.kyoto.jp", "")]
    [InlineData("b.ide.kyoto.jp", "b.ide.kyoto.jp")]
    [InlineData("a.b.ide.kyoto.jp", "b.ide.kyoto.jp")]
    [InlineData("c.kobe.jp", "")]
    [InlineData("b.c.kobe.jp", "b.c.kobe.jp")]
    [InlineData("a.b.c.kobe.jp", "b.c.kobe.jp")]
    [InlineData("city.kobe.jp", "city.kobe.jp")]
    [InlineData("www.city.kobe.jp", "city.kobe.jp")]
    // TLD with a wildcard rule and exceptions.
    [InlineData("ck", "")]
    [InlineData("test.ck", "")]
    [InlineData("b.test.ck", "b.test.ck")]
    [InlineData("a.b.test.ck", "b.test.ck")]
    [InlineData("www.ck", "www.ck")]
    [InlineData("www.www.ck", "www.ck")]
    // US K12.
    [InlineData("us", "")]
    [InlineData("test.us", "test.us")]
    [InlineData("www.test.us", "test.us")]
    [InlineData("ak.us", "")]
    [InlineData("test.ak.us", "test.ak.us")]
    [InlineData("www.test.ak.us", "test.ak.us")]
    [InlineData("k12.ak.us", "")]
    [InlineData("test.k12.ak.us", "test.k12.ak.us")]
    [InlineData("www.test.k12.ak.us", "test.k12.ak.us")]
    // IDN labels (answers are given in punycode: the list is used in its ASCII form).
    [InlineData("食狮.com.cn", "食狮.com.cn")]
    [InlineData("食狮.公司.cn", "食狮.公司.cn")]
    [InlineData("www.食狮.公司.cn", "食狮.公司.cn")]
    [InlineData("shishi.公司.cn", "shishi.公司.cn")]
    [InlineData("公司.cn", "")]
    [InlineData("食狮.中国", "食狮.中国")]
    [InlineData("www.食狮.中国", "食狮.中国")]
    [InlineData("shishi.中国", "shishi.中国")]
    [InlineData("中国", "")]
    // Same as above, but punycoded.
    [InlineData("xn--85x722f.com.cn", "xn--85x722f.com.cn")]
    [InlineData("xn--85x722f.xn--55qx5d.cn", "xn--85x722f.xn--55qx5d.cn")]
    [InlineData("www.xn--85x722f.xn--55qx5d.cn", "xn--85x722f.xn--55qx5d.cn")]
    [InlineData("shishi.xn--55qx5d.cn", "shishi.xn--55qx5d.cn")]
    [InlineData("xn--55qx5d.cn", "")]
    [InlineData("xn--85x722f.xn--fiqs8s", "xn--85x722f.xn--fiqs8s")]
    [InlineData("www.xn--85x722f.xn--fiqs8s", "xn--85x722f.xn--fiqs8s")]
    [InlineData("shishi.xn--fiqs8s", "shishi.xn--fiqs8s")]
    [InlineData("xn--fiqs8s", "")]
    public void Registrable_domain_follows_the_psl_test_vectors(string domain, string expected)
    {
        var expectedAscii = expected.Length == 0 ? null : new IdnMapping().GetAscii(expected);

        Assert.Equal(expectedAscii, Psl.RegistrableDomain(domain));
    }

    [Theory]
    [InlineData("mail.example.co.uk", "example.co.uk")]
    [InlineData("example.co.uk", "example.co.uk")]
    [InlineData("a.b.example.com.au", "example.com.au")]
    [InlineData("news.example.co.jp", "example.co.jp")]
    [InlineData("bounce.example.com.br", "example.com.br")]
    [InlineData("x.example.co.nz", "example.co.nz")]
    [InlineData("x.example.co.za", "example.co.za")]
    [InlineData("x.example.com.mx", "example.com.mx")]
    [InlineData("x.example.co.in", "example.co.in")]
    [InlineData("mail.Example.COM.", "example.com")]
    public void Organizational_domain_is_the_public_suffix_plus_one_label(string domain, string expected)
    {
        Assert.Equal(expected, Psl.OrganizationalDomain(domain));
    }

    [Fact]
    public void Organizational_domain_of_a_public_suffix_is_the_suffix_itself()
    {
        Assert.Equal("co.uk", Psl.OrganizationalDomain("co.uk"));
        Assert.True(Psl.IsPublicSuffix("co.uk"));
        Assert.False(Psl.IsPublicSuffix("example.co.uk"));
    }

    [Fact]
    public void Private_section_rules_make_each_customer_its_own_organization()
    {
        Assert.Equal("alice.github.io", Psl.OrganizationalDomain("www.alice.github.io"));
        Assert.Equal("bob.blogspot.com", Psl.OrganizationalDomain("bob.blogspot.com"));
    }

    [Fact]
    public void Private_section_can_be_left_out()
    {
        var icannOnly = PublicSuffixList.Parse("// ===BEGIN ICANN DOMAINS===\nio\n// ===END ICANN DOMAINS===\n// ===BEGIN PRIVATE DOMAINS===\ngithub.io\n// ===END PRIVATE DOMAINS===\n", includePrivateDomains: false);

        Assert.Equal("github.io", icannOnly.OrganizationalDomain("www.alice.github.io"));
        Assert.Equal(1, icannOnly.RuleCount);
    }

    [Fact]
    public void Wildcard_and_exception_rules_of_the_shipped_list_apply()
    {
        Assert.Equal("foo.kawasaki.jp", Psl.PublicSuffix("shop.foo.kawasaki.jp"));
        Assert.Equal("kawasaki.jp", Psl.PublicSuffix("www.city.kawasaki.jp"));
        Assert.Equal("city.kawasaki.jp", Psl.OrganizationalDomain("www.city.kawasaki.jp"));
    }

    [Fact]
    public void Unicode_rules_in_the_file_are_read_in_their_ascii_form()
    {
        var list = PublicSuffixList.Parse("aéroport.ci\nci\n");

        Assert.Equal("xn--aroport-bya.ci", list.PublicSuffix("paris.xn--aroport-bya.ci"));
        Assert.Equal("paris.xn--aroport-bya.ci", list.OrganizationalDomain("Paris.Aéroport.ci"));
    }

    [Fact]
    public void Only_the_first_word_of_a_line_is_a_rule()
    {
        var list = PublicSuffixList.Parse("co.uk trailing words are ignored\nuk\n");

        Assert.Equal("example.co.uk", list.OrganizationalDomain("www.example.co.uk"));
    }

    [Fact]
    public void Shipped_list_holds_the_icann_and_private_sections()
    {
        Assert.True(Psl.RuleCount > 1500, $"only {Psl.RuleCount} rules");
        foreach (var suffix in new[] { "com", "net", "org", "io", "co", "app", "dev", "email", "co.uk", "org.uk", "ac.uk", "gov.uk", "com.au", "net.au", "co.jp", "ne.jp", "com.br", "co.nz", "co.za", "com.cn", "com.mx", "co.in", "github.io", "blogspot.com" })
        {
            Assert.True(Psl.IsPublicSuffix(suffix), suffix);
        }
    }
}
