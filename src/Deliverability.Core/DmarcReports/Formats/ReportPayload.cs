namespace Deliverability.Core.DmarcReports.Formats;

/// <summary>One report found in an input, decompressed and bounded, ready to parse.</summary>
/// <param name="Format"><see cref="InputFormat.Xml"/> (a DMARC aggregate report) or <see cref="InputFormat.Json"/> (TLS-RPT).</param>
/// <param name="Content">The report's bytes, read once.</param>
/// <param name="FromDomain">The From domain of the e-mail that carried it: names the reporter when the report does not.</param>
/// <param name="Location">Where in the input it was (<c>zip entry 'a.xml'</c>), empty for the input itself.</param>
/// <param name="Compressed">It came out of gzip or zip data (a truncated stream shows as an early end).</param>
public sealed record ReportPayload(InputFormat Format, Stream Content, string? FromDomain, string Location, bool Compressed);
