using Deliverability.Core.Dns;

namespace Deliverability.Core.Tests.Dns;

public sealed class DnsNamesTests
{
    [Theory]
    [InlineData("example.com")]
    [InlineData("a")]
    [InlineData("_dmarc.example.com")]
    [InlineData("s1._domainkey.example.com")]
    public void A_name_of_non_empty_labels_within_the_lengths_is_queryable(string name)
    {
        Assert.True(DnsNames.IsQueryable(name, out var error), error);
        Assert.Equal("", error);
    }

    [Theory]
    [InlineData("", "the name is empty")]
    [InlineData("example..com", "'example..com' has an empty label")]
    [InlineData(".example.com", "'.example.com' has an empty label")]
    [InlineData("example.com.", "'example.com.' has an empty label")]
    public void A_name_with_an_empty_label_is_not_queryable(string name, string expected)
    {
        Assert.False(DnsNames.IsQueryable(name, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void A_label_over_63_characters_is_named_with_its_length()
    {
        var name = "ok." + new string('a', 64) + ".example";

        Assert.False(DnsNames.IsQueryable(name, out var error));
        Assert.Equal($"'{name}' has a label of 64 characters (at most 63)", error);
        Assert.True(DnsNames.IsQueryable("ok." + new string('a', 63) + ".example", out _));
    }

    [Fact]
    public void A_name_over_253_characters_is_not_queryable()
    {
        var name = string.Join('.', Enumerable.Repeat(new string('a', 50), 5)); // 5 x 50 + 4 dots = 254

        Assert.False(DnsNames.IsQueryable(name, out var error));
        Assert.Equal("the name is 254 characters long (at most 253)", error);
    }
}
