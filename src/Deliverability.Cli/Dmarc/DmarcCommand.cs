using System.CommandLine;
using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Deliverability.Core.DmarcReports;
using Deliverability.Core.DmarcReports.Storage;

namespace Deliverability.Cli.Dmarc;

/// <summary>
/// <c>monitor dmarc import FILE|DIR...</c>: imports DMARC aggregate and TLS-RPT reports (XML, JSON, gzip, zip, or
/// e-mail messages carrying them; the format told by content) into the service's database, one summary per report.
/// Exit code 0 every report imported or already there, 1 some input invalid, 2 bad usage or a database that cannot be used.
/// <c>monitor dmarc summary --domain D</c>: what the stored reports say about a domain, per UTC day and per source.
/// </summary>
public static class DmarcCommand
{
    public const int AllImported = 0;
    public const int SomeInvalid = 1;
    public const int BadUsage = 2;

    /// <summary>Files one run reads from the folders it is given (a folder of millions is a mistake, not a run).</summary>
    public const int MaxFiles = 100_000;

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var command = new Command("dmarc", "DMARC aggregate and TLS-RPT reports: import them into the service's database, and summarise what they say about a domain.");
        command.Subcommands.Add(Import(stdout, stderr));
        command.Subcommands.Add(DmarcSummaryCommand.Create(stdout, stderr));
        return command;
    }

    internal static Option<string?> DatabaseOption() => new("--database")
    {
        Description = "A SQLite database file to use instead of the one the settings file names",
    };

    internal static Option<string?> ConfigOption() => new("--config")
    {
        Description = $"The service's settings file: its Storage section names the database, and import reads its Monitor:DmarcReports:Limits (default: {DmarcDatabase.DefaultConfigFile} in the current folder if there; else data/monitor.db under the current folder, the service's default)",
    };

    private static Command Import(TextWriter stdout, TextWriter stderr)
    {
        var paths = new Argument<string[]>("path") { Description = "Report files, or folders whose files (recursively) are imported", Arity = ArgumentArity.OneOrMore };
        var json = new Option<bool>("--json")
        {
            Description = "Print one JSON object: {reports: [{file, status, kind, orgName, reportId, policyDomain, begin, end, records, messages, dmarcPass, spfAlignedPass, dkimAlignedPass, reason}], imported, duplicates, invalid}",
        };
        var database = DatabaseOption();
        var config = ConfigOption();
        var command = new Command("import", "Import DMARC aggregate (RFC 7489, RFC 9990) and TLS-RPT (RFC 8460) reports: XML, JSON, gzip, zip or e-mail messages, told by content. "
            + "A report already stored (same org, report id and policy domain) is counted as a duplicate, not stored again. Exit code 0 all imported or duplicates, 1 some invalid, 2 bad usage.");
        command.Arguments.Add(paths);
        command.Options.Add(json);
        command.Options.Add(database);
        command.Options.Add(config);
        command.SetAction(async (parsed, cancellationToken) =>
        {
            if (!TryListFiles(parsed.GetValue(paths)!, out var files, out var problem))
            {
                await stderr.WriteLineAsync($"error: {problem}");
                return BadUsage;
            }

            var (target, error) = DmarcDatabase.Resolve(parsed.GetValue(database), parsed.GetValue(config));
            if (target is null)
            {
                await stderr.WriteLineAsync($"error: {error}");
                return BadUsage;
            }

            var (limits, limitsError) = DmarcDatabase.Limits(parsed.GetValue(config));
            if (limits is null)
            {
                await stderr.WriteLineAsync($"error: {limitsError}");
                return BadUsage;
            }

            var results = new List<(string File, ImportedReport Report)>();
            try
            {
                var contexts = target.Contexts();
                await target.MigrateAsync(cancellationToken);
                var importer = new DmarcReportImporter(Options.Create(limits), new DmarcAggregateStore(contexts, TimeProvider.System), new TlsRptStore(contexts, TimeProvider.System));
                foreach (var file in files)
                {
                    IReadOnlyList<ImportedReport> reports;
                    try
                    {
                        await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);
                        reports = (await importer.ImportAsync(stream, file, cancellationToken)).Reports;
                    }
                    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                    {
                        reports = [new ImportedReport(ImportStatus.Invalid, null, null, null, null, null, null, 0, 0, 0, 0, 0, $"cannot be read: {ex.Message}")];
                    }

                    if (reports.Count == 0)
                    {
                        reports = [new ImportedReport(ImportStatus.Invalid, null, null, null, null, null, null, 0, 0, 0, 0, 0, "no report in it")];
                    }

                    foreach (var report in reports)
                    {
                        results.Add((file, report));
                        if (!parsed.GetValue(json))
                        {
                            await DmarcImportText.WriteAsync(stdout, file, report);
                        }
                    }
                }
            }
            catch (Exception ex) when (ex is DbException or InvalidOperationException or Microsoft.EntityFrameworkCore.DbUpdateException)
            {
                await stderr.WriteLineAsync($"error: the reports cannot be stored in {target.Description}: {Innermost(ex)}");
                return BadUsage;
            }

            if (parsed.GetValue(json))
            {
                await stdout.WriteLineAsync(JsonSerializer.Serialize(DmarcImportText.JsonOf(results), Json));
            }
            else
            {
                await DmarcImportText.WriteTotalsAsync(stdout, results.Select(r => r.Report).ToList(), target.Description);
            }

            return results.Any(r => r.Report.Status == ImportStatus.Invalid) ? SomeInvalid : AllImported;
        });
        return command;
    }

    private static bool TryListFiles(string[] paths, out List<string> files, out string? problem)
    {
        files = [];
        problem = null;
        foreach (var path in paths)
        {
            var full = Path.GetFullPath(path);
            if (File.Exists(full))
            {
                files.Add(full);
            }
            else if (Directory.Exists(full))
            {
                files.AddRange(Directory.EnumerateFiles(full, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.Hidden })
                    .Order(StringComparer.Ordinal).Take(MaxFiles + 1));
            }
            else
            {
                problem = $"'{path}' is neither a file nor a folder";
                return false;
            }

            if (files.Count > MaxFiles)
            {
                problem = $"more than {MaxFiles} files to import: import the folders one at a time";
                return false;
            }
        }

        return true;
    }

    internal static string Innermost(Exception ex)
    {
        while (ex.InnerException is not null)
        {
            ex = ex.InnerException;
        }

        return ex.Message.Split('\n', 2)[0].Trim();
    }

    internal static string Utc(DateTimeOffset? time) => time?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "-";
}
