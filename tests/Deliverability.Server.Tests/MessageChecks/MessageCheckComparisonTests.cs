using Deliverability.Contracts.MessageChecks;
using Deliverability.Server.MessageChecks;

namespace Deliverability.Server.Tests.MessageChecks;

/// <summary>Two checks compared: the later against the earlier, whatever order they are picked in.</summary>
public sealed class MessageCheckComparisonTests
{
    [Fact]
    public void Findings_that_went_came_or_changed_severity_are_told_apart_and_the_scores_are_subtracted()
    {
        var earlier = Check(DateTimeOffset.Parse("2026-12-01T10:00:00Z"), 4.5, 6.1,
            Finding("message.dkim.unsigned", "error"), Finding("message.content.image_without_alt", "warning"), Finding("message.links.listed", "error", "bad.example"));
        var later = Check(DateTimeOffset.Parse("2026-12-02T10:00:00Z"), 8.0, 1.2,
            Finding("message.content.image_without_alt", "info"), Finding("message.links.listed", "error", "bad.example"), Finding("message.links.listed", "error", "worse.example"));

        var comparison = MessageCheckComparison.Of(later, earlier);

        Assert.Same(earlier, comparison.Earlier);
        Assert.Equal(3.5, comparison.ScoreChange);
        Assert.Equal(-4.9, comparison.SpamScoreChange);
        Assert.Equal(["message.dkim.unsigned"], comparison.Fixed.Select(f => f.Code));
        Assert.Equal(["worse.example"], comparison.New.Select(f => f.Subject));
        var (before, after) = Assert.Single(comparison.Changed);
        Assert.Equal(("warning", "info"), (before.Severity, after.Severity));
    }

    private static MessageFindingDto Finding(string code, string severity, string? subject = null) => new("content", code, severity, code, "", subject);

    private static MessageCheckDto Check(DateTimeOffset at, double score, double spam, params MessageFindingDto[] findings) => new(
        Guid.NewGuid(), at, "upload", "Black Friday", "news@shop.example.test", null, 1000, score,
        findings.Count(f => f.Severity == "error"), findings.Count(f => f.Severity == "warning"), findings, [], null,
        new SpfResultDto("none", null, null, ""), new DmarcResultDto("shop.example.test", "none", null, null, false, false, ""),
        new ContentFactsDto(0, 0, 0, 0, 0, 0, null, [], []), [], new SpamScoreDto(spam, 5, false, []), null, "", [], null);
}
