namespace Deliverability.Core.MessageChecks.Authentication;

/// <summary>The verdicts of RFC 8601 section 2.7.1 for one DKIM signature.</summary>
public enum DkimVerdict
{
    Pass,
    Fail,
    Neutral,
    TempError,
    PermError,
}

/// <summary>What verifying one <c>DKIM-Signature</c> header found.</summary>
/// <param name="Verdict">pass, fail, neutral, temperror or permerror.</param>
/// <param name="Reason">Why, in words (empty for a pass).</param>
/// <param name="Domain">The signing domain (<c>d=</c>).</param>
/// <param name="Selector">The selector (<c>s=</c>).</param>
/// <param name="Algorithm">The algorithm (<c>a=</c>): rsa-sha256, ed25519-sha256, rsa-sha1.</param>
/// <param name="KeyBits">The public key's length in bits, when it was read.</param>
/// <param name="Canonicalization">The <c>c=</c> value (simple/simple when absent).</param>
/// <param name="SignedHeaders">The header names of <c>h=</c>, lower case, in order.</param>
/// <param name="BodyLength">The <c>l=</c> body length limit, when set.</param>
/// <param name="SignedAt">The <c>t=</c> time, when set.</param>
/// <param name="ExpiresAt">The <c>x=</c> time, when set.</param>
public sealed record DkimSignatureResult(
    DkimVerdict Verdict,
    string Reason,
    string? Domain,
    string? Selector,
    string? Algorithm,
    int? KeyBits,
    string Canonicalization,
    IReadOnlyList<string> SignedHeaders,
    long? BodyLength,
    DateTimeOffset? SignedAt,
    DateTimeOffset? ExpiresAt)
{
    /// <summary>The verdict as RFC 8601 writes it.</summary>
    public string VerdictText => Verdict switch
    {
        DkimVerdict.Pass => "pass",
        DkimVerdict.Fail => "fail",
        DkimVerdict.Neutral => "neutral",
        DkimVerdict.TempError => "temperror",
        _ => "permerror",
    };

    /// <summary>Whether <c>h=</c> names <paramref name="header"/> (case-insensitive).</summary>
    public bool Covers(string header) => SignedHeaders.Contains(header, StringComparer.OrdinalIgnoreCase);

    /// <summary>How many times <c>h=</c> names <paramref name="header"/> (over-signing names it once more than it occurs).</summary>
    public int TimesSigned(string header) => SignedHeaders.Count(h => string.Equals(h, header, StringComparison.OrdinalIgnoreCase));
}
