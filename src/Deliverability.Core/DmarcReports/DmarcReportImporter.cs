using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Xml;
using Microsoft.Extensions.Options;
using Deliverability.Core.DmarcReports.Aggregate;
using Deliverability.Core.DmarcReports.Formats;
using Deliverability.Core.DmarcReports.Storage;
using Deliverability.Core.DmarcReports.TlsRpt;

namespace Deliverability.Core.DmarcReports;

/// <summary>
/// Finds the reports in an input (<see cref="ReportUnpacker"/>), parses each (DMARC aggregate XML or TLS-RPT JSON) and
/// stores it whole or not at all. What is wrong with one report is its invalid entry; the others are still imported.
/// </summary>
public sealed class DmarcReportImporter(IOptions<ReportLimits> limits, DmarcAggregateStore aggregates, TlsRptStore tlsReports) : IReportImporter
{
    private readonly ReportLimits _limits = limits.Value;

    public async Task<ImportResult> ImportAsync(Stream content, string origin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (content.CanSeek)
        {
            return new ImportResult(await new ReportUnpacker(_limits).UnpackAsync(content, (p, ct) => ImportPayloadAsync(p, origin, ct), cancellationToken).ConfigureAwait(false));
        }

        // The parser reads synchronously; a network stream (an upload's body) is spooled to a temporary file first, bounded.
        await using var spool = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            await new BoundedStream(content, _limits.MaxInputBytes, "the input", leaveOpen: true).CopyToAsync(spool, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidReportException ex)
        {
            return new ImportResult([Invalid(null, ex.Message)]);
        }

        spool.Position = 0;
        return new ImportResult(await new ReportUnpacker(_limits).UnpackAsync(spool, (p, ct) => ImportPayloadAsync(p, origin, ct), cancellationToken).ConfigureAwait(false));
    }

    private async Task<ImportedReport> ImportPayloadAsync(ReportPayload payload, string origin, CancellationToken cancellationToken)
    {
        var where = payload.Location.Length == 0 ? origin : $"{origin} ({payload.Location})";
        return payload.Format == InputFormat.Json
            ? await ImportTlsRptAsync(payload, where, cancellationToken).ConfigureAwait(false)
            : await ImportAggregateAsync(payload, where, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ImportedReport> ImportAggregateAsync(ReportPayload payload, string origin, CancellationToken cancellationToken)
    {
        await using var raw = new RawReportCapture(payload.Content, _limits.MaxStoredRawBytes);
        using var reader = new DmarcAggregateReader(new StraySchemaTagFilter(raw), _limits, payload.FromDomain);
        try
        {
            var header = reader.ReadHeader();
            return await aggregates.StoreAsync(reader, header, origin, raw, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (Reason(ex, payload) is { } reason)
        {
            return Invalid(reader.Header, reason, payload.Location);
        }
    }

    private async Task<IReadOnlyList<ImportedReport>> ImportTlsRptCoreAsync(ReportPayload payload, string origin, CancellationToken cancellationToken)
    {
        await using var bounded = new BoundedStream(payload.Content, _limits.MaxTlsRptBytes, "the TLS-RPT report", leaveOpen: true);
        await using var raw = new RawReportCapture(bounded, _limits.MaxStoredRawBytes);
        var report = await TlsRptParser.ParseAsync(raw, cancellationToken).ConfigureAwait(false);
        return await tlsReports.StoreAsync(report, origin, raw.CompressedCopy(), cancellationToken).ConfigureAwait(false);
    }

    private async Task<ImportedReport> ImportTlsRptAsync(ReportPayload payload, string origin, CancellationToken cancellationToken)
    {
        try
        {
            var stored = await ImportTlsRptCoreAsync(payload, origin, cancellationToken).ConfigureAwait(false);
            return stored.Count switch
            {
                0 => Invalid(null, "the TLS-RPT report has no policies", payload.Location),
                1 => stored[0],
                // One entry per policy domain is what the caller counts; a report for several domains is rare.
                _ => stored[0] with { Records = stored.Sum(s => s.Records), Messages = stored.Sum(s => s.Messages), DmarcPass = stored.Sum(s => s.DmarcPass),
                    PolicyDomain = string.Join(",", stored.Select(s => s.PolicyDomain)) },
            };
        }
        catch (Exception ex) when (Reason(ex, payload) is { } reason)
        {
            return Invalid(null, reason, payload.Location, ReportKind.TlsRpt);
        }
    }

    /// <summary>The one-line reason for a parse failure, or null for a failure that is not the report's fault (storage).</summary>
    private static string? Reason(Exception ex, ReportPayload payload) => ex switch
    {
        InvalidReportException when payload.Compressed && ex.Message.Contains("ends before", StringComparison.Ordinal) =>
            ex.Message + " (the compressed data may be cut short)",
        InvalidReportException when payload.Compressed && ex.Message.Contains("Unexpected end of file", StringComparison.Ordinal) =>
            ex.Message + " (the compressed data may be cut short)",
        InvalidReportException => ex.Message,
        InvalidDataException => $"the compressed data is damaged: {ex.Message}",
        XmlException => $"the XML is not well-formed: {ex.Message}",
        JsonException => $"the JSON is not well-formed: {ex.Message}",
        DecoderFallbackException => $"the report's text is not in the encoding it declares: {ex.Message}",
        _ => null,
    };

    private static ImportedReport Invalid(DmarcReportHeader? header, string reason, string location = "", ReportKind? kind = ReportKind.DmarcAggregate) => new(
        ImportStatus.Invalid, header is null && kind == ReportKind.DmarcAggregate ? null : kind, header?.OrgName, header?.ReportId, header?.PolicyDomain, header?.Begin, header?.End,
        0, 0, 0, 0, 0, location.Length == 0 ? reason : $"{location}: {reason}");
}
