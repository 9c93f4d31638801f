using System.IO.Compression;
using MimeKit;

namespace Deliverability.Core.DmarcReports.Formats;

/// <summary>
/// Finds the reports in an input by content, never by name: XML and JSON as they are, gzip and zip decompressed, e-mail
/// messages (RFC 5322, MIME) by their parts, nested up to <see cref="ReportLimits.MaxNesting"/>, every byte bounded.
/// Each report goes to the import callback; a broken container becomes an invalid entry with its reason, and the other
/// reports of the input are still imported.
/// </summary>
public sealed class ReportUnpacker(ReportLimits limits)
{
    public delegate Task<ImportedReport> ImportPayload(ReportPayload payload, CancellationToken cancellationToken);

    public async Task<IReadOnlyList<ImportedReport>> UnpackAsync(Stream input, ImportPayload import, CancellationToken cancellationToken)
    {
        var visit = new Visit(limits, import, new DecompressionBudget(limits.MaxTotalDecompressedBytes), cancellationToken);
        var bounded = new BoundedStream(input, limits.MaxInputBytes, "the input", leaveOpen: true);
        await visit.ContainerAsync(bounded, depth: 0, fromDomain: null, location: "", inEmail: false, compressed: false).ConfigureAwait(false);
        return visit.Results;
    }

    private sealed class Visit(ReportLimits limits, ImportPayload import, DecompressionBudget budget, CancellationToken cancellationToken)
    {
        public List<ImportedReport> Results { get; } = [];

        private bool Full => Results.Count >= limits.MaxReportsPerInput;

        /// <summary>Returns whether anything in <paramref name="stream"/> was taken as a report (imported, duplicate or invalid).</summary>
        public async Task<bool> ContainerAsync(Stream stream, int depth, string? fromDomain, string location, bool inEmail, bool compressed, string? mediaType = null)
        {
            if (Full)
            {
                Invalid(location, $"the input carries more than {limits.MaxReportsPerInput} reports: the rest are refused");
                return true;
            }

            try
            {
                var (format, content) = await PrefixedStream.DetectAsync(stream, leaveOpen: true, cancellationToken).ConfigureAwait(false);
                await using (content.ConfigureAwait(false))
                {
                    switch (format)
                    {
                        case InputFormat.Empty when inEmail:
                        case InputFormat.Unknown when inEmail:
                        case InputFormat.Xml when inEmail && mediaType == "text/html":
                            return false; // the human-readable part of a report e-mail
                        case InputFormat.Empty:
                            Invalid(location, "the input is empty: no report in it");
                            return true;
                        case InputFormat.Unknown:
                            Invalid(location, "not a DMARC or TLS-RPT report: the content is neither XML, JSON, gzip, zip nor an e-mail message");
                            return true;
                        case InputFormat.Xml or InputFormat.Json:
                            Results.Add(await import(new ReportPayload(format, content, fromDomain, location, compressed), cancellationToken).ConfigureAwait(false));
                            return true;
                    }

                    if (depth >= limits.MaxNesting)
                    {
                        Invalid(location, $"containers nested more than {limits.MaxNesting} deep: refused");
                        return true;
                    }

                    return format switch
                    {
                        InputFormat.Gzip => await GzipAsync(content, depth, fromDomain, location).ConfigureAwait(false),
                        InputFormat.Zip => await ZipAsync(content, depth, fromDomain, location).ConfigureAwait(false),
                        _ => await EmailAsync(content, depth, location).ConfigureAwait(false),
                    };
                }
            }
            catch (InvalidReportException ex)
            {
                Invalid(location, ex.Message);
                return true;
            }
            catch (InvalidDataException ex)
            {
                Invalid(location, $"the compressed data is damaged: {ex.Message}");
                return true;
            }
        }

        private async Task<bool> GzipAsync(Stream content, int depth, string? fromDomain, string location)
        {
            await using var gzip = new GZipStream(content, CompressionMode.Decompress, leaveOpen: true);
            await using var bounded = new BoundedStream(gzip, limits.MaxReportBytes, "the gzip data, decompressed,", budget, leaveOpen: true);
            return await ContainerAsync(bounded, depth + 1, fromDomain, location, inEmail: false, compressed: true).ConfigureAwait(false);
        }

        private async Task<bool> ZipAsync(Stream content, int depth, string? fromDomain, string location)
        {
            // The central directory is at the end: the archive is spooled to a temporary file (already bounded) first.
            await using var spool = await SpoolAsync(content).ConfigureAwait(false);
            ZipArchive archive;
            try
            {
                archive = new ZipArchive(spool, ZipArchiveMode.Read, leaveOpen: true);
            }
            catch (InvalidDataException ex)
            {
                Invalid(location, $"the zip archive is damaged: {ex.Message}");
                return true;
            }

            using (archive)
            {
                var files = archive.Entries.Where(e => !e.FullName.EndsWith('/')).ToList();
                if (files.Count > limits.MaxZipEntries)
                {
                    Invalid(location, $"the zip archive has {files.Count} entries, more than the {limits.MaxZipEntries} accepted: refused");
                    return true;
                }

                if (files.Count == 0)
                {
                    Invalid(location, "the zip archive is empty: no report in it");
                    return true;
                }

                foreach (var entry in files)
                {
                    var where = Join(location, $"zip entry '{Printable(entry.FullName)}'");
                    if (entry.Length > limits.MaxReportBytes)
                    {
                        Invalid(where, $"it decompresses to {BoundedStream.Bytes(entry.Length)}, more than {BoundedStream.Bytes(limits.MaxReportBytes)}: refused");
                        continue;
                    }

                    try
                    {
                        await using var opened = await entry.OpenAsync(cancellationToken).ConfigureAwait(false);
                        await using var bounded = new BoundedStream(opened, limits.MaxReportBytes, "the zip entry, decompressed,", budget, leaveOpen: true);
                        await ContainerAsync(bounded, depth + 1, fromDomain, where, inEmail: false, compressed: true).ConfigureAwait(false);
                    }
                    catch (InvalidDataException ex)
                    {
                        Invalid(where, $"the entry cannot be read: {ex.Message}");
                    }
                }
            }

            return true;
        }

        private async Task<bool> EmailAsync(Stream content, int depth, string location)
        {
            await using var spool = await SpoolAsync(content).ConfigureAwait(false);
            // Persistent: parts stay in the spooled file and are decoded as they are read, not loaded into memory.
            var message = await MimeMessage.LoadAsync(ParserOptions.Default, spool, persistent: true, cancellationToken).ConfigureAwait(false);
            var found = await EntitiesAsync(message, depth, location).ConfigureAwait(false);
            if (!found)
            {
                var parts = string.Join(", ", message.BodyParts.Select(p => p.ContentType.MimeType).Distinct().Take(10));
                Invalid(location, $"the e-mail carries no DMARC or TLS-RPT report (its parts: {Printable(parts)})");
            }

            return true;
        }

        private async Task<bool> EntitiesAsync(MimeMessage message, int depth, string location)
        {
            var fromDomain = message.From.Mailboxes.FirstOrDefault()?.Domain?.ToLowerInvariant();
            var found = false;
            var index = 0;
            foreach (var entity in message.BodyParts)
            {
                index++;
                var name = entity is MimePart { FileName: { Length: > 0 } file } ? $" ({Printable(file)})" : "";
                var where = Join(location, $"e-mail part {index}{name}");
                switch (entity)
                {
                    case MessagePart { Message: { } inner } when depth + 1 < limits.MaxNesting:
                        found |= await EntitiesAsync(inner, depth + 1, where).ConfigureAwait(false);
                        break;
                    case MimePart { Content: { } body } part:
                        await using (var decoded = body.Open())
                        {
                            found |= await ContainerAsync(decoded, depth + 1, fromDomain, where, inEmail: true, compressed: false, part.ContentType.MimeType.ToLowerInvariant()).ConfigureAwait(false);
                        }

                        break;
                }
            }

            return found;
        }

        private async Task<FileStream> SpoolAsync(Stream content)
        {
            var spool = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
            try
            {
                await content.CopyToAsync(spool, cancellationToken).ConfigureAwait(false);
                spool.Position = 0;
                return spool;
            }
            catch
            {
                await spool.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        private void Invalid(string location, string reason) =>
            Results.Add(new ImportedReport(ImportStatus.Invalid, null, null, null, null, null, null, 0, 0, 0, 0, 0, Join(location, reason, ": ")));

        private static string Join(string location, string what, string separator = ", ") => location.Length == 0 ? what : location + separator + what;

        private static string Printable(string text)
        {
            var clean = new string([.. text.Where(c => !char.IsControl(c))]);
            return clean.Length <= 100 ? clean : clean[..100] + "...";
        }
    }
}
