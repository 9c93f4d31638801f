using System.Globalization;
using System.Net;
using System.Text;
using System.Xml;

namespace Deliverability.Core.DmarcReports.Aggregate;

/// <summary>
/// Reads a DMARC aggregate report (RFC 7489 Appendix C, RFC 9990) forward-only: <see cref="ReadHeader"/> first, then
/// <see cref="TryReadRecord"/> until it returns false. Memory stays bounded whatever the report's size: one record at a
/// time, every text value capped. Lenient where receivers are sloppy (any namespace or none, upper-case words, elements
/// we do not know, bytes after the root element), strict where it is dangerous: no DTD, so no entity expansion and no
/// external entity; a malformed or incomplete report throws <see cref="InvalidReportException"/> with the reason.
/// </summary>
public sealed class DmarcAggregateReader : IDisposable
{
    public const string Dmarc2Namespace = "urn:ietf:params:xml:ns:dmarc-2.0";

    /// <summary>The largest count a record may claim (more messages than all mail sent in a day is a broken report).</summary>
    public const long MaxRecordCount = 1_000_000_000_000;

    private readonly XmlReader _reader;
    private readonly ReportLimits _limits;
    private readonly string? _fallbackOrgDomain;
    private bool _atEnd;
    private int _records;

    static DmarcAggregateReader()
    {
        // Receivers declare windows-1252 and other legacy encodings; .NET knows only the Unicode ones without this.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

    /// <param name="xml">The decompressed report.</param>
    /// <param name="fallbackOrgDomain">Names the reporter when <c>org_name</c> and <c>email</c> are empty: the From domain of the e-mail that carried it.</param>
    public DmarcAggregateReader(Stream xml, ReportLimits limits, string? fallbackOrgDomain = null)
    {
        _limits = limits;
        _fallbackOrgDomain = fallbackOrgDomain;
        _reader = XmlReader.Create(xml, Settings);
    }

    /// <summary>No DTD (refused, not ignored: a report with one is not what a receiver sends), no resolver, no closing of the stream.</summary>
    public static XmlReaderSettings Settings { get; } = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersFromEntities = 1024,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = true,
        // A control character in a name is shown escaped, not a reason to lose the report.
        CheckCharacters = false,
        CloseInput = false,
    };

    public DmarcReportHeader? Header { get; private set; }

    /// <summary>Reads up to the first record: the metadata and the published policy.</summary>
    public DmarcReportHeader ReadHeader() => Guard(ReadHeaderCore);

    /// <summary>The next record, or false after the last one.</summary>
    public bool TryReadRecord(out DmarcRecord record)
    {
        var next = Guard(ReadRecordCore);
        record = next!;
        return next is not null;
    }

    private T Guard<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (XmlException ex) when (ex.Message.Contains("DTD", StringComparison.Ordinal))
        {
            throw new InvalidReportException("the report declares a DTD (<!DOCTYPE>): refused, since entities could expand without bound or read local files");
        }
        catch (XmlException ex)
        {
            throw new InvalidReportException($"the XML is not well-formed: {ex.Message}");
        }
    }

    private DmarcReportHeader ReadHeaderCore()
    {
        if (_reader.MoveToContent() != XmlNodeType.Element)
        {
            throw new InvalidReportException("the XML has no root element");
        }

        if (_reader.LocalName != "feedback")
        {
            throw new InvalidReportException($"the root element is <{Short(_reader.Name)}>, not <feedback>: not a DMARC aggregate report");
        }

        var schema = _reader.NamespaceURI switch
        {
            "" => "none",
            Dmarc2Namespace => "dmarc-2.0",
            var other => Short(other),
        };
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var policy = new Dictionary<string, string>(StringComparer.Ordinal);
        var errors = new List<string>();
        string? begin = null, end = null;

        if (_reader.IsEmptyElement)
        {
            throw new InvalidReportException("<feedback> is empty: no report_metadata");
        }

        _reader.Read();
        while (!_reader.EOF)
        {
            if (_reader.NodeType == XmlNodeType.EndElement && _reader.Depth == 0)
            {
                _atEnd = true;
                break;
            }

            if (_reader.NodeType != XmlNodeType.Element)
            {
                _reader.Read();
                continue;
            }

            if (_reader.LocalName == "record")
            {
                break;
            }

            switch (_reader.LocalName)
            {
                case "report_metadata":
                    XmlElements.ForEachChild(_reader, child =>
                    {
                        switch (child)
                        {
                            case "date_range":
                                XmlElements.ForEachChild(_reader, part =>
                                {
                                    switch (part)
                                    {
                                        case "begin": begin = Text(); break;
                                        case "end": end = Text(); break;
                                        default: _reader.Skip(); break;
                                    }
                                });
                                break;
                            case "error":
                                if (errors.Count < 100)
                                {
                                    errors.Add(Text());
                                }
                                else
                                {
                                    _reader.Skip();
                                }

                                break;
                            case "org_name" or "email" or "extra_contact_info" or "report_id" or "generator":
                                metadata[child] = Text();
                                break;
                            default:
                                _reader.Skip();
                                break;
                        }
                    });
                    break;
                case "policy_published":
                    XmlElements.ForEachChild(_reader, child =>
                    {
                        if (child is "domain" or "adkim" or "aspf" or "p" or "sp" or "np" or "pct" or "fo" or "testing" or "discovery_method")
                        {
                            policy[child] = Text();
                        }
                        else
                        {
                            _reader.Skip();
                        }
                    });
                    break;
                default:
                    // version, extension, a stray schema element: nothing we store.
                    _reader.Skip();
                    break;
            }
        }

        if (_reader.EOF && !_atEnd)
        {
            throw new InvalidReportException("the XML ends before </feedback>: the report is truncated");
        }

        Header = BuildHeader(schema, metadata, policy, errors, begin, end);
        return Header;
    }

    private DmarcReportHeader BuildHeader(string schema, Dictionary<string, string> metadata, Dictionary<string, string> policy, List<string> errors, string? begin, string? end)
    {
        if (metadata.Count == 0 && policy.Count == 0)
        {
            throw new InvalidReportException("<feedback> has no report_metadata and no policy_published: not a DMARC aggregate report");
        }

        var reportId = metadata.GetValueOrDefault("report_id");
        if (string.IsNullOrEmpty(reportId))
        {
            throw new InvalidReportException("report_metadata has no report_id");
        }

        var email = NullIfEmpty(metadata.GetValueOrDefault("email"));
        var org = NullIfEmpty(metadata.GetValueOrDefault("org_name"))
            ?? DomainOf(email)
            ?? _fallbackOrgDomain
            ?? throw new InvalidReportException("report_metadata has an empty org_name and no e-mail address to name the reporter by");
        var domain = NullIfEmpty(policy.GetValueOrDefault("domain"))?.TrimEnd('.').ToLowerInvariant()
            ?? throw new InvalidReportException("policy_published has no domain");
        if (domain.Length > 253)
        {
            throw new InvalidReportException("policy_published's domain is longer than 253 characters");
        }

        if (org.Length > ReportLimits.MaxKeyLength || reportId.Length > ReportLimits.MaxKeyLength)
        {
            throw new InvalidReportException($"org_name or report_id is longer than {ReportLimits.MaxKeyLength} characters");
        }

        var from = UnixTime(begin, "begin");
        var to = UnixTime(end, "end");
        if (to < from)
        {
            throw new InvalidReportException($"date_range ends ({to:u}) before it begins ({from:u})");
        }

        if (to - from > TimeSpan.FromDays(_limits.MaxIntervalDays))
        {
            throw new InvalidReportException($"date_range covers {(to - from).TotalDays:0.#} days, more than the {_limits.MaxIntervalDays} accepted");
        }

        int? pct = null;
        if (NullIfEmpty(policy.GetValueOrDefault("pct")) is { } pctText)
        {
            pct = int.TryParse(pctText, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value <= 100
                ? value
                : throw new InvalidReportException($"policy_published pct '{Short(pctText)}' is not a percentage");
        }

        var published = new PublishedPolicy(Word(policy, "p"), Word(policy, "sp"), Word(policy, "np"), Word(policy, "adkim"), Word(policy, "aspf"),
            pct, Word(policy, "testing"), Word(policy, "discovery_method"), Word(policy, "fo"));
        return new DmarcReportHeader(org, reportId, domain, from, to, email, schema, published, NullIfEmpty(metadata.GetValueOrDefault("generator")), errors);
    }

    private DmarcRecord? ReadRecordCore()
    {
        if (Header is null)
        {
            throw new InvalidOperationException("ReadHeader first.");
        }

        while (!_atEnd)
        {
            if (_reader.EOF)
            {
                throw new InvalidReportException("the XML ends before </feedback>: the report is truncated");
            }

            if (_reader.NodeType == XmlNodeType.EndElement && _reader.Depth == 0)
            {
                // Stop here: bytes after the root element (seen from some receivers) are never read.
                _atEnd = true;
                break;
            }

            if (_reader.NodeType == XmlNodeType.Element && _reader.LocalName == "record")
            {
                if (++_records > _limits.MaxRecords)
                {
                    throw new InvalidReportException($"the report has more than {_limits.MaxRecords} records: refused");
                }

                return ReadRecord();
            }

            if (_reader.NodeType == XmlNodeType.Element)
            {
                _reader.Skip(); // an extension, or an element we do not know
            }
            else
            {
                _reader.Read();
            }
        }

        return null;
    }

    private DmarcRecord ReadRecord()
    {
        string? ip = null, count = null, disposition = null, dkim = null, spf = null, headerFrom = null, envelopeFrom = null, envelopeTo = null;
        var reasons = new List<PolicyOverrideReason>();
        var dkimResults = new List<DkimAuthResult>();
        var spfResults = new List<SpfAuthResult>();
        XmlElements.ForEachChild(_reader, part =>
        {
            switch (part)
            {
                case "row":
                    XmlElements.ForEachChild(_reader, field =>
                    {
                        switch (field)
                        {
                            case "source_ip": ip = Text(); break;
                            case "count": count = Text(); break;
                            case "policy_evaluated":
                                XmlElements.ForEachChild(_reader, evaluated =>
                                {
                                    switch (evaluated)
                                    {
                                        case "disposition": disposition = LowerText(); break;
                                        case "dkim": dkim = LowerText(); break;
                                        case "spf": spf = LowerText(); break;
                                        case "reason":
                                            string? type = null, comment = null;
                                            XmlElements.ForEachChild(_reader, r =>
                                            {
                                                switch (r)
                                                {
                                                    case "type": type = LowerText(); break;
                                                    case "comment": comment = NullIfEmpty(Text()); break;
                                                    default: _reader.Skip(); break;
                                                }
                                            });
                                            if (type is not null && reasons.Count < 100)
                                            {
                                                reasons.Add(new PolicyOverrideReason(type, comment));
                                            }

                                            break;
                                        default: _reader.Skip(); break;
                                    }
                                });
                                break;
                            default: _reader.Skip(); break;
                        }
                    });
                    break;
                case "identifiers":
                    XmlElements.ForEachChild(_reader, field =>
                    {
                        switch (field)
                        {
                            case "header_from": headerFrom = LowerText(); break;
                            case "envelope_from": envelopeFrom = LowerText(); break;
                            case "envelope_to": envelopeTo = LowerText(); break;
                            default: _reader.Skip(); break;
                        }
                    });
                    break;
                case "auth_results":
                    XmlElements.ForEachChild(_reader, method =>
                    {
                        if (method is not ("dkim" or "spf") || dkimResults.Count + spfResults.Count >= 100)
                        {
                            _reader.Skip();
                            return;
                        }

                        string? domain = null, selectorOrScope = null, result = null, human = null;
                        XmlElements.ForEachChild(_reader, field =>
                        {
                            switch (field)
                            {
                                case "domain": domain = LowerText(); break;
                                case "selector" or "scope": selectorOrScope = NullIfEmpty(Text()); break;
                                case "result": result = LowerText(); break;
                                case "human_result": human = NullIfEmpty(Text()); break;
                                default: _reader.Skip(); break;
                            }
                        });
                        if (method == "dkim")
                        {
                            dkimResults.Add(new DkimAuthResult(domain, selectorOrScope, result, human));
                        }
                        else
                        {
                            spfResults.Add(new SpfAuthResult(domain, selectorOrScope?.ToLowerInvariant(), result, human));
                        }
                    });
                    break;
                default:
                    _reader.Skip(); // extensions
                    break;
            }
        });

        var number = _records;
        if (string.IsNullOrEmpty(ip) || !IPAddress.TryParse(ip, out var address) || !LooksLikeIp(ip))
        {
            throw new InvalidReportException($"record {number}: source_ip '{Short(ip ?? "")}' is not an IP address");
        }

        if (!long.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var messages) || messages > MaxRecordCount)
        {
            throw new InvalidReportException($"record {number}: count '{Short(count ?? "")}' is not a number of messages");
        }

        return new DmarcRecord(address.ToString(), messages, NullIfEmpty(disposition), NullIfEmpty(dkim), NullIfEmpty(spf), reasons,
            NullIfEmpty(headerFrom), NullIfEmpty(envelopeFrom), NullIfEmpty(envelopeTo), dkimResults, spfResults);
    }

    // IPAddress.TryParse takes "1" or "1.2" as IPv4; a report's address is dotted-quad or IPv6.
    private static bool LooksLikeIp(string text) => text.Contains(':', StringComparison.Ordinal) || text.Count(c => c == '.') == 3;

    private string Text() => XmlElements.ReadText(_reader, ReportLimits.MaxValueLength);

    private string LowerText() => Text().ToLowerInvariant();

    private static string? Word(Dictionary<string, string> values, string key) => NullIfEmpty(values.GetValueOrDefault(key))?.ToLowerInvariant() is { } word
        ? word.Length <= 64 ? word : throw new InvalidReportException($"policy_published {key} is longer than 64 characters")
        : null;

    private static DateTimeOffset UnixTime(string? text, string name)
    {
        // Seconds since the epoch, UTC by definition: never read through the host's time zone. Some write "1700000000.0".
        if (string.IsNullOrEmpty(text) || !decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds)
            || seconds > 253_402_300_799m)
        {
            throw new InvalidReportException($"date_range {name} '{Short(text ?? "")}' is not a Unix time");
        }

        return DateTimeOffset.FromUnixTimeSeconds((long)decimal.Truncate(seconds));
    }

    private static string? DomainOf(string? email)
    {
        var at = email?.LastIndexOf('@') ?? -1;
        return at > 0 && at < email!.Length - 1 ? email[(at + 1)..].Trim().TrimEnd('>').ToLowerInvariant() : null;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static string Short(string value) => value.Length <= 64 ? value : value[..64] + "...";

    public void Dispose() => _reader.Dispose();
}
