using System.Text;

namespace Deliverability.Server.LoadTests;

/// <summary>How a rendered report is served: its content type, and for HTML a policy that lets only its own inline SVG and CSS run.</summary>
public static class ReportResults
{
    /// <summary>
    /// The engine's HTML is self-contained (inline CSS and SVG, no script): the policy allows exactly that, so text a
    /// report carries (error messages from the target, scenario names) can never run or load anything, and the page
    /// may frame it (the dashboard shows it in a sandboxed iframe).
    /// </summary>
    public const string HtmlPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'; sandbox";

    public static IResult Html(string html) => new Rendered(html, "text/html; charset=utf-8", HtmlPolicy);

    public static IResult Markdown(string markdown) => new Rendered(markdown, "text/markdown; charset=utf-8", null);

    public static IResult Csv(string csv, string fileName) => new Rendered(csv, "text/csv; charset=utf-8", null, fileName);

    private sealed class Rendered(string text, string contentType, string? policy, string? attachmentName = null) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.ContentType = contentType;
            response.Headers.XContentTypeOptions = "nosniff";
            if (policy is not null)
            {
                response.Headers.ContentSecurityPolicy = policy;
            }

            if (attachmentName is not null)
            {
                response.Headers.ContentDisposition = $"attachment; filename=\"{attachmentName}\"";
            }

            var bytes = Encoding.UTF8.GetBytes(text);
            response.ContentLength = bytes.Length;
            await response.Body.WriteAsync(bytes, httpContext.RequestAborted);
        }
    }
}
