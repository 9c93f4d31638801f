using Deliverability.Core.Audits;
using Deliverability.Core.Authentication.Dmarc;

namespace Deliverability.Core.Tests.Authentication.Dmarc;

public sealed class DmarcRecordTests
{
    private static string[] Codes(DmarcRecord record) => record.Problems.Select(p => p.Code).ToArray();

    [Fact]
    public void Minimal_record_takes_the_defaults()
    {
        var record = DmarcRecord.Parse("v=DMARC1; p=reject; rua=mailto:dmarc@example.com");

        Assert.Empty(record.Problems);
        Assert.True(record.Applies);
        Assert.Equal(DmarcPolicy.Reject, record.Policy);
        Assert.Null(record.SubdomainPolicy);
        Assert.Equal(DmarcPolicy.Reject, record.SubdomainPolicyInEffect);
        Assert.Equal(DmarcPolicy.Reject, record.NonexistentSubdomainPolicyInEffect);
        Assert.Equal(DmarcAlignmentMode.Relaxed, record.DkimAlignment);
        Assert.Equal(DmarcAlignmentMode.Relaxed, record.SpfAlignment);
        Assert.Equal(100, record.Percent);
        Assert.Equal(["0"], record.FailureOptions);
        Assert.Equal(["afrf"], record.ReportFormats);
        Assert.Equal(86400u, record.ReportInterval);
        Assert.Equal("u", record.PublicSuffixDomain);
        Assert.False(record.IsTesting);
    }

    [Fact]
    public void Every_tag_is_read()
    {
        var record = DmarcRecord.Parse(
            "v=DMARC1; p=quarantine; sp=reject; np=none; adkim=s; aspf=s; pct=100; fo=0:1:d:s; rf=afrf; ri=3600; "
            + "rua=mailto:agg@example.com!10m, mailto:agg@reports.example.net; ruf=mailto:forensic@example.com; psd=n; t=n");

        Assert.Empty(record.Problems);
        Assert.Equal(DmarcPolicy.Quarantine, record.Policy);
        Assert.Equal(DmarcPolicy.Reject, record.SubdomainPolicy);
        Assert.Equal(DmarcPolicy.None, record.NonexistentSubdomainPolicy);
        Assert.Equal(DmarcAlignmentMode.Strict, record.DkimAlignment);
        Assert.Equal(DmarcAlignmentMode.Strict, record.SpfAlignment);
        Assert.Equal(["0", "1", "d", "s"], record.FailureOptions);
        Assert.Equal(3600u, record.ReportInterval);
        Assert.Equal("n", record.PublicSuffixDomain);
        Assert.Equal(
            [("agg@example.com", "example.com", "10m"), ("agg@reports.example.net", "reports.example.net", null)],
            record.AggregateReportUris.Select(u => (u.Address, u.Domain, u.SizeLimit)));
        Assert.Equal("forensic@example.com", Assert.Single(record.FailureReportUris).Address);
    }

    [Fact]
    public void Tag_names_and_keywords_are_case_insensitive()
    {
        var record = DmarcRecord.Parse("v=DMARC1; P=Reject; ADKIM=S; Rua=MAILTO:Dmarc@Example.COM");

        Assert.Empty(record.Problems);
        Assert.Equal(DmarcPolicy.Reject, record.Policy);
        Assert.Equal(DmarcAlignmentMode.Strict, record.DkimAlignment);
        Assert.Equal("example.com", Assert.Single(record.AggregateReportUris).Domain);
    }

    [Fact]
    public void Version_must_come_first()
    {
        var record = DmarcRecord.Parse("p=reject; v=DMARC1");

        Assert.Equal(["dmarc.version_invalid"], Codes(record));
        Assert.False(record.Applies);
    }

    [Fact]
    public void Unknown_version_is_discarded()
    {
        var record = DmarcRecord.Parse("v=DMARC2; p=reject");

        Assert.Equal(["dmarc.version_invalid"], Codes(record));
        Assert.False(record.Applies);
    }

    [Fact]
    public void Lower_case_version_is_read_with_a_warning()
    {
        var record = DmarcRecord.Parse("v=dmarc1; p=reject; rua=mailto:d@example.com");

        Assert.Equal(["dmarc.version_case"], Codes(record));
        Assert.True(record.Applies);
    }

    [Fact]
    public void Missing_policy_with_a_valid_rua_acts_as_none_and_warns()
    {
        var record = DmarcRecord.Parse("v=DMARC1; rua=mailto:d@example.com");

        var problem = Assert.Single(record.Problems);
        Assert.Equal(("dmarc.policy_missing", Severity.Warning), (problem.Code, problem.Severity));
        Assert.True(record.Applies);
        Assert.Equal(DmarcPolicy.None, record.DomainPolicy);
    }

    [Fact]
    public void Missing_policy_without_rua_means_no_dmarc_at_all()
    {
        var record = DmarcRecord.Parse("v=DMARC1; adkim=s");

        var problem = Assert.Single(record.Problems);
        Assert.Equal(("dmarc.policy_missing", Severity.Error), (problem.Code, problem.Severity));
        Assert.False(record.Applies);
    }

    [Fact]
    public void Invalid_policy_is_an_error()
    {
        var record = DmarcRecord.Parse("v=DMARC1; p=block");

        var problem = Assert.Single(record.Problems);
        Assert.Equal(("dmarc.policy_invalid", Severity.Error), (problem.Code, problem.Severity));
        Assert.Contains("p=block", problem.Message);
        Assert.False(record.Applies);
    }

    [Fact]
    public void Invalid_policy_with_a_valid_rua_is_treated_as_none()
    {
        var record = DmarcRecord.Parse("v=DMARC1; p=block; rua=mailto:d@example.com");

        Assert.Equal(["dmarc.policy_invalid", "dmarc.policy_treated_as_none"], Codes(record));
        Assert.True(record.Applies);
        Assert.Equal(DmarcPolicy.None, record.DomainPolicy);
    }

    [Theory]
    [InlineData("sp=block")]
    [InlineData("np=allow")]
    [InlineData("adkim=x")]
    [InlineData("aspf=relaxed")]
    [InlineData("pct=101")]
    [InlineData("pct=-1")]
    [InlineData("pct=half")]
    [InlineData("pct=")]
    [InlineData("fo=2")]
    [InlineData("fo=0:x")]
    [InlineData("fo=0::1")]
    [InlineData("ri=daily")]
    [InlineData("ri=-5")]
    [InlineData("ri=99999999999")]
    [InlineData("psd=maybe")]
    [InlineData("t=yes")]
    public void Invalid_tag_values_are_errors_that_name_the_tag(string tag)
    {
        var record = DmarcRecord.Parse($"v=DMARC1; p=reject; {tag}; rua=mailto:d@example.com");

        var problem = Assert.Single(record.Problems, p => p.Severity != Severity.Info);
        Assert.Equal(("dmarc.tag_invalid", Severity.Error), (problem.Code, problem.Severity));
        Assert.Contains($"{tag} (position 21)", problem.Message);
    }

    [Fact]
    public void Partial_percentage_is_a_warning_that_mentions_dmarcbis()
    {
        var record = DmarcRecord.Parse("v=DMARC1; p=reject; pct=25; rua=mailto:d@example.com");

        var problem = Assert.Single(record.Problems);
        Assert.Equal(("dmarc.pct_partial", Severity.Warning), (problem.Code, problem.Severity));
        Assert.Contains("DMARCbis", problem.Message);
        Assert.Equal(25, record.Percent);
    }

    [Fact]
    public void Test_mode_is_a_warning()
    {
        var record = DmarcRecord.Parse("v=DMARC1; p=reject; t=y; rua=mailto:d@example.com");

        Assert.Equal(["dmarc.testing"], Codes(record));
        Assert.True(record.IsTesting);
    }

    [Theory]
    [InlineData("y")]
    [InlineData("n")]
    [InlineData("u")]
    public void Public_suffix_domain_flag_accepts_y_n_u(string value)
    {
        var record = DmarcRecord.Parse($"v=DMARC1; p=reject; psd={value}; rua=mailto:d@example.com");

        Assert.Empty(record.Problems);
        Assert.Equal(value, record.PublicSuffixDomain);
    }

    [Fact]
    public void Failure_options_without_ruf_have_no_effect()
    {
        var record = DmarcRecord.Parse("v=DMARC1; p=reject; fo=1; rua=mailto:d@example.com");

        var problem = Assert.Single(record.Problems);
        Assert.Equal(("dmarc.fo_without_ruf", Severity.Info), (problem.Code, problem.Severity));
    }

    [Fact]
    public void Unknown_report_format_is_a_warning()
    {
        var record = DmarcRecord.Parse("v=DMARC1; p=reject; rf=iodef; rua=mailto:d@example.com");

        Assert.Equal(["dmarc.report_format_unknown"], Codes(record));
    }

    [Fact]
    public void Unknown_tag_is_a_warning_naming_it()
    {
        var record = DmarcRecord.Parse("v=DMARC1; p=reject; rau=mailto:d@example.com; rua=mailto:d@example.com");

        var problem = Assert.Single(record.Problems);
        Assert.Equal(("dmarc.unknown_tag", Severity.Warning), (problem.Code, problem.Severity));
        Assert.Contains("'rau'", problem.Message);
    }

    [Theory]
    [InlineData("dmarc@example.com", "no scheme")]
    [InlineData("mailto:nobody", "not a mail address")]
    [InlineData("mailto:d@", "not a mail address")]
    [InlineData("mailto:d@example.com!10x", "size limit")]
    [InlineData("mailto:d@example.com!", "size limit")]
    [InlineData("just text", "not a URI")]
    public void Invalid_report_destinations_are_errors(string uri, string reason)
    {
        var record = DmarcRecord.Parse($"v=DMARC1; p=reject; rua={uri}");

        var problem = Assert.Single(record.Problems, p => p.Code == "dmarc.report_uri_invalid");
        Assert.Equal(Severity.Error, problem.Severity);
        Assert.Contains(reason, problem.Message);
        Assert.Empty(record.AggregateReportUris);
    }

    [Fact]
    public void Non_mailto_destination_is_a_warning()
    {
        var record = DmarcRecord.Parse("v=DMARC1; p=reject; rua=https://reports.example.com/dmarc, mailto:d@example.com");

        var problem = Assert.Single(record.Problems);
        Assert.Equal(("dmarc.report_uri_unsupported", Severity.Warning), (problem.Code, problem.Severity));
        Assert.Equal(["https", "mailto"], record.AggregateReportUris.Select(u => u.Scheme));
    }

    [Fact]
    public void Mailto_query_and_size_suffix_are_not_part_of_the_address()
    {
        var record = DmarcRecord.Parse("v=DMARC1; p=reject; rua=mailto:d@example.com?subject=dmarc!50k");

        var uri = Assert.Single(record.AggregateReportUris);
        Assert.Equal(("d@example.com", "example.com", "50k"), (uri.Address, uri.Domain, uri.SizeLimit));
    }

    [Fact]
    public void Duplicate_tag_is_malformed()
    {
        var record = DmarcRecord.Parse("v=DMARC1; p=none; p=reject");

        var problem = Assert.Single(record.Problems);
        Assert.Equal("dmarc.malformed", problem.Code);
        Assert.Contains("'p' appears twice (positions 11 and 19)", problem.Message);
        Assert.False(record.Applies);
    }

    [Fact]
    public void Syntax_error_is_malformed_with_its_position()
    {
        var record = DmarcRecord.Parse("v=DMARC1; p=none; rua");

        var problem = Assert.Single(record.Problems);
        Assert.Equal("dmarc.malformed", problem.Code);
        Assert.Contains("'rua' at position 19", problem.Message);
    }

    [Fact]
    public void Empty_tag_between_two_semicolons_is_skipped()
    {
        var record = DmarcRecord.Parse("v=DMARC1;; p=reject; ;rua=mailto:d@example.com");

        Assert.Empty(record.Problems);
        Assert.Equal(DmarcPolicy.Reject, record.Policy);
        Assert.Single(record.AggregateReportUris);
    }

    [Fact]
    public void Trailing_semicolon_and_spaces_are_fine()
    {
        var record = DmarcRecord.Parse("  v = DMARC1 ;p=reject ;  rua = mailto:d@example.com ; ");

        Assert.Empty(record.Problems);
        Assert.True(record.Applies);
    }

    [Theory]
    [InlineData("v=DMARC1; p=none", true)]
    [InlineData("v=DMARC1", true)]
    [InlineData(" v = DMARC1;p=none", true)]
    [InlineData("v=dmarc1; p=none", true)]
    [InlineData("p=none; v=DMARC1", false)]
    [InlineData("v=DMARC10; p=none", false)]
    [InlineData("v=spf1 -all", false)]
    [InlineData("", false)]
    public void Discovery_keeps_records_that_start_with_the_version(string text, bool expected)
    {
        Assert.Equal(expected, DmarcRecord.StartsWithVersion(text));
    }

    [Fact]
    public void Every_problem_has_a_dmarc_code_and_a_fix()
    {
        var texts = new[] { "v=DMARC1", "v=DMARC1; p=x; sp=y; pct=5; t=y; rf=x; foo=1; rua=a@b.c, https://x", "v=DMARC1; p=none; p=none", "p=none" };

        foreach (var problem in texts.SelectMany(t => DmarcRecord.Parse(t).Problems).Where(p => p.Severity != Severity.Info))
        {
            Assert.StartsWith("dmarc.", problem.Code);
            Assert.False(string.IsNullOrWhiteSpace(problem.Fix), problem.Code);
        }
    }
}
