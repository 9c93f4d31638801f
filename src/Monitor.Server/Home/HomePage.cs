using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Monitor.Core.Dns;
using Monitor.Core.Monitoring;
using Monitor.Core.Storage;

namespace Monitor.Server.Home;

/// <summary>A plain page at <c>/</c> listing the domains and their status, with links to the API (the dashboard comes later).</summary>
public static class HomePage
{
    public static IEndpointRouteBuilder MapHomePage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", RenderAsync).ExcludeFromDescription();
        return app;
    }

    private static async Task<ContentHttpResult> RenderAsync(IOptions<MonitorOptions> monitor, AuditResultStore store, CancellationToken cancellationToken)
    {
        var summaries = (await store.GetSummariesAsync(cancellationToken)).ToDictionary(s => s.Domain);
        var html = new StringBuilder()
            .Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Deliverability monitor</title>")
            .Append("<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}")
            .Append(".ok{color:#070}.warning{color:#a60}.error{color:#b00}.unknown{color:#666}</style></head><body>")
            .Append("<h1>Deliverability monitor</h1>");
        if (monitor.Value.Domains.Count == 0)
        {
            html.Append("<p>No domain is configured yet: add one under <code>Monitor:Domains</code>.</p>");
        }
        else
        {
            html.Append("<table><thead><tr><th>Domain</th><th>Status</th><th>Checked at (UTC)</th><th>Errors</th><th>Warnings</th><th>API</th></tr></thead><tbody>");
            foreach (var name in monitor.Value.Domains.Select(d => DnsNames.Normalize(d.Name)))
            {
                var encoded = WebUtility.HtmlEncode(name);
                var link = WebUtility.HtmlEncode(Uri.EscapeDataString(name));
                html.Append("<tr><td>").Append(encoded).Append("</td>");
                if (summaries.TryGetValue(name, out var s))
                {
                    var status = s.Status.ToString().ToLowerInvariant();
                    html.Append("<td class=\"").Append(status).Append("\">").Append(status).Append("</td><td>")
                        .Append(s.CheckedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture))
                        .Append("</td><td>").Append(s.Errors).Append("</td><td>").Append(s.Warnings).Append("</td>");
                }
                else
                {
                    html.Append("<td class=\"unknown\">not audited yet</td><td></td><td></td><td></td>");
                }

                html.Append("<td><a href=\"/api/domains/").Append(link).Append("\">latest</a> · <a href=\"/api/domains/").Append(link).Append("/history\">history</a></td></tr>");
            }

            html.Append("</tbody></table>");
        }

        html.Append("<p>API: <a href=\"/api/domains\">/api/domains</a> · <a href=\"/api/blacklists\">/api/blacklists</a> · <a href=\"/health\">/health</a></p></body></html>");
        return TypedResults.Content(html.ToString(), "text/html; charset=utf-8");
    }
}
