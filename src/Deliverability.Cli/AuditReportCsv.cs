using System.Text;
using Deliverability.Core.Audits;

namespace Deliverability.Cli;

/// <summary>
/// The <c>--csv</c> form of audits: a header, then one row per finding (RFC 4180: fields quoted when they hold a comma,
/// a quote or a line break, quotes doubled, rows ended by CRLF). A domain without findings still gets one row. Control
/// characters inside a field (DNS text) are escaped as on the terminal; the CRLF that ends a row is the format's own.
/// </summary>
public static class AuditReportCsv
{
    public const string Header = "domain,status,check,check_status,severity,code,subject,message,fix";

    // Rows are written beneath the terminal escaping: their fields are escaped one by one, so the row ends stay CRLF.
    public static async Task WriteHeaderAsync(TextWriter output) => await TerminalSafeWriter.Beneath(output).WriteAsync(Header + "\r\n").ConfigureAwait(false);

    public static async Task WriteRowsAsync(DomainAuditReport report, TextWriter output)
    {
        var rows = new StringBuilder();
        var any = false;
        foreach (var check in report.Checks)
        {
            foreach (var finding in check.Findings)
            {
                Row(rows, report.Domain, Word(report.Status), check.Check, Word(check.Status), finding.Severity.ToString().ToLowerInvariant(), finding.Code, finding.Subject ?? "", finding.Message, finding.Fix);
                any = true;
            }
        }

        if (!any)
        {
            Row(rows, report.Domain, Word(report.Status), "", "", "", "", "", "", "");
        }

        await TerminalSafeWriter.Beneath(output).WriteAsync(rows.ToString()).ConfigureAwait(false);
    }

    /// <summary>One field as RFC 4180 writes it; a leading = + - @ is prefixed with ' so a spreadsheet never runs DNS text as a formula.</summary>
    public static string Field(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@')
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    private static void Row(StringBuilder rows, params string[] fields)
    {
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0)
            {
                rows.Append(',');
            }

            rows.Append(Field(TerminalText.Escape(fields[i])));
        }

        rows.Append("\r\n");
    }

    private static string Word(CheckStatus status) => status.ToString().ToLowerInvariant();
}
