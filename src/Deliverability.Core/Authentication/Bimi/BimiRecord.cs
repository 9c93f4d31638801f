using Deliverability.Core.Audits;
using Deliverability.Core.Authentication.TagValues;

namespace Deliverability.Core.Authentication.Bimi;

/// <summary>
/// The BIMI assertion record at <c>default._bimi.&lt;domain&gt;</c>: <c>v=BIMI1; l=https://.../logo.svg; a=https://.../vmc.pem</c>.
/// An empty <c>l</c> and no <c>a</c> is a declination: the domain asks that no logo be shown.
/// </summary>
/// <param name="Logo">The SVG logo URL, null for a declination.</param>
/// <param name="Authority">The URL of the VMC/CMC certificate (PEM), null when none is published.</param>
public sealed record BimiRecord(Uri? Logo, Uri? Authority)
{
    public bool IsDeclination => Logo is null && Authority is null;

    /// <summary>A TXT string that means to be a BIMI record (a variant spelling of the version is reported, not ignored).</summary>
    public static bool IsCandidate(string text) => text.TrimStart().StartsWith("v=bimi", StringComparison.OrdinalIgnoreCase);

    public static BimiRecordParse Parse(string text)
    {
        var problems = new List<Finding>();
        var tags = TagValueList.Parse(text, TagValueSyntax.Bimi);
        problems.AddRange(tags.Problems.Select(p => Finding.Error(
            "bimi.malformed",
            $"The BIMI record '{text}' is malformed: {p}.",
            "Write the record as 'v=BIMI1; l=https://example.com/logo.svg; a=https://example.com/vmc.pem' with tags separated by ';'.")));

        if (tags.Tags.Count == 0 || tags.Tags[0].Name != "v" || tags.Tags[0].Value != "BIMI1")
        {
            problems.Add(Finding.Error(
                "bimi.invalid_version",
                $"The BIMI record '{text}' must start with exactly 'v=BIMI1'; mailbox providers ignore it otherwise.",
                "Start the record with 'v=BIMI1;'."));
        }

        var logoText = tags["l"];
        var authorityText = tags["a"];
        Uri? logo = null;
        Uri? authority = null;
        if (logoText is null)
        {
            problems.Add(Finding.Error(
                "bimi.missing_logo",
                $"The BIMI record '{text}' has no l= tag (the logo location).",
                "Add 'l=https://<your host>/logo.svg' pointing at an SVG Tiny PS logo, or 'l=' (empty) to decline BIMI."));
        }
        else if (logoText.Length > 0)
        {
            logo = HttpsUrl(logoText);
            if (logo is null)
            {
                problems.Add(Finding.Error(
                    "bimi.invalid_logo_url",
                    $"The BIMI logo location '{logoText}' is not an https:// URL; mailbox providers fetch the logo only over HTTPS.",
                    "Serve the logo over HTTPS and set 'l=https://<your host>/logo.svg'."));
            }
            else if (!logo.AbsolutePath.EndsWith(".svg", StringComparison.OrdinalIgnoreCase))
            {
                problems.Add(Finding.Error(
                    "bimi.logo_not_svg",
                    $"The BIMI logo '{logoText}' is not an .svg file; BIMI logos must be SVG Tiny Portable/Secure.",
                    "Convert the logo to SVG Tiny PS and point l= at the .svg file."));
            }
        }

        if (!string.IsNullOrEmpty(authorityText))
        {
            authority = HttpsUrl(authorityText);
            if (authority is null)
            {
                problems.Add(Finding.Error(
                    "bimi.invalid_authority_url",
                    $"The BIMI authority evidence location '{authorityText}' is not an https:// URL.",
                    "Set 'a=https://<your host>/vmc.pem' to the PEM file of your Verified Mark Certificate (VMC) or Common Mark Certificate (CMC)."));
            }
        }

        if (logo is null && logoText?.Length == 0 && authority is not null)
        {
            problems.Add(Finding.Error(
                "bimi.missing_logo",
                "The BIMI record has a certificate (a=) but an empty logo location (l=).",
                "Set 'l=https://<your host>/logo.svg' to the logo the certificate covers."));
        }

        return new BimiRecordParse(problems.Count == 0 ? new BimiRecord(logo, authority) : null, problems);
    }

    private static Uri? HttpsUrl(string text) =>
        Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps && uri.Host.Length > 0 ? uri : null;
}

/// <param name="Record">The record, or null when any problem makes providers ignore it.</param>
public sealed record BimiRecordParse(BimiRecord? Record, IReadOnlyList<Finding> Problems);
