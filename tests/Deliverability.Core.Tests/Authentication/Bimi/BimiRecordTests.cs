using Deliverability.Core.Authentication.Bimi;

namespace Deliverability.Core.Tests.Authentication.Bimi;

public sealed class BimiRecordTests
{
    [Fact]
    public void Logo_and_certificate_parse()
    {
        var parse = BimiRecord.Parse("v=BIMI1; l=https://example.com/brand/logo.svg; a=https://example.com/brand/vmc.pem;");

        Assert.Empty(parse.Problems);
        Assert.Equal(new Uri("https://example.com/brand/logo.svg"), parse.Record?.Logo);
        Assert.Equal(new Uri("https://example.com/brand/vmc.pem"), parse.Record?.Authority);
        Assert.False(parse.Record?.IsDeclination);
    }

    [Theory]
    [InlineData("v=BIMI1; l=")]
    [InlineData("v=BIMI1; l=; a=")]
    public void Empty_logo_without_certificate_is_a_declination(string text)
    {
        var parse = BimiRecord.Parse(text);

        Assert.Empty(parse.Problems);
        Assert.True(parse.Record?.IsDeclination);
    }

    [Theory]
    [InlineData("v=BIMI1", "bimi.missing_logo")]
    [InlineData("v=BIMI1; l=; a=https://example.com/vmc.pem", "bimi.missing_logo")]
    [InlineData("v=BIMI1; l=logo.svg", "bimi.invalid_logo_url")]
    [InlineData("v=BIMI1; l=http://example.com/logo.svg", "bimi.invalid_logo_url")]
    [InlineData("v=BIMI1; l=https://example.com/logo.svg.png", "bimi.logo_not_svg")]
    [InlineData("v=BIMI1; l=https://example.com/logo.svg; a=vmc.pem", "bimi.invalid_authority_url")]
    [InlineData("l=https://example.com/logo.svg; v=BIMI1", "bimi.invalid_version")]
    [InlineData("v=bimi1; l=https://example.com/logo.svg", "bimi.invalid_version")]
    [InlineData("v=BIMI1; l=https://example.com/logo.svg; nonsense", "bimi.malformed")]
    public void Invalid_records_are_reported_with_their_code(string text, string code)
    {
        var parse = BimiRecord.Parse(text);

        Assert.Null(parse.Record);
        Assert.Contains(parse.Problems, p => p.Code == code);
    }

    [Fact]
    public void Empty_tag_between_two_semicolons_is_malformed()
    {
        var parse = BimiRecord.Parse("v=BIMI1;; l=https://example.com/logo.svg");

        Assert.Null(parse.Record);
        Assert.Equal(["bimi.malformed"], parse.Problems.Select(p => p.Code));
    }
}
