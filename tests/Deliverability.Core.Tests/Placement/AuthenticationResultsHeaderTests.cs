using Deliverability.Core.Placement;

namespace Deliverability.Core.Tests.Placement;

public sealed class AuthenticationResultsHeaderTests
{
    [Fact]
    public void Several_methods_are_read_with_their_properties()
    {
        var header = AuthenticationResultsHeader.Parse(
            "mx.google.com; dkim=pass header.i=@example.com header.s=s1 header.b=AbC1; spf=pass (google.com: domain of bounce@example.com designates 192.0.2.1 as permitted sender) smtp.mailfrom=bounce@example.com; dmarc=pass (p=REJECT sp=REJECT dis=NONE) header.from=example.com");

        Assert.Equal("mx.google.com", header.AuthServId);
        Assert.Equal(["dkim", "spf", "dmarc"], header.Results.Select(r => r.Method));
        Assert.All(header.Results, r => Assert.Equal("pass", r.Result));
        Assert.Equal("@example.com", header.Results[0].Property("header", "i"));
        Assert.Equal("s1", header.Results[0].Property("header", "s"));
        Assert.Equal("bounce@example.com", header.Results[1].Property("smtp", "mailfrom"));
        Assert.Equal("example.com", header.Results[2].Property("header", "from"));
        Assert.Empty(header.Problems);
    }

    [Fact]
    public void Comments_anywhere_even_nested_and_with_semicolons_are_skipped()
    {
        var header = AuthenticationResultsHeader.Parse(
            "example.org (mx (primary; inbound)) 1; spf (checked; twice) = (really) fail (sender (not) permitted; see policy) smtp.mailfrom (envelope) = example.net; dkim=none");

        Assert.Equal(("example.org", "1"), (header.AuthServId, header.Version));
        Assert.Equal([("spf", "fail"), ("dkim", "none")], header.Results.Select(r => (r.Method, r.Result)));
        Assert.Equal("example.net", header.Results[0].Property("smtp", "mailfrom"));
        Assert.Empty(header.Problems);
    }

    [Fact]
    public void Quoted_strings_hold_semicolons_and_escaped_quotes()
    {
        var header = AuthenticationResultsHeader.Parse(
            "\"mx; one\"; dkim=fail reason=\"signature \\\"b\\\" did not verify; body hash mismatch\" header.d=example.com; spf=pass smtp.mailfrom=\"odd local\"@example.com");

        Assert.Equal("mx; one", header.AuthServId);
        Assert.Equal("signature \"b\" did not verify; body hash mismatch", header.Results[0].Reason);
        Assert.Equal("example.com", header.Results[0].Property("header", "d"));
        Assert.Equal("odd local@example.com", header.Results[1].Property("smtp", "mailfrom"));
    }

    [Fact]
    public void Method_version_and_folded_lines_are_understood()
    {
        var header = AuthenticationResultsHeader.Parse("mx.example.org;\r\n\tdkim/1=pass\r\n header.d=example.com;\r\n spf = softfail smtp.helo = mail.example.com");

        Assert.Equal(("dkim", "1", "pass"), (header.Results[0].Method, header.Results[0].Version, header.Results[0].Result));
        Assert.Equal(("spf", "softfail", "mail.example.com"), (header.Results[1].Method, header.Results[1].Result, header.Results[1].Property("smtp", "helo")));
    }

    [Fact]
    public void No_result_header_has_no_results_and_no_problems()
    {
        var header = AuthenticationResultsHeader.Parse("mx.example.org 1; none");

        Assert.Equal("mx.example.org", header.AuthServId);
        Assert.Empty(header.Results);
        Assert.Empty(header.Problems);
    }

    [Fact]
    public void Methods_and_results_are_case_insensitive()
    {
        var header = AuthenticationResultsHeader.Parse("MX.Example.org; DKIM=PASS Header.D=Example.com; SPF=Fail");

        Assert.Equal([("dkim", "pass"), ("spf", "fail")], header.Results.Select(r => (r.Method, r.Result)));
        Assert.Equal("Example.com", header.Results[0].Property("HEADER", "d"));
    }

    [Fact]
    public void A_malformed_result_is_a_problem_and_the_next_ones_are_still_read()
    {
        var header = AuthenticationResultsHeader.Parse("mx.example.org; spf; dkim=pass header.d=example.com junk; dmarc=fail header.from=example.com");

        Assert.Equal([("dmarc", "fail")], header.Results.Select(r => (r.Method, r.Result)));
        Assert.Equal(2, header.Problems.Count);
        Assert.Contains(header.Problems, p => p.Contains("'spf' has no '=result'", StringComparison.Ordinal));
        Assert.Contains(header.Problems, p => p.Contains("'junk'", StringComparison.Ordinal));
    }

    [Fact]
    public void Empty_header_reports_the_missing_authserv_id()
    {
        var header = AuthenticationResultsHeader.Parse("   ");

        Assert.Empty(header.Results);
        Assert.Equal(["the authserv-id is missing"], header.Problems);
    }

    [Fact]
    public void Receiver_verdict_takes_the_topmost_header_that_reports_each_method()
    {
        string[] headers =
        [
            "mx.receiver.test; spf=fail smtp.mailfrom=example.com; dmarc=fail header.from=example.com",
            "relay.sender.test; spf=pass smtp.mailfrom=example.com; dkim=pass header.d=example.com",
        ];

        var verdict = ReceiverAuthentication.From(headers);

        Assert.Equal(new ReceiverAuthentication("fail", "pass", "fail"), verdict);
        Assert.True(verdict.HasFailure);
    }

    [Fact]
    public void Receiver_verdict_ignores_headers_of_other_authserv_ids_when_one_is_named()
    {
        string[] headers =
        [
            "forged.example; spf=pass; dkim=pass; dmarc=pass",
            "mx.receiver.test; spf=softfail; dkim=fail; dmarc=fail",
        ];

        Assert.Equal(new ReceiverAuthentication("softfail", "fail", "fail"), ReceiverAuthentication.From(headers, "mx.receiver.test"));
    }

    [Fact]
    public void Dkim_passes_when_any_of_several_signatures_passes()
    {
        var verdict = ReceiverAuthentication.From(["mx.test; dkim=fail header.d=esp.example; dkim=pass header.d=example.com; spf=pass; dmarc=pass"]);

        Assert.Equal(new ReceiverAuthentication("pass", "pass", "pass"), verdict);
        Assert.False(verdict.HasFailure);
    }

    [Fact]
    public void No_header_means_nothing_reported_not_a_failure()
    {
        var verdict = ReceiverAuthentication.From([]);

        Assert.Equal(ReceiverAuthentication.None, verdict);
        Assert.False(verdict.HasFailure);
    }
}
