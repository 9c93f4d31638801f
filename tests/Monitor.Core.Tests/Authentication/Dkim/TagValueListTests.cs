using Monitor.Core.Authentication.Dkim;

namespace Monitor.Core.Tests.Authentication.Dkim;

public sealed class TagValueListTests
{
    [Fact]
    public void Tags_keep_their_order_values_and_positions()
    {
        var list = TagValueList.Parse("v=DKIM1; k = rsa ;p=AB CD;");

        Assert.True(list.IsValid);
        Assert.Equal([("v", "DKIM1", 1), ("k", "rsa", 10), ("p", "AB CD", 19)], list.Tags.Select(t => (t.Name, t.Value, t.Position)));
    }

    [Fact]
    public void Folding_white_space_is_allowed_around_and_inside_values()
    {
        var list = TagValueList.Parse("v=DKIM1;\r\n\tp=AB\r\n\tCD");

        Assert.True(list.IsValid);
        Assert.Equal("AB\r\n\tCD", list["p"]);
    }

    [Fact]
    public void Empty_values_are_allowed()
    {
        var list = TagValueList.Parse("p=");

        Assert.True(list.IsValid);
        Assert.Equal("", list["p"]);
    }

    [Theory]
    [InlineData("v=DKIM1; =x", "without a tag name")]
    [InlineData("v=DKIM1; 1p=x", "not a valid tag name")]
    [InlineData("v=DKIM1; p-q=x", "not a valid tag name")]
    [InlineData("v=DKIM1; novalue", "not a tag=value pair")]
    [InlineData("v=DKIM1; p=x; p=y", "appears twice")]
    public void Syntax_errors_are_described(string text, string expected)
    {
        var list = TagValueList.Parse(text);

        Assert.False(list.IsValid);
        Assert.Contains(expected, list.Error);
    }

    [Fact]
    public void Names_can_be_folded_to_lower_case_for_dmarc()
    {
        var list = TagValueList.Parse("V=DMARC1; P=reject", lowerCaseNames: true);

        Assert.Equal(["v", "p"], list.Tags.Select(t => t.Name));
    }

    [Fact]
    public void Duplicates_differing_in_case_count_once_names_are_folded()
    {
        Assert.True(TagValueList.Parse("p=none; P=reject").IsValid);
        Assert.False(TagValueList.Parse("p=none; P=reject", lowerCaseNames: true).IsValid);
    }
}
