using System.Text;
using System.Text.RegularExpressions;
using MimeKit;

namespace Deliverability.Core.Tests.DmarcReports.Ingest;

/// <summary>Report e-mails as receivers send them: a short text part and the report attached.</summary>
internal static partial class ReportMessages
{
    public static byte[] Aggregate(string reportId, string org = "google.com", string domain = "example.com") =>
        Message($"Report domain: {domain} Submitter: {org} Report-ID: <{reportId}>", $"{org}!{domain}!1764547200!1764633599.xml", "application/xml", $"""
            <?xml version="1.0" encoding="UTF-8" ?>
            <feedback>
              <report_metadata><org_name>{org}</org_name><email>noreply-dmarc-support@{org}</email><report_id>{reportId}</report_id>
                <date_range><begin>1764547200</begin><end>1764633599</end></date_range></report_metadata>
              <policy_published><domain>{domain}</domain><adkim>r</adkim><aspf>r</aspf><p>none</p><sp>none</sp><pct>100</pct></policy_published>
              <record><row><source_ip>192.0.2.10</source_ip><count>3</count><policy_evaluated><disposition>none</disposition><dkim>pass</dkim><spf>pass</spf></policy_evaluated></row>
                <identifiers><header_from>{domain}</header_from></identifiers>
                <auth_results><dkim><domain>{domain}</domain><selector>s1</selector><result>pass</result></dkim><spf><domain>{domain}</domain><result>pass</result></spf></auth_results></record>
            </feedback>
            """);

    public static byte[] Tls(string reportId, string org = "Google Inc.") =>
        Message($"Report Domain: example.com Submitter: google.com Report-ID: <{reportId}>", $"google.com!example.com!1764547200!1764633599!{reportId}.json", "application/tlsrpt+json", $$$"""
            {"organization-name":"{{{org}}}","date-range":{"start-datetime":"2026-12-01T00:00:00Z","end-datetime":"2026-12-01T23:59:59Z"},
             "contact-info":"smtp-tls-reporting@google.com","report-id":"{{{reportId}}}",
             "policies":[{"policy":{"policy-type":"sts","policy-string":["version: STSv1","mode: enforce"],"policy-domain":"example.com"},
               "summary":{"total-successful-session-count":12,"total-failure-session-count":0}}]}
            """);

    /// <summary>A message with no report in it (a bounce, a newsletter sent to the report address).</summary>
    public static byte[] NotAReport(string subject) => Message(subject, null, null, null);

    /// <summary>The report id in a raw message (its subject carries it).</summary>
    public static string? ReportIdIn(byte[] raw) => SubjectReportId().Match(Encoding.UTF8.GetString(raw)) is { Success: true } m ? m.Groups[1].Value : null;

    private static byte[] Message(string subject, string? fileName, string? mediaType, string? report)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("noreply-dmarc-support@google.com"));
        message.To.Add(MailboxAddress.Parse("dmarc@example.com"));
        message.Subject = subject;
        message.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId("google.com");
        var body = new BodyBuilder { TextBody = "This is an aggregate report." };
        if (report is not null)
        {
            var type = ContentType.Parse(mediaType!);
            body.Attachments.Add(fileName!, Encoding.UTF8.GetBytes(report), type);
        }

        message.Body = body.ToMessageBody();
        using var stream = new MemoryStream();
        message.WriteTo(stream);
        return stream.ToArray();
    }

    [GeneratedRegex(@"Report-ID:\s+<([^>]{1,200})>")]
    private static partial Regex SubjectReportId();
}
