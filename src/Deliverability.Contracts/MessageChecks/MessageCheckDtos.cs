namespace Deliverability.Contracts.MessageChecks;

// The JSON shape of a message check, shared by the API (/api/message-checks/{id}) and the CLI
// (monitor message check --json), so both say the same with the same names.

/// <param name="Group">authentication, bulk-sender, content, links or spam.</param>
/// <param name="Severity">info, warning or error.</param>
public sealed record MessageFindingDto(string Group, string Code, string Severity, string Message, string Fix, string? Subject);

/// <param name="Result">pass, fail, neutral, temperror or permerror.</param>
public sealed record DkimSignatureDto(
    string Result, string Reason, string? Domain, string? Selector, string? Algorithm, int? KeyBits, string Canonicalization,
    IReadOnlyList<string> SignedHeaders, long? BodyLength, DateTimeOffset? SignedAt, DateTimeOffset? ExpiresAt);

public sealed record ArcChainDto(string Chain, int Instances, IReadOnlyList<string> Errors);

public sealed record SpfResultDto(string Result, string? Domain, string? Ip, string Reason);

public sealed record DmarcResultDto(string FromDomain, string Result, string? PolicyDomain, string? Policy, bool DkimAligned, bool SpfAligned, string Reason);

public sealed record ContentFactsDto(
    int HtmlBytes, int TextChars, int Links, int Images, int ImagesWithoutAlt, int TrackingPixels, double? TextSimilarity,
    IReadOnlyList<string> LinkHosts, IReadOnlyList<string> ImageHosts);

/// <param name="Status">listed, not_listed, refused or error.</param>
public sealed record LinkDomainDto(string Domain, string Zone, string Status, string Message, string? DelistUrl);

public sealed record SpamRuleDto(string Name, double Points, string Description);

public sealed record SpamScoreDto(double Score, double Threshold, bool IsSpam, IReadOnlyList<SpamRuleDto> Rules);

/// <param name="Hops">Each URL the link redirected to, in order (the last is where it ends).</param>
public sealed record LinkRedirectDto(string Link, IReadOnlyList<string> Hops, string? Problem);

/// <param name="File">Where the PNG is: a file name (CLI, in the --render folder) or an API path.</param>
public sealed record RenderDto(string Name, string Description, int Width, int Height, string File);

/// <summary>One check in full.</summary>
/// <param name="Score">Out of 10, like mail-tester's (docs/message-checks.md says how it is computed).</param>
public sealed record MessageCheckDto(
    Guid Id,
    DateTimeOffset CheckedAt,
    string Source,
    string Subject,
    string From,
    string? MessageId,
    int SizeBytes,
    double Score,
    int Errors,
    int Warnings,
    IReadOnlyList<MessageFindingDto> Findings,
    IReadOnlyList<DkimSignatureDto> Dkim,
    ArcChainDto? Arc,
    SpfResultDto Spf,
    DmarcResultDto Dmarc,
    ContentFactsDto Content,
    IReadOnlyList<LinkDomainDto> LinkDomains,
    SpamScoreDto? Spam,
    string? SpamProblem,
    string Preheader,
    IReadOnlyList<RenderDto> Renders,
    string? RenderProblem,
    IReadOnlyList<LinkRedirectDto>? Redirects = null);

/// <summary>A past check in a list.</summary>
public sealed record MessageCheckSummaryDto(Guid Id, DateTimeOffset CheckedAt, string Source, string Subject, string From, double Score, int Errors, int Warnings);

/// <summary>A tagged check address: send the campaign to <see cref="Address"/> and the check appears when it arrives.</summary>
/// <param name="Status">waiting, checked, failed (the message could not be checked: <see cref="Problem"/>) or expired.</param>
public sealed record CheckAddressDto(string Address, string Tag, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt, string Status, Guid? CheckId, string? Problem);
