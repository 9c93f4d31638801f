namespace Deliverability.Load;

/// <summary>The report formats.</summary>
public enum ReportFormat
{
    /// <summary>Markdown tables.</summary>
    Markdown,
    /// <summary>One row per scenario and step.</summary>
    Csv,
    /// <summary>The <see cref="RunReport"/> JSON.</summary>
    Json,
    /// <summary>One self-contained HTML file with inline SVG charts.</summary>
    Html,
}

/// <summary>Writes a report in any format.</summary>
public static class ReportWriter
{
    /// <summary>The report as text in <paramref name="format"/>.</summary>
    public static string Render(RunReport report, ReportFormat format) => format switch
    {
        ReportFormat.Markdown => MarkdownReport.Render(report),
        ReportFormat.Csv => CsvReport.Render(report),
        ReportFormat.Json => report.ToJson(),
        ReportFormat.Html => HtmlReport.Render(report),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown report format."),
    };

    /// <summary>The usual file extension ("md", "csv", "json", "html").</summary>
    public static string FileExtension(ReportFormat format) => format switch
    {
        ReportFormat.Markdown => "md",
        ReportFormat.Csv => "csv",
        ReportFormat.Json => "json",
        _ => "html",
    };

    /// <summary>Parses "md"/"markdown", "csv", "json", "html" (case-insensitive).</summary>
    public static bool TryParseFormat(string? text, out ReportFormat format)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "md" or "markdown": format = ReportFormat.Markdown; return true;
            case "csv": format = ReportFormat.Csv; return true;
            case "json": format = ReportFormat.Json; return true;
            case "html" or "htm": format = ReportFormat.Html; return true;
            default: format = default; return false;
        }
    }
}
