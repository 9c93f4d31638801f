using System.Text.Json;
using Deliverability.Core.Audits;

namespace Deliverability.Core.Storage;

/// <summary>
/// Advances a check's bad streak and record drift (the columns of <see cref="CheckStateRow"/>) as each result is saved.
/// Counting here, not when the alert rules next read the table, makes two runs saved between two evaluations two runs.
/// </summary>
public static class StreakAndDrift
{
    /// <summary>Applies one new run to <paramref name="state"/>, which still holds the previous run's status and records.</summary>
    public static void Record(CheckStateRow state, CheckResult result, string findingsJson, DateTimeOffset checkedAt)
    {
        if (result.Status == CheckStatus.Unknown)
        {
            return; // a temporary DNS failure neither breaks nor heals, and its empty records are no drift
        }

        var (runs, since, _) = Streak(state.BadRuns, state.BadSince, state.BadStatus, state.Status, state.Since);
        if (result.Status is CheckStatus.Error or CheckStatus.Warning)
        {
            state.BadRuns = runs + 1;
            state.BadSince = runs == 0 ? checkedAt : since;
            state.BadStatus = result.Status;
            state.BadFindingsJson = findingsJson;
        }
        else
        {
            state.BadRuns = 0;
            state.BadSince = null;
            state.BadStatus = null;
            state.BadFindingsJson = null;
        }

        var records = Sorted(result.Records);
        if (Baseline(state) is { } baseline && baseline != records)
        {
            state.DriftAt = checkedAt;
            state.DriftPreviousJson = baseline;
        }

        state.RecordsBaselineJson = records;
    }

    /// <summary>
    /// The bad streak of a <c>check_states</c> row (its runs, since when, the status of its last run), for the next
    /// result here and for the alert rules. A row an earlier release wrote (no streak columns yet) counts its current
    /// bad status as one run since it began, so that an alert already firing keeps firing.
    /// </summary>
    internal static (int Runs, DateTimeOffset? Since, CheckStatus? Status) Streak(
        int? badRuns, DateTimeOffset? badSince, CheckStatus? badStatus, CheckStatus status, DateTimeOffset since) =>
        badRuns is { } runs ? (runs, badSince, badStatus)
        : status is CheckStatus.Error or CheckStatus.Warning ? (1, since, status)
        : (0, badSince, badStatus);

    /// <summary>The records a JSON column holds (none when empty).</summary>
    /// <exception cref="JsonException">The column is not a JSON list of strings.</exception>
    public static IReadOnlyList<string> Records(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<string[]>(json) ?? [];

    // A row of an earlier release has no baseline yet: its last records are one, unless its last run was inconclusive
    // (or its records do not read, when the new run starts the baseline).
    private static string? Baseline(CheckStateRow state)
    {
        if (state.RecordsBaselineJson is not null || state.BadRuns is not null || state.Status == CheckStatus.Unknown)
        {
            return state.RecordsBaselineJson;
        }

        try
        {
            return Sorted(Records(state.RecordsJson));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // Order is not meaningful (DNS returns TXT and MX records in any order): compared sorted.
    private static string Sorted(IEnumerable<string> records) =>
        JsonSerializer.Serialize(records.Select(r => r.Trim()).Order(StringComparer.Ordinal).ToArray());
}
