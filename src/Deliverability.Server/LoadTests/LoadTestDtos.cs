using System.Text.Json;
using Deliverability.Core.LoadTests;

namespace Deliverability.Server.LoadTests;

/// <summary>A run in lists: its numbers without the report. Status in lower case: running, completed, aborted, failed, refused.</summary>
public sealed record LoadTestRunSummaryDto(
    Guid Id,
    string Scenario,
    string Kind,
    string? SendPath,
    string Origin,
    string StartedBy,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    string Status,
    string? Reason,
    string? StopReason,
    bool? ThresholdsHeld,
    double? KneeRate,
    double? AchievedRate,
    double? P99Ms,
    double? ErrorRate,
    long? Completed)
{
    public static LoadTestRunSummaryDto From(LoadTestRunSummary r) => new(
        r.Id, r.Scenario, r.Kind, r.SendPath, r.Origin, r.StartedBy, r.StartedAt, r.EndedAt, StatusWord(r.Status), r.Reason, r.StopReason,
        r.ThresholdsHeld, r.KneeRate, r.AchievedRate, r.P99Ms, r.ErrorRate, r.Completed);

    public static string StatusWord(LoadTestRunStatus status) => status.ToString().ToLowerInvariant();
}

/// <summary>One run: its summary, the engine's report (null until it ends) and a capacity search's curve (null for a plain run).</summary>
public sealed record LoadTestRunDto(LoadTestRunSummaryDto Run, JsonElement? Report, JsonElement? Capacity)
{
    public static LoadTestRunDto From(LoadTestRunRow row) => new(
        LoadTestRunSummaryDto.From(LoadTestRunStore.Summary(row)), Parse(row.ReportJson), Parse(row.CapacityJson));

    private static JsonElement? Parse(string? json)
    {
        if (json is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}

/// <summary>A scenario file of the scenario folder: what it runs, or why it cannot be read (<see cref="Problem"/>).</summary>
public sealed record StoredScenarioDto(
    string File,
    string? Name,
    string? Kind,
    string? SendPath,
    bool Capacity,
    IReadOnlyList<string> Thresholds,
    double? MaxDurationSeconds,
    long? MaxMessages,
    string? Problem);

/// <summary><c>POST /api/loadtests</c>: the name of a stored scenario.</summary>
public sealed record StartLoadTestRequest(string? Scenario);

/// <summary>The answer to a start: the run's id, where to read it, and its status then (running; failed when it broke at once).</summary>
public sealed record LoadTestStartedDto(Guid Id, string Location, string Status);

/// <summary>The latest capacity of one send path for the Overview: a capacity run's knee, or a plain run's achieved rate.</summary>
/// <param name="SendPath">The send path, or the scenario's name when the scenario names none.</param>
public sealed record CapacityReadingDto(
    string SendPath,
    string Scenario,
    Guid RunId,
    DateTimeOffset At,
    double? Rate,
    bool IsKnee,
    bool? ThresholdsHeld);
