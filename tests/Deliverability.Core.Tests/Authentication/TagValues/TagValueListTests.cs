using Deliverability.Core.Authentication.TagValues;

namespace Deliverability.Core.Tests.Authentication.TagValues;

public sealed class TagValueListTests
{
    public static TheoryData<string> AllSyntaxes() => ["DKIM", "DMARC", "MTA-STS", "TLS-RPT", "BIMI"];

    [Fact]
    public void Tags_keep_their_order_values_and_positions()
    {
        var list = TagValueList.Parse("v=DKIM1; k = rsa ;p=AB CD;", TagValueSyntax.Dkim);

        Assert.True(list.IsValid);
        Assert.Equal([("v", "DKIM1", 1), ("k", "rsa", 10), ("p", "AB CD", 19)], list.Tags.Select(t => (t.Name, t.Value, t.Position)));
    }

    [Fact]
    public void Folding_white_space_is_allowed_around_and_inside_values()
    {
        var list = TagValueList.Parse("v=DKIM1;\r\n\tp=AB\r\n\tCD", TagValueSyntax.Dkim);

        Assert.True(list.IsValid);
        Assert.Equal("AB\r\n\tCD", list["p"]);
    }

    [Fact]
    public void Empty_values_are_allowed()
    {
        var list = TagValueList.Parse("p=", TagValueSyntax.Dkim);

        Assert.True(list.IsValid);
        Assert.Equal("", list["p"]);
    }

    [Theory]
    [InlineData("v=DKIM1; =x", "without a tag name")]
    [InlineData("v=DKIM1; 1p=x", "not a valid tag name")]
    [InlineData("v=DKIM1; p-q=x", "not a valid tag name")]
    [InlineData("v=DKIM1; novalue", "not a tag=value pair")]
    [InlineData("v=DKIM1; p=x; p=y", "appears twice")]
    [InlineData("v=DKIM1; n=clé", "invalid character (U+00E9) at position 14")]
    public void Syntax_errors_are_described(string text, string expected)
    {
        var list = TagValueList.Parse(text, TagValueSyntax.Dkim);

        Assert.False(list.IsValid);
        Assert.Contains(expected, list.Error);
    }

    [Fact]
    public void Names_can_be_folded_to_lower_case_for_dmarc()
    {
        var list = TagValueList.Parse("V=DMARC1; P=reject", TagValueSyntax.Dmarc);

        Assert.Equal(["v", "p"], list.Tags.Select(t => t.Name));
    }

    [Fact]
    public void Duplicates_differing_in_case_count_once_names_are_folded()
    {
        Assert.True(TagValueList.Parse("p=none; P=reject", TagValueSyntax.Dkim).IsValid);
        Assert.False(TagValueList.Parse("p=none; P=reject", TagValueSyntax.Dmarc).IsValid);
    }

    [Theory]
    [MemberData(nameof(AllSyntaxes))]
    public void A_trailing_semicolon_and_white_space_are_allowed_by_every_record(string record)
    {
        var list = TagValueList.Parse(" v = 1 ;\tid=a ; ", Syntax(record));

        Assert.True(list.IsValid, list.Error);
        Assert.Equal([("v", "1"), ("id", "a")], list.Tags.Select(t => (t.Name, t.Value)));
    }

    [Theory]
    [InlineData("DKIM", false)]
    [InlineData("DMARC", true)]
    [InlineData("MTA-STS", false)]
    [InlineData("TLS-RPT", false)]
    [InlineData("BIMI", false)]
    public void An_empty_tag_between_two_semicolons_is_skipped_only_where_the_record_allows_it(string record, bool allowed)
    {
        var list = TagValueList.Parse("v=1;; id=a; ;", Syntax(record));

        Assert.Equal(allowed, list.IsValid);
        Assert.Equal(["v", "id"], list.Tags.Select(t => t.Name));
        if (!allowed)
        {
            Assert.Equal(["an empty tag (';;') at position 5", "an empty tag (';;') at position 13"], list.Problems);
        }
    }

    [Theory]
    [InlineData("ext_1")]
    [InlineData("1ext")]
    [InlineData("ext-name.v2")]
    [InlineData("a2345678901234567890123456789012")]
    public void Mta_sts_and_tls_rpt_take_extension_names_with_digits_dashes_and_dots(string name)
    {
        Assert.True(TagValueList.Parse($"v=STSv1; {name}=x", TagValueSyntax.MtaSts).IsValid);
        Assert.True(TagValueList.Parse($"v=TLSRPTv1; {name}=x", TagValueSyntax.TlsRpt).IsValid);
    }

    [Theory]
    [InlineData("-ext")]
    [InlineData("ext!")]
    [InlineData("a23456789012345678901234567890123")]
    public void Extension_names_are_bounded_and_start_with_a_letter_or_digit(string name)
    {
        var list = TagValueList.Parse($"v=STSv1; {name}=x", TagValueSyntax.MtaSts);

        Assert.Contains("is not a valid tag name (a letter or digit, then at most 31", Assert.Single(list.Problems));
    }

    [Theory]
    [InlineData("DKIM")]
    [InlineData("DMARC")]
    [InlineData("BIMI")]
    public void Dkim_style_names_refuse_dashes_and_leading_digits(string record)
    {
        Assert.False(TagValueList.Parse("v=1; ext-name=x", Syntax(record)).IsValid);
        Assert.False(TagValueList.Parse("v=1; 1ext=x", Syntax(record)).IsValid);
    }

    [Theory]
    [InlineData("DKIM")]
    [InlineData("MTA-STS")]
    [InlineData("TLS-RPT")]
    [InlineData("BIMI")]
    public void Names_are_case_sensitive_except_in_dmarc(string record)
    {
        var list = TagValueList.Parse("v=1; ID=a; id=b", Syntax(record));

        Assert.True(list.IsValid);
        Assert.Equal(["v", "ID", "id"], list.Tags.Select(t => t.Name));
    }

    [Fact]
    public void One_bad_tag_spec_does_not_hide_the_tags_after_it()
    {
        var list = TagValueList.Parse("v=STSv1; =x; id=1; id=2; ext=é", TagValueSyntax.MtaSts);

        Assert.Equal([("v", "STSv1"), ("id", "1")], list.Tags.Select(t => (t.Name, t.Value)));
        Assert.Collection(
            list.Problems,
            p => Assert.Equal("a value without a tag name at position 10", p),
            p => Assert.Equal("tag 'id' appears twice (positions 14 and 20); a repeated tag makes the whole MTA-STS record invalid", p),
            p => Assert.Contains("invalid character (U+00E9)", p));
        Assert.Equal(string.Join("; ", list.Problems), list.Error);
    }

    [Fact]
    public void Text_without_tags_is_an_empty_valid_list()
    {
        var list = TagValueList.Parse("  ", TagValueSyntax.Dkim);

        Assert.True(list.IsValid);
        Assert.Empty(list.Tags);
        Assert.Null(list.Error);
    }

    private static TagValueSyntax Syntax(string record) => record switch
    {
        "DKIM" => TagValueSyntax.Dkim,
        "DMARC" => TagValueSyntax.Dmarc,
        "MTA-STS" => TagValueSyntax.MtaSts,
        "TLS-RPT" => TagValueSyntax.TlsRpt,
        "BIMI" => TagValueSyntax.Bimi,
        _ => throw new ArgumentOutOfRangeException(nameof(record), record, null),
    };
}
