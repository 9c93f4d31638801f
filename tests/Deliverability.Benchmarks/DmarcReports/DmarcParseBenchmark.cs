using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Options;
using Deliverability.Core.DmarcReports;
using Deliverability.Core.DmarcReports.Aggregate;
using Deliverability.Core.DmarcReports.Formats;
using Deliverability.Core.DmarcReports.Storage;
using Deliverability.Core.Storage;

namespace Deliverability.Benchmarks.DmarcReports;

/// <summary>
/// The DMARC aggregate parser against a bare <see cref="XmlReader"/> reading the same bytes in the same run (MB/s and
/// the ratio), then the peak memory of importing a generated report of <c>--import-mb</c> (500 MB by default) into a
/// SQLite file through the whole importer. The reports are generated into temporary files and deleted after.
/// </summary>
public static class DmarcParseBenchmark
{
    public static async Task<int> RunAsync(int parseMegabytes, int importMegabytes, int rounds, string outputPath, TextWriter output, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("monitor-dmarc-bench-").FullName;
        try
        {
            var parseFile = Path.Combine(folder, "parse.xml");
            var (parseRecords, parseMessages) = Generate(parseFile, parseMegabytes * 1024L * 1024);
            var bytes = new FileInfo(parseFile).Length;
            await output.WriteLineAsync($"parse: {bytes / 1e6:0.0} MB, {parseRecords} records; {rounds} rounds of bare XmlReader then the DMARC parser");

            // Warm-up (JIT, page cache) outside the measure.
            BareRead(parseFile);
            Parse(parseFile, parseRecords, parseMessages);
            var bare = new List<double>();
            var parser = new List<double>();
            for (var round = 0; round < rounds; round++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                bare.Add(BareRead(parseFile));
                parser.Add(Parse(parseFile, parseRecords, parseMessages));
            }

            var bareRate = bytes / 1e6 / Median(bare);
            var parseRate = bytes / 1e6 / Median(parser);
            await output.WriteLineAsync($"  bare XmlReader   {bareRate,8:0.0} MB/s");
            await output.WriteLineAsync($"  DMARC parser     {parseRate,8:0.0} MB/s   ratio {parseRate / bareRate:0.00} of bare");
            File.Delete(parseFile);

            var importFile = Path.Combine(folder, "import.xml");
            var (importRecords, importMessages) = Generate(importFile, importMegabytes * 1024L * 1024);
            var importBytes = new FileInfo(importFile).Length;
            await output.WriteLineAsync($"import: {importBytes / 1e6:0.0} MB, {importRecords} records into SQLite, one transaction");
            GC.Collect();
            ProcessPeak.StartPhase();
            var baseline = ProcessPeak.PhaseBytes;
            var contexts = new PooledDbContextFactory<MonitorDbContext>((DbContextOptions<MonitorDbContext>)MonitorDbContext
                .Configure(new DbContextOptionsBuilder<MonitorDbContext>(), StorageProvider.Sqlite, $"Data Source={Path.Combine(folder, "monitor.db")}").Options);
            await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
            {
                await MonitorDatabase.EnsureSchemaAsync(db, cancellationToken);
            }

            var importer = new DmarcReportImporter(Options.Create(new ReportLimits()), new DmarcAggregateStore(contexts, TimeProvider.System), new TlsRptStore(contexts, TimeProvider.System));
            var clock = Stopwatch.StartNew();
            ImportResult result;
            await using (var file = File.OpenRead(importFile))
            {
                result = await importer.ImportAsync(file, importFile, cancellationToken);
            }

            clock.Stop();
            var peak = ProcessPeak.PhaseBytes;
            var report = Assert(result, importRecords, importMessages);
            await output.WriteLineAsync($"  {clock.Elapsed.TotalSeconds:0.0} s ({importBytes / 1e6 / clock.Elapsed.TotalSeconds:0.0} MB/s, {report.Records / clock.Elapsed.TotalSeconds:0} records/s), "
                + $"peak RSS {peak / 1e6:0} MB (before: {baseline / 1e6:0} MB), {report.Messages} messages stored");

            var results = new
            {
                At = DateTimeOffset.UtcNow,
                Parse = new { Bytes = bytes, Records = parseRecords, Rounds = rounds, BareXmlReaderMBps = bareRate, ParserMBps = parseRate, RatioToBare = parseRate / bareRate },
                Import = new { Bytes = importBytes, Records = importRecords, Seconds = clock.Elapsed.TotalSeconds, MBps = importBytes / 1e6 / clock.Elapsed.TotalSeconds, PeakResidentBytes = peak, ResidentBeforeBytes = baseline },
            };
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outputPath))!);
            await File.WriteAllTextAsync(outputPath, JsonSerializer.Serialize(results, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }), cancellationToken);
            await output.WriteLineAsync($"results: {outputPath}");
            return 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static ImportedReport Assert(ImportResult result, long records, long messages)
    {
        var report = result.Reports.Single();
        if (report.Status != ImportStatus.Imported || report.Records != records || report.Messages != messages)
        {
            throw new InvalidOperationException($"the import gave {report.Status} {report.Records} records {report.Messages} messages ({report.Reason}), expected {records} and {messages}");
        }

        return report;
    }

    /// <summary>Seconds for a bare XmlReader (the parser's settings) to read every node of the file.</summary>
    private static double BareRead(string file)
    {
        var clock = Stopwatch.StartNew();
        using var stream = File.OpenRead(file);
        using var reader = XmlReader.Create(stream, DmarcAggregateReader.Settings);
        long nodes = 0;
        while (reader.Read())
        {
            nodes++;
        }

        GC.KeepAlive(nodes);
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>Seconds for the DMARC parser (as the importer sets it up, schema filter included) to read every record.</summary>
    private static double Parse(string file, long records, long messages)
    {
        var clock = Stopwatch.StartNew();
        using var stream = File.OpenRead(file);
        using var reader = new DmarcAggregateReader(new StraySchemaTagFilter(stream), new ReportLimits());
        reader.ReadHeader();
        long count = 0, sum = 0;
        while (reader.TryReadRecord(out var record))
        {
            count++;
            sum += record.Count;
        }

        if (count != records || sum != messages)
        {
            throw new InvalidOperationException($"the parser read {count} records and {sum} messages, expected {records} and {messages}");
        }

        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>Writes a one-day report of about <paramref name="targetBytes"/> with records from varied sources and results.</summary>
    private static (long Records, long Messages) Generate(string file, long targetBytes)
    {
        using var writer = new StreamWriter(file, false, new UTF8Encoding(false), 1 << 16);
        writer.Write("""
            <?xml version="1.0" encoding="UTF-8"?>
            <feedback xmlns="urn:ietf:params:xml:ns:dmarc-2.0">
              <version>1.0</version>
              <report_metadata>
                <org_name>google.com</org_name>
                <email>noreply-dmarc-support@google.com</email>
                <report_id>benchmark-1</report_id>
                <date_range><begin>1795651200</begin><end>1795737599</end></date_range>
              </report_metadata>
              <policy_published><domain>shop.example</domain><adkim>r</adkim><aspf>r</aspf><p>none</p><sp>none</sp><np>none</np><testing>n</testing></policy_published>

            """);
        long records = 0, messages = 0;
        var random = new Random(42);
        while (writer.BaseStream.Position < targetBytes)
        {
            var count = random.Next(1, 500);
            var pass = random.Next(10) < 8 ? "pass" : "fail";
            var spf = random.Next(10) < 7 ? "pass" : "fail";
            writer.Write(string.Create(CultureInfo.InvariantCulture, $"""
                  <record>
                    <row>
                      <source_ip>10.{records >> 16 & 255}.{records >> 8 & 255}.{records & 255}</source_ip>
                      <count>{count}</count>
                      <policy_evaluated>
                        <disposition>none</disposition>
                        <dkim>{pass}</dkim>
                        <spf>{spf}</spf>
                      </policy_evaluated>
                    </row>
                    <identifiers>
                      <envelope_from>bounce.shop.example</envelope_from>
                      <header_from>shop.example</header_from>
                    </identifiers>
                    <auth_results>
                      <dkim>
                        <domain>shop.example</domain>
                        <selector>s1</selector>
                        <result>{pass}</result>
                      </dkim>
                      <spf>
                        <domain>bounce.shop.example</domain>
                        <scope>mfrom</scope>
                        <result>{spf}</result>
                      </spf>
                    </auth_results>
                  </record>

                """));
            records++;
            messages += count;
        }

        writer.Write("</feedback>\n");
        return (records, messages);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
