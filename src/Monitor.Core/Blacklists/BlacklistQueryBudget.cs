namespace Monitor.Core.Blacklists;

/// <summary>
/// The query budget of every zone: a rate limit (a token bucket of one second's worth; queries over it wait their
/// turn) and a daily cap (queries per UTC day; past it the zone is not asked until the next day). Only queries that
/// reach DNS count: cached answers are free. Counts live in memory: a restart starts the day's count again.
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
