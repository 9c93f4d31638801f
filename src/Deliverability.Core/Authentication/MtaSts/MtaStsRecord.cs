using Deliverability.Core.Audits;
using Deliverability.Core.Authentication.TagValues;

namespace Deliverability.Core.Authentication.MtaSts;

/// <summary>The <c>_mta-sts</c> TXT record (RFC 8461 section 3.1): <c>v=STSv1; id=20240101T000000;</c>.</summary>
public sealed record MtaStsRecord(string Id)
{
    public const string VersionPrefix = "v=STSv1";

    /// <summary>
    /// Whether a TXT string is an MTA-STS record at all: RFC 8461 discards records that do not start with <c>v=STSv1</c>;
    /// a case or spelling variant is taken as an attempt, so that its mistake is reported instead of ignored.
    /// </summary>
    public static bool IsCandidate(string text) => text.TrimStart().StartsWith("v=sts", StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses a record; <see cref="MtaStsRecordParse.Problems"/> holds an error finding for each mistake.</summary>
    public static MtaStsRecordParse Parse(string text)
    {
        var problems = new List<Finding>();
        var tags = TagValueList.Parse(text, TagValueSyntax.MtaSts);
        problems.AddRange(tags.Problems.Select(p => Malformed($"The MTA-STS record '{text}' is malformed: {p}.")));

        if (tags.Tags.Count == 0 || tags.Tags[0].Name != "v" || tags.Tags[0].Value != "STSv1")
        {
            problems.Add(Finding.Error(
                "mtasts.invalid_version",
                $"The MTA-STS record '{text}' must start with exactly 'v=STSv1' (RFC 8461 section 3.1); senders ignore it otherwise.",
                "Start the record with 'v=STSv1;' (case matters), for example 'v=STSv1; id=20240101T000000;'."));
        }

        var id = tags["id"];
        if (id is null)
        {
            problems.Add(Finding.Error(
                "mtasts.missing_id",
                $"The MTA-STS record '{text}' has no id tag; senders use it to notice a changed policy.",
                "Add 'id=' followed by 1 to 32 letters or digits (for example a timestamp, id=20240101T000000), and change it whenever the policy file changes."));
        }
        else if (id.Length is 0 or > 32 || !id.All(char.IsAsciiLetterOrDigit))
        {
            problems.Add(Finding.Error(
                "mtasts.invalid_id",
                $"The MTA-STS id '{id}' must be 1 to 32 letters or digits (RFC 8461 section 3.1).",
                "Use an id of letters and digits only, at most 32 of them, for example id=20240101T000000."));
        }

        return new MtaStsRecordParse(problems.Count == 0 && id is not null ? new MtaStsRecord(id) : null, problems);
    }

    private static Finding Malformed(string message) => Finding.Error(
        "mtasts.malformed",
        message,
        "Write the record as 'v=STSv1; id=<1-32 letters or digits>;' with tags separated by ';'.");
}

/// <param name="Record">The record, or null when any problem makes senders ignore it.</param>
public sealed record MtaStsRecordParse(MtaStsRecord? Record, IReadOnlyList<Finding> Problems);
