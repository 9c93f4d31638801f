using Deliverability.Core.Audits;
using Deliverability.Core.MessageChecks.Authentication;
using Deliverability.Core.MessageChecks.Content;
using Deliverability.Core.MessageChecks.Links;
using Deliverability.Core.MessageChecks.Rendering;
using Deliverability.Core.MessageChecks.SpamAssassin;

namespace Deliverability.Core.MessageChecks;

/// <summary>The groups findings are shown in.</summary>
public static class MessageCheckGroups
{
    public const string Authentication = "authentication";
    public const string BulkSender = "bulk-sender";
    public const string Content = "content";
    public const string Links = "links";
    public const string Spam = "spam";

    public static IReadOnlyList<string> All { get; } = [Authentication, BulkSender, Content, Links, Spam];
}

/// <summary>A finding and the group it belongs to.</summary>
public sealed record MessageFinding(string Group, Finding Finding);

/// <summary>Everything one check of one message found.</summary>
public sealed record MessageCheckReport
{
    public required Guid Id { get; init; }

    public required DateTimeOffset CheckedAt { get; init; }

    /// <summary>upload, cli or address (sent to the check address).</summary>
    public required string Source { get; init; }

    public string Subject { get; init; } = "";

    public string From { get; init; } = "";

    public string? MessageId { get; init; }

    public int SizeBytes { get; init; }

    /// <summary>Out of 10, like mail-tester's (<see cref="MessageScore"/>).</summary>
    public double Score { get; init; }

    public IReadOnlyList<MessageFinding> Findings { get; init; } = [];

    public required MessageAuthentication Authentication { get; init; }

    public required MessageContentFacts Content { get; init; }

    public IReadOnlyList<LinkDomainVerdict> LinkDomains { get; init; } = [];

    /// <summary>Where the links redirect, when following is allowed (<see cref="LinkRedirects"/>).</summary>
    public IReadOnlyList<LinkRedirect> Redirects { get; init; } = [];

    /// <summary>SpamAssassin's verdict; null when it was not asked or failed (<see cref="SpamProblem"/>).</summary>
    public SpamAssassinResult? Spam { get; init; }

    public string? SpamProblem { get; init; }

    public string Preheader { get; init; } = "";

    public MessageRenders Renders { get; init; } = MessageRenders.None("not rendered");

    public int Errors => Findings.Count(f => f.Finding.Severity == Severity.Error);

    public int Warnings => Findings.Count(f => f.Finding.Severity == Severity.Warning);
}
