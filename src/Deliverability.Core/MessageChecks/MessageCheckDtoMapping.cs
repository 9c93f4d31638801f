using Deliverability.Contracts.MessageChecks;

namespace Deliverability.Core.MessageChecks;

/// <summary>A check as the API and the CLI both write it.</summary>
public static class MessageCheckDtoMapping
{
    /// <param name="renderFile">Where each render is found (a file name for the CLI, an API path for the service).</param>
    public static MessageCheckDto ToDto(this MessageCheckReport report, Func<string, string> renderFile)
    {
        var authentication = report.Authentication;
        return new MessageCheckDto(
            report.Id,
            report.CheckedAt,
            report.Source,
            report.Subject,
            report.From,
            report.MessageId,
            report.SizeBytes,
            report.Score,
            report.Errors,
            report.Warnings,
            [.. report.Findings.Select(f => new MessageFindingDto(f.Group, f.Finding.Code, f.Finding.Severity.ToString().ToLowerInvariant(), f.Finding.Message, f.Finding.Fix, f.Finding.Subject))],
            [.. authentication.Dkim.Select(d => new DkimSignatureDto(d.VerdictText, d.Reason, d.Domain, d.Selector, d.Algorithm, d.KeyBits, d.Canonicalization, d.SignedHeaders, d.BodyLength, d.SignedAt, d.ExpiresAt))],
            authentication.Arc is { } arc ? new ArcChainDto(arc.Chain, arc.Instances, arc.Errors) : null,
            new SpfResultDto(authentication.Spf.Result, authentication.Spf.Domain, authentication.Spf.Ip, authentication.Spf.Reason),
            new DmarcResultDto(authentication.Dmarc.FromDomain, authentication.Dmarc.Result, authentication.Dmarc.PolicyDomain, authentication.Dmarc.Policy,
                authentication.Dmarc.DkimAligned, authentication.Dmarc.SpfAligned, authentication.Dmarc.Reason),
            new ContentFactsDto(report.Content.HtmlBytes, report.Content.TextChars, report.Content.Links, report.Content.Images, report.Content.ImagesWithoutAlt,
                report.Content.TrackingPixels, report.Content.TextSimilarity, report.Content.LinkHosts, report.Content.ImageHosts),
            [.. report.LinkDomains.Select(l => new LinkDomainDto(l.Domain, l.Zone, l.Status, l.Message, l.DelistUrl))],
            report.Spam is { } spam ? new SpamScoreDto(spam.Score, spam.Threshold, spam.IsSpam, [.. spam.Rules.Select(r => new SpamRuleDto(r.Name, r.Points, r.Description))]) : null,
            report.SpamProblem,
            report.Preheader,
            [.. report.Renders.Images.Select(r => new RenderDto(r.Name, r.Description, r.Width, r.Height, renderFile(r.Name)))],
            report.Renders.Problem,
            [.. report.Redirects.Select(r => new LinkRedirectDto(r.Link, r.Hops, r.Problem))]);
    }
}
