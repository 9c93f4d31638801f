using Deliverability.Core.Authentication.MtaSts;

namespace Deliverability.Core.Tests.Authentication.MtaSts;

public sealed class MtaStsRecordTests
{
    [Theory]
    [InlineData("v=STSv1; id=20240101T000000;", "20240101T000000")]
    [InlineData("v=STSv1;id=a", "a")]
    [InlineData("v=STSv1; id=abc; ext_1=value", "abc")]
    [InlineData("v=STSv1;\tid=12345678901234567890123456789012", "12345678901234567890123456789012")]
    public void Valid_records_parse(string text, string id)
    {
        var parse = MtaStsRecord.Parse(text);

        Assert.Empty(parse.Problems);
        Assert.Equal(id, parse.Record?.Id);
    }

    [Theory]
    [InlineData("v=STSv1; id=123456789012345678901234567890123", "mtasts.invalid_id")]
    [InlineData("v=STSv1; id=", "mtasts.invalid_id")]
    [InlineData("v=STSv1; id=a_b", "mtasts.invalid_id")]
    [InlineData("v=STSv1", "mtasts.missing_id")]
    [InlineData("id=1; v=STSv1", "mtasts.invalid_version")]
    [InlineData("v=STSv2; id=1", "mtasts.invalid_version")]
    [InlineData("v=STSv1; id=1; id=2", "mtasts.malformed")]
    [InlineData("v=STSv1;; id=1", "mtasts.malformed")]
    [InlineData("v=STSv1; =x; id=1", "mtasts.malformed")]
    public void Invalid_records_are_reported_with_their_code(string text, string code)
    {
        var parse = MtaStsRecord.Parse(text);

        Assert.Null(parse.Record);
        Assert.Contains(parse.Problems, p => p.Code == code);
        Assert.All(parse.Problems, p => Assert.NotEmpty(p.Fix));
    }

    [Theory]
    [InlineData("v=STSv1; id=1", true)]
    [InlineData("v=stsv1; id=1", true)]
    [InlineData("google-site-verification=x", false)]
    public void Candidates_start_with_the_version(string text, bool candidate) =>
        Assert.Equal(candidate, MtaStsRecord.IsCandidate(text));
}
