using Deliverability.Core.Authentication.TlsRpt;

namespace Deliverability.Core.Tests.Authentication.TlsRpt;

public sealed class TlsRptRecordTests
{
    [Theory]
    [InlineData("v=TLSRPTv1; rua=mailto:tls@example.com", 1)]
    [InlineData("v=TLSRPTv1;rua=https://reports.example.com/v1/tls", 1)]
    [InlineData("v=TLSRPTv1; rua=mailto:a@example.com, https://reports.example.com/tls;", 2)]
    [InlineData("v=TLSRPTv1; rua=mailto:tls+reports@example.com; ext=1", 1)]
    public void Valid_records_parse(string text, int destinations)
    {
        var parse = TlsRptRecord.Parse(text);

        Assert.Empty(parse.Problems);
        Assert.Equal(destinations, parse.Record?.ReportDestinations.Count);
    }

    [Theory]
    [InlineData("v=TLSRPTv1", "tlsrpt.missing_rua")]
    [InlineData("v=TLSRPTv1; rua=", "tlsrpt.missing_rua")]
    [InlineData("v=TLSRPTv1; rua=tls@example.com", "tlsrpt.invalid_rua")]
    [InlineData("v=TLSRPTv1; rua=mailto:not-an-address", "tlsrpt.invalid_rua")]
    [InlineData("v=TLSRPTv1; rua=ftp://example.com/x", "tlsrpt.invalid_rua")]
    [InlineData("v=TLSRPTv1; rua=mailto:a@example.com,", "tlsrpt.invalid_rua")]
    [InlineData("rua=mailto:a@example.com; v=TLSRPTv1", "tlsrpt.invalid_version")]
    [InlineData("v=tlsrptv1; rua=mailto:a@example.com", "tlsrpt.invalid_version")]
    [InlineData("v=TLSRPTv1; rua=mailto:a@example.com; rua=mailto:b@example.com", "tlsrpt.malformed")]
    public void Invalid_records_are_reported_with_their_code(string text, string code)
    {
        var parse = TlsRptRecord.Parse(text);

        Assert.Null(parse.Record);
        Assert.Contains(parse.Problems, p => p.Code == code);
    }

    [Fact]
    public void Empty_field_between_two_semicolons_is_malformed()
    {
        var parse = TlsRptRecord.Parse("v=TLSRPTv1;; rua=mailto:tls@example.com");

        Assert.Null(parse.Record);
        Assert.Equal(["tlsrpt.malformed"], parse.Problems.Select(p => p.Code));
    }
}
