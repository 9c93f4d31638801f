using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Deliverability.Core.Configuration;
using Deliverability.Core.Placement;
using Deliverability.Core.Secrets;

namespace Deliverability.Cli;

/// <summary>
/// <c>monitor placement run [--path name] [--json] [--config file]</c>: sends the test message to every seed of the
/// <c>Monitor:Placement</c> section of a settings file (the service's shape; environment variables such as
/// <c>Monitor__Placement__Seeds__0__Imap__Password</c> override it; <c>protected:</c> passwords are decrypted) and to
/// every seed added in the dashboard of the service whose database the file's <c>Storage</c> names, and prints where each landed. Exit code 0 every
/// seed in the inbox, 1 at least one in spam, another folder or missing, 2 bad usage or settings, or no placement
/// problem but at least one seed not measured (error).
/// </summary>
public static class PlacementCommand
{
    public const int AllInbox = 0;
    public const int PlacementProblem = 1;
    public const int ErrorsOrBadSettings = 2;
    public const string DefaultConfigFile = "appsettings.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var path = new Option<string?>("--path") { Description = "The send path to use (a Name of Monitor:Placement:SendPaths or one added in the dashboard); default: the first one" };
        var json = new Option<bool>("--json")
        {
            Description = "Print one JSON object, the shape of GET /api/placement/runs/{id}: {id, sendPath, startedAt, finishedAt, overall: {seeds, inbox, spam, other, missing, errors, "
                + "inboxRate, spamRate, otherRate, missingRate}, previousRunId, previousInboxRate, inboxRateChange (null: the CLI stores no runs), "
                + "providers: [{provider, rates, ...}], seeds: [{provider, address, placement, folder, sentAt, arrivedAt, deliverySeconds, spf, dkim, dmarc, authenticationResults, error}]}",
        };
        var config = new Option<string>("--config")
        {
            Description = $"The settings file (JSON, the service's shape) with a Monitor:Placement section; default: {DefaultConfigFile} in the current folder",
            DefaultValueFactory = _ => DefaultConfigFile,
        };

        var run = new Command("run", "Send the test message to every seed mailbox and report where each landed: inbox, spam, other (with the folder), "
            + "missing (not found before the timeout) or error (not measured: send refused, bad IMAP credentials, unreachable, TLS failure). "
            + "Exit code 0 all inbox, 1 some spam/other/missing, 2 bad usage or settings, or errors only.");
        run.Options.Add(path);
        run.Options.Add(json);
        run.Options.Add(config);
        var keys = SecretCommand.KeysOption();
        run.Options.Add(keys);
        run.SetAction(async (ParseResult parsed, CancellationToken cancellationToken) =>
        {
            var file = Path.GetFullPath(parsed.GetValue(config) ?? DefaultConfigFile);
            if (!TryLoad(file, parsed.GetValue(keys), out var configured, out var configuration, out var keysFolder, out var problems))
            {
                return await FailAsync(stderr, problems);
            }

            // The service runs the configured items and those added in its dashboard: so does the CLI.
            var settings = await DashboardPlacementItems.MergeAsync(configured, configuration, file, SecretCommand.Provider(keysFolder), keysFolder, cancellationToken);
            foreach (var warning in settings.Warnings)
            {
                await stderr.WriteLineAsync($"warning: {warning}");
            }

            var options = settings.Options;
            var runProblems = settings.Error is null ? RunProblems(options, file) : [settings.Error];
            if (runProblems.Count > 0)
            {
                return await FailAsync(stderr, runProblems);
            }

            var sendPath = parsed.GetValue(path);
            if (options.FindSendPath(sendPath) is null)
            {
                await stderr.WriteLineAsync($"error: --path: '{sendPath}' is not a send path of {file} or the dashboard (Monitor:Placement:SendPaths: {string.Join(", ", options.SendPaths.Select(p => p.Name))})");
                return ErrorsOrBadSettings;
            }

            var report = await new PlacementRunner(TimeProvider.System, NullLogger<PlacementRunner>.Instance).RunAsync(options, sendPath, cancellationToken);
            if (parsed.GetValue(json))
            {
                // The API's shape (/api/placement/runs/{id}); the CLI stores no runs, so there is no previous one.
                await stdout.WriteLineAsync(JsonSerializer.Serialize(new StoredPlacementRun(report, null).ToDto(), Json));
            }
            else
            {
                await WriteTextAsync(stdout, report);
            }

            return ExitCode(report);
        });

        var command = new Command("placement", "Seed-inbox placement tests: where test messages land at each mailbox provider.");
        command.Subcommands.Add(run);
        return command;
    }

    public static int ExitCode(PlacementRunReport report)
    {
        var overall = report.Overall;
        if (overall.Spam + overall.Other + overall.Missing > 0)
        {
            return PlacementProblem;
        }

        return overall.Errors > 0 ? ErrorsOrBadSettings : AllInbox;
    }

    /// <summary>
    /// Reads the section and decrypts <c>protected:</c> passwords with the keys of <c>--keys</c>, else the file's
    /// <c>Secrets:KeysFolder</c> (relative to the file's folder, as the service resolves it against its content root).
    /// </summary>
    private static bool TryLoad(string file, string? keysOption, out PlacementOptions options, out IConfiguration configuration, out string keysFolder, out IReadOnlyList<string> problems)
    {
        options = new PlacementOptions();
        IReadOnlyList<string> conversionProblems = [];
        configuration = new ConfigurationBuilder().Build();
        keysFolder = "";
        if (!File.Exists(file))
        {
            problems = [$"--config: the settings file '{file}' does not exist (a JSON file with a Monitor:Placement section; see docs/placement.md)"];
            return false;
        }

        try
        {
            configuration = new ConfigurationBuilder().AddJsonFile(file, optional: false).AddEnvironmentVariables().Build();
            options = ConfigurationBinding.Bind<PlacementOptions>(configuration.GetSection(PlacementOptions.SectionName), out conversionProblems);
            keysFolder = keysOption is not null
                ? SecretCommand.KeysFolder(keysOption, Environment.CurrentDirectory)
                : ConfigurationBinding.Bind<SecretsOptions>(configuration.GetSection(SecretsOptions.SectionName), out _).EffectiveKeysFolder(Path.GetDirectoryName(file)!);
            if (PlacementSecrets.Of(options).Any(s => ProtectedSecret.IsProtected(s.Get())))
            {
                ProtectedSecret.RevealAll(SecretCommand.Provider(keysFolder), PlacementSecrets.Of(options));
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or InvalidOperationException or JsonException)
        {
            problems = [$"{file}: {ex.Message}{(ex.InnerException is null ? "" : " " + ex.InnerException.Message)}"];
            return false;
        }

        // Values that did not convert first; every problem of the file is reported at once.
        problems = [.. conversionProblems, .. PlacementOptionsValidation.Problems(options)];
        return problems.Count == 0;
    }

    /// <summary>What keeps the merged settings (the file's and the dashboard's) from running.</summary>
    private static List<string> RunProblems(PlacementOptions options, string file)
    {
        var problems = PlacementOptionsValidation.Problems(options).ToList();
        if (options.Seeds.Count == 0)
        {
            problems.Add($"{PlacementOptions.SectionName}:Seeds: no seed mailbox is configured in {file} nor added in the dashboard");
        }

        return problems;
    }

    private static async Task<int> FailAsync(TextWriter stderr, IEnumerable<string> problems)
    {
        foreach (var problem in problems)
        {
            await stderr.WriteLineAsync($"error: {problem}");
        }

        return ErrorsOrBadSettings;
    }

    private static async Task WriteTextAsync(TextWriter stdout, PlacementRunReport report)
    {
        await stdout.WriteLineAsync($"Placement run {report.Id:N} through '{report.SendPath}', {report.StartedAt:u} to {report.FinishedAt:u}");
        await stdout.WriteLineAsync();
        string[] seedHeader = ["PROVIDER", "ADDRESS", "PLACEMENT", "FOLDER", "DELIVERY", "SPF", "DKIM", "DMARC", "ERROR"];
        await WriteTableAsync(stdout, seedHeader, report.Seeds.Select(s => new[]
        {
            s.Provider, s.Address, s.Status.Word(), s.Folder ?? "-",
            s.DeliveryTime is { } d ? d.TotalSeconds.ToString("F0", CultureInfo.InvariantCulture) + " s" : "-",
            s.Authentication.Spf ?? "-", s.Authentication.Dkim ?? "-", s.Authentication.Dmarc ?? "-", s.Error ?? "",
        }));
        await stdout.WriteLineAsync();
        string[] providerHeader = ["PROVIDER", "SEEDS", "INBOX", "SPAM", "OTHER", "MISSING", "ERROR", "INBOX RATE"];
        var rows = report.Providers.Select(p => Row(p.Provider, p.Rates)).Append(Row("all", report.Overall));
        await WriteTableAsync(stdout, providerHeader, rows);
    }

    private static string[] Row(string name, PlacementRates r) =>
    [
        name, Count(r.Seeds), Count(r.Inbox), Count(r.Spam), Count(r.Other), Count(r.Missing), Count(r.Errors),
        r.InboxRate is { } rate ? (rate * 100).ToString("F0", CultureInfo.InvariantCulture) + "%" : "-",
    ];

    private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static async Task WriteTableAsync(TextWriter stdout, string[] header, IEnumerable<string[]> rows)
    {
        var all = rows.Prepend(header).ToList();
        var widths = header.Select((_, i) => all.Max(r => r[i].Length)).ToArray();
        foreach (var row in all)
        {
            await stdout.WriteLineAsync(string.Join("  ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd());
        }
    }
}
