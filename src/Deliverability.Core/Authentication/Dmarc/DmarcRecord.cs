using System.Globalization;
using Deliverability.Core.Audits;
using Deliverability.Core.Authentication.TagValues;

namespace Deliverability.Core.Authentication.Dmarc;

public enum DmarcPolicy
{
    None,
    Quarantine,
    Reject,
}

public enum DmarcAlignmentMode
{
    Relaxed,
    Strict,
}

/// <summary>
/// A DMARC policy record: RFC 7489 section 6.3 plus the DMARCbis tags <c>np</c>, <c>psd</c> and <c>t</c>.
/// <see cref="Parse"/> never throws; every problem is one of <see cref="Problems"/>, a finding with a stable code.
/// </summary>
public sealed class DmarcRecord
{
    private static readonly HashSet<string> KnownTags = ["v", "p", "sp", "np", "adkim", "aspf", "pct", "fo", "rf", "ri", "rua", "ruf", "psd", "t"];

    private DmarcRecord(string text) => Text = text;

    public string Text { get; }

    public IReadOnlyList<TagValue> Tags { get; private set; } = [];

    /// <summary><c>p=</c>; null when missing or invalid.</summary>
    public DmarcPolicy? Policy { get; private set; }

    /// <summary><c>sp=</c>; null when absent (then <see cref="Policy"/> applies to subdomains).</summary>
    public DmarcPolicy? SubdomainPolicy { get; private set; }

    /// <summary><c>np=</c> (DMARCbis): the policy for subdomains that do not exist.</summary>
    public DmarcPolicy? NonexistentSubdomainPolicy { get; private set; }

    public DmarcAlignmentMode DkimAlignment { get; private set; } = DmarcAlignmentMode.Relaxed;

    public DmarcAlignmentMode SpfAlignment { get; private set; } = DmarcAlignmentMode.Relaxed;

    /// <summary><c>pct=</c>, 100 by default (removed by DMARCbis).</summary>
    public int Percent { get; private set; } = 100;

    /// <summary><c>fo=</c> failure reporting options; <c>0</c> by default.</summary>
    public IReadOnlyList<string> FailureOptions { get; private set; } = ["0"];

    /// <summary><c>rf=</c> failure report formats; <c>afrf</c> by default.</summary>
    public IReadOnlyList<string> ReportFormats { get; private set; } = ["afrf"];

    /// <summary><c>ri=</c> aggregate report interval in seconds; a day by default.</summary>
    public uint ReportInterval { get; private set; } = 86400;

    public IReadOnlyList<DmarcReportUri> AggregateReportUris { get; private set; } = [];

    public IReadOnlyList<DmarcReportUri> FailureReportUris { get; private set; } = [];

    /// <summary><c>psd=</c> (DMARCbis): <c>y</c>, <c>n</c> or <c>u</c> (the default).</summary>
    public string PublicSuffixDomain { get; private set; } = "u";

    /// <summary><c>t=y</c> (DMARCbis): the policy is in test mode and applied one step softer.</summary>
    public bool IsTesting { get; private set; }

    public IReadOnlyList<Finding> Problems { get; private set; } = [];

    /// <summary>
    /// Whether receivers apply DMARC at all: with a valid <c>p</c>, or without one when a valid <c>rua</c> exists
    /// (they then act as if <c>p=none</c>, RFC 7489 section 6.6.3).
    /// </summary>
    public bool Applies => IsVersionValid && (Policy is not null || AggregateReportUris.Count > 0);

    /// <summary>The policy receivers apply to the domain itself: <c>p</c>, or none when it is missing but the record applies.</summary>
    public DmarcPolicy DomainPolicy => Policy ?? DmarcPolicy.None;

    /// <summary>The policy for an existing subdomain that has no record of its own: <c>sp</c>, else <c>p</c>.</summary>
    public DmarcPolicy SubdomainPolicyInEffect => SubdomainPolicy ?? DomainPolicy;

    /// <summary>The policy for a subdomain that does not exist: <c>np</c>, else <c>sp</c>, else <c>p</c> (DMARCbis).</summary>
    public DmarcPolicy NonexistentSubdomainPolicyInEffect => NonexistentSubdomainPolicy ?? SubdomainPolicyInEffect;

    private bool IsVersionValid { get; set; }

    /// <summary>Whether a TXT record is a DMARC record candidate: it starts with <c>v=DMARC1</c> (RFC 7489 section 6.6.3).</summary>
    public static bool StartsWithVersion(string text)
    {
        var span = text.AsSpan().TrimStart(" \t");
        if (span.Length == 0 || (span[0] != 'v' && span[0] != 'V'))
        {
            return false;
        }

        span = span[1..].TrimStart(" \t");
        if (span.Length == 0 || span[0] != '=')
        {
            return false;
        }

        span = span[1..].TrimStart(" \t");
        if (!span.StartsWith("DMARC1", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        span = span[6..];
        return span.Length == 0 || span[0] is ';' or ' ' or '\t';
    }

    public static DmarcRecord Parse(string text)
    {
        var record = new DmarcRecord(text);
        var problems = new List<Finding>();
        record.Read(problems);
        record.Problems = problems;
        return record;
    }

    private void Read(List<Finding> problems)
    {
        var list = TagValueList.Parse(Text, TagValueSyntax.Dmarc);
        Tags = list.Tags;
        if (!list.IsValid)
        {
            problems.Add(Malformed($"The DMARC record is malformed: {list.Error}."));
            return;
        }

        if (Tags.Count == 0 || Tags[0].Name != "v")
        {
            problems.Add(Finding.Error(
                "dmarc.version_invalid",
                "The DMARC record does not start with v=DMARC1; receivers discard it (RFC 7489 section 6.6.3).",
                "Put v=DMARC1 first: \"v=DMARC1; p=none; rua=mailto:...\"."));
            return;
        }

        if (Tags[0].Value != "DMARC1")
        {
            if (string.Equals(Tags[0].Value, "DMARC1", StringComparison.OrdinalIgnoreCase))
            {
                problems.Add(Finding.Warning(
                    "dmarc.version_case",
                    $"The DMARC record has v={Tags[0].Value}; the version is DMARC1 in capitals and strict receivers ignore other spellings.",
                    "Write v=DMARC1."));
            }
            else
            {
                problems.Add(Finding.Error(
                    "dmarc.version_invalid",
                    $"The DMARC record has v={Tags[0].Value}; the only version is DMARC1, so receivers discard it.",
                    "Write v=DMARC1."));
                return;
            }
        }

        IsVersionValid = true;
        foreach (var tag in Tags.Skip(1))
        {
            ReadTag(tag, problems);
        }

        CheckPolicyPresence(problems);
        if (FailureReportUris.Count == 0 && Tags.Any(t => t.Name == "fo"))
        {
            problems.Add(Finding.Info(
                "dmarc.fo_without_ruf",
                "The DMARC record sets fo= but has no ruf= destination, so the failure reporting options have no effect."));
        }
    }

    private void ReadTag(TagValue tag, List<Finding> problems)
    {
        var value = tag.Value;
        switch (tag.Name)
        {
            case "p":
                Policy = ReadPolicy(tag, problems, "dmarc.policy_invalid");
                break;
            case "sp":
                SubdomainPolicy = ReadPolicy(tag, problems, "dmarc.tag_invalid");
                break;
            case "np":
                NonexistentSubdomainPolicy = ReadPolicy(tag, problems, "dmarc.tag_invalid");
                break;
            case "adkim":
                DkimAlignment = ReadAlignment(tag, problems);
                break;
            case "aspf":
                SpfAlignment = ReadAlignment(tag, problems);
                break;
            case "pct":
                ReadPercent(tag, problems);
                break;
            case "fo":
                FailureOptions = ReadColonList(tag, problems, ["0", "1", "d", "s"]) ?? FailureOptions;
                break;
            case "rf":
                ReadReportFormats(tag, problems);
                break;
            case "ri":
                if (value.Length is 0 or > 10 || !value.All(char.IsAsciiDigit) || !uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var interval))
                {
                    problems.Add(TagInvalid(tag, "a number of seconds (for example 86400)"));
                }
                else
                {
                    ReportInterval = interval;
                }

                break;
            case "rua":
                AggregateReportUris = ReadReportUris(tag, problems);
                break;
            case "ruf":
                FailureReportUris = ReadReportUris(tag, problems);
                break;
            case "psd":
                if (value.ToLowerInvariant() is "y" or "n" or "u")
                {
                    PublicSuffixDomain = value.ToLowerInvariant();
                }
                else
                {
                    problems.Add(TagInvalid(tag, "y, n or u"));
                }

                break;
            case "t":
                ReadTesting(tag, problems);
                break;
            case "v":
                break;
            default:
                problems.Add(Finding.Warning(
                    "dmarc.unknown_tag",
                    $"The DMARC record has an unknown tag '{tag.Name}' (position {tag.Position}); receivers ignore it, so whatever it was meant to do does not happen.",
                    $"Remove {tag.Name}= or correct its name; the tags are {string.Join(", ", KnownTags)}."));
                break;
        }
    }

    private void CheckPolicyPresence(List<Finding> problems)
    {
        if (Tags.Any(t => t.Name == "p"))
        {
            if (Policy is null && AggregateReportUris.Count > 0)
            {
                problems.Add(Finding.Info(
                    "dmarc.policy_treated_as_none",
                    "Because the record has a valid rua, receivers act as if it said p=none (RFC 7489 section 6.6.3)."));
            }

            return;
        }

        if (AggregateReportUris.Count > 0)
        {
            problems.Add(Finding.Warning(
                "dmarc.policy_missing",
                "The DMARC record has no p= tag; because it has a valid rua, receivers act as if it said p=none (RFC 7489 section 6.6.3).",
                "Add p=none (to monitor), then p=quarantine or p=reject once the reports show all your mail aligned."));
        }
        else
        {
            problems.Add(Finding.Error(
                "dmarc.policy_missing",
                "The DMARC record has no p= tag and no valid rua=, so receivers apply no DMARC processing at all (RFC 7489 section 6.6.3).",
                "Add p=none and rua=mailto:<address for aggregate reports>; move to quarantine or reject later."));
        }
    }

    private static DmarcPolicy? ReadPolicy(TagValue tag, List<Finding> problems, string code)
    {
        switch (tag.Value.ToLowerInvariant())
        {
            case "none":
                return DmarcPolicy.None;
            case "quarantine":
                return DmarcPolicy.Quarantine;
            case "reject":
                return DmarcPolicy.Reject;
            default:
                problems.Add(Finding.Error(
                    code,
                    $"The DMARC tag {tag.Name}={tag.Value} (position {tag.Position}) is not a policy; it must be none, quarantine or reject.",
                    $"Write {tag.Name}=none, {tag.Name}=quarantine or {tag.Name}=reject."));
                return null;
        }
    }

    private static DmarcAlignmentMode ReadAlignment(TagValue tag, List<Finding> problems)
    {
        switch (tag.Value.ToLowerInvariant())
        {
            case "r":
                return DmarcAlignmentMode.Relaxed;
            case "s":
                return DmarcAlignmentMode.Strict;
            default:
                problems.Add(TagInvalid(tag, "r (relaxed) or s (strict)"));
                return DmarcAlignmentMode.Relaxed;
        }
    }

    private void ReadPercent(TagValue tag, List<Finding> problems)
    {
        var value = tag.Value;
        if (value.Length is 0 or > 3 || !value.All(char.IsAsciiDigit) || int.Parse(value, CultureInfo.InvariantCulture) > 100)
        {
            problems.Add(TagInvalid(tag, "a whole number from 0 to 100"));
            return;
        }

        Percent = int.Parse(value, CultureInfo.InvariantCulture);
        if (Percent < 100)
        {
            problems.Add(Finding.Warning(
                "dmarc.pct_partial",
                $"The DMARC policy applies to only {Percent}% of failing mail (pct={Percent}); the rest gets the next softer treatment. DMARCbis removes pct (use t=y for testing).",
                "Raise pct to 100 (or remove it) once reports show your legitimate mail passes."));
        }
    }

    private void ReadReportFormats(TagValue tag, List<Finding> problems)
    {
        var formats = ReadColonList(tag, problems, null);
        if (formats is null)
        {
            return;
        }

        ReportFormats = formats;
        if (!formats.Contains("afrf"))
        {
            problems.Add(Finding.Warning(
                "dmarc.report_format_unknown",
                $"The DMARC record asks for failure reports in rf={tag.Value}; the only defined format is afrf, so receivers may send none.",
                "Write rf=afrf or remove rf=."));
        }
    }

    private void ReadTesting(TagValue tag, List<Finding> problems)
    {
        switch (tag.Value.ToLowerInvariant())
        {
            case "y":
                IsTesting = true;
                problems.Add(Finding.Warning(
                    "dmarc.testing",
                    "The DMARC policy is in test mode (t=y, DMARCbis): receivers apply it one step softer (reject as quarantine, quarantine as none).",
                    "Remove t=y (or set t=n) once reports show your legitimate mail passes."));
                break;
            case "n":
                IsTesting = false;
                break;
            default:
                problems.Add(TagInvalid(tag, "y or n"));
                break;
        }
    }

    private static IReadOnlyList<string>? ReadColonList(TagValue tag, List<Finding> problems, string[]? allowed)
    {
        var items = tag.Value.Split(':', StringSplitOptions.TrimEntries);
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = items[i].ToLowerInvariant();
            var invalid = items[i].Length == 0 || (allowed is not null && !allowed.Contains(items[i]));
            if (invalid)
            {
                problems.Add(TagInvalid(tag, allowed is null ? "a colon-separated list of names" : $"a colon-separated list of {string.Join(", ", allowed)}"));
                return null;
            }
        }

        return items;
    }

    private static IReadOnlyList<DmarcReportUri> ReadReportUris(TagValue tag, List<Finding> problems)
    {
        var uris = new List<DmarcReportUri>();
        foreach (var item in tag.Value.Split(',', StringSplitOptions.TrimEntries))
        {
            var uri = DmarcReportUri.Parse(item, out var error);
            if (uri is null)
            {
                problems.Add(Finding.Error(
                    "dmarc.report_uri_invalid",
                    $"The {tag.Name}= destination '{item}' (position {tag.Position}) is invalid: {error}; receivers skip it.",
                    $"Write each destination as mailto:address@domain, separated by commas: {tag.Name}=mailto:dmarc-reports@example.com."));
                continue;
            }

            if (!uri.IsMailto)
            {
                problems.Add(Finding.Warning(
                    "dmarc.report_uri_unsupported",
                    $"The {tag.Name}= destination '{item}' uses {uri.Scheme}:, which receivers do not support; reports are sent by mail only.",
                    $"Use a mailto: destination in {tag.Name}=."));
            }

            uris.Add(uri);
        }

        return uris;
    }

    private static Finding TagInvalid(TagValue tag, string expected) => Finding.Error(
        "dmarc.tag_invalid",
        $"The DMARC tag {tag.Name}={tag.Value} (position {tag.Position}) is invalid: it must be {expected}. Receivers may ignore the whole record.",
        $"Correct {tag.Name}= to {expected}, or remove it to get the default.");

    private static Finding Malformed(string message) => Finding.Error(
        "dmarc.malformed",
        message,
        "Publish the record as tag=value pairs separated by ';', each tag once: \"v=DMARC1; p=none; rua=mailto:dmarc-reports@example.com\".");
}
