using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Deliverability.Core.Audits;

namespace Deliverability.Cli;

/// <summary>
/// The <c>--json</c> form of an audit: one object, camelCase names, enums as lower-case strings. Written field by field
/// with a <see cref="Utf8JsonWriter"/> rather than through the reflection-based serializer: a bulk audit prints one such
/// object per domain, and the serializer's first use (about a quarter of a second) and its copies per line cost the CLI
/// more than any other part of its output.
/// </summary>
public static class AuditReportJson
{
    // A terminal or a pipe reads this, not a web page: keep quotes and apostrophes readable.
    private static readonly JsonWriterOptions IndentedOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = true };

    // NDJSON (LineWriter): the same object on one line per domain.
    private static readonly JsonWriterOptions LineOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly JsonEncodedText DomainName = JsonEncodedText.Encode("domain");
    private static readonly JsonEncodedText CheckedAtName = JsonEncodedText.Encode("checkedAt");
    private static readonly JsonEncodedText StatusName = JsonEncodedText.Encode("status");
    private static readonly JsonEncodedText ExitCodeName = JsonEncodedText.Encode("exitCode");
    private static readonly JsonEncodedText ChecksName = JsonEncodedText.Encode("checks");
    private static readonly JsonEncodedText CheckName = JsonEncodedText.Encode("check");
    private static readonly JsonEncodedText RecordsName = JsonEncodedText.Encode("records");
    private static readonly JsonEncodedText FindingsName = JsonEncodedText.Encode("findings");
    private static readonly JsonEncodedText CodeName = JsonEncodedText.Encode("code");
    private static readonly JsonEncodedText SeverityName = JsonEncodedText.Encode("severity");
    private static readonly JsonEncodedText MessageName = JsonEncodedText.Encode("message");
    private static readonly JsonEncodedText FixName = JsonEncodedText.Encode("fix");
    private static readonly JsonEncodedText SubjectName = JsonEncodedText.Encode("subject");

    // What JsonStringEnumConverter with the camelCase policy writes for each value.
    private static readonly JsonEncodedText[] CheckStatusNames = EnumNames<CheckStatus>();
    private static readonly JsonEncodedText[] SeverityNames = EnumNames<Severity>();

    public static string Serialize(DomainAuditReport report)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer, IndentedOptions))
        {
            Write(writer, report);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void Write(Utf8JsonWriter writer, DomainAuditReport report)
    {
        writer.WriteStartObject();
        WriteString(writer, DomainName, report.Domain);
        writer.WriteString(CheckedAtName, report.CheckedAt);
        WriteEnum(writer, StatusName, CheckStatusNames, (int)report.Status);
        writer.WriteNumber(ExitCodeName, report.ExitCode);
        writer.WriteStartArray(ChecksName);
        foreach (var check in report.Checks)
        {
            writer.WriteStartObject();
            WriteString(writer, CheckName, check.Check);
            WriteEnum(writer, StatusName, CheckStatusNames, (int)check.Status);
            writer.WriteStartArray(RecordsName);
            foreach (var record in check.Records)
            {
                writer.WriteStringValue(record);
            }

            writer.WriteEndArray();
            writer.WriteStartArray(FindingsName);
            foreach (var finding in check.Findings)
            {
                writer.WriteStartObject();
                WriteString(writer, CodeName, finding.Code);
                WriteEnum(writer, SeverityName, SeverityNames, (int)finding.Severity);
                WriteString(writer, MessageName, finding.Message);
                WriteString(writer, FixName, finding.Fix);
                WriteString(writer, SubjectName, finding.Subject);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    // A null string is written as null, as the serializer does.
    private static void WriteString(Utf8JsonWriter writer, JsonEncodedText name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    // A value without a name is written as its number, as JsonStringEnumConverter does.
    private static void WriteEnum(Utf8JsonWriter writer, JsonEncodedText name, JsonEncodedText[] names, int value)
    {
        if ((uint)value < (uint)names.Length)
        {
            writer.WriteString(name, names[value]);
        }
        else
        {
            writer.WriteNumber(name, value);
        }
    }

    private static JsonEncodedText[] EnumNames<T>()
        where T : struct, Enum
    {
        var values = Enum.GetValues<T>();
        var names = new JsonEncodedText[values.Length];
        foreach (var value in values)
        {
            var index = Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture);
            names[index] = JsonEncodedText.Encode(JsonNamingPolicy.CamelCase.ConvertName(value.ToString()));
        }

        return names;
    }

    /// <summary>
    /// Writes reports as NDJSON lines to a text writer, reusing one UTF-8 buffer, one JSON writer and one character
    /// buffer for every line: no string and no intermediate objects per domain.
    /// </summary>
    public sealed class LineWriter(TextWriter output) : IDisposable
    {
        private readonly ArrayBufferWriter<byte> _utf8 = new(8 * 1024);
        private readonly Utf8JsonWriter _json = new(Stream.Null, LineOptions);
        private char[] _chars = new char[8 * 1024];

        public async Task WriteAsync(DomainAuditReport report)
        {
            _utf8.ResetWrittenCount();
            _json.Reset(_utf8);
            Write(_json, report);
            _json.Flush();
            var needed = Encoding.UTF8.GetMaxCharCount(_utf8.WrittenCount);
            if (_chars.Length < needed)
            {
                _chars = new char[needed];
            }

            var count = Encoding.UTF8.GetChars(_utf8.WrittenSpan, _chars);
            await output.WriteLineAsync(_chars.AsMemory(0, count));
        }

        public void Dispose() => _json.Dispose();
    }
}
