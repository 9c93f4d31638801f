using System.Text.Json;
using System.Text.Json.Serialization;
using Deliverability.Core.LoadTests;
using Deliverability.Load;

namespace Deliverability.Server.LoadTests;

/// <summary>The numbers of a report that a run's row keeps for lists and the Overview, and the curve as stored JSON.</summary>
public static class ReportNumbers
{
    private static readonly JsonSerializerOptions CurveJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>
    /// The end of a run with <paramref name="report"/>: achieved rate (starts per second, summed over the scenarios), the
    /// highest p99, the error rate over every completion, and the report itself; with a capacity search's knee and curve.
    /// </summary>
    public static LoadTestRunEnd End(LoadTestRunStatus status, DateTimeOffset endedAt, RunReport report, CapacitySearchResult? capacity = null, string? reason = null)
    {
        var scenarios = report.Scenarios;
        var completed = scenarios.Sum(s => s.Stats.Count);
        var failed = scenarios.Sum(s => s.Stats.Failed);
        return new LoadTestRunEnd(
            status,
            endedAt,
            Reason: reason,
            StopReason: capacity is null ? report.StopReason.ToString() : capacity.Stop.ToString(),
            ThresholdsHeld: capacity is null ? report.ThresholdsHeld : capacity.KneeRate is not null,
            KneeRate: capacity?.KneeRate,
            AchievedRate: scenarios.Sum(s => s.StartRate),
            P99Ms: scenarios.Count == 0 ? null : scenarios.Max(s => s.Stats.ResponseTime.P99Ms),
            ErrorRate: completed == 0 ? 0 : (double)failed / completed,
            Completed: completed,
            ReportJson: report.ToJson(indented: false),
            CapacityJson: capacity is null ? null : JsonSerializer.Serialize(capacity.Curve, CurveJson));
    }

    /// <summary>The curve stored by <see cref="End"/>; empty when there is none or it cannot be read.</summary>
    public static IReadOnlyList<CapacityPoint> Curve(string? json)
    {
        if (json is null)
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize<CapacityPoint[]>(json, CurveJson) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    /// <summary>"smtp" or "http" from the outcome classes a report counted; "unknown" when it counted neither.</summary>
    public static string KindOf(RunReport report)
    {
        long smtp = 0, http = 0;
        foreach (var (outcome, count) in report.Scenarios.SelectMany(s => s.Stats.Outcomes))
        {
            if (outcome is OutcomeClass.SmtpAccepted or OutcomeClass.SmtpDeferred or OutcomeClass.SmtpRejected)
            {
                smtp += count;
            }
            else if (outcome is OutcomeClass.HttpSuccess or OutcomeClass.HttpRateLimited or OutcomeClass.HttpClientError or OutcomeClass.HttpServerError)
            {
                http += count;
            }
        }

        return smtp == 0 && http == 0 ? "unknown" : smtp >= http ? "smtp" : "http";
    }
}
