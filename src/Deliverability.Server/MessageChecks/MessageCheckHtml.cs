using System.Globalization;
using System.Net;
using System.Text;
using Deliverability.Contracts.MessageChecks;
using Deliverability.Core.MessageChecks;

namespace Deliverability.Server.MessageChecks;

/// <summary>A check as one HTML page (<c>?format=html</c>): score, authentication, findings by group, spam rules, renders side by side.</summary>
public static class MessageCheckHtml
{
    public static string Write(MessageCheckDto report)
    {
        static string E(string? text) => WebUtility.HtmlEncode(text ?? "");
        var c = CultureInfo.InvariantCulture;
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Message check: ").Append(E(report.Subject)).Append("</title>")
            .Append("<style>body{font:14px system-ui,sans-serif;margin:24px;color:#222}h1{font-size:20px}.score{font-size:32px;font-weight:bold}")
            .Append(".error{color:#b00020}.warning{color:#a15c00}.info{color:#555}table{border-collapse:collapse}td,th{padding:3px 8px;text-align:left;border-bottom:1px solid #ddd}")
            .Append(".renders{display:flex;gap:16px;flex-wrap:wrap;align-items:flex-start}.renders figure{margin:0}.renders img{border:1px solid #ccc;max-width:420px}</style></head><body>");
        html.Append("<h1>").Append(E(report.Subject)).Append("</h1><p>From ").Append(E(report.From)).Append(" · checked ").Append(report.CheckedAt.ToString("u", c)).Append("</p>");
        html.Append("<p class=\"score\">").Append(report.Score.ToString("0.0", c)).Append(" / 10</p><p>").Append(report.Errors).Append(" error(s), ").Append(report.Warnings).Append(" warning(s)</p>");
        html.Append("<p>Preheader: <em>").Append(E(report.Preheader)).Append("</em></p>");

        html.Append("<h2>Authentication</h2><table><tr><th>DKIM</th><th>result</th><th>key</th><th>reason</th></tr>");
        foreach (var dkim in report.Dkim)
        {
            html.Append("<tr><td>d=").Append(E(dkim.Domain)).Append(" s=").Append(E(dkim.Selector)).Append("</td><td>").Append(E(dkim.Result)).Append("</td><td>")
                .Append(E(dkim.Algorithm)).Append(dkim.KeyBits is { } bits ? $" {bits} bits" : "").Append("</td><td>").Append(E(dkim.Reason)).Append("</td></tr>");
        }

        html.Append("</table><p>SPF: ").Append(E(report.Spf.Result)).Append(" · DMARC: ").Append(E(report.Dmarc.Result)).Append(' ').Append(E(report.Dmarc.Reason)).Append("</p>");
        foreach (var group in MessageCheckGroups.All)
        {
            var findings = report.Findings.Where(f => f.Group == group).ToList();
            if (findings.Count == 0)
            {
                continue;
            }

            html.Append("<h2>").Append(E(group)).Append("</h2><ul>");
            foreach (var finding in findings)
            {
                html.Append("<li class=\"").Append(E(finding.Severity)).Append("\"><b>").Append(E(finding.Severity)).Append("</b> <code>").Append(E(finding.Code)).Append("</code> ")
                    .Append(E(finding.Message)).Append(finding.Fix.Length > 0 ? "<br>Fix: " + E(finding.Fix) : "").Append("</li>");
            }

            html.Append("</ul>");
        }

        html.Append("<h2>SpamAssassin</h2>");
        if (report.Spam is { } spam)
        {
            html.Append("<p>").Append(spam.Score.ToString("0.0", c)).Append(" of ").Append(spam.Threshold.ToString("0.0", c)).Append("</p><table>");
            foreach (var rule in spam.Rules)
            {
                html.Append("<tr><td>").Append(rule.Points.ToString("0.0", c)).Append("</td><td>").Append(E(rule.Name)).Append("</td><td>").Append(E(rule.Description)).Append("</td></tr>");
            }

            html.Append("</table>");
        }
        else
        {
            html.Append("<p>").Append(E(report.SpamProblem)).Append("</p>");
        }

        html.Append("<h2>Renders</h2><div class=\"renders\">");
        foreach (var render in report.Renders.Where(r => !r.Name.EndsWith("-full", StringComparison.Ordinal)))
        {
            html.Append("<figure><a href=\"").Append(E(render.File.Replace(".png", "-full.png", StringComparison.Ordinal))).Append("\"><img alt=\"").Append(E(render.Description)).Append("\" src=\"")
                .Append(E(render.File)).Append("\"></a><figcaption>").Append(E(render.Description)).Append("</figcaption></figure>");
        }

        html.Append("</div></body></html>");
        return html.ToString();
    }
}
