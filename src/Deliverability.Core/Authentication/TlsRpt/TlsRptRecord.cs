using System.Net.Mail;
using Deliverability.Core.Audits;
using Deliverability.Core.Authentication.TagValues;

namespace Deliverability.Core.Authentication.TlsRpt;

/// <summary>The <c>_smtp._tls</c> TXT record (RFC 8460 section 3): <c>v=TLSRPTv1; rua=mailto:tls@example.com</c>.</summary>
/// <param name="ReportDestinations">The <c>rua</c> URIs, <c>mailto:</c> or <c>https:</c>.</param>
public sealed record TlsRptRecord(IReadOnlyList<Uri> ReportDestinations)
{
    /// <summary>RFC 8460 discards records not starting with <c>v=TLSRPTv1</c>; a spelling variant is taken as an attempt to report.</summary>
    public static bool IsCandidate(string text) => text.TrimStart().StartsWith("v=tlsrpt", StringComparison.OrdinalIgnoreCase);

    public static TlsRptRecordParse Parse(string text)
    {
        var problems = new List<Finding>();
        var tags = TagValueList.Parse(text, TagValueSyntax.TlsRpt);
        problems.AddRange(tags.Problems.Select(p => Finding.Error(
            "tlsrpt.malformed",
            $"The TLS-RPT record '{text}' is malformed: {p}.",
            "Write the record as 'v=TLSRPTv1; rua=mailto:tls-reports@example.com' with tags separated by ';'.")));

        if (tags.Tags.Count == 0 || tags.Tags[0].Name != "v" || tags.Tags[0].Value != "TLSRPTv1")
        {
            problems.Add(Finding.Error(
                "tlsrpt.invalid_version",
                $"The TLS-RPT record '{text}' must start with exactly 'v=TLSRPTv1' (RFC 8460 section 3); senders ignore it otherwise.",
                "Start the record with 'v=TLSRPTv1;'."));
        }

        var rua = tags["rua"];
        var destinations = new List<Uri>();
        if (rua is null || rua.Trim().Length == 0)
        {
            problems.Add(Finding.Error(
                "tlsrpt.missing_rua",
                $"The TLS-RPT record '{text}' has no rua tag: senders have nowhere to send their TLS reports.",
                "Add 'rua=mailto:tls-reports@<your domain>' (or an https:// endpoint that accepts reports)."));
        }
        else
        {
            foreach (var item in rua.Split(',').Select(s => s.Trim(' ', '\t')))
            {
                var problem = DestinationProblem(item, out var uri);
                if (problem is null)
                {
                    destinations.Add(uri!);
                }
                else
                {
                    problems.Add(Finding.Error(
                        "tlsrpt.invalid_rua",
                        $"The TLS-RPT destination '{item}' is not usable: {problem}.",
                        "Use 'mailto:' followed by an email address, or an 'https://' URL; separate several destinations with commas.") with { Subject = item });
                }
            }
        }

        return new TlsRptRecordParse(problems.Count == 0 ? new TlsRptRecord(destinations) : null, problems);
    }

    private static string? DestinationProblem(string item, out Uri? uri)
    {
        uri = null;
        if (item.Length == 0)
        {
            return "it is empty";
        }

        if (!Uri.TryCreate(item, UriKind.Absolute, out var parsed))
        {
            return "it is not a URI";
        }

        if (parsed.Scheme == Uri.UriSchemeMailto)
        {
            var address = Uri.UnescapeDataString(item["mailto:".Length..].Split('?')[0]);
            if (!MailAddress.TryCreate(address, out var mail) || mail.Address != address || !mail.Host.Contains('.'))
            {
                return $"'{address}' is not an email address";
            }
        }
        else if (parsed.Scheme == Uri.UriSchemeHttps)
        {
            if (parsed.Host.Length == 0)
            {
                return "the https URL has no host";
            }
        }
        else
        {
            return $"the scheme '{parsed.Scheme}' is neither mailto nor https";
        }

        uri = parsed;
        return null;
    }
}

/// <param name="Record">The record, or null when any problem makes senders ignore it.</param>
public sealed record TlsRptRecordParse(TlsRptRecord? Record, IReadOnlyList<Finding> Problems);
