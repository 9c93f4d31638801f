using System.CommandLine;
using Deliverability.Load;
using Deliverability.LoadScenarios;

namespace Deliverability.Cli.LoadTests;

/// <summary>Runs a definition for a <c>monitor loadtest</c> command: safety first, live progress, report files, the summary, the exit code.</summary>
internal static class LoadTestRun
{
    public static async Task<int> ExecuteAsync(Func<LoadTestDefinition> define, RunCliOptions run, ParseResult parsed,
        TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        LoadTestOutcome outcome;
        try
        {
            var definition = LoadTestDefinitions.Validate(define());
            var safety = run.Safety(parsed);
            safety.Check(definition); // before anything connects, and before the progress display starts
            var progress = LoadTestProgress.ForTerminal(stderr, definition);
            outcome = progress is null
                ? await LoadTestExecution.RunAsync(definition, safety, [], cancellationToken)
                : await progress.RunAsync(sink => LoadTestExecution.RunAsync(definition, safety, [sink], cancellationToken));
        }
        catch (Exception e) when (e is LoadConfigurationException or LoadTestRefusedException)
        {
            await stderr.WriteLineAsync($"error: {e.Message}");
            return MonitorCli.UsageError;
        }

        if (await WriteReportAsync(outcome.Report, run.ReportFolder(parsed), stderr) is { } failed)
        {
            return failed;
        }

        if (run.Json(parsed))
        {
            await stdout.WriteLineAsync(LoadTestSummary.Json(outcome.Report, outcome.Capacity, outcome.Definition));
        }
        else
        {
            await LoadTestSummary.WriteTextAsync(stdout, outcome.Report, outcome.Capacity);
        }

        return outcome.ThresholdsHeld ? 0 : LoadTestCommand.Breached;
    }

    /// <summary>Writes the engine's four reports into <paramref name="folder"/>; an exit code when it cannot.</summary>
    public static async Task<int?> WriteReportAsync(RunReport report, string? folder, TextWriter stderr)
    {
        if (folder is null)
        {
            return null;
        }

        try
        {
            Directory.CreateDirectory(folder);
            foreach (var format in new[] { ReportFormat.Html, ReportFormat.Markdown, ReportFormat.Csv, ReportFormat.Json })
            {
                await File.WriteAllTextAsync(Path.Combine(folder, $"report.{ReportWriter.FileExtension(format)}"), ReportWriter.Render(report, format));
            }

            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            await stderr.WriteLineAsync($"error: --report: cannot write into '{folder}' ({e.GetType().Name})");
            return MonitorCli.UsageError;
        }
    }
}
