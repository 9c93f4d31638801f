namespace Deliverability.Core.Authentication.TagValues;

/// <summary>Which tag names a record type allows.</summary>
public enum TagNameRule
{
    /// <summary>RFC 6376 section 3.2: <c>ALPHA *(ALPHA / DIGIT / "_")</c> (DKIM, DMARC, BIMI).</summary>
    LetterThenLettersDigitsUnderscore,

    /// <summary>RFC 8461 and RFC 8460 extension names: <c>(ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".")</c>.</summary>
    ExtensionName,
}

/// <summary>
/// The points on which the tag=value records differ; everything else (separators, white space, value characters,
/// one tag once) is the RFC 6376 section 3.2 syntax that all of them share.
/// </summary>
public sealed class TagValueSyntax
{
    private TagValueSyntax(string record, TagNameRule names, bool caseInsensitiveNames, bool emptyTagSpecsAllowed)
    {
        Record = record;
        Names = names;
        CaseInsensitiveNames = caseInsensitiveNames;
        EmptyTagSpecsAllowed = emptyTagSpecsAllowed;
    }

    /// <summary>
    /// DKIM key records (RFC 6376 section 3.2): names are case-sensitive, and the grammar has no empty tag-spec, so
    /// <c>;;</c> is an error (OpenDKIM and dkimpy refuse such a record too).
    /// </summary>
    public static TagValueSyntax Dkim { get; } = new("DKIM", TagNameRule.LetterThenLettersDigitsUnderscore, caseInsensitiveNames: false, emptyTagSpecsAllowed: false);

    /// <summary>
    /// DMARC records (RFC 7489 section 6.4): tag names are ABNF strings and so case-insensitive (folded to lower case);
    /// the grammar's optional parts leave consecutive separators (<c>v=DMARC1;;p=none</c>) valid, and OpenDMARC skips them.
    /// </summary>
    public static TagValueSyntax Dmarc { get; } = new("DMARC", TagNameRule.LetterThenLettersDigitsUnderscore, caseInsensitiveNames: true, emptyTagSpecsAllowed: true);

    /// <summary>The <c>_mta-sts</c> record (RFC 8461 section 3.1): <c>%s</c> (case-sensitive) names, a field between every two separators.</summary>
    public static TagValueSyntax MtaSts { get; } = new("MTA-STS", TagNameRule.ExtensionName, caseInsensitiveNames: false, emptyTagSpecsAllowed: false);

    /// <summary>The <c>_smtp._tls</c> record (RFC 8460 section 3): the same rules as MTA-STS.</summary>
    public static TagValueSyntax TlsRpt { get; } = new("TLS-RPT", TagNameRule.ExtensionName, caseInsensitiveNames: false, emptyTagSpecsAllowed: false);

    /// <summary>The BIMI assertion record, which the BIMI draft defines on the DKIM tag=value syntax.</summary>
    public static TagValueSyntax Bimi { get; } = new("BIMI", TagNameRule.LetterThenLettersDigitsUnderscore, caseInsensitiveNames: false, emptyTagSpecsAllowed: false);

    /// <summary>The record type, for messages.</summary>
    public string Record { get; }

    public TagNameRule Names { get; }

    /// <summary>Names are folded to lower case, so <c>P=</c> is <c>p=</c> and <c>p=..; P=..</c> is a repeated tag.</summary>
    public bool CaseInsensitiveNames { get; }

    /// <summary>An empty tag-spec (<c>;;</c>, or <c>; ;</c>) is skipped instead of reported. A single trailing <c>;</c> is always allowed.</summary>
    public bool EmptyTagSpecsAllowed { get; }

    public override string ToString() => Record;
}
