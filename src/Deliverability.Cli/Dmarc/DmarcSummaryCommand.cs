using System.CommandLine;
using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Deliverability.Core.DmarcReports.Analysis;
using Deliverability.Core.DmarcReports.Storage;
using Deliverability.Core.Dns;
using Deliverability.Core.Storage;

namespace Deliverability.Cli.Dmarc;

/// <summary>
/// <c>monitor dmarc summary --domain D [--days N] [--until DATE] [--json]</c>: per UTC day (messages, DMARC pass, SPF
/// and DKIM aligned, dispositions) and per source IP, from the stored reports' daily sums, with the TLS-RPT sessions.
/// </summary>
internal static class DmarcSummaryCommand
{
    private const int TopSources = 20;

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var domain = new Option<string>("--domain") { Description = "The policy domain (the domain the reports are about)", Required = true };
        var days = NumberOptions.WholeNumber("--days", "How many UTC days, ending with --until (default 30, at most 3650)", 30, 1, 3650);
        var until = new Option<DateOnly?>("--until")
        {
            Description = "The last UTC day, yyyy-MM-dd (default: today)",
            CustomParser = result =>
            {
                var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
                if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
                {
                    return day;
                }

                result.AddError($"--until: '{text}' is not a date (yyyy-MM-dd)");
                return null;
            },
        };
        var json = new Option<bool>("--json")
        {
            Description = "Print one JSON object: {domain, from, until, reports, duplicates, messages, dmarcPass, spfAligned, dkimAligned, days: [{day, messages, dmarcPass, spfAligned, dkimAligned, none, quarantine, reject}], "
                + "sources: [{sourceIp, messages, dmarcPass, spfAligned, dkimAligned}], tls: {reports, successfulSessions, failedSessions}}",
        };
        var database = DmarcCommand.DatabaseOption();
        var config = DmarcCommand.ConfigOption();
        var command = new Command("summary", "What the stored DMARC and TLS-RPT reports say about a domain: per UTC day and per source IP (the busiest first). Exit code 0 done, 2 bad usage or a database that cannot be read.");
        command.Options.Add(domain);
        command.Options.Add(days);
        command.Options.Add(until);
        command.Options.Add(json);
        command.Options.Add(database);
        command.Options.Add(config);
        command.SetAction(async (parsed, cancellationToken) =>
        {
            // The one domain rule of the product (IDN to A-label, LDH labels): reports are stored under the A-label.
            if (!DomainName.TryParse(parsed.GetValue(domain), out var domainName, out var problem))
            {
                await stderr.WriteLineAsync($"error: --domain: {problem}");
                return DmarcCommand.BadUsage;
            }

            var name = domainName.Ascii;

            var (target, error) = DmarcDatabase.Resolve(parsed.GetValue(database), parsed.GetValue(config));
            if (target is null)
            {
                await stderr.WriteLineAsync($"error: {error}");
                return DmarcCommand.BadUsage;
            }

            var last = parsed.GetValue(until) ?? DateOnly.FromDateTime(DateTime.UtcNow);
            var first = last.AddDays(1 - parsed.GetValue(days));
            DomainSummary summary;
            try
            {
                summary = target.MayExist ? await ReadAsync(target, name, first, last, cancellationToken) : DomainSummary.Empty(name, first, last);
            }
            catch (Exception ex) when (ex is DbException or InvalidOperationException)
            {
                await stderr.WriteLineAsync($"error: the reports cannot be read from {target.Description}: {DmarcCommand.Innermost(ex)}");
                return DmarcCommand.BadUsage;
            }

            if (parsed.GetValue(json))
            {
                await stdout.WriteLineAsync(JsonSerializer.Serialize(summary, DmarcCommand.Json));
            }
            else
            {
                await WriteTextAsync(stdout, summary);
            }

            return 0;
        });
        return command;
    }

    private static async Task<DomainSummary> ReadAsync(DmarcDatabase target, string domain, DateOnly first, DateOnly last, CancellationToken cancellationToken)
    {
        var contexts = target.Contexts();
        await target.MigrateAsync(cancellationToken);
        // The daily sums as the DMARC page reads them (one query, one place), summed here per day and per source.
        var counts = await new StoredReports(contexts).DailyAsync(domain, first, last, cancellationToken);
        var days = counts.GroupBy(c => c.Day).OrderBy(g => g.Key).Select(g => DaySummary.Of(g.Key, DmarcRates.Of(g))).ToList();
        var sources = counts.GroupBy(c => c.SourceIp, StringComparer.Ordinal)
            .Select(g => (SourceIp: g.Key, Rates: DmarcRates.Of(g)))
            .OrderByDescending(s => s.Rates.Messages).ThenBy(s => s.SourceIp, StringComparer.Ordinal).Take(TopSources)
            .Select(s => new SourceSummary(s.SourceIp, s.Rates.Messages, s.Rates.DmarcPass, s.Rates.SpfAligned, s.Rates.DkimAligned))
            .ToList();

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var from = new DateTimeOffset(first.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var to = new DateTimeOffset(last.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var reports = await db.Set<DmarcReportRow>().Where(r => r.PolicyDomain == domain && r.End >= from && r.Begin < to)
            .Select(r => new { r.OrgName, r.ReportId }).ToListAsync(cancellationToken);
        // Duplicate deliveries of the reports in the window, whenever they came.
        var keys = reports.Select(r => (r.OrgName, r.ReportId)).ToHashSet();
        var duplicates = (await db.Set<DmarcReportDuplicateRow>().Where(d => d.PolicyDomain == domain && d.Kind == Core.DmarcReports.ReportKind.DmarcAggregate)
            .Select(d => new { d.OrgName, d.ReportId }).ToListAsync(cancellationToken)).Count(d => keys.Contains((d.OrgName, d.ReportId)));
        var tls = await db.Set<TlsRptReportRow>().Where(r => r.PolicyDomain == domain && r.End >= from && r.Begin < to)
            .Select(r => new { r.SuccessfulSessions, r.FailedSessions }).ToListAsync(cancellationToken);

        return new DomainSummary(domain, first, last, reports.Count, duplicates,
            days.Sum(d => d.Messages), days.Sum(d => d.DmarcPass), days.Sum(d => d.SpfAligned), days.Sum(d => d.DkimAligned),
            days, sources, new TlsSummary(tls.Count, tls.Sum(t => t.SuccessfulSessions), tls.Sum(t => t.FailedSessions)));
    }

    private static async Task WriteTextAsync(TextWriter stdout, DomainSummary s)
    {
        await stdout.WriteLineAsync($"DMARC reports for {s.Domain}, {s.From:yyyy-MM-dd} to {s.Until:yyyy-MM-dd} (UTC): {s.Reports} reports ({s.Duplicates} duplicate deliveries), "
            + $"{s.Messages} messages, dmarc pass {Rate(s.DmarcPass, s.Messages)}, spf aligned {Rate(s.SpfAligned, s.Messages)}, dkim aligned {Rate(s.DkimAligned, s.Messages)}");
        if (s.Days.Count > 0)
        {
            await stdout.WriteLineAsync();
            await WriteTableAsync(stdout, ["DAY", "MESSAGES", "DMARC PASS", "SPF ALIGNED", "DKIM ALIGNED", "NONE", "QUARANTINE", "REJECT"],
                s.Days.Select(d => new[] { d.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), N(d.Messages), Rate(d.DmarcPass, d.Messages), Rate(d.SpfAligned, d.Messages),
                    Rate(d.DkimAligned, d.Messages), N(d.None), N(d.Quarantine), N(d.Reject) }));
            await stdout.WriteLineAsync();
            await WriteTableAsync(stdout, ["SOURCE IP", "MESSAGES", "DMARC PASS", "SPF ALIGNED", "DKIM ALIGNED"],
                s.Sources.Select(x => new[] { x.SourceIp, N(x.Messages), Rate(x.DmarcPass, x.Messages), Rate(x.SpfAligned, x.Messages), Rate(x.DkimAligned, x.Messages) }));
        }

        if (s.Tls.Reports > 0)
        {
            await stdout.WriteLineAsync();
            await stdout.WriteLineAsync($"TLS-RPT: {s.Tls.Reports} reports, {s.Tls.SuccessfulSessions} successful sessions, {s.Tls.FailedSessions} failed ({Rate(s.Tls.FailedSessions, s.Tls.SuccessfulSessions + s.Tls.FailedSessions)})");
        }
    }

    private static async Task WriteTableAsync(TextWriter stdout, string[] header, IEnumerable<string[]> rows)
    {
        var all = new List<string[]> { header };
        all.AddRange(rows);
        var widths = header.Select((_, i) => all.Max(r => r[i].Length)).ToArray();
        foreach (var row in all)
        {
            await stdout.WriteLineAsync(string.Join("  ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd());
        }
    }

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Rate(long part, long whole) => DmarcImportText.Percent(part, whole);

    internal sealed record DomainSummary(string Domain, DateOnly From, DateOnly Until, int Reports, int Duplicates, long Messages, long DmarcPass, long SpfAligned, long DkimAligned,
        IReadOnlyList<DaySummary> Days, IReadOnlyList<SourceSummary> Sources, TlsSummary Tls)
    {
        public static DomainSummary Empty(string domain, DateOnly from, DateOnly until) => new(domain, from, until, 0, 0, 0, 0, 0, 0, [], [], new TlsSummary(0, 0, 0));
    }

    internal sealed record DaySummary(DateOnly Day, long Messages, long DmarcPass, long SpfAligned, long DkimAligned, long None, long Quarantine, long Reject)
    {
        public static DaySummary Of(DateOnly day, DmarcRates r) => new(day, r.Messages, r.DmarcPass, r.SpfAligned, r.DkimAligned, r.None, r.Quarantine, r.Reject);
    }

    internal sealed record SourceSummary(string SourceIp, long Messages, long DmarcPass, long SpfAligned, long DkimAligned);

    internal sealed record TlsSummary(int Reports, long SuccessfulSessions, long FailedSessions);
}
