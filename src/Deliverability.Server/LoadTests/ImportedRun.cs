using Deliverability.Core.LoadTests;
using Deliverability.Load;

namespace Deliverability.Server.LoadTests;

/// <summary>A report posted by a generator machine, stored as a run like those the service starts.</summary>
public static class ImportedRun
{
    /// <summary>What makes a well-formed report unfit to store, or null.</summary>
    public static string? Problem(RunReport report)
    {
        if (string.IsNullOrWhiteSpace(report.TestName) || report.TestName.Length > LoadTestRunStore.MaxNameLength)
        {
            return $"testName: 1 to {LoadTestRunStore.MaxNameLength} characters are expected";
        }

        if (report.Scenarios.Count == 0)
        {
            return "scenarios: the report has no scenario";
        }

        return report.EndedAt < report.StartedAt ? "endedAt: before startedAt" : null;
    }

    /// <summary>
    /// The run's row: named after the report's test, of <paramref name="kind"/> (or the kind its outcomes show), aborted
    /// when the generator was cancelled, completed otherwise.
    /// </summary>
    public static LoadTestRunRow Row(RunReport report, string? kind, string? sendPath, string importedBy)
    {
        var status = report.StopReason == StopReason.Cancelled ? LoadTestRunStatus.Aborted : LoadTestRunStatus.Completed;
        var end = ReportNumbers.End(status, report.EndedAt, report);
        return new LoadTestRunRow
        {
            Id = Guid.NewGuid(),
            Scenario = report.TestName.Trim(),
            Kind = kind ?? ReportNumbers.KindOf(report),
            SendPath = sendPath,
            Origin = "import",
            StartedBy = importedBy,
            StartedAt = report.StartedAt,
            EndedAt = end.EndedAt,
            Status = end.Status,
            StopReason = end.StopReason,
            ThresholdsHeld = end.ThresholdsHeld,
            AchievedRate = end.AchievedRate,
            P99Ms = end.P99Ms,
            ErrorRate = end.ErrorRate,
            Completed = end.Completed,
            ReportJson = end.ReportJson,
        };
    }
}
