using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;
using Deliverability.Core.DmarcReports;
using Deliverability.Core.DmarcReports.Mailbox;
using Deliverability.Core.DmarcReports.Storage;
using Deliverability.Core.Storage;
using Deliverability.Testing.Mail;

namespace Deliverability.Benchmarks.DmarcReports;

/// <summary>
/// N report e-mails in a private Dovecot mailbox on 127.0.0.1, imported by <see cref="ReportMailboxWatcher"/> with the
/// product's importer (each message fetched, parsed, its report committed to SQLite with its records and daily sums,
/// recorded in the input list, then moved to Archive/Aggregate) against the same run's baseline: one IMAP client
/// fetching the same N messages without importing or moving. Peak resident memory is measured over the import.
/// Checks at the end that every message was moved and every report stored once: none lost.
/// </summary>
public static class MailboxIngestBenchmark
{
    private const string User = "dmarc";
    private const string Password = "bench-secret";

    public static async Task<int> RunAsync(int reports, string output, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(Path.GetTempPath(), "monitor-dmarc-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        await using var imap = await TestImapServer.StartAsync([(User, Password)], cancellationToken: cancellationToken);
        try
        {
            await imap.DropIntoMaildirAsync(User, "INBOX", Enumerable.Range(1, reports).Select(Message), cancellationToken);

            var fetch = Stopwatch.StartNew();
            var fetched = await FetchAllAsync(imap, cancellationToken);
            fetch.Stop();

            var options = MonitorDbContext.Configure(new DbContextOptionsBuilder<MonitorDbContext>(), StorageProvider.Sqlite, $"Data Source={Path.Combine(folder, "monitor.db")}").Options;
            var contexts = new PooledDbContextFactory<MonitorDbContext>((DbContextOptions<MonitorDbContext>)options);
            await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
            {
                await MonitorDatabase.EnsureSchemaAsync(db, cancellationToken);
            }

            var importer = new DmarcReportImporter(Options.Create(new ReportLimits()), new DmarcAggregateStore(contexts, TimeProvider.System), new TlsRptStore(contexts, TimeProvider.System));
            var mailbox = new ReportMailboxOptions { Name = "bench", Host = imap.Host, Port = imap.Port, Security = "none", User = User, Password = Password };
            ProcessPeak.StartPhase();
            var residentBefore = ProcessPeak.PhaseBytes;
            var ingest = Stopwatch.StartNew();
            MailboxPass pass;
            await using (var watcher = new ReportMailboxWatcher(mailbox, new DmarcIngestOptions(), importer, new ReportInputLog(contexts, TimeProvider.System), TimeProvider.System, NullLogger.Instance))
            {
                pass = await watcher.ReadOnceAsync(cancellationToken);
            }

            ingest.Stop();
            var peak = ProcessPeak.PhaseBytes;
            var archived = imap.MessageCount(User, "Archive/Aggregate");
            var left = imap.MessageCount(User, "INBOX");
            var lost = reports - archived - left;
            int stored, duplicates;
            await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
            {
                stored = await db.Set<DmarcReportRow>().CountAsync(cancellationToken);
                duplicates = await db.Set<DmarcReportDuplicateRow>().CountAsync(cancellationToken);
            }

            var result = new
            {
                reports,
                baselineFetchSeconds = fetch.Elapsed.TotalSeconds,
                baselineMessagesPerSecond = fetched / fetch.Elapsed.TotalSeconds,
                ingestSeconds = ingest.Elapsed.TotalSeconds,
                ingestReportsPerSecond = pass.Archived / ingest.Elapsed.TotalSeconds,
                ingestOverFetchRatio = ingest.Elapsed.TotalSeconds / fetch.Elapsed.TotalSeconds,
                peakResidentBytes = peak,
                residentBeforeBytes = residentBefore,
                archived,
                leftInInbox = left,
                lost,
                reportsStored = stored,
                duplicates,
            };
            var json = JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true });
            await File.WriteAllTextAsync(output, json, cancellationToken);
            Console.WriteLine(json);
            var ok = archived == reports && left == 0 && lost == 0 && stored == reports && duplicates == 0;
            Console.WriteLine(ok ? "OK: every message moved to Archive/Aggregate after its report was stored, none lost" : "FAILED: messages not moved, reports not stored, or lost");
            return ok ? 0 : 1;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The baseline: every message fetched once over one connection, nothing else.</summary>
    private static async Task<int> FetchAllAsync(TestImapServer imap, CancellationToken cancellationToken)
    {
        using var client = new ImapClient();
        await client.ConnectAsync(imap.Host, imap.Port, MailKit.Security.SecureSocketOptions.None, cancellationToken);
        await client.AuthenticateAsync(User, Password, cancellationToken);
        await client.Inbox.OpenAsync(FolderAccess.ReadOnly, cancellationToken);
        var uids = await client.Inbox.SearchAsync(SearchQuery.NotDeleted, cancellationToken);
        foreach (var chunk in uids.Chunk(200))
        {
            await client.Inbox.FetchAsync(chunk, MessageSummaryItems.UniqueId | MessageSummaryItems.Size | MessageSummaryItems.Envelope, cancellationToken);
            foreach (var uid in chunk)
            {
                await using var stream = await client.Inbox.GetStreamAsync(uid, cancellationToken);
                await stream.CopyToAsync(Stream.Null, cancellationToken);
            }
        }

        await client.DisconnectAsync(true, cancellationToken);
        return uids.Count;
    }

    private static byte[] Message(int i)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("noreply-dmarc-support@google.com"));
        message.To.Add(MailboxAddress.Parse("dmarc@example.com"));
        message.Subject = $"Report domain: example.com Submitter: google.com Report-ID: {i}";
        var body = new BodyBuilder { TextBody = "This is an aggregate report." };
        body.Attachments.Add($"google.com!example.com!{i}.xml", Encoding.UTF8.GetBytes(
            $"<feedback><report_metadata><org_name>google.com</org_name><email>noreply-dmarc-support@google.com</email><report_id>{i.ToString(CultureInfo.InvariantCulture)}</report_id>"
            + "<date_range><begin>1764547200</begin><end>1764633599</end></date_range></report_metadata>"
            + "<policy_published><domain>example.com</domain><p>none</p></policy_published>"
            + "<record><row><source_ip>192.0.2.10</source_ip><count>3</count><policy_evaluated><disposition>none</disposition><dkim>pass</dkim><spf>pass</spf></policy_evaluated></row>"
            + "<identifiers><header_from>example.com</header_from></identifiers>"
            + "<auth_results><dkim><domain>example.com</domain><selector>s1</selector><result>pass</result></dkim><spf><domain>example.com</domain><result>pass</result></spf></auth_results></record></feedback>"),
            ContentType.Parse("application/xml"));
        message.Body = body.ToMessageBody();
        using var stream = new MemoryStream();
        message.WriteTo(stream);
        return stream.ToArray();
    }
}
