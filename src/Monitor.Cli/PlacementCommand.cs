using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Monitor.Core.Configuration;
using Monitor.Core.Placement;
using Monitor.Core.Secrets;

namespace Monitor.Cli;

/// <summary>
/// <c>monitor placement run [--path name] [--json] [--config file]</c>: sends the test message to every seed of the
/// <c>Monitor:Placement</c> section of a settings file (the service's shape; environment variables such as
/// <c>Monitor__Placement__Seeds__0__Imap__Password</c> override it; <c>protected:</c> passwords are decrypted) and prints where each landed. Exit code 0 every
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
        var path = new Option<string?>("--path") { Description = "The send path to use (a Name of Monitor:Placement:SendPaths); default: the first one" };
        var json = new Option<bool>("--json")
        {
            Description = "Print one JSON object: {id, sendPath, startedAt, finishedAt, overall, providers: [...], seeds: [{provider, address, placement, "
                + "folder, sentAt, arrivedAt, deliverySeconds, spf, dkim, dmarc, authenticationResults, error}]}",
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
            if (!TryLoad(file, parsed.GetValue(keys), out var options, out var problems))
            {
                foreach (var problem in problems)
                {
                    await stderr.WriteLineAsync($"error: {problem}");
                }

                return ErrorsOrBadSettings;
            }

            var sendPath = parsed.GetValue(path);
            if (options.FindSendPath(sendPath) is null)
            {
                await stderr.WriteLineAsync($"error: --path: '{sendPath}' is not a send path of {file} (Monitor:Placement:SendPaths: {string.Join(", ", options.SendPaths.Select(p => p.Name))})");
                return ErrorsOrBadSettings;
            }

            var report = await new PlacementRunner(TimeProvider.System, NullLogger<PlacementRunner>.Instance).RunAsync(options, sendPath, cancellationToken);
            if (parsed.GetValue(json))
            {
                await stdout.WriteLineAsync(JsonSerializer.Serialize(PlacementOutput.From(report), Json));
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
    private static bool TryLoad(string file, string? keysFolder, out PlacementOptions options, out IReadOnlyList<string> problems)
    {
        options = new PlacementOptions();
        IReadOnlyList<string> conversionProblems = [];
        if (!File.Exists(file))
        {
            problems = [$"--config: the settings file '{file}' does not exist (a JSON file with a Monitor:Placement section; see the README)"];
            return false;
        }

        try
        {
            var configuration = new ConfigurationBuilder().AddJsonFile(file, optional: false).AddEnvironmentVariables().Build();
            options = ConfigurationBinding.Bind<PlacementOptions>(configuration.GetSection(PlacementOptions.SectionName), out conversionProblems);
            if (PlacementSecrets.Of(options).Any(s => ProtectedSecret.IsProtected(s.Get())))
            {
                var folder = keysFolder is not null
                    ? SecretCommand.KeysFolder(keysFolder, Environment.CurrentDirectory)
                    : ConfigurationBinding.Bind<SecretsOptions>(configuration.GetSection(SecretsOptions.SectionName), out _).EffectiveKeysFolder(Path.GetDirectoryName(file)!);
                ProtectedSecret.RevealAll(SecretCommand.Provider(folder), PlacementSecrets.Of(options));
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or InvalidOperationException or JsonException)
        {
            problems = [$"{file}: {ex.Message}{(ex.InnerException is null ? "" : " " + ex.InnerException.Message)}"];
            return false;
        }

        // Values that did not convert first; every problem of the file is reported at once.
        var found = conversionProblems.Concat(PlacementOptionsValidation.Problems(options)).ToList();
        if (options.Seeds.Count == 0)
        {
            found.Add($"{PlacementOptions.SectionName}:Seeds: no seed mailbox is configured in {file}");
        }

        problems = found;
        return found.Count == 0;
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

    private sealed record PlacementOutput(Guid Id, string SendPath, DateTimeOffset StartedAt, DateTimeOffset FinishedAt, RatesOutput Overall, IReadOnlyList<RatesOutput> Providers, IReadOnlyList<SeedOutput> Seeds)
    {
        public static PlacementOutput From(PlacementRunReport r) => new(
            r.Id, r.SendPath, r.StartedAt, r.FinishedAt, RatesOutput.From(null, r.Overall), [.. r.Providers.Select(p => RatesOutput.From(p.Provider, p.Rates))], [.. r.Seeds.Select(SeedOutput.From)]);
    }

    private sealed record RatesOutput(string? Provider, int Seeds, int Inbox, int Spam, int Other, int Missing, int Errors, double? InboxRate, double? SpamRate)
    {
        public static RatesOutput From(string? provider, PlacementRates r) => new(provider, r.Seeds, r.Inbox, r.Spam, r.Other, r.Missing, r.Errors, r.InboxRate, r.SpamRate);
    }

    private sealed record SeedOutput(string Provider, string Address, string Placement, string? Folder, DateTimeOffset? SentAt, DateTimeOffset? ArrivedAt, double? DeliverySeconds, string? Spf, string? Dkim, string? Dmarc, IReadOnlyList<string> AuthenticationResults, string? Error)
    {
        public static SeedOutput From(SeedPlacement s) => new(s.Provider, s.Address, s.Status.Word(), s.Folder, s.SentAt, s.ArrivedAt, s.DeliveryTime?.TotalSeconds,
            s.Authentication.Spf, s.Authentication.Dkim, s.Authentication.Dmarc, s.AuthenticationResults, s.Error);
    }
}
