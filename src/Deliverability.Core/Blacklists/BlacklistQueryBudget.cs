namespace Deliverability.Core.Blacklists;

/// <summary>How many queries went to <paramref name="Zone"/> on one UTC day.</summary>
public sealed record BlacklistQueryCount(string Zone, DateOnly Day, int Used);

/// <summary>
/// The query budget of every zone: a rate limit (a token bucket of one second's worth; queries over it wait their
/// turn) and a daily cap (queries per UTC day; past it the zone is not asked until the next day). Only queries that
/// reach DNS count: cached answers are free. The day's counts are kept in memory and stored after each check run
/// (<see cref="Snapshot"/>, <see cref="Restore"/>), so a service that restarts, or crashes in a loop, does not start the
/// day's count again and exceed a list's free-use limit.
/// </summary>
public sealed class BlacklistQueryBudget(TimeProvider time)
{
    private readonly Dictionary<string, ZoneBudget> _zones = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Queries sent to <paramref name="zone"/> so far today (UTC).</summary>
    public int UsedToday(BlacklistZone zone)
    {
        lock (_gate)
        {
            var budget = BudgetOf(zone);
            return budget.Day == Today() ? budget.UsedToday : 0;
        }
    }

    /// <summary>
    /// Takes one query of <paramref name="zone"/>'s budget, waiting for the rate limit when needed (by
    /// <see cref="TimeProvider"/>). False when the daily cap is reached: the caller must not ask.
    /// </summary>
    public async ValueTask<bool> TryAcquireAsync(BlacklistZone zone, CancellationToken cancellationToken)
    {
        TimeSpan wait;
        lock (_gate)
        {
            var budget = BudgetOf(zone);
            var today = Today();
            if (budget.Day != today)
            {
                (budget.Day, budget.UsedToday) = (today, 0);
            }

            if (budget.UsedToday >= zone.DailyCap)
            {
                return false;
            }

            budget.UsedToday++;
            wait = budget.Reserve(zone.RateLimitPerSecond, time.GetUtcNow());
        }

        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>Today's count of every zone asked today, for storing.</summary>
    public IReadOnlyList<BlacklistQueryCount> Snapshot()
    {
        lock (_gate)
        {
            var today = Today();
            return _zones.Where(z => z.Value.Day == today && z.Value.UsedToday > 0)
                .Select(z => new BlacklistQueryCount(z.Key, today, z.Value.UsedToday))
                .ToArray();
        }
    }

    /// <summary>Takes up stored counts of today (other days are ignored); a count already higher in memory is kept.</summary>
    public void Restore(IEnumerable<BlacklistQueryCount> counts)
    {
        lock (_gate)
        {
            var today = Today();
            foreach (var count in counts.Where(c => c.Day == today))
            {
                if (!_zones.TryGetValue(count.Zone, out var budget))
                {
                    budget = new ZoneBudget { Tokens = 1, RefilledAt = time.GetUtcNow(), Day = today };
                    _zones[count.Zone] = budget;
                }

                if (budget.Day != today)
                {
                    (budget.Day, budget.UsedToday) = (today, 0);
                }

                budget.UsedToday = Math.Max(budget.UsedToday, count.Used);
            }
        }
    }

    private ZoneBudget BudgetOf(BlacklistZone zone)
    {
        if (!_zones.TryGetValue(zone.Name, out var budget))
        {
            budget = new ZoneBudget { Tokens = Math.Max(1, zone.RateLimitPerSecond), RefilledAt = time.GetUtcNow(), Day = Today() };
            _zones[zone.Name] = budget;
        }

        return budget;
    }

    private DateOnly Today() => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);

    private sealed class ZoneBudget
    {
        public double Tokens { get; set; }

        public DateTimeOffset RefilledAt { get; set; }

        public DateOnly Day { get; set; }

        public int UsedToday { get; set; }

        /// <summary>Takes a token; below zero the caller waits until the bucket would have refilled to its token.</summary>
        public TimeSpan Reserve(double perSecond, DateTimeOffset now)
        {
            var capacity = Math.Max(1, perSecond);
            var elapsed = (now - RefilledAt).TotalSeconds;
            Tokens = Math.Min(capacity, Tokens + (Math.Max(0, elapsed) * perSecond));
            RefilledAt = now;
            Tokens -= 1;
            return Tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-Tokens / perSecond);
        }
    }
}
