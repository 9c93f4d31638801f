using System.CommandLine;
using Deliverability.Load;

namespace Deliverability.Cli.LoadTests;

/// <summary>
/// <c>monitor loadtest merge a.json b.json ...</c>: the reports of N generators as one run (HDR histograms added,
/// counts summed, thresholds evaluated again). Exit code 0 when every threshold holds on the merged numbers.
/// </summary>
internal static class LoadTestMerge
{
    private const int MaxReportBytes = 64 * 1024 * 1024;

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var files = new Argument<string[]>("report") { Description = "report.json files written by --report on each generator", Arity = new ArgumentArity(2, 1000) };
        var report = new Option<string?>("--report") { Description = "Write the merged report.html, report.md, report.csv and report.json into this folder" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object of the merged run" };
        var command = new Command("merge", "Merge the reports of several load generators into one run.");
        command.Arguments.Add(files);
        command.Options.Add(report);
        command.Options.Add(json);
        command.SetAction(async (ParseResult parsed, CancellationToken cancellationToken) =>
        {
            var reports = new List<RunReport>();
            foreach (var path in parsed.GetValue(files) ?? [])
            {
                try
                {
                    var info = new FileInfo(path);
                    if (!info.Exists || info.Length > MaxReportBytes)
                    {
                        await stderr.WriteLineAsync($"error: {path}: {(info.Exists ? "larger than 64 MiB" : "no such file")}");
                        return MonitorCli.UsageError;
                    }

                    reports.Add(RunReport.FromJson(await File.ReadAllTextAsync(path, cancellationToken)));
                }
                catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
                {
                    await stderr.WriteLineAsync($"error: {path}: {(e is FormatException ? e.Message : $"cannot be read ({e.GetType().Name})")}");
                    return MonitorCli.UsageError;
                }
            }

            var merged = RunReport.Merge(reports);
            if (await LoadTestRun.WriteReportAsync(merged, parsed.GetValue(report), stderr) is { } failed)
            {
                return failed;
            }

            if (parsed.GetValue(json))
            {
                await stdout.WriteLineAsync(LoadTestSummary.Json(merged, null, null));
            }
            else
            {
                await LoadTestSummary.WriteTextAsync(stdout, merged, null);
            }

            return merged.ThresholdsHeld ? 0 : LoadTestCommand.Breached;
        });
        return command;
    }
}
