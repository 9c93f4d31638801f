using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Monitor.Core.Audits;
using Monitor.Core.Storage;

namespace Monitor.Core.Alerts;

/// <summary>
/// Follows the stored check results run by run: counts the consecutive bad runs of each check (for <c>ForRuns</c>) and
/// notices when the records a check read differ from its previous conclusive run (record drift).
/// </summary>
/// <remarks>
/// Reads only the rows checked since the previous read (with a margin: a domain's audit stores its start time, a
/// moment before it is saved), and every row again once an hour, when checks that no longer exist are forgotten. Only an
/// observation whose meaning changed is stored: a good run after a good run changes nothing that a restart needs.
/// </remarks>
public sealed class CheckObservations
{
    private static readonly TimeSpan ReadMargin = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan FullReadEvery = TimeSpan.FromHours(1);

    private readonly Dictionary<(string Domain, string Check), CheckObservationRow> _byCheck = [];
    private DateTimeOffset? _lastFullRead;
    private DateTimeOffset? _lastRead;

    public IReadOnlyCollection<CheckObservationRow> All => _byCheck.Values;

    /// <summary>Observations changed by the last <see cref="RefreshAsync"/>, to store.</summary>
    public List<CheckObservationRow> Changed { get; } = [];

    /// <summary>Observations of checks that no longer exist, to delete.</summary>
    public List<CheckObservationRow> Removed { get; } = [];

    public void Load(IEnumerable<CheckObservationRow> stored)
    {
        foreach (var row in stored)
        {
            _byCheck[(row.Domain, row.Check)] = row;
        }
    }

    public async Task RefreshAsync(MonitorDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        Changed.Clear();
        Removed.Clear();
        var full = _lastFullRead is null || _lastRead is null || now - _lastFullRead >= FullReadEvery;
        var query = db.CheckStates.AsNoTracking();
        if (!full)
        {
            var since = _lastRead!.Value - ReadMargin;
            query = query.Where(s => s.CheckedAt > since);
        }

        var rows = await query
            .Select(s => new { s.Domain, s.Check, s.Status, s.CheckedAt, s.RecordsJson, FindingsJson = s.Status == CheckStatus.Ok ? null : s.FindingsJson }) // only bad checks' findings are shown
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        var seen = full ? new HashSet<(string, string)>() : null;
        foreach (var row in rows)
        {
            seen?.Add((row.Domain, row.Check));

            var key = (row.Domain, row.Check);
            if (_byCheck.TryGetValue(key, out var observation))
            {
                if (observation.CheckedAt == row.CheckedAt)
                {
                    if (observation.Findings.Count == 0 && row.Status is CheckStatus.Error or CheckStatus.Warning)
                    {
                        observation.Findings = Findings(row.FindingsJson ?? "[]"); // after a restart: not stored with the observation
                    }

                    continue;
                }

                if (!Observe(observation, row.Status, row.CheckedAt, row.RecordsJson, row.FindingsJson))
                {
                    continue;
                }
            }
            else
            {
                observation = new CheckObservationRow { Domain = row.Domain, Check = row.Check, Status = CheckStatus.Unknown };
                _byCheck[key] = observation;
                Observe(observation, row.Status, row.CheckedAt, row.RecordsJson, row.FindingsJson);
            }

            Changed.Add(observation);
        }

        _lastRead = now;
        if (seen is not null)
        {
            foreach (var gone in _byCheck.Where(kv => !seen.Contains(kv.Key)).ToArray())
            {
                _byCheck.Remove(gone.Key);
                Removed.Add(gone.Value);
            }

            _lastFullRead = now;
        }
    }

    /// <summary>Applies one new run of a check. Returns whether anything a restart needs changed (status, streak, records, drift).</summary>
    internal static bool Observe(CheckObservationRow observation, CheckStatus status, DateTimeOffset checkedAt, string recordsJson, string? findingsJson)
    {
        observation.CheckedAt = checkedAt;
        if (status == CheckStatus.Unknown)
        {
            return false; // a temporary DNS failure neither breaks nor heals, and its empty records are no drift
        }

        var changed = observation.Status != status;
        observation.Status = status;
        // Only the findings of a bad check are shown (annotations); parsing every good result would cost the most.
        observation.Findings = status == CheckStatus.Ok ? [] : Findings(findingsJson ?? "[]");
        if (status == CheckStatus.Ok)
        {
            changed |= observation.BadRuns != 0;
            observation.BadRuns = 0;
            observation.BadSince = null;
        }
        else
        {
            observation.BadSince = observation.BadRuns == 0 ? checkedAt : observation.BadSince;
            observation.BadRuns++;
            changed = true;
        }

        if (observation.RawRecordsJson == recordsJson)
        {
            return changed;
        }

        observation.RawRecordsJson = recordsJson;
        var records = NormalizedRecords(recordsJson);
        if (observation.RecordsJson is not null && observation.RecordsJson != records)
        {
            observation.DriftAt = checkedAt;
            observation.DriftPreviousJson = observation.RecordsJson;
        }

        changed |= observation.RecordsJson != records;
        observation.RecordsJson = records;
        return changed;
    }

    public static IReadOnlyList<string> Records(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<string[]>(json) ?? [];

    // Order is not meaningful (DNS returns TXT and MX records in any order): compare sorted.
    private static string NormalizedRecords(string json) =>
        JsonSerializer.Serialize(Records(json).Select(r => r.Trim()).Order(StringComparer.Ordinal).ToArray());

    private static IReadOnlyList<Finding> Findings(string json) =>
        StoredJson.Findings(new CheckStateRow { Domain = "", Check = "", FindingsJson = json, RecordsJson = "[]" });
}
