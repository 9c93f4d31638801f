using System.Security.Cryptography;
using System.Text;
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
    /// when the generator was cancelled, completed otherwise; with the capacity search's knee and curve when the report
    /// carries them. Its id is derived from the report's content (as read, so whitespace and the order of its properties
    /// do not count), which makes the same report imported twice the same run.
    /// </summary>
    public static LoadTestRunRow Row(RunReport report, string? kind, string? sendPath, string importedBy)
    {
        var cancelled = report.StopReason == StopReason.Cancelled || report.Capacity?.Stop == CapacitySearchStop.Cancelled;
        var status = cancelled ? LoadTestRunStatus.Aborted : LoadTestRunStatus.Completed;
        var end = ReportNumbers.End(status, report.EndedAt, report, report.Capacity);
        return new LoadTestRunRow
        {
            Id = IdOf(end.ReportJson!),
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
            KneeRate = end.KneeRate,
            ReportJson = end.ReportJson,
            CapacityJson = end.CapacityJson,
        };
    }

    /// <summary>The id of a report written compactly (<see cref="RunReport.ToJson"/>, not indented).</summary>
    private static Guid IdOf(string compactReportJson)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(compactReportJson), hash);
        // An RFC 9562 version 8 (custom) GUID, so it is never mistaken for a random one.
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }
}
