using Microsoft.Extensions.Options;

namespace Deliverability.Core.Alerts.Evaluation;

/// <summary>
/// Mutes the alerts that a silence, a maintenance window or an inhibition covers (stored and listed, not notified),
/// and unmutes them when it ends; a change of muting of a firing alert is recorded in its history.
/// </summary>
internal sealed class AlertMuting
{
    private readonly AlertMemory _memory;
    private readonly IReadOnlyList<Inhibition> _inhibitions;
    private readonly IReadOnlyList<MaintenanceWindow> _windows;

    public AlertMuting(IOptions<AlertOptions> options, AlertMemory memory)
    {
        var configured = options.Value;
        _memory = memory;
        _inhibitions = [.. configured.DefaultInhibition ? [Inhibition.ListedIpMutesPlacement] : Array.Empty<Inhibition>(), .. configured.Inhibitions.Select(Inhibition.From)];
        // The service validates the options at start: a window that does not compile stops it there.
        var errors = new List<string>();
        _windows = configured.MaintenanceWindows.Select(w => MaintenanceWindow.TryCreate(w, errors)).OfType<MaintenanceWindow>().ToArray();
    }

    public void Apply(DateTimeOffset now, AlertChanges changes)
    {
        _memory.Silences.RemoveAll(s => s.Row.EndsAt <= now);
        var firing = _memory.Alerts.Values.Where(a => a.Row.State == AlertState.Firing).Select(a => (a.Row.Fingerprint, a.Labels)).ToArray();
        var sources = _inhibitions.Select(i => i.SourceKeys(firing)).ToArray();
        var silences = _memory.Silences.Where(s => s.Row.StartsAt <= now).ToArray();
        var windows = _windows.Where(w => w.IsActive(now)).ToArray();
        foreach (var alert in _memory.Alerts.Values)
        {
            if (!alert.HasFired)
            {
                continue;
            }

            var mutedBy = MutedBy(alert, silences, windows, sources);
            if (mutedBy == alert.Row.MutedBy)
            {
                continue;
            }

            var was = alert.Row.MutedBy;
            alert.Row.MutedBy = mutedBy;
            if (alert.Row.State == AlertState.Firing)
            {
                changes.Record(alert, alert.Row.State, alert.Row.State, now, mutedBy is null ? $"unmuted (was {was})" : $"muted by {mutedBy}");
            }
            else
            {
                changes.Touch(alert);
            }
        }
    }

    private string? MutedBy(LiveAlert alert, CompiledSilence[] silences, MaintenanceWindow[] windows, Dictionary<string, string>[] sources)
    {
        foreach (var silence in silences)
        {
            if (AlertMatcher.MatchesAll(silence.Matchers, alert.Labels))
            {
                return $"silence:{silence.Row.Id}";
            }
        }

        foreach (var window in windows)
        {
            if (AlertMatcher.MatchesAll(window.Matchers, alert.Labels))
            {
                return $"maintenance:{window.Name}";
            }
        }

        for (var i = 0; i < _inhibitions.Count; i++)
        {
            if (alert.Row.State == AlertState.Firing && _inhibitions[i].Mutes(sources[i], alert.Row.Fingerprint, alert.Labels))
            {
                return "inhibited";
            }
        }

        return null;
    }
}
