using System.Net;
using Deliverability.Core.Audits;
using Deliverability.Core.Dns;
using Deliverability.Core.MessageChecks.Authentication;
using Deliverability.Core.MessageChecks.BulkSender;
using Deliverability.Core.MessageChecks.Content;
using Deliverability.Core.MessageChecks.Links;
using Deliverability.Core.MessageChecks.Rendering;
using Deliverability.Core.MessageChecks.SpamAssassin;
using MimeKit;

namespace Deliverability.Core.MessageChecks;

/// <summary>A message to check and what is known of how it came.</summary>
/// <param name="Message">The raw message (RFC 5322).</param>
/// <param name="Source">upload, cli or address.</param>
/// <param name="SendingIp">The IP it was sent from, when it came by SMTP; SPF is evaluated for it.</param>
/// <param name="Helo">The HELO name of that SMTP client, when known.</param>
/// <param name="AuditedDomains">The sending domains the service audits (empty skips the From domain rule).</param>
public sealed record MessageCheckRequest(ReadOnlyMemory<byte> Message, string Source, IPAddress? SendingIp = null, string? Helo = null, IReadOnlyCollection<string>? AuditedDomains = null);

/// <summary>
/// Checks one message before it goes out: authentication of the message itself, the bulk-sender rules, the content,
/// link and image domains on URI block lists, SpamAssassin's score, and the inbox preview renders. The slow parts
/// (SpamAssassin, renders, DNS) run side by side; each part that fails becomes a finding, never an exception.
/// </summary>
public sealed class MessageChecker(
    IDnsResolver dns, MessageCheckOptions options, SpamAssassinScanner? spam = null, IMessageRenderer? renderer = null, TimeProvider? time = null, HttpMessageHandler? redirectHandler = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <exception cref="MessageInputException">The bytes are not a message that can be checked.</exception>
    public async Task<MessageCheckReport> CheckAsync(MessageCheckRequest request, CancellationToken cancellationToken = default)
    {
        var message = MessageInput.Parse(request.Message, options.MaxMessageBytes);
        var (content, html, contentFindings) = new MessageContentCheck().Check(message);

        var authenticationTask = new MessageAuthenticationCheck(dns, time: _time).CheckAsync(message, request.SendingIp, request.Helo, cancellationToken);
        var linksTask = CheckLinksAsync(content, html, cancellationToken);
        var spamTask = spam is null
            ? Task.FromResult<(SpamAssassinResult?, string?)>((null, "SpamAssassin was not asked"))
            : spam.ScanAsync(request.Message, cancellationToken);
        var rendersTask = renderer is null
            ? Task.FromResult(MessageRenders.None("renders are turned off"))
            : renderer.RenderAsync(message, cancellationToken);

        var authentication = await authenticationTask.ConfigureAwait(false);
        var (linkVerdicts, redirects, linkFindings) = await linksTask.ConfigureAwait(false);
        var (spamResult, spamProblem) = await spamTask.ConfigureAwait(false);
        var renders = await rendersTask.ConfigureAwait(false);

        var bulk = new BulkSenderMessageRules(_time).Check(message, authentication.Dkim, html, request.AuditedDomains ?? []);
        var findings = new List<MessageFinding>();
        findings.AddRange(authentication.Findings.Select(f => new MessageFinding(MessageCheckGroups.Authentication, f)));
        findings.AddRange(bulk.Select(f => new MessageFinding(MessageCheckGroups.BulkSender, f)));
        findings.AddRange(contentFindings.Where(f => !f.Code.StartsWith("message.links.", StringComparison.Ordinal)).Select(f => new MessageFinding(MessageCheckGroups.Content, f)));
        findings.AddRange(contentFindings.Where(f => f.Code.StartsWith("message.links.", StringComparison.Ordinal)).Concat(linkFindings).Select(f => new MessageFinding(MessageCheckGroups.Links, f)));
        findings.AddRange(SpamFindings(spamResult, spamProblem).Select(f => new MessageFinding(MessageCheckGroups.Spam, f)));
        if (renders.Problem is not null && renderer is not null)
        {
            findings.Add(new MessageFinding(MessageCheckGroups.Content, Finding.Warning("message.render.failed", $"The inbox preview could not be rendered: {renders.Problem}.",
                $"Check that Chromium is installed ({MessageCheckOptions.SectionName}:Render:ChromiumPath).")));
        }

        return new MessageCheckReport
        {
            Id = Guid.NewGuid(),
            CheckedAt = _time.GetUtcNow(),
            Source = request.Source,
            Subject = message.Subject ?? "",
            From = message.From.ToString(),
            MessageId = message.MessageId,
            SizeBytes = request.Message.Length,
            Score = MessageScore.Compute(findings.Select(f => f.Finding), spamResult),
            Findings = findings,
            Authentication = authentication,
            Content = content,
            LinkDomains = linkVerdicts,
            Redirects = redirects,
            Spam = spamResult,
            SpamProblem = spamProblem,
            Preheader = content.Preheader,
            Renders = renders,
        };
    }

    /// <summary>The link and image domains on the URI block lists, with the domains the links redirect to when following is allowed.</summary>
    private async Task<(IReadOnlyList<LinkDomainVerdict>, IReadOnlyList<LinkRedirect>, IReadOnlyList<Finding>)> CheckLinksAsync(MessageContentFacts content, MessageHtml? html, CancellationToken cancellationToken)
    {
        var (redirects, redirectFindings) = await new LinkRedirects(options.Redirects, redirectHandler).FollowAsync(html?.Links.Select(l => l.Href) ?? [], cancellationToken).ConfigureAwait(false);
        var redirectHosts = redirects.SelectMany(r => r.Hops).Select(MessageHtml.HostOf).OfType<string>();
        var (verdicts, findings) = await new LinkDomainListings(dns, options.Zones()).CheckAsync(content.LinkHosts.Concat(content.ImageHosts).Concat(redirectHosts), cancellationToken).ConfigureAwait(false);
        return (verdicts, redirects, [.. redirectFindings, .. findings]);
    }

    private static IEnumerable<Finding> SpamFindings(SpamAssassinResult? result, string? problem)
    {
        if (result is null)
        {
            yield return Finding.Warning("message.spam.unavailable", $"No SpamAssassin score: {problem}.",
                $"Install spamd (Debian: spamassassin, spamd) or set {MessageCheckOptions.SectionName}:SpamAssassin:Address to a running spamd.");
            yield break;
        }

        var top = string.Join(", ", result.Rules.Where(r => r.Points > 0).OrderByDescending(r => r.Points).Take(5).Select(r => $"{r.Name} {r.Points:+0.0;-0.0}"));
        if (result.IsSpam || result.Score >= result.Threshold)
        {
            yield return Finding.Error("message.spam.over_threshold", $"SpamAssassin scores the message {result.Score:0.0}, at or over its spam threshold {result.Threshold:0.0} (top rules: {top}).",
                "Fix what the rules that hit describe, then check again.");
        }
        else if (result.Score >= result.Threshold / 2)
        {
            yield return Finding.Warning("message.spam.high", $"SpamAssassin scores the message {result.Score:0.0} of {result.Threshold:0.0}: close enough that stricter filters may junk it (top rules: {top}).",
                "Fix what the rules that hit describe, then check again.");
        }
    }
}
