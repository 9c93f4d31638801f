using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Deliverability.Core.Storage;

namespace Deliverability.Core.Alerts.Evaluation;

/// <summary>
/// Once an hour, removes what is older than <c>ResolvedRetention</c>: resolved alerts (unless a receiver still has to
/// hear their resolve), history rows and ended silences.
/// </summary>
internal sealed class AlertRetention(IDbContextFactory<MonitorDbContext> contexts, IOptions<AlertOptions> options, AlertMemory memory)
{
    private static readonly TimeSpan Every = TimeSpan.FromHours(1);

    private DateTimeOffset? _lastRun;

    public async Task ApplyAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (_lastRun is null)
        {
            _lastRun = now; // the first run an hour after start
            return;
        }

        if (now - _lastRun < Every)
        {
            return;
        }

        _lastRun = now;
        var cutoff = now - options.Value.ResolvedRetention;
        var known = memory.Groups.Values.SelectMany(g => g.NotifiedFiring).ToHashSet(StringComparer.Ordinal);
        var expired = memory.Alerts.Values.Where(a => a.Row.State == AlertState.Resolved && a.Row.EndsAt < cutoff && !known.Contains(a.Row.Fingerprint)).ToArray();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        foreach (var alert in expired)
        {
            memory.Alerts.Remove(alert.Row.Fingerprint);
            db.Remove(alert.Row);
        }

        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await db.Set<AlertHistoryRow>().Where(h => h.At < cutoff).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        await db.Set<SilenceRow>().Where(s => s.EndsAt < cutoff).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
    }
}
